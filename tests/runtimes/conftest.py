"""Fixtures of the runtime shim tests: everything runs on the host.

The session builds /sopm/init and the C functions with gcc into a temporary
folder, writes the user code of every runtime there, and runs the shims the
way an image does (through the launcher, SOPM_FN_DIR naming the user code
instead of /fn). Nothing is mocked and no service is started.
"""
import json
import os
import pathlib
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


def ok(result, i=0):
    header, body = result.frames[i]
    assert header == {"status": "ok"}, (header, body)
    return json.loads(body)


def err(result, error_type, i=0):
    header, body = result.frames[i]
    assert header == {"status": "error", "error_type": error_type}, (header, body)
    return body.decode("utf-8")


@pytest.fixture(scope="session")
def env(tmp_path_factory):
    return Env(tmp_path_factory.mktemp("runtimes"))
