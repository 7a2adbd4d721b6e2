"""Async jobs are never lost nor stuck, whatever fails: Redis killed and
restarted under load, a run past its deadline on a live worker (and the late
finish of that run), an id left in a live worker's processing list. The
queue protocol is lib/sopm_jobq (see its header)."""
import json
import os
import signal
import threading
import time

from conftest import STATE, assert_error, redis, stack, wait_until

FINAL = ("completed", "failed", "timeout")


def redis_pid():
    return int((STATE / "run" / "redis.pid").read_text().split()[0])


def alive(pid):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def status_of(api, job_id):
    r = api.get(f"/api/status/{job_id}")
    assert r.status_code == 200, (job_id, r.status_code, r.text)
    return r.json()


def wait_all_final(api, ids, timeout):
    """Polls until every job is final; returns {id: record}."""
    done, deadline = {}, time.time() + timeout
    while len(done) < len(ids) and time.time() < deadline:
        for job_id in ids:
            if job_id not in done:
                rec = status_of(api, job_id)
                if rec["status"] in FINAL:
                    done[job_id] = rec
        time.sleep(0.2)
    stuck = {j: status_of(api, j)["status"] for j in ids if j not in done}
    assert not stuck, f"{len(stuck)} jobs not final after {timeout} s: " \
        f"{list(stuck.items())[:5]}"
    return done


def ensure_redis_ready(api):
    """Leaves Redis up and the pool ready for the tests that follow."""
    stack("start-service", "redis")
    wait_until(lambda: api.get("/readyz").status_code == 200, timeout=30,
               what="readiness with Redis back")


def test_every_job_ends_across_a_redis_sigkill(api):
    accepted = []
    stop = threading.Event()

    def submitter():
        # Keeps submitting through the kill: 202 before, 503 while Redis is
        # away, 202 again after. Every 202 counts.
        import requests
        from conftest import BASE, JSON
        s = requests.Session()
        while not stop.is_set():
            r = s.post(BASE + "/api/execute", headers=JSON, timeout=30,
                       data=json.dumps({"function": "sleep", "async": True,
                                        "input": {"ms": 50}}))
            if r.status_code == 202:
                accepted.append(r.json()["job_id"])
            else:
                assert r.status_code == 503, (r.status_code, r.text)
            time.sleep(0.01)

    for _ in range(100):  # queued and running when Redis dies
        r = api.execute("sleep", {"ms": 50}, **{"async": True})
        assert r.status_code == 202, r.text
        accepted.append(r.json()["job_id"])
    t = threading.Thread(target=submitter, daemon=True)
    t.start()
    try:
        time.sleep(0.3)  # some done, some finishing, most still queued
        pid = redis_pid()
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not alive(pid), timeout=10, what="redis to die")
        # Away longer than a heartbeat (5 s): after the restart every
        # owner looks dead to the first supervisor that runs.
        down_until = time.time() + 6
        while time.time() < down_until:
            r = api.execute("word_count", {"text": "still here"})
            assert r.status_code == 200, r.text
            assert_error(api.execute("echo", {}, **{"async": True}), 503,
                         "unavailable")
            time.sleep(0.5)
        stack("start-service", "redis")
        wait_until(lambda: api.get("/readyz").status_code == 200,
                   timeout=30, what="readiness after the restart")
        time.sleep(1)  # submissions after the restart, too
    finally:
        stop.set()
        t.join(timeout=30)
        if not alive_redis():
            ensure_redis_ready(api)
    assert len(accepted) > 100
    # A run's deadline is jobs.timeout_ms (30 s) + 5 s after its start: the
    # backstop when an outcome was lost; deferred outcomes come sooner.
    done = wait_all_final(api, accepted, timeout=90)
    for rec in done.values():
        if rec["status"] == "completed":
            assert rec["result"] == {"slept_ms": 50}, rec
        else:
            assert rec["error"]["code"] in ("internal", "timeout"), rec
    # Nothing is left in flight: no taken id, no pending deadline.
    wait_until(lambda: api.stats()["jobs"]["running"] == 0, timeout=15,
               what="no job running")
    assert api.stats()["jobs"]["queued"] == 0
    wait_until(lambda: redis("ZCARD", "sopm:jobs:deadlines") == "0",
               timeout=15, what="no deadline left")


def alive_redis():
    try:
        return alive(redis_pid())
    except (FileNotFoundError, ValueError):
        return False


def test_run_past_its_deadline_times_out_and_its_late_end_is_fenced(api):
    r = api.execute("sleep", {"ms": 2500}, **{"async": True})
    assert r.status_code == 202, r.text
    job_id = r.json()["job_id"]
    wait_until(lambda: redis("HGET", f"sopm:job:{job_id}", "status") ==
               "running", timeout=10, what="the job to run")
    worker = int(redis("HGET", f"sopm:job:{job_id}", "worker"))
    # Its deadline passes while its (live) worker still runs it.
    assert redis("ZADD", "sopm:jobs:deadlines", "XX", "CH", 1, job_id) == "1"
    rec = wait_until(lambda: (lambda x: x if x["status"] in FINAL else None)(
        status_of(api, job_id)), timeout=10, what="the deadline")
    assert rec["status"] == "timeout", rec
    assert rec["error"]["code"] == "timeout", rec
    assert "result" not in rec
    assert alive(worker)
    # The run itself ends later; its outcome must not overwrite the newer
    # one.
    time.sleep(3)
    assert status_of(api, job_id) == rec
    assert redis("ZSCORE", "sopm:jobs:deadlines", job_id) == ""


def test_id_held_by_nobody_in_a_live_list_is_taken_back(api):
    """A take whose reply was lost leaves an id in a live worker's list
    that none of its threads holds: its own supervisor takes it back."""
    owners = redis("SMEMBERS", "sopm:jobs:owners").split()
    assert owners
    job_id = "f" * 8 + os.urandom(12).hex()
    key = f"sopm:job:{job_id}"
    redis("HSET", key, "id", job_id, "function", "echo", "kind", "catalog",
          "status", "queued", "created_at", "2026-01-01T00:00:00.000Z",
          "input", '{"lost":true}', "attempts", "0")
    redis("EXPIRE", key, 3600)
    redis("LPUSH", f"sopm:jobs:processing:{owners[0]}", job_id)
    rec = api.wait_job(job_id, timeout=20)
    assert rec["status"] == "completed", rec
    assert rec["result"] == {"lost": True}
    assert rec["attempts"] == 1
