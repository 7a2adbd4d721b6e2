"""JSONTestSuite (test_parsing/, beside CATALOG.md in peers/) against the
request body parser: every file is sent, byte for byte, as the body of
POST /api/execute.

- y_ (valid JSON): the body is parsed. It is never 400 invalid_json; the
  answer is what the parsed value means for the request: none of the files
  is a request, so it is 400 invalid_input saying that the body is not an
  object or names no function (PARSED), except where Y_REFUSED says why
  the value cannot be held (a NUL in an object key).
- n_ (not JSON): 400 invalid_json.
- i_ (implementation-defined): either, but never anything else; this
  module pins which files the parser accepts, so a change is seen.

No file may crash a worker or take it down: after the suite, the pool
still answers, with the same workers.
"""
import os
import pathlib

import pytest

from conftest import ROOT, assert_error, worker_pids

PEERS = pathlib.Path(os.environ.get("SOPM_PEERS",
                                    ROOT.parent / "shared" / "peers"))
SUITE = PEERS / "JSONTestSuite" / "test_parsing"

# The messages of a parsed body that is not a request.
PARSED = ("request body must be a JSON object",
          "field 'function' is required")

# Valid JSON that the body parser cannot hold, by design: jansson's object
# keys are C strings, so a key with U+0000 is 400 invalid_input saying so
# (README), not invalid_json: the text is JSON. (Integers past int64, which
# RFC 8259 section 9 lets a parser refuse, are all i_ files here.)
Y_REFUSED = {"y_object_escaped_null_in_key.json":
             "object keys may not contain NUL"}

# The implementation-defined files the parser accepts (the others are 400
# invalid_json): numbers it rounds to a double, and strings that are valid
# UTF-8. Out-of-range numbers are 400 invalid_input (see above).
I_ACCEPTED = {
    "i_number_double_huge_neg_exp.json", "i_number_real_underflow.json",
    "i_number_pos_double_huge_exp.json", "i_number_neg_int_huge_exp.json",
    "i_number_huge_exp.json", "i_number_real_neg_overflow.json",
    "i_number_real_pos_overflow.json", "i_number_too_big_neg_int.json",
    "i_number_too_big_pos_int.json", "i_number_very_big_negative_int.json",
}


def _files():
    if not SUITE.is_dir():
        pytest.fail("JSONTestSuite not found at %s (set SOPM_PEERS)" % SUITE)
    return sorted(p.name for p in SUITE.glob("*.json"))


def post_raw(api, raw):
    return api.post("/api/execute", raw=raw)


def test_suite_is_complete():
    names = _files()
    assert len(names) == 318, len(names)
    assert {n[:2] for n in names} == {"y_", "n_", "i_"}
    assert [len([n for n in names if n.startswith(p)])
            for p in ("y_", "n_", "i_")] == [95, 188, 35]
    assert set(Y_REFUSED) <= set(names) and I_ACCEPTED <= set(names)


@pytest.mark.parametrize("name", [n for n in _files() if n.startswith("y_")])
def test_valid_json_is_parsed(api, name):
    r = post_raw(api, (SUITE / name).read_bytes())
    err = assert_error(r, 400, "invalid_input")
    msg = err["error"]["message"]
    if name in Y_REFUSED:
        assert msg.startswith(Y_REFUSED[name]), (name, msg)
    else:
        assert msg in PARSED, (name, msg)


@pytest.mark.parametrize("name", [n for n in _files() if n.startswith("n_")])
def test_invalid_json_is_refused(api, name):
    assert_error(post_raw(api, (SUITE / name).read_bytes()), 400,
                 "invalid_json")


@pytest.mark.parametrize("name", [n for n in _files() if n.startswith("i_")])
def test_implementation_defined(api, name):
    r = post_raw(api, (SUITE / name).read_bytes())
    assert r.status_code == 400, (name, r.status_code, r.text)
    code = r.json()["error"]["code"]
    if name in I_ACCEPTED:
        assert code == "invalid_input", (name, r.text)
    else:
        assert code == "invalid_json", (name, r.text)


def test_pool_survived_the_suite(api):
    before = sorted(worker_pids())
    for name in _files():
        post_raw(api, (SUITE / name).read_bytes())
    assert sorted(worker_pids()) == before
    assert api.execute("echo", {"ok": 1}).json()["result"] == {"ok": 1}
