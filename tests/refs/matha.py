"""References of the matha group: calculate's big-int cases (its reference
is tests/reference.py's), integrate, is_prime, prime_factors, primes,
gcd_lcm, fibonacci, factorial, power_mod."""
import math

from reference import Invalid

REFS, GEN, EDGE, TOL = {}, {}, {}, {}

# ---- calculate (REFS['calculate'] is in tests/reference.py) ---------------

CALC_EDGE = [
    "10^30 % 7", "10^400/10^399", "10^400 // 10", "-2^63", "-2^63 - 1",
    "2^63 - 1", "2^63", "-(2^63)", "(-2)^63", "2^64 % 1000",
    "9^9^9", "2^65535", "2^65536", "2^65535 % 1000", "2^65536 % 1000",
    "-2^65535 % 1000", "(2^65535 - 1) * 2 % 7", "2^65535 * 2",
    "3^41000 % 11", "3^42000 % 11", "7^-1", "(2^2000)^-1", "1^(10^30)",
    "(-1)^(10^30 + 1)", "0^(10^30)", "2^(10^30)", "2^1023 * 2.0",
    "2^1024 / 2^1023", "2^2000 / 3", "1 / 2^2000", "-1 / 2^2000",
    "0 / -5", "2^1024 * 1.0", "2^1024 + 0.5", "2^1024 % 7.0",
    "sqrt(2^1023)", "sqrt(2^1024)", "log(10^400)", "ln(10^400)",
    "ln(2^5000)", "log(2^1024 - 1)", "ln(8, 2)", "ln(100, 10)",
    "ln(2^2000, 2)", "ln(8, 1)", "ln(8, 0)", "ln(8, -2)", "ln(1, 2)",
    "log(8, 2)", "ln()", "ln(1, 2, 3)", "max(1)", "min(1)", "max(2.5)",
    "min(2^100, 2.0^100)", "max(2^100, 2.0^100)", "max(2^1024, 1e308)",
    "min(-2^1024, -1e308)", "max(1e400, 2^2000)", "min(1e400 - 1e400, 1)",
    "abs(-2^63)", "abs(-2^100) % 1000", "floor(1e300) % 1000",
    "ceil(-1e300) % 997", "round(1e300) % 997", "floor(2^100 + 0.5)",
    "round(123456789, -3)", "round(-2500, -3)", "round(3500, -3)",
    "round(10^100 + 5 * 10^49, -50) % 1000", "round(5, -30)",
    "round(5, -(10^30))", "round(5.5, -(10^30))", "round(5.5, 10^30)",
    "round(2^65535 - 1, -19728) % 7", "round(2^65535 - 1, -19729)",
    "round(7, 2^100)", "round(1.5, 2.0)", "0x10", "0X_1f", "0o17",
    "0O7_7", "0b101", "0B_1_0", "0x", "0b2", "0o8", "0x1g", "0x1_",
    "0x__1", "0xff % 0b111", "0x1e+1", "0x7fffffffffffffff + 1",
    "0xffffffffffffffffffffffffffffffff % 1000", "1_000 * 1_000",
    "1_000.000_1", "1e1_0", "1_e5", "1e_5", "1._5", "0_0", "0_1",
    "00_0", "09.5", "0e0", "1.e5", "1j", "3.5J", "1+2j-2j",
    "1" * 4300 + " % 7", "1" * 4301 + " % 7", "0" * 5000,
    "1_" * 4299 + "1 % 1000", "1_" * 4300 + "1 % 1000",
    "(1 +\n 2)", "1 +\n 2", "1\r\n", "\n1", "\n 1", " \n1", "# c\n1",
    "1 # c", "# c", "1 + \\\n2", "1 \\", "1 + \\\n", "max(1,\n2)",
    "(1\r+2)", "1\r+2", "1\f+2", "1\v+2", "\t1", "1\t", "\u00a01",
    "1 +\u30002", "1;", "1 if 1 else 0", "1if 1else 0", "not 1",
    "True + 1", "None", "max(*[1])", "round(2.5, ndigits=0)",
    "-(-9223372036854775807 - 1)", "9223372036854775807 * 2 // 2",
    "9223372036854775807 * 2 / 2", "99999999999999999999 - 1",
    "(10^20 + 1) - 10^20", "10^20 % 10^19", "-10^20 % 3",
    "10^20 % -3", "(-10)^21 % 10^21", "2^-1074", "2^-1075",
    "(2^53 + 1) / 1", "(2^54 + 1) / 2", "2^1023 * 2 - 2^1024",
    "-0", "-0.0", "0 * -1", "0.0 * -1",
    "1\n ", "1\n\t", "1\n\f", "1\n\f ", "1\n  #c", "\f\t1", "\f1",
    "\\\n 1", " \\\n1", "1\\\n ", "1\\\n", "\n\f 1", "\n \f1", "1\r ",
    "(1\n )", "#c\n 1", "\\\n \\\n1", "(1\n\\\n)",
    "max(-0.0, 2^64, 2^64)", "max(-0.0, 10^20 - 16)", "min(0.5, -10^30)",
    "max(2^64, 1.5) - 2^64", "min(2^64, 2.0^64, 2^64 + 1)",
    # names are NFKC-normalised as Python's parser does (we refused them)
    "\uff50\uff49", "\u212f", "\U0001d429\U0001d422", "\u1d56\u2071",
    "\uff53\uff51\uff52\uff54(4)", "m\uff41x(1, 2)", "2 * \u1d49",
    "\ufb01", "\u213c", "\u00e9", "\uff50\uff49" * 9, "\u00e9" * 40,
    "pi\u00a0", "\u00b2", "\u0661", "\uff11", "p\u0131", "\u03c0",
]
EDGE["calculate"] = [{"expression": s} for s in CALC_EDGE]

_CALC_ATOMS = ["0", "1", "2", "3", "7", "10", "-1", "2^62", "2^63", "2^64",
               "10^20", "10^30", "3^40", "9223372036854775807",
               "99999999999999999999", "0x10", "0b11", "0o17", "1_000",
               "0.5", "1e10", "1e300", "2.5", "pi", "e", "-0.0"]


def _calc_expr(r, depth=0):
    k = r.random()
    if depth > 3 or k < 0.3:
        return r.choice(_CALC_ATOMS)
    if k < 0.7:
        op = r.choice(["+", "-", "*", "/", "%", "%", "^"])
        rhs = (r.choice(["2", "3", "-1", "10", "63", "64", "100", "0.5"])
               if op == "^" else _calc_expr(r, depth + 1))
        return "(%s %s %s)" % (_calc_expr(r, depth + 1), op, rhs)
    if k < 0.8:
        return "-" + _calc_expr(r, depth + 1)
    if k < 0.9:
        f = r.choice(["min", "max", "round", "ln"])
        args = [_calc_expr(r, depth + 1) for _ in range(
            r.randint(1, 3) if f != "round" else 2)]
        if f == "round":
            args[1] = str(r.randint(-25, 5))
        if f == "ln":
            args = args[:2]
        return "%s(%s)" % (f, ", ".join(args))
    return "%s(%s)" % (r.choice(["abs", "floor", "ceil", "round", "log",
                                 "sqrt", "exp"]), _calc_expr(r, depth + 1))


GEN["calculate"] = lambda r: {"expression": _calc_expr(r)}


# ---- statistics (REFS['statistics'] is in tests/reference.py) -------------

def _gen_statistics(r):
    """gen_golden's rand_values (imported here: gen_golden imports
    reference), now and then an invalid input."""
    from gen_golden import rand_values
    k = r.random()
    if k < 0.03:
        return {"values": []}
    if k < 0.06:
        return {"values": rand_values(r) + [r.choice([True, None, "1"])]}
    if k < 0.08:
        return {"values": rand_values(r), "extra": 1}
    return {"values": rand_values(r)}


GEN["statistics"] = _gen_statistics
EDGE["statistics"] = [{"values": v} for v in [
    [1], [1.0], [-0.0], [0.0, -0.0], [-0.0, -0.0], [-0.0, 0.0], [1, 2],
    [1, 2, 3, 4], [1, 1, 2, 2], [2, 1, 1, 2], [3, 1, 2], [1, 3], [3, 1],
    [1, 2.0], [1.5, 2.5], [2, 4], [1, 2, 3], [1, 2, 3, 4, 5], [7, 7, 7],
    [1, 2, 3, 4, 5, 6], [-1, -2, -3, -4], [0.1] * 3, [0.1, 0.2, 0.3],
    [1e308, 1e308], [1e308, -1e308], [-1e308, 1e308, 1e308],
    [1.7976931348623157e308, 1.7976931348623157e308, 0],
    [2**63 - 1, 2**63 - 1], [-2**63, 2**63 - 1], [-2**63, -2**63],
    [2**62, 2**62, 2**62 + 1], [2**53, 2**53 + 1], [9007199254740993, 1.0],
    [5e-324, 5e-324], [5e-324, 0], [1e-320, 2e-320, 3e-320],
    [1e300, 1e300, 1e300], [1e200, -1e200, 1e200], [float(2**63)],
    [1e16, 1, -1e16], [1, 1e16, -1e16, 1], [0.5, 0.5, 1, 1],
    [1, 1.0, 2, 2.0], [2.0, 2, 1.0, 1], [10**18, 10**18 + 1, 3],
    list(range(100000)), [0.1] * 100000, list(range(-50, 51)),
    [], [True], [1, False], [None], ["1"], [1] * 100001,
]] + [{"values": [1], "extra": 0}, {}]


# ---- helpers ---------------------------------------------------------------

INT64 = (-(2**63), 2**63 - 1)


def _int(d, name, lo=INT64[0], hi=INT64[1]):
    """The integer field name of d within [lo, hi], as the schema checks
    it: a JSON integer (not a bool, not 5.0)."""
    v = d.get(name)
    if type(v) is not int or not lo <= v <= hi:
        raise Invalid(name)
    return v


def _only(d, *names):
    for k in d:
        if k not in names:
            raise Invalid(k)


def _decimal(x):
    """str(x) past Python's 4300-digit limit for int-to-str conversion."""
    import sys
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return str(x)
    finally:
        sys.set_int_max_str_digits(old)


def _int_or_str(x):
    return x if x <= INT64[1] else _decimal(x)


# ---- is_prime, prime_factors, primes -----------------------------------------

def _is_prime(n):
    """Deterministic Miller-Rabin for n < 3.3e24 (the first 12 primes)."""
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _rho(n):
    """A proper factor of the odd composite n (Pollard's rho, Floyd)."""
    c = 1
    while True:
        x = y = 2
        g = 1
        while g == 1:
            x = (x * x + c) % n
            y = (y * y + c) % n
            y = (y * y + c) % n
            g = math.gcd(abs(x - y), n)
        if g != n:
            return g
        c += 1


def _factor(n):
    out = []
    for p in range(2, 1000):
        while n % p == 0:
            out.append(p)
            n //= p
    stack = [n] if n > 1 else []
    while stack:
        m = stack.pop()
        if _is_prime(m):
            out.append(m)
        else:
            d = _rho(m)
            stack += [d, m // d]
    return sorted(out)


def is_prime(d):
    _only(d, "n")
    return _is_prime(_int(d, "n"))


def prime_factors(d):
    _only(d, "n")
    n = _int(d, "n", 2)
    f = _factor(n)
    assert math.prod(f) == n and all(_is_prime(p) for p in f)
    return f


def primes(d):
    _only(d, "limit")
    limit = _int(d, "limit", hi=10_000_000)
    if limit < 2:
        return {"count": 0, "primes": []}
    sieve = bytearray([1]) * (limit + 1)
    sieve[0] = sieve[1] = 0
    for i in range(2, math.isqrt(limit) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytes(len(range(i * i, limit + 1, i)))
    ps = [i for i in range(min(limit, 8000) + 1) if sieve[i]][:1000]
    return {"count": sum(sieve), "primes": ps}


REFS.update(is_prime=is_prime, prime_factors=prime_factors, primes=primes)

_BIG_PRIMES = [2**31 - 1, 2**61 - 1, 4294967291, 4294967279, 3037000493,
               1000000007, 998244353, 9223372036854775783, 2147483629,
               3037000453]


def _gen_n(r):
    k = r.random()
    if k < 0.3:
        return r.randint(-10, 1000)
    if k < 0.5:
        p, q = r.choice(_BIG_PRIMES), r.choice(_BIG_PRIMES)
        return p * q if p * q < 2**63 else p
    if k < 0.6:
        return r.choice([INT64[0], INT64[1], 2**62, 3**39, 2**61 - 1,
                         3215031751, 3825123056546413051, 341550071728321,
                         4759123141, 1122004669633, 2152302898747])
    if k < 0.9:
        return r.randint(2, 2**63 - 1)
    return r.choice([1.0, "7", True, None, 3.5])


GEN["is_prime"] = lambda r: {"n": _gen_n(r)}
GEN["prime_factors"] = lambda r: {"n": _gen_n(r)}
GEN["primes"] = lambda r: {"limit": r.choice(
    [r.randint(-5, 100), r.randint(0, 10000), r.randint(0, 10**6),
     r.choice([7918, 7919, 7920, 10**7, 10**7 + 1, 2.0, "100"])])}

EDGE["is_prime"] = [{"n": n} for n in [
    -(2**63), -7, -1, 0, 1, 2, 3, 4, 5, 9, 25, 561, 1105, 2047, 1373653,
    25326001, 3215031751, 2152302898747, 3474749660383, 341550071728321,
    3825123056546413051, 318665857834031151167461 % 2**63,
    2**31 - 1, 2**61 - 1, 2**62, 2**63 - 25, 2**63 - 1,
    (2**31 - 1) * (2**31 - 1), 4294967291 * 2147483647,
    3037000493 * 3037000453, 1000000007 * 998244353]] + [
    {}, {"n": 7.0}, {"n": "7"}, {"n": True}, {"n": 7, "x": 1}]
EDGE["prime_factors"] = [{"n": n} for n in [
    2, 3, 4, 12, 360, 1001, 997 * 997, 1009 * 1009, 1009 * 1013, 2**62,
    2**63 - 1, 2**63 - 25, 3**39, 5**27, 7**22, 999983 * 999979,
    4294967291 * 2147483647, 3037000493 * 3037000453, (2**31 - 1)**2,
    1000000007 * 998244353, 2**61 - 1, 2 * (2**61 - 1), 9999999967,
    600851475143, 3825123056546413051, 1125897758834689,
    2147483647 * 2147483629, 304250263527209, 1000003 * 1000003 * 1000003]
    ] + [{"n": 1}, {"n": 0}, {"n": -12}, {"n": 12.0}, {}]
EDGE["primes"] = [{"limit": n} for n in [
    -(2**63), -1, 0, 1, 2, 3, 4, 10, 30, 100, 7919, 7920, 7918, 10**4,
    65536, 65537, 10**6, 9999991, 10**7 - 1, 10**7]] + [
    {"limit": 10**7 + 1}, {"limit": 2**63 - 1}, {"limit": 100.0}, {}]


# ---- gcd_lcm, fibonacci, factorial, power_mod ---------------------------------

def gcd_lcm(d):
    _only(d, "numbers")
    nums = d.get("numbers")
    if type(nums) is not list or len(nums) > 1000:
        raise Invalid("numbers")
    for i, v in enumerate(nums):
        if type(v) is not int or not INT64[0] <= v <= INT64[1]:
            raise Invalid("numbers[%d]" % i)
    return {"gcd": _int_or_str(math.gcd(*nums)),
            "lcm": _int_or_str(math.lcm(*nums))}


def fibonacci(d):
    _only(d, "n")
    n = _int(d, "n", 0, 10000)
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return _decimal(a)


def factorial(d):
    _only(d, "n")
    return _decimal(math.factorial(_int(d, "n", 0, 5000)))


def power_mod(d):
    _only(d, "base", "exponent", "modulus")
    b = _int(d, "base")
    e = _int(d, "exponent", 0)
    m = _int(d, "modulus", 1)
    return pow(b, e, m)


REFS.update(gcd_lcm=gcd_lcm, fibonacci=fibonacci, factorial=factorial,
            power_mod=power_mod)


def _gen_int(r):
    return r.choice([r.randint(-100, 100), r.randint(-10**6, 10**6),
                     r.randint(INT64[0], INT64[1]), 0, INT64[0], INT64[1],
                     r.choice(_BIG_PRIMES), 2**32, 720720])


def _gen_gcd(r):
    k = r.random()
    if k < 0.8:
        nums = [_gen_int(r) for _ in range(r.randint(0, 8))]
    elif k < 0.9:
        f = r.randint(1, 10**6)
        nums = [f * r.randint(-1000, 1000) for _ in range(r.randint(1, 6))]
    else:
        nums = [r.choice([1, 2.5, "3", None, True])
                for _ in range(r.randint(1, 3))]
    return {"numbers": nums}


GEN["gcd_lcm"] = _gen_gcd
GEN["fibonacci"] = lambda r: {"n": r.choice(
    [r.randint(0, 100), r.randint(0, 10000), 10000, 10001, -1, 5.0])}
GEN["factorial"] = lambda r: {"n": r.choice(
    [r.randint(0, 30), r.randint(0, 5000), 5000, 5001, -1, 3.0])}
GEN["power_mod"] = lambda r: {
    "base": _gen_int(r),
    "exponent": r.choice([0, 1, 2, r.randint(0, 100), INT64[1],
                          r.randint(0, INT64[1]), -1]),
    "modulus": r.choice([1, 2, 3, 7, 1000000007, INT64[1],
                         r.randint(1, INT64[1]), r.choice(_BIG_PRIMES), 0])}

EDGE["gcd_lcm"] = [{"numbers": v} for v in [
    [], [0], [0, 0], [5], [-5], [12, 18], [12, -18], [-12, -18], [0, 7],
    [7, 0], [INT64[0]], [INT64[0], 0], [INT64[0], INT64[0]],
    [INT64[1], INT64[0]], [INT64[1], INT64[1] - 1], [2**62, 3],
    [2**31 - 1, 2**31 + 11, 4294967291], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    list(range(1, 101)), list(range(1, 1001)), [_BIG_PRIMES[i] for i in
                                                 range(10)],
    [6, 10, 15], [4294967291, 4294967279]]] + [
    {"numbers": list(range(1, 1002))}, {"numbers": [1, 2.0]},
    {"numbers": [1, "2"]}, {"numbers": [True]}, {"numbers": None}, {}]
EDGE["fibonacci"] = [{"n": n} for n in [0, 1, 2, 3, 10, 50, 90, 91, 92, 93,
                                        100, 1000, 9999, 10000]] + [
    {"n": 10001}, {"n": -1}, {"n": 2.0}, {"n": "5"}, {}]
EDGE["factorial"] = [{"n": n} for n in [0, 1, 2, 5, 20, 21, 25, 100, 1000,
                                        4999, 5000]] + [
    {"n": 5001}, {"n": -1}, {"n": 2.0}, {"n": None}, {}]
EDGE["power_mod"] = [{"base": b, "exponent": e, "modulus": m}
                     for b, e, m in [
    (2, 10, 1000), (-2, 3, 5), (-7, 1, 3), (5, 0, 1), (0, 0, 7), (0, 5, 7),
    (7, 0, 13), (INT64[0], INT64[1], INT64[1]), (INT64[1], INT64[1], INT64[1]),
    (INT64[1] - 1, INT64[1], INT64[1]), (INT64[0], 2, 1000000007),
    (3, INT64[1], 2**61 - 1), (-1, INT64[1], 10), (10, 18, INT64[1]),
    (2, 62, INT64[1]), (123456789, 987654321, 1), (4, 13, 497)]] + [
    {"base": 2, "exponent": -1, "modulus": 5},
    {"base": 2, "exponent": 1, "modulus": 0},
    {"base": 2, "exponent": 1, "modulus": -5},
    {"base": 2.0, "exponent": 1, "modulus": 5},
    {"base": 2, "exponent": 1}, {"base": 2, "exponent": 1, "modulus": 5,
                                 "x": 0}]


# ---- integrate ---------------------------------------------------------------

INTEGRATE_INT_BITS = 2048


def _number(d, name):
    v = d.get(name)
    if type(v) not in (int, float):
        raise Invalid(name)
    return v


def integrate(d):
    """Composite Simpson, summed in the order the description states."""
    from reference import _ev, calc_compile
    _only(d, "expression", "a", "b", "n")
    src = d.get("expression")
    if type(src) is not str or not 1 <= len(src) <= 10000 or "\0" in src:
        raise Invalid("expression")
    a, b = _number(d, "a"), _number(d, "b")
    n = _int(d, "n", 2, 1000000) if "n" in d else 1000
    if n % 2 or (n + 1) * len(src.encode()) > 500_000:
        raise Invalid("n")
    try:
        tree = calc_compile(src)

        def f(x):
            v = _ev(tree, {"x": x}, INTEGRATE_INT_BITS)
            if type(v) not in (int, float):
                raise TypeError(v)
            return float(v)

        h = (b - a) / n
        s = f(a) + f(b)
        for i in range(1, n):
            s += (4 if i % 2 else 2) * f(a + i * h)
        r = s * h / 3
    except Exception:
        raise Invalid("expression") from None
    if not math.isfinite(r):
        raise Invalid("expression")
    return r


REFS["integrate"] = integrate
TOL["integrate"] = 1e-9

_INT_EXPRS = ["x", "x^2", "x^3 - 2*x + 1", "sin(x)", "cos(x)^2", "exp(-x^2)",
              "1/x", "1/(1 + x^2)", "sqrt(x)", "ln(x)", "abs(x)", "floor(x)",
              "x % 1", "max(x, 0.5)", "round(x, 1)", "2^x", "x^x", "e^x",
              "tan(x)", "log(x)", "pi", "0", "7", "x / 0", "y", "sin(",
              "(x - 1)^-1", "ceil(x) % 3", "1e308 * x", "-x",
              "floor(x)^100 % 7", "floor(x + 3)^1300", "x*0"]


def _gen_integrate(r):
    d = {"expression": r.choice(_INT_EXPRS)}
    for k in ("a", "b"):
        d[k] = r.choice([0, 1, -1, 2, 10, 0.5, -2.5, r.uniform(-10, 10),
                         r.randint(-100, 100), 3.141592653589793, 1e-300,
                         1e300, -1e308])
    if r.random() < 0.8:
        d["n"] = r.choice([2, 4, 10, 100, 200, 3, 0, -2, 1000, 2.0])
    return d


GEN["integrate"] = _gen_integrate
EDGE["integrate"] = [
    {"expression": "x^2", "a": 0, "b": 3},
    {"expression": "\uff58^2 + \U0001d431", "a": 0, "b": 3, "n": 4},
    {"expression": "x^2", "a": 0, "b": 3, "n": 2},
    {"expression": "x^3", "a": 0, "b": 1, "n": 2},
    {"expression": "x^4", "a": 0, "b": 1, "n": 2},
    {"expression": "sin(x)", "a": 0, "b": 3.141592653589793},
    {"expression": "sin(x)", "a": 3.141592653589793, "b": 0},
    {"expression": "exp(-x^2)", "a": -5, "b": 5, "n": 10000},
    {"expression": "1/x", "a": 1, "b": 2.718281828459045},
    {"expression": "1/x", "a": 0, "b": 1},
    {"expression": "1/x", "a": -1, "b": 1},
    {"expression": "1/x", "a": -1, "b": 1, "n": 4},
    {"expression": "sqrt(x)", "a": 0, "b": 1},
    {"expression": "sqrt(x)", "a": -1, "b": 1},
    {"expression": "ln(x)", "a": 0, "b": 1},
    {"expression": "x", "a": 5, "b": 5},
    {"expression": "x", "a": 0, "b": 1, "n": 1000000},
    {"expression": "x", "a": 0, "b": 1, "n": 1000002},
    {"expression": "x", "a": 0, "b": 1, "n": 1},
    {"expression": "x", "a": 0, "b": 1, "n": 3},
    {"expression": "x", "a": 0, "b": 1, "n": 0},
    {"expression": "x", "a": 0, "b": 1, "n": -2},
    {"expression": "x", "a": 0, "b": 1, "n": 2.0},
    {"expression": "x" + " " * 3, "a": 0, "b": 1, "n": 1000000},
    {"expression": "x" + " " * 4, "a": 0, "b": 1, "n": 1000000},
    {"expression": "x" + " " * 4, "a": 0, "b": 1, "n": 999998},
    {"expression": "x", "a": 0, "b": 1, "n": 499998},
    {"expression": "x", "a": 0, "b": 1, "n": 500000},
    {"expression": "x" + " " * 4, "a": 0, "b": 1, "n": 99998},
    {"expression": "x" + " " * 4, "a": 0, "b": 1, "n": 100000},
    {"expression": "round(x, -300)", "a": 1e300, "b": 1.1e300, "n": 35712},
    {"expression": "floor(x)^2 % 7", "a": 1e150, "b": 1.1e150, "n": 35712},
    {"expression": "x", "a": -1e308, "b": 1e308},
    {"expression": "1", "a": -1e308, "b": 1e308},
    {"expression": "1e308", "a": 0, "b": 10},
    {"expression": "x", "a": 9223372036854775807, "b": -9223372036854775808},
    {"expression": "x % 7", "a": 9223372036854775807, "b": 9223372036854775807},
    {"expression": "floor(x)^300", "a": 0, "b": 3},
    {"expression": "floor(x + 2)^2048", "a": 0, "b": 1, "n": 2},
    {"expression": "2^2047 / 2^2046 * x", "a": 0, "b": 1},
    {"expression": "2^2048 / 2^2047 * x", "a": 0, "b": 1},
    {"expression": "y", "a": 0, "b": 1},
    {"expression": "", "a": 0, "b": 1},
    {"expression": "x^", "a": 0, "b": 1},
    {"expression": "max(x)", "a": 0, "b": 1},
    {"expression": "x\u00e9", "a": 0, "b": 1},
    {"expression": "sin(x) # comment", "a": 0, "b": 1},
    {"expression": "x", "a": "0", "b": 1},
    {"expression": "x", "a": 0, "b": None},
    {"expression": "x", "a": 0},
    {"expression": "x", "a": True, "b": 1},
    {"expression": 5, "a": 0, "b": 1},
    {"expression": "x", "a": 0, "b": 1, "m": 2},
]
