"""References of the mathb group: matrix_multiply, matrix_inverse,
solve_linear, linear_regression, correlation, polynomial_roots,
unit_convert, haversine, base_convert, roman (CATALOG.md, math).

numpy.linalg and numpy.roots are the references of the linear algebra and
of the roots (TOL); the elimination that decides singularity is repeated
here in Python, step for step as functions/math/linalg.c does it, since
numpy only refuses an exactly zero pivot. Python's statistics module is the
reference of linear_regression and correlation (bit for bit). The others
are plain Python of the rule that the function's description states.
"""
import math
import re
import statistics as st

import numpy as np

from reference import Invalid, jnum

SIZE_MAX = 200
ITEMS_MAX = 100000
DEGREE_MAX = 20
COEFFICIENTS_MAX = 64
VALUE_MAX = 4300
EPS = 2.0 ** -52


def _num(v):
    return float(v)  # float(int): the nearest double, as the C does


def _shape(m, field):
    """Rows and columns of the rectangular m, else Invalid(field)."""
    if not m or any(len(r) != len(m[0]) for r in m) or not m[0]:
        raise Invalid(field)
    return len(m), len(m[0])


def _check_matrix(m, field):
    """The schema's checks (naming the row as it does), then the shape."""
    if not 1 <= len(m) <= SIZE_MAX:
        raise Invalid(field)
    for i, r in enumerate(m):
        if not 1 <= len(r) <= SIZE_MAX:
            raise Invalid("%s[%d]" % (field, i))
    return _shape(m, field)


# ---- matrix_multiply ------------------------------------------------------

def matrix_multiply(d):
    a, b = d["a"], d["b"]
    _, ac = _check_matrix(a, "a")
    br, bc = _check_matrix(b, "b")
    if ac != br:
        raise Invalid("b")
    out = []
    for row in a:
        cells = []
        for j in range(bc):
            try:
                v = sum(row[k] * b[k][j] for k in range(ac))
            except OverflowError:
                raise Invalid("a") from None
            cells.append(jnum(v, "a"))
        out.append(cells)
    return out


# ---- matrix_inverse, solve_linear ----------------------------------------

def _singular(rows):
    """Gaussian elimination with partial pivoting as linalg.c does it: True
    when a pivot is not above n * 2^-52 * max|a_ij|."""
    a = [[_num(v) for v in r] for r in rows]
    n = len(a)
    tol = n * EPS * max(abs(v) for r in a for v in r)
    for k in range(n):
        p = k
        for i in range(k + 1, n):
            if abs(a[i][k]) > abs(a[p][k]):
                p = i
        if not abs(a[p][k]) > tol:
            return True
        a[k], a[p] = a[p], a[k]
        for i in range(k + 1, n):
            m = a[i][k] / a[k][k]
            a[i][k] = m
            ri, rk = a[i], a[k]
            for j in range(k + 1, n):
                ri[j] -= m * rk[j]
    return False


def _square(m, field):
    r, c = _check_matrix(m, field)
    if r != c:
        raise Invalid(field)
    return r


def _finite_list(v, field):
    out = [float(x) for x in v]
    if not all(math.isfinite(x) for x in out):
        raise Invalid(field)
    return out


def matrix_inverse(d):
    m = d["matrix"]
    _square(m, "matrix")
    if _singular(m):
        raise Invalid("matrix")
    a = np.array([[_num(v) for v in r] for r in m], dtype=float)
    with np.errstate(all="ignore"):
        try:
            inv = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise Invalid("matrix") from None
        det = float(np.linalg.det(a))
    inverse = [_finite_list(r, "inverse") for r in inv]
    return {"inverse": inverse, "determinant": jnum(det, "determinant")}


def solve_linear(d):
    a, b = d["a"], d["b"]
    n = _square(a, "a")
    if len(b) != n:
        raise Invalid("b")
    if _singular(a):
        raise Invalid("a")
    A = np.array([[_num(v) for v in r] for r in a], dtype=float)
    with np.errstate(all="ignore"):
        try:
            x = np.linalg.solve(A, np.array([_num(v) for v in b]))
        except np.linalg.LinAlgError:
            raise Invalid("a") from None
    return {"x": _finite_list(x, "x")}


# ---- linear_regression, correlation ---------------------------------------

def _xy(d):
    x, y = d["x"], d["y"]
    if not 2 <= len(x) <= ITEMS_MAX:
        raise Invalid("x")
    if not 2 <= len(y) <= ITEMS_MAX or len(y) != len(x):
        raise Invalid("y")
    return x, y


def _sxx(x):
    xbar = math.fsum(x) / len(x)
    return math.fsum((v - xbar) * (v - xbar) for v in x)


def linear_regression(d):
    x, y = _xy(d)
    try:
        lr = st.linear_regression(x, y)
    except st.StatisticsError:
        raise Invalid("x") from None  # x is constant
    except (OverflowError, ValueError):
        raise Invalid("slope") from None
    slope = jnum(lr.slope, "slope")
    intercept = jnum(lr.intercept, "intercept")
    try:
        r = st.correlation(x, y)
        r2 = jnum(r ** 2, "r2")
    except st.StatisticsError:
        r2 = None  # y constant, or sxx * syy underflows
    except (OverflowError, ValueError):
        raise Invalid("r2") from None
    return {"slope": slope, "intercept": intercept, "r2": r2}


def correlation(d):
    x, y = _xy(d)
    try:
        r = st.correlation(x, y)
    except st.StatisticsError:
        raise Invalid("x" if _sxx(x) == 0.0 else "y") from None
    except (OverflowError, ValueError):
        raise Invalid("x") from None
    return jnum(r, "x")


# ---- polynomial_roots -----------------------------------------------------

def _grid(v):
    g = v * 1e6 + 0.5
    return math.floor(g) if math.isfinite(g) else g


def _root_key(z):
    """Real part, then imaginary part, on a grid of 1e-6 (so that noise
    far below the tolerance cannot swap two roots), then exactly."""
    return (_grid(z[0]), _grid(z[1]), z[0], z[1])


def polynomial_roots(d):
    c = [_num(v) for v in d["coefficients"]]
    if not 1 <= len(c) <= COEFFICIENTS_MAX:
        raise Invalid("coefficients")
    first = next((i for i, v in enumerate(c) if v != 0.0), None)
    if first is None or len(c) - first - 1 > DEGREE_MAX:
        raise Invalid("coefficients")
    with np.errstate(all="ignore"):
        try:
            r = np.atleast_1d(np.roots(c)).astype(complex)
        except np.linalg.LinAlgError:
            raise Invalid("coefficients") from None
    out = [(float(z.real), float(z.imag)) for z in r]
    if not all(math.isfinite(v) for z in out for v in z):
        raise Invalid("coefficients")
    out.sort(key=_root_key)
    return [{"re": a, "im": b} for a, b in out]


# ---- unit_convert ---------------------------------------------------------

UNITS = {
    "length": {"m": (1, 1), "km": (1000, 1), "cm": (1, 100),
               "mm": (1, 1000), "um": (1, 1e6), "nm": (1, 1e9),
               "in": (254, 10000), "ft": (3048, 10000),
               "yd": (9144, 10000), "mi": (1609344, 1000),
               "nmi": (1852, 1)},
    "mass": {"kg": (1, 1), "g": (1, 1000), "mg": (1, 1e6), "ug": (1, 1e9),
             "t": (1000, 1), "lb": (45359237, 1e8), "oz": (45359237, 16e8),
             "st": (635029318, 1e8)},
    "time": {"s": (1, 1), "ms": (1, 1000), "us": (1, 1e6), "ns": (1, 1e9),
             "min": (60, 1), "h": (3600, 1), "d": (86400, 1),
             "wk": (604800, 1), "yr": (31557600, 1)},
    "data size": {"bit": (1, 8), "kbit": (1000, 8), "Mbit": (1e6, 8),
                  "Gbit": (1e9, 8), "Tbit": (1e12, 8), "B": (1, 1),
                  "kB": (1e3, 1), "MB": (1e6, 1), "GB": (1e9, 1),
                  "TB": (1e12, 1), "PB": (1e15, 1), "EB": (1e18, 1),
                  "KiB": (2 ** 10, 1), "MiB": (2 ** 20, 1),
                  "GiB": (2 ** 30, 1), "TiB": (2 ** 40, 1),
                  "PiB": (2 ** 50, 1), "EiB": (2 ** 60, 1)},
    "speed": {"m/s": (1, 1), "km/h": (1000, 3600),
              "mph": (1609344, 3600000), "kn": (1852, 3600),
              "ft/s": (3048, 10000)},
    "temperature": {"C": None, "F": None, "K": None},
}
ALIASES = {
    "meter": "m", "metre": "m", "kilometer": "km", "kilometre": "km",
    "centimeter": "cm", "centimetre": "cm", "millimeter": "mm",
    "millimetre": "mm", "µm": "um", "μm": "um", "inch": "in", "foot": "ft",
    "feet": "ft", "yard": "yd", "mile": "mi", "gram": "g",
    "kilogram": "kg", "µg": "ug", "μg": "ug", "pound": "lb", "ounce": "oz",
    "tonne": "t", "stone": "st", "second": "s", "sec": "s", "µs": "us",
    "μs": "us", "minute": "min", "hour": "h", "day": "d", "week": "wk",
    "year": "yr", "byte": "B", "kph": "km/h", "knot": "kn",
    "celsius": "C", "fahrenheit": "F", "kelvin": "K",
    "meters": "m",
    "metres": "m",
    "kilometers": "km",
    "kilometres": "km",
    "centimeters": "cm",
    "centimetres": "cm",
    "millimeters": "mm",
    "millimetres": "mm",
    "inches": "in",
    "yards": "yd",
    "miles": "mi",
    "grams": "g",
    "kilograms": "kg",
    "pounds": "lb",
    "lbs": "lb",
    "ounces": "oz",
    "tonnes": "t",
    "seconds": "s",
    "minutes": "min",
    "hours": "h",
    "hr": "h",
    "days": "d",
    "weeks": "wk",
    "years": "yr",
    "bytes": "B",
    "bits": "bit",
    "knots": "kn",
    "kt": "kn",
    "mi/h": "mph",
    "°C": "C",
    "°F": "F",
}


def _unit(name, field):
    name = ALIASES.get(name, name)
    for dim, table in UNITS.items():
        if name in table:
            return dim, name, table[name]
    raise Invalid(field)


def _to_c(v, u):
    return v - 273.15 if u == "K" else (v - 32.0) * 5.0 / 9.0 \
        if u == "F" else v


def _from_c(c, u):
    return c + 273.15 if u == "K" else c * 9.0 / 5.0 + 32.0 \
        if u == "F" else c


def unit_convert(d):
    fdim, fname, ff = _unit(d["from"], "from")
    tdim, tname, tf = _unit(d["to"], "to")
    if fdim != tdim:
        raise Invalid("to")
    x = float(d["value"])
    if fname == tname:
        r = x
    elif fdim == "temperature":
        r = _from_c(_to_c(x, fname), tname)
    else:
        r = x * (float(ff[0]) * float(tf[1])) / (float(ff[1]) * float(tf[0]))
    return jnum(r, "value")


# ---- haversine ------------------------------------------------------------

R_KM = 6371.0088


def haversine(d):
    lat1, lon1 = float(d["lat1"]), float(d["lon1"])
    lat2, lon2 = float(d["lat2"]), float(d["lon2"])
    for f, v, lim in (("lat1", lat1, 90), ("lon1", lon1, 180),
                      ("lat2", lat2, 90), ("lon2", lon2, 180)):
        if not -lim <= v <= lim:
            raise Invalid(f)
    if d.get("unit", "km") not in ("km", "mi"):
        raise Invalid("unit")
    s1 = math.sin(math.radians(lat2 - lat1) / 2.0)
    s2 = math.sin(math.radians(lon2 - lon1) / 2.0)
    h = s1 * s1 + math.cos(math.radians(lat1)) * \
        math.cos(math.radians(lat2)) * s2 * s2
    km = 2.0 * R_KM * math.asin(math.sqrt(min(h, 1.0)))
    return km / 1.609344 if d.get("unit", "km") == "mi" else km


# ---- base_convert ---------------------------------------------------------

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base_convert(d):
    v, f, t = d["value"], d["from"], d["to"]
    if len(v) > VALUE_MAX:
        raise Invalid("value")
    for k in ("from", "to"):
        if isinstance(d[k], bool) or not isinstance(d[k], int) or \
                not 2 <= d[k] <= 36:
            raise Invalid(k)
    try:
        n = int(v, f)
    except ValueError:
        raise Invalid("value") from None
    if n == 0:
        return "0"
    sign, n, out = "-" if n < 0 else "", abs(n), []
    # a few digits at a time: quadratic, but value is bounded
    chunk, width = t, 1
    while chunk * t < 2 ** 60:
        chunk, width = chunk * t, width + 1
    while n:
        n, r = divmod(n, chunk)
        part = []
        for _ in range(width):
            r, q = divmod(r, t)
            part.append(DIGITS[q])
        out.append("".join(reversed(part)))
    return sign + "".join(reversed(out)).lstrip("0")


# ---- roman ----------------------------------------------------------------

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
         (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
         (4, "IV"), (1, "I")]
ROMAN_RE = re.compile(
    "M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")


def _to_roman(n):
    out = []
    for v, s in ROMAN:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def roman(d):
    v = d["value"]
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise Invalid("value")
    if isinstance(v, int):
        if not 1 <= v <= 3999:
            raise Invalid("value")
        return _to_roman(v)
    if not re.fullmatch("[IVXLCDMivxlcdm]+", v):
        raise Invalid("value")
    u = v.upper()
    if not ROMAN_RE.fullmatch(u):
        raise Invalid("value")
    n, i = 0, 0
    for val, s in ROMAN:
        while u.startswith(s, i):
            n, i = n + val, i + len(s)
    return n


REFS = {
    "matrix_multiply": matrix_multiply, "matrix_inverse": matrix_inverse,
    "solve_linear": solve_linear, "linear_regression": linear_regression,
    "correlation": correlation, "polynomial_roots": polynomial_roots,
    "unit_convert": unit_convert, "haversine": haversine,
    "base_convert": base_convert, "roman": roman,
}

TOL = {"matrix_inverse": 1e-9, "solve_linear": 1e-9,
       "polynomial_roots": 1e-6}


# ---- generators -----------------------------------------------------------

def _rnum(r, big=False):
    k = r.random()
    if k < 0.4:
        return r.randint(-10, 10)
    if k < 0.8:
        return round(r.uniform(-10, 10), r.randint(0, 6))
    if big and k < 0.9:
        return r.choice([2 ** 53 + 1, -(2 ** 63), 2 ** 63 - 1, 1e200,
                         -1e-300, 5e-324, 3037000499])
    return r.uniform(-1e3, 1e3)


def _rmatrix(r, rows, cols, big=False):
    return [[_rnum(r, big) for _ in range(cols)] for _ in range(rows)]


def gen_matrix_multiply(r):
    n, m, p = r.randint(1, 6), r.randint(1, 6), r.randint(1, 6)
    ints = r.random() < 0.4
    a = _rmatrix(r, n, m, True)
    b = _rmatrix(r, m if r.random() < 0.95 else m + 1, p, True)
    if ints:
        a = [[r.randint(-2 ** 40, 2 ** 40) for _ in row] for row in a]
    if r.random() < 0.03:
        a[-1] = a[-1][:-1] or [1, 2]  # ragged
    return {"a": a, "b": b}


def _well_conditioned(r, n, limit=1e4):
    while True:
        if r.random() < 0.5:
            m = [[r.randint(-9, 9) for _ in range(n)] for _ in range(n)]
        else:
            m = [[round(r.gauss(0, 10 ** r.randint(-3, 3)), 8)
                  for _ in range(n)] for _ in range(n)]
        a = np.array(m, dtype=float)
        if np.linalg.cond(a) < limit:
            return m


def _rsingular(r, n):
    m = [[r.randint(-5, 5) for _ in range(n)] for _ in range(n)]
    if n > 1:
        k = r.randint(0, n - 1)
        m[k] = [2 * v for v in m[(k + 1) % n]]
    else:
        m = [[0]]
    return m


def gen_matrix_inverse(r):
    n = r.randint(1, 8)
    k = r.random()
    if k < 0.1:
        return {"matrix": _rsingular(r, n)}
    if k < 0.13:
        return {"matrix": _rmatrix(r, n, n + 1)}
    return {"matrix": _well_conditioned(r, n)}


def gen_solve_linear(r):
    n = r.randint(1, 8)
    k = r.random()
    a = _rsingular(r, n) if k < 0.1 else _well_conditioned(r, n)
    b = [_rnum(r) for _ in range(n + (1 if k > 0.97 else 0))]
    return {"a": a, "b": b}


def gen_xy(r):
    n = r.choice([2, 2, 3, 5, 10, 50, r.randint(2, 300)])
    kind = r.random()
    if kind < 0.3:
        x = [r.randint(-100, 100) for _ in range(n)]
    elif kind < 0.35:
        x = [r.choice([1e300, -1e300, 1e-300, 2 ** 63 - 1, -(2 ** 63)])
             for _ in range(n)]
    else:
        x = [r.uniform(-1e3, 1e3) for _ in range(n)]
    slope, noise = r.uniform(-5, 5), r.choice([0, 0.1, 10, 1e3])
    y = [slope * v + r.gauss(0, noise) if isinstance(v, float) and
         abs(v) < 1e100 else r.randint(-50, 50) for v in x]
    k = r.random()
    if k < 0.05:
        x = [x[0]] * n  # constant x
    elif k < 0.1:
        y = [y[0]] * n  # constant y
    elif k < 0.12:
        y = y + [1.0]  # lengths differ
    return {"x": x, "y": y}


def gen_polynomial_roots(r):
    k = r.random()
    if k < 0.45:
        deg = r.randint(1, DEGREE_MAX)
        c = [r.gauss(0, 1) for _ in range(deg + 1)]
    elif k < 0.7:
        deg = r.randint(1, 12)
        c = [r.randint(-10, 10) for _ in range(deg + 1)]
        c[0] = c[0] or 1
    elif k < 0.9:
        # distinct, well separated roots, some complex pairs
        p = np.poly1d([1.0])
        for _ in range(r.randint(1, 5)):
            if r.random() < 0.5:
                p *= np.poly1d([1.0, -r.randint(-9, 9) - 0.5 * r.random()])
            else:
                a, b = r.uniform(-3, 3), r.uniform(0.5, 3)
                p *= np.poly1d([1.0, -2 * a, a * a + b * b])
        c = [float(v) for v in p.coeffs]
    elif k < 0.95:
        c = [0] * r.randint(1, 3) + [r.randint(1, 9), r.randint(-9, 9),
                                      r.randint(-9, 9)] + \
            [0] * r.randint(0, 3)
    else:
        c = r.choice([[0], [0, 0, 0], [7], [0.0, 3], [1] * 22, [2.5]])
    return {"coefficients": c}


def gen_unit_convert(r):
    dims = list(UNITS)
    dim = r.choice(dims)
    names = list(UNITS[dim]) + [a for a, u in ALIASES.items()
                                if u in UNITS[dim]]
    f, t = r.choice(names), r.choice(names)
    k = r.random()
    if k < 0.05:
        t = r.choice(list(UNITS[r.choice(dims)]))
    elif k < 0.08:
        f = r.choice(["", "M", "KB", "Celsius", "m/S", "℃", "µ"])
    value = r.choice([r.randint(-1000, 1000), r.uniform(-1e6, 1e6), 0,
                      -0.0, 1e300, 2 ** 63 - 1, 5e-324, 1.5])
    return {"value": value, "from": f, "to": t}


def gen_haversine(r):
    def lat():
        return r.choice([r.uniform(-90, 90), r.randint(-90, 90), 90, -90, 0])

    def lon():
        return r.choice([r.uniform(-180, 180), r.randint(-180, 180), 180,
                         -180])

    d = {"lat1": lat(), "lon1": lon(), "lat2": lat(), "lon2": lon()}
    if r.random() < 0.5:
        d["unit"] = r.choice(["km", "mi"])
    if r.random() < 0.1:  # nearly antipodal
        d["lat2"], d["lon2"] = -d["lat1"], d["lon1"] + (
            180 if d["lon1"] <= 0 else -180)
    return d


def gen_base_convert(r):
    f, t = r.randint(2, 36), r.randint(2, 36)
    n = r.choice([0, r.randint(-1000, 1000), r.getrandbits(64),
                  -r.getrandbits(200), r.getrandbits(r.randint(1, 3000))])
    digits, s, m = [], "", abs(n)
    while m:
        m, q = divmod(m, f)
        digits.append(DIGITS[q])
    s = "".join(reversed(digits)) or "0"
    if r.random() < 0.3:
        s = s.upper()
    if r.random() < 0.2 and len(s) > 2:
        i = r.randint(1, len(s) - 1)
        s = s[:i] + "_" + s[i:]
    s = ("-" if n < 0 else r.choice(["", "+"])) + s
    k = r.random()
    if k < 0.1:
        s = r.choice([" ", "\t", "\u3000", "\n"]) + s + r.choice(
            ["", " ", "\u00a0"])
    elif k < 0.15:
        s = s.replace("1", "١")
    elif k < 0.25:
        s = r.choice(["", "_1", "1__0", "1_", "--1", "0x", "1 2", "z" * 3,
                      "1\x00", "١٢٣", "ⅷ", "0x_1f", "0b101", "0o17",
                      "+-1", "\x1c1"])
        f = r.choice([2, 8, 10, 16, 36])
    return {"value": s, "from": f, "to": t}


def gen_roman(r):
    k = r.random()
    if k < 0.45:
        return {"value": r.randint(1, 3999)}
    n = _to_roman(r.randint(1, 3999))
    if k < 0.7:
        return {"value": n}
    if k < 0.8:
        return {"value": n.lower()}
    return {"value": r.choice(["IIII", "IC", "VX", "MMMM", "XM", "IIV",
                               "xIv", "MCMXCIVI", "LL", "DD", "CMC",
                               "ⅻ", "I V", "ı", "XLX", n + "I"])}


GEN = {
    "matrix_multiply": gen_matrix_multiply,
    "matrix_inverse": gen_matrix_inverse, "solve_linear": gen_solve_linear,
    "linear_regression": gen_xy, "correlation": gen_xy,
    "polynomial_roots": gen_polynomial_roots,
    "unit_convert": gen_unit_convert, "haversine": gen_haversine,
    "base_convert": gen_base_convert, "roman": gen_roman,
}


# ---- edge cases -----------------------------------------------------------

_I64 = [2 ** 63 - 1, -(2 ** 63)]
_BIG = [[2 ** 63 - 1] * 3] * 3

EDGE = {
    "matrix_multiply": [
        {"a": [[1]], "b": [[1]]},
        {"a": [[-0.0]], "b": [[0]]},
        {"a": [[0, -0.0]], "b": [[-0.0], [-0.0]]},
        {"a": [[1, 2, 3]], "b": [[4], [5], [6]]},
        {"a": [[4], [5], [6]], "b": [[1, 2, 3]]},
        {"a": [_I64], "b": [[1], [1]]},                  # -1 exactly
        {"a": [_I64], "b": [[2 ** 63 - 1], [1]]},        # past int64
        {"a": _BIG, "b": _BIG},                          # past __int128
        {"a": [[-(2 ** 63)] * 3], "b": [[2 ** 63 - 1]] * 3},
        {"a": [[-(2 ** 63)] * 4], "b": [[-(2 ** 63)], [2 ** 63 - 1],
                                        [-(2 ** 63)], [-(2 ** 63)]]},
        {"a": [[-(2 ** 63), -(2 ** 63), 2 ** 63 - 1, 2 ** 63 - 1, 1]],
         "b": [[-(2 ** 63)], [-(2 ** 63)], [2 ** 63 - 1], [-(2 ** 63)],
               [3]]},
        {"a": [[2 ** 53 + 1, 0.5]], "b": [[1], [2]]},    # int then float
        {"a": [[0.5, 2 ** 53 + 1]], "b": [[2], [1]]},    # float then int
        {"a": [[1e308, 1e308]], "b": [[1], [1]]},        # overflow
        {"a": [[1e308]], "b": [[-10]]},
        {"a": [[5e-324, 5e-324]], "b": [[0.5], [1.5]]},
        {"a": [[1.5, 2]], "b": [[1], [2], [3]]},          # shapes
        {"a": [[1, 2], [3]], "b": [[1], [2]]},            # ragged a
        {"a": [[1, 2]], "b": [[1], [2, 3]]},              # ragged b
        {"a": [], "b": [[1]]}, {"a": [[]], "b": [[1]]},
        {"a": [[1] * 200], "b": [[2]] * 200},
        {"a": [[1] * 201], "b": [[2]] * 201},
        {"a": [[1.5] * 3] * 3, "b": [[1, 2, 3]] * 3},
    ],
    "matrix_inverse": [
        {"matrix": [[2]]}, {"matrix": [[-0.5]]}, {"matrix": [[0]]},
        {"matrix": [[-0.0]]}, {"matrix": [[5e-324]]},
        {"matrix": [[1, 2], [3, 4]]}, {"matrix": [[0, 1], [1, 0]]},
        {"matrix": [[1, 2], [2, 4]]},
        {"matrix": [[1, 2, 3], [4, 5, 6], [7, 8, 9]]},
        {"matrix": [[1, 2, 3], [0, 1, 4], [5, 6, 0]]},
        {"matrix": [[1e-200, 0], [0, 1e-200]]},
        {"matrix": [[1e300, 0], [0, 1e300]]},            # det overflows
        {"matrix": [[1e-300, 0], [0, 1]]},               # inverse overflows
        {"matrix": [[2 ** 63 - 1, 1], [1, 1]]},
        {"matrix": [[1, 2], [3, 4], [5, 6]]},
        {"matrix": [[1, 2], [3]]},
        {"matrix": [[1e-8, 1], [1, 1]]},
        {"matrix": [[float(i == j) + 0.5 for j in range(200)]
                    for i in range(200)]},
        {"matrix": [[1] * 201] * 201},
    ],
    "solve_linear": [
        {"a": [[2]], "b": [4]}, {"a": [[0]], "b": [1]},
        {"a": [[1, 2], [3, 4]], "b": [5, 6]},
        {"a": [[0, 1], [1, 0]], "b": [-0.0, 2 ** 63 - 1]},
        {"a": [[1, 2], [2, 4]], "b": [1, 2]},
        {"a": [[1, 2], [3, 4]], "b": [1]},
        {"a": [[1, 2], [3, 4]], "b": [1, 2, 3]},
        {"a": [[1, 2, 3], [4, 5, 6]], "b": [1, 2]},
        {"a": [[1e-300, 0], [0, 1]], "b": [1e300, 1]},   # x overflows
        {"a": [[4, -2, 1], [-2, 4, -2], [1, -2, 4]], "b": [11, -16, 17]},
        {"a": [[float(i == j) * 3 + 1 for j in range(200)]
               for i in range(200)], "b": list(range(200))},
    ],
    "linear_regression": [
        {"x": [1, 2], "y": [3, 5]},
        {"x": [1, 2, 3, 4], "y": [3, 5, 7, 9]},
        {"x": [1, 1, 1], "y": [1, 2, 3]},                # x constant
        {"x": [1, 2, 3], "y": [4, 4, 4]},                # y constant: r2 null
        {"x": [-3, -5, -3, 5], "y": [-1, 3, -5, 3]},     # r ** 2 != r * r
        {"x": [1, 2], "y": [1, 2, 3]},
        {"x": [1], "y": [1]},
        {"x": [1e-170, 2e-170, 3e-170], "y": [1e-170, 3e-170, 2e-170]},
        {"x": [1e300, -1e300], "y": [1, 2]},
        {"x": [1e308, 1e308, -1e308], "y": [1, 2, 3]},
        {"x": [2 ** 63 - 1, -(2 ** 63), 0], "y": [1, 0, 0.5]},
        {"x": [2 ** 53, 2 ** 53 + 1], "y": [0, 1]},       # equal as floats
        {"x": [0.1, 0.2, 0.3], "y": [-0.0, 0.0, 5e-324]},
        {"x": [v % 10 for v in range(100000)],          # the limit, in
         "y": [(3 * v) % 7 for v in range(100000)]},    # under 1 MiB
    ],
    "correlation": [
        {"x": [1, 2], "y": [2, 1]},
        {"x": [1, 2, 3, 4], "y": [2, 4, 6, 8]},
        {"x": [1, 1, 1], "y": [1, 2, 3]},
        {"x": [1, 2, 3], "y": [4, 4, 4]},
        {"x": [5, 5], "y": [4, 4]},
        {"x": [1, 2], "y": [1]},
        {"x": [1e-170, 2e-170, 3e-170], "y": [1e-170, 3e-170, 2e-170]},
        {"x": [1e300, -1e300], "y": [1e300, -1e300]},
        {"x": [1e308, 1e308, -1e308], "y": [1, 2, 3]},
        {"x": [2 ** 63 - 1, -(2 ** 63), 0], "y": [1, 0, 0.5]},
        {"x": [0.1, 0.2, 0.3], "y": [0.3, 0.2, 0.1]},
        {"x": [v % 9 for v in range(100000)],
         "y": [v % 7 for v in range(100000)]},
    ],
    "polynomial_roots": [
        {"coefficients": [1]}, {"coefficients": [0]},
        {"coefficients": [0, 0]}, {"coefficients": [-0.0, 5]},
        {"coefficients": [2, 4]}, {"coefficients": [1, 0, -4]},
        {"coefficients": [1, 0, 1]}, {"coefficients": [1, -3, 2]},
        {"coefficients": [0, 0, 1, -3, 2]}, {"coefficients": [1, 0, 0]},
        {"coefficients": [1, -6, 11, -6]},
        {"coefficients": [1, 0, 0, 0, -1]},
        {"coefficients": [1e-300, 1]}, {"coefficients": [1, 1e300, 1]},
        {"coefficients": [1] + [0] * 20},
        {"coefficients": [1] * 21}, {"coefficients": [1] * 22},
        {"coefficients": [0] * 43 + [1] * 21},
        {"coefficients": [0] * 64}, {"coefficients": [0] * 65},
        {"coefficients": [3, -2, 5, 7, -1, 0.5]},
        {"coefficients": [1, 0, 5, 0, 4]},          # +-i, +-2i: real parts
        {"coefficients": [1, 0, 10, 0, 9]},         # 0 up to noise
        {"coefficients": [1, -4, 6, -4, 5]},
        # multiple roots and mixed scales, where our EISPACK balanc + hqr
        # differed from numpy's dgeev by up to 0.5 (now dgeev itself)
        {"coefficients": [1.0, -6.0, 12.0, -10.0, 3.0]},      # (x-1)^3 (x-3)
        {"coefficients": [0, 0, 0, 1.0, 13.0, 63.0, 135.0, 108.0]},
        {"coefficients": [1.0, 4.0, -8.0, -10.0, 23.0, -10.0]},
        {"coefficients": [1.0, 16.0, 70.0, -100.0, -1375.0, -2500.0, 0.0]},
        {"coefficients": [1e-08, 1e8, 0, 1, 1e-08, 3, -1]},
        {"coefficients": [1e-08, 1e8, 1, 0.5, -1, 1e8, 1, 1e-08, 0, 1]},
        {"coefficients": [1e-08, 1e8, 3, 1e-08, 1, 3, 0, 1e-08, 1e-08, 3, 1,
                          0, 0.5]},
        {"coefficients": [1, -20, 190, -1140, 4845, -15504, 38760, -77520,
                          125970, -167960, 184756, -167960, 125970, -77520,
                          38760, -15504, 4845, -1140, 190, -20, 1]},
    ],
    "unit_convert": [
        # a name holding U+0000 is no unit, not the name before the NUL
        {"value": 1, "from": "m\u0000i", "to": "km"},
        {"value": 1, "from": "mi\u0000", "to": "km"},
        {"value": 1, "from": "mi", "to": "km\u0000zz"},
        {"value": 1, "from": "in", "to": "cm"},
        {"value": 1, "from": "mi", "to": "km"},
        {"value": 1, "from": "lb", "to": "kg"},
        {"value": 16, "from": "oz", "to": "lb"},
        {"value": 100, "from": "C", "to": "F"},
        {"value": -40, "from": "F", "to": "C"},
        {"value": 0, "from": "K", "to": "F"},
        {"value": 300, "from": "K", "to": "K"},
        {"value": 1, "from": "GiB", "to": "MB"},
        {"value": 8, "from": "bit", "to": "B"},
        {"value": 1, "from": "EiB", "to": "bit"},
        {"value": 100, "from": "km/h", "to": "m/s"},
        {"value": 1, "from": "kn", "to": "mph"},
        {"value": 1, "from": "yr", "to": "s"},
        {"value": -0.0, "from": "m", "to": "ft"},
        {"value": 5e-324, "from": "nm", "to": "km"},
        {"value": 1e308, "from": "km", "to": "mm"},
        {"value": 2 ** 63 - 1, "from": "B", "to": "KiB"},
        {"value": 1, "from": "m", "to": "kg"},
        {"value": 1, "from": "C", "to": "m"},
        {"value": 1, "from": "parsec", "to": "m"},
        {"value": 1, "from": "m", "to": "M"},
        {"value": 1, "from": "µm", "to": "μm"},
        {"value": 1, "from": "celsius", "to": "kelvin"},
        {"value": 1, "from": "", "to": ""},
    ],
    "haversine": [
        {"lat1": 0, "lon1": 0, "lat2": 0, "lon2": 0},
        {"lat1": 0, "lon1": 0, "lat2": 0, "lon2": 180},
        {"lat1": 90, "lon1": 0, "lat2": -90, "lon2": 0},
        {"lat1": 90, "lon1": 0, "lat2": -90, "lon2": 0, "unit": "mi"},
        {"lat1": 51.5074, "lon1": -0.1278, "lat2": 40.7128,
         "lon2": -74.006},
        {"lat1": -0.0, "lon1": -180, "lat2": 0.0, "lon2": 180},
        {"lat1": 45, "lon1": 10, "lat2": -45, "lon2": -170},
        {"lat1": 5e-324, "lon1": 0, "lat2": 0, "lon2": 5e-324},
        {"lat1": 91, "lon1": 0, "lat2": 0, "lon2": 0},
        {"lat1": 0, "lon1": -180.5, "lat2": 0, "lon2": 0},
        {"lat1": 0, "lon1": 0, "lat2": 0, "lon2": 0, "unit": "m"},
    ],
    "base_convert": [
        {"value": "0", "from": 10, "to": 2},
        {"value": "-0", "from": 10, "to": 36},
        {"value": "", "from": 10, "to": 2},
        {"value": " ", "from": 10, "to": 2},
        {"value": "ff", "from": 16, "to": 10},
        {"value": "0xFF", "from": 16, "to": 10},
        {"value": "0x_ff", "from": 16, "to": 10},
        {"value": "0x__ff", "from": 16, "to": 10},
        {"value": "0b1_0", "from": 2, "to": 10},
        {"value": "0o17", "from": 8, "to": 10},
        {"value": "0o17", "from": 10, "to": 10},
        {"value": "0b1", "from": 16, "to": 10},
        {"value": "1_000_000", "from": 10, "to": 16},
        {"value": "_1", "from": 10, "to": 16},
        {"value": "1_", "from": 10, "to": 16},
        {"value": "1__0", "from": 10, "to": 16},
        {"value": " \t-42\n ", "from": 10, "to": 7},
        {"value": "\u3000+7\u00a0", "from": 10, "to": 2},
        {"value": "\u200b7", "from": 10, "to": 2},
        {"value": "\x1c7", "from": 10, "to": 2},
        {"value": "٣٤", "from": 10, "to": 10},
        {"value": "１２", "from": 3, "to": 10},
        {"value": "Ａ", "from": 16, "to": 10},
        {"value": "ⅷ", "from": 10, "to": 10},
        {"value": "7\x00", "from": 10, "to": 10},
        {"value": "- 5", "from": 10, "to": 10},
        {"value": "2", "from": 2, "to": 10},
        {"value": "zz", "from": 36, "to": 2},
        {"value": "ZZ", "from": 36, "to": 36},
        {"value": "9223372036854775808", "from": 10, "to": 16},
        {"value": "-" + "1" * 4299, "from": 10, "to": 36},
        {"value": "z" * 4300, "from": 36, "to": 2},
        {"value": "1" * 4301, "from": 10, "to": 2},
        {"value": "1", "from": 1, "to": 2},
        {"value": "1", "from": 10, "to": 37},
    ],
    "roman": [
        {"value": 1}, {"value": 4}, {"value": 3999}, {"value": 0},
        {"value": 4000}, {"value": -1}, {"value": 1994},
        {"value": "MMMCMXCIX"}, {"value": "MMMDCCCLXXXVIII"},
        {"value": "mcmxciv"}, {"value": "McMxCiV"}, {"value": ""},
        {"value": "IIII"}, {"value": "IM"}, {"value": "MMMM"},
        {"value": " X"}, {"value": "X\x00"}, {"value": "ⅰ"},
        {"value": "ı"}, {"value": "N"}, {"value": "MMMMMMMMMMMMMMMM"},
        {"value": 1.0}, {"value": True}, {"value": None},
    ],
}
