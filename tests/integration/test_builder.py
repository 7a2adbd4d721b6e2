"""sopm-builder (issue 8): every runtime builds to `ready` with an image and
a digest, broken code ends `failed` with its compiler's lines, no build
leaks a host file, the builder survives SIGKILL mid-build, versions build
side by side, a registry push, bounded time and memory, and removal.

Everything runs through the real stack: nginx, the pool, MariaDB, Redis,
sopm-builder with real buildah, skopeo, umoci, mmdebstrap and runsc. The
stack starts from an empty state, so the first build of each runtime also
prepares its base image (the "full build from an empty cache").

Not covered here: running a version behind the API (the executor, next
issue); the shims' protocol in depth (tests/runtimes/test_shims.py), of
which one round trip through a built bundle under runsc is checked here.
"""
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import (BUILD_S, STATE, built, builder_pid, conf_set, new_tenant, sql,
                      stack, upload, version_of, wait_until)

UF = "/api/user-functions"
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
BUILDER = STATE / "builder"
# The first build of a runtime prepares its base image (mmdebstrap): tens
# of seconds each on this machine; the rest take seconds.
FIRST_BUILD_S = 420

PY_OK = "def handle(event, context):\n    print('log line')\n    return {'hi': event.get('name')}\n"
NODE_OK = "module.exports.handle = async (event, context) => ({hi: event.name});\n"
C_OK = ("#include <sopm.h>\n"
        "int handle(const char *event_json, size_t len, sopm_out *out)\n{\n"
        "\treturn sopm_out_write(out, event_json, len);\n}\n")


@pytest.fixture(scope="module", autouse=True)
def builder_running():
    # A short validation bound, so that the test of it is quick; the C
    # compiler needs about 3 s.
    conf_set(builder__check_timeout_ms=20000)
    yield


@pytest.fixture(scope="module")
def user():
    return new_tenant("builder")


def assert_ready(v):
    assert v["status"] == "ready", v["build_log"]
    assert v["image"] and DIGEST.match(v["digest"]), v
    assert v["build_duration_ms"] > 0 and v["build_finished_at"], v
    assert "validated in" in v["build_log"], v["build_log"]


def assert_failed(v, *lines):
    assert v["status"] == "failed", v
    assert v["image"] is None and v["digest"] is None, v
    for line in lines:
        assert line in v["build_log"], (line, v["build_log"])


# ------------------------------------------------------------ runtimes ---

@pytest.mark.parametrize("runtime,code", [("python3", PY_OK), ("node", NODE_OK),
                                          ("c", C_OK)])
def test_runtime_builds_ready(user, runtime, code):
    fid = upload(user, f"ok-{runtime}", code, runtime)
    v = built(user, fid, timeout=FIRST_BUILD_S)
    assert_ready(v)
    assert v["image"] == f"localhost/sopm/fn-{fid}:v1"
    # The bundle the executor runs is unpacked at build time.
    bundle = BUILDER / "bundles" / str(fid) / "v1"
    cfg = json.loads((bundle / "config.json").read_text())
    assert cfg["process"]["user"]["uid"] == 65534
    assert cfg["process"]["args"][0] == "/sopm/init"
    rootfs = bundle / "rootfs"
    if runtime == "c":
        assert (rootfs / "fn" / "fn").stat().st_mode & 0o111
        assert not (rootfs / "usr" / "bin" / "gcc").exists()  # minimal image
    else:
        entry = {"python3": "main.py", "node": "index.js"}[runtime]
        assert (rootfs / "fn" / entry).read_text() == code


def test_first_build_of_a_runtime_reported_its_base_image():
    """The stack started empty: some build of each runtime prepared its
    base, and said how long it took."""
    for runtime in ("python3", "node", "c"):
        logs = [r[0] for r in sql(
            "SELECT build_log FROM function_versions "
            f"WHERE runtime = '{runtime}' AND build_log LIKE '%preparing the base image%'")]
        assert logs, runtime
        assert any(re.search(r"base image \S+ ready in \d+\.\d s", log) for log in logs), logs


@pytest.mark.parametrize("runtime,code,lines", [
    ("python3", "def handle(event, context):\n    return (\n",
     ["SyntaxError", "main.py"]),
    ("python3", "def other(event, context):\n    return 1\n",
     ["handle"]),
    ("node", "module.exports.handle = async (e, c) => { return 1,, };\n",
     ["SyntaxError", "index.js"]),
    ("node", "module.exports.other = 1;\n", ["handle"]),
    ("c", "#include <sopm.h>\nint handle(const char *e, size_t len, sopm_out *out)\n"
          "{\n\tint unused;\n\treturn 0;\n}\n",
     ["error: unused variable", "-Werror", "main.c:4"]),
    ("c", "int other(void) { return 0; }\n", ["undefined reference to `handle'"]),
])
def test_broken_code_fails_with_its_error_lines(user, runtime, code, lines):
    fid = upload(user, f"bad-{runtime}-{abs(hash(code)) % 10000}", code, runtime)
    v = built(user, fid, timeout=FIRST_BUILD_S)
    assert_failed(v, "the validation failed", *lines)


@pytest.mark.parametrize("runtime,code,files,lines", [
    ("python3", PY_OK, {"lib/util.py": "def broken(:\n"}, ["lib/util.py", "SyntaxError"]),
    ("node", NODE_OK, {"lib/util.js": "let x = ;\n"}, ["lib/util.js", "SyntaxError"]),
    ("c", C_OK, {"util.c": "int util(void) { return }\n"}, ["util.c", "error"]),
])
def test_every_file_is_validated_not_only_the_entry(user, runtime, code, files, lines):
    fid = upload(user, f"files-{runtime}", code, runtime, files=files)
    assert_failed(built(user, fid, timeout=FIRST_BUILD_S), "the validation failed", *lines)


def test_c_links_libm_and_more_files(user):
    code = ("#include <math.h>\n#include <sopm.h>\n#include \"util.h\"\n"
            "int handle(const char *e, size_t len, sopm_out *out)\n{\n\t(void)e; (void)len;\n"
            "\treturn sopm_out_printf(out, \"%.3f\", sqrt(twice(8.0)));\n}\n")
    fid = upload(user, "libm", code, "c", files={
        "util.h": "double twice(double x);\n",
        "util.c": "#include \"util.h\"\ndouble twice(double x) { return 2 * x; }\n"})
    assert_ready(built(user, fid, timeout=FIRST_BUILD_S))


def test_c_handler_may_not_be_main(user):
    r = user.upload("cmain", code=C_OK, runtime="c", handler="main")
    assert r.status_code == 400 and "handler" in r.json()["error"]["message"], r.text


# ------------------------------------------------------------- leaks ---

def host_secrets():
    """Strings that must never reach a build log: lines of the host's
    /etc/shadow and values of sopm-builder's own environment."""
    secrets = [line for line in pathlib.Path("/etc/shadow").read_text().splitlines()
               if len(line) > 8]
    for pid in (builder_pid(),):
        env = pathlib.Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        secrets += [e.decode(errors="replace") for e in env if len(e) > 12]
    assert secrets
    return secrets


LEAKS = [
    ("c", '#include "/etc/shadow"\n'),
    ("c", "static const char env[] = {\n#include \"/proc/self/environ\"\n};\n"
          "#include <sopm.h>\n"
          "int handle(const char *e, size_t len, sopm_out *out)\n{\n"
          "\t(void)e; (void)len;\n\treturn sopm_out_write(out, env, sizeof env);\n}\n"),
    ("python3", "print(open('/etc/shadow').read())\n"
                "def handle(event, context):\n    return 1\n"),
    ("python3", "import os\nprint(open('/proc/1/environ').read())\n"
                "print(os.listdir('/'))\nprint(open('/proc/self/environ').read())\n"
                "raise SystemExit(1)\n"),
    ("node", "console.log(require('fs').readFileSync('/etc/shadow', 'utf8'));\n"
             "module.exports.handle = async () => 1;\n"),
]


@pytest.mark.parametrize("runtime,code", LEAKS)
def test_no_build_leaks_a_host_file(user, runtime, code):
    fid = upload(user, f"leak-{runtime}-{abs(hash(code)) % 10000}", code, runtime)
    v = built(user, fid, timeout=FIRST_BUILD_S)
    log = v["build_log"]
    for s in host_secrets():
        assert s not in log, f"host content in the build log: {s[:20]}..."
    if "/etc/shadow" in code:
        assert v["status"] == "failed", log
        assert "No such file or directory" in log or "ENOENT" in log, log
    if v["status"] == "ready":  # what it compiled in holds no host data
        binary = (BUILDER / "bundles" / str(fid) / "v1" / "rootfs" / "fn" / "fn").read_bytes()
        for s in host_secrets():
            assert s.encode() not in binary, f"host content in the image: {s[:20]}..."


# --------------------------------------------------- bounds of a build ---

def test_a_build_that_loops_fails_with_a_clear_reason(user):
    fid = upload(user, "loops", "while True:\n    pass\n", "python3")
    v = built(user, fid)
    assert_failed(v, "did not finish within 20000 ms")


def test_a_build_over_its_memory_fails(user):
    code = "blocks = []\nwhile True:\n    blocks.append(bytearray(32 << 20))\n"
    fid = upload(user, "hog", code, "python3")
    v = built(user, fid)
    assert v["status"] == "failed", v
    assert "memory" in v["build_log"] or "MemoryError" in v["build_log"], v["build_log"]


# ---------------------------------------------- versions, crash, push ---

def test_two_versions_of_one_function_both_build(user):
    fid = upload(user, "twover", PY_OK, "python3")
    r = user.put(f"{UF}/{fid}", {"code": PY_OK + "# v2\n"})
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    v1, v2 = built(user, fid, 1), built(user, fid, 2)
    assert_ready(v1)
    assert_ready(v2)
    assert v1["image"].endswith(":v1") and v2["image"].endswith(":v2")
    assert v1["digest"] != v2["digest"]
    for n in (1, 2):
        assert (BUILDER / "bundles" / str(fid) / f"v{n}" / "rootfs" / "fn" / "main.py").exists()


def runsc_sandboxes():
    out = subprocess.run(["runsc", "--root", str(BUILDER / "runsc"), "list", "-quiet"],
                         capture_output=True, text=True, timeout=30)
    return [line for line in out.stdout.split() if line]


def test_sigkill_during_a_build_loses_nothing(user):
    """SIGKILL of the daemon mid-build (its root helper, tools and sandbox
    die with it or are reaped at the next start): the restarted builder
    takes the job back and the version still reaches ready."""
    fid = upload(user, "killed", C_OK, "c")
    wait_until(lambda: version_of(user, fid, 1)["status"] == "building",
               timeout=60, step=0.05, what="the build to start")
    time.sleep(0.5)  # into the compile
    pid = builder_pid()
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not pathlib.Path(f"/proc/{pid}").exists()
               or "zombie" in pathlib.Path(f"/proc/{pid}/status").read_text().lower()
               or " Z " in pathlib.Path(f"/proc/{pid}/stat").read_text(),
               timeout=10, what="the builder to die")
    assert version_of(user, fid, 1)["status"] == "building"
    stack("start-service", "builder")
    v = built(user, fid)
    assert_ready(v)
    assert runsc_sandboxes() == []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_registry_push(user, tmp_path):
    """With builder.registry set, the image is pushed (Debian's
    docker-registry on 127.0.0.1) and the recorded digest is the one the
    registry serves."""
    port = free_port()
    (tmp_path / "config.yml").write_text(
        "version: 0.1\nlog: {level: warn}\n"
        f"storage: {{filesystem: {{rootdirectory: {tmp_path}/data}}, delete: {{enabled: true}}}}\n"
        f"http: {{addr: 127.0.0.1:{port}}}\n")
    reg = subprocess.Popen(["docker-registry", "serve", str(tmp_path / "config.yml")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: subprocess.run(["curl", "-sf", f"http://127.0.0.1:{port}/v2/"],
                                          capture_output=True).returncode == 0,
                   timeout=10, what="the registry")
        conf_set(builder__registry=f"127.0.0.1:{port}", builder__registry_tls_verify=0)
        fid = upload(user, "pushed", PY_OK, "python3")
        v = built(user, fid)
        assert_ready(v)
        assert v["image"] == f"127.0.0.1:{port}/sopm/fn-{fid}:v1"
        out = subprocess.run(["skopeo", "inspect", "--tls-verify=false",
                              f"docker://{v['image']}"], capture_output=True,
                             text=True, timeout=60, check=True)
        assert json.loads(out.stdout)["Digest"] == v["digest"]
        # Deleting the function removes the registry's tag too.
        assert user.delete(f"{UF}/{fid}").status_code == 204
        wait_until(lambda: subprocess.run(
            ["skopeo", "inspect", "--tls-verify=false", f"docker://{v['image']}"],
            capture_output=True, timeout=60).returncode != 0,
            timeout=60, step=1, what="the registry tag to go")
    finally:
        conf_set(builder__registry="", builder__registry_tls_verify=1)
        reg.terminate()
        reg.wait(timeout=20)


def test_delete_removes_images_and_bundles(user):
    fid = upload(user, "gone", PY_OK, "python3")
    assert_ready(built(user, fid))
    bundle = BUILDER / "bundles" / str(fid)
    assert bundle.exists()
    assert user.delete(f"{UF}/{fid}").status_code == 204
    wait_until(lambda: not bundle.exists(), timeout=60, step=0.5,
               what="the bundles to go")
    out = subprocess.run(
        ["buildah", "--root", str(BUILDER / "containers" / "storage"),
         "--runroot", str(BUILDER / "containers" / "run"),
         "--storage-driver", "overlay", "images", "--format", "{{.Name}}:{{.Tag}}"],
        capture_output=True, text=True, timeout=60, check=True)
    assert f"localhost/sopm/fn-{fid}:v1" not in out.stdout


# ------------------------------------------------- the image answers ---

def test_built_bundle_answers_frames_under_runsc(user, tmp_path):
    """One round trip through a built python3 bundle, with its own
    entrypoint under runsc: the shim loops (two calls, state kept) and a
    print() is a log line, not protocol."""
    code = ("n = 0\n\ndef handle(event, context):\n    global n\n    n += 1\n"
            "    print('log', n)\n    return {'n': n, 'name': context.function_name}\n")
    fid = upload(user, "frames", code, "python3")
    assert_ready(built(user, fid))
    bundle = BUILDER / "bundles" / str(fid) / "v1"
    cfg = json.loads((bundle / "config.json").read_text())
    cfg["root"] = {"path": str(bundle / "rootfs"), "readonly": True}
    cfg["process"]["terminal"] = False
    cfg["mounts"] = [m for m in cfg["mounts"] if m["destination"] in ("/proc", "/dev", "/sys")]
    cfg["mounts"].append({"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
                          "options": ["nosuid", "nodev", "mode=1777"]})
    cfg["linux"].pop("resources", None)
    cfg["linux"].pop("cgroupsPath", None)
    (tmp_path / "config.json").write_text(json.dumps(cfg))

    def frame(header, body):
        h, b = header.encode(), body.encode()
        return f"{len(h)} {len(b)}\n".encode() + h + b

    req = b"".join(frame(f"function_name=frames\nfunction_version=1\njob_id=j{i}\n",
                         json.dumps({"i": i})) for i in (1, 2))
    root = tmp_path / "runsc"
    sid = f"test-frames-{os.getpid()}"
    err = tmp_path / "stderr"
    with open(err, "wb") as e:
        p = subprocess.run(["runsc", "--root", str(root), "--platform=ptrace",
                            "--network=none", "--ignore-cgroups", "run", "--bundle",
                            str(tmp_path), sid], input=req, stdout=subprocess.PIPE,
                           stderr=e, timeout=60)
    subprocess.run(["runsc", "--root", str(root), "delete", "--force", sid],
                   capture_output=True, timeout=30)
    out, logs = p.stdout, err.read_bytes().decode(errors="replace")
    assert p.returncode == 0, (out, logs)
    answers = []
    while out:
        line, out = out.split(b"\n", 1)
        hl, bl = map(int, line.split())
        answers.append((out[:hl].decode(), json.loads(out[hl:hl + bl])))
        out = out[hl + bl:]
    assert [a[1] for a in answers] == [{"n": 1, "name": "frames"}, {"n": 2, "name": "frames"}]
    assert all("status=ok" in a[0] for a in answers)
    assert "log 1" in logs and "log 2" in logs


def test_stats_count_user_functions_by_build_status(user):
    """/api/stats "user_functions": live functions by the status of their
    current version, as MySQL has them."""
    rows = sql("SELECT v.status, COUNT(*) FROM functions f JOIN function_versions v "
               "ON v.function_id = f.id AND v.version = f.version "
               "WHERE f.deleted_at IS NULL GROUP BY v.status")
    want = {s: int(n) for s, n in rows}
    got = user.get("/api/stats").json()["user_functions"]
    assert got["total"] == sum(want.values()), (got, want)
    for status in ("pending", "building", "ready", "failed"):
        assert got[status] == want.get(status, 0), (status, got, want)
    assert got["ready"] > 0 and got["failed"] > 0
