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
from conftest import ROOT, assert_error

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
    """Every function with a reference gets both kinds of case, and every
    case belongs to a reference."""
    for fn in R.GEN.keys() | R.EDGE.keys():
        assert fn in R.REFS, fn
    assert sorted(fn for fn in R.REFS
                  if fn not in R.GEN or fn not in R.EDGE) == []


def _nul_cases():
    """Every string member of every example and golden input (the first 20
    with an output, none with a "note") with U+0000 put in front, in the
    middle and at the end: C code that reads a string up to its NUL answers
    for another input (a url, unit or namespace was cut short there)."""
    out = []
    for path in sorted((ROOT / "functions").glob("*/*.json")):
        fn = path.stem
        if fn not in R.REFS:
            continue
        meta = json.loads(path.read_text(encoding="utf-8"))
        inputs = [e["input"] for e in meta["examples"]] + [
            t["input"] for t in meta.get("tests", [])
            if "output" in t and "note" not in t][:20]
        cases = []
        for inp in inputs:
            for k, v in inp.items() if isinstance(inp, dict) else ():
                if isinstance(v, str) and v:
                    for pos in sorted({0, len(v) // 2, len(v)}):
                        c = dict(inp)
                        c[k] = v[:pos] + "\x00" + v[pos:]
                        cases.append(c)
        if cases:
            out.append(pytest.param(fn, cases, id=fn))
    return out


@pytest.mark.parametrize("fn,cases", _nul_cases())
def test_nul_in_strings(api, fn, cases):
    for inp in cases:
        check_one(api, fn, inp)
