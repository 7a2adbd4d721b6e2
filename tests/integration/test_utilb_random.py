"""What the references cannot compare: password_generate (always from the
CSPRNG), random without a seed, and cron_next without `from` (now). Their
shape, classes, bounds and spread are checked here; the seeded cases are
compared with tests/refs/utilb.py by test_catalog_reference.py."""
import collections
import datetime
import math
import re
import string

from conftest import assert_error
from refs import utilb

SYMBOLS = "!#$%&()*+,-./:;<=>?@[]^_{|}~"
CLASSES = {"uppercase": string.ascii_uppercase, "digits": string.digits,
           "symbols": SYMBOLS}


def run(api, fn, inp):
    r = api.post("/api/execute", {"function": fn, "input": inp})
    assert r.status_code == 200, (fn, inp, r.text[:300])
    return r.json()["result"]


def test_password_generate_defaults(api):
    got = run(api, "password_generate", {})
    assert isinstance(got, list) and len(got) == 1
    pw = got[0]
    assert len(pw) == 16
    assert set(pw) <= set(string.ascii_lowercase + string.ascii_uppercase +
                          string.digits + SYMBOLS)


def test_password_generate_classes(api):
    for flags in range(8):
        inp = {"length": 8, "count": 100}
        for i, k in enumerate(CLASSES):
            inp[k] = bool(flags >> i & 1)
        alphabet = string.ascii_lowercase + "".join(
            v for k, v in CLASSES.items() if inp[k])
        got = run(api, "password_generate", inp)
        assert len(got) == 100 and len(set(got)) == 100, inp
        for pw in got:
            assert len(pw) == 8 and set(pw) <= set(alphabet), (inp, pw)
            assert set(pw) & set(string.ascii_lowercase), (inp, pw)
            for k, v in CLASSES.items():
                if inp[k]:
                    assert set(pw) & set(v), (inp, pw, k)


def test_password_generate_limits(api):
    got = run(api, "password_generate", {"length": 256, "count": 100})
    assert [len(p) for p in got] == [256] * 100
    for bad in ({"length": 7}, {"length": 257}, {"count": 0},
                {"count": 101}, {"length": 16.5}, {"symbols": 1}):
        r = api.post("/api/execute",
                     {"function": "password_generate", "input": bad})
        body = assert_error(r, 400, "invalid_input")
        assert "'%s'" % next(iter(bad)) in body["error"]["message"], bad


def test_password_generate_is_uniform(api):
    """Every character of the 90 is drawn about as often: a chi-square
    test over 100 * 256 characters (p < 1e-6 to fail by chance)."""
    counts = collections.Counter()
    for _ in range(2):
        for pw in run(api, "password_generate",
                      {"length": 256, "count": 100}):
            counts.update(pw)
    alphabet = (string.ascii_lowercase + string.ascii_uppercase +
                string.digits + SYMBOLS)
    assert set(counts) == set(alphabet)
    n = sum(counts.values())
    e = n / len(alphabet)
    chi2 = sum((counts[c] - e) ** 2 / e for c in alphabet)
    assert chi2 < 180, chi2  # 89 degrees of freedom


def test_random_unseeded(api):
    ints = run(api, "random", {"kind": "int", "min": 1, "max": 6,
                               "count": 1000})
    assert len(ints) == 1000 and set(ints) == {1, 2, 3, 4, 5, 6}
    assert all(type(x) is int for x in ints)
    floats = run(api, "random", {"kind": "float", "min": -2, "max": 3,
                                 "count": 1000})
    assert all(type(x) is float and -2 <= x < 3 for x in floats)
    assert abs(sum(floats) / 1000 - 0.5) < 0.5
    full = run(api, "random", {"kind": "int", "min": -2**63,
                               "max": 2**63 - 1, "count": 100})
    assert len(set(full)) == 100 and any(x < 0 for x in full)
    items = list(range(50))
    sh = run(api, "random", {"kind": "shuffle", "items": items})
    assert sorted(sh) == items and sh != items
    ch = run(api, "random", {"kind": "choice", "items": ["a", {"b": 1}],
                             "count": 200})
    assert {str(x) for x in ch} == {"a", "{'b': 1}"}
    hx = run(api, "random", {"kind": "bytes_hex", "count": 1000})
    assert len(hx) == 1 and re.fullmatch("[0-9a-f]{2000}", hx[0])
    assert run(api, "random", {"kind": "bytes_hex", "count": 32}) != \
        run(api, "random", {"kind": "bytes_hex", "count": 32})


def test_random_seeded_is_reproducible(api):
    for kind in ("int", "float", "bytes_hex"):
        inp = {"kind": kind, "count": 50, "seed": 123}
        a, b = run(api, "random", inp), run(api, "random", inp)
        assert a == b == utilb.REFS["random"](inp)
        assert run(api, "random", dict(inp, seed=124)) != a


def test_random_seeded_is_uniform(api):
    got = run(api, "random", {"kind": "int", "min": 0, "max": 9,
                              "count": 1000, "seed": 99})
    c = collections.Counter(got)
    chi2 = sum((c[k] - 100) ** 2 / 100 for k in range(10))
    assert chi2 < 40, chi2


def test_cron_next_from_now(api):
    before = datetime.datetime.now(datetime.timezone.utc)
    got = run(api, "cron_next", {"expression": "* * * * *"})
    assert len(got) == 5
    times = [datetime.datetime.fromisoformat(t) for t in got]
    assert all(t.utcoffset() == datetime.timedelta(0) for t in times)
    assert before < times[0] <= before + datetime.timedelta(minutes=2)
    assert all(b - a == datetime.timedelta(minutes=1)
               for a, b in zip(times, times[1:]))


def test_cron_next_impossible_is_quick(api):
    for expr in ("0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30 2 mon"):
        r = api.post("/api/execute", {"function": "cron_next", "input": {
            "expression": expr, "from": "2024-01-01", "count": 100}})
        body = assert_error(r, 400, "invalid_input")
        assert "'expression'" in body["error"]["message"]
        assert math.isfinite(r.elapsed.total_seconds())
        assert r.elapsed.total_seconds() < 2
