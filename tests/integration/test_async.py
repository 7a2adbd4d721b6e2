"""Async catalog jobs over HTTP: 202 + Location, Prefer: respond-async,
polling to the final record, timestamps, running before completed, many
jobs at once, and the errors that must come at submit time."""
import datetime
import re
import time

import pytest

from conftest import assert_error

HEX32 = re.compile(r"^[0-9a-f]{32}$")
RFC3339_MS = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:"
    r"[0-5]\d\.\d{3}Z$")


def parse_ts(s):
    assert RFC3339_MS.match(s), s
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def check_accepted(r, function=None):
    assert r.status_code == 202, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert {"job_id", "status", "status_url"} <= set(body), body
    job_id = body["job_id"]
    assert HEX32.match(job_id), body
    assert body["status"] == "queued"
    assert body["status_url"] == f"/api/status/{job_id}"
    assert r.headers["Location"] == f"/api/status/{job_id}"
    if function is not None and "function" in body:
        assert body["function"] == function
    return job_id


def submit(api, fn, inp, prefer=False):
    if prefer:
        return api.post("/api/execute", {"function": fn, "input": inp},
                        headers={"Prefer": "respond-async"})
    return api.execute(fn, inp, **{"async": True})


def check_completed(rec, job_id, fn, result):
    assert rec["job_id"] == job_id
    assert rec["function"] == fn
    assert rec["kind"] == "catalog"
    assert rec["status"] == "completed", rec
    assert rec["result"] == result, rec
    assert "error" not in rec, rec
    for leak in ("input", "worker"):
        assert leak not in rec, rec
    created = parse_ts(rec["created_at"])
    started = parse_ts(rec["started_at"])
    finished = parse_ts(rec["finished_at"])
    assert created <= started <= finished, rec
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((now - created).total_seconds()) < 120, (now, rec)
    assert type(rec["duration_us"]) is int and rec["duration_us"] >= 0
    # The run is inside [started, finished] (1 ms rounding of each end).
    assert rec["duration_us"] <= (finished - started).total_seconds() * 1e6 \
        + 2000, rec


CASES = [
    ("word_count", {"text": "Hello hello wörld\nsecond line"}),
    ("echo", {"a": [1, 2.5, None, True], "b": {"c": "é😀"}}),
    ("sort", {"items": [3, 1.5, -2, 10], "order": "desc"}),
    ("hash", {"text": "héllo", "algorithm": "sha256"}),
    ("statistics", {"values": [1, 2, 2, 3, 4, 7, 9]}),
    ("calculate", {"expression": "2^10 + 1"}),
    ("slugify", {"text": "Crème Brûlée"}),
    ("base64", {"text": "héllo"}),
    ("unique", {"items": [1, 1, "a", "a"]}),
]


@pytest.mark.parametrize("fn,inp", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("prefer", [False, True], ids=["body", "prefer"])
def test_async_lifecycle_matches_sync(api, fn, inp, prefer):
    sync = api.execute(fn, inp)
    assert sync.status_code == 200, sync.text
    job_id = check_accepted(submit(api, fn, inp, prefer), fn)
    rec = api.wait_job(job_id, timeout=30)
    check_completed(rec, job_id, fn, sync.json()["result"])
    # Read again: the record stays, unchanged.
    again = api.get(f"/api/status/{job_id}")
    assert again.status_code == 200 and again.json() == rec


def test_status_url_is_followable(api):
    r = submit(api, "echo", {"x": 1})
    job_id = check_accepted(r)
    rec = api.wait_job(job_id)
    r2 = api.get(r.headers["Location"])
    assert r2.status_code == 200
    assert r2.json() == rec
    assert r2.json()["result"] == {"x": 1}


@pytest.mark.parametrize("prefer", [
    "respond-async",
    "Respond-Async",
    "respond-async, wait=10",
    "wait=10, respond-async",
    "return=minimal,respond-async",
    "respond-async; x=1",
])
def test_prefer_variants_are_async(api, prefer):
    r = api.post("/api/execute", {"function": "echo", "input": {"p": 1}},
                 headers={"Prefer": prefer})
    job_id = check_accepted(r, "echo")
    assert api.wait_job(job_id)["result"] == {"p": 1}


@pytest.mark.parametrize("prefer", ["", "respond-asyncx", "norespond-async",
                                    "wait=10", "return=minimal"])
def test_other_prefer_values_stay_sync(api, prefer):
    r = api.post("/api/execute", {"function": "echo", "input": {"p": 2}},
                 headers={"Prefer": prefer})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed"
    assert r.json()["result"] == {"p": 2}
    assert "Location" not in r.headers


def test_async_record_while_queued_or_running(api):
    job_id = check_accepted(submit(api, "sleep", {"ms": 400}))
    r = api.get(f"/api/status/{job_id}")
    assert r.status_code == 200
    rec = r.json()
    assert rec["status"] in ("queued", "running"), rec
    assert rec["job_id"] == job_id and rec["function"] == "sleep"
    parse_ts(rec["created_at"])
    assert "result" not in rec and "finished_at" not in rec, rec
    done = api.wait_job(job_id)
    assert done["status"] == "completed"


@pytest.mark.parametrize("prefer", [False, True])
@pytest.mark.parametrize("inp,field", [
    ({"text": 5}, "text"),
    ({}, "text"),
    ({"text": "a", "bogus": 1}, "bogus"),
])
def test_async_invalid_input_is_400_at_submit(api, prefer, inp, field):
    r = submit(api, "word_count", inp, prefer)
    body = assert_error(r, 400, "invalid_input")
    assert f"'{field}'" in body["error"]["message"]
    assert "Location" not in r.headers


def test_async_sleep_out_of_range_is_400_at_submit(api):
    r = submit(api, "sleep", {"ms": 10001})
    body = assert_error(r, 400, "invalid_input")
    assert "'ms'" in body["error"]["message"]


def test_async_domain_error_never_lost(api):
    """calculate's division by zero passes the schema; it must either be
    refused at submit (400 invalid_input) or end as a failed job carrying
    the invalid_input error — never stuck, never completed."""
    r = submit(api, "calculate", {"expression": "1/0"})
    if r.status_code == 400:
        assert_error(r, 400, "invalid_input")
        return
    job_id = check_accepted(r)
    rec = api.wait_job(job_id)
    assert rec["status"] == "failed", rec
    assert rec["error"]["code"] == "invalid_input", rec
    assert "expression" in rec["error"]["message"]
    assert "result" not in rec
    parse_ts(rec["finished_at"])


@pytest.mark.parametrize("prefer", [False, True])
@pytest.mark.parametrize("name", ["nope", "WORD_COUNT", "sleep2"])
def test_async_unknown_function_404(api, prefer, name):
    r = submit(api, name, {}, prefer)
    assert_error(r, 404, "not_found")
    assert "Location" not in r.headers


def test_async_bad_envelope_400(api):
    r = api.post("/api/execute", {"function": "echo", "async": "true"})
    assert_error(r, 400, "invalid_input")
    r = api.post("/api/execute", {"function": "echo", "input": [],
                                  "async": True})
    assert_error(r, 400, "invalid_input")


def test_sleep_observed_running_before_completed(api):
    ms = 1200
    job_id = check_accepted(submit(api, "sleep", {"ms": ms}))
    seen = []
    deadline = time.time() + 30
    while time.time() < deadline:
        rec = api.get(f"/api/status/{job_id}").json()
        if not seen or seen[-1] != rec["status"]:
            seen.append(rec["status"])
        if rec["status"] in ("completed", "failed", "timeout"):
            break
        if rec["status"] == "running":
            assert "started_at" in rec and "finished_at" not in rec, rec
            parse_ts(rec["started_at"])
        time.sleep(0.02)
    assert seen[-1] == "completed", seen
    assert "running" in seen, seen
    # Statuses only move forward.
    order = {"queued": 0, "running": 1, "completed": 2}
    assert [order[s] for s in seen] == sorted(order[s] for s in seen), seen
    assert rec["result"] == {"slept_ms": ms}
    assert rec["duration_us"] >= ms * 1000, rec
    started = parse_ts(rec["started_at"])
    finished = parse_ts(rec["finished_at"])
    assert (finished - started).total_seconds() >= ms / 1000 - 0.002


def test_many_async_jobs_all_complete(api):
    before = api.stats()["jobs"]["completed"]
    jobs = []
    for i in range(50):
        if i % 5 == 0:
            fn, inp = "sleep", {"ms": 10 * (i % 3)}
        elif i % 5 == 1:
            fn, inp = "word_count", {"text": f"job {i} " * (i + 1)}
        elif i % 5 == 2:
            fn, inp = "hash", {"text": f"job-{i}", "algorithm": "sha1"}
        elif i % 5 == 3:
            fn, inp = "calculate", {"expression": f"{i}^2 + {i}/4"}
        else:
            fn, inp = "echo", {"i": i}
        r = submit(api, fn, inp, prefer=bool(i % 2))
        jobs.append((check_accepted(r, fn), fn, inp))
    assert len({j for j, _, _ in jobs}) == 50
    deadline = time.time() + 60
    pending = list(jobs)
    done = {}
    while pending and time.time() < deadline:
        still = []
        for job_id, fn, inp in pending:
            rec = api.get(f"/api/status/{job_id}").json()
            if rec["status"] in ("completed", "failed", "timeout"):
                done[job_id] = rec
            else:
                still.append((job_id, fn, inp))
        pending = still
        if pending:
            time.sleep(0.05)
    assert not pending, f"{len(pending)} jobs did not finish: {pending[:3]}"
    for job_id, fn, inp in jobs:
        sync = api.execute(fn, inp)
        assert sync.status_code == 200
        check_completed(done[job_id], job_id, fn, sync.json()["result"])
    after = api.stats()["jobs"]["completed"]
    assert after >= before + 50, (before, after)
