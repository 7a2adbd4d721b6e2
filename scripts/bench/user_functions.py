#!/usr/bin/env python3
"""user_functions.py URL KEY_FILE STATE_DIR - user-function figures for
scripts/benchmark.sh (docs/benchmark.md "User functions").

On the bench stack, for each runtime (python3, node, c): one function that
returns its input, uploaded as BENCH_COLD_CALLS versions up front (all
builds end before anything is measured). Then, one runtime after the other:

- the boot floor: `runsc run` by hand of version 1's bundle, one request
  frame on stdin, timed from the start to the answer (BENCH_FLOOR_RUNS);
- cold starts: the first call of each version, through nginx; only calls
  that answer "cold_start": true are counted (client wall time, and the
  server's init_us);
- warm calls: wrk at 1 and at 16 connections on the current version:
  BENCH_WARMUP s warm-up runs until one starts no sandbox, then
  BENCH_SECONDS s measured;
- the function is deleted, and its sandboxes are waited out, so that their
  stopping does not fall into the next runtime's figures.

The catalog echo runs through wrk with the same shapes, as the platform
floor. Prints markdown on stdout (progress on stderr) with the targets as
goals (PASS/FAIL lines that do not change the exit status). Exits 1 when a
build fails, a call answers anything but 200 with the input as result, a
measured wrk run has an error or a non-2xx answer, or a floor run fails.
"""
import json
import math
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

import requests

CODE = {
    "python3": "def handle(event, context):\n    return event\n",
    "node": "module.exports.handle = async (event) => event;\n",
    "c": "#include <sopm.h>\n\nint handle(const char *e, size_t len, sopm_out *out)\n"
         "{\n\treturn sopm_out_write(out, e, len);\n}\n",
}
COLD_TARGET_MS = {"python3": 400, "node": 400, "c": 250}
WARM_TARGET_MS = 3
INPUT = {"msg": "hello"}  # the body of scripts/bench/user_function.lua
CONNECTIONS = (1, 16)
BUILD_TIMEOUT_S = 900  # the base images too, when builds.py did not run
WARMUPS_MAX = 8

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.relpath(os.path.join(HERE, "user_function.lua"))
ECHO_LUA = os.path.relpath(os.path.join(HERE, "echo.lua"))


def env_int(name, default):
    v = os.environ.get(name, "") or str(default)
    if not v.isdigit() or int(v) < 1:
        raise SystemExit(f"user_functions: {name} must be a positive integer")
    return int(v)


COLD_CALLS = env_int("BENCH_COLD_CALLS", 10)
FLOOR_RUNS = env_int("BENCH_FLOOR_RUNS", 10)
SECONDS = env_int("BENCH_SECONDS", 10)
WARMUP = env_int("BENCH_WARMUP", 2)
WRK_THREADS = env_int("BENCH_THREADS", 2)

errors = []


def log(msg):
    print(f"bench: user functions: {msg}", file=sys.stderr, flush=True)


def error(msg):
    log(f"error: {msg}")
    errors.append(msg)


def pct(values, q):
    """Nearest rank: the smallest value with at least q of them at or below."""
    if not values:
        return math.nan
    v = sorted(values)
    return v[max(0, math.ceil(q * len(v)) - 1)]


class Api:
    def __init__(self, base, key):
        self.base, self.s = base, requests.Session()
        self.s.headers["Authorization"] = "Bearer " + key

    def __call__(self, method, path, body=None, timeout=120):
        return self.s.request(method, self.base + path, json=body, timeout=timeout)

    def json(self, method, path, body=None):
        r = self(method, path, body)
        if r.status_code // 100 != 2:
            raise SystemExit(f"user_functions: {method} {path} answered {r.status_code}: "
                             f"{r.text[:300]}")
        return r.json() if r.content else None

    def cold_starts(self):
        return self.json("GET", "/api/stats")["sandboxes"]["cold_starts"]

    def settle(self, timeout=60):
        """Waits until the executor ends no call for a second: the calls
        that a finished wrk run left behind (a cold start outlives wrk's
        2 s timeout) must neither hold a sandbox nor count in the next run."""
        calls, deadline = None, time.time() + timeout
        while time.time() < deadline:
            now = self.json("GET", "/api/stats")["user_functions"]["executor"]["calls"]
            if now == calls:
                return
            calls = now
            time.sleep(1)


def check_call(r, version=None):
    """The answer of one call, or None (and an error) when it is not a
    completed call that returned its input."""
    body = r.json() if r.headers.get("Content-Type", "").startswith("application/json") else {}
    if (r.status_code != 200 or body.get("status") != "completed" or body.get("result") != INPUT
            or (version is not None and body.get("version") != version)):
        error(f"call answered {r.status_code}: {r.text[:300]}")
        return None
    return body


# --- builds -------------------------------------------------------------------

def upload_all(api, stamp):
    """One function per runtime with COLD_CALLS versions: {runtime: id}."""
    fids = {}
    for rt, code in CODE.items():
        f = api.json("POST", "/api/user-functions",
                      {"name": f"bench-uf-{rt}-{stamp}", "runtime": rt, "code": code})
        fids[rt] = f["id"]
    for _ in range(COLD_CALLS - 1):
        for rt, code in CODE.items():
            api.json("PUT", f"/api/user-functions/{fids[rt]}", {"code": code})
    return fids


def wait_ready(api, fids):
    deadline = time.time() + BUILD_TIMEOUT_S
    while time.time() < deadline:
        pending = 0
        for rt, fid in fids.items():
            for v in api.json("GET", f"/api/user-functions/{fid}")["versions"]:
                if v["status"] == "failed":
                    raise SystemExit(f"user_functions: {rt} v{v['version']} failed to build: "
                                     f"{v.get('build_log', '')[-500:]}")
                pending += v["status"] != "ready"
        if not pending:
            return
        time.sleep(0.5)
    raise SystemExit(f"user_functions: builds not ready within {BUILD_TIMEOUT_S} s")


# --- the boot floor: runsc run by hand ------------------------------------------

def frame(header, body):
    h, b = header.encode(), body.encode()
    return f"{len(h)} {len(b)}\n".encode() + h + b


def read_frame(fd, deadline):
    """One answer frame from fd: (header, body); raises on EOF or timeout."""
    buf = b""

    def more():
        nonlocal buf
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError("no answer in time")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError("the sandbox closed its stdout")
        buf += chunk

    while b"\n" not in buf:
        more()
    line, buf = buf.split(b"\n", 1)
    hl, bl = map(int, line.split())
    while len(buf) < hl + bl:
        more()
    return buf[:hl].decode(), buf[hl:hl + bl]


def floor_bundle(state, fid, work):
    """A runnable copy of version 1's OCI config in work (as
    tests/integration/test_builder.py does): the read-only rootfs, /tmp,
    no cgroups of ours."""
    bundle = os.path.join(state, "builder", "bundles", str(fid), "v1")
    with open(os.path.join(bundle, "config.json")) as f:
        cfg = json.load(f)
    cfg["root"] = {"path": os.path.join(bundle, "rootfs"), "readonly": True}
    cfg["process"]["terminal"] = False
    cfg["mounts"] = [m for m in cfg["mounts"] if m["destination"] in ("/proc", "/dev", "/sys")]
    cfg["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                          "options": ["nosuid", "nodev", "mode=1777"]})
    cfg["linux"].pop("resources", None)
    cfg["linux"].pop("cgroupsPath", None)
    with open(os.path.join(work, "config.json"), "w") as f:
        json.dump(cfg, f)


def floor_runs(rt, state, fid):
    """Seconds from `runsc run` to the answer of one frame, per run."""
    times = []
    work = tempfile.mkdtemp(prefix=f"sopm-bench-floor-{rt}-")
    root = os.path.join(work, "runsc")
    req = frame("function_name=floor\nfunction_version=1\njob_id=floor\n", json.dumps(INPUT))
    try:
        floor_bundle(state, fid, work)
        for n in range(FLOOR_RUNS):
            sid = f"sopm-bench-floor-{os.getpid()}-{rt}-{n}"
            with open(os.path.join(work, "stderr"), "wb") as err:
                t0 = time.perf_counter()
                p = subprocess.Popen(["runsc", "--root", root, "--platform=ptrace",
                                      "--network=none", "--ignore-cgroups", "run",
                                      "--bundle", work, sid],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
                try:
                    p.stdin.write(req)
                    p.stdin.flush()
                    head, body = read_frame(p.stdout.fileno(), time.monotonic() + 60)
                    dt = time.perf_counter() - t0
                    p.stdin.close()  # EOF between frames: the shim exits 0
                    rc = p.wait(timeout=30)
                    if "status=ok" not in head or json.loads(body) != INPUT or rc != 0:
                        raise ValueError(f"answer {head!r} {body[:200]!r}, exit {rc}")
                    times.append(dt)
                except Exception as e:  # one failed run fails the benchmark
                    with open(os.path.join(work, "stderr"), "rb") as f:
                        tail = f.read()[-300:].decode(errors="replace")
                    error(f"{rt}: runsc run by hand: {e}: {tail}")
                finally:
                    if p.poll() is None:
                        p.kill()
                        p.wait()
                    subprocess.run(["runsc", "--root", root, "delete", "--force", sid],
                                   capture_output=True, timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return times


# --- calls through nginx ---------------------------------------------------------

def cold_calls(api, rt, fid):
    """Client wall times (s) and server init_us of the first call of each
    version; a call that was not cold is left out and counted."""
    wall, init, warm = [], [], 0
    for v in range(1, COLD_CALLS + 1):
        t0 = time.perf_counter()
        r = api("POST", f"/api/user-functions/{fid}/execute", {"input": INPUT, "version": v})
        dt = time.perf_counter() - t0
        body = check_call(r, v)
        if body is None:
            continue
        if body.get("cold_start") is not True:
            warm += 1
            continue
        wall.append(dt)
        init.append(body["init_us"])
    return wall, init, warm


def to_ms(v):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", v)
    if not m:
        return math.nan
    return float(m[1]) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[m[2]]


def parse_wrk(text):
    """{rps, p50, p99 (ms), errors (count), errtxt} of wrk --latency's output."""
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    txt = []
    errs = 0
    if sock and sum(map(int, sock.groups())):
        errs += sum(map(int, sock.groups()))
        txt.append("connect {}, read {}, write {}, timeout {}".format(*sock.groups()))
    if non2xx and int(non2xx[1]):
        errs += int(non2xx[1])
        txt.append(f"non-2xx {non2xx[1]}")
    if not (rps and p50 and p99):
        errs += 1
        txt.append("no wrk output")
    return {"rps": float(rps[1]) if rps else 0.0, "p50": to_ms(p50[1]) if p50 else math.nan,
            "p99": to_ms(p99[1]) if p99 else math.nan, "errors": errs,
            "errtxt": ", ".join(txt) or "0"}


def wrk_runs(api, name, url, lua, lua_arg=None):
    """wrk at each of CONNECTIONS: warm-up runs until one starts no sandbox
    (at most WARMUPS_MAX), then a measured run; the cold starts during the
    measured run are counted from /api/stats."""
    rows, cmds = [], []
    for c in CONNECTIONS:
        args = ["wrk", f"-t{min(WRK_THREADS, c)}", f"-c{c}", "-s", lua]
        tail = [url] + (["--", lua_arg] if lua_arg else [])
        for n in range(1, WARMUPS_MAX + 1):  # until the pool has a sandbox per connection
            before = api.cold_starts()
            subprocess.run(args + [f"-d{WARMUP}s"] + tail, capture_output=True,
                           timeout=WARMUP + 60)
            api.settle()
            if api.cold_starts() == before:
                break
        log(f"{name}: {c} connection(s): {n} warm-up run(s)")
        cmd = args + [f"-d{SECONDS}s", "--latency"] + tail
        log(f"{name}: {c} connection(s), {SECONDS}s")
        before = api.cold_starts()
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=SECONDS + 60).stdout
        res = parse_wrk(out)
        api.settle()
        res["cold"] = api.cold_starts() - before
        res["connections"] = c
        if res["errors"]:
            error(f"{name} at {c} connection(s): {res['errtxt']}")
        rows.append(res)
        cmds.append(" ".join(cmd))
    return rows, cmds


def delete_and_wait(api, state, fid, timeout=120):
    """Deletes the function and waits until runsc lists none of its
    sandboxes (they stop in the background, about 1.5 s each)."""
    api("DELETE", f"/api/user-functions/{fid}")
    run_root = os.path.join(state, "builder", "runsc-run")
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = subprocess.run(["runsc", "--root", run_root, "list", "-quiet"],
                             capture_output=True, text=True, timeout=60).stdout.split()
        if not [i for i in out if i.startswith(f"sopm-run-{fid}-")]:
            return
        time.sleep(0.5)
    log(f"function {fid}: sandboxes still listed {timeout} s after its deletion")


# --- report ----------------------------------------------------------------------

def ms(v):
    return "n/a" if math.isnan(v) else f"{v:.0f} ms" if v >= 100 else f"{v:.1f} ms"


def goal(ok, what, target):
    print(f"{'PASS' if ok else 'FAIL'}  {what} (target {target}; a goal, not enforced)")


def report(cold, floor, warm, cmds, took):
    print(f"- {len(CODE)} functions that return their input, {COLD_CALLS} versions each; "
          f"input {json.dumps(INPUT)}; took {took:.0f} s")
    print("- cold: the first call of each version, `POST /api/user-functions/ID/execute` "
          "through nginx (requests, kept connection); client wall time; init_us from the answer")
    print(f"- runsc run by hand: version 1's bundle, `runsc --platform=ptrace --network=none "
          f"--ignore-cgroups run`, one frame on stdin, start to answer, {FLOOR_RUNS} runs")
    print(f"- warm: {WARMUP}s warm-up runs of the same shape until one starts no sandbox "
          f"(at most {WARMUPS_MAX}), then:")
    for c in cmds:
        print(f"  - `{c}`")
    print()
    print(f"Percentiles are nearest rank: of {COLD_CALLS} cold calls, p99 is the slowest.")
    print()
    print("| runtime | cold calls counted | cold p50 | cold p99 | init_us p50 (server) "
          "| `runsc run` by hand p50 | cold p50 target |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for rt, (wall, init, not_cold) in cold.items():
        counted = f"{len(wall)} of {len(wall) + not_cold}"
        f = floor.get(rt, [])
        print(f"| {rt} | {counted} | {ms(pct(wall, .5) * 1e3)} | {ms(pct(wall, .99) * 1e3)} "
              f"| {ms(pct(init, .5) / 1e3)} "
              f"| {ms(pct(f, .5) * 1e3) if f else 'not measured'} | ≤ {COLD_TARGET_MS[rt]} ms |")
    print()
    print("| warm target | connections | calls/s | p50 | p99 | errors/timeouts "
          "| cold starts in the run |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for name, rows in warm.items():
        for r in rows:
            cold_n = r["cold"] if name.startswith("user") else "-"
            print(f"| {name} | {r['connections']} | {r['rps']:.0f} | {r['p50']:.2f} ms "
                  f"| {r['p99']:.2f} ms | {r['errtxt']} | {cold_n} |")
    print()
    for rt, (wall, _, _) in cold.items():
        p50 = pct(wall, .5) * 1e3
        goal(p50 <= COLD_TARGET_MS[rt], f"{rt} cold start p50 is {ms(p50)}",
             f"<= {COLD_TARGET_MS[rt]} ms")
    for name, rows in warm.items():
        if name.startswith("user"):
            p50 = rows[0]["p50"]
            goal(p50 <= WARM_TARGET_MS,
                 f"{name} warm call p50 at {rows[0]['connections']} connection is {p50:.2f} ms",
                 f"<= {WARM_TARGET_MS} ms")
    for e in errors:
        print(f"ERROR  {e}")


def main(base, key_file, state):
    t_start = time.time()
    with open(key_file) as f:
        key = f.read().strip()
    api = Api(base, key)
    log(f"uploading {len(CODE)} functions x {COLD_CALLS} versions")
    fids = upload_all(api, int(time.time()))
    try:
        wait_ready(api, fids)
        log(f"built in {time.time() - t_start:.0f} s")
        cold, floor, warm, cmds = {}, {}, {}, []
        for rt, fid in list(fids.items()):
            log(f"{rt}: runsc run by hand x {FLOOR_RUNS}")
            floor[rt] = floor_runs(rt, state, fid)
            log(f"{rt}: {COLD_CALLS} cold calls")
            cold[rt] = cold_calls(api, rt, fid)
            warm[f"user {rt}"], c = wrk_runs(api, f"user {rt}",
                                             f"{base}/api/user-functions/{fid}/execute",
                                             LUA, os.path.relpath(key_file))
            cmds += c
            delete_and_wait(api, state, fid)
            del fids[rt]
        warm["catalog echo (platform floor)"], c = wrk_runs(api, "echo", f"{base}/api/execute",
                                                            ECHO_LUA)
        cmds += c
    finally:
        for fid in fids.values():  # left by an error
            api("DELETE", f"/api/user-functions/{fid}")
    report(cold, floor, warm, cmds, time.time() - t_start)
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__.split("\n\n")[0])
    sys.exit(main(*sys.argv[1:]))
