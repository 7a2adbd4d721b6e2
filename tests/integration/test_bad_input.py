"""Hostile and malformed requests: broken JSON, bad UTF-8, deep nesting,
huge bodies, wrong media types, wrong types in the envelope and in each
shipped function's input. Each gets its documented 4xx, never a 5xx, and the
pool survives all of it."""
import json

import pytest

from conftest import assert_error

MiB = 1024 * 1024


def server_errors(stats):
    """5xx answers counted by the pool."""
    return sum(n for k, n in stats["requests"]["by_status"].items()
               if k.startswith("5"))


@pytest.fixture(scope="module")
def before(api):
    return api.stats()


def test_pool_healthy_at_start(api, before):
    assert before["workers"]["alive"] == before["workers"]["configured"]


def post(api, raw, ct="application/json", **kw):
    headers = {"Content-Type": ct} if ct is not None else {}
    return api.request("POST", "/api/execute", data=raw, headers=headers,
                       **kw)


def sized_body(total):
    """A valid execute body for echo of exactly `total` bytes."""
    head = b'{"function":"echo","input":{"s":"'
    tail = b'"}}'
    body = head + b"a" * (total - len(head) - len(tail)) + tail
    assert len(body) == total
    json.loads(body)
    return body


# ---- malformed JSON --------------------------------------------------------

@pytest.mark.parametrize("raw", [
    b'{"function":"echo","input":{"a":1}',           # truncated
    b'{"function":"echo","input":{"a":',             # truncated
    b'{"function":"ec',                              # truncated in a string
    b'{',
    b'{"function":"echo"} x',                        # trailing garbage
    b'{"function":"echo"}}',
    b'{"function":"echo"}{"function":"echo"}',
    b'{"function":"echo"},',
    b"{'function':'echo'}",                          # single quotes
    b'{"function":\'echo\'}',
    b'{"function":"echo","input":{"a":NaN}}',        # NaN
    b'{"function":"echo","input":{"a":-NaN}}',
    b'{"function":"echo","input":{"a":Infinity}}',
    b'{"function":"echo","input":{"a":-Infinity}}',
    b'{"function":"echo",}',                         # trailing comma
    b'{"function":"echo","input":[1,]}',
    b'{function:"echo"}',                            # bare key
    b'{"function":"echo" "input":{}}',               # missing comma
    b'{"function":"echo","input":{"a":01}}',         # leading zero
    b'{"function":"echo","input":{"a":1.}}',
    b'{"function":"echo","input":{"a":.5}}',
    b'{"function":"echo","input":{"a":0x10}}',
    b'{"function":"echo","input":{"a":"\\x41"}}',    # bad escape
    b'{"function":"echo","input":{"a":"\\u12"}}',
    b'{"function":"echo","input":{"a":"tab\there"}}',  # raw control char
    b'{"function":"echo","input":{"a":"nl\nhere"}}',
    b'{"function":"echo","input":{"a":undefined}}',
    b'{"function":"echo","input":{"a":True}}',
    b'{"function":"echo"} // comment',
    b'/* c */ {"function":"echo"}',
    b'\x00',
    b' ',
    b'\n\n',
    b'}',
    b']',
])
def test_malformed_json(api, raw):
    assert_error(post(api, raw), 400, "invalid_json")


@pytest.mark.parametrize("raw", [
    b'{"function":"echo","input":{"a":"\xff"}}',
    b'{"function":"echo","input":{"a":"\xfe\xff"}}',
    b'{"function":"echo","input":{"a":"\xc0\xaf"}}',          # overlong /
    b'{"function":"echo","input":{"a":"\xe0\x80\xaf"}}',      # overlong
    b'{"function":"echo","input":{"a":"\xed\xa0\x80"}}',      # surrogate
    b'{"function":"echo","input":{"a":"\xf4\x90\x80\x80"}}',  # > U+10FFFF
    b'{"function":"echo","input":{"a":"\xf8\x88\x80\x80\x80"}}',
    b'{"function":"echo","input":{"a":"\xe2\x82"}}',          # truncated
    b'{"function":"echo","input":{"a":"\x80"}}',              # lone cont.
    b'{"function":"echo","input":{"\xff":"a"}}',              # in a key
    b'{"function":"echo","input":{"a":1}}\xff',               # after
    b'{"function":"echo","input":{"a":"\xc3"}}',
    b'{"function":"echo","input":{"a":"x"}}\xc3',             # at the end
    "{\"function\":\"echo\",\"input\":{\"a\":\"é\"}}".encode("latin-1"),
])
def test_invalid_utf8(api, raw):
    assert_error(post(api, raw), 400, "invalid_json")


def test_valid_utf8_edges_pass(api):
    s = "\u0080\u07ff\u0800\uffff\U00010000\U0010ffff é ß 😀"
    r = post(api, json.dumps({"function": "echo", "input": {"a": s}},
                             ensure_ascii=False).encode())
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {"a": s}


@pytest.mark.parametrize("raw", [b"[]", b'[{"function":"echo"}]', b'"echo"',
                                 b"5", b"-1.5", b"null", b"true", b"false",
                                 b'""'])
def test_body_not_an_object(api, raw):
    """JSON, so not invalid_json: the wrong type for the request."""
    body = assert_error(post(api, raw), 400, "invalid_input")
    assert "must be a JSON object" in body["error"]["message"]


# ---- nesting -------------------------------------------------------------

def nested_body(depth):
    """An echo call whose total JSON nesting depth (envelope included) is
    exactly `depth` (>= 2): the envelope, input, then arrays."""
    arrays = depth - 2
    return (b'{"function":"echo","input":{"a":' + b"[" * arrays + b"1" +
            b"]" * arrays + b"}}")


def test_depth_within_limit_passes(api):
    r = post(api, nested_body(64))
    assert r.status_code == 200, r.text
    v = r.json()["result"]["a"]
    d = 0
    while isinstance(v, list):
        v = v[0]
        d += 1
    assert d == 62 and v == 1


@pytest.mark.parametrize("depth", [65, 66, 100, 1000])
def test_depth_over_limit(api, depth):
    assert_error(post(api, nested_body(depth)), 400, "invalid_json")


def test_depth_objects_over_limit(api):
    # The envelope plus 64 nested objects (input is the first) = depth 65.
    inner = b'{"a":' * 64 + b"1" + b"}" * 64
    raw = b'{"function":"echo","input":' + inner + b"}"
    assert_error(post(api, raw), 400, "invalid_json")
    inner = b'{"a":' * 63 + b"1" + b"}" * 63
    r = post(api, b'{"function":"echo","input":' + inner + b"}")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("raw", [
    b"[" * 100000,
    b"[" * 100000 + b"]" * 100000,
    b"{" * 100000,
    b'{"a":' * 100000,
    b'{"function":"echo","input":{"a":' + b"[" * 100000 + b"]" * 100000 +
    b"}}",
    b'{"function":"echo","input":{"a":' + b"[" * 100000,
])
def test_very_deep_nesting(api, raw):
    assert_error(post(api, raw), 400, "invalid_json")


def test_brackets_inside_strings_do_not_count(api):
    s = "[" * 5000 + "{" * 5000 + '\\"[[[' + "\\\\"
    r = post(api, json.dumps({"function": "echo", "input": {"a": s}}
                             ).encode())
    assert r.status_code == 200, r.text
    assert r.json()["result"]["a"] == s


# ---- sizes -----------------------------------------------------------------

def test_just_over_one_mib_is_413(api):
    body = assert_error(post(api, sized_body(MiB + 1)), 413,
                        "payload_too_large")
    assert body["error"]["message"]


def test_well_over_one_mib_is_413(api):
    assert_error(post(api, sized_body(3 * MiB)), 413, "payload_too_large")


def test_exactly_one_mib_is_accepted(api):
    raw = sized_body(MiB)
    r = post(api, raw)
    assert r.status_code != 413, r.text[:300]
    assert r.status_code == 200, r.text[:300]
    assert r.json()["result"]["s"] == "a" * (MiB - 36)  # 36 = envelope


def test_ten_mib_past_nginx_limit(api):
    raw = sized_body(10 * MiB)
    r = post(api, raw, timeout=60)
    assert_error(r, 413, "payload_too_large")


def test_over_one_mib_chunked_is_413(api):
    raw = sized_body(MiB + 100)

    def gen():
        for i in range(0, len(raw), 65536):
            yield raw[i:i + 65536]

    r = api.request("POST", "/api/execute", data=gen(),
                    headers={"Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_small_chunked_body_accepted(api):
    raw = json.dumps({"function": "echo", "input": {"x": 1}}).encode()
    r = api.request("POST", "/api/execute", data=iter([raw[:10], raw[10:]]),
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {"x": 1}


def test_empty_body(api):
    assert_error(post(api, b""), 400, "invalid_json")


def test_no_body_at_all(api):
    r = api.request("POST", "/api/execute",
                    headers={"Content-Type": "application/json"})
    assert_error(r, 400, "invalid_json")


# ---- media types ---------------------------------------------------------

GOOD = json.dumps({"function": "echo", "input": {"k": "v"}}).encode()


@pytest.mark.parametrize("ct", [
    "text/plain",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "text/json",
    "application/jsonp",
    "application/json5",
    "json",
    "*/*",
])
def test_non_json_content_type_415(api, ct):
    assert_error(post(api, GOOD, ct=ct), 415, "unsupported_media_type")


def test_missing_content_type_with_body_415(api):
    r = api.request("POST", "/api/execute", data=GOOD)
    assert "Content-Type" not in r.request.headers
    assert_error(r, 415, "unsupported_media_type")


def test_form_encoded_by_requests_415(api):
    r = api.request("POST", "/api/execute", data={"function": "echo"})
    assert_error(r, 415, "unsupported_media_type")


@pytest.mark.parametrize("ct", [
    "application/json",
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    "Application/JSON",
    "application/json ; charset=utf-8",
])
def test_json_content_types_accepted(api, ct):
    r = post(api, GOOD, ct=ct)
    assert r.status_code == 200, (ct, r.text)
    assert r.json()["result"] == {"k": "v"}


# ---- the envelope --------------------------------------------------------

@pytest.mark.parametrize("body,field", [
    ({"function": 5}, "function"),
    ({"function": None}, "function"),
    ({"function": ["echo"]}, "function"),
    ({"function": {"name": "echo"}}, "function"),
    ({"function": True}, "function"),
    ({"function": ""}, "function"),
    ({"function": "x" * 129}, "function"),
    ({}, "function"),
    ({"input": {}}, "function"),
    ({"function": "echo", "input": "x"}, "input"),
    ({"function": "echo", "input": [1, 2]}, "input"),
    ({"function": "echo", "input": 5}, "input"),
    ({"function": "echo", "input": None}, "input"),
    ({"function": "echo", "input": True}, "input"),
    ({"function": "echo", "async": "yes"}, "async"),
    ({"function": "echo", "async": 1}, "async"),
    ({"function": "echo", "async": None}, "async"),
    ({"function": "echo", "async": "true"}, "async"),
    ({"function": "echo", "foo": 1}, "foo"),
    ({"function": "echo", "Input": {}}, "Input"),
    ({"function": "echo", "input": {}, "version": 2}, "version"),
])
def test_envelope_wrong_types(api, body, field):
    err = assert_error(api.post("/api/execute", body), 400, "invalid_input")
    assert f"'{field}'" in err["error"]["message"], err


def test_envelope_async_wrong_type_is_not_queued(api):
    r = api.post("/api/execute", {"function": "echo", "async": "yes"},
                 headers={"Prefer": "respond-async"})
    assert_error(r, 400, "invalid_input")
    assert "Location" not in r.headers


# ---- wrong types inside each function's input -------------------------------

FN_BAD = [
    ("echo", [1], "input"),  # sent as the envelope's input
    ("echo", {f"k{i}": i for i in range(1001)}, "input"),  # maxProperties
    ("sleep", {"ms": "10"}, "ms"),
    ("sleep", {"ms": 1.5}, "ms"),
    ("sleep", {"ms": -1}, "ms"),
    ("sleep", {"ms": 10001}, "ms"),
    ("sleep", {"ms": None}, "ms"),
    ("sleep", {"ms": 1, "x": 1}, "x"),
    ("sort", {"items": "abc"}, "items"),
    ("sort", {"items": {"a": 1}}, "items"),
    ("sort", {}, "items"),
    ("sort", {"items": [1, 2], "order": "up"}, "order"),
    ("sort", {"items": [1, 2], "order": 1}, "order"),
    ("sort", {"items": [{"a": 1}], "key": 5}, "key"),
    ("sort", {"items": [1, None]}, "items[1]"),
    ("sort", {"items": [True, False]}, "items[0]"),
    ("sort", {"items": [1, "a"]}, "items[1]"),
    ("sort", {"items": [{"a": 1}]}, "key"),
    ("sort", {"items": [{"a": 1}, {"b": 2}], "key": "a"}, "items[1]"),
    ("unique", {"items": "abc"}, "items"),
    ("unique", {"items": None}, "items"),
    ("unique", {}, "items"),
    ("word_count", {"text": 5}, "text"),
    ("word_count", {"text": ["a"]}, "text"),
    ("word_count", {"text": None}, "text"),
    ("word_count", {}, "text"),
    ("slugify", {"text": 1.5}, "text"),
    ("slugify", {"text": "a", "separator": 1}, "separator"),
    ("slugify", {"text": "a", "separator": "x" * 17}, "separator"),
    ("statistics", {"values": "1,2"}, "values"),
    ("statistics", {"values": []}, "values"),
    ("statistics", {"values": [1, "2"]}, "values[1]"),
    ("statistics", {"values": [1, None]}, "values[1]"),
    ("statistics", {"values": [True]}, "values[0]"),
    ("statistics", {}, "values"),
    ("calculate", {"expression": 5}, "expression"),
    ("calculate", {"expression": ""}, "expression"),
    ("calculate", {"expression": ["1+1"]}, "expression"),
    ("calculate", {"expression": "1+"}, "expression"),
    ("calculate", {"expression": "x + 1"}, "expression"),
    ("calculate", {"expression": "1/0"}, "expression"),
    ("calculate", {}, "expression"),
    ("hash", {"text": 5, "algorithm": "md5"}, "text"),
    ("hash", {"text": "a", "algorithm": "sha999"}, "algorithm"),
    ("hash", {"text": "a", "algorithm": "MD5"}, "algorithm"),
    ("hash", {"text": "a", "algorithm": 1}, "algorithm"),
    ("hash", {"text": "a"}, "algorithm"),
    ("base64", {"text": 5}, "text"),
    ("base64", {"text": "a", "decode": "yes"}, "decode"),
    ("base64", {"text": "a", "urlsafe": 1}, "urlsafe"),
    ("base64", {"text": "!!!!", "decode": True}, "text"),
    ("base64", {"text": "Zm9", "decode": True}, "text"),
    ("base64", {"text": "/w==", "decode": True}, "text"),  # not UTF-8
    ("uuid", {"version": "4"}, "version"),
    ("uuid", {"version": 6}, "version"),
    ("uuid", {"version": 4.5}, "version"),
    ("uuid", {"count": 0}, "count"),
    ("uuid", {"count": 101}, "count"),
    ("uuid", {"count": "2"}, "count"),
    ("uuid", {"version": 5, "namespace": "dns", "name": 5}, "name"),
    ("uuid", {"version": 5, "namespace": 1, "name": "a"}, "namespace"),
    ("uuid", {"version": 5, "namespace": "nope", "name": "a"}, "namespace"),
    ("uuid", {"version": 5, "namespace": "dns"}, "name"),
    ("timestamp", {"tz": 5}, "tz"),
    ("timestamp", {"tz": "Nowhere/Nope"}, "tz"),
    ("timestamp", {"value": [1]}, "value"),
    ("timestamp", {"value": True}, "value"),
    ("timestamp", {"value": "not a date"}, "value"),
    ("timestamp", {"value": 0, "x": 1}, "x"),
]


@pytest.mark.parametrize("fn,inp,field", FN_BAD,
                         ids=[f"{f}-{i}" for i, (f, _, _) in
                              enumerate(FN_BAD)])
def test_function_input_wrong_types(api, fn, inp, field):
    r = api.post("/api/execute", {"function": fn, "input": inp})
    body = assert_error(r, 400, "invalid_input")
    assert f"'{field}'" in body["error"]["message"], body


def test_every_shipped_function_covered():
    assert {f for f, _, _ in FN_BAD} == {
        "echo", "sleep", "sort", "unique", "word_count", "slugify",
        "statistics", "calculate", "hash", "base64", "uuid", "timestamp"}


# ---- errors that nginx answers itself ----------------------------------------

@pytest.mark.parametrize("path,headers", [
    ("/api/functions/" + "a" * 10000, {}),            # 414 URI too long
    ("/api/functions/%00", {}),                       # NUL in the path
    ("/healthz", {"X-Big": "a" * 20000}),             # header too large
], ids=["long-uri", "nul-in-path", "big-header"])
def test_nginx_errors_keep_the_error_contract(api, path, headers):
    """API.md: every response carries X-Request-Id and every error has the
    one JSON body, also when nginx refuses the request before the pool."""
    r = api.get(path, headers=headers)
    assert 400 <= r.status_code < 500, r.status_code
    assert r.headers.get("Content-Type", "").startswith("application/json"), \
        (r.status_code, r.headers.get("Content-Type"), r.text[:200])
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code",
                                                             "message"}
    assert r.headers.get("X-Request-Id")


# ---- still alive -----------------------------------------------------------

def test_routes_that_need_a_key_read_no_body_before_it(api):
    """The key is checked before the body is read: without one, a broken,
    huge or mistyped body still gets 401, never 400/413/415."""
    for path in ("/api/user-functions", "/api/user-functions/1/execute"):
        for data, ct in ((b"{", "application/json"),
                         (b"[]", "application/json"),
                         (b"{}", "text/plain"),
                         (b"x" * (2 * MiB), "application/json")):
            assert_error(api.request("POST", path, data=data,
                                     headers={"Content-Type": ct}),
                         401, "unauthorized")


def test_pool_survived(api, before):
    r = api.get("/healthz")
    assert r.status_code == 200
    s = api.stats()
    assert s["workers"]["alive"] == s["workers"]["configured"] >= 1
    # No worker died and was replaced, and no request got a 5xx.
    assert s["workers"].get("restarts", 0) == \
        before["workers"].get("restarts", 0)
    assert server_errors(s) == server_errors(before), \
        s["requests"]["by_status"]
    r = api.execute("word_count", {"text": "still here"})
    assert r.status_code == 200 and r.json()["result"]["words"] == 2


def test_path_longer_than_the_pool_reads_matches_no_route(api):
    # 1008 + 15 characters fill the pool's path buffer exactly at a segment
    # end: a truncated copy would look like GET /api/functions/:name.
    path = "/api/functions/" + "a" * 1008 + "/tail"
    body = assert_error(api.get(path), 404, "not_found")
    assert "route" in body["error"]["message"]
