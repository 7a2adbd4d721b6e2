"""The runtime shims (python3, node, c) and /sopm/init, run on the host.

Each test runs the real launcher and shim as an image would, with the
protocol on the launcher's stdin/stdout and the log on its stderr
(docs/runtimes.md). The session builds /sopm/init and the C functions with
gcc into a temporary folder and writes the user code of every runtime
there; SOPM_FN_DIR names it instead of /fn. Nothing is mocked and no
service is started. Run: python3 -m pytest tests/runtimes
"""
import json
import os
import pathlib
import re
import select
import subprocess
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RUNTIMES = ROOT / "runtimes"
PYTHON = "/usr/bin/python3"
NODE = "/usr/bin/node"
GCC = "gcc"
NO_DEADLINE_MS = 2147483647

# What a user's child process sees of fds 3 and 4 (dash: a failed
# redirection of a subshell ends only that subshell).
PROBE = ("(: >&3) 2>/dev/null && echo fd3=open || echo fd3=closed; "
         "(: >&4) 2>/dev/null && echo fd4=open || echo fd4=closed")

PY_MAIN = r'''
import os
import subprocess
import sys

COUNT = 0
PROBE = %r


def handle(event, context):
    global COUNT
    COUNT += 1
    op = event.get("op") if isinstance(event, dict) else None
    if op == "count":
        return {"count": COUNT}
    if op == "context":
        return {"function_name": context.function_name,
                "function_version": context.function_version,
                "job_id": context.job_id, "deadline_ms": context.deadline_ms,
                "remaining": context.get_remaining_time_in_millis()}
    if op == "where":
        return {"cwd": os.getcwd(), "path0": sys.path[0]}
    if op == "log":
        print("stdout-line", COUNT)
        print("stderr-line", COUNT, file=sys.stderr)
        subprocess.run(["echo", "child-line"], check=True)
        os.system("echo system-line")
        return "logged"
    if op == "raise":
        raise ValueError(f"boom {COUNT}")
    if op == "fds":
        os.system(PROBE)
        return None
    if op == "exit":
        sys.exit(3)
    if op == "set":
        return {"s": {1, 2}}
    if op == "nan":
        return float("nan")
    if op == "circular":
        d = {}
        d["d"] = d
        return d
    if op == "surrogate":
        return "\ud800"
    if op == "async":
        async def later():
            return "awaited"
        return later()
    return event


def sync(event, context):
    return {"sync": event}


notfn = 3
''' % PROBE

PY_UTIL = '''
from lib import helper


def greet(event, context):
    return helper.greeting(event["name"])
'''

PY_HELPER = '''
def greeting(name):
    return "hello " + name
'''

PY_BAD_IMPORT = '''
import json

raise RuntimeError("boom at import")
'''

PY_SYNTAX = '''
def handle(event, context:
    return 1
'''

PY_THREAD = '''
import threading
import time

threading.Thread(target=time.sleep, args=(60,)).start()


def handle(event, context):
    return 1
'''

NODE_INDEX = r'''
const { execSync } = require('child_process');
const PROBE = %s;
let count = 0;

exports.handle = async (event, context) => {
  count++;
  const op = event && typeof event === 'object' ? event.op : undefined;
  switch (op) {
    case 'count': return { count };
    case 'context': return {
      function_name: context.functionName, function_version: context.functionVersion,
      job_id: context.jobId, deadline_ms: context.deadlineMs,
      remaining: context.getRemainingTimeInMillis() };
    case 'where': return { cwd: process.cwd() };
    case 'log':
      console.log(`stdout-line ${count}`);
      console.error(`stderr-line ${count}`);
      execSync('echo child-line', { stdio: 'inherit' });
      return 'logged';
    case 'raise': throw new Error(`boom ${count}`);
    case 'fds': execSync(PROBE, { stdio: 'inherit' }); return null;
    case 'exit': process.exit(3);
    case 'later': await new Promise((r) => setTimeout(r, 20)); return 'later';
    case 'undefined': return undefined;
    case 'nan': return NaN;
    case 'bigint': return { n: 1n };
    case 'circular': { const o = {}; o.o = o; return o; }
    case 'throw_string': throw 'plain string';
    case 'throw_object': throw { code: 42 };
    case 'never': return new Promise(() => {});
    case 'uncaught':
      setTimeout(() => { throw new Error('late boom'); }, 0);
      return new Promise((r) => setTimeout(r, 500));
    case 'unhandled':
      Promise.reject(new Error('nobody awaits this'));
      return new Promise((r) => setTimeout(r, 500));
    default: return event;
  }
};
exports.sync = (event) => ({ sync: event });
exports.notfn = 3;
''' % json.dumps(PROBE)

NODE_BAD = '''
const x = 1;
throw new Error('boom at load');
'''

NODE_INTERVAL = '''
setInterval(() => {}, 1000);
exports.handle = () => 1;
'''

NODE_ESM = '''
export const handle = async (event) => ({ esm: event });
'''

C_MAIN = r'''
#include <sopm.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROBE %s

static int count;

static int is(const char *event, const char *op)
{
	char key[64];

	snprintf(key, sizeof key, "\"op\":\"%%s\"", op);
	return strstr(event, key) != NULL;
}

static int too_big(sopm_out *out)
{
	static char chunk[1 << 20];
	int i;

	memset(chunk, ' ', sizeof chunk);
	for (i = 0; sopm_out_write(out, chunk, sizeof chunk) == 0; i++)
		;
	fprintf(stderr, "refused after %%d MiB: %%s\n", i,
	        errno == EFBIG ? "EFBIG" : strerror(errno));
	return 0;
}

int handle(const char *event_json, size_t len, sopm_out *out)
{
	char cwd[4096];
	const sopm_context *c = sopm_context_get();

	count++;
	if (is(event_json, "count"))
		return sopm_out_printf(out, "{\"count\":%%d}", count) != 0;
	if (is(event_json, "context"))
		return sopm_out_printf(out,
		                       "{\"function_name\":\"%%s\","
		                       "\"function_version\":%%lld,"
		                       "\"job_id\":\"%%s\",\"deadline_ms\":%%lld,"
		                       "\"remaining\":%%lld}",
		                       c->function_name, c->function_version,
		                       c->job_id, c->deadline_ms,
		                       sopm_remaining_ms()) != 0;
	if (is(event_json, "where"))
		return getcwd(cwd, sizeof cwd) == NULL ||
		       sopm_out_printf(out, "{\"cwd\":\"%%s\"}", cwd) != 0;
	if (is(event_json, "log")) {
		printf("stdout-line %%d\n", count);
		fprintf(stderr, "stderr-line %%d\n", count);
		if (system("echo system-line") != 0)
			return 1;
		return sopm_out_write(out, "\"logged\"", 8) != 0;
	}
	if (is(event_json, "raise")) {
		sopm_out_printf(out, "boom %%d", count);
		return 3;
	}
	if (is(event_json, "fail_silent"))
		return 5;
	if (is(event_json, "fds"))
		return system(PROBE) != 0;
	if (is(event_json, "exit"))
		exit(3);
	if (is(event_json, "len"))
		return sopm_out_printf(out, "{\"len\":%%zu,\"nul\":%%d}", len,
		                       event_json[len] == '\0') != 0;
	if (is(event_json, "too_big"))
		return too_big(out);
	return sopm_out_write(out, event_json, len) != 0;
}
''' % json.dumps(PROBE)

# A handler named "other"; a "handle" of another type must not clash.
C_OTHER = r'''
#include <sopm.h>

int handle(int x);

int handle(int x)
{
	return x + 1;
}

int other(const char *event_json, size_t len, sopm_out *out)
{
	(void)event_json;
	return sopm_out_printf(out, "{\"other\":%zu,\"h\":%d}", len,
	                       handle(1)) != 0;
}
'''

BUILDER_CFLAGS = ["-Wall", "-Werror", "-O2", "-static"]
STYLE_CFLAGS = ["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-Wshadow",
                "-Wstrict-prototypes", "-Wmissing-prototypes",
                "-Wwrite-strings", "-Wformat=2", "-Wvla", "-fno-common"]


def gcc(*args):
    p = subprocess.run([GCC, *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p


def write_tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


class Env:
    """The built launcher, and per runtime the argv and user code folder."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.init = tmp / "init"
        gcc("-static", "-O2", "-Wall", "-Wextra", "-Werror",
            RUNTIMES / "init" / "sopm_init.c", "-o", self.init)
        self.fn = {}
        self.fn["python3"] = write_tree(tmp / "fn_py", {
            "main.py": PY_MAIN, "util.py": PY_UTIL,
            "lib/helper.py": PY_HELPER})
        self.fn["py_bad"] = write_tree(tmp / "fn_py_bad",
                                       {"main.py": PY_BAD_IMPORT})
        self.fn["py_syntax"] = write_tree(tmp / "fn_py_syntax",
                                          {"main.py": PY_SYNTAX})
        self.fn["py_thread"] = write_tree(tmp / "fn_py_thread",
                                          {"main.py": PY_THREAD})
        self.fn["node"] = write_tree(tmp / "fn_node", {"index.js": NODE_INDEX})
        self.fn["node_bad"] = write_tree(tmp / "fn_node_bad",
                                         {"index.js": NODE_BAD})
        self.fn["node_interval"] = write_tree(tmp / "fn_node_interval",
                                              {"index.js": NODE_INTERVAL})
        self.fn["node_esm"] = write_tree(tmp / "fn_node_esm", {
            "index.js": NODE_ESM, "package.json": '{"type": "module"}'})
        self.fn["c"] = write_tree(tmp / "fn_c", {"main.c": C_MAIN})
        self.fn["c_other"] = write_tree(tmp / "fn_c_other",
                                        {"main.c": C_OTHER})
        shim_c = RUNTIMES / "c" / "sopm_shim.c"
        inc = "-I" + str(RUNTIMES / "c")
        gcc(*BUILDER_CFLAGS, inc, self.fn["c"] / "main.c", shim_c,
            "-o", self.fn["c"] / "fn")
        gcc(*BUILDER_CFLAGS, "-DSOPM_HANDLER=other", inc,
            self.fn["c_other"] / "main.c", shim_c,
            "-o", self.fn["c_other"] / "fn")

    def argv(self, runtime, handler="handle"):
        if runtime in ("python3", "py_bad", "py_syntax", "py_thread"):
            return [PYTHON, "-B", "-s", str(RUNTIMES / "python3" / "shim.py"),
                    handler]
        if runtime.startswith("node"):
            return [NODE, str(RUNTIMES / "node" / "shim.js"), handler]
        return [str(self.fn[runtime] / "fn")]

    def check_argv(self, runtime, handler):
        argv = self.argv(runtime, handler)
        return argv[:-1] + ["--check", handler]

    def environ(self, runtime, fn_dir=None):
        return {"PATH": "/usr/bin:/bin",
                "SOPM_FN_DIR": str(fn_dir or self.fn[runtime])}

    def run(self, runtime, data=b"", handler="handle", launcher=True,
            argv=None, timeout=20, fn_dir=None, extra_env=None):
        """Runs a shim with data as its whole protocol input."""
        argv = argv or self.argv(runtime, handler)
        if launcher:
            argv = [str(self.init)] + argv
        environ = self.environ(runtime, fn_dir)
        environ.update(extra_env or {})
        p = subprocess.run(argv, input=data, capture_output=True,
                           env=environ, timeout=timeout)
        return Result(p.returncode, p.stdout,
                      p.stderr.decode("utf-8", "replace"))

    def start(self, runtime, handler="handle"):
        return subprocess.Popen(
            [str(self.init)] + self.argv(runtime, handler),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=self.environ(runtime))


class Result:
    def __init__(self, rc, stdout, stderr):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.frames = parse_frames(stdout)

    def __repr__(self):
        return f"Result(rc={self.rc}, frames={self.frames!r}, stderr={self.stderr[-2000:]!r})"


def frame(header, body):
    return b"%d %d\n%s%s" % (len(header), len(body), header, body)


def request(event=None, raw=None, **fields):
    """A request frame: event as JSON (or raw body bytes), header fields."""
    head = {"function_name": "fn", "function_version": 1, "job_id": "job",
            "deadline_ms": 0}
    head.update(fields)
    header = "".join(f"{k}={v}\n" for k, v in head.items() if v is not None)
    body = raw if raw is not None else json.dumps(
        event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return frame(header.encode("utf-8"), body)


def parse_one(data):
    """(header dict, body, rest) of the frame at the start of data, or None
    while data holds no whole frame. Strict: every response must parse."""
    nl = data.find(b"\n")
    if nl < 0:
        return None
    hlen, blen = (int(x) for x in data[:nl].split(b" "))
    assert data[:nl] == b"%d %d" % (hlen, blen)
    end = nl + 1 + hlen + blen
    if len(data) < end:
        return None
    raw_header = data[nl + 1:nl + 1 + hlen].decode("utf-8")
    assert raw_header.endswith("\n")
    header = dict(line.split("=", 1) for line in raw_header.split("\n")[:-1])
    return header, data[nl + 1 + hlen:end], data[end:]


def parse_frames(data):
    frames = []
    while data:
        one = parse_one(data)
        assert one is not None, f"a cut frame in the output: {data[:200]!r}"
        header, body, data = one
        frames.append((header, body))
    return frames


def read_frame(proc, timeout=10):
    """The next response of a running shim (Popen), waiting for it."""
    buf = b""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while True:
        one = parse_one(buf)
        if one is not None:
            assert one[2] == b"", "more than one response to one request"
            return one[0], one[1]
        left = deadline - time.monotonic()
        assert left > 0, f"no response within {timeout} s"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 1 << 20)
            assert chunk, "the shim closed its output"
            buf += chunk


def read_available(fd, settle=0.0):
    """What fd holds now, without blocking."""
    out = b""
    time.sleep(settle)
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        out += chunk
    return out


def timed(header):
    """header without duration_us, which every answer carries: the
    handler's time in microseconds."""
    header = dict(header)
    took = header.pop("duration_us", None)
    assert took is not None and re.fullmatch(r"0|[1-9][0-9]*", took), header
    return header


def ok(result, i=0):
    header, body = result.frames[i]
    assert timed(header) == {"status": "ok"}, (header, body)
    return json.loads(body)


def err(result, error_type, i=0):
    header, body = result.frames[i]
    assert timed(header) == {"status": "error", "error_type": error_type}, (header, body)
    return body.decode("utf-8")


@pytest.fixture(scope="session")
def env(tmp_path_factory):
    return Env(tmp_path_factory.mktemp("runtimes"))


ALL = ["python3", "node", "c"]
JSON_RUNTIMES = ["python3", "node"]  # the ones that parse the event


# --- the launcher ---------------------------------------------------------

def test_init_moves_the_protocol_to_fds_3_and_4(env):
    script = ("read line <&3; echo \"got $line\" >&4; echo to-stdout; "
              "echo to-stderr >&2; cat; echo stdin-was-empty >&2")
    r = subprocess.run([str(env.init), "/bin/sh", "-c", script],
                       input=b"request\n", capture_output=True, timeout=10)
    assert r.returncode == 0
    assert r.stdout == b"got request\n"  # only what went to fd 4
    assert r.stderr == b"to-stdout\nto-stderr\nstdin-was-empty\n"


def test_init_leaves_3_and_4_open_across_exec(env):
    r = subprocess.run([str(env.init), "/bin/sh", "-c", PROBE],
                       capture_output=True, timeout=10)
    assert r.stderr == b"fd3=open\nfd4=open\n"


def test_init_usage_and_exec_failure_exit_127(env):
    r = subprocess.run([str(env.init)], capture_output=True, timeout=10)
    assert r.returncode == 127 and b"usage" in r.stderr
    r = subprocess.run([str(env.init), "/nonexistent/prog"],
                       capture_output=True, timeout=10)
    assert r.returncode == 127
    assert b"/nonexistent/prog: No such file" in r.stderr
    assert r.stdout == b""


def test_init_builds_with_the_style_flags(tmp_path):
    gcc(*STYLE_CFLAGS, "-static", RUNTIMES / "init" / "sopm_init.c",
        "-o", tmp_path / "init")


# --- every runtime: the loop --------------------------------------------

@pytest.mark.parametrize("rt", ALL)
def test_loop_keeps_state_between_calls(env, rt):
    r = env.run(rt, request({"op": "count"}) * 3)
    assert r.rc == 0, r
    assert [ok(r, i) for i in range(3)] == [{"count": n} for n in (1, 2, 3)]


@pytest.mark.parametrize("rt", ALL)
def test_clean_eof_exits_0(env, rt):
    r = env.run(rt, b"")
    assert (r.rc, r.stdout) == (0, b""), r


@pytest.mark.parametrize("rt", ALL)
def test_answers_each_request_before_reading_the_next(env, rt):
    """One request at a time over a pipe kept open: each answer arrives, and
    the call's log lines are in the log pipe before it."""
    p = env.start(rt)
    try:
        for n in (1, 2, 3):
            p.stdin.write(request({"op": "log"}))
            p.stdin.flush()
            header, body = read_frame(p)
            assert (timed(header), json.loads(body)) == ({"status": "ok"}, "logged")
            log = read_available(p.stderr.fileno()).decode()
            assert f"stdout-line {n}\n" in log and f"stderr-line {n}\n" in log
        p.stdin.close()
        assert p.wait(timeout=10) == 0
    finally:
        p.kill()
        p.wait()


@pytest.mark.parametrize("rt", ALL)
def test_context(env, rt):
    soon = int(time.time() * 1000) + 60_000
    r = env.run(rt, request({"op": "context"}, function_name="hello",
                            function_version=7, job_id="j-\u00e9\U0001f600",
                            deadline_ms=soon)
                + request({"op": "context"}, deadline_ms=1000)
                + request({"op": "context"}, deadline_ms=0)
                + request({"op": "context"}, function_name=None,
                          function_version=None, job_id=None,
                          deadline_ms=None, unknown_field="x"))
    assert r.rc == 0, r
    first = ok(r, 0)
    remaining = first.pop("remaining")
    assert first == {"function_name": "hello", "function_version": 7,
                     "job_id": "j-\u00e9\U0001f600", "deadline_ms": soon}
    assert 50_000 < remaining <= 60_000
    assert ok(r, 1)["remaining"] == 0  # the deadline is long past
    assert ok(r, 2)["remaining"] == NO_DEADLINE_MS
    assert ok(r, 3) == {"function_name": "", "function_version": 0,
                        "job_id": "", "deadline_ms": 0,
                        "remaining": NO_DEADLINE_MS}


@pytest.mark.parametrize("rt", ALL)
def test_cwd_is_the_function_folder(env, rt):
    r = env.run(rt, request({"op": "where"}))
    assert ok(r)["cwd"] == str(env.fn[rt])


@pytest.mark.parametrize("rt", ALL)
def test_logs_go_to_stderr_never_to_the_protocol(env, rt):
    r = env.run(rt, request({"op": "log"}) * 2)
    assert r.rc == 0, r
    assert [ok(r, i) for i in range(2)] == ["logged", "logged"]
    expected = {"python3": ["stdout-line", "stderr-line", "child-line",
                            "system-line"],
                "node": ["stdout-line", "stderr-line", "child-line"],
                "c": ["stdout-line", "stderr-line", "system-line"]}[rt]
    lines = r.stderr.splitlines()
    for n in (1, 2):
        for what in expected:
            want = f"{what} {n}" if what.startswith("std") else what
            assert want in lines, r
    assert b"line" not in r.stdout


@pytest.mark.parametrize("rt", ALL)
def test_protocol_fds_are_not_inherited_by_children(env, rt):
    r = env.run(rt, request({"op": "fds"}))
    assert ok(r) is None
    assert "fd3=closed" in r.stderr and "fd4=closed" in r.stderr, r


@pytest.mark.parametrize("rt", ALL)
def test_exception_is_an_error_response_and_the_loop_goes_on(env, rt):
    r = env.run(rt, request({"op": "raise"}) + request({"op": "count"}))
    assert r.rc == 0, r
    text = err(r, "exception")
    assert ok(r, 1) == {"count": 2}
    if rt == "python3":
        assert text.startswith("Traceback (most recent call last):\n")
        assert f'File "{env.fn[rt]}/main.py", line' in text
        assert text.endswith("ValueError: boom 1\n")
        assert "shim.py" not in text  # only the user's frames
    elif rt == "node":
        assert text.startswith("Error: boom 1\n")
        assert f"{env.fn[rt]}/index.js:" in text
        assert "shim.js" not in text
    else:
        assert text == "boom 1"


@pytest.mark.parametrize("rt", ALL)
def test_exit_in_the_handler_ends_the_process(env, rt):
    r = env.run(rt, request({"op": "exit"}) + request({"op": "count"}))
    assert (r.rc, r.stdout) == (3, b""), r


@pytest.mark.parametrize("rt", ALL)
def test_large_body_round_trip(env, rt):
    event = {"op": "echo", "data": "x" * (1 << 20) + "\u00e9\U0001d11e",
             "list": list(range(1000))}
    r = env.run(rt, request(event) * 2)
    assert r.rc == 0, r
    assert ok(r, 0) == event and ok(r, 1) == event


@pytest.mark.parametrize("rt", ALL)
def test_unicode_round_trip(env, rt):
    # astral, combining, RTL, CJK, an escaped NUL and a key that is not ASCII
    event = {"op": "echo", "s": "\U0001d11e e\u0301 \u05e9\u05dc\u05d5\u05dd "
             "\u65e5\u672c \U0001f468\u200d\U0001f469 nul:\u0000",
             "\u00e9t\u00e9": ["\u2603"]}
    r = env.run(rt, request(event))
    assert ok(r) == event
    # UTF-8 out, not \u escapes
    assert "\U0001d11e".encode() in r.frames[0][1]


@pytest.mark.parametrize("rt", ALL)
def test_largest_header_is_accepted(env, rt):
    pad = "p=" + "x" * (65536 - 3) + "\n"
    data = frame(pad.encode(), b'{"op":"count"}')
    assert data.startswith(b"65536 14\n")
    r = env.run(rt, data)
    assert r.rc == 0, r
    assert ok(r) == {"count": 1}


MALFORMED = {
    "not_numbers": b"abc\n",
    "eof_in_length_line": b"0 2",
    "leading_zero": b"01 2\n{}",
    "plus_sign": b"+0 2\n{}",
    "minus_sign": b"0 -2\n{}",
    "two_spaces": b"0  2\n{}",
    "leading_space": b" 0 2\n{}",
    "trailing_space": b"0 2 \n{}",
    "crlf": b"0 2\r\n{}",
    "one_number": b"2\n{}",
    "long_line": b"1" * 40 + b"\n",
    "endless_line": b"7" * 100,
    "header_over_64k": b"65537 0\n",
    "body_over_64m": b"0 67108865\n",
    "eof_in_header": b"8 2\nab",
    "eof_in_body": b"0 10\n{}",
    "no_equals": frame(b"job_id\n", b"{}"),
    "empty_name": frame(b"=x\n", b"{}"),
    "upper_case_name": frame(b"Job_id=x\n", b"{}"),
    "digit_in_name": frame(b"job1=x\n", b"{}"),
    "no_final_newline": frame(b"job_id=x", b"{}"),
    "version_not_integer": frame(b"function_version=x\n", b"{}"),
    "version_leading_zero": frame(b"function_version=01\n", b"{}"),
    "version_empty": frame(b"function_version=\n", b"{}"),
    "deadline_negative": frame(b"deadline_ms=-1\n", b"{}"),
    "deadline_too_large": frame(b"deadline_ms=" + b"9" * 16 + b"\n", b"{}"),
    "header_not_utf8": frame(b"job_id=\xff\n", b"{}"),
    "header_surrogate": frame(b"job_id=\xed\xa0\x80\n", b"{}"),
    "header_overlong": frame(b"job_id=\xc0\xaf\n", b"{}"),
    "header_nul": frame(b"job_id=a\x00b\n", b"{}"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("rt", ALL)
def test_malformed_frame_exits_2(env, rt, case):
    r = env.run(rt, MALFORMED[case])
    assert (r.rc, r.stdout) == (2, b""), r
    assert r.stderr.startswith("sopm: "), r


@pytest.mark.parametrize("rt", ALL)
def test_malformed_frame_after_a_good_one(env, rt):
    r = env.run(rt, request({"op": "count"}) + b"1 0\n")
    assert r.rc == 2, r
    assert [ok(r)] == [{"count": 1}]


@pytest.mark.parametrize("data", [b"0 67108865\n", b"65537 0\n", b"1" * 32])
@pytest.mark.parametrize("rt", ALL)
def test_too_long_frame_is_refused_at_once(env, rt, data):
    """The shim exits on the length line, without waiting for more input."""
    p = env.start(rt)
    try:
        p.stdin.write(data)
        p.stdin.flush()
        assert p.wait(timeout=10) == 2
        assert p.stdout.read() == b""
    finally:
        p.kill()
        p.wait()


@pytest.mark.parametrize("rt", ALL)
def test_shim_without_the_launcher_exits_2(env, rt):
    r = env.run(rt, request({}), launcher=False)
    assert r.rc == 2, r
    assert "fd 3" in r.stderr and "/sopm/init" in r.stderr


# --- python3 and node: the event and the result are JSON -----------------

@pytest.mark.parametrize("body", [b"", b"{", b"NaN", b"[1,]", b"\xff\xfe",
                                  b"\xef\xbb\xbf{}", b"{} x"])
@pytest.mark.parametrize("rt", JSON_RUNTIMES)
def test_bad_event(env, rt, body):
    r = env.run(rt, request(raw=body) + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "bad_event")
    assert ok(r, 1) == {"count": 1}  # the handler never saw the bad one


@pytest.mark.parametrize("rt", JSON_RUNTIMES)
def test_sync_handler_and_other_json_values(env, rt):
    r = env.run(rt, request([1, "a", None, True, 1.5]) + request("s")
                + request(None), handler="sync")
    assert [ok(r, i) for i in range(3)] == [
        {"sync": [1, "a", None, True, 1.5]}, {"sync": "s"}, {"sync": None}]


@pytest.mark.parametrize("rt,handler,reason", [
    ("python3", "nope", "main has no attribute 'nope'"),
    ("python3", "notfn", "main.notfn is not callable"),
    ("python3", "bad-name", "bad handler"),
    ("python3", "nomodule.handle", "No module named 'nomodule'"),
    ("node", "nope", "has no export 'nope'"),
    ("node", "notfn", "export 'notfn' is not a function"),
    ("node", "a.b", "bad handler"),
])
def test_missing_handler_exits_1(env, rt, handler, reason):
    r = env.run(rt, request({}), handler=handler)
    assert (r.rc, r.stdout) == (1, b""), r
    assert reason in r.stderr


# --- python3 -------------------------------------------------------------

@pytest.mark.parametrize("op,text", [
    ("set", "TypeError: Object of type set is not JSON serializable"),
    ("nan", "ValueError: Out of range float values are not JSON compliant"),
    ("circular", "ValueError: Circular reference detected"),
    ("surrogate", "UnicodeEncodeError: 'utf-8' codec can't encode"),
])
def test_python_bad_result(env, op, text):
    r = env.run("python3", request({"op": op}) + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "bad_result").startswith(text)
    assert ok(r, 1) == {"count": 2}


def test_python_event_objects_are_dicts_and_async_handlers_run(env):
    r = env.run("python3", request({"op": "async"}))
    assert ok(r) == "awaited"


def test_python_file_dot_name_handler_and_subfolders(env):
    r = env.run("python3", request({"name": "ann"}), handler="util.greet")
    assert r.rc == 0, r
    assert ok(r) == "hello ann"


def test_python_user_folder_is_sys_path_0(env):
    r = env.run("python3", request({"op": "where"}))
    assert ok(r)["path0"] == str(env.fn["python3"])


def test_python_import_error_exits_1_with_the_traceback(env):
    r = env.run("py_bad", request({"op": "count"}))
    assert (r.rc, r.stdout) == (1, b""), r
    assert r.stderr.startswith("sopm: cannot import main from ")
    assert f'File "{env.fn["py_bad"]}/main.py", line 4, in <module>' in r.stderr
    assert "RuntimeError: boom at import" in r.stderr
    assert "importlib" not in r.stderr


def test_python_syntax_error_exits_1(env):
    r = env.run("py_syntax", request({}))
    assert r.rc == 1, r
    assert f'File "{env.fn["py_syntax"]}/main.py", line 2' in r.stderr
    assert "SyntaxError" in r.stderr


def test_python_check(env):
    for handler in ("handle", "util.greet"):
        r = env.run("python3", argv=env.check_argv("python3", handler),
                    launcher=False)
        assert (r.rc, r.stdout, r.stderr) == (0, b"", ""), r
    r = env.run("python3", argv=env.check_argv("python3", "nope"),
                launcher=False)
    assert r.rc == 1 and r.stderr == "sopm: main has no attribute 'nope'\n"
    r = env.run("py_bad", argv=env.check_argv("py_bad", "handle"),
                launcher=False)
    assert r.rc == 1 and "RuntimeError: boom at import" in r.stderr
    r = env.run("py_syntax", argv=env.check_argv("py_syntax", "handle"),
                launcher=False)
    assert r.rc == 1 and "SyntaxError" in r.stderr


def test_python_check_does_not_wait_for_the_modules_threads(env):
    start = time.monotonic()
    r = env.run("py_thread", argv=env.check_argv("py_thread", "handle"),
                launcher=False, timeout=10)
    assert r.rc == 0, r
    assert time.monotonic() - start < 5


# --- node ----------------------------------------------------------------

@pytest.mark.parametrize("op,expected", [
    ("undefined", None), ("nan", None), ("later", "later")])
def test_node_results(env, op, expected):
    r = env.run("node", request({"op": op}))
    assert r.rc == 0, r
    assert ok(r) == expected


@pytest.mark.parametrize("op,text", [
    ("bigint", "TypeError: Do not know how to serialize a BigInt"),
    ("circular", "TypeError: Converting circular structure to JSON"),
])
def test_node_bad_result(env, op, text):
    r = env.run("node", request({"op": op}) + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "bad_result").startswith(text)
    assert ok(r, 1) == {"count": 2}


def test_node_thrown_values_that_are_not_errors(env):
    r = env.run("node", request({"op": "throw_string"})
                + request({"op": "throw_object"}))
    assert err(r, "exception", 0) == "plain string"
    assert err(r, "exception", 1) == "{ code: 42 }"


def test_node_promise_that_never_settles(env):
    r = env.run("node", request({"op": "never"}) * 2
                + request({"op": "count"}))
    assert r.rc == 0, r
    for i in (0, 1):
        assert "never settled" in err(r, "exception", i)
    assert ok(r, 2) == {"count": 3}


@pytest.mark.parametrize("op,text", [
    ("uncaught", "sopm: uncaught exception: Error: late boom"),
    ("unhandled", "sopm: unhandled rejection: Error: nobody awaits this"),
])
def test_node_error_outside_the_call_exits_1(env, op, text):
    r = env.run("node", request({"op": op}))
    assert (r.rc, r.stdout) == (1, b""), r
    assert text in r.stderr


def test_node_load_error_exits_1_with_the_stack(env):
    r = env.run("node_bad", request({}))
    assert (r.rc, r.stdout) == (1, b""), r
    assert r.stderr.startswith(
        f"sopm: cannot load {env.fn['node_bad']}/index.js:\nError: boom at load")
    assert f"{env.fn['node_bad']}/index.js:3" in r.stderr


def test_node_es_module(env):
    r = env.run("node_esm", request({"a": 1}))
    assert r.rc == 0, r
    assert ok(r) == {"esm": {"a": 1}}


def test_node_check(env):
    r = env.run("node", argv=env.check_argv("node", "handle"), launcher=False)
    assert (r.rc, r.stdout, r.stderr) == (0, b"", ""), r
    r = env.run("node", argv=env.check_argv("node", "nope"), launcher=False)
    assert r.rc == 1
    assert r.stderr == f"sopm: {env.fn['node']}/index.js has no export 'nope'\n"
    r = env.run("node_bad", argv=env.check_argv("node_bad", "handle"),
                launcher=False)
    assert r.rc == 1 and "Error: boom at load" in r.stderr
    start = time.monotonic()
    r = env.run("node_interval", argv=env.check_argv("node_interval", "handle"),
                launcher=False, timeout=10)
    assert r.rc == 0 and time.monotonic() - start < 5, r


# --- c -------------------------------------------------------------------

def test_c_event_is_passed_as_is_with_a_nul_after_it(env):
    body = b'{"op":"len",  "x": [1, 2]}'
    r = env.run("c", request(raw=body) + request(raw=b"") + request(raw=b"not json"))
    assert ok(r, 0) == {"len": len(body), "nul": 1}
    assert ok(r, 1) is None  # nothing written: null
    assert (timed(r.frames[2][0]), r.frames[2][1]) == ({"status": "ok"}, b"not json")  # not validated


def test_c_non_zero_return(env):
    r = env.run("c", request({"op": "raise"}) + request({"op": "fail_silent"})
                + request({"op": "count"}))
    assert r.rc == 0, r
    assert err(r, "exception", 0) == "boom 1"
    assert err(r, "exception", 1) == "handle returned 5"
    assert ok(r, 2) == {"count": 3}


def test_c_output_cap(env):
    r = env.run("c", request({"op": "too_big"}) + request({"op": "count"}))
    assert r.rc == 0, r
    assert "refused after 64 MiB: EFBIG" in r.stderr
    assert err(r, "bad_result").startswith("the result was refused: ")
    assert ok(r, 1) == {"count": 2}


def test_c_handler_named_by_sopm_handler(env):
    r = env.run("c_other", request({"a": 1}) + request({"op": "x"}))
    assert r.rc == 0, r
    assert ok(r, 0) == {"other": 7, "h": 2}
    assert ok(r, 1) == {"other": 10, "h": 2}


def test_c_shim_builds_with_the_style_flags(tmp_path):
    gcc("-std=gnu11", "-Wall", "-Wextra", "-Werror", "-O2",
        "-c", RUNTIMES / "c" / "sopm_shim.c", "-o", tmp_path / "a.o")
    gcc(*STYLE_CFLAGS, "-c", RUNTIMES / "c" / "sopm_shim.c",
        "-o", tmp_path / "b.o")


@pytest.mark.parametrize("std", ["c99", "c11", "gnu17"])
def test_c_header_is_self_contained(tmp_path, std):
    src = tmp_path / "u.c"
    src.write_text("#include <sopm.h>\n"
                   "int handle(const char *e, size_t n, sopm_out *out)\n"
                   "{\n\t(void)e;\n"
                   "\treturn sopm_out_printf(out, \"%zu\", n) != 0 ||\n"
                   "\t       sopm_out_write(out, \"\", 0) != 0 ||\n"
                   "\t       sopm_remaining_ms() < 0 ||\n"
                   "\t       sopm_context_get()->job_id == 0;\n}\n")
    gcc(f"-std={std}", "-pedantic", "-Wall", "-Wextra", "-Werror",
        "-I", RUNTIMES / "c", "-fsyntax-only", src)


def test_c_printf_format_is_checked(tmp_path):
    src = tmp_path / "u.c"
    src.write_text("#include <sopm.h>\n"
                   "int handle(const char *e, size_t n, sopm_out *out)\n"
                   "{\n\t(void)e;\n\treturn sopm_out_printf(out, \"%s\", n);\n}\n")
    p = subprocess.run([GCC, *BUILDER_CFLAGS, "-I", str(RUNTIMES / "c"),
                        "-fsyntax-only", str(src)], capture_output=True,
                       text=True)
    assert p.returncode != 0 and "-Werror=format" in p.stderr


def test_c_under_asan_and_ubsan(env, tmp_path):
    exe = tmp_path / "fn"
    gcc("-O1", "-g", "-Wall", "-Werror", "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all", "-I", RUNTIMES / "c",
        env.fn["c"] / "main.c", RUNTIMES / "c" / "sopm_shim.c", "-o", exe)
    data = (request({"op": "count"}) + request({"op": "context"})
            + request({"op": "raise"}) + request({"op": "fail_silent"})
            + request({"op": "too_big"}) + request({"big": "y" * 300000})
            + request(raw=b""))
    r = env.run("c", data, argv=[str(exe)])
    assert r.rc == 0, r
    assert len(r.frames) == 7
    assert "ERROR: AddressSanitizer" not in r.stderr
    assert "runtime error" not in r.stderr
    r = env.run("c", request({}) + b"5 0\nab", argv=[str(exe)])
    assert r.rc == 2 and "ERROR" not in r.stderr, r


def test_c_missing_function_folder_exits_1(env):
    p = subprocess.run([str(env.init), str(env.fn["c"] / "fn")],
                       input=request({}), capture_output=True, timeout=10,
                       env={"SOPM_FN_DIR": "/nonexistent-fn-dir"})
    assert p.returncode == 1
    assert b"chdir /nonexistent-fn-dir" in p.stderr


# --- docs/runtimes.md: its examples work as described ----------------------

def doc_example(entry, fence):
    text = (ROOT / "docs" / "runtimes.md").read_text()
    marker = f"`{entry}`:\n\n```{fence}\n"
    start = text.index(marker) + len(marker)
    return text[start:text.index("\n```\n", start) + 1]


@pytest.mark.parametrize("rt,entry,fence", [
    ("python3", "main.py", "python"), ("node", "index.js", "js"),
    ("c", "main.c", "c")])
def test_docs_example(env, tmp_path, rt, entry, fence):
    (tmp_path / entry).write_text(doc_example(entry, fence))
    argv = None
    if rt == "c":
        gcc(*BUILDER_CFLAGS, "-I", RUNTIMES / "c", tmp_path / entry,
            RUNTIMES / "c" / "sopm_shim.c", "-lm", "-o", tmp_path / "fn")
        argv = [str(tmp_path / "fn")]
    soon = int(time.time() * 1000) + 5000
    data = (request({"name": "ann"}, job_id="j1", deadline_ms=soon) * 2
            + request({"fail": True}, job_id="j2"))
    r = env.run(rt, data, argv=argv, fn_dir=tmp_path,
                extra_env={"GREETING": "hey"})
    assert r.rc == 0, r
    result = ok(r, 1)
    left = result.pop("ms_left" if rt != "node" else "msLeft")
    assert 0 < left <= 5000
    if rt == "c":
        assert result == {"event": {"name": "ann"}, "job": "j1"}
        assert err(r, "exception", 2) == "asked to fail (call 3)"
        assert "called 2 times, event of 14 bytes" in r.stderr
    else:
        assert result == {"hi": "ann", "job": "j1", "greeting": "hey"}
        assert "called 2 times" in r.stderr
