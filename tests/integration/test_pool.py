"""The pool as a running system: statistics, worker death, reload, drain,
privileges, dependency outages, migrations and the stack script.

These act on the test instance's processes (by the PIDs its own pid files
name) and restore them before they end."""
import os
import pathlib
import signal
import subprocess
import threading
import time

import pytest

from conftest import (ROOT, STATE, assert_error, master_pid, redis, stack,
                      wait_until, worker_pids)


def configured_workers(api):
    return api.stats()["workers"]["configured"]


def test_stats_count_exactly_n(api):
    n = 37
    before = api.stats()
    for i in range(n):
        assert api.execute("word_count", {"text": f"a b {i}"}).status_code == 200
    after = api.stats()
    fn_before = before["executions"]["by_function"].get("word_count", {"count": 0})
    fn_after = after["executions"]["by_function"]["word_count"]
    assert fn_after["count"] - fn_before["count"] == n
    assert after["executions"]["total"] - before["executions"]["total"] == n
    # A request is counted once its response is written: the first stats
    # call shows up in the second.
    assert after["requests"]["total"] - before["requests"]["total"] == n + 1
    ok_before = before["requests"]["by_status"].get("200", 0)
    assert after["requests"]["by_status"]["200"] - ok_before == n + 1


def test_stats_count_errors(api):
    before = api.stats()
    for _ in range(5):
        assert api.execute("word_count", {"text": 1}).status_code == 400
    after = api.stats()
    assert after["executions"]["errors"] - before["executions"]["errors"] == 5
    wc_b = before["executions"]["by_function"].get("word_count", {"errors": 0})
    assert after["executions"]["by_function"]["word_count"]["errors"] - wc_b["errors"] == 5
    assert after["requests"]["by_status"]["400"] - before["requests"]["by_status"].get("400", 0) == 5


def test_metrics_agree_with_stats(api):
    api.execute("echo", {"x": 1})
    text = api.get("/metrics").text
    count = [l for l in text.splitlines()
             if l.startswith('sopm_execution_duration_seconds_count{function="echo"}')]
    assert len(count) == 1
    stats = api.stats()
    assert int(count[0].split()[-1]) <= stats["executions"]["by_function"]["echo"]["count"]
    assert int(count[0].split()[-1]) >= 1


def test_no_worker_serves_as_root():
    # Started as root, the master drops to fcgi.user before forking; started
    # as another user it never had root. Either way no uid may be 0.
    for pid in [master_pid()] + worker_pids():
        status = pathlib.Path(f"/proc/{pid}/status").read_text()
        uids = next(l for l in status.splitlines() if l.startswith("Uid:"))
        assert all(u != "0" for u in uids.split()[1:]), (pid, uids)


def test_sigkilled_worker_is_replaced(api):
    n = configured_workers(api)
    before = worker_pids()
    assert len(before) == n
    restarts = api.stats()["workers"]["restarts"]
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: victim not in worker_pids() and len(worker_pids()) == n,
               timeout=5, what="a replacement worker")
    for _ in range(20):
        assert api.get("/healthz").status_code == 200
    stats = api.stats()
    assert stats["workers"]["alive"] == n
    assert stats["workers"]["restarts"] == restarts + 1


def _running_worker(job_id):
    """Waits until the job is running and returns the PID that runs it."""
    def running():
        if redis("HGET", f"sopm:job:{job_id}", "status") == "running":
            return int(redis("HGET", f"sopm:job:{job_id}", "worker"))
        return None
    return wait_until(running, timeout=10, what=f"job {job_id} running")


def test_async_job_survives_sigkill_of_its_worker(api):
    r = api.execute("sleep", {"ms": 1500}, **{"async": True})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    os.kill(_running_worker(job_id), signal.SIGKILL)
    rec = api.wait_job(job_id, timeout=40)
    assert rec["status"] == "completed", rec
    assert rec["result"] == {"slept_ms": 1500}
    assert rec["attempts"] == 2


def test_async_job_fails_when_every_attempt_dies(api):
    r = api.execute("sleep", {"ms": 3000}, **{"async": True})
    job_id = r.json()["job_id"]
    for attempt in (1, 2):
        wait_until(lambda: redis("HGET", f"sopm:job:{job_id}", "attempts") == str(attempt),
                   timeout=20, what=f"attempt {attempt}")
        os.kill(_running_worker(job_id), signal.SIGKILL)
    rec = api.wait_job(job_id, timeout=40)
    assert rec["status"] == "failed", rec
    assert rec["error"]["code"] == "internal"
    assert "result" not in rec


class Load(threading.Thread):
    """Sends sync executes until stopped; records every non-200."""

    def __init__(self, api):
        super().__init__(daemon=True)
        self.api, self.stop, self.ok, self.bad = api, threading.Event(), 0, []

    def run(self):
        import requests
        s = requests.Session()
        from conftest import BASE, JSON
        while not self.stop.is_set():
            try:
                r = s.post(BASE + "/api/execute", data='{"function":"echo","input":{"a":1}}',
                           headers=JSON, timeout=10)
                if r.status_code == 200:
                    self.ok += 1
                else:
                    self.bad.append((r.status_code, r.text[:200]))
            except Exception as e:  # a refused or reset connection is a failure
                self.bad.append(("exception", repr(e)))


def test_reload_under_load_fails_no_request(api):
    loads = [Load(api) for _ in range(4)]
    for l in loads:
        l.start()
    time.sleep(0.5)
    first = set(worker_pids())
    conf = STATE / "sopm.conf"
    original = conf.read_text()
    try:
        conf.write_text(original + "\nfcgi.threads = 24\n")
        os.kill(master_pid(), signal.SIGHUP)
        wait_until(lambda: not (set(worker_pids()) & first), timeout=20,
                   what="the old workers to drain")
        time.sleep(0.5)
        second = set(worker_pids())
        conf.write_text(original)
        os.kill(master_pid(), signal.SIGHUP)
        wait_until(lambda: not (set(worker_pids()) & second), timeout=20,
                   what="the second reload")
        time.sleep(0.5)
    finally:
        conf.write_text(original)
        for l in loads:
            l.stop.set()
        for l in loads:
            l.join()
    assert sum(l.ok for l in loads) > 100
    assert [b for l in loads for b in l.bad] == []
    assert len(worker_pids()) == configured_workers(api)


def test_bad_config_on_reload_keeps_the_pool(api):
    conf = STATE / "sopm.conf"
    original = conf.read_text()
    before = worker_pids()
    try:
        conf.write_text(original + "\nfcgi.threads = many\n")
        os.kill(master_pid(), signal.SIGHUP)
        time.sleep(1)
        assert worker_pids() == before
        assert api.execute("echo", {"a": 1}).status_code == 200
    finally:
        conf.write_text(original)


def test_sigterm_finishes_in_flight_requests(api):
    results = {}

    def slow():
        results["r"] = api.execute("sleep", {"ms": 1500})

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.4)
    master = master_pid()
    os.kill(master, signal.SIGTERM)
    t.join(timeout=20)
    try:
        assert results["r"].status_code == 200, results["r"].text
        assert results["r"].json()["result"] == {"slept_ms": 1500}
        wait_until(lambda: not pathlib.Path(f"/proc/{master}").exists(),
                   timeout=15, what="the master to exit")
    finally:
        stack("start-service", "fcgi")
    assert api.get("/healthz").status_code == 200


@pytest.mark.parametrize("service,check", [("redis", "redis"), ("mariadb", "mysql")])
def test_catalog_works_while_a_dependency_is_down(api, service, check):
    stack("stop-service", service)
    try:
        r = api.execute("word_count", {"text": "still here"})
        assert r.status_code == 200, r.text
        assert r.json()["result"]["words"] == 2
        ready = api.get("/readyz")
        body = assert_error(ready, 503, "unavailable")
        assert body["checks"][check] == "down"
        assert check in body["error"]["message"]
        if service == "redis":
            assert_error(api.execute("echo", {}, **{"async": True}), 503, "unavailable")
            assert_error(api.get("/api/status/" + "0" * 32), 503, "unavailable")
            assert api.stats()["jobs"]["queued"] is None
        else:  # a route flagged "needs MariaDB" answers 503 before its key
            assert_error(api.get("/api/user-functions"), 503, "unavailable")
        assert api.get("/api/stats").status_code == 200
        assert api.get("/api/functions").status_code == 200
    finally:
        stack("start-service", service)
    wait_until(lambda: api.get("/readyz").status_code == 200, timeout=20,
               what="readiness after restart")
    if service == "redis":
        r = api.execute("echo", {"back": True}, **{"async": True})
        assert r.status_code == 202
        assert api.wait_job(r.json()["job_id"])["result"] == {"back": True}


def mariadb(sql):
    out = subprocess.run(["mariadb", "--socket", str(STATE / "run" / "mysql.sock"),
                          "-N", "-B", "sopm", "-e", sql], check=True,
                         capture_output=True, text=True, timeout=30)
    return out.stdout.strip()


def test_migrations_are_recorded_and_rerun_is_a_noop():
    applied = mariadb("SELECT version FROM schema_migrations ORDER BY version")
    files = sorted(p.name for p in (ROOT / "sql").glob("[0-9][0-9][0-9]_*.sql"))
    assert [int(v) for v in applied.split()] == [int(f[:3]) for f in files]
    env = dict(os.environ, SOPM_STATE=str(STATE))
    subprocess.run([str(ROOT / "scripts" / "migrate.sh")], env=env, check=True,
                   capture_output=True, timeout=60)
    assert mariadb("SELECT version FROM schema_migrations ORDER BY version") == applied
    assert mariadb("SELECT value FROM platform_info WHERE name='schema'") == "sopm"


def test_start_again_changes_nothing():
    before = (master_pid(), worker_pids())
    env = dict(os.environ, SOPM_STATE=str(STATE))
    out = subprocess.run([str(ROOT / "scripts" / "stack.sh"), "start"], env=env,
                         check=True, capture_output=True, text=True, timeout=60)
    assert "already" in out.stdout.lower()
    assert (master_pid(), worker_pids()) == before
