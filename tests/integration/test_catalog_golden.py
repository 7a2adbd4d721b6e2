"""The generic runner: every golden case of every catalog function, from the
"tests" of functions/<category>/<name>.json, against the server over HTTP.

A case is {"input", "output"} (the result must be that JSON value, with the
same types: 1 is not 1.0) or {"input", "error": field} (400 invalid_input
with a message naming 'field'). tests/gen_golden.py computes them from the
Python references (tests/reference.py); this module also checks that they
still agree with those references, that the API serves the metadata, and
that no handler can leak a number that is not finite.
"""
import json
import re

import pytest

import gen_golden
import reference
from conftest import ROOT, assert_error

METADATA = sorted((ROOT / "functions").glob("*/*.json"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _cases():
    out = []
    for path in METADATA:
        for i, case in enumerate(_load(path).get("tests", [])):
            out.append(pytest.param(path.stem, case, id="%s-%d" % (
                path.stem, i)))
    return out


@pytest.mark.parametrize("fn,case", _cases())
def test_golden(api, fn, case):
    raw = json.dumps({"function": fn, "input": case["input"]},
                     ensure_ascii=False, allow_nan=False).encode("utf-8")
    r = api.post("/api/execute", raw=raw)
    if "error" in case:
        body = assert_error(r, 400, "invalid_input")
        assert "'%s'" % case["error"] in body["error"]["message"], body
        return
    assert r.status_code == 200, (fn, case["input"], r.text[:500])
    body = r.json()
    assert body["status"] == "completed" and body["function"] == fn
    assert reference.same(body["result"], case["output"]), (
        "%s(%r):\n got  %r\n want %r" % (fn, case["input"], body["result"],
                                         case["output"]))


def test_golden_cases_agree_with_the_references():
    """No stale golden case: what tests/gen_golden.py golden would write is
    what the metadata holds."""
    assert gen_golden.regenerate(write=False) == 0


def test_every_function_has_golden_cases(api):
    names = {f["name"] for f in api.get("/api/functions").json()["functions"]}
    assert names == {p.stem for p in METADATA}
    # sleep's behaviour is timing (test_catalog_http), uuid v4/v7 random
    without = {p.stem for p in METADATA if not _load(p).get("tests")}
    assert without <= {"sleep", "echo"}, without


def test_the_api_serves_the_metadata(api):
    for path in METADATA:
        meta = _load(path)
        got = api.get("/api/functions/" + path.stem).json()
        assert got["category"] == path.parent.name
        assert got["description"] == meta["description"]
        assert reference.same(got["example"], meta["examples"][0])


# Handlers make reals only through fn_result_real / fn_result_num
# (functions/fn_result.h), which turn a value that is not finite into a 400;
# json_real, or json_pack's "f", would let one through as a null.
STRAY_REAL = re.compile(r"\bjson_real\s*\(|\bjson_s?pack\w*\s*\(\s*\"[^\"]*f")


def test_handlers_never_call_json_real():
    offenders = []
    for src in sorted((ROOT / "functions").glob("**/*.c")):
        if src.name == "fn_result.c":
            continue
        text = src.read_text(encoding="utf-8")
        for m in STRAY_REAL.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            offenders.append("%s:%d" % (src.relative_to(ROOT), line))
    assert not offenders, offenders
