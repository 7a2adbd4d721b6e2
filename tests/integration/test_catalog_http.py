"""The shipped catalog functions over HTTP, beyond their golden cases
(which test_catalog_golden.py runs from functions/<category>/<name>.json):
random and time-dependent results, escaped and large bodies, seeded random
texts, all against the Python 3.11 references of tests/reference.py.

Results are compared as parsed JSON values with `same()`, which is strict
about types (an int is not a float, True is not 1): the catalog promises
"integers stay integers where Python's do". Floats are compared with ==: the
references used here (statistics, eval, datetime) are exact or correctly
rounded in Python 3.11, and the server's JSON round-trips doubles exactly.
No tolerance is used anywhere.
"""
import datetime
import email.utils
import json
import math
import random
import re
import time
import unicodedata
import uuid
from zoneinfo import ZoneInfo

import pytest

import gen_golden
import reference as R
from reference import same

ref_word_count, ref_slugify, ref_base64 = R.word_count, R.slugify, R.base64_
ref_hash, ref_sort, ref_unique = R.hash_, R.sort, R.unique
ref_statistics, ref_calculate = R.statistics, R.calculate
ref_timestamp, ref_uuid5 = R.timestamp, R.uuid5
EPOCH = R.EPOCH


def run(api, fn, inp, utf8=True):
    """Executes fn over HTTP (raw UTF-8 body by default); returns result."""
    raw = json.dumps({"function": fn, "input": inp}, ensure_ascii=not utf8,
                     allow_nan=False).encode("utf-8")
    r = api.post("/api/execute", raw=raw)
    assert r.status_code == 200, (fn, inp, r.status_code, r.text[:500])
    body = r.json()
    assert body["status"] == "completed" and body["function"] == fn
    return body["result"]


def check(api, fn, inp, want, utf8=True):
    got = run(api, fn, inp, utf8)
    assert same(got, want), f"{fn}({inp!r}):\n got  {got!r}\n want {want!r}"


# ---- tables ---------------------------------------------------------------------

UNICODE_TEXTS = [
    "",
    "hello",
    "Hello hello HELLO, world!",
    "a\n", "\n", "a\n\nb\n", "\r\n\r\n", "no newline at end",
    "a\rb\r\nc\x0bd\x0ce\x1cf\x1dg\x1eh\x85i\u2028j\u2029k",
    "tab\tand\u00a0nbsp\u2003em \u200bzw",
    "İstanbul İSTANBUL istanbul ıi",
    "ΟΔΟΣ ΟΔΟΣ. ΣΑΣ Σ ΑΣ\u0345. ΑΣʰ ΑΣ'Α ὈΔΥΣΣΕΎΣ",
    "Straße STRASSE straße ẞ ß",
    "中文字 中文，中文。日本語テキスト 한국어 텍스트",
    "emoji 😀 👍🏽 ok😀ok 👨‍👩‍👧 🇫🇷",
    "café cafe\u0301 CAFÉ e\u0301\u0301 a\u0308o\u0308",
    "snake_case __x__ 12 ½ ² ٣ Ⅻ 〇",
    "ǅemal ǆ ǄEMAL ﬁ ﬀ ﬃ",
    "don't stop-me now: e-mail a.b",
    "z y x w v u t s r q p o n m z y x",
    "b a b c c c d d d d e e e e e f g h i j k l m",
    "אבג עברית مرحبا بالعالم",
    "Ærø & Crème Brûlée: ﬁve ½ Stars!",
    "  --Hello--World--  ",
    "ᾼ ΐ ﬗ ŉ ǰ",  # case mappings that expand
    "\U0010ffff \uffff \ue000 x",
]


def test_base64_roundtrip_unicode(api):
    for t in UNICODE_TEXTS:
        for urlsafe in (False, True):
            enc = run(api, "base64", {"text": t, "urlsafe": urlsafe})
            assert enc == ref_base64({"text": t, "urlsafe": urlsafe})
            dec = run(api, "base64", {"text": enc, "decode": True,
                                      "urlsafe": urlsafe})
            assert dec == t


def test_statistics_many_floats(api):
    rnd = random.Random(42)
    values = [round(rnd.gauss(100, 15), rnd.randint(0, 6))
              for _ in range(5000)] + [rnd.randint(-1000, 1000)
                                       for _ in range(1000)]
    check(api, "statistics", {"values": values},
          ref_statistics({"values": values}))


def test_timestamp_now(api):
    for tz in ("UTC", "Europe/Paris", "Asia/Tokyo"):
        t0 = time.time()
        got = run(api, "timestamp", {"tz": tz} if tz != "UTC" else {})
        t1 = time.time()
        assert set(got) == {"epoch", "epoch_ms", "iso", "rfc2822", "weekday"}
        assert math.floor(t0) - 1 <= got["epoch"] <= t1 + 1
        assert got["epoch"] == got["epoch_ms"] // 1000
        dt = datetime.datetime.fromisoformat(got["iso"])
        assert dt.utcoffset() == ZoneInfo(tz).utcoffset(dt.replace(
            tzinfo=None))
        assert (dt - EPOCH) // datetime.timedelta(milliseconds=1) == \
            got["epoch_ms"]
        assert got["rfc2822"] == email.utils.format_datetime(dt)
        assert got["weekday"] == dt.strftime("%A")


def test_echo(api):
    cases = [
        {},
        {"a": 1},
        {"s": "é ß İ ς 中 😀 e\u0301", "n": [1, 2.5, -0.0, 1e308, None, True,
                                           False], "o": {"x": {"y": []}}},
        {"big": 9223372036854775807, "neg": -9223372036854775808,
         "f": 5e-324, "g": 0.1},
        {f"k{i}": i for i in range(1000)},
        {"": "", "\u0001": "\u001f", "a\"b": "\\"},
    ]
    for c in cases:
        check(api, "echo", c, c)
        check(api, "echo", c, c, utf8=False)


@pytest.mark.parametrize("ms", [0, 1, 50, 200])
def test_sleep(api, ms):
    t0 = time.monotonic()
    r = api.execute("sleep", {"ms": ms})
    elapsed = time.monotonic() - t0
    assert r.status_code == 200, r.text
    body = r.json()
    assert same(body["result"], {"slept_ms": ms})
    assert elapsed >= ms / 1000
    assert body["duration_us"] >= ms * 1000
    assert elapsed < ms / 1000 + 5


def _uuid_ok(s, version):
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                        r"[0-9a-f]{12}", s), s
    u = uuid.UUID(s)
    assert u.version == version, s
    assert u.variant == uuid.RFC_4122, s
    return u


@pytest.mark.parametrize("inp,n", [({}, 1), ({"version": 4}, 1),
                                   ({"version": 4, "count": 100}, 100),
                                   ({"count": 7}, 7)])
def test_uuid4(api, inp, n):
    got = run(api, "uuid", inp)
    assert isinstance(got, list) and len(got) == n
    for s in got:
        _uuid_ok(s, 4)
    assert len(set(got)) == n
    assert got[0] not in run(api, "uuid", inp)


def test_uuid4_bits_look_random(api):
    got = run(api, "uuid", {"count": 100})
    ints = [uuid.UUID(s).int for s in got]
    # 122 random bits per UUID: every random bit position is set somewhere
    # and clear somewhere in 100 samples (a fixed bit has odds 2^-99).
    fixed = (0xF << 76) | (0x3 << 62)
    for bit in range(128):
        if fixed >> bit & 1:
            continue
        ones = sum(i >> bit & 1 for i in ints)
        assert 0 < ones < 100, bit


@pytest.mark.parametrize("count", [1, 50, 100])
def test_uuid7(api, count):
    t0 = int(time.time() * 1000)
    got = run(api, "uuid", {"version": 7, "count": count})
    t1 = int(time.time() * 1000)
    assert len(got) == count and len(set(got)) == count
    ints = []
    for s in got:
        u = _uuid_ok(s, 7)
        ms = u.int >> 80
        assert t0 - 2000 <= ms <= t1 + 2000, (ms, t0, t1)
        ints.append(u.int)
    assert ints == sorted(ints), "version 7 must increase within a call"


# ---- every function's documented example -------------------------------------

def test_examples_give_their_outputs(api):
    fns = api.get("/api/functions").json()["functions"]
    assert len(fns) >= 12
    failures = []
    for f in fns:
        ex = f["example"]
        if f["name"] in ("http_request", "url_check", "webhook"):
            continue  # a remote server's answer: test_network_functions.py
        got = run(api, f["name"], ex["input"])
        if f["name"] == "uuid" and ex["input"].get("version", 4) != 5:
            continue  # random: the shape is checked above
        if f["name"] == "password_generate":
            continue  # random: test_utilb_random.py
        if not same(got, ex["output"]):
            failures.append((f["name"], got, ex["output"]))
    assert not failures, failures


@pytest.mark.parametrize("name,ref", [
    ("word_count", ref_word_count), ("slugify", ref_slugify),
    ("hash", ref_hash), ("base64", ref_base64), ("sort", ref_sort),
    ("unique", ref_unique), ("statistics", ref_statistics),
    ("calculate", ref_calculate), ("timestamp", ref_timestamp),
    ("uuid", ref_uuid5),
])
def test_examples_agree_with_reference(api, name, ref):
    """The catalog's own example is right by the Python reference too."""
    ex = api.get(f"/api/functions/{name}").json()["example"]
    assert same(ref(ex["input"]), ex["output"]), (name, ex)


# ---- escapes and larger inputs ------------------------------------------------

def test_ascii_escaped_bodies_give_the_same_results(api):
    for t in UNICODE_TEXTS:
        inp = {"text": t}
        assert same(run(api, "word_count", inp, utf8=False),
                    ref_word_count(inp))
        assert same(run(api, "slugify", inp, utf8=False), ref_slugify(inp))


@pytest.mark.parametrize("fn,inp,ref", [
    ("word_count", {"text": "a\x00b\x00a"}, ref_word_count),
    ("hash", {"text": "a\x00b", "algorithm": "sha256"}, ref_hash),
    ("base64", {"text": "a\x00b"}, ref_base64),
    ("base64", {"text": "YQBi", "decode": True}, ref_base64),
    ("echo", {"k": "\x00"}, lambda d: d),
])
def test_nul_characters(api, fn, inp, ref):
    # "\u0000" is valid JSON and U+0000 a valid code point.
    check(api, fn, inp, ref(inp), utf8=False)


BIG_UNIT = "Σίσυφος ΟΔΟΣ İstanbul 中文 café x1 straße 😀\n"


def test_word_count_large_text(api):
    text = (BIG_UNIT * (300000 // len(BIG_UNIT) + 1))[:300000]
    inp = {"text": text}
    check(api, "word_count", inp, ref_word_count(inp))
    check(api, "slugify", inp, ref_slugify(inp))
    check(api, "hash", {"text": text, "algorithm": "sha256"},
          ref_hash({"text": text, "algorithm": "sha256"}))


def test_sort_and_unique_large(api):
    rnd = random.Random(7)
    nums = [rnd.choice([rnd.randint(-10**6, 10**6), rnd.uniform(-1e6, 1e6),
                        float(rnd.randint(-100, 100))]) for _ in range(20000)]
    check(api, "sort", {"items": nums}, sorted(nums))
    check(api, "sort", {"items": nums, "order": "desc"},
          sorted(nums, reverse=True))
    words = ["".join(rnd.choice("aéZ😀ß中_ ") for _ in range(rnd.randint(0, 6)))
             for _ in range(10000)]
    check(api, "sort", {"items": words}, sorted(words))
    small = [rnd.randint(0, 500) for _ in range(20000)]
    check(api, "unique", {"items": small}, list(dict.fromkeys(small)))


def test_random_unicode_texts(api):
    """Seeded random strings over code points assigned since Unicode 3.2
    (so that the Unicode versions of Python 3.11 and of the C libraries
    agree on them), mixed with ASCII separators."""
    rnd = random.Random(20261128)
    old = unicodedata.ucd_3_2_0
    ranges = [(0x20, 0x3000), (0xA000, 0xD7A4), (0xF900, 0x10000),
              (0x10000, 0x1FAFF)]
    pool = [chr(c) for a, b in ranges for c in range(a, b)
            if old.category(chr(c)) not in ("Cn", "Cs", "Co")]
    texts = ["".join(rnd.choice(pool) if rnd.random() < 0.5
                     else rnd.choice(" aZ\n_1.-") for _ in
                     range(rnd.randint(0, 40))) for _ in range(120)]
    failures = []
    for s in texts:
        for fn, ref in (("word_count", ref_word_count),
                        ("slugify", ref_slugify),
                        ("base64", ref_base64)):
            got = run(api, fn, {"text": s})
            if not same(got, ref({"text": s})):
                failures.append((fn, s, got))
    assert not failures, failures[:5]
    check(api, "sort", {"items": texts}, sorted(texts))
    check(api, "unique", {"items": texts + texts[::-1]},
          list(dict.fromkeys(texts)))


# ---- seeded random inputs of the list functions ---------------------------------

@pytest.mark.parametrize("fn", sorted(gen_golden.RAND_DATA))
def test_list_functions_random(api, fn):
    """200 inputs a function from tests/gen_golden.py's generators (the ones
    `gen_golden.py diff` feeds the C driver), over HTTP, against the
    reference: the result, its members' order, or the field a 400 names."""
    rnd = random.Random(20261129)
    failures = []
    for _ in range(200):
        inp = gen_golden.rand_case(rnd, fn)
        want = R.expected(fn, inp)
        raw = json.dumps({"function": fn, "input": inp}, ensure_ascii=False,
                         allow_nan=False).encode("utf-8")
        r = api.post("/api/execute", raw=raw)
        if "error" in want:
            ok = (r.status_code == 400 and
                  "'%s'" % want["error"] in r.json()["error"]["message"])
        else:
            got = r.json().get("result") if r.status_code == 200 else None
            ok = r.status_code == 200 and same(got, want["output"]) and (
                _key_order(got) == _key_order(want["output"]))
        if not ok:
            failures.append((inp, want, r.status_code, r.text[:300]))
    assert not failures, failures[:3]


def _key_order(v):
    """The members' names in order, everywhere in v (same() ignores it)."""
    if isinstance(v, dict):
        return [(k, _key_order(x)) for k, x in v.items()]
    if isinstance(v, list):
        return [_key_order(x) for x in v]
    return None
