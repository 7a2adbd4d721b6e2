"""/api/user-functions against the real stack (API.md "User functions",
"Errors", "Authentication"; issue 7): every route and error code, upload
limits at and just over each bound, versions, isolation between users,
admin scoping, soft delete, and SQL-injection payloads in every field,
path and query parameter."""
import json
import re
import secrets

import pytest

from conftest import (BASE, JSON, admin_script, assert_error, new_tenant,
                      sql, wait_until, without_builder)

UF = "/api/user-functions"


@pytest.fixture(scope="module", autouse=True)
def _no_builder():
    """These tests pin the registry with versions that stay pending; the
    builds themselves are test_builder.py's."""
    without_builder()
RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
CODE = "def handle(event, context):\n    return event\n"
MIB = 1024 * 1024

# What no answer may carry: SQL of the server, database or library names,
# file paths of the installation, parser internals.
LEAKS = ("SQL", "MariaDB", "mysql", "MySQL", "INSERT INTO", "FROM functions",
         "function_versions", "api_keys", "SQLSTATE", "syntax", "jansson",
         "duplicate object key", "near '", "/work/", "/var/", "/usr/",
         ".c:", "errno", "Traceback", "hiredis", "Redis")


def no_leak(r, echo=()):
    """No leak in the answer; echo: the client's own text, which a message
    may quote (it is not the server's)."""
    text = r.text
    if echo and r.headers.get("Content-Type", "").startswith("application/json"):
        text = r.json()["error"]["message"] if r.status_code >= 400 else ""
        for e in sorted(echo, key=len, reverse=True):
            text = text.replace(e, "")
    for word in LEAKS:
        assert word not in text, (word, r.status_code, text)
    return r


def tenant(prefix="uf", admin=False):
    """A fresh user whose key is not throttled by these many requests (the
    rate quota is tested elsewhere)."""
    t = new_tenant(prefix, admin=admin)
    admin_script("set_quota", user=t.name, rate_per_s=100000, burst=100000,
                 max_concurrency=None, max_functions=1000)
    return t


def uname(prefix="f"):
    return f"{prefix}-{secrets.token_hex(4)}"


def bad_input(r, field, echo=()):
    """400 invalid_input whose message names the field."""
    body = assert_error(r, 400, "invalid_input")
    assert field in body["error"]["message"], (field, body)
    no_leak(r, echo)
    return body


def created(r):
    assert r.status_code == 201, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"id", "name", "version", "status", "runtime"}, body
    assert isinstance(body["id"], int) and body["id"] > 0
    assert body["version"] == 1
    assert body["status"] in ("pending", "building"), body
    return body


def raw_post(t, path, text, content_type="application/json"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return t.s.post(BASE + path, data=data,
                    headers={"Content-Type": content_type}, timeout=60)


def raw_put(t, path, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return t.s.put(BASE + path, data=data, headers=JSON, timeout=60)


def fn_row(fid):
    """The functions row as the DB admin sees it."""
    rows = sql(f"SELECT user_id, name, version, deleted_at IS NOT NULL, "
               f"description, memory_mb FROM functions WHERE id = {int(fid)}")
    return rows[0] if rows else None


def version_count(fid):
    return int(sql(f"SELECT COUNT(*) FROM function_versions "
                   f"WHERE function_id = {int(fid)}")[0][0])


@pytest.fixture(scope="module")
def alice():
    return tenant("alice")


@pytest.fixture(scope="module")
def bob():
    return tenant("bob")


@pytest.fixture(scope="module")
def boss():
    return tenant("boss", admin=True)


@pytest.fixture(scope="module")
def alice_fn(alice):
    return created(alice.upload(uname("mine")))


# ---------------------------------------------------------------- 401 ----

ROUTES = [("GET", UF), ("POST", UF), ("GET", UF + "/1"), ("PUT", UF + "/1"),
          ("DELETE", UF + "/1"), ("POST", UF + "/1/execute")]


def _send(session, method, path, headers):
    body = None
    h = dict(headers)
    if method in ("POST", "PUT"):
        body = json.dumps({"name": "x", "runtime": "python3", "code": CODE}
                          if not path.endswith("execute") else {})
        h["Content-Type"] = "application/json"
    return session.request(method, BASE + path, data=body, headers=h,
                           timeout=30)


@pytest.mark.parametrize("auth", [
    None,                                        # no key
    "",                                          # empty header
    "Bearer",                                    # no token
    "Bearer ",                                   # empty token
    "Basic dXNlcjpwYXNz",                        # another scheme
    "sopm_" + "0" * 48,                          # no scheme
    "Bearer sopm_123",                           # too short
    "Bearer sopm_" + "g" * 48,                   # not hex
    "Bearer sopm_" + "0" * 48 + "00",            # too long
    "Bearer ' OR '1'='1",                        # injection
    "Bearer sopm_' OR 1=1; --" + "0" * 24,
], ids=lambda a: repr(a)[:24])
def test_401_without_a_valid_key(auth):
    import requests
    s = requests.Session()
    for method, path in ROUTES:
        headers = {} if auth is None else {"Authorization": auth}
        r = _send(s, method, path, headers)
        assert_error(r, 401, "unauthorized")
        no_leak(r)


def test_401_unknown_well_formed_keys(alice):
    import requests
    s = requests.Session()
    # A random key, and one with a real key's prefix but another secret.
    random_key = "sopm_" + secrets.token_hex(24)
    same_prefix = alice.key[:13] + secrets.token_hex(20)
    last = alice.key[:-1] + ("0" if alice.key[-1] != "0" else "1")
    upper = "sopm_" + alice.key[5:].upper()
    assert len(same_prefix) == len(last) == len(alice.key)
    keys = [random_key, same_prefix, last, alice.key + " x"]
    if upper != alice.key:
        keys.append(upper)
    for key in keys:
        for method, path in ROUTES:
            r = _send(s, method, path, {"Authorization": "Bearer " + key})
            assert_error(r, 401, "unauthorized")
            no_leak(r)
    # The real key works.
    assert alice.get(UF).status_code == 200


def test_401_revoked_key():
    t = tenant("revoked")
    f = created(t.upload(uname("r")))
    assert t.get(f"{UF}/{f['id']}").status_code == 200
    admin_script("revoke_key", prefix=t.key[:13])
    # within 5 s (poll up to ~6 s), every route refuses it
    wait_until(lambda: t.get(UF).status_code == 401, timeout=6, what="revoked key refused")
    import requests
    s = requests.Session()
    for method, path in ROUTES:
        r = _send(s, method, path.replace("/1", f"/{f['id']}"),
                  {"Authorization": "Bearer " + t.key})
        assert_error(r, 401, "unauthorized")
    # the function is still there, for an admin
    assert fn_row(f["id"])[3] == "0"


# ---------------------------------------------------------------- 404 ----

@pytest.mark.parametrize("fid", ["999999999", "abc", "0", "-1", "01", "1.0",
                                 "1e3", "9" * 19, "%20", "1%20", "1;", "1'"])
def test_404_unknown_or_bad_id(alice, fid):
    for method in ("GET", "DELETE"):
        r = alice.request(method, f"{UF}/{fid}")
        assert_error(r, 404, "not_found")
        no_leak(r)
    r = alice.put(f"{UF}/{fid}", {"code": CODE})
    assert_error(r, 404, "not_found")
    r = alice.post(f"{UF}/{fid}/execute", {})
    assert_error(r, 404, "not_found")
    no_leak(r)


def test_404_unknown_sub_route(alice, alice_fn):
    for path in (f"{UF}/{alice_fn['id']}/nope", f"{UF}/{alice_fn['id']}/execute/x",
                 UF + "x"):
        r = alice.get(path)
        assert_error(r, 404, "not_found")


# ---------------------------------------------------------------- 405 ----

@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", UF, {"GET", "POST"}),
    ("PUT", UF, {"GET", "POST"}),
    ("PATCH", UF, {"GET", "POST"}),
    ("POST", UF + "/{id}", {"GET", "PUT", "DELETE"}),
    ("PATCH", UF + "/{id}", {"GET", "PUT", "DELETE"}),
    ("GET", UF + "/{id}/execute", {"POST"}),
    ("PUT", UF + "/{id}/execute", {"POST"}),
    ("DELETE", UF + "/{id}/execute", {"POST"}),
])
def test_405_with_allow(alice, alice_fn, method, path, allowed):
    path = path.format(id=alice_fn["id"])
    kw = {}
    if method in ("POST", "PUT", "PATCH"):
        kw = {"data": json.dumps({"code": CODE}), "headers": JSON}
    r = alice.request(method, path, **kw)
    assert_error(r, 405, "method_not_allowed")
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    assert allowed <= allow, allow
    assert method not in allow
    # Nothing happened to the function.
    assert alice.get(f"{UF}/{alice_fn['id']}").json()["version"] == 1


# ---------------------------------------------------------------- 409 ----

def test_409_duplicate_name_per_user(alice, bob):
    name = uname("dup")
    first = created(alice.upload(name))
    r = alice.upload(name, runtime="node", code="module.exports.handle = async e => e;")
    body = assert_error(r, 409, "conflict")
    assert name in body["error"]["message"]
    no_leak(r)
    # Another user may use the same name.
    other = created(bob.upload(name))
    assert other["id"] != first["id"]
    # Still one live function of that name for alice.
    names = [f["name"] for f in alice.get(UF).json()["functions"]]
    assert names.count(name) == 1


def test_409_execute_pending_version(alice, alice_fn):
    r = alice.post(f"{UF}/{alice_fn['id']}/execute", {"input": {"a": 1}})
    body = assert_error(r, 409, "conflict")
    assert "built" in body["error"]["message"] or "pending" in body["error"]["message"]
    no_leak(r)
    r = alice.post(f"{UF}/{alice_fn['id']}/execute", {})
    assert_error(r, 409, "conflict")


def test_409_execute_disabled_function(alice):
    f = created(alice.upload(uname("off")))
    sql(f"UPDATE functions SET enabled = FALSE WHERE id = {f['id']}")
    r = alice.post(f"{UF}/{f['id']}/execute", {})
    assert_error(r, 409, "conflict")
    assert alice.get(f"{UF}/{f['id']}").json()["enabled"] is False


# ------------------------------------------------------- 413, 415, 400 ----

def test_413_over_max_upload_bytes(alice, alice_fn):
    big = json.dumps({"name": uname("big"), "runtime": "python3",
                      "code": "#" * (4 * MIB + 16)})
    assert len(big) > 4 * MIB
    r = raw_post(alice, UF, big)
    assert_error(r, 413, "payload_too_large")
    no_leak(r)
    r = raw_put(alice, f"{UF}/{alice_fn['id']}", big)
    assert_error(r, 413, "payload_too_large")
    assert alice.get(f"{UF}/{alice_fn['id']}").json()["version"] == 1


def test_body_up_to_max_upload_bytes_is_read(alice):
    """A body under 4 MiB (but over the general 1 MiB) is parsed: its
    content, not its size, decides (here: code over 1 MiB -> 400)."""
    body = json.dumps({"name": uname("big"), "runtime": "python3",
                       "code": "#" * (2 * MIB)})
    r = raw_post(alice, UF, body)
    bad_input(r, "code")


@pytest.mark.parametrize("ctype", ["text/plain", "application/x-www-form-urlencoded",
                                   "application/xml", "multipart/form-data; boundary=x",
                                   None])
def test_415_wrong_content_type(alice, alice_fn, ctype):
    body = json.dumps({"name": uname("ct"), "runtime": "python3", "code": CODE})
    headers = {} if ctype is None else {"Content-Type": ctype}
    for method, path in (("POST", UF), ("PUT", f"{UF}/{alice_fn['id']}"),
                         ("POST", f"{UF}/{alice_fn['id']}/execute")):
        r = alice.s.request(method, BASE + path, data=body.encode(),
                            headers=headers, timeout=30)
        assert_error(r, 415, "unsupported_media_type")
        no_leak(r)
    assert alice.get(f"{UF}/{alice_fn['id']}").json()["version"] == 1


def test_content_type_with_charset_is_json(alice):
    r = raw_post(alice, UF, json.dumps({"name": uname("cs"), "runtime": "python3",
                                        "code": CODE}),
                 content_type="application/json; charset=utf-8")
    created(r)


@pytest.mark.parametrize("raw", [
    "", "{", "not json", "{\"name\": }", "[1,2", "{\"name\":\"a\",}",
    "{'name': 'a'}", "\"unterminated",
])
def test_400_invalid_json(alice, raw):
    r = raw_post(alice, UF, raw)
    assert_error(r, 400, "invalid_json")
    no_leak(r)


@pytest.mark.parametrize("raw", [
    b'{"name":"bad","runtime":"python3","code":"\xff\xfe"}',
    b'{"name":"bad","runtime":"python3","code":"\xc3\x28"}',
    b'{"name":"bad","runtime":"python3","code":"\xed\xa0\x80"}',  # surrogate
    b'{"name":"bad","runtime":"python3","code":"\xc0\xaf"}',      # overlong
    b'{"name":"bad","runtime":"python3","code":"x","files":{"a\xff.py":"1"}}',
])
def test_400_non_utf8_body_is_invalid_json(alice, raw):
    r = raw_post(alice, UF, raw)
    assert_error(r, 400, "invalid_json")
    no_leak(r)


@pytest.mark.parametrize("body", [[], 1, "s", None, True])
def test_400_body_not_an_object(alice, body):
    r = alice.post(UF, body)
    assert_error(r, 400, "invalid_input")  # JSON, of the wrong type
    no_leak(r)


@pytest.mark.parametrize("missing", ["name", "runtime", "code"])
def test_400_missing_required_field(alice, missing):
    body = {"name": uname("m"), "runtime": "python3", "code": CODE}
    del body[missing]
    bad_input(alice.post(UF, body), missing)


@pytest.mark.parametrize("field,value", [
    ("name", 5), ("runtime", ["python3"]), ("code", {"a": 1}), ("code", ""),
    ("files", ["a.py"]), ("files", {"a.py": 1}), ("handler", 1),
    ("description", 3), ("memory_mb", "128"), ("memory_mb", 128.5),
    ("timeout_ms", True), ("env", ["A=1"]), ("env", {"A": 1}),
    ("description", "d" * 1025), ("name", None),
])
def test_400_wrong_type_names_the_field(alice, field, value):
    body = {"name": uname("t"), "runtime": "python3", "code": CODE}
    body[field] = value
    bad_input(alice.post(UF, body), field)


def test_400_unknown_member(alice, alice_fn):
    body = {"name": uname("u"), "runtime": "python3", "code": CODE, "owner": 1}
    bad_input(alice.post(UF, body), "owner")
    r = alice.put(f"{UF}/{alice_fn['id']}", {"code": CODE, "user_id": 1})
    bad_input(r, "user_id")
    r = alice.post(f"{UF}/{alice_fn['id']}/execute", {"input": {}, "function": "x"})
    bad_input(r, "function")


# ------------------------------------------------------------ limits ----

def _upload(t, **fields):
    body = {"name": uname("lim"), "runtime": "python3", "code": CODE}
    body.update(fields)
    return t.post(UF, body)


@pytest.mark.parametrize("name", [
    "a", "a" * 63, "z0", "a-b_c", "a_", "a-", "x" + "9" * 62,
])
def test_name_accepted(name):
    alice = tenant("names")  # a fresh user: these names are free
    r = alice.upload(name)
    body = created(r)
    assert body["name"] == name
    assert alice.get(f"{UF}/{body['id']}").json()["name"] == name


@pytest.mark.parametrize("name", [
    "", "a" * 64, "A", "Abc", "aBc", "1abc", "_abc", "-abc", "a b", "a.b",
    "a/b", "é", "a\u0000b", "a\n", " a", "a'", "ä" * 10,
])
def test_name_refused(alice, name):
    bad_input(_upload(alice, name=name), "name")


def test_name_63_ok_64_refused(alice):
    base = "n" + secrets.token_hex(31)  # 63 chars
    assert len(base) == 63
    created(_upload(alice, name=base))
    bad_input(_upload(alice, name=base + "x"), "name")


@pytest.mark.parametrize("runtime", ["python", "python2", "Python3", "nodejs",
                                     "C", "go", "", "python3 ", "c\u0000"])
def test_runtime_refused(alice, runtime):
    bad_input(_upload(alice, runtime=runtime), "runtime")


@pytest.mark.parametrize("runtime,code", [
    ("python3", CODE),
    ("node", "module.exports.handle = async (event, context) => event;\n"),
    ("c", "#include <sopm.h>\nint handle(const char *e, size_t n, sopm_out *o)"
          "{ return sopm_out_write(o, e, n); }\n"),
])
def test_each_runtime_accepted(alice, runtime, code):
    body = created(_upload(alice, runtime=runtime, code=code))
    assert body["runtime"] == runtime
    got = alice.get(f"{UF}/{body['id']}").json()
    assert got["runtime"] == runtime and got["versions"][0]["runtime"] == runtime


def test_code_plus_files_exactly_1mib(alice):
    half = MIB // 2
    # code alone
    r = _upload(alice, code="#" * MIB)
    f = created(r)
    v = alice.get(f"{UF}/{f['id']}").json()["versions"][0]
    assert v["size_bytes"] == MIB
    bad_input(_upload(alice, code="#" * (MIB + 1)), "code")
    # code plus files
    created(_upload(alice, code="#" * half,
                    files={"util.py": "#" * (half - 10), "b/c.py": "#" * 10}))
    r = _upload(alice, code="#" * half,
                files={"util.py": "#" * (half - 10), "b/c.py": "#" * 11})
    bad_input(r, "code")
    # bytes, not characters: 2-byte characters
    created(_upload(alice, code="é" * half))
    bad_input(_upload(alice, code="é" * half + "x"), "code")


@pytest.mark.parametrize("field,lo,hi", [("memory_mb", 32, 1024),
                                         ("timeout_ms", 100, 60000)])
def test_limit_ranges(alice, field, lo, hi):
    for ok in (lo, hi):
        f = created(_upload(alice, **{field: ok}))
        got = alice.get(f"{UF}/{f['id']}").json()
        assert got[field] == ok
    for bad in (lo - 1, hi + 1, 0, -1, 2 ** 31, 2 ** 63 - 1):
        bad_input(_upload(alice, **{field: bad}), field)


def test_limit_defaults(alice):
    f = created(alice.upload(uname("def")))
    got = alice.get(f"{UF}/{f['id']}").json()
    assert got["memory_mb"] == 128 and got["timeout_ms"] == 5000
    assert got["handler"] == "handle" and got["env"] == {}


@pytest.mark.parametrize("path", [
    "/abs.py", "/", "..", "../x.py", "a/../b", "a/..", "./x", ".", "x/./y",
    "a//b", "//a", "a/", "dir/", "", "a\u0000b", "a b.py", "a\\b.py",
    "a?.py", "é.py", "a" * 256, "/".join(["d"] * 9), "x\n.py",
])
def test_files_bad_path(alice, path):
    bad_input(_upload(alice, files={path: "x = 1\n"}), "files")


def test_files_path_bounds(alice):
    created(_upload(alice, files={"a" * 255: "1"}))
    created(_upload(alice, files={"/".join(["d"] * 8): "1"}))
    created(_upload(alice, files={"A-b_c.d/E.F-g_h.py": "1", ".hidden": "1",
                                  "a..b": "1"}))


def test_files_count_bound(alice):
    created(_upload(alice, files={f"f{i}.py": "" for i in range(100)}))
    bad_input(_upload(alice, files={f"f{i}.py": "" for i in range(101)}), "files")


@pytest.mark.parametrize("runtime,entry,code", [
    ("python3", "main.py", CODE),
    ("node", "index.js", "module.exports.handle = async e => e;"),
    ("c", "main.c", "int handle(void);"),
])
def test_files_entry_file_refused(alice, runtime, entry, code):
    bad_input(_upload(alice, runtime=runtime, code=code,
                      files={entry: code}), "files")
    # The entry file of another runtime is an ordinary file.
    other = "index.js" if entry != "index.js" else "main.py"
    created(_upload(alice, runtime=runtime, code=code, files={other: "1"}))


def test_files_nul_in_text(alice):
    bad_input(_upload(alice, files={"a.py": "x\u0000y"}), "files")


def test_code_nul(alice):
    bad_input(_upload(alice, code="x\u0000y"), "code")


@pytest.mark.parametrize("field", ["name", "handler", "description"])
def test_nul_in_text_fields(alice, field):
    body = {"name": uname("nul"), "runtime": "python3", "code": CODE}
    body[field] = {"name": body["name"], "handler": "handle",
                   "description": "d"}[field] + "\u0000x"
    bad_input(alice.post(UF, body), field)
    assert body["name"].split("\u0000")[0] not in \
        [f["name"] for f in alice.get(UF).json()["functions"]]


def test_files_path_given_twice_in_raw_json(alice):
    name = uname("twice")
    raw = ('{"name":"%s","runtime":"python3","code":"x = 1",'
           '"files":{"a.py":"1","b.py":"2","a.py":"3"}}' % name)
    bad_input(raw_post(alice, UF, raw), "files")
    # Also when one spelling is escaped.
    raw = ('{"name":"%s","runtime":"python3","code":"x = 1",'
           '"files":{"a.py":"1","\\u0061.py":"3"}}' % name)
    bad_input(raw_post(alice, UF, raw), "files")
    assert name not in [f["name"] for f in alice.get(UF).json()["functions"]]


def test_env_name_given_twice_in_raw_json(alice):
    raw = ('{"name":"%s","runtime":"python3","code":"x = 1",'
           '"env":{"A":"1","A":"2"}}' % uname("twice"))
    bad_input(raw_post(alice, UF, raw), "env")


def test_top_level_member_given_twice(alice):
    raw = ('{"name":"%s","runtime":"python3","code":"x = 1",'
           '"memory_mb":64,"memory_mb":128}' % uname("twice"))
    bad_input(raw_post(alice, UF, raw), "memory_mb")


@pytest.mark.parametrize("env", [
    {"1A": "x"}, {"A-B": "x"}, {"": "x"}, {"A B": "x"}, {"É": "x"},
    {"A\u0000B": "x"}, {"A=B": "x"}, {"A" * 129: "x"},
    {"SOPM_X": "x"}, {"SOPM_": "x"},
    {"A": "x" * 4097}, {"A": "x\u0000y"},
    {f"E{i}": "x" * 4095 for i in range(8)},      # 8 * (2 + 4095) > 32 KiB
    {f"E{i}": "" for i in range(65)},              # too many
])
def test_env_refused(alice, env):
    bad_input(_upload(alice, env=env), "env")


def test_env_bounds_accepted(alice):
    env = {f"E{i}": "x" * 4094 for i in range(8)}  # exactly 32 KiB
    assert sum(len(k) + len(v) for k, v in env.items()) == 32 * 1024
    f = created(_upload(alice, env=env))
    assert alice.get(f"{UF}/{f['id']}").json()["env"] == env
    env = {"A" * 128: "v" * 4096, "_x": "", "sopm_lower": "1", "a1": "é"}
    f = created(_upload(alice, env=env))
    assert alice.get(f"{UF}/{f['id']}").json()["env"] == env


@pytest.mark.parametrize("runtime,handler,ok", [
    ("python3", "handle", True), ("python3", "util.handle", True),
    ("python3", "_h", True), ("python3", "H" * 128, True),
    ("node", "handle", True), ("c", "handle", True),
    ("python3", "", False), ("python3", "1h", False), ("python3", "a.b.c", False),
    ("python3", ".h", False), ("python3", "h.", False), ("python3", "h-h", False),
    ("python3", "H" * 129, False), ("node", "util.handle", False),
    ("c", "util.handle", False), ("python3", "h h", False),
    ("python3", "h()", False), ("python3", "h\u0000", False),
])
def test_handler_rules(alice, runtime, handler, ok):
    code = {"python3": CODE, "node": "module.exports.handle = async e => e;",
            "c": "int handle(void);"}[runtime]
    r = _upload(alice, runtime=runtime, code=code, handler=handler)
    if ok:
        f = created(r)
        assert alice.get(f"{UF}/{f['id']}").json()["handler"] == handler
    else:
        bad_input(r, "handler")


def test_description(alice):
    f = created(_upload(alice, description="ü" * 1024))
    assert alice.get(f"{UF}/{f['id']}").json()["description"] == "ü" * 1024
    bad_input(_upload(alice, description="d" * 1025), "description")


def test_put_is_validated_like_post(alice, alice_fn):
    path = f"{UF}/{alice_fn['id']}"
    bad_input(alice.put(path, {"code": CODE, "memory_mb": 31}), "memory_mb")
    bad_input(alice.put(path, {"code": CODE, "files": {"../x": "1"}}), "files")
    bad_input(alice.put(path, {"code": CODE, "env": {"SOPM_A": "1"}}), "env")
    bad_input(alice.put(path, {"code": CODE, "runtime": "go"}), "runtime")
    bad_input(alice.put(path, {"code": "#" * (MIB + 1)}), "code")
    bad_input(alice.put(path, {"runtime": "python3"}), "code")
    bad_input(alice.put(path, {"code": CODE, "name": "other-name"}), "name")
    bad_input(alice.put(path, {"code": CODE, "files": {"main.py": "1"}}), "files")
    r = raw_put(alice, path, '{"code":"x","env":{"A":"1","A":"2"}}')
    bad_input(r, "env")
    r = raw_put(alice, path, b'{"code":"\xff"}')
    assert_error(r, 400, "invalid_json")
    r = raw_put(alice, path, "{")
    assert_error(r, 400, "invalid_json")
    # None of that made a version.
    assert alice.get(path).json()["version"] == 1
    assert version_count(alice_fn["id"]) == 1


# ---------------------------------------------------------- versions ----

def test_versions_put_get_list_execute(alice):
    name = uname("ver")
    f = created(alice.upload(name, memory_mb=256, timeout_ms=1000,
                             env={"GREETING": "hi"}, description="first"))
    fid = f["id"]
    assert f["name"] == name and f["runtime"] == "python3"

    r = alice.put(f"{UF}/{fid}", {"code": CODE + "# v2\n", "memory_mb": 64,
                                  "env": {"B": "2"}, "handler": "util.handle",
                                  "files": {"util.py": CODE}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == {"id": fid, "name": name, "version": 2,
                    "status": body["status"], "runtime": "python3"}
    assert body["status"] in ("pending", "building")

    got = alice.get(f"{UF}/{fid}")
    assert got.status_code == 200, got.text
    g = got.json()
    assert g["id"] == fid and g["name"] == name and g["version"] == 2
    # PUT replaces: omitted settings take their defaults.
    assert g["memory_mb"] == 64 and g["timeout_ms"] == 5000
    assert g["env"] == {"B": "2"} and g["description"] == ""
    assert g["handler"] == "util.handle"
    assert RFC3339_MS.match(g["created_at"]) and RFC3339_MS.match(g["updated_at"])
    assert g["updated_at"] >= g["created_at"]
    vs = g["versions"]
    assert [v["version"] for v in vs] == [1, 2]
    for v in vs:
        assert v["status"] == "pending", v
        assert HEX64.match(v["code_sha256"]), v
        assert isinstance(v["build_log"], str)
        assert "image" in v and "digest" in v
        assert RFC3339_MS.match(v["created_at"]), v
    assert vs[0]["code_sha256"] != vs[1]["code_sha256"]
    assert vs[0]["handler"] == "handle" and vs[1]["handler"] == "util.handle"

    # Same code again: a new version with the same digest of code.
    r = alice.put(f"{UF}/{fid}", {"code": CODE, "name": name, "runtime": "python3"})
    assert r.status_code == 200 and r.json()["version"] == 3
    vs = alice.get(f"{UF}/{fid}").json()["versions"]
    assert vs[2]["code_sha256"] == vs[0]["code_sha256"]

    # Execute: an existing version that is not built -> 409; unknown -> 404.
    for v in (1, 2, 3):
        r = alice.post(f"{UF}/{fid}/execute", {"version": v, "input": {}})
        body = assert_error(r, 409, "conflict")
        assert str(v) in body["error"]["message"]
    for v in (4, 99, 2147483647):
        r = alice.post(f"{UF}/{fid}/execute", {"version": v})
        assert_error(r, 404, "not_found")
    for v in (0, -1, "1", 1.5, 2 ** 31):
        bad_input(alice.post(f"{UF}/{fid}/execute", {"version": v}), "version")
    bad_input(alice.post(f"{UF}/{fid}/execute", {"input": [1]}), "input")
    bad_input(alice.post(f"{UF}/{fid}/execute", {"async": "yes"}), "async")

    lst = alice.get(UF)
    assert lst.status_code == 200
    L = lst.json()
    assert L["count"] == len(L["functions"])
    mine = [x for x in L["functions"] if x["id"] == fid]
    assert len(mine) == 1
    m = mine[0]
    assert m["name"] == name and m["version"] == 3 and m["runtime"] == "python3"
    assert m["status"] == "pending"
    assert RFC3339_MS.match(m["created_at"]) and RFC3339_MS.match(m["updated_at"])
    assert "versions" not in m or isinstance(m["versions"], list)
    # The database agrees.
    assert version_count(fid) == 3
    assert fn_row(fid)[2] == "3"


def test_list_count_matches():
    t = tenant("count")
    assert t.get(UF).json() == {"count": 0, "functions": []}
    ids = [created(t.upload(uname("c"))) ["id"] for _ in range(3)]
    L = t.get(UF).json()
    assert L["count"] == 3 and [f["id"] for f in L["functions"]] == sorted(ids)


def test_put_keeps_runtime_or_changes_it(alice):
    f = created(alice.upload(uname("rt")))
    r = alice.put(f"{UF}/{f['id']}", {"code": "module.exports.handle = async e => e;",
                                      "runtime": "node"})
    assert r.status_code == 200 and r.json()["runtime"] == "node"
    r = alice.put(f"{UF}/{f['id']}", {"code": "module.exports.handle = async e => e;"})
    assert r.status_code == 200 and r.json()["runtime"] == "node"
    # The entry file is the runtime's (the current one when omitted).
    bad_input(alice.put(f"{UF}/{f['id']}", {"code": "x", "files": {"index.js": "1"}}),
              "files")


# --------------------------------------------------------- isolation ----

def test_isolation_between_users(alice, bob):
    a = created(alice.upload(uname("secret"), description="alice's"))
    b = created(bob.upload(uname("bobs")))
    aid = a["id"]
    before = fn_row(aid)
    versions_before = version_count(aid)

    # list: bob never sees alice's function
    assert aid not in [f["id"] for f in bob.get(UF).json()["functions"]]
    assert b["id"] not in [f["id"] for f in alice.get(UF).json()["functions"]]
    # get, update, delete, execute -> 404 (not 403), same as an unknown id
    r = bob.get(f"{UF}/{aid}")
    unknown = bob.get(f"{UF}/999999999")
    assert_error(r, 404, "not_found")
    assert r.json() == unknown.json()
    assert_error(bob.put(f"{UF}/{aid}", {"code": "evil"}), 404, "not_found")
    assert_error(bob.put(f"{UF}/{aid}", {"code": "evil", "name": a["name"]}),
                 404, "not_found")
    assert_error(bob.delete(f"{UF}/{aid}"), 404, "not_found")
    assert_error(bob.post(f"{UF}/{aid}/execute", {}), 404, "not_found")
    assert_error(bob.post(f"{UF}/{aid}/execute", {"version": 1}), 404, "not_found")
    # ?user_id=<alice> as a non-admin: 404
    for method, path in (("GET", UF), ("GET", f"{UF}/{aid}"),
                         ("DELETE", f"{UF}/{aid}")):
        r = bob.request(method, f"{path}?user_id={alice.user_id}")
        assert_error(r, 404, "not_found")
    assert_error(bob.put(f"{UF}/{aid}?user_id={alice.user_id}", {"code": "evil"}),
                 404, "not_found")
    assert_error(bob.post(f"{UF}/{aid}/execute?user_id={alice.user_id}", {}),
                 404, "not_found")
    # create for alice as a non-admin: 404, and nothing created
    n = int(sql(f"SELECT COUNT(*) FROM functions WHERE user_id = {alice.user_id}")[0][0])
    r = bob.post(f"{UF}?user_id={alice.user_id}",
                 {"name": uname("planted"), "runtime": "python3", "code": CODE})
    assert_error(r, 404, "not_found")
    assert int(sql(f"SELECT COUNT(*) FROM functions WHERE user_id = "
                   f"{alice.user_id}")[0][0]) == n

    # nothing changed
    assert fn_row(aid) == before
    assert version_count(aid) == versions_before
    g = alice.get(f"{UF}/{aid}").json()
    assert g["version"] == 1 and g["description"] == "alice's"
    assert len(g["versions"]) == 1
    assert_error(alice.post(f"{UF}/{aid}/execute", {}), 409, "conflict")


def test_non_admin_user_id_self_is_ignored(alice):
    r = alice.get(f"{UF}?user_id={alice.user_id}")
    assert r.status_code == 200
    assert r.json() == alice.get(UF).json()
    f = created(alice.post(f"{UF}?user_id={alice.user_id}",
                           {"name": uname("self"), "runtime": "python3", "code": CODE}))
    assert fn_row(f["id"])[0] == str(alice.user_id)
    assert alice.get(f"{UF}/{f['id']}?user_id={alice.user_id}").status_code == 200


@pytest.mark.parametrize("uid", ["abc", "0", "-1", "1.5", "", "1 OR 1=1",
                                 "01", "1e3", "9" * 19])
def test_bad_user_id_param(alice, boss, alice_fn, uid):
    for who in (alice, boss):
        bad_input(who.get(UF, params={"user_id": uid}), "user_id")
        bad_input(who.get(f"{UF}/{alice_fn['id']}", params={"user_id": uid}),
                  "user_id")
    bad_input(boss.post(UF, {"name": uname("b"), "runtime": "python3", "code": CODE},
                        params={"user_id": uid}), "user_id")


# ------------------------------------------------------------- admin ----

def test_admin_scoping(alice, boss):
    a = created(alice.upload(uname("managed")))
    aid = a["id"]
    # by id, without user_id
    g = boss.get(f"{UF}/{aid}")
    assert g.status_code == 200, g.text
    assert g.json()["name"] == a["name"] and g.json()["user_id"] == alice.user_id
    r = boss.put(f"{UF}/{aid}", {"code": CODE + "# by admin\n"})
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    assert alice.get(f"{UF}/{aid}").json()["version"] == 2
    assert fn_row(aid)[0] == str(alice.user_id)  # the owner stays alice
    assert_error(boss.post(f"{UF}/{aid}/execute", {}), 409, "conflict")
    assert_error(boss.post(f"{UF}/{aid}/execute", {"version": 7}), 404, "not_found")

    # listing: own only without user_id, alice's with it
    own = boss.get(UF).json()
    assert aid not in [f["id"] for f in own["functions"]]
    lst = boss.get(f"{UF}?user_id={alice.user_id}")
    assert lst.status_code == 200
    assert lst.json() == alice.get(UF).json()

    # create for alice
    name = uname("given")
    c = created(boss.post(f"{UF}?user_id={alice.user_id}",
                          {"name": name, "runtime": "python3", "code": CODE}))
    assert fn_row(c["id"])[0] == str(alice.user_id)
    assert c["id"] in [f["id"] for f in alice.get(UF).json()["functions"]]
    assert c["id"] not in [f["id"] for f in boss.get(UF).json()["functions"]]
    # the name is alice's now: a duplicate for her, fine for the admin
    assert_error(boss.post(f"{UF}?user_id={alice.user_id}",
                           {"name": name, "runtime": "python3", "code": CODE}),
                 409, "conflict")
    created(boss.upload(name))

    # an admin naming a user acts in that user's scope
    assert boss.get(f"{UF}/{aid}?user_id={alice.user_id}").status_code == 200
    assert_error(boss.get(f"{UF}/{aid}?user_id={new_user_id()}"),
                 404, "not_found")

    # unknown user
    ghost = int(sql("SELECT COALESCE(MAX(id), 0) + 1000000 FROM users")[0][0])
    for method, path in (("GET", UF), ("GET", f"{UF}/{aid}"),
                         ("DELETE", f"{UF}/{aid}")):
        assert_error(boss.request(method, f"{path}?user_id={ghost}"), 404, "not_found")
    assert_error(boss.post(f"{UF}?user_id={ghost}",
                           {"name": uname("ghost"), "runtime": "python3", "code": CODE}),
                 404, "not_found")
    assert_error(boss.put(f"{UF}/{aid}?user_id={ghost}", {"code": CODE}), 404, "not_found")
    assert int(sql(f"SELECT COUNT(*) FROM functions WHERE user_id = {ghost}")[0][0]) == 0

    # delete by id
    r = boss.delete(f"{UF}/{aid}")
    assert r.status_code == 204 and r.content == b""
    assert_error(alice.get(f"{UF}/{aid}"), 404, "not_found")
    assert fn_row(aid)[3] == "1"


def new_user_id():
    """A user other than the ones under test: a fresh tenant's id."""
    return new_tenant("other").user_id


def test_admin_with_user_id_of_non_owner_gets_404(alice, bob, boss):
    a = created(alice.upload(uname("scoped")))
    r = boss.get(f"{UF}/{a['id']}?user_id={bob.user_id}")
    assert_error(r, 404, "not_found")
    assert_error(boss.delete(f"{UF}/{a['id']}?user_id={bob.user_id}"), 404, "not_found")
    assert fn_row(a["id"])[3] == "0"


# ------------------------------------------------------- soft delete ----

def test_delete_is_soft_and_name_reusable(alice):
    name = uname("gone")
    f = created(alice.upload(name))
    fid = f["id"]
    alice.put(f"{UF}/{fid}", {"code": CODE + "#2\n"})
    r = alice.delete(f"{UF}/{fid}")
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert "Content-Length" not in r.headers  # RFC 9110 section 8.6
    assert "Content-Type" not in r.headers
    assert r.headers.get("X-Request-Id")
    assert_error(alice.get(f"{UF}/{fid}"), 404, "not_found")
    assert_error(alice.delete(f"{UF}/{fid}"), 404, "not_found")
    assert_error(alice.put(f"{UF}/{fid}", {"code": CODE}), 404, "not_found")
    assert_error(alice.post(f"{UF}/{fid}/execute", {}), 404, "not_found")
    assert fid not in [x["id"] for x in alice.get(UF).json()["functions"]]
    # the rows stay
    row = sql(f"SELECT deleted_at, name, user_id FROM functions WHERE id = {fid}")
    assert row and row[0][0] is not None and row[0][1] == name
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", row[0][0]), row
    assert version_count(fid) == 2
    # the name can be used again
    g = created(alice.upload(name))
    assert g["id"] != fid and g["version"] == 1
    L = [x for x in alice.get(UF).json()["functions"] if x["name"] == name]
    assert [x["id"] for x in L] == [g["id"]]
    # and deleted twice over
    assert alice.delete(f"{UF}/{g['id']}").status_code == 204
    h = created(alice.upload(name))
    assert len({fid, g["id"], h["id"]}) == 3


# ----------------------------------------------------- SQL injection ----

PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE users; --",
    "\\'",
    "\\",
    "\" OR \"\"=\"",
    "%27",
    "1 UNION SELECT id, name, key_sha256 FROM api_keys --",
    "'); DELETE FROM functions; --",
    "admin'--",
    "1' AND SLEEP(5)--",
    "\u2019 OR 1=1",
    "`name`",
    "0x27",
    "%00",
    "' OR 1=1 /*",
]


def counts():
    row = sql("SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM api_keys), "
              "(SELECT COUNT(*) FROM functions), "
              "(SELECT COUNT(*) FROM function_versions)")[0]
    return tuple(int(x) for x in row)


def no_sql_500(r, echo=()):
    assert r.status_code < 500, (r.status_code, r.text)
    assert 400 <= r.status_code or r.status_code in (200, 201, 204)
    if r.status_code >= 400:  # a success may carry the stored payloads
        no_leak(r, echo)
    return r


def test_sql_injection_everywhere():
    t = tenant("inject")
    victim = tenant("victim")
    vf = created(victim.upload(uname("victim")))
    base_fn = created(t.upload(uname("base")))
    before = counts()
    made_functions = made_versions = 0

    for p in PAYLOADS:
        # name: refused by its pattern
        r = no_sql_500(t.post(UF, {"name": p, "runtime": "python3", "code": CODE}))
        assert_error(r, 400, "invalid_input")
        # runtime, handler, env names, file paths: refused
        for body, field in (
                ({"runtime": p}, "runtime"),
                ({"handler": p}, "handler"),
                ({"env": {p: "x"}}, "env"),
                ({"files": {p: "x"}}, "files")):
            full = {"name": uname("i"), "runtime": "python3", "code": CODE}
            full.update(body)
            r = no_sql_500(t.post(UF, full), [p])
            if field == "files" and re.fullmatch(r"[A-Za-z0-9._-]+", p) \
                    and p not in (".", ".."):
                # a harmless path (e.g. 0x27): stored as it is
                f = created(r)
                made_functions += 1
                made_versions += 1
                hexfiles = sql(f"SELECT HEX(files) FROM function_versions "
                               f"WHERE function_id = {f['id']}")[0][0]
                assert json.loads(bytes.fromhex(hexfiles).decode()) == {p: "x"}
                continue
            bad_input(r, field, [p])
        # free text: stored literally
        files = {"util.py": p, "d/x.py": p + p}
        r = no_sql_500(t.post(UF, {"name": uname("i"), "runtime": "python3",
                                   "code": p, "description": p,
                                   "env": {"V": p}, "files": files}))
        f = created(r)
        made_functions += 1
        made_versions += 1
        g = t.get(f"{UF}/{f['id']}").json()
        assert g["description"] == p and g["env"] == {"V": p}
        hexcode, hexfiles = sql(f"SELECT HEX(code), HEX(files) FROM function_versions "
                                f"WHERE function_id = {f['id']}")[0]
        assert bytes.fromhex(hexcode).decode() == p
        assert json.loads(bytes.fromhex(hexfiles).decode()) == files
        # the same in a PUT
        r = no_sql_500(t.put(f"{UF}/{f['id']}", {"code": p + "2", "description": p,
                                                 "env": {"W": p}}))
        assert r.status_code == 200, r.text
        made_versions += 1
        g = t.get(f"{UF}/{f['id']}").json()
        assert g["description"] == p and g["env"] == {"W": p} and g["version"] == 2
        # execute with the payload as input
        r = no_sql_500(t.post(f"{UF}/{f['id']}/execute", {"input": {"q": p}}))
        assert_error(r, 409, "conflict")
        # a key made of the payload
        r = no_sql_500(t.s.get(BASE + UF, headers={"Authorization": ("Bearer " + p).encode()},
                               timeout=30))
        assert_error(r, 401, "unauthorized")

    import urllib.parse as up
    paths = ["1%20OR%201=1", "1'", "1%27", "1;DROP%20TABLE%20users", "1%20UNION%20SELECT%201",
             "1%27%20OR%20%271%27=%271", f"{vf['id']}%20OR%201=1", "%22%20OR%20%22%22=%22",
             f"{base_fn['id']}--", f"{base_fn['id']}%00", up.quote(f"{vf['id']}' OR '1'='1")]
    for path in paths:
        for method in ("GET", "DELETE"):
            r = no_sql_500(t.s.request(method, f"{BASE}{UF}/{path}", timeout=30))
            assert r.status_code in (404, 400), (path, r.status_code, r.text)
        r = no_sql_500(t.s.put(f"{BASE}{UF}/{path}", data=json.dumps({"code": CODE}),
                               headers=JSON, timeout=30))
        assert r.status_code in (404, 400), (path, r.text)
        r = no_sql_500(t.s.post(f"{BASE}{UF}/{path}/execute", data="{}",
                                headers=JSON, timeout=30))
        assert r.status_code in (404, 400), (path, r.text)

    queries = ["1 OR 1=1", f"{t.user_id} OR 1=1", f"{victim.user_id}' OR '1'='1",
               "1; DROP TABLE users", "' OR ''='", "1 UNION SELECT 1", "%27",
               f"{t.user_id}--", f"{t.user_id}\u0000"]
    for q in queries:
        for path in (UF, f"{UF}/{base_fn['id']}", f"{UF}/{vf['id']}"):
            r = no_sql_500(t.get(path, params={"user_id": q}))
            bad_input(r, "user_id")
        r = no_sql_500(t.post(UF, {"name": uname("q"), "runtime": "python3", "code": CODE},
                              params={"user_id": q}))
        bad_input(r, "user_id")
        r = no_sql_500(t.delete(f"{UF}/{vf['id']}", params={"user_id": q}))
        bad_input(r, "user_id")
        r = no_sql_500(t.put(f"{UF}/{base_fn['id']}", {"code": CODE},
                             params={"user_id": q}))
        bad_input(r, "user_id")
        r = no_sql_500(t.post(f"{UF}/{vf['id']}/execute", {}, params={"user_id": q}))
        bad_input(r, "user_id")
        # other query names are ignored or refused, never interpreted
        r = no_sql_500(t.get(UF + "?id=1%20OR%201=1&name=%27"))
        assert r.status_code in (200, 400)
        if r.status_code == 200:
            assert {f["user_id"] for f in r.json()["functions"]} == {t.user_id}

    after = counts()
    assert after[0] == before[0] and after[1] == before[1], (before, after)
    assert after[2] == before[2] + made_functions, (before, after)
    assert after[3] == before[3] + made_versions, (before, after)
    # the victim's function is untouched and still theirs
    g = victim.get(f"{UF}/{vf['id']}").json()
    assert g["version"] == 1 and fn_row(vf["id"])[3] == "0"
    assert victim.get(UF).json()["count"] == 1
    # the inject user's listing holds only its own functions
    L = t.get(UF).json()
    assert L["count"] == made_functions + 1
    assert {f["user_id"] for f in L["functions"]} == {t.user_id}


def test_sql_injection_admin_user_id():
    """Even for an admin, whose user_id is honoured, a payload is refused."""
    boss = tenant("injadm", admin=True)
    before = counts()
    for q in ("1 OR 1=1", "1; DROP TABLE users", "' OR ''='", "1 UNION SELECT 1"):
        bad_input(no_sql_500(boss.get(UF, params={"user_id": q})), "user_id")
        r = no_sql_500(boss.post(UF, {"name": uname("q"), "runtime": "python3",
                                      "code": CODE}, params={"user_id": q}))
        bad_input(r, "user_id")
    assert counts() == before


# ------------------------------------------------ errors leak nothing ----

def test_error_bodies_one_shape_and_no_leaks(alice, alice_fn):
    import requests
    anon = requests.Session()
    fid = alice_fn["id"]
    cases = [
        anon.get(BASE + UF, timeout=30),
        alice.get(f"{UF}/999999999"),
        alice.request("PATCH", f"{UF}/{fid}"),
        raw_post(alice, UF, "{"),
        raw_post(alice, UF, b"\xff"),
        raw_post(alice, UF, "{}", content_type="text/plain"),
        alice.post(UF, {"name": "x"}),
        alice.post(UF, {"name": "x", "runtime": "python3", "code": CODE, "zzz": 1}),
        alice.post(f"{UF}/{fid}/execute", {}),
        alice.post(f"{UF}/{fid}/execute", {"version": 99}),
        alice.upload(alice_fn["name"]),
        raw_post(alice, UF, '{"name":"x","runtime":"python3","code":"x",'
                            '"files":{"a":"1","a":"2"}}'),
    ]
    for r in cases:
        assert r.status_code >= 400
        assert r.headers["Content-Type"].startswith("application/json"), r.headers
        body = r.json()
        assert list(body) == ["error"], body
        assert set(body["error"]) == {"code", "message"}, body
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        assert r.headers.get("X-Request-Id")
        no_leak(r)


def test_request_id_echoed(alice):
    r = alice.get(UF, headers={"X-Request-Id": "regapi-test.1"})
    assert r.headers["X-Request-Id"] == "regapi-test.1"
    r = alice.get(f"{UF}/999999999", headers={"X-Request-Id": "regapi-test.2"})
    assert r.headers["X-Request-Id"] == "regapi-test.2"


def test_nul_in_path_is_refused(alice, alice_fn):
    for path in (f"{UF}/1%00", f"{UF}/{alice_fn['id']}%00", f"{UF}/%00{alice_fn['id']}"):
        r = alice.get(path)
        assert r.status_code in (400, 404), r.text
        assert r.json()["error"]["code"] in ("invalid_input", "not_found")
        no_leak(r)
