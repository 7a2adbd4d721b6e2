"""POST /api/user-functions/:id/execute with no executor (API.md "User
functions", "Errors"; issue 9): what the pool does on its own. sopm-builder
is stopped, so a ready version (marked so in SQL) is queued on the run queue
and nobody takes it; where a test needs a run to be taken or to end, it plays
the executor's part by hand in Redis, in the queue's own format (lib/
sopm_jobq.h, lib/sopm_runs.h), and the pool's answers and its supervisor are
what is checked. The executor's real runs are test_builder.py's."""
import json
import re
import secrets
import threading
import time

import pytest

from conftest import (admin_script, assert_error, new_tenant, redis,
                      sql, wait_until, without_builder)

UF = "/api/user-functions"
MARGIN_S = 30  # SOPM_JOBQ_COLD_START_MARGIN_MS
HEX32 = re.compile(r"^[0-9a-f]{32}$")
FINAL = ("completed", "failed", "timeout")


@pytest.fixture(scope="module", autouse=True)
def _no_builder():
    without_builder()


@pytest.fixture(scope="module")
def owner():
    t = new_tenant("exec")
    admin_script("set_quota", user=t.name, rate_per_s=100000, burst=100000,
                 max_concurrency=None, max_functions=1000)
    return t


_runs = []  # job ids of this module, taken off the queue at the end


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    for job in _runs:
        redis("LREM", "sopm:runs:queue", 0, job)


def ready_function(t, timeout_ms=100):
    """A function whose version 1 is `ready` (set in SQL: no build)."""
    r = t.upload(f"ex-{secrets.token_hex(4)}", timeout_ms=timeout_ms)
    assert r.status_code == 201, r.text
    f = r.json()
    sql(f"UPDATE function_versions SET status = 'ready' "
        f"WHERE function_id = {f['id']} AND version = 1")
    return f


def queued_run(fid, timeout=10):
    """The id of the run of function fid that waits in the run queue."""
    def find():
        for job in redis("LRANGE", "sopm:runs:queue", 0, -1).split():
            if redis("HGET", f"sopm:job:{job}", "function_id") == str(fid):
                return job
        return None
    job = wait_until(find, timeout=timeout, step=0.05, what="a queued run")
    _runs.append(job)
    return job


def take(job, owner, alive=True):
    """Takes job off the queue as `owner` would (BLMOVE, then start),
    with a heartbeat while alive."""
    # In this order: the pool's supervisor may look at any moment.
    redis("LREM", "sopm:runs:queue", 0, job)
    redis("HSET", f"sopm:job:{job}", "status", "running", "attempts", 1,
          "owner", owner, "started_at", "2026-12-04T00:00:00.000Z")
    redis("ZADD", "sopm:runs:deadlines", int(time.time() * 1000) + 60000, job)
    if alive:
        redis("SET", f"sopm:runs:owner:{owner}", 1, "PX", 60000)
    redis("LPUSH", f"sopm:runs:processing:{owner}", job)
    redis("SADD", "sopm:runs:owners", owner)


def finish(job, owner, status, fields):
    """Ends job as sopm_jobq_finish_ex does: extra fields as JSON text."""
    args = []
    for k, v in fields.items():
        args += [k, v]
    redis("HSET", f"sopm:job:{job}", "status", status, "finished_at",
          "2026-12-04T00:00:01.000Z", *args)
    redis("LREM", f"sopm:runs:processing:{owner}", 0, job)
    redis("ZREM", "sopm:runs:deadlines", job)
    redis("RPUSH", f"sopm:job:{job}:done", 1)
    redis("DEL", f"sopm:runs:owner:{owner}")
    redis("SREM", "sopm:runs:owners", owner)


class SyncCall(threading.Thread):
    """A sync execute in the background; .r is its response."""

    def __init__(self, t, fid, body=None):
        super().__init__(daemon=True)
        self.t, self.fid, self.body = t, fid, body or {"input": {"a": 1}}
        self.r, self.seconds = None, None

    def run(self):
        t0 = time.monotonic()
        self.r = self.t.post(f"{UF}/{self.fid}/execute", self.body,
                             timeout=MARGIN_S + 60)
        self.seconds = time.monotonic() - t0

    def answer(self, timeout=MARGIN_S + 30):
        self.join(timeout)
        assert self.r is not None, "no answer"
        return self.r


def test_sync_without_executor_is_504_within_timeout_and_margin(owner):
    f = ready_function(owner, timeout_ms=100)
    call = SyncCall(owner, f["id"])
    call.start()
    job = queued_run(f["id"])
    r = call.answer()
    body = assert_error(r, 504, "timeout")
    assert 30 <= call.seconds < 0.1 + MARGIN_S + 5, call.seconds
    assert body["error"]["job_id"] == job
    assert "goes on" in body["error"]["message"]
    assert job in body["error"]["message"]
    # The job stays, queued, readable by its owner
    rec = owner.get(f"/api/status/{job}").json()
    assert rec["status"] == "queued" and rec["kind"] == "user"
    assert rec["function"] == f["name"]
    assert rec["function_id"] == f["id"] and rec["version"] == 1
    assert rec["user_id"] == owner.user_id
    assert "input" not in rec and "timeout_ms" not in rec
    # The concurrency slot was given back
    assert redis("GET", f"sopm:running:{owner.user_id}") in ("", "0")


def test_async_is_202_and_readable(owner):
    f = ready_function(owner)
    r = owner.post(f"{UF}/{f['id']}/execute", {"input": {"x": [1, 2]},
                                              "async": True})
    assert r.status_code == 202, r.text
    body = r.json()
    assert HEX32.match(body["job_id"])
    _runs.append(body["job_id"])
    assert body["status"] == "queued" and body["function"] == f["name"]
    assert body["status_url"] == f"/api/status/{body['job_id']}"
    assert r.headers["Location"] == body["status_url"]
    # Prefer: respond-async, and version by number
    r = owner.post(f"{UF}/{f['id']}/execute", {"version": 1},
                   headers={"Prefer": "respond-async"})
    assert r.status_code == 202, r.text
    _runs.append(r.json()["job_id"])
    # The record: the run's input is {function_id, version, user_id, input,
    # submitted_us} (lib/sopm_runs.h)
    job = body["job_id"]
    assert redis("HGET", f"sopm:job:{job}", "kind") == "user"
    assert redis("HGET", f"sopm:job:{job}", "timeout_ms") == "100"
    stored = json.loads(redis("HGET", f"sopm:job:{job}", "input"))
    submitted = stored.pop("submitted_us")
    assert stored == {"function_id": f["id"], "version": 1,
                      "user_id": owner.user_id, "input": {"x": [1, 2]}}
    assert abs(submitted / 1e6 - time.time()) < 60, submitted
    rec = owner.get(f"/api/status/{job}").json()
    assert rec["status"] == "queued" and rec["function_id"] == f["id"]
    # another user: 404; no key: 404
    assert_error(new_tenant("stranger").get(f"/api/status/{job}"), 404,
                 "not_found")


def test_run_of_a_dead_executor_fails_and_is_never_run_again(owner):
    """A run taken by an owner whose heartbeat is gone: the pool's
    supervisor fails it (attempts 1 on "runs"), and the waiting sync call
    answers at once."""
    f = ready_function(owner)
    call = SyncCall(owner, f["id"])
    call.start()
    job = queued_run(f["id"])
    take(job, f"dead-{secrets.token_hex(4)}", alive=False)
    r = call.answer(timeout=15)
    body = assert_error(r, 500, "internal")
    assert body["error"]["job_id"] == job
    assert call.seconds < 10
    rec = owner.get(f"/api/status/{job}").json()
    assert rec["status"] == "failed", rec
    assert rec["error"]["code"] == "internal"
    assert job not in redis("LRANGE", "sopm:runs:queue", 0, -1).split()


def test_run_past_its_deadline_is_timeout(owner):
    f = ready_function(owner)
    r = owner.post(f"{UF}/{f['id']}/execute", {"async": True})
    assert r.status_code == 202
    job = r.json()["job_id"]
    _runs.append(job)
    worker = f"slow-{secrets.token_hex(4)}"
    take(job, worker)
    redis("ZADD", "sopm:runs:deadlines", "XX", 1, job)
    rec = owner.wait_job(job, timeout=10)
    assert rec["status"] == "timeout" and rec["error"]["code"] == "timeout"
    assert redis("LLEN", f"sopm:job:{job}:done") == "1"
    redis("DEL", f"sopm:runs:owner:{worker}")


EXTRAS = {"cold_start": "true", "init_us": "180000", "wait_us": "40",
          "logs": '"hello\\nworld\\n"'}


def test_sync_completed_answer(owner):
    f = ready_function(owner)
    call = SyncCall(owner, f["id"])
    call.start()
    job = queued_run(f["id"])
    worker = f"ok-{secrets.token_hex(4)}"
    take(job, worker)
    finish(job, worker, "completed", dict(EXTRAS, result='{"hi":"x"}',
                                          duration_us="1234"))
    r = call.answer(timeout=15)
    assert r.status_code == 200, r.text
    assert r.json() == {"job_id": job, "function": f["name"], "version": 1,
                        "status": "completed", "result": {"hi": "x"},
                        "duration_us": 1234, "cold_start": True,
                        "init_us": 180000, "wait_us": 40,
                        "logs": "hello\nworld\n"}
    rec = owner.get(f"/api/status/{job}").json()
    assert rec["cold_start"] is True and rec["init_us"] == 180000
    assert rec["logs"] == "hello\nworld\n" and rec["result"] == {"hi": "x"}


@pytest.mark.parametrize("status,error,http,code", [
    ("failed", '{"code":"function_error","message":"ValueError: no",'
     '"reason":"exception"}', 502, "function_error"),
    ("failed", '{"code":"function_error","message":"out of memory",'
     '"reason":"oom"}', 502, "function_error"),
    ("timeout", '{"code":"timeout","message":"over 100 ms"}', 504,
     "timeout"),
])
def test_sync_error_answers(owner, status, error, http, code):
    f = ready_function(owner)
    call = SyncCall(owner, f["id"])
    call.start()
    job = queued_run(f["id"])
    worker = f"err-{secrets.token_hex(4)}"
    take(job, worker)
    finish(job, worker, status, dict(EXTRAS, error=error, duration_us="9"))
    body = assert_error(call.answer(timeout=15), http, code)
    e = body["error"]
    assert e["job_id"] == job and e["logs"] == "hello\nworld\n"
    want = json.loads(error)
    assert e["message"] == want["message"]
    if "reason" in want:
        assert e["reason"] == want["reason"]


def test_409_paths_stay(owner):
    r = owner.upload(f"ex-{secrets.token_hex(4)}")
    fid = r.json()["id"]
    assert_error(owner.post(f"{UF}/{fid}/execute", {}), 409, "conflict")
    sql(f"UPDATE function_versions SET status = 'failed' "
        f"WHERE function_id = {fid}")
    body = assert_error(owner.post(f"{UF}/{fid}/execute", {}), 409,
                        "conflict")
    assert "build_log" in body["error"]["message"]


# ---- the executor's figures: /api/stats and /metrics ----

def test_stats_and_metrics_zeros_without_a_hash(api):
    redis("DEL", "sopm:executor:stats")
    s = api.stats()
    ex = s["user_functions"]["executor"]
    for k in ("cold_starts", "warm_starts", "evictions", "warm_sandboxes",
              "calls"):
        assert ex[k] == 0, (k, ex)
    for h in ("init_us", "build_ms"):
        assert ex[h]["count"] == 0 and ex[h]["sum"] == 0, ex[h]
        assert set(ex[h]["buckets"].values()) == {0}
        assert "inf" in ex[h]["buckets"]
    assert s["sandboxes"] == {"warm": 0, "cold_starts": 0, "warm_starts": 0}
    text = api.get("/metrics").text
    for line in ("sopm_user_cold_starts_total 0",
                 "sopm_user_warm_starts_total 0",
                 "sopm_user_evictions_total 0", "sopm_user_warm_sandboxes 0",
                 'sopm_user_init_seconds_bucket{le="+Inf"} 0',
                 "sopm_user_init_seconds_count 0",
                 'sopm_user_build_seconds_bucket{le="+Inf"} 0',
                 "sopm_user_build_seconds_count 0"):
        assert re.search("^" + re.escape(line) + "$", text, re.M), line
    assert "# TYPE sopm_user_warm_sandboxes gauge" in text
    assert "# TYPE sopm_user_init_seconds histogram" in text


def test_stats_and_metrics_read_the_hash(api):
    key = "sopm:executor:stats"
    redis("DEL", key)
    try:
        redis("HSET", key, "cold_starts", 3, "warm_starts", 40,
              "warm_sandboxes", 2, "calls", 43,
              "init_us_bucket_100000", 1, "init_us_bucket_250000", 2,
              "init_us_sum", 500000, "init_us_count", 3,
              "build_ms_bucket_2500", 1, "build_ms_bucket_inf", 1,
              "build_ms_sum", 402431, "build_ms_count", 2)
        s = api.stats()
        ex = s["user_functions"]["executor"]
        assert ex["cold_starts"] == 3 and ex["calls"] == 43
        assert ex["init_us"]["count"] == 3 and ex["init_us"]["p50"] == 250000
        assert ex["build_ms"]["buckets"]["inf"] == 1
        assert s["sandboxes"] == {"warm": 2, "cold_starts": 3,
                                  "warm_starts": 40}
        text = api.get("/metrics").text
        # cumulative buckets, in seconds
        for line in ('sopm_user_init_seconds_bucket{le="0.05"} 0',
                     'sopm_user_init_seconds_bucket{le="0.1"} 1',
                     'sopm_user_init_seconds_bucket{le="0.25"} 3',
                     'sopm_user_init_seconds_bucket{le="+Inf"} 3',
                     "sopm_user_init_seconds_sum 0.500000",
                     "sopm_user_init_seconds_count 3",
                     'sopm_user_build_seconds_bucket{le="2.5"} 1',
                     'sopm_user_build_seconds_bucket{le="300"} 1',
                     'sopm_user_build_seconds_bucket{le="+Inf"} 2',
                     "sopm_user_build_seconds_sum 402.431000",
                     "sopm_user_warm_sandboxes 2",
                     "sopm_user_cold_starts_total 3"):
            assert re.search("^" + re.escape(line) + "$", text, re.M), line
    finally:
        redis("DEL", key)
