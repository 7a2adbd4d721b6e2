"""Reference equivalence over HTTP for every function that a tests/refs/
module covers: its hand-picked edge cases (EDGE) and 200 inputs drawn from
its generator (GEN) with a fixed seed per function, each against the Python
reference (REFS). A reference that raises Invalid(field) means the server
must answer 400 invalid_input naming 'field'. Results are compared with
same() (types included), or with close() to TOL[fn] relative where the
module declares a tolerance.
"""
import json
import random
import zlib

import pytest

import reference as R
from conftest import assert_error

N_GENERATED = 200


def check_one(api, fn, inp):
    want = R.expected(fn, inp)
    raw = json.dumps({"function": fn, "input": inp}, ensure_ascii=False,
                     allow_nan=False).encode("utf-8")
    r = api.post("/api/execute", raw=raw)
    if "error" in want:
        body = assert_error(r, 400, "invalid_input")
        assert "'%s'" % want["error"] in body["error"]["message"], (
            fn, inp, body)
        return
    assert r.status_code == 200, (fn, inp, r.status_code, r.text[:500])
    got = r.json()["result"]
    if fn in R.TOL:
        ok = R.close(got, want["output"], R.TOL[fn])
    else:
        ok = R.same(got, want["output"])
    assert ok, "%s(%r):\n got  %r\n want %r" % (fn, inp, got,
                                                 want["output"])


@pytest.mark.parametrize("fn", sorted(R.EDGE))
def test_edge_cases(api, fn):
    assert R.EDGE[fn], fn
    for inp in R.EDGE[fn]:
        check_one(api, fn, inp)


@pytest.mark.parametrize("fn", sorted(R.GEN))
def test_generated(api, fn):
    r = random.Random(zlib.crc32(fn.encode()))
    for _ in range(N_GENERATED):
        check_one(api, fn, R.GEN[fn](r))


def test_every_reference_has_cases():
    """A reference in tests/refs/ is exercised by both kinds of case."""
    for fn in R.GEN.keys() | R.EDGE.keys():
        assert fn in R.REFS, fn
    missing = [fn for fn in R.REFS
               if fn not in R.GEN and fn not in R.EDGE]
    # The references of tests/reference.py itself are covered by
    # test_catalog_http.py; every refs/ module covers its own.
    assert not [fn for fn in missing if fn in _group_names()], missing


def _group_names():
    import importlib
    import pkgutil
    import refs
    names = set()
    for m in pkgutil.iter_modules(refs.__path__):
        names |= set(importlib.import_module("refs." + m.name).REFS)
    return names
