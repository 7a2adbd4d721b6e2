"""Routing on the raw request path, declared parameters and the body of
valid JSON that jansson cannot hold.

Field report: `GET /api/functions/..%2fstats` and
`GET /api/status/..%2f..%2fapi%2fstats` answered 200 with the /api/stats body,
because the pool routed on nginx's decoded and normalised path. Every route
with a parameter is tried here with encoded slashes and dot segments."""
import http.client
import json
import socket
from urllib.parse import urlsplit

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


class Raw:
    """A response of raw(): status_code, headers, text, json()."""

    def __init__(self, resp):
        self.status_code = resp.status
        self.headers = requests.structures.CaseInsensitiveDict(
            resp.getheaders())
        self.text = resp.read().decode("utf-8", "replace")

    def json(self):
        return json.loads(self.text)


def raw(method, path, data=None, headers=None):
    """Sends path exactly as given: requests would normalise dot segments
    and re-quote bad escapes."""
    u = urlsplit(BASE)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request(method, path, body=data, headers=headers or {})
        return Raw(conn.getresponse())
    finally:
        conn.close()


@pytest.mark.parametrize("method,pattern", PARAM_ROUTES)
@pytest.mark.parametrize("climb", CLIMBS)
def test_encoded_climb_matches_no_route(method, pattern, climb):
    kw = {}
    if method in ("POST", "PUT"):
        kw = {"data": b"{}", "headers": {"Content-Type": "application/json"}}
    r = raw(method, pattern.format(climb), **kw)
    # nginx itself refuses a NUL or a bad escape in the path (400, our JSON
    # error page); the pool sees every other climb and routes it nowhere.
    nginx_refuses = "%00" in climb or climb in ("a%zz", "a%2")
    want = (400, "invalid_input") if nginx_refuses else (404, "not_found")
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


@pytest.mark.parametrize("name", ["WORD_COUNT", "word-count", "%C3%A9", "a%20b",
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


def test_nul_survives_an_async_job(api):
    """The job record keeps NUL in the input and in the result."""
    r = api.post("/api/execute", raw=b'{"function": "echo", "async": true,'
                 b' "input": {"a": "x\\u0000y"}}')
    assert r.status_code == 202, r.text
    rec = api.wait_job(r.json()["job_id"])
    assert rec["status"] == "completed" and rec["result"] == {"a": "x\x00y"}
    r = api.execute("base64", {"text": "AGE=", "decode": True}, **{"async": True})
    rec = api.wait_job(r.json()["job_id"])
    assert rec["status"] == "completed" and rec["result"] == "\x00a", rec


@pytest.mark.parametrize("asynchronous", [False, True])
def test_function_name_with_nul_names_no_function(api, asynchronous):
    body = {"function": "echo\x00evil", "input": {"a": 1}}
    if asynchronous:
        body["async"] = True
    body = assert_error(api.post("/api/execute", body), 404, "not_found")
    assert "NUL" in body["error"]["message"]


@pytest.mark.parametrize("number", [b"1e400", b"-1e400",
                                    b"123456789012345678901234567890"])
def test_number_jansson_cannot_hold_is_invalid_input(api, number):
    r = api.post("/api/execute",
                 raw=b'{"function": "echo", "input": {"a": ' + number + b"}}")
    body = assert_error(r, 400, "invalid_input")
    assert "out of range" in body["error"]["message"]
    assert "field 'a' of 'input'" in body["error"]["message"]


@pytest.mark.parametrize("raw,field", [
    (b'{"function": "statistics", "input": {"values": [1, "x", 1e400]}}',
     "field 'values[2]' of 'input'"),
    (b'{"function": "echo", "input": {"a": {"b\\"": [{"c": 2, "d":'
     b' -99999999999999999999}]}}}', "field 'a.b\"[0].d' of 'input'"),
    (b'{"function": "echo", "async": 1e999, "input": {}}', "field 'async'"),
])
def test_number_out_of_range_names_its_path(api, raw, field):
    body = assert_error(api.post("/api/execute", raw=raw), 400,
                        "invalid_input")
    assert field in body["error"]["message"], body


# ---- errors that nginx itself answers ---------------------------------------

def send_raw(request):
    u = urlsplit(BASE)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), body


@pytest.mark.parametrize("request_line,status,code,echoed", [
    (b"TRACE /healthz HTTP/1.1", 405, "method_not_allowed", True),
    (b"POST /api/execute HTTP/1.1\r\nTransfer-Encoding: gzip", 501,
     "not_implemented", True),
    # nginx reads no header of a request whose version it refuses.
    (b"GET /api/stats HTTP/3.0", 505, "invalid_input", False),
])
def test_nginx_errors_are_json_with_the_request_id(request_line, status,
                                                    code, echoed):
    head, body = send_raw(request_line + b"\r\nHost: x\r\n"
                          b"X-Request-Id: rid-1.2_3\r\n"
                          b"Connection: close\r\n\r\n")
    assert head.split()[1] == str(status), head
    assert ("X-Request-Id: rid-1.2_3" in head) == echoed, head
    assert "X-Request-Id: " in head
    assert json.loads(body)["error"]["code"] == code


def test_async_validation_failure_counts_as_an_execution_error(api):
    def errors():
        by = api.stats()["executions"]["by_function"]
        return by.get("sleep", {}).get("errors", 0)
    before = errors()
    assert_error(api.execute("sleep", {"ms": -1}, **{"async": True}), 400,
                 "invalid_input")
    assert_error(api.execute("sleep", {"ms": -1}), 400, "invalid_input")
    assert errors() == before + 2
