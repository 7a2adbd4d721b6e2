"""http_request, url_check and webhook against a local HTTP server that this
module starts (Python http.server in a thread, on 127.0.0.1).

Loopback is refused by default, so the allowed cases need a stack that
allows the server: the module appends `catalog.http_allow =
127.0.0.1:<port>` to the instance's sopm.conf and sends SIGHUP to the pool's
master (as test_pool.py does for reloads), then puts the file back. The
guard cases run with the allow-list empty.
"""
import hashlib
import hmac
import http.server
import json
import os
import signal
import socket
import threading
import time

import pytest

from conftest import STATE, assert_error, master_pid, wait_until, worker_pids

CAP = 1048576  # catalog.http_max_response_bytes by default


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hooks = []  # (headers, body bytes) received on /hook

    def log_message(self, *a):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _route(self):
        body = self._body()
        path = self.path.split("?")[0]
        srv = self.server
        if path == "/hello":
            return self._send(200, "héllo wörld".encode(), [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("X-Multi", "a"), ("X-Multi", "b"),
                ("X-Spaces", "  padded  ")])
        if path == "/echo":
            out = {"method": self.command, "body": body.decode("latin-1"),
                   "headers": {k.lower(): v for k, v in self.headers.items()}}
            return self._send(200, json.dumps(out).encode(),
                              [("Content-Type", "application/json")])
        if path == "/status":
            return self._send(int(self.path.split("=")[1]), b"x")
        if path == "/slow":
            time.sleep(2)
            return self._send(200, b"late")
        if path == "/big":
            n = int(self.path.split("=")[1])
            return self._send(200, b"a" * n)
        if path == "/badutf8":
            return self._send(200, b"a\xffb\xe2\x82c\xed\xa0\x80d\xf0\x9f\x98")
        if path == "/head405":
            if self.command == "HEAD":
                return self._send(405, b"", [("Allow", "GET")])
            return self._send(200, b"y" * 5000000)
        if path == "/hook":
            Handler.hooks.append((dict(self.headers), body))
            return self._send(204)
        if path == "/to":
            return self._send(302, b"", [("Location",
                                          self.path.split("=", 1)[1])])
        if path == "/see-other":
            return self._send(303, b"", [("Location", "/echo")])
        if path == "/keep":
            return self._send(307, b"", [("Location", "/echo")])
        if path == "/loop":
            return self._send(302, b"", [("Location", "/loop")])
        return self._send(404, b"no")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = \
        do_OPTIONS = _route


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Conf:
    """The instance's sopm.conf with an allow-list line, reloaded."""
    path = STATE / "sopm.conf"
    original = None
    current = ""

    @classmethod
    def allow(cls, value):
        if cls.original is None:
            cls.original = cls.path.read_text()
        if value == cls.current:
            return
        before = set(worker_pids())
        cls.path.write_text(cls.original +
                            "\ncatalog.http_allow = %s\n" % value)
        os.kill(master_pid(), signal.SIGHUP)
        wait_until(lambda: worker_pids() and
                   not (set(worker_pids()) & before),
                   timeout=30, what="the workers to reload")
        cls.current = value

    @classmethod
    def restore(cls):
        if cls.original is not None and cls.current != "":
            cls.path.write_text(cls.original)
            before = set(worker_pids())
            os.kill(master_pid(), signal.SIGHUP)
            wait_until(lambda: worker_pids() and
                       not (set(worker_pids()) & before),
                       timeout=30, what="the workers to reload")
            cls.current = ""


@pytest.fixture(scope="module", autouse=True)
def restore_conf():
    yield
    Conf.restore()


@pytest.fixture
def allowed(server):
    Conf.allow("127.0.0.1:%d" % server.server_port)
    return "http://127.0.0.1:%d" % server.server_port


@pytest.fixture
def default_conf(server):
    Conf.allow("")
    return "http://127.0.0.1:%d" % server.server_port


def run(api, fn, inp):
    r = api.execute(fn, inp)
    assert r.status_code == 200, r.text
    return r.json()["result"]


def refused(api, fn, inp, *words):
    body = assert_error(api.execute(fn, inp), 400, "invalid_input")
    msg = body["error"]["message"]
    assert "'url'" in msg, msg
    for w in words:
        assert w in msg, msg
    return msg


# ---- the guard, with the default (empty) allow-list ---------------------------

LOOPBACK_FORMS = ["localhost", "LocalHost.", "127.1", "0x7f.1", "2130706433",
                  "017700000001", "[::1]", "[::ffff:127.0.0.1]",
                  "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "127.0.0.1"]


@pytest.mark.parametrize("fn", ["http_request", "url_check", "webhook"])
def test_loopback_forms_are_refused(api, default_conf, server, fn):
    port = server.server_port
    for host in LOOPBACK_FORMS:
        inp = {"url": "http://%s:%d/hello" % (host, port)}
        if fn == "webhook":
            inp["payload"] = {}
        refused(api, fn, inp, "not a global address", "loopback")


def test_other_non_global_addresses_are_refused(api, default_conf):
    for host, why in [("0.0.0.0", "unspecified"), ("0", "unspecified"),
                      ("10.1.2.3", "private"), ("192.168.0.1", "private"),
                      ("172.16.5.4", "private"),
                      ("100.64.0.1", "CGNAT"), ("169.254.169.254",
                                                 "link-local"),
                      ("224.0.0.1", "multicast"),
                      ("255.255.255.255", "broadcast"),
                      ("[::]", "unspecified"), ("[fe80::1]", "link-local"),
                      ("[fc00::1]", "unique-local"),
                      ("[fd12::1]", "unique-local"),
                      ("[fec0::1]", "site-local"),
                      ("[ff02::1]", "multicast"),
                      ("[::ffff:10.0.0.1]", "private"),
                      ("[2002:a9fe:a9fe::1]", "link-local"),
                      ("[2001:db8::1]", "documentation")]:
        refused(api, "http_request", {"url": "http://%s/" % host},
                "not a global address", why)


def test_only_http_and_https(api, default_conf):
    for url in ["file:///etc/passwd", "gopher://127.0.0.1:70/", "dict://x/",
                "ftp://example.com/", "FILE:///etc/hostname"]:
        for fn in ("http_request", "url_check"):
            refused(api, fn, {"url": url}, "http or https")
        refused(api, "webhook", {"url": url, "payload": 1}, "http or https")
    for url in ["notaurl", "http://", "http:///x", "//x/y"]:
        refused(api, "http_request", {"url": url})


def test_name_that_resolves_to_loopback_is_refused_after_dns(
        api, default_conf, server):
    """The address is checked where the connection is opened: a host name
    that passes the URL check but resolves to 127.0.0.1 (this machine's own
    name, from /etc/hosts) is still refused."""
    name = _loopback_name()
    refused(api, "http_request",
            {"url": "http://%s:%d/hello" % (name, server.server_port)},
            "resolves to an address that is not global", "loopback")
    refused(api, "url_check",
            {"url": "http://%s:%d/hello" % (name, server.server_port)},
            "loopback")


def _loopback_name():
    for name in (socket.gethostname(), "ip6-localhost", "ip6-loopback"):
        try:
            infos = socket.getaddrinfo(name, 80, proto=socket.IPPROTO_TCP)
        except OSError:
            continue
        if name != "localhost" and infos and all(
                i[4][0] in ("127.0.0.1", "::1") or
                i[4][0].startswith("127.") for i in infos):
            return name
    pytest.skip("no host name other than localhost resolves to loopback")


# ---- allowed: the local server named by catalog.http_allow -------------------

def test_get_status_headers_body(api, allowed):
    out = run(api, "http_request", {"url": allowed + "/hello"})
    assert out["status"] == 200
    assert out["body"] == "héllo wörld"
    h = out["headers"]
    assert h["content-type"] == "text/plain; charset=utf-8"
    assert h["x-multi"] == "a, b"
    assert h["x-spaces"] == "padded"
    assert h["content-length"] == str(len("héllo wörld".encode()))
    assert all(k == k.lower() for k in h)
    assert isinstance(out["elapsed_ms"], int) and 0 <= out["elapsed_ms"] < 5000


def test_methods_headers_and_bodies_are_sent(api, allowed):
    out = run(api, "http_request", {
        "url": allowed + "/echo", "method": "PUT", "body": "plain ✓",
        "headers": {"X-Token": "abc", "Content-Type": "text/plain"}})
    echo = json.loads(out["body"])
    assert echo["method"] == "PUT"
    assert echo["body"].encode("latin-1") == "plain ✓".encode()
    assert echo["headers"]["x-token"] == "abc"
    assert echo["headers"]["content-type"] == "text/plain"
    # a value at the limit (8192 code points, 16 KiB of UTF-8) is sent whole
    out = run(api, "http_request", {"url": allowed + "/echo",
                                    "headers": {"X-Long": "é" * 8192}})
    got = json.loads(out["body"])["headers"]["x-long"]
    assert got.encode("latin-1").decode() == "é" * 8192
    # a body that is not a string goes as compact JSON
    payload = {"b": [1, 2.5, None], "a": "é"}
    out = run(api, "http_request", {"url": allowed + "/echo",
                                    "method": "POST", "body": payload})
    echo = json.loads(out["body"])
    assert echo["body"].encode("latin-1") == json.dumps(
        payload, separators=(",", ":"), ensure_ascii=False).encode()
    assert echo["headers"]["content-type"] == "application/json"
    for m in ("GET", "DELETE", "PATCH", "OPTIONS", "post", "put"):
        out = run(api, "http_request", {"url": allowed + "/echo",
                                        "method": m})
        assert json.loads(out["body"])["method"] == m.upper()
    out = run(api, "http_request", {"url": allowed + "/hello",
                                    "method": "HEAD"})
    assert out["status"] == 200 and out["body"] == ""


def test_bad_request_headers(api, allowed):
    for h in [{"Host": "x"}, {"Content-Length": "5"}, {"bad name": "x"},
              {"X-A": "line\r\nInjected: 1"}, {"": "x"}]:
        body = assert_error(api.execute("http_request", {
            "url": allowed + "/echo", "headers": h}), 400, "invalid_input")
        assert "'headers" in body["error"]["message"], body
    assert_error(api.execute("http_request", {
        "url": allowed + "/echo", "method": "HEAD", "body": "x"}),
        400, "invalid_input")


def test_status_codes_are_results(api, allowed):
    for s in (201, 404, 418, 500, 503):
        out = run(api, "http_request", {"url": allowed + "/status?c=%d" % s})
        assert out["status"] == s


def test_invalid_utf8_is_replaced(api, allowed):
    out = run(api, "http_request", {"url": allowed + "/badutf8"})
    want = b"a\xffb\xe2\x82c\xed\xa0\x80d\xf0\x9f\x98".decode("utf-8",
                                                              "replace")
    assert out["body"] == want


def test_timeout(api, allowed):
    t0 = time.time()
    msg = refused(api, "http_request", {"url": allowed + "/slow",
                                        "timeout_ms": 300}, "timeout_ms")
    assert time.time() - t0 < 1.8, msg
    out = run(api, "url_check", {"url": allowed + "/slow",
                                 "timeout_ms": 300})
    assert out["reachable"] is False and out["status"] is None
    refused(api, "webhook", {"url": allowed + "/slow", "payload": {},
                             "timeout_ms": 300}, "timeout_ms")


def test_response_size_cap(api, allowed):
    out = run(api, "http_request", {"url": allowed + "/big?n=%d" % CAP})
    assert len(out["body"]) == CAP
    refused(api, "http_request", {"url": allowed + "/big?n=%d" % (CAP + 1)},
            "over %d bytes" % CAP)


def test_redirects(api, allowed, server):
    # to the same allowed host: followed
    out = run(api, "http_request", {"url": allowed + "/to?l=/hello"})
    assert out["status"] == 200 and out["body"] == "héllo wörld"
    # 303 turns a POST into a GET, 307 keeps it with its body
    out = run(api, "http_request", {"url": allowed + "/see-other",
                                    "method": "POST", "body": "x"})
    assert json.loads(out["body"])["method"] == "GET"
    out = run(api, "http_request", {"url": allowed + "/keep",
                                    "method": "POST", "body": "kept"})
    echo = json.loads(out["body"])
    assert echo["method"] == "POST" and echo["body"] == "kept"
    # at most 5 are followed; the 6th answer is the result
    out = run(api, "http_request", {"url": allowed + "/loop"})
    assert out["status"] == 302 and out["headers"]["location"] == "/loop"
    assert run(api, "url_check", {"url": allowed + "/to?l=/hello"}) \
        ["status"] == 200


def test_redirect_from_allowed_host_to_loopback_is_refused(api, allowed,
                                                           server):
    port = server.server_port
    other = _free_port()
    # another port of the same address is not what the allow-list names
    for target in ["http://127.0.0.1:%d/hello" % other,
                   "http://localhost:%d/hello" % port,
                   "http://127.1:%d/hello" % other,
                   "http://[::1]:%d/hello" % port,
                   "http://0x7f.1:%d/" % other]:
        for fn in ("http_request", "url_check"):
            refused(api, fn, {"url": allowed + "/to?l=" + target},
                    "redirect", "loopback")
    # a name that resolves to loopback: refused when connecting
    name = _loopback_name()
    refused(api, "http_request", {
        "url": allowed + "/to?l=http://%s:%d/hello" % (name, port)},
        "resolves to an address that is not global")


def test_redirect_to_other_schemes_is_refused(api, allowed):
    for target in ["file:///etc/passwd", "gopher://127.0.0.1:70/",
                   "dict://127.0.0.1:2628/"]:
        refused(api, "http_request", {"url": allowed + "/to?l=" + target},
                "redirect", "http or https")


def test_url_check(api, allowed):
    out = run(api, "url_check", {"url": allowed + "/hello"})
    assert out["reachable"] is True and out["status"] == 200
    assert isinstance(out["elapsed_ms"], int)
    # HEAD answered 405: GET (its 5 MB body is not read)
    out = run(api, "url_check", {"url": allowed + "/head405"})
    assert out == {"reachable": True, "status": 200,
                   "elapsed_ms": out["elapsed_ms"]}
    out = run(api, "url_check", {"url": allowed + "/nothing-here"})
    assert out["reachable"] is True and out["status"] == 404
    # nothing listens there: not reachable (the port is allowed too)
    port = _free_port()
    Conf.allow("127.0.0.1")
    try:
        out = run(api, "url_check", {"url": "http://127.0.0.1:%d/" % port})
        assert out["reachable"] is False and out["status"] is None
        refused(api, "http_request", {"url": "http://127.0.0.1:%d/" % port},
                "connection")
    finally:
        Conf.allow("127.0.0.1:%d" % int(allowed.rsplit(":", 1)[1]))
    out = run(api, "url_check", {"url": "http://nonexistent.invalid/"})
    assert out["reachable"] is False and out["status"] is None


def test_webhook_signature(api, allowed):
    Handler.hooks.clear()
    payload = {"event": "ping", "n": [1, 2.5, 1e100, None, True],
               "text": "é😀\n\"", "nested": {"z": 1, "a": {}}}
    out = run(api, "webhook", {"url": allowed + "/hook", "payload": payload,
                               "secret": "s3cr3t ✓"})
    assert out["status"] == 204 and isinstance(out["elapsed_ms"], int)
    headers, body = Handler.hooks[-1]
    assert body == json.dumps(payload, separators=(",", ":"),
                              ensure_ascii=False).encode()
    assert headers["Content-Type"] == "application/json"
    want = hmac.new("s3cr3t ✓".encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Signature"] == "sha256=" + want
    # no secret, no signature; any JSON value as payload
    out = run(api, "webhook", {"url": allowed + "/hook", "payload": [1, "a"]})
    headers, body = Handler.hooks[-1]
    assert "X-Signature" not in headers and body == b'[1,"a"]'
    # redirects are not followed
    out = run(api, "webhook", {"url": allowed + "/to?l=/hook",
                               "payload": {}})
    assert out["status"] == 302
    out = run(api, "webhook", {"url": allowed + "/status?c=500",
                               "payload": {}})
    assert out["status"] == 500


def _self_signed(tmp_path):
    """A certificate for 127.0.0.1 that no CA signed (python3-cryptography)."""
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "c.pem", tmp_path / "k.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return cert_path, key_path


def test_https_with_an_untrusted_certificate_fails(api, server, tmp_path):
    """TLS is verified: a self-signed certificate is no HTTP answer."""
    import ssl
    cert, key = _self_signed(tmp_path)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        Conf.allow("127.0.0.1")
        url = "https://127.0.0.1:%d/hello" % srv.server_port
        refused(api, "http_request", {"url": url}, "TLS")
        out = run(api, "url_check", {"url": url})
        assert out["reachable"] is False and out["status"] is None
    finally:
        srv.shutdown()
        srv.server_close()


# ---- more forms of the guard, the allow-list's matching, slow servers --------

MORE_REFUSED = [
    # IPv6 spellings of loopback and of other non-global addresses
    ("[0:0:0:0:0:ffff:7f00:1]", "loopback"), ("[::ffff:7f00:1]", "loopback"),
    ("[0::1]", "loopback"), ("[::1%25lo]", "loopback"),
    ("[fe80::1%25lo]", "link-local"), ("[2002:7f00:1::]", "loopback"),
    ("[64:ff9b::7f00:1]", "loopback"), ("[::ffff:169.254.169.254]",
                                        "link-local"),
    ("[::ffff:0.0.0.0]", "unspecified"), ("[::7f00:1]", "reserved"),
    ("[100::1]", "discard"),
    # IPv4 spellings
    ("127.0.0.1.", "loopback"), ("0177.0.0.1", "loopback"),
    ("0x7f000001", "loopback"), ("127.000.000.001", "loopback"),
    ("0x7f.0x0.0x0.0x1", "loopback"), ("127.0.1", "loopback"),
    ("%31%32%37.0.0.1", "loopback"), ("LOCALHOST", "loopback"),
    ("foo.localhost", "loopback"),
    # userinfo does not hide the host
    ("a@127.0.0.1", "loopback"), ("example.org@127.0.0.1", "loopback"),
    ("a:b@[::1]", "loopback"),
    # other special-purpose IPv4 ranges
    ("100.127.255.254", "CGNAT"), ("192.0.0.8", "reserved"),
    ("198.18.0.1", "benchmarking"), ("198.19.255.255", "benchmarking"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "broadcast"),
    ("169.254.169.254", "link-local"), ("192.0.2.1", "documentation"),
    ("239.255.255.250", "multicast"),
]


@pytest.mark.parametrize("fn", ["http_request", "url_check", "webhook"])
def test_more_spellings_are_refused(api, default_conf, server, fn):
    port = server.server_port
    for host, why in MORE_REFUSED:
        for url in ("http://%s:%d/hello" % (host, port),
                    "HTTP://%s/" % host, "hTTpS://%s/x#@example.org" % host):
            inp = {"url": url}
            if fn == "webhook":
                inp["payload"] = {}
            refused(api, fn, inp, "not a global address", why)


def test_whitespace_and_control_characters_never_reach_loopback(
        api, default_conf, server):
    port = server.server_port
    for url in [" http://127.0.0.1:%d/" % port, "http://127.0.0.1:%d/ " % port,
                "\thttp://127.0.0.1:%d/" % port,
                "http://127.0.0.1:%d/\n" % port,
                "http://127.0.0.1\t:%d/" % port,
                "http://127.0.0.1\\@example.org:%d/" % port,
                "http:\\\\127.0.0.1:%d/" % port,
                "http://127.0.0.1%%00.example.org:%d/" % port,
                "http://\u2460\u2461\u2466.0.0.1:%d/" % port,
                "http://\uff11\uff12\uff17.0.0.1:%d/" % port]:
        # refused by the guard or not a usable URL: never an answer
        refused(api, "http_request", {"url": url, "timeout_ms": 2000})


def test_allow_list_matching(api, server):
    port = server.server_port
    other = _free_port()
    # a name entry: case-insensitive, on its port
    Conf.allow(" LocalHost:%d , 10.9.9.9 " % port)
    for host in ("localhost", "LOCALHOST", "LocalHost"):
        out = run(api, "http_request",
                  {"url": "http://%s:%d/hello" % (host, port)})
        assert out["status"] == 200
    # not on another port, not by another name of the same address
    refused(api, "url_check", {"url": "http://localhost:%d/" % other},
            "loopback")
    refused(api, "http_request",
            {"url": "http://127.0.0.1:%d/hello" % port}, "loopback")
    refused(api, "http_request",
            {"url": "http://foo.localhost:%d/hello" % port}, "loopback")
    # an address entry: any spelling libcurl normalizes to it, any port
    Conf.allow("127.0.0.1")
    for host in ("127.0.0.1", "127.1", "0x7f.1", "2130706433"):
        out = run(api, "http_request",
                  {"url": "http://%s:%d/hello" % (host, port)})
        assert out["status"] == 200
    refused(api, "http_request", {"url": "http://127.0.0.2:%d/" % port},
            "loopback")
    refused(api, "http_request", {"url": "http://[::1]:%d/" % port},
            "loopback")
    refused(api, "http_request", {"url": "http://localhost:%d/" % port},
            "loopback")


class SilentServer:
    """Accepts connections and then says nothing (or trickles a byte a
    second with trickle=True), until closed."""

    def __init__(self, trickle=False):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.trickle = trickle
        self.conns = []
        self.done = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.done.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)
            if self.trickle:
                threading.Thread(target=self._trickle, args=(c,),
                                 daemon=True).start()

    def _trickle(self, c):
        try:
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            while not self.done.wait(0.2):
                c.sendall(b"a")
        except OSError:
            pass

    def close(self):
        self.done.set()
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.mark.parametrize("trickle", [False, True])
def test_a_server_that_never_answers_ends_at_timeout_ms(api, server, trickle):
    srv = SilentServer(trickle)
    try:
        Conf.allow("127.0.0.1:%d" % srv.port)
        url = "http://127.0.0.1:%d/" % srv.port
        for timeout in (1, 700):
            t0 = time.time()
            refused(api, "http_request", {"url": url, "timeout_ms": timeout},
                    "timeout_ms")
            assert time.time() - t0 < timeout / 1000 + 1.0
            t0 = time.time()
            inp = {"url": url, "payload": [], "timeout_ms": timeout}
            if trickle and timeout > 1:  # webhook wants the status only
                assert run(api, "webhook", inp)["status"] == 200
            else:
                refused(api, "webhook", inp, "timeout_ms")
            assert time.time() - t0 < timeout / 1000 + 1.0
        t0 = time.time()
        out = run(api, "url_check", {"url": url, "timeout_ms": 700})
        assert time.time() - t0 < 1.7
        if trickle:  # the status line came: reachable
            assert out["reachable"] is True and out["status"] == 200
        else:
            assert out["reachable"] is False and out["status"] is None
    finally:
        srv.close()


class ChunkedHandler(Handler):
    def _route(self):
        path = self.path.split("?")[0]
        if path == "/chunked":
            n = int(self.path.split("=")[1])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            left = n
            while left:
                k = min(left, 65536)
                self.wfile.write(b"%x\r\n" % k + b"b" * k + b"\r\n")
                left -= k
            self.wfile.write(b"0\r\n\r\n")
            return
        if path == "/raw-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Bin: a\xffb\r\n"
                             b"X-Empty:\r\nX-Fold: one\r\n  two\r\n"
                             b"Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                             b"Content-Length: 0\r\n\r\n")
            return
        if path == "/head405-silent":
            if self.command == "HEAD":
                return self._send(405, b"")
            time.sleep(3)
            return self._send(200, b"late")
        return super()._route()

    do_GET = do_POST = do_HEAD = _route


def test_size_cap_without_content_length_and_header_shapes(api):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ChunkedHandler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        base = "http://127.0.0.1:%d" % srv.server_port
        Conf.allow("127.0.0.1:%d" % srv.server_port)
        out = run(api, "http_request", {"url": base + "/chunked?n=%d" % CAP})
        assert out["body"] == "b" * CAP
        refused(api, "http_request",
                {"url": base + "/chunked?n=%d" % (CAP + 1)},
                "over %d bytes" % CAP)
        # the status alone does not need the body: url_check still answers
        out = run(api, "url_check",
                  {"url": base + "/chunked?n=%d" % (5 * CAP)})
        assert out["reachable"] is True and out["status"] == 200
        out = run(api, "http_request", {"url": base + "/raw-headers"})
        h = out["headers"]
        assert h["x-bin"] == b"a\xffb".decode("utf-8", "replace")
        assert h["x-empty"] == ""
        assert h["x-fold"] == "one two"
        assert h["set-cookie"] == "a=1, b=2"
        assert all(isinstance(v, str) for v in h.values())
        # HEAD 405, then the GET gets no answer in time: the 405 stands
        t0 = time.time()
        out = run(api, "url_check", {"url": base + "/head405-silent",
                                     "timeout_ms": 800})
        assert out["reachable"] is True and out["status"] == 405
        assert time.time() - t0 < 1.8
    finally:
        srv.shutdown()
        srv.server_close()


def test_webhook_signature_edges(api, allowed):
    """The signature is over the exact bytes sent, whatever the secret."""
    for secret, payload in [("", {"a": 1}), ("k" * 300, "é\u2028"),
                            ("\u00e9\U0001F600", [1.5, -0.0, 1e-7, 2 ** 62]),
                            ("k\u0000ey", {"f": [1e16, 1e-5, 0.1, 1e22, 5e-324,
                                                  1.7976931348623157e308,
                                                  2 ** 63 - 1, -2 ** 63],
                                            "s": "\u0000\u001f\u007f\u2028"
                                                 "\ud7ff\U0010ffff<>&'",
                                            "": {"z": None, "a": True}})]:
        Handler.hooks.clear()
        run(api, "webhook", {"url": allowed + "/hook", "payload": payload,
                             "secret": secret})
        headers, body = Handler.hooks[-1]
        assert body == json.dumps(payload, separators=(",", ":"),
                                  ensure_ascii=False).encode()
        want = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Signature"] == "sha256=" + want


def test_url_holding_nul_is_refused(api, allowed):
    """libcurl reads a C string: a URL holding U+0000 must not become the
    URL before it (here an allowed one that answers 200)."""
    for fn in ("http_request", "url_check", "webhook"):
        inp = {"url": allowed + "/hello\u0000.evil.example/"}
        if fn == "webhook":
            inp["payload"] = {}
        refused(api, fn, inp, "U+0000")
        inp["url"] = allowed + "/hello"
        assert run(api, fn, inp)["status"] == 200
