#!/usr/bin/env python3
"""Python 3.11 references for calculate, statistics, uuid (v5) and timestamp.

  gen_fn_math_util.py golden math|util   print the golden table for
                                         test_fn_math.c / test_fn_util.c
  gen_fn_math_util.py diff DRIVER N      differential test: N random cases
                                         per function through DRIVER, a
                                         program reading "fn<TAB>json" lines
                                         and printing "OK <json>" or "ERR"

The golden tables are pasted between the BEGIN/END GOLDEN markers.
"""
import ast
import email.utils
import json
import math
import random
import statistics as st
import struct
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

INT64 = (-(2**63), 2**63 - 1)
ERR = "ERR"


def jnum(x):
    """A Python number as our JSON gives it (int64 or finite double)."""
    if isinstance(x, bool):
        raise TypeError
    if isinstance(x, int):
        if INT64[0] <= x <= INT64[1]:
            return x
        x = float(x)  # documented fallback
    if not math.isfinite(x):
        raise OverflowError
    return x


# ---- calculate -----------------------------------------------------------

NS = {
    "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "log": math.log10, "ln": math.log, "exp": math.exp, "abs": abs,
    "floor": math.floor, "ceil": math.ceil, "round": round, "min": min,
    "max": max, "pi": math.pi, "e": math.e, "__builtins__": {},
}


class Skip(Exception):
    """The case leaves int64 (our documented fallback): not comparable."""


def _chk(v):
    if isinstance(v, int) and not INT64[0] <= v <= INT64[1]:
        raise Skip
    return v


def _pow(a, b):
    if (isinstance(a, int) and isinstance(b, int) and abs(a) > 1
            and a.bit_length() * b > 4096):
        raise Skip  # far beyond int64 and any double (and slow in Python)
    return a ** b


BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
          ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
          ast.Mod: lambda a, b: a % b, ast.Pow: _pow}


def _ev(n, strict):
    """Python's own evaluation of the parsed expression, node by node, so
    that strict mode can spot ints beyond int64 on the way."""
    c = _chk if strict else (lambda v: v)
    if isinstance(n, ast.Expression):
        return _ev(n.body, strict)
    if isinstance(n, ast.Constant) and type(n.value) in (int, float):
        return c(n.value)
    if isinstance(n, ast.Name) and n.id in NS and n.id != "__builtins__":
        return NS[n.id]
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        v = _ev(n.operand, strict)
        return c(-v if isinstance(n.op, ast.USub) else +v)
    if isinstance(n, ast.BinOp) and type(n.op) in BINOPS:
        return c(BINOPS[type(n.op)](_ev(n.left, strict), _ev(n.right, strict)))
    if isinstance(n, ast.Call) and not n.keywords:
        f = _ev(n.func, strict)
        args = [_ev(a, strict) for a in n.args]
        if (f is round and len(args) == 2 and type(args[1]) is int
                and args[1] < -400):
            raise Skip  # Python computes 10 ** -ndigits: far too slow
        return c(f(*args))
    raise ValueError("unsupported")


def ref_calculate(inp, strict=False):
    src = inp["expression"].replace("^", "**").lstrip(" \t")  # as eval()
    try:
        compile(src, "<x>", "eval")  # a SyntaxError as Python gives it
        v = _ev(ast.parse(src, mode="eval"), strict)
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return ERR
        return jnum(v)
    except Skip:
        raise
    except Exception:
        return ERR


# ---- statistics ----------------------------------------------------------

def ref_statistics(inp):
    v = inp["values"]

    def f(fn):
        try:
            return jnum(fn())
        except Exception:
            return None

    def total():
        T, t, _ = st._sum(v)
        return st._convert(t, T)

    q = None
    try:
        q = st.quantiles(v, n=4, method="exclusive")
    except Exception:
        pass
    return {
        "count": len(v), "sum": f(total), "mean": f(lambda: st.mean(v)),
        "median": f(lambda: st.median(v)), "mode": f(lambda: st.mode(v)),
        "min": f(lambda: min(v)), "max": f(lambda: max(v)),
        "range": f(lambda: max(v) - min(v)),
        "variance": f(lambda: st.variance(v)), "stdev": f(lambda: st.stdev(v)),
        "pvariance": f(lambda: st.pvariance(v)),
        "pstdev": f(lambda: st.pstdev(v)),
        "q1": f(lambda: q[0]) if q else None,
        "q3": f(lambda: q[2]) if q else None,
    }


# ---- uuid v5, timestamp --------------------------------------------------

NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL,
              "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}


def ref_uuid5(inp):
    ns = inp.get("namespace", "dns")
    ns = NAMESPACES.get(ns.lower()) or uuid.UUID(ns)
    return [str(uuid.uuid5(ns, inp["name"]))] * inp.get("count", 1)


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def ref_timestamp(inp):
    try:
        tz = ZoneInfo(inp.get("tz", "UTC"))
        v = inp["value"]
        if isinstance(v, str):
            dt = datetime.fromisoformat(v)
            dt = dt.replace(tzinfo=tz) if dt.tzinfo is None else dt.astimezone(tz)
        else:
            dt = datetime.fromtimestamp(v, tz)
        return {
            "epoch": (dt - EPOCH) // timedelta(seconds=1),
            "epoch_ms": (dt - EPOCH) // timedelta(milliseconds=1),
            "iso": dt.isoformat(),
            "rfc2822": email.utils.format_datetime(dt),
            "weekday": dt.strftime("%A"),
        }
    except Exception:
        return ERR


REFS = {"calculate": ref_calculate, "statistics": ref_statistics,
        "uuid": ref_uuid5, "timestamp": ref_timestamp}


# ---- case generators -----------------------------------------------------

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


def rand_case(r, fn):
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


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


def diff(driver, n):
    r = random.Random(1234)
    cases = [(fn, rand_case(r, fn)) for fn in REFS for _ in range(n)]
    text = "".join("%s\t%s\n" % (fn, json.dumps(c)) for fn, c in cases)
    out = subprocess.run([driver], input=text.encode(), capture_output=True,
                         check=True).stdout.decode().splitlines()
    bad = 0
    skipped = 0
    for (fn, c), line in zip(cases, out):
        try:
            want = ref_calculate(c, True) if fn == "calculate" else REFS[fn](c)
        except Skip:
            skipped += 1
            continue
        got = ERR if line.startswith("ERR") else json.loads(line[3:])
        if not same(want, got):
            bad += 1
            if bad <= 40:
                print("MISMATCH", fn, json.dumps(c), "\n  want", want,
                      "\n  got ", line)
    print("%d cases, %d skipped, %d mismatches" % (len(cases), skipped, bad))
    return 1 if bad else 0


# ---- golden tables -------------------------------------------------------

def c_str(s):
    return json.dumps(s)


def golden(fn, inputs):
    rows = []
    for inp in inputs:
        want = REFS[fn](inp)
        if want == ERR:
            raise SystemExit("golden case errors in Python: %r" % (inp,))
        rows.append('    {"%s", %s,\n     %s},' % (
            fn, c_str(json.dumps(inp)), c_str(json.dumps(want))))
    return rows


CALC_GOLDEN = [
    "1+2*3", "-3^2", "2^3^2", "2^-1", "(-3)^2", "-2^-2", "2**10", "7/2", "6/3",
    "7%3", "-7%3", "7%-3", "-7%-3", "7.5%2", "-7.5%2", "7.5%-2", "0%-5",
    "0.0%-5", "5%-0.5", "1/3", "2/3*3", "10-4-3", "2^0.5", "sqrt(2)", "sqrt(16)",
    "sqrt(-0.0)", "log(1000)", "log(2)", "ln(e)", "ln(10)", "exp(1)", "exp(-1000)",
    "abs(-5)", "abs(-5.5)", "floor(-2.5)", "ceil(-2.5)", "floor(7)",
    "round(2.5)", "round(3.5)", "round(-2.5)", "round(0.5)", "round(2.675, 2)",
    "round(1234.5, -2)", "round(1250, -2)", "round(1350, -2)", "round(-1250, -2)",
    "round(5, 2)", "round(0.125, 2)", "round(-0.4)", "round(-0.4, 0)",
    "round(1e300, -300)", "round(15, -1)", "round(25, -1)",
    "min(3, 1.0, 1)", "max(1, 1.0)", "max(2, 3.5, -1)", "max(1,2,)",
    "pi", "e", "-pi", "sin(pi/2)", "cos(0)", "tan(pi/4)", "sin(1e22)",
    "3.5", ".5", "1e3", "1E-3", "3.", "1_000 + 1", "00", "0.1+0.2",
    "9223372036854775807", "9223372036854775807 + 1", "-9223372036854775807 - 1",
    "-(-9223372036854775807 - 1)", "9223372036854775807 * 2",
    "99999999999999999999", "2^62 + 2^62", "2^63", "2^64 - 1", "3^40",
    "(-2)^63", "(-2)^64", "2^1023", "4611686018427387904 * -2",
    "9007199254740993 / 1", "9223372036854775807 / 3",
    "1/(1e308*10)",
    "(-8) ^ 3", "(-8.0) ^ 3", "(-1)^0.0", "0^0", "0.0^0", "1^1e400",
    "(-1)^(2^62)", "2^-1074", "2.0^-1075", "(1+1e-15)^1e15",
    "-  - 3", "+3", "+-+3", "((((1))))", "2*(3+4)*5", "  7  ",
    "abs(-9223372036854775807 - 1)", "floor(1e300) / 1e300",
    "10 % 3.0", "-0.0 % 5", "1/1e400", "-1 % -1e400",
]

CALC_ERRORS = [
    "1/0", "1%0", "1.0/0.0", "5 % 0.0", "0^-1", "0.0^-1", "sqrt(-1)", "log(0)",
    "log(-1)", "ln(0)", "ln(-1.5)", "exp(1000)", "10.0^400", "10^400",
    "(-8)^(1/3)", "(-2.0)^0.5", "floor(1e400)", "round(1e400)",
    "round(2.5, 0.5)", "round(1.7976931348623157e308, -308)", "sin(1e400)",
    "1e308*10", "1e400 - 1e400", "x", "foo(1)", "True", "sqrt", "sqrt(1, 2)",
    "round(1, 2, 3)", "min()", "pi(2)", "2 3", "(1", "1)", "", "1 +",
    "* 2", "2 ^^ 3", "01", "1__0", "1_", "1e", "2pi", "3j",
    "1.5.3", "1 // 2", "1 < 2", "a.b", "é", "max(1,,2)", "()", "2(3)",
]


def util_golden():
    ts = []
    for v, tz in [
        (0, "UTC"), (0, "Europe/Paris"), (1700000000, "America/New_York"),
        (1710054000, "America/New_York"), (-1, "UTC"), (1.5, "UTC"),
        (-1.5, "UTC"), (1.0000005, "UTC"), (1.0000015, "UTC"),
        (-0.0000005, "UTC"), (1e9 + 0.9999995, "UTC"), (-62135596800, "UTC"),
        (253402300799, "UTC"), (-62135596800, "Asia/Tokyo"),
        (253402300799, "America/Los_Angeles"), (-2208988800, "Europe/Amsterdam"),
        (-5000000000, "America/New_York"), (4102444800, "Australia/Sydney"),
        (4102444800, "Australia/Lord_Howe"), (32503680000, "Europe/London"),
        (1711846800, "Europe/Dublin"), (1700000000, "Asia/Kolkata"),
        (1700000000, "Asia/Kathmandu"), (1700000000, "Pacific/Chatham"),
        (1700000000, "Etc/GMT+12"), (1700000000, "EST5EDT"),
        (1700000000, "America/St_Johns"), (-1000000000, "Africa/Monrovia"),
        ("2024-03-10T02:30:00", "America/New_York"),
        ("2024-11-03T01:30:00", "America/New_York"),
        ("2024-03-31T02:30:00", "Europe/Paris"),
        ("2024-10-27T02:30:00", "Europe/Paris"),
        ("2099-03-29T02:30:00", "Europe/Paris"),
        ("2099-10-25T02:30:00", "Europe/Paris"),
        ("2099-10-25T01:30:00Z", "Europe/Paris"),
        ("2024-01-01", "UTC"), ("20240101", "UTC"), ("2024-W01", "UTC"),
        ("2024-W01-7", "UTC"), ("2024W017", "UTC"), ("2020-W53-5", "UTC"),
        ("2024-01-01T12", "UTC"), ("2024-01-01 12:34", "UTC"),
        ("2024-01-01T123456", "UTC"), ("2024-01-01T12:34:56.5", "UTC"),
        ("2024-01-01T12:34:56,123456789", "UTC"),
        ("2024-01-01T12:34:56.000001Z", "Asia/Tokyo"),
        ("2024-01-01T00:00:00+05:30", "UTC"),
        ("2024-01-01T00:00:00-00:00", "Europe/Paris"),
        ("2024-01-01T00:00:00+05:30:15", "UTC"),
        ("2024-01-01T00:00:00+05:30:15.25", "UTC"),
        ("2024-01-01T00:00:00+00:00:00.5", "UTC"),
        ("2024-01-01T00:00:00+0530", "UTC"), ("2024-01-01T00:00:00+05", "UTC"),
        ("2024-01-01T00:00:00+05:99", "UTC"),
        ("0001-01-01T00:00:00", "UTC"), ("9999-12-31T23:59:59.999999", "UTC"),
        ("1883-11-18T12:00:00", "America/New_York"),
        ("1883-11-18T17:00:00Z", "America/New_York"),
        ("2024-02-29T00:00:00", "UTC"), ("2024-06-15T12:00:00", "Europe/Dublin"),
        ("2024-01-01T12:30:45:1", "UTC"), ("2024-01-01T12.5", "UTC"),
        ("2030-04-07T02:30:00", "Australia/Lord_Howe"),
    ]:
        ts.append({"value": v, "tz": tz})
    uu = [{"version": 5, "name": "python.org"},
          {"version": 5, "namespace": "url", "name": "https://example.com/a?b"},
          {"version": 5, "namespace": "oid", "name": "1.3.6.1"},
          {"version": 5, "namespace": "X500", "name": "cn=John"},
          {"version": 5, "namespace": "{12345678-1234-5678-1234-567812345678}",
           "name": "h\u00e9llo \U0001F600"},
          {"version": 5, "namespace": "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
           "name": ""},
          {"version": 5, "namespace": "6BA7B8109DAD11D180B400C04FD430C8",
           "name": "a\u0000b", "count": 2}]
    return golden("timestamp", ts) + golden("uuid", uu)


def math_golden():
    rows = golden("calculate", [{"expression": e} for e in CALC_GOLDEN])
    stats = [
        [1, 2, 3], [1, 2, 3, 4], [0.1, 0.2, 0.3], [5], [2.5], [1, 1.0, 2],
        [1.0, 1, 2], [3, 1, 2, 2, 3], [1, 2, 2, 3, 3], [-0.0, 0, 0.0],
        [1e308, 1e308], [1e308, -1e308], [1.7976931348623157e308] * 3,
        [5e-324, 5e-324, 1e-323], [1e-300, 2e-300, 3e-300],
        [9223372036854775807, 9223372036854775807, -9223372036854775808],
        [9223372036854775807, 9223372036854775806],
        [9007199254740993, 0.5], [2, 4, 4, 4, 5, 5, 7, 9],
        [1.5, 2, 3.25, 4, 10], [1, 2], [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
        [3, 3, 3, 3], [0.1] * 10, [1e16, 1, -1e16], [-5, -1, -3],
        [1.1, 2.2, 3.3, 4.4], [100, 0.001, 1e-10],
    ]
    rows += golden("statistics", [{"values": v} for v in stats])
    return rows


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "golden":
        rows = math_golden() if sys.argv[2] == "math" else util_golden()
        print("static const struct golden golden[] = {")
        print("\n".join(rows))
        print("};")
        if sys.argv[2] == "math":
            print("\nstatic const char *const calc_errors[] = {")
            for e in CALC_ERRORS:
                assert ref_calculate({"expression": e}) == ERR, e
                print("    %s," % c_str(e))
            print("};")
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "diff":
        return diff(sys.argv[2], int(sys.argv[3]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
