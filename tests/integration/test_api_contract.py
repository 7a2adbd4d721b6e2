"""The HTTP contract of /work/shared/API.md, route by route, over real HTTP
(nginx -> sopm-fcgi -> Redis/MariaDB): status codes, body shapes, the one
error body, request ids, content types, 401/404/405."""
import re
import secrets

import pytest

from conftest import STATE, assert_error, wait_until

HEX32 = re.compile(r"^[0-9a-f]{32}$")
SHIPPED = ["echo", "sleep", "sort", "unique", "word_count", "slugify",
           "statistics", "calculate", "hash", "base64", "uuid", "timestamp"]
CATEGORIES = {"data", "text", "math", "web", "util"}


@pytest.fixture(scope="module")
def catalog(api):
    r = api.get("/api/functions")
    assert r.status_code == 200, r.text
    return r.json()


def allow_set(r):
    return {m.strip() for m in r.headers["Allow"].split(",") if m.strip()}


# ---- GET /api/functions ----------------------------------------------------

def test_list_count_and_shape(catalog):
    fns = catalog["functions"]
    assert set(catalog) == {"count", "functions"}
    assert isinstance(catalog["count"], int)
    assert catalog["count"] == len(fns)
    names = [f["name"] for f in fns]
    assert len(names) == len(set(names)), "duplicate names"
    for name in SHIPPED:
        assert name in names, name
    for f in fns:
        assert set(f) == {"name", "category", "description", "input_schema",
                          "example"}, f
        assert re.fullmatch(r"[a-z][a-z0-9_]*", f["name"]), f["name"]
        assert f["category"] in CATEGORIES, f
        assert isinstance(f["description"], str) and f["description"], f
        assert isinstance(f["input_schema"], dict), f
        assert f["input_schema"].get("type") == "object", f
        assert set(f["example"]) == {"input", "output"}, f
        assert isinstance(f["example"]["input"], dict), f


def test_list_categories_of_shipped(catalog):
    cat = {f["name"]: f["category"] for f in catalog["functions"]}
    assert cat["word_count"] == "text" and cat["slugify"] == "text"
    assert cat["sort"] == "data" and cat["unique"] == "data"
    assert cat["statistics"] == "math" and cat["calculate"] == "math"
    assert cat["hash"] == "web" and cat["base64"] == "web"
    assert cat["uuid"] == "web"
    assert cat["echo"] == "util" and cat["sleep"] == "util"
    assert cat["timestamp"] == "util"


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_list_filter_category(api, catalog, category):
    r = api.get("/api/functions", params={"category": category})
    assert r.status_code == 200, r.text
    body = r.json()
    want = [f for f in catalog["functions"] if f["category"] == category]
    assert body["count"] == len(want) == len(body["functions"])
    assert body["functions"] == want
    assert all(f["category"] == category for f in body["functions"])


def test_list_filter_text_has_word_count(api):
    body = api.get("/api/functions?category=text").json()
    names = {f["name"] for f in body["functions"]}
    assert {"word_count", "slugify"} <= names
    assert "sort" not in names


@pytest.mark.parametrize("category", ["nope", "TEXT", "tex", "text ", ""])
def test_list_unknown_category(api, catalog, category):
    r = api.get("/api/functions", params={"category": category})
    assert r.status_code == 200, r.text
    body = r.json()
    if category == "":  # empty filter = no filter
        assert body["count"] == catalog["count"]
    else:
        assert body == {"count": 0, "functions": []}


@pytest.mark.parametrize("q", ["count", "COUNT", "WoRd_CoUnT", "sha",
                               "code point", "Python", "zzzqqq-none", "é",
                               "_", "e"])
def test_list_filter_q_case_insensitive(api, catalog, q):
    r = api.get("/api/functions", params={"q": q})
    assert r.status_code == 200, r.text
    body = r.json()
    ql = q.lower()
    want = [f for f in catalog["functions"]
            if ql in f["name"].lower() or ql in f["description"].lower()]
    assert [f["name"] for f in body["functions"]] == [f["name"] for f in want]
    assert body["count"] == len(want)


def test_list_q_matches_name_and_description(api):
    names = {f["name"] for f in
             api.get("/api/functions?q=WORD_COUNT").json()["functions"]}
    assert "word_count" in names
    # "BLAKE2b" only occurs in hash's description, not in a name.
    names = {f["name"] for f in
             api.get("/api/functions?q=blake2B").json()["functions"]}
    assert "hash" in names
    assert api.get("/api/functions?q=zzzqqq").json() == {"count": 0,
                                                        "functions": []}


def test_list_q_and_category_combined(api, catalog):
    body = api.get("/api/functions",
                   params={"q": "SLUG", "category": "text"}).json()
    assert [f["name"] for f in body["functions"]] == ["slugify"]
    body = api.get("/api/functions",
                   params={"q": "slug", "category": "math"}).json()
    assert body == {"count": 0, "functions": []}


# ---- GET /api/functions/:name ---------------------------------------------

@pytest.mark.parametrize("name", SHIPPED)
def test_get_function(api, catalog, name):
    r = api.get(f"/api/functions/{name}")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    want = next(f for f in catalog["functions"] if f["name"] == name)
    assert r.json() == want


@pytest.mark.parametrize("name", ["nope", "WORD_COUNT", "word_count2",
                                  "word%20count", "a" * 300])
def test_get_function_unknown(api, name):
    assert_error(api.get(f"/api/functions/{name}"), 404, "not_found")


# ---- POST /api/execute (sync) ----------------------------------------------

def test_execute_sync_shape(api):
    r = api.execute("word_count", {"text": "a b a"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"job_id", "function", "status", "result",
                         "duration_us"}, body
    assert HEX32.match(body["job_id"]), body
    assert body["function"] == "word_count"
    assert body["status"] == "completed"
    assert body["result"] == {"words": 3, "characters": 5, "lines": 1,
                              "unique_words": 2,
                              "top": [["a", 2], ["b", 1]]}
    assert type(body["duration_us"]) is int and body["duration_us"] >= 0


def test_execute_sync_job_ids_differ(api):
    ids = {api.execute("echo", {"i": i}).json()["job_id"] for i in range(5)}
    assert len(ids) == 5


def test_execute_sync_async_false(api):
    r = api.execute("echo", {"x": 1}, **{"async": False})
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {"x": 1}


def test_execute_input_defaults_to_empty_object(api):
    r = api.post("/api/execute", {"function": "echo"})
    assert r.status_code == 200, r.text
    assert r.json()["result"] == {}


@pytest.mark.parametrize("name", ["nope", "WORD_COUNT", "word count", "x" * 128])
def test_execute_unknown_function(api, name):
    body = assert_error(api.execute(name, {}), 404, "not_found")
    assert name in body["error"]["message"] or len(name) > 64


@pytest.mark.parametrize("inp,field", [
    ({"text": 5}, "text"),
    ({}, "text"),
    ({"text": "a", "extra": 1}, "extra"),
    ({"text": None}, "text"),
])
def test_execute_bad_input(api, inp, field):
    body = assert_error(api.execute("word_count", inp), 400, "invalid_input")
    assert f"'{field}'" in body["error"]["message"], body


def test_execute_bad_input_domain_error(api):
    body = assert_error(api.execute("calculate", {"expression": "1/0"}), 400,
                        "invalid_input")
    assert "expression" in body["error"]["message"], body


# ---- GET /api/status/:id ---------------------------------------------------

@pytest.mark.parametrize("job_id", [
    secrets.token_hex(16),              # well-formed, unknown
    "0" * 32,
    "xyz",                              # malformed
    "ABCDEF" + "0" * 26,                # upper case
    secrets.token_hex(16) + "0",        # 33 hex
    secrets.token_hex(15) + "0",        # 31 hex
    "g" * 32,
    "a" * 500,
])
def test_status_unknown_or_malformed(api, job_id):
    assert_error(api.get(f"/api/status/{job_id}"), 404, "not_found")


def test_status_of_sync_job_is_404(api):
    r = api.execute("echo", {"a": 1})
    assert r.status_code == 200, r.text
    assert_error(api.get(f"/api/status/{r.json()['job_id']}"), 404,
                 "not_found")


def test_sync_job_id_correlates_with_the_logs(api):
    """API.md: a sync call's id answers 404 but "still correlates with the
    logs": the pool's request log line names it."""
    rid = "corr-" + secrets.token_hex(8)
    r = api.post("/api/execute", {"function": "echo", "input": {}},
                 headers={"X-Request-Id": rid})
    assert r.status_code == 200
    job_id = r.json()["job_id"]
    log = STATE / "log" / "sopm-fcgi.log"

    def line():
        for text in log.read_text(errors="replace").splitlines()[-2000:]:
            if rid in text:
                return text
        return None

    text = wait_until(line, timeout=10, what=f"log line of {rid}")
    assert job_id in text, text


def test_status_of_async_job_is_200(api):
    r = api.execute("echo", {"a": 1}, **{"async": True})
    assert r.status_code == 202, r.text
    r = api.get(f"/api/status/{r.json()['job_id']}")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")


# ---- GET /api/stats -------------------------------------------------------

def _int(v):
    return type(v) is int and v >= 0


def test_stats_shape(api):
    api.execute("word_count", {"text": "x"})
    r = api.get("/api/stats")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    s = r.json()
    assert {"version", "uptime_s", "workers", "requests", "executions",
            "jobs", "user_functions", "sandboxes"} <= set(s), s
    assert isinstance(s["version"], str) and s["version"]
    assert _int(s["uptime_s"])
    w = s["workers"]
    assert _int(w["configured"]) and _int(w["alive"])
    assert w["configured"] >= 1 and w["alive"] == w["configured"], w
    req = s["requests"]
    assert _int(req["total"]) and req["total"] >= 1
    assert isinstance(req["by_status"], dict) and req["by_status"]
    for k, v in req["by_status"].items():
        assert re.fullmatch(r"[1-5][0-9][0-9]", k), k
        assert _int(v) and v > 0
    assert req["by_status"]["200"] >= 1
    assert sum(req["by_status"].values()) <= req["total"] + 1
    ex = s["executions"]
    assert _int(ex["total"]) and _int(ex["errors"])
    assert ex["errors"] <= ex["total"]
    wc = ex["by_function"]["word_count"]
    assert _int(wc["count"]) and wc["count"] >= 1
    assert _int(wc["errors"]) and _int(wc["avg_us"])
    for name, f in ex["by_function"].items():
        assert name in SHIPPED or re.fullmatch(r"[a-z_0-9]+", name)
        assert {"count", "errors", "avg_us"} <= set(f)
    j = s["jobs"]
    for k in ("queued", "running", "completed", "failed"):
        assert _int(j[k]), (k, j)
    uf = s["user_functions"]
    for k in ("total", "ready", "building", "failed"):
        assert _int(uf[k]), (k, uf)
    sb = s["sandboxes"]
    for k in ("warm", "cold_starts", "warm_starts"):
        assert _int(sb[k]), (k, sb)


def test_stats_counts_move(api):
    before = api.stats()
    for _ in range(3):
        assert api.execute("hash", {"text": "x", "algorithm": "md5"}
                           ).status_code == 200
    assert api.execute("hash", {"text": 1, "algorithm": "md5"}
                       ).status_code == 400
    after = api.stats()
    assert after["requests"]["total"] >= before["requests"]["total"] + 5
    b = before["executions"]["by_function"].get("hash",
                                                {"count": 0, "errors": 0})
    a = after["executions"]["by_function"]["hash"]
    assert a["count"] >= b["count"] + 3
    assert after["executions"]["total"] >= before["executions"]["total"] + 3
    assert after["requests"]["by_status"]["400"] >= \
        before["requests"]["by_status"].get("400", 0) + 1


# ---- GET /metrics -----------------------------------------------------------

SAMPLE = re.compile(
    r'^([a-zA-Z_:][a-zA-Z0-9_:]*)'
    r'(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
    r'(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*,?)?\})?'
    r' (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$')


def test_metrics_prometheus_text(api):
    api.get("/healthz")
    r = api.get("/metrics")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/plain"), r.headers
    assert r.headers.get("X-Request-Id")
    text = r.text
    assert text.endswith("\n")
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            if line.startswith("# TYPE"):
                assert re.match(r"^# TYPE \S+ (counter|gauge|histogram|"
                                r"summary|untyped)$", line), line
            continue
        m = SAMPLE.match(line)
        assert m, f"not a Prometheus sample line: {line!r}"
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    req = [k for k in samples if k.startswith("sopm_http_requests_total")]
    assert req, "no sopm_http_requests_total"
    assert any('status="200"' in k for k in req)
    assert "# TYPE sopm_http_requests_total counter" in text
    # A histogram: buckets ending with +Inf, then _sum and _count.
    hist = re.findall(r"^# TYPE (\S+) histogram$", text, re.M)
    assert hist, "no histogram"
    for h in hist:
        lines = [l for l in text.splitlines()
                 if l.startswith(h + "_bucket")]
        if not lines:
            continue
        inf = [l for l in lines if 'le="+Inf"' in l]
        assert inf, h
        assert any(l.startswith(h + "_sum") for l in text.splitlines())
        assert any(l.startswith(h + "_count") for l in text.splitlines())
    name = "sopm_http_request_duration_seconds"
    assert name in hist
    buckets = [(m.group(1), float(m.group(2))) for m in re.finditer(
        r'^' + name + r'_bucket\{le="([^"]+)"\} (\S+)$', text, re.M)]
    assert buckets and buckets[-1][0] == "+Inf"
    counts = [c for _, c in buckets]
    assert counts == sorted(counts), "buckets must be cumulative"
    les = [float(le) for le, _ in buckets[:-1]]
    assert les == sorted(les) and len(set(les)) == len(les)
    assert "{}" not in text, "an empty label set is outside the grammar"
    count = re.search(r"^" + name + r"_count (\S+)$", text, re.M)
    total = re.search(r"^" + name + r"_sum (\S+)$", text, re.M)
    assert count and total, "missing _count/_sum without labels"
    assert float(count.group(1)) == buckets[-1][1] > 0
    assert float(total.group(1)) > 0


def test_metrics_function_histogram(api):
    assert api.execute("slugify", {"text": "A b"}).status_code == 200
    text = api.get("/metrics").text
    assert re.search(r'^sopm_execution_duration_seconds_bucket\{function='
                     r'"slugify",le="\+Inf"\} [1-9][0-9]*$', text, re.M), text
    assert re.search(r'^sopm_execution_duration_seconds_count\{function='
                     r'"slugify"\} [1-9][0-9]*$', text, re.M)
    assert re.search(r'^sopm_execution_duration_seconds_sum\{function='
                     r'"slugify"\} \S+$', text, re.M)


# ---- health ---------------------------------------------------------------

def test_healthz(api):
    r = api.get("/healthz")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"status": "ok"}


def test_readyz_all_up(api):
    r = api.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"mysql": "ok", "redis": "ok"}


# ---- unknown routes, wrong methods -----------------------------------------

@pytest.mark.parametrize("method,path", [
    ("GET", "/"),
    ("GET", "/nope"),
    ("GET", "/api"),
    ("GET", "/api/"),
    ("GET", "/api/function"),
    ("GET", "/api/functions/word_count/extra"),
    ("GET", "/api/status"),
    ("POST", "/api/executes"),
    ("GET", "/api/user-functions/1/execute/x"),
    ("GET", "/a/b/c/d/e/f/g/h/i/j/k"),
    ("DELETE", "/nope"),
    ("GET", "/API/FUNCTIONS"),
])
def test_unknown_route(api, method, path):
    r = api.request(method, path)
    assert_error(r, 404, "not_found")
    assert "Allow" not in r.headers


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/api/execute", {"POST"}),
    ("GET", "/api/execute", {"POST"}),
    ("PUT", "/api/execute", {"POST"}),
    ("PATCH", "/api/execute", {"POST"}),
    ("POST", "/api/functions", {"GET", "HEAD"}),
    ("DELETE", "/api/functions/word_count", {"GET", "HEAD"}),
    ("POST", "/api/status/" + "0" * 32, {"GET", "HEAD"}),
    ("PUT", "/api/stats", {"GET", "HEAD"}),
    ("POST", "/metrics", {"GET", "HEAD"}),
    ("POST", "/healthz", {"GET", "HEAD"}),
    ("DELETE", "/readyz", {"GET", "HEAD"}),
    ("OPTIONS", "/api/functions", {"GET", "HEAD"}),
    ("OPTIONS", "/api/execute", {"POST"}),
    ("DELETE", "/api/user-functions", {"GET", "HEAD", "POST"}),
    ("POST", "/api/user-functions/1", {"GET", "HEAD", "PUT", "DELETE"}),
    ("GET", "/api/user-functions/1/execute", {"POST"}),
])
def test_wrong_method_405(api, method, path, allowed):
    r = api.request(method, path, data=b"{}", headers={
        "Content-Type": "application/json"})
    body = assert_error(r, 405, "method_not_allowed")
    assert allow_set(r) == allowed, r.headers["Allow"]
    assert method in body["error"]["message"]


def test_wrong_method_405_without_body(api):
    r = api.request("DELETE", "/api/execute")
    assert_error(r, 405, "method_not_allowed")
    assert allow_set(r) == {"POST"}


# ---- user functions: a key is required (route flag), and no key exists -----
# until the registry issue stores them, so every caller gets 401.

USER_FUNCTION_CALLS = [
    ("POST", "/api/user-functions", {"name": "hello", "runtime": "python3",
                                     "code": "def handle(e, c):\n  return 1\n"}),
    ("GET", "/api/user-functions", None),
    ("GET", "/api/user-functions/1", None),
    ("PUT", "/api/user-functions/1", {"name": "hello", "runtime": "python3",
                                      "code": "x"}),
    ("DELETE", "/api/user-functions/1", None),
    ("POST", "/api/user-functions/1/execute", {"input": {}}),
]


@pytest.mark.parametrize("method,path,body", USER_FUNCTION_CALLS + [
    ("GET", "/api/user-functions?user_id=abc", None),
    ("GET", "/api/user-functions/abc", None),
    ("POST", "/api/user-functions/0/execute", {"input": {}}),
])
@pytest.mark.parametrize("authorization,error", [
    (None, None),
    ("Bearer sopm_0123456789abcdef", "invalid_token"),
    ("bearer sopm_0123456789abcdef==", "invalid_token"),
    ("Basic dXNlcjpwYXNz", "invalid_request"),
    ("Bearer", "invalid_request"),
    ("Bearer a b", "invalid_request"),
    ("Bearer " + "k" * 300, "invalid_request"),
])
def test_user_functions_need_a_key(api, method, path, body, authorization,
                                   error):
    kw = {"json": body} if body is not None else {}
    if authorization is not None:
        kw["headers"] = {"Authorization": authorization}
    r = api.request(method, path, **kw)
    body = assert_error(r, 401, "unauthorized")
    assert set(body) == {"error"} and set(body["error"]) == {"code",
                                                             "message"}
    challenge = r.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer realm=")
    if error:
        assert f'error="{error}"' in challenge
    else:
        assert "error=" not in challenge


# ---- X-Request-Id ------------------------------------------------------------

def test_request_id_generated(api):
    ids = set()
    for path in ("/healthz", "/api/functions/nope", "/metrics"):
        r = api.get(path)
        rid = r.headers.get("X-Request-Id")
        assert rid and HEX32.match(rid), (path, rid)
        ids.add(rid)
    assert len(ids) == 3


@pytest.mark.parametrize("rid", ["abc", "A", "a.b_c-D", "0" * 64,
                                 "Req-2026.11.28_x", "-", "..", "x" * 63])
def test_request_id_echoed_when_sane(api, rid):
    for r in (api.get("/healthz", headers={"X-Request-Id": rid}),
              api.get("/nope", headers={"X-Request-Id": rid}),
              api.post("/api/execute", {"function": "nope"},
                       headers={"X-Request-Id": rid})):
        assert r.headers.get("X-Request-Id") == rid, (rid, r.headers)


@pytest.mark.parametrize("rid", ["x" * 65, "a" * 200, "a b", "a/b", "a;b",
                                 "<script>", "abc$", "a:b", "é".encode(
                                     "utf-8").decode("latin-1"), "a\tb",
                                 "a,b", "a+b", "%41"])
def test_request_id_replaced_when_not_sane(api, rid):
    r = api.get("/healthz", headers={"X-Request-Id": rid})
    assert r.status_code == 200
    got = r.headers.get("X-Request-Id")
    assert got != rid and got and HEX32.match(got), (rid, got)


def test_request_id_empty_replaced(api):
    r = api.get("/healthz", headers={"X-Request-Id": ""})
    assert HEX32.match(r.headers.get("X-Request-Id", "")), r.headers


# ---- content types and the error body everywhere ---------------------------

CALLS = [
    ("GET", "/api/functions", None, 200),
    ("GET", "/api/functions/echo", None, 200),
    ("GET", "/api/functions/nope", None, 404),
    ("POST", "/api/execute", {"function": "echo", "input": {}}, 200),
    ("POST", "/api/execute", {"function": "echo", "async": True}, 202),
    ("POST", "/api/execute", {"function": "nope"}, 404),
    ("POST", "/api/execute", {"function": "word_count", "input": {}}, 400),
    ("GET", "/api/status/" + "0" * 32, None, 404),
    ("GET", "/api/stats", None, 200),
    ("GET", "/healthz", None, 200),
    ("GET", "/readyz", None, 200),
    ("GET", "/nope", None, 404),
    ("DELETE", "/api/execute", None, 405),
    ("GET", "/api/user-functions", None, 401),
]


@pytest.mark.parametrize("method,path,body,status", CALLS)
def test_content_type_json_everywhere(api, method, path, body, status):
    kw = {"json": body} if body is not None else {}
    r = api.request(method, path, **kw)
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].split(";")[0].strip() == \
        "application/json", r.headers
    body = r.json()
    assert isinstance(body, dict)
    if status >= 400:
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"code", "message"}, body
        assert isinstance(body["error"]["code"], str)
        assert re.fullmatch(r"[a-z_]+", body["error"]["code"])
        assert isinstance(body["error"]["message"], str)
        assert body["error"]["message"]


def test_error_messages_leak_nothing(api):
    for r in (api.get("/nope"), api.execute("nope"),
              api.post("/api/execute", raw=b"{"),
              api.get("/api/status/" + "1" * 32)):
        msg = r.json()["error"]["message"].lower()
        for leak in ("/work", "/var", ".c:", "sql", "redis", "jansson",
                     "errno", "0x"):
            assert leak not in msg, (leak, msg)


# ---- HEAD ----------------------------------------------------------------------

@pytest.mark.parametrize("path,status", [
    ("/api/functions", 200), ("/api/functions/echo", 200),
    ("/api/stats", 200), ("/healthz", 200), ("/readyz", 200),
    ("/metrics", 200), ("/api/functions/nope", 404), ("/nope", 404),
])
def test_head_on_get_route(api, path, status):
    r = api.request("HEAD", path)
    assert r.status_code == status, r.status_code
    assert r.content == b""
    assert r.headers.get("X-Request-Id")
    want = "text/plain" if path == "/metrics" else "application/json"
    assert r.headers["Content-Type"].startswith(want)
    g = api.get(path)
    assert g.headers["Content-Type"] == r.headers["Content-Type"]


def test_head_on_post_route_is_405(api):
    r = api.request("HEAD", "/api/execute")
    assert r.status_code == 405
    assert allow_set(r) == {"POST"}

