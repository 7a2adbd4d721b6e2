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
    count = _int(d, "count", 1, 100, 5)
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
