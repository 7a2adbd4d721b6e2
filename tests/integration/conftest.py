"""Shared helpers for the integration tests.

They talk HTTP to a real stack (nginx, the sopm-fcgi pool, MariaDB, Redis)
started by scripts/test.sh through scripts/stack.sh; nothing is mocked.
Environment: SOPM_URL (base URL), SOPM_STATE (the instance's state folder).
"""
import json
import os
import pathlib
import subprocess
import time

import sys

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
# tests/reference.py: the Python references, for every module here.
sys.path.insert(0, str(ROOT / "tests"))
BASE = os.environ.get("SOPM_URL", "http://127.0.0.1:18080")
STATE = pathlib.Path(os.environ.get("SOPM_STATE", ROOT / "var" / "test"))
JSON = {"Content-Type": "application/json"}


class Api:
    """A thin client: every call returns the requests.Response."""

    def __init__(self):
        self.s = requests.Session()

    def get(self, path, **kw):
        kw.setdefault("timeout", 30)
        return self.s.get(BASE + path, **kw)

    def post(self, path, body=None, raw=None, headers=None, **kw):
        kw.setdefault("timeout", 30)
        h = dict(JSON)
        h.update(headers or {})
        data = raw if raw is not None else json.dumps(body)
        return self.s.post(BASE + path, data=data, headers=h, **kw)

    def request(self, method, path, **kw):
        kw.setdefault("timeout", 30)
        return self.s.request(method, BASE + path, **kw)

    def execute(self, function, input=None, **extra):
        body = {"function": function, "input": input or {}}
        body.update(extra)
        return self.post("/api/execute", body)

    def stats(self):
        r = self.get("/api/stats")
        assert r.status_code == 200, r.text
        return r.json()

    def wait_job(self, job_id, timeout=30):
        """Polls a job until it is finished; returns the record."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = self.get(f"/api/status/{job_id}")
            assert r.status_code == 200, r.text
            rec = r.json()
            if rec["status"] in ("completed", "failed", "timeout"):
                return rec
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not finish: {rec}")


@pytest.fixture(scope="session")
def api():
    return Api()


def assert_error(r, status, code):
    """The error contract: status, the one body shape, a request id."""
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) >= {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert r.headers.get("X-Request-Id")
    return body


def stack(*args):
    """Runs scripts/stack.sh against this test instance."""
    env = dict(os.environ, SOPM_STATE=str(STATE))
    subprocess.run([str(ROOT / "scripts" / "stack.sh"), *args], env=env,
                   check=True, stdout=subprocess.DEVNULL, timeout=120)


def master_pid():
    return int((STATE / "run" / "fcgi.pid").read_text().split()[0])


def worker_pids():
    """The live children of the pool's master."""
    pid = master_pid()
    text = pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return sorted(int(p) for p in text.split())


def wait_until(pred, timeout=20, step=0.1, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def redis(*args):
    out = subprocess.run(["redis-cli", "-s", str(STATE / "run" / "redis.sock"),
                          *map(str, args)], check=True, capture_output=True,
                         text=True, timeout=10)
    return out.stdout.strip()


# ---- the registry (MariaDB), administered in plain SQL as the admin ----

def sql(query, database="sopm"):
    """Runs SQL as the database's admin account (root over the stack's
    socket, as an administrator would); returns the rows as lists of
    strings (NULL as None)."""
    out = subprocess.run(
        ["mariadb", "--no-defaults", "--socket", str(STATE / "run" / "mysql.sock"),
         "--batch", "--skip-column-names", "--default-character-set=utf8mb4",
         database],
        input=query, check=True, capture_output=True, text=True, timeout=30)
    return [[None if c == "NULL" else c for c in line.split("\t")]
            for line in out.stdout.splitlines()]


def admin_script(script_name, **variables):
    """Runs sql/admin/<name>.sql with @variables set (strings quoted, None
    as NULL, bools as TRUE/FALSE); returns its rows."""
    def lit(v):
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, (int, float)):
            return repr(v)
        return "'" + str(v).replace("\\", "\\\\").replace("'", "''") + "'"
    sets = ", ".join(f"@{k} = {lit(v)}" for k, v in variables.items())
    script = (ROOT / "sql" / "admin" / f"{script_name}.sql").read_text()
    return sql(f"SET {sets};\n{script}")


class Tenant(Api):
    """A user of the platform with their own API key (made with
    sql/admin/create_user.sql and create_key.sql)."""

    def __init__(self, name, admin=False):
        super().__init__()
        self.name = name
        self.user_id = int(admin_script("create_user", name=name,
                                        is_admin=admin)[-1][0])
        self.key = admin_script("create_key", user=name)[-1][0]
        assert self.key and self.key.startswith("sopm_"), self.key
        self.s.headers["Authorization"] = "Bearer " + self.key

    def new_key(self):
        return admin_script("create_key", user=self.name)[-1][0]

    def upload(self, name, code="def handle(event, context):\n    return event\n",
               runtime="python3", **extra):
        body = {"name": name, "runtime": runtime, "code": code}
        body.update(extra)
        return self.post("/api/user-functions", body)

    def put(self, path, body, **kw):
        kw.setdefault("timeout", 30)
        return self.s.put(BASE + path, data=json.dumps(body), headers=JSON, **kw)

    def delete(self, path, **kw):
        kw.setdefault("timeout", 30)
        return self.s.delete(BASE + path, **kw)


_tenants = 0


def new_tenant(prefix="user", admin=False):
    """A fresh user with a unique name (tests share one database)."""
    global _tenants
    _tenants += 1
    return Tenant(f"{prefix}-{os.getpid()}-{_tenants}-{int(time.time() * 1000) % 100000}",
                  admin=admin)


# ---- sopm-builder ----

def builder_pid():
    f = STATE / "run" / "builder.pid"
    return int(f.read_text().split()[0]) if f.exists() else None


def without_builder():
    """For a module that pins the registry's behaviour with no builder
    taking jobs (versions stay `pending`): stops sopm-builder for the
    module; the builder's own tests (test_builder.py) start it again."""
    stack("stop-service", "builder")


def conf_set(**keys):
    """Appends keys to the instance config (later keys win; `a__b` is
    `a.b`) and restarts the builder so that it reads them."""
    with open(STATE / "sopm.conf", "a") as f:
        for k, v in keys.items():
            f.write(f"{k.replace('__', '.')} = {v}\n")
    stack("stop-service", "builder")
    stack("start-service", "builder")


UF = "/api/user-functions"
BUILD_S = 120  # a build once the runtime's base image is there


def upload(t, name, code, runtime, **extra):
    r = t.upload(name, code=code, runtime=runtime, **extra)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def version_of(t, fid, version):
    r = t.get(f"{UF}/{fid}")
    assert r.status_code == 200, r.text
    return next(v for v in r.json()["versions"] if v["version"] == version)


def built(t, fid, version=1, timeout=BUILD_S):
    """Waits for the version to leave pending/building; returns it."""
    return wait_until(
        lambda: (lambda v: v if v["status"] in ("ready", "failed") else None)(
            version_of(t, fid, version)),
        timeout=timeout, step=0.5, what=f"function {fid} v{version} to build")
