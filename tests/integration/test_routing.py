"""Routing on the raw request path, declared parameters and the body of
valid JSON that jansson cannot hold.

Field report: `GET /api/functions/..%2fstats` and
`GET /api/status/..%2f..%2fapi%2fstats` answered 200 with the /api/stats body,
because the pool routed on nginx's decoded and normalised path. Every route
with a parameter is tried here with encoded slashes and dot segments."""
import json

import pytest
import requests

from conftest import BASE, assert_error

# Every route that has a path parameter, with a valid value in its place.
PARAM_ROUTES = [
    ("GET", "/api/functions/{}"),
    ("GET", "/api/status/{}"),
    ("GET", "/api/user-functions/{}"),
    ("PUT", "/api/user-functions/{}"),
    ("DELETE", "/api/user-functions/{}"),
    ("POST", "/api/user-functions/{}/execute"),
]

CLIMBS = [
    "..%2fstats",
    "..%2F..%2Fapi%2Fstats",
    "..%2f..%2fapi%2fstats",
    "%2e%2e%2f%2e%2e%2fapi%2fstats",
    "..%2f..%2fmetrics",
    "..%2fhealthz",
    "..",
    "%2e%2e",
    ".",
    "%2E",
    "a%2fb",
    "a%00b",
    "%00",
    "a%zz",
    "a%2",
]


def raw(method, path, **kw):
    """Sends path as it is (requests would normalise dot segments)."""
    s = requests.Session()
    req = requests.Request(method, BASE + "/", **kw).prepare()
    req.url = BASE + path
    return s.send(req, timeout=30)


@pytest.mark.parametrize("method,pattern", PARAM_ROUTES)
@pytest.mark.parametrize("climb", CLIMBS)
def test_encoded_climb_matches_no_route(method, pattern, climb):
    kw = {}
    if method in ("POST", "PUT"):
        kw = {"data": b"{}", "headers": {"Content-Type": "application/json"}}
    r = raw(method, pattern.format(climb), **kw)
    # nginx itself refuses a NUL in the path (400, our JSON error page).
    want = (400, "invalid_input") if "%00" in climb else (404, "not_found")
    body = assert_error(r, *want)
    assert "requests" not in body and "workers" not in body
    assert "Allow" not in r.headers


@pytest.mark.parametrize("path", [
    "/api/functions/../stats",
    "/api/functions/./../stats",
    "/api/status/../../api/stats",
    "/api/functions/word_count/..",
    "//api/stats",
    "/api//stats",
])
def test_literal_dot_segments_match_no_route(path):
    assert_error(raw("GET", path), 404, "not_found")


def test_encoded_unreserved_characters_still_route(api):
    r = raw("GET", "/api/functions/word%5Fcount")
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "word_count"
    r = raw("GET", "/api/%66unctions?category=text")
    assert r.status_code == 200, r.text
    assert {f["category"] for f in r.json()["functions"]} == {"text"}


@pytest.mark.parametrize("name", ["WORD_COUNT", "word-count", "é", "a%20b",
                                  "x" * 129, "%ff", "a+b"])
def test_function_name_outside_its_rule_is_404(name):
    body = assert_error(raw("GET", "/api/functions/" + name), 404,
                        "not_found")
    assert body["error"]["message"] == "function not found"


@pytest.mark.parametrize("job_id", ["0" * 31, "0" * 33, "A" * 32, "g" * 32,
                                    "%41" * 32, "-1"])
def test_job_id_outside_its_rule_is_404(job_id):
    body = assert_error(raw("GET", "/api/status/" + job_id), 404,
                        "not_found")
    assert body["error"]["message"] == "job not found"


@pytest.mark.parametrize("query,name", [
    ("q=" + "a" * 256, "q"),
    ("category=" + "a" * 256, "category"),
    ("q=a%00b", "q"),
    ("category=%00", "category"),
    ("q=" + "%41" * 300, "q"),
    ("q=" + "a" * 5000, "q"),
])
def test_query_parameter_outside_its_rule_is_400(api, query, name):
    body = assert_error(api.get("/api/functions?" + query), 400,
                        "invalid_input")
    assert f"'{name}'" in body["error"]["message"]


def test_query_parameter_at_its_limit(api):
    r = api.get("/api/functions?q=" + "a" * 255)
    assert r.status_code == 200 and r.json() == {"count": 0, "functions": []}
    r = api.get("/api/functions?q=WORD%5fCOUNT&category=te%78t")
    assert [f["name"] for f in r.json()["functions"]] == ["word_count"]
    r = api.get("/api/functions?q=code+point")  # '+' is a space in a query
    assert "word_count" in [f["name"] for f in r.json()["functions"]]


# ---- a body whose object key holds an escaped NUL ----------------------------

@pytest.mark.parametrize("raw_body", [
    b'{"\\u0000": 1}',
    b'{"function": "echo", "input": {"a\\u0000b": 1}}',
    b'{"function": "echo", "input": {"x": [{"\\u0000": null}]}}',
])
def test_nul_in_object_key_is_invalid_input(api, raw_body):
    json.loads(raw_body)  # valid JSON: the parser is not to blame
    body = assert_error(api.post("/api/execute", raw=raw_body), 400,
                        "invalid_input")
    assert "NUL" in body["error"]["message"]


def test_nul_in_string_value_is_kept(api):
    r = api.post("/api/execute",
                 raw=b'{"function": "echo", "input": {"a": "x\\u0000y"}}')
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {"a": "x\x00y"}
