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
