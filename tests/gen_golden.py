#!/usr/bin/env python3
"""gen_golden.py - the catalog's golden cases and reference checks, from the
one module of Python 3.11 references (tests/reference.py).

  gen_golden.py golden        recompute the "tests" of every
                              functions/<category>/<name>.json whose function
                              has a reference: each case's output (or the
                              field its 400 names) from its input; a case
                              with a "note" is a deliberate deviation and is
                              kept as written. Add a case by adding
                              {"input": ...} and running this.
  gen_golden.py check         the same without writing: exit 1 if stale
  gen_golden.py big           rewrite the BEGIN/END GOLDEN blocks of
                              tests/unit/test_fn_{text,data,web}.c (checks of
                              inputs at the declared limits, which only the C
                              tests can build)
  gen_golden.py diff DRIVER N differential test: N random cases per function
                              through DRIVER (tests/tools/fn_driver.c)

Run it from the repository root with /usr/bin/python3 (3.11).
"""
import glob
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(ROOT, "tests"), os.path.join(ROOT, "scripts")]

import gen_catalog  # noqa: E402
import reference as R  # noqa: E402
from reference import INT64, Invalid, Skip  # noqa: E402


def metadata_files():
    return sorted(glob.glob(os.path.join(ROOT, "functions", "*", "*.json")))


def regenerate(write):
    """Recomputes every golden case; returns the number of stale files."""
    stale = 0
    for path in metadata_files():
        name = os.path.basename(path)[:-5]
        if name not in R.REFS:
            continue
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
        tests = []
        for t in meta.get("tests", []):
            if "note" in t:
                tests.append(t)
                continue
            new = {"input": t["input"]}
            new.update(R.expected(name, t["input"]))
            tests.append(new)
        for ex in meta["examples"]:
            if R.expected(name, ex["input"]) != {"output": ex["output"]} \
                    and name != "uuid":
                print("%s: example disagrees with the reference" % name)
                stale += 1
        if json.dumps(tests) != json.dumps(meta.get("tests", [])):
            stale += 1
            print("%s: golden cases %s" % (
                name, "rewritten" if write else "are stale"))
            meta["tests"] = tests
            if write:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(gen_catalog.dump_meta(meta))
    return stale


# ---- big inputs (mirrored by the C tests' generators, fn_test.h) ----------

BIG_UNIT = "Σίσυφος ΟΔΟΣ İstanbul 中文 café x1 straße 😀\n"


def big_text(n):
    """BIG_UNIT repeated and cut at n code points (fn_big_text in C)."""
    return (BIG_UNIT * (n // len(BIG_UNIT) + 1))[:n]


def lcg(n, seed):
    """The C tests' generator (fn_lcg): x = x * 6364136223846793005 +
    1442695040888963407 mod 2^64, value = x >> 33."""
    x, out = seed, []
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(x >> 33)
    return out


def c_str(s):
    return gen_catalog.c_str(s)


def big_defines():
    t = big_text(1000000)
    wc = R.word_count({"text": t})
    items = [{"v": v % 1000, "i": i} for i, v in enumerate(lcg(100000, 7))]
    s = R.sort({"items": items, "key": "v", "order": "desc"})
    sort_sum = sum((p + 1) * x["i"] for p, x in enumerate(s)) % 2**61
    u_items = [(v % 5000) if v & 1 else float(v % 5000)
               for v in lcg(100000, 11)]
    u = R.unique({"items": u_items})
    # Which of equal values is kept shows in the type: 2 * value + is_real.
    uniq_sum = sum((p + 1) * (2 * int(x) + isinstance(x, float))
                   for p, x in enumerate(u)) % 2**61
    return {
        "text": [
            "#define BIG_WC_EXPECTED %s" % c_str(json.dumps(wc)),
            "#define BIG_SLUG_SHA256 %s" % c_str(hashlib.sha256(
                R.slugify({"text": t}).encode()).hexdigest()),
        ],
        "data": [
            "#define BIG_SORT_CHECKSUM %dULL" % sort_sum,
            "#define BIG_UNIQUE_COUNT %d" % len(u),
            "#define BIG_UNIQUE_CHECKSUM %dULL" % uniq_sum,
        ],
        "web": [
            "#define BIG_SHA256 %s" % c_str(R.hash_(
                {"text": t, "algorithm": "sha256"})),
            "#define BIG_B64_SHA256 %s" % c_str(hashlib.sha256(
                R.base64_({"text": t}).encode()).hexdigest()),
        ],
    }


def rewrite_block(path, body):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    begin = src.index("/* BEGIN GOLDEN")
    begin = src.index("\n", begin) + 1
    end = src.index("/* END GOLDEN")
    end = src.rindex("\n", 0, end) + 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(src[:begin] + body + "\n" + src[end:])


def big():
    for area, lines in big_defines().items():
        path = os.path.join(ROOT, "tests", "unit", "test_fn_%s.c" % area)
        rewrite_block(path, "\n".join(lines))
        if shutil.which("clang-format"):
            subprocess.run(["clang-format", "-i", path], check=True)


# ---- differential testing ---------------------------------------------------

NUMS = ["0", "1", "2", "3", "7", "10", "-0", "0.5", ".5", "1e3", "2.5", "3.",
        "1e-3", "0.1", "1_000", "9223372036854775807", "4611686018427387904",
        "99999999999999999999", "1e308", "1e-320", "123456789.125", "pi", "e",
        "00", "3037000500", "2e0"]
FUNCS1 = ["sqrt", "sin", "cos", "tan", "log", "ln", "exp", "abs", "floor",
          "ceil", "round"]
OPS = ["+", "-", "*", "/", "%", "^", "**"]


def rand_expr(r, depth=0):
    k = r.random()
    if depth > 3 or k < 0.3:
        s = r.choice(NUMS)
        return ("-" + s) if r.random() < 0.2 else s
    if k < 0.65:
        op = r.choice(OPS)
        if op in ("^", "**"):  # Python's int ** huge int never finishes
            rhs = r.choice(["2", "3", "-1", "0.5", "-2", "63", "64", "1e3",
                            "(-0.5)", "40", "1.5"])
        else:
            rhs = rand_expr(r, depth + 1)
        return "%s %s %s" % (rand_expr(r, depth + 1), op, rhs)
    if k < 0.75:
        return "-" + rand_expr(r, depth + 1)
    if k < 0.85:
        return "(" + rand_expr(r, depth + 1) + ")"
    if k < 0.92:
        f = r.choice(["min", "max", "round"])
        n = 2 if f == "round" else r.randint(2, 4)
        args = [rand_expr(r, depth + 1) for _ in range(n)]
        if f == "round" and r.random() < 0.7:
            args[1] = str(r.randint(-20, 20))
        return "%s(%s)" % (f, ", ".join(args))
    return "%s(%s)" % (r.choice(FUNCS1), rand_expr(r, depth + 1))


def rand_values(r):
    n = r.choice([1, 2, 3, 4, 5, 6, 7, 10, 31])
    kind = r.random()
    out = []
    for _ in range(n):
        if kind < 0.3:
            out.append(r.randint(-10, 10))
        elif kind < 0.45:
            out.append(r.choice([INT64[0], INT64[1], r.randint(-2**62, 2**62)]))
        elif kind < 0.7:
            out.append(r.choice([0.1, 0.2, 0.3, 1.0, -0.0, 2.5, 1e-300, 5e-324,
                                 1e308, -1e308, 1.7976931348623157e308,
                                 r.uniform(-1e6, 1e6), r.randint(-3, 3)]))
        else:
            out.append(round(r.gauss(0, 1000), r.randint(0, 6)))
    return out


ZONES = ["UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe",
         "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham",
         "Africa/Casablanca", "Europe/Dublin", "America/Sao_Paulo",
         "Asia/Tehran", "Antarctica/Troll", "America/Godthab", "Asia/Gaza",
         "Pacific/Apia", "Etc/GMT+5", "EST5EDT", "Europe/London"]


def rand_iso(r):
    y = r.choice([1, 2, 1883, 1900, 1970, 2000, 2024, 2038, 2100, 2400, 9999,
                  r.randint(1, 9999)])
    mo, d = r.randint(1, 12), r.randint(1, 31)
    h, mi, s = r.randint(0, 24), r.randint(0, 60), r.randint(0, 59)
    date = r.choice(["%04d-%02d-%02d" % (y, mo, d), "%04d%02d%02d" % (y, mo, d),
                     "%04d-W%02d-%d" % (y, r.randint(0, 54), r.randint(0, 8)),
                     "%04dW%02d%d" % (y, r.randint(1, 53), r.randint(1, 7)),
                     "%04d-W%02d" % (y, r.randint(1, 53)), "%04d-%02d" % (y, mo)])
    if r.random() < 0.2:
        return date
    sep = r.choice("T T T  x-")
    t = r.choice(["%02d", "%02d:%02d", "%02d:%02d:%02d", "%02d%02d",
                  "%02d%02d%02d", "%02d:%02d:%02d.%s", "%02d:%02d:%02d,%s",
                  "%02d:%02d%02d"])
    frac = "".join(r.choice("0123456789") for _ in range(r.randint(0, 9)))
    args = (h, mi, s, frac)[: t.count("%")]
    t = t % args
    tz = r.choice(["", "", "Z", "+00:00", "-05:00", "+0530", "+05", "-00:00",
                   "+23:59", "+24:00", "+05:30:15", "+05:30:15.5", "-0",
                   "+00:00:00.5", "+1", "Zx", "+05:99"])
    return date + sep + t + tz


KEYS = ["a", "b", "id", "", "é", "e\u0301", "😀", "a.b", "中文", "x y"]


def rand_json(r, depth=0):
    """A random JSON value: unicode strings and keys, int64 ends, reals, and
    arrays and objects nested up to 3 levels."""
    k = r.random()
    if depth < 3 and k < 0.15:
        return [rand_json(r, depth + 1) for _ in range(r.randint(0, 3))]
    if depth < 3 and k < 0.25:
        return {r.choice(KEYS): rand_json(r, depth + 1)
                for _ in range(r.randint(0, 3))}
    return r.choice([None, True, False, 0, -1, 7, INT64[0], INT64[1], 1.0,
                     -0.0, 0.1, 1e308, "", "x", "é😀", "a\u0000b",
                     r.randint(-100, 100), r.uniform(-1e6, 1e6)])


def rand_list(r, n_max=12):
    return [rand_json(r) for _ in range(r.randint(0, n_max))]


def rand_record(r):
    return {r.choice(KEYS): rand_json(r) for _ in range(r.randint(0, 5))}


def rand_nested(r, depth=0):
    """An array of values and arrays nested up to 5 levels."""
    return [rand_nested(r, depth + 1) if depth < 5 and r.random() < 0.35
            else rand_json(r, 2) for _ in range(r.randint(0, 4))]


def rand_select(r):
    fields = [r.choice(KEYS) for _ in range(r.randint(0, 5))]
    inp = {"items": [rand_record(r) for _ in range(r.randint(0, 6))],
           "fields": fields}
    if r.random() < 0.6:  # swaps, renames to taken names, unselected names
        inp["rename"] = {r.choice(fields + KEYS[:2]): r.choice(KEYS + ["n"])
                         for _ in range(r.randint(0, 3))}
    return inp


def rand_matrix(r):
    rows, cols = r.randint(0, 5), r.randint(0, 5)
    m = [[rand_json(r, 2) for _ in range(cols)] for _ in range(rows)]
    if m and r.random() < 0.2:  # ragged
        r.choice(m).append(1)
    return m


RAND_DATA = {
    "pluck": lambda r: {"items": [rand_record(r) for _ in
                                  range(r.randint(0, 8))],
                        "field": r.choice(KEYS)},
    "chunk": lambda r: {"items": rand_list(r, 30), "size": r.choice(
        [1, 2, 3, 4, 5, 7, 10, 29, 30, 31, 100000])},
    "zip": lambda r: {"arrays": [rand_list(r, 8)
                                 for _ in range(r.randint(0, 5))]},
    "flatten": lambda r: dict({"items": rand_nested(r)}, **(
        {"depth": r.choice([-1, 0, 1, 2, 3, 64])} if r.random() < 0.7
        else {})),
    "transpose": lambda r: {"matrix": rand_matrix(r)},
    "paginate": lambda r: {"items": rand_list(r, 40), "page": r.choice(
        [1, 1, 2, 3, 4, 5, 8, 2**63 - 1]), "per_page": r.choice(
        [1, 2, 3, 5, 10, 15, 100000])},
    "select_fields": rand_select,
}


def rand_case(r, fn):
    if fn in RAND_DATA:
        return RAND_DATA[fn](r)
    if fn == "calculate":
        return {"expression": rand_expr(r)}
    if fn == "statistics":
        return {"values": rand_values(r)}
    if fn == "uuid":
        return {"version": 5, "namespace": r.choice(
            ["dns", "url", "OID", "x500", "{12345678-1234-5678-1234-567812345678}",
             "urn:uuid:12345678123456781234567812345678"]),
            "name": "".join(r.choice("aé😀\u0000x.") for _ in range(r.randint(0, 9)))}
    k = r.random()
    if k < 0.3:
        v = r.randint(-62135596800 - 90000, 253402300799 + 90000)
    elif k < 0.5:
        v = r.uniform(-3e10, 5e9) + r.choice([0, 0.5, 0.0000005, 0.9999995])
    elif k < 0.6:
        v = r.randint(1700000000, 1800000000)
    else:
        v = rand_iso(r)
    return {"value": v, "tz": r.choice(ZONES)}


DIFF_FNS = ("calculate", "statistics", "uuid", "timestamp") + tuple(RAND_DATA)


def diff(driver, n):
    r = random.Random(1234)
    cases = [(fn, rand_case(r, fn)) for fn in DIFF_FNS for _ in range(n)]
    text = "".join("%s\t%s\n" % (fn, json.dumps(c)) for fn, c in cases)
    out = subprocess.run([driver], input=text.encode(), capture_output=True,
                         check=True).stdout.decode().splitlines()
    bad = skipped = 0
    for (fn, c), line in zip(cases, out):
        try:
            want = R.expected(fn, c) if fn != "calculate" else \
                {"output": R.calculate(c, strict=True)}
        except Skip:
            skipped += 1
            continue
        except Invalid:
            want = {"error": "?"}
        got = {"error": "?"} if line.startswith("ERR") else \
            {"output": json.loads(line[3:])}
        if ("error" in want) != ("error" in got) or (
                "output" in want and not R.same(want["output"],
                                                got["output"])):
            bad += 1
            if bad <= 40:
                print("MISMATCH", fn, json.dumps(c), "\n  want", want,
                      "\n  got ", line)
    print("%d cases, %d skipped, %d mismatches" % (len(cases), skipped, bad))
    return 1 if bad else 0


def main(argv):
    if len(argv) == 2 and argv[1] in ("golden", "check"):
        stale = regenerate(argv[1] == "golden")
        return 1 if stale and argv[1] == "check" else 0
    if len(argv) == 2 and argv[1] == "big":
        big()
        return 0
    if len(argv) == 4 and argv[1] == "diff":
        return diff(argv[2], int(argv[3]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
