#!/usr/bin/env python3
"""builds.py URL KEY_FILE - sopm-builder figures for scripts/benchmark.sh.

For each runtime (python3, node, c), on a stack whose builder state is
empty: the first build's base-image preparation time (the "base image ...
ready in N s" lines of its build log; c needs two bases, cbuild and c),
then five builds of new versions of the same function, one at a time:
their build_duration_ms, p50 and range. Prints a markdown table. Exits 1
when a build does not reach `ready`.
"""
import json
import re
import statistics
import sys
import time
import urllib.request

CODE = {
    "python3": "def handle(event, context):\n    return event  # {n}\n",
    "node": "module.exports.handle = async (event) => event; // {n}\n",
    "c": "#include <sopm.h>\n/* {n} */\nint handle(const char *e, size_t len, sopm_out *out)\n"
         "{{\n\treturn sopm_out_write(out, e, len);\n}}\n",
}
BUILDS = 5


def call(method, url, key, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Authorization": "Bearer " + key,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def wait_built(base, key, fid, version, timeout=900):
    deadline = time.time() + timeout
    while time.time() < deadline:
        f = call("GET", f"{base}/api/user-functions/{fid}", key)
        v = next(v for v in f["versions"] if v["version"] == version)
        if v["status"] in ("ready", "failed"):
            return v
        time.sleep(0.2)
    raise SystemExit(f"builds: function {fid} v{version} not built within {timeout} s")


def main(base, key_file):
    key = open(key_file).read().strip()
    rows, failed = [], False
    stamp = int(time.time())
    for rt, code in CODE.items():
        f = call("POST", f"{base}/api/user-functions", key,
                 {"name": f"bench-{rt}-{stamp}", "runtime": rt, "code": code.format(n=0)})
        first = wait_built(base, key, f["id"], 1)
        base_s = sum(float(s) for s in re.findall(r"base image \S+ ready in ([0-9.]+) s",
                                                   first["build_log"]))
        durations = []
        for n in range(2, 2 + BUILDS):
            call("PUT", f"{base}/api/user-functions/{f['id']}", key, {"code": code.format(n=n)})
            v = wait_built(base, key, f["id"], n)
            failed |= v["status"] != "ready"
            durations.append(v["build_duration_ms"] / 1000)
        failed |= first["status"] != "ready"
        rows.append((rt, base_s, first["build_duration_ms"] / 1000, statistics.median(durations),
                     min(durations), max(durations), first["status"]))
    print("| runtime | base image preparation | first build (with it) "
          f"| build p50 of {BUILDS} | range |")
    print("|---|---:|---:|---:|---|")
    for rt, base_s, first_s, p50, lo, hi, status in rows:
        print(f"| {rt} | {base_s:.1f} s | {first_s:.1f} s | {p50:.2f} s | {lo:.2f}–{hi:.2f} s |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
