"""References of the utilb group: date_diff, date_add, timezone_convert,
cron_next, password_strength, random, color_convert (password_generate is
random by nature: tests/integration/test_utilb_random.py checks its shape,
classes and spread). See the "other references" part of tests/reference.py
for REFS, GEN, EDGE and TOL.

The dates use Python's datetime, dateutil.relativedelta, zoneinfo and
croniter 1.3.5 themselves; random reproduces the stated generator
(xoshiro256** seeded by SplitMix64); color_convert uses colorsys."""
import math
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import colorsys
from croniter import croniter
from croniter.croniter import CroniterBadDateError
from dateutil.relativedelta import relativedelta

from reference import Invalid

TEXT_MAX = 64
ZONE_MAX = 128
EXPR_MAX = 256
PASSWORD_MAX = 1024
COLOR_MAX = 64
COUNT_MAX = 1000
ITEMS_MAX = 1000
INT64 = (-(2**63), 2**63 - 1)
M64 = 2**64 - 1


def _str(d, field, maxlen, required=True, minlen=0):
    if field not in d:
        if required:
            raise Invalid(field)
        return None
    v = d[field]
    if not isinstance(v, str) or not minlen <= len(v) <= maxlen:
        raise Invalid(field)
    return v


def _num(d, field, lo=None, hi=None):
    v = d[field]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise Invalid(field)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise Invalid(field)
    return v


def _int(d, field, lo, hi, default):
    if field not in d:
        return default
    v = d[field]
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise Invalid(field)
    return v


def _closed(d, allowed):
    for k in d:
        if k not in allowed:
            raise Invalid(k)


def _dt(d, field):
    s = _str(d, field, TEXT_MAX)
    try:
        return datetime.fromisoformat(s)
    except ValueError:
        raise Invalid(field) from None


# ---- date_diff ----------------------------------------------------------

def date_diff(d):
    _closed(d, ("from", "to"))
    _str(d, "from", TEXT_MAX)
    _str(d, "to", TEXT_MAX)
    a, b = _dt(d, "from"), _dt(d, "to")
    try:
        td = b - a
    except TypeError:
        raise Invalid("from") from None
    s = td.seconds
    sec = s % 60 + td.microseconds / 1e6 if td.microseconds else s % 60
    return {"days": td.days, "hours": s // 3600, "minutes": s % 3600 // 60,
            "seconds": sec, "total_seconds": td.total_seconds()}


# ---- date_add -----------------------------------------------------------

ADD_BOUNDS = {"years": 10000, "months": 120000, "days": 3660000,
              "hours": 87840000, "minutes": 5270400000,
              "seconds": 316224000000}


def date_add(d):
    _closed(d, ("date",) + tuple(ADD_BOUNDS))
    s = _str(d, "date", TEXT_MAX)
    kw = {}
    for k, b in ADD_BOUNDS.items():
        if k in d:
            kw[k] = _num(d, k, -b, b)
    try:
        base = date.fromisoformat(s)
    except ValueError:
        base = _dt(d, "date")
    for k in ("years", "months"):
        if k in kw and kw[k] != int(kw[k]):
            raise Invalid(k)
    rd = relativedelta(**kw)
    try:
        return (base + rd).isoformat()
    except (ValueError, OverflowError):
        raise Invalid("date") from None


# ---- timezone_convert ---------------------------------------------------

def _zone(d, field):
    name = _str(d, field, ZONE_MAX, minlen=1)
    try:
        return ZoneInfo(name)
    except Exception:
        raise Invalid(field) from None


def timezone_convert(d):
    _closed(d, ("time", "from_tz", "to_tz"))
    _str(d, "time", TEXT_MAX)
    for k in ("from_tz", "to_tz"):
        _str(d, k, ZONE_MAX, minlen=1)
    t = _dt(d, "time")
    src, dst = _zone(d, "from_tz"), _zone(d, "to_tz")
    if t.tzinfo is None:
        t = t.replace(tzinfo=src)
    try:
        return t.astimezone(dst).isoformat()
    except (ValueError, OverflowError):
        raise Invalid("time") from None


# ---- cron_next ----------------------------------------------------------

ALIASES = {"@midnight", "@hourly", "@daily", "@weekly", "@monthly",
           "@yearly", "@annually"}
HASH_RE = re.compile(r"^(h|r)(\(\d+-\d+\))?(/\d+)?$")
ASCII_WS = " \t\n\v\f\r\x1c\x1d\x1e\x1f"


def cron_next(d):
    _closed(d, ("expression", "from", "count"))
    expr = _str(d, "expression", EXPR_MAX, minlen=1)
    _str(d, "from", TEXT_MAX, required=False)
    count = _int(d, "count", 1, 100, 5)
    if any(ord(c) > 127 for c in expr):
        raise Invalid("expression")
    efl = expr.lower()
    if efl not in ALIASES:
        fields = efl.split()
        if len(fields) != 5 or any(HASH_RE.match(f) for f in fields):
            raise Invalid("expression")
    try:
        it = croniter(expr, datetime(2000, 1, 1), ret_type=datetime)
    except Exception:
        raise Invalid("expression") from None
    if it.nth_weekday_of_month or "l" in it.expanded[2]:
        raise Invalid("expression")
    if "from" not in d:
        raise ValueError("no reference for 'now'")
    start = _dt(d, "from")
    if start.tzinfo is not None:
        try:
            start = start.astimezone(timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):
            raise Invalid("from") from None
    it = croniter(expr, start, ret_type=datetime)
    out = []
    for _ in range(count):
        try:
            t = it.get_next(datetime)
        except CroniterBadDateError:
            raise Invalid("expression") from None
        except (ValueError, OverflowError):
            raise Invalid("from") from None
        out.append(t.replace(tzinfo=timezone.utc).isoformat())
    return out


# ---- password_strength --------------------------------------------------

COMMON = {"123456", "123456789", "12345678", "12345", "1234567",
          "1234567890", "qwerty", "password", "password1", "111111",
          "123123", "abc123", "iloveyou", "admin", "welcome", "monkey",
          "dragon", "letmein", "football", "baseball", "sunshine",
          "princess", "qwerty123", "000000", "trustno1", "master", "shadow",
          "superman", "passw0rd", "1q2w3e4r"}


def password_strength(d):
    _closed(d, ("password",))
    pw = _str(d, "password", PASSWORD_MAX)
    has = {k: False for k in ("lower", "upper", "digit", "symbol", "other")}
    for c in pw:
        if "a" <= c <= "z":
            has["lower"] = True
        elif "A" <= c <= "Z":
            has["upper"] = True
        elif "0" <= c <= "9":
            has["digit"] = True
        elif " " <= c <= "~":
            has["symbol"] = True
        else:
            has["other"] = True
    pool = (26 * has["lower"] + 26 * has["upper"] + 10 * has["digit"] +
            33 * has["symbol"] + 100 * has["other"])
    bits = len(pw) * math.log2(pool) if pool else 0.0
    low = "".join(chr(ord(c) | 0x20) if "A" <= c <= "Z" else c for c in pw)
    common = low in COMMON
    if common or bits < 28:
        score = 0
    else:
        score = 1 if bits < 36 else 2 if bits < 60 else 3 if bits < 80 else 4
    fb = []
    if common:
        fb.append("This is a commonly used password")
    if len(pw) < 12:
        fb.append("Use at least 12 characters")
    for k, msg in (("lower", "Add lowercase letters"),
                   ("upper", "Add uppercase letters"),
                   ("digit", "Add digits"), ("symbol", "Add symbols")):
        if not has[k]:
            fb.append(msg)
    if re.search(r"(.)\1\1", pw, re.S):
        fb.append("Avoid repeating a character three times in a row")
    return {"score": score, "entropy_bits": float(bits), "feedback": fb}


# ---- random -------------------------------------------------------------

class Rng:
    """xoshiro256** seeded with four SplitMix64 outputs."""

    def __init__(self, seed):
        x = seed & M64
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def _rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & M64

    def next(self):
        s = self.s
        out = (self._rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self._rotl(s[3], 45)
        return out

    def below(self, n):
        if n == 2**64:
            return self.next()
        threshold = (2**64 - n) % n
        while True:
            x = self.next()
            if x >= threshold:
                return x % n


def random_(d):
    _closed(d, ("kind", "min", "max", "items", "count", "seed"))
    if "kind" not in d:
        raise Invalid("kind")
    kind = d["kind"]
    if kind not in ("int", "float", "choice", "shuffle", "bytes_hex"):
        raise Invalid("kind")
    for k in ("min", "max"):
        if k in d:
            _num(d, k)
    if "items" in d and (not isinstance(d["items"], list) or
                         len(d["items"]) > ITEMS_MAX):
        raise Invalid("items")
    count = _int(d, "count", 1, COUNT_MAX, 1)
    if "seed" not in d:
        raise ValueError("no reference without a seed")
    seed = _int(d, "seed", *INT64, None)
    r = Rng(seed)
    if kind == "int":
        for k in ("min", "max"):
            if k in d and not isinstance(d[k], int):
                raise Invalid(k)
        lo, hi = d.get("min", 0), d.get("max", 100)
        if lo > hi:
            raise Invalid("max")
        return [lo + r.below(hi - lo + 1) for _ in range(count)]
    if kind == "float":
        lo, hi = float(d.get("min", 0.0)), float(d.get("max", 1.0))
        if not lo < hi:
            raise Invalid("max")
        width = hi - lo
        if not math.isfinite(width):
            raise Invalid("max")
        return [lo + width * ((r.next() >> 11) * 2.0**-53)
                for _ in range(count)]
    if kind in ("choice", "shuffle"):
        if "items" not in d:
            raise Invalid("items")
        items = d["items"]
        if kind == "choice":
            if not items:
                raise Invalid("items")
            return [items[r.below(len(items))] for _ in range(count)]
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = r.below(i + 1)
            out[i], out[j] = out[j], out[i]
        return out
    b = bytearray()
    while len(b) < count:
        b += r.next().to_bytes(8, "little")
    return [bytes(b[:count]).hex()]


# ---- color_convert ------------------------------------------------------

HEX_RE = re.compile(r"[ \t]*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})[ \t]*\Z")
RGB_RE = re.compile(r"[ \t]*rgb[ \t]*\([ \t]*([0-9]+)[ \t]*,[ \t]*([0-9]+)"
                    r"[ \t]*,[ \t]*([0-9]+)[ \t]*\)[ \t]*\Z", re.I | re.A)
NUM = r"([0-9]+(?:\.[0-9]+)?)"
HSL_RE = re.compile(r"[ \t]*hsl[ \t]*\([ \t]*" + NUM + r"[ \t]*,[ \t]*" + NUM +
                    r"[ \t]*%[ \t]*,[ \t]*" + NUM + r"[ \t]*%[ \t]*\)[ \t]*\Z",
                    re.I | re.A)


def color_convert(d):
    _closed(d, ("color",))
    c = _str(d, "color", COLOR_MAX)
    rgb = None
    m = HEX_RE.match(c)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(x * 2 for x in h)
        rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    elif RGB_RE.match(c):
        g = RGB_RE.match(c).groups()
        if all(len(x) < 40 and int(x) <= 255 for x in g):
            rgb = [int(x) for x in g]
    if rgb is not None:
        h, l, s = colorsys.rgb_to_hls(*(x / 255 for x in rgb))
        hsl = [round(h * 360) % 360, round(s * 100), round(l * 100)]
    else:
        m = HSL_RE.match(c)
        if not m or any(len(x) >= 40 for x in m.groups()):
            raise Invalid("color")
        h, s, l = (float(x) for x in m.groups())
        if h > 360 or s > 100 or l > 100:
            raise Invalid("color")
        out = colorsys.hls_to_rgb(h / 360, l / 100, s / 100)
        rgb = [round(x * 255) for x in out]
        hsl = [round(h) % 360, round(s), round(l)]
    return {"hex": "#%02x%02x%02x" % tuple(rgb), "rgb": rgb, "hsl": hsl}


REFS = {"date_diff": date_diff, "date_add": date_add,
        "timezone_convert": timezone_convert, "cron_next": cron_next,
        "password_strength": password_strength, "random": random_,
        "color_convert": color_convert}


# ---- generators -----------------------------------------------------------

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata",
         "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham",
         "America/St_Johns", "Europe/Dublin", "Africa/Casablanca",
         "America/Sao_Paulo", "Pacific/Apia", "Etc/GMT+12", "EST5EDT",
         "Asia/Tokyo", "Europe/London", "America/Los_Angeles",
         "Antarctica/Troll", "Pacific/Kiritimati", "America/Godthab"]
BAD_ZONES = ["", "Nowhere/City", "../etc/passwd", "Europe", "europe/paris",
             "/UTC", "UTC/", "Europe/Paris\u00e9", "a" * 129, "Europe//Paris"]


def _gen_iso(r, aware=None):
    y = r.choice([r.randint(1, 9999), r.randint(1900, 2100),
                  r.randint(2020, 2030), 1, 9999])
    m, d = r.randint(1, 12), r.randint(1, 28 if r.random() < 0.8 else 31)
    if r.random() < 0.1:
        y, m, d = r.choice([(2024, 2, 29), (2023, 2, 29), (2024, 2, 30)])
    ds = "%04d-%02d-%02d" % (y, m, d)
    if r.random() < 0.1:
        ds = "%04d%02d%02d" % (y, m, d)
    if r.random() < 0.15:
        return ds
    t = "%02d:%02d" % (r.randint(0, 23), r.randint(0, 59))
    if r.random() < 0.8:
        t += ":%02d" % r.randint(0, 59)
        if r.random() < 0.3:
            t += "." + "".join(r.choice("0123456789")
                               for _ in range(r.choice([1, 3, 6, 7])))
    s = ds + r.choice("T T T ") + t
    if aware is None:
        aware = r.random() < 0.4
    if aware:
        s += r.choice(["Z", "+00:00", "-05:00", "+05:30", "+14:00",
                       "-12:00", "+01:00:30", "-00:44:30.5"])
    return s


def _maybe_bad_iso(r, s):
    if r.random() < 0.06:
        return r.choice(["", "2024", "not a date", "2024-01-01T25:00",
                         "2024-01-01T12:00:00+2", "2024-1-1", "\u0662024-01-01",
                         "2024-01-01T12:00:00Z\u0301", 5, None, "9" * 65])
    return s


def gen_date_diff(r):
    aware = r.random() < 0.4
    d = {"from": _gen_iso(r, aware), "to": _gen_iso(r, aware)}
    if r.random() < 0.2:
        base = datetime.fromisoformat("2024-03-10T01:00:00")
        d["to"] = (base + timedelta(seconds=r.uniform(-1e6, 1e6))).isoformat()
        d["from"] = base.isoformat()
    if r.random() < 0.05:
        d["to"] = _gen_iso(r, not aware)
    k = r.choice(["from", "to"])
    d[k] = _maybe_bad_iso(r, d[k])
    return d


def _gen_amount(r, k):
    b = ADD_BOUNDS[k]
    x = r.random()
    if x < 0.4:
        return r.randint(-40, 40)
    if x < 0.55:
        return r.randint(-b, b) if r.random() < 0.3 else r.randint(-2000, 2000)
    if x < 0.75 and k not in ("years", "months"):
        return round(r.uniform(-100, 100), r.choice([1, 3, 6, 9]))
    if x < 0.8:
        return r.choice([b, -b, b + 1, 0.5, 1.0, -0.0, 1e-7, 2.5e-6])
    if x < 0.85 and k not in ("years", "months"):
        return r.uniform(-b, b)
    return r.randint(-1000, 1000)


def gen_date_add(r):
    d = {"date": _gen_iso(r)}
    if r.random() < 0.3:
        d["date"] = d["date"][:10]
    for k in ADD_BOUNDS:
        if r.random() < 0.35:
            d[k] = _gen_amount(r, k)
    d["date"] = _maybe_bad_iso(r, d["date"])
    if r.random() < 0.03:
        return {"date": "2024-01-01", "weeks": 1}
    return d


def gen_timezone_convert(r):
    d = {"time": _gen_iso(r, r.random() < 0.3), "from_tz": r.choice(ZONES),
         "to_tz": r.choice(ZONES)}
    if r.random() < 0.1:
        d["to_tz"] = d["from_tz"]
    if r.random() < 0.2:  # near transitions
        d["time"] = r.choice(["2024-03-10T02:30:00", "2024-11-03T01:30:00",
                              "2024-03-31T02:30:00", "2024-10-27T02:30:00",
                              "2024-04-07T02:15:00", "2099-10-25T02:30:00"])
    x = r.random()
    if x < 0.05:
        d["from_tz"] = r.choice(BAD_ZONES)
    elif x < 0.1:
        d["to_tz"] = r.choice(BAD_ZONES)
    else:
        d["time"] = _maybe_bad_iso(r, d["time"])
    return d


def _cron_field(r, i):
    lo, hi = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)][i]
    names = {3: ["jan", "FEB", "mar", "Apr", "may", "jun", "jul", "aug",
                 "sep", "oct", "nov", "dec"],
             4: ["sun", "mon", "tue", "WED", "thu", "fri", "sat"]}.get(i)
    parts = []
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        x = r.random()
        a, b = sorted((r.randint(lo, hi), r.randint(lo, hi)))
        if x < 0.3:
            parts.append("*")
        elif x < 0.5:
            parts.append(str(r.randint(lo, hi)))
        elif x < 0.6:
            parts.append("*/%d" % r.randint(1, hi + 3))
        elif x < 0.7:
            parts.append("%d-%d" % (a, b))
        elif x < 0.78:
            parts.append("%d-%d/%d" % (a, b, r.randint(1, 20)))
        elif x < 0.83:
            parts.append("%d/%d" % (a, r.randint(1, 20)))
        elif x < 0.985 and not names:
            parts.append(r.choice(["*", str(a)]))
        elif x < 0.985:
            p = r.choice(names)
            if r.random() < 0.5:
                p += "-" + r.choice(names)
            parts.append(p)
        else:
            parts.append(r.choice(["%d" % (hi + 1), "%d" % (lo - 1),
                                   "%d-%d" % (b, a), "*/0", "x", "", "l",
                                   "5#2", "?", "h", "r", "1-l", "0" + str(a),
                                   "7-0", "sun-0", "-5", "1-", "*/5/2"]))
    return ",".join(parts)


def gen_cron_next(r):
    fields = [_cron_field(r, i) for i in range(5)]
    if r.random() < 0.5:
        fields[2] = "*"
    if r.random() < 0.3:
        fields[3] = "*"
    expr = " ".join(fields)
    x = r.random()
    if x < 0.05:
        expr = r.choice(sorted(ALIASES)).upper()
    elif x < 0.08:
        expr = r.choice(["", "* * * *", "* * * * * *", "0 0 30 2 *",
                         "0 0 31 4,6 *", "0 0 29 2 mon", "* * * * *\u00a0",
                         "0\t0  *\n* *", "@reboot", "0 0 * * mon#1"])
    d = {"expression": expr, "from": _gen_iso(r)}
    if r.random() < 0.6:
        d["count"] = r.choice([1, 5, 20, 100, 0, 101])
    if r.random() < 0.02:
        d["from"] = "9999-12-31T23:00:00"
    d["from"] = _maybe_bad_iso(r, d["from"])
    return d


def gen_password_strength(r):
    alphabet = ("abcxyzABCXYZ0129 !#~\"'\\\t\n\u00e9\u00df\u0130\u0301"
                "\U0001F600\u4e2d")
    x = r.random()
    if x < 0.1:
        pw = r.choice(sorted(COMMON))
        if r.random() < 0.5:
            pw = pw.upper()
    elif x < 0.2:
        pw = r.choice(alphabet) * r.randint(0, 6)
    else:
        pw = "".join(r.choice(alphabet) for _ in range(r.randint(0, 40)))
    if r.random() < 0.02:
        pw = "a" * r.choice([1024, 1025])
    return {"password": pw}


def gen_random(r):
    kind = r.choice(["int", "float", "choice", "shuffle", "bytes_hex"])
    d = {"kind": kind, "seed": r.choice([0, 1, -1, 42, 2**63 - 1, -2**63,
                                         r.randint(-2**63, 2**63 - 1)])}
    if r.random() < 0.6:
        d["count"] = r.choice([1, 2, 10, 1000, r.randint(1, 50)])
    if kind == "int":
        a, b = sorted(r.choice([(r.randint(-10, 10), r.randint(-10, 10)),
                                (r.randint(*INT64), r.randint(*INT64)),
                                (0, 2**63 - 1), (-2**63, 2**63 - 1),
                                (5, 5), (0, 2**32)]))
        if r.random() < 0.8:
            d["min"] = a
        if r.random() < 0.8:
            d["max"] = b
    elif kind == "float":
        a, b = sorted(r.choice([(r.uniform(-10, 10), r.uniform(-10, 10)),
                                (-1e300, 1e300), (0, 5e-324), (-1.5, 2)]))
        if r.random() < 0.8:
            d["min"] = a
        if r.random() < 0.8:
            d["max"] = b
    elif kind in ("choice", "shuffle"):
        pool = [1, "a", None, True, 2.5, [], {"k": "v"}, "\U0001F600"]
        d["items"] = [r.choice(pool) for _ in range(r.randint(0, 30))]
        if r.random() < 0.02:
            d["items"] = list(range(1000))
    x = r.random()
    if x < 0.03:
        d["count"] = r.choice([0, 1001, -1])
    elif x < 0.06:
        d["kind"] = r.choice(["integer", "", "INT"])
    elif x < 0.08 and kind == "int":
        d["min"], d["max"] = 10, 3
    elif x < 0.1 and kind == "int":
        d["min"] = 0.5
    elif x < 0.12 and kind in ("choice", "shuffle"):
        del d["items"]
    elif x < 0.14 and kind == "float":
        d["min"], d["max"] = 2.0, 2.0
    return d


def gen_color_convert(r):
    x = r.random()
    if x < 0.3:
        n = r.choice([3, 6, 6, 6])
        c = "#" + "".join(r.choice("0123456789abcdefABCDEF") for _ in range(n))
    elif x < 0.6:
        v = [r.choice([0, 255, r.randint(0, 255)]) for _ in range(3)]
        c = r.choice(["rgb(%d,%d,%d)", "rgb(%d, %d, %d)", "RGB( %d ,%d , %d )"]
                     ) % tuple(v)
    elif x < 0.9:
        def num(hi):
            if r.random() < 0.5:
                return str(r.randint(0, hi))
            return "%.*f" % (r.randint(1, 3), r.uniform(0, hi))
        c = "hsl(%s, %s%%, %s%%)" % (num(360), num(100), num(100))
    else:
        c = r.choice(["", "#", "#12", "#1234", "#gggggg", "rgb(1,2)",
                      "rgb(-1,0,0)", "rgb(1.5,0,0)", "hsl(10,20,30)",
                      "hsl(400,10%,10%)", "hsl(10,101%,10%)", "red",
                      "#ff0000ff", " #abc ", "\uff03abc", "rgb(0,0,0",
                      "rgb(" + "0" * 40 + "1,0,0)"])
    return {"color": c}


GEN = {"date_diff": gen_date_diff, "date_add": gen_date_add,
       "timezone_convert": gen_timezone_convert, "cron_next": gen_cron_next,
       "password_strength": gen_password_strength, "random": gen_random,
       "color_convert": gen_color_convert}

EDGE = {
    "date_diff": [
        {"from": "", "to": ""},
        {"from": "0001-01-01", "to": "9999-12-31T23:59:59.999999"},
        {"from": "2024-01-01T00:00:00+14:00", "to": "2024-01-01T00:00:00-12:00"},
        {"from": "2024-01-01T00:00:00.000001", "to": "2024-01-01"},
        {"from": "2024-01-01", "to": "2024-01-01T00:00:00Z"},
        {"from": "2024-01-01T00:00:00+23:59:59.999999", "to": "2024-01-01T00:00:00Z"},
        {"from": "2024-01-01T00:00:00+24:00", "to": "2024-01-01T00:00:00Z"},
        {"from": "2024-02-29\u00e912:00", "to": "2024-02-29"},
        {"from": "1" * 64, "to": "2024-01-01"},
        {"from": "1" * 65, "to": "2024-01-01"},
        {"from": "2024-01-01"},
    ],
    "date_add": [
        {"date": ""}, {"date": "2024-01-31"}, {"date": "2024-01-31", "months": 1},
        {"date": "2024-01-31T23:59:59.999999+05:30", "seconds": 1e-6},
        {"date": "0001-01-01", "years": 10000},
        {"date": "9999-12-31T23:59:59.999999", "seconds": -316224000000},
        {"date": "2024-01-01", "seconds": 316224000000},
        {"date": "2024-01-01", "seconds": 316224000001},
        {"date": "2024-01-01", "minutes": -0.0, "hours": -0.0},
        {"date": "2024-01-01", "days": 2.5e-324},
        {"date": "2024-01-01T00:00:00", "seconds": 0.5e-6},
        {"date": "2024-01-01T00:00:00", "seconds": 2.5e-6},
        {"date": "2024-01-01T00:00:00", "seconds": 59.9999995},
        {"date": "2024-01-01T00:00:00", "hours": 23.999999999},
        {"date": "2024-02-29", "years": 1, "months": -1, "days": 29},
        {"date": "2024-01-01", "years": True},
        {"date": "2024-01-01", "months": 120001},
    ],
    "timezone_convert": [
        {"time": "", "from_tz": "UTC", "to_tz": "UTC"},
        {"time": "2024-01-01T00:00:00", "from_tz": "", "to_tz": "UTC"},
        {"time": "2024-01-01T00:00:00", "from_tz": "UTC", "to_tz": "a" * 128},
        {"time": "2024-01-01T00:00:00", "from_tz": "UTC", "to_tz": "a" * 129},
        {"time": "2024-01-01T00:00:00", "from_tz": "UTC\u0000", "to_tz": "UTC"},
        {"time": "2024-01-01T00:00:00", "from_tz": "\u00c9tc/UTC", "to_tz": "UTC"},
        {"time": "0001-01-01T00:00:00", "from_tz": "America/New_York", "to_tz": "UTC"},
        {"time": "0001-01-01T12:00:00", "from_tz": "America/New_York", "to_tz": "UTC"},
        {"time": "0001-01-01T00:00:00", "from_tz": "Asia/Tokyo", "to_tz": "Asia/Tokyo"},
        {"time": "9999-12-31T23:59:59.999999Z", "from_tz": "UTC", "to_tz": "America/Los_Angeles"},
        {"time": "9999-12-31T23:59:59.999999-00:01", "from_tz": "UTC", "to_tz": "UTC"},
        {"time": "2024-10-27T02:30:00", "from_tz": "Europe/Paris", "to_tz": "Europe/Paris"},
        {"time": "2024-10-27T02:30:00", "from_tz": "Europe/Paris", "to_tz": "UTC"},
        {"time": "2024-01-01T00:00:00", "from_tz": "UTC", "to_tz": "Etc/UTC"},
    ],
    "cron_next": [
        {"expression": "", "from": "2024-01-01"},
        {"expression": "* * * * *", "from": "2024-01-01T00:00:59.999999"},
        {"expression": "* * * * *", "from": "3000-01-01T00:00:59.999999"},
        {"expression": "* * * * *", "from": "1000-01-01T00:00:59.999999"},
        {"expression": "* * * * *", "from": "9999-12-31T23:57:59.999999"},
        {"expression": "* * * * *", "from": "0001-01-01T00:00:59.999999"},
        {"expression": "* * * * *", "from": "2024-01-01T00:00:00", "count": 100},
        {"expression": "* * * * *", "from": "2024-01-01", "count": 101},
        {"expression": "* * * * *", "from": "2024-01-01", "count": 0},
        {"expression": "0 0 29 2 1", "from": "2024-01-01", "count": 10},
        {"expression": "0 0 30 2 1", "from": "2024-01-01"},
        {"expression": "0 0 31 2,4,6,9,11 *", "from": "2024-01-01"},
        {"expression": "0 0 29 2 *", "from": "2096-03-01"},
        {"expression": "0 0 29 2 *", "from": "9990-01-01"},
        {"expression": "* * * * *", "from": "9999-12-31T23:58:00"},
        {"expression": "* * * * *", "from": "9999-12-31T23:59:00"},
        {"expression": "* * * * *", "from": "0001-01-01T00:00:00"},
        {"expression": "* * * * *", "from": "0001-01-01T00:00:00+01:00"},
        {"expression": "0-59 0-23 1-31 1-12 0-7", "from": "2024-01-01", "count": 2},
        {"expression": "0 0 1,15 * sun", "from": "2024-01-01", "count": 10},
        {"expression": "0 0 * * sun-0", "from": "2024-01-01"},
        {"expression": "0 0 * * 5-00", "from": "2024-01-01"},
        {"expression": "*,55 * 1 */5 0,*,59-0", "from": "2024-06-12"},
        {"expression": "*/99999999999999999999 * * * *", "from": "2024-01-01"},
        {"expression": "0 0 * * mon-fri/2", "from": "2024-01-01"},
        {"expression": "* * * * \u0663", "from": "2024-01-01"},
        {"expression": "*,5 0 * * mon", "from": "2024-01-01"},
        {"expression": "x" * 256, "from": "2024-01-01"},
        {"expression": "0" * 240 + "7 1 * * *", "from": "2024-01-01"},
        {"expression": "*/" + "0" * 240 + "7 1 * * *", "from": "2024-01-01"},
        {"expression": "*" * 257, "from": "2024-01-01"},
        {"expression": "H * * * *", "from": "2024-01-01"},
        {"expression": "R * * * *", "from": "2024-01-01"},
        {"expression": "0 0 * * 1L", "from": "2024-01-01"},
        {"expression": "0 0 * * l5", "from": "2024-01-01"},
    ],
    "password_strength": [
        {"password": ""}, {"password": "e\u0301e\u0301e\u0301"},
        {"password": "\U0001F600" * 1024}, {"password": "a" * 1025},
        {"password": "\u0000\u0000\u0000"}, {"password": "ß" * 20},
        {"password": "İstanbul2024!"}, {"password": "PASSWORD"},
        {"password": "\u212aing123"}, {"password": " " * 30},
        {"password": "password\u0000"}, {"password": "\u0000password"},
        {"password": "PaSsWoRd"}, {"password": "passwor"},
    ],
    "random": [
        {"kind": "int", "seed": 0},
        {"kind": "int", "min": -2**63, "max": 2**63 - 1, "count": 1000, "seed": 5},
        {"kind": "int", "min": -2**63, "max": -2**63, "seed": 5},
        {"kind": "int", "min": 1, "max": 3, "count": 1000, "seed": 2**63 - 1},
        {"kind": "float", "min": 0, "max": 5e-324, "count": 10, "seed": 3},
        {"kind": "float", "min": -1.7976931348623157e308, "max": 0, "seed": 3},
        {"kind": "float", "min": -0.0, "max": 0.0, "seed": 3},
        {"kind": "choice", "items": ["\U0001F600", "e\u0301"], "count": 1000, "seed": -9},
        {"kind": "shuffle", "items": list(range(1000)), "seed": 11},
        {"kind": "shuffle", "items": list(range(1001)), "seed": 11},
        {"kind": "bytes_hex", "count": 1000, "seed": -2**63},
        {"kind": "bytes_hex", "count": 1, "seed": 1},
        {"kind": "bytes_hex", "count": 1001, "seed": 1},
        {"kind": "int", "count": 1, "seed": 1, "extra": 1},
    ],
    "color_convert": [
        {"color": ""}, {"color": "#abc"}, {"color": "#ABCDEF"},
        {"color": "rgb(0,0,0)"}, {"color": "rgb(255,255,255)"},
        {"color": "rgb(000000000000000000000000000000000000255,0,0)"},
        {"color": "hsl(0,0%,100%)"}, {"color": "hsl(360.0,100.0%,100.0%)"},
        {"color": "hsl(359.5,50%,50%)"}, {"color": "hsl(0.5,0.5%,0.5%)"},
        {"color": "hsl(120,100%,25%)"}, {"color": "\u0660\u0660\u0660"},
        {"color": "#abc\u0000"}, {"color": "x" * 64}, {"color": "x" * 65},
    ],
}

TOL = {}
