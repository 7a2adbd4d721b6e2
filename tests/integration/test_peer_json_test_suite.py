"""JSONTestSuite (test_parsing/, beside CATALOG.md in peers/) against the
request body parser: every file is sent, byte for byte, as the body of
POST /api/execute.

- y_ (valid JSON): the body is parsed. It is never 400 invalid_json; the
  answer is whatever the parsed value means for the request (400
  invalid_input for a body that is not an object or names no function, or
  for a number the parser cannot hold, see NUMBERS_OUT_OF_RANGE).
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

# Valid JSON with an integer past int64: jansson holds integers as int64 and
# reals as finite doubles (RFC 8259 section 9 lets a parser limit the range
# and precision of numbers). The body parser answers 400 invalid_input
# saying so, not invalid_json: the text is JSON.
NUMBERS_OUT_OF_RANGE = {"y_number_very_big_negative_int.json"}

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


@pytest.mark.parametrize("name", [n for n in _files() if n.startswith("y_")])
def test_valid_json_is_parsed(api, name):
    r = post_raw(api, (SUITE / name).read_bytes())
    assert r.status_code in (200, 400), (name, r.status_code, r.text)
    if r.status_code == 400:
        code = r.json()["error"]["code"]
        assert code == "invalid_input", (name, r.text)
        if name in NUMBERS_OUT_OF_RANGE:
            assert "out of range" in r.json()["error"]["message"]


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
