"""Python 3.11 references of the catalog functions that CATALOG.md gives one,
once, for every test that needs them: tests/gen_golden.py computes the golden
cases of functions/<category>/<name>.json with them, and the integration tests
(tests/integration/) compare the server with them.

REFS maps a function name to ref(input) -> the result, as the server's JSON
gives it (an int stays an int within int64, a float is a finite float). A
reference raises Invalid(field) where the function must answer 400
invalid_input with a message naming field, for example a result that is not a
finite number.

Where a function differs from plain Python on purpose (sort refuses booleans
and mixed kinds, unique uses JSON Schema's equality, urlsafe base64 decoding is
as strict as the standard one, ints past 64 bits become floats), the reference
says so explicitly.
"""
import ast
import base64
import collections
import email.utils
import hashlib
import math
import re
import statistics as st
import sys
import unicodedata
import uuid
import warnings
import zlib
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

assert sys.version_info[:2] == (3, 11), "the catalog references Python 3.11"

INT64 = (-(2**63), 2**63 - 1)


class Invalid(Exception):
    """The function answers 400 invalid_input naming field."""

    def __init__(self, field):
        super().__init__(field)
        self.field = field


def jnum(x, field):
    """A Python number as our JSON gives it: an int within int64 (else the
    nearest float, the documented fallback), or a finite float; anything
    else is a 400 naming field."""
    if isinstance(x, bool):
        raise TypeError(x)
    if isinstance(x, int):
        if INT64[0] <= x <= INT64[1]:
            return x
        try:
            x = float(x)
        except OverflowError:
            raise Invalid(field) from None
    if not math.isfinite(x):
        raise Invalid(field)
    return x


# ---- text -------------------------------------------------------------------

def word_count(d):
    t = d["text"]
    w = re.findall(r"\w+", t.lower())
    return {"words": len(w), "characters": len(t),
            "lines": len(t.splitlines()), "unique_words": len(set(w)),
            "top": [list(x) for x in collections.Counter(w).most_common(10)]}


def slugify(d):
    s = unicodedata.normalize("NFKD", d["text"])
    s = s.encode("ascii", "ignore").decode().lower()
    return d.get("separator", "-").join(re.findall("[a-z0-9]+", s))


# ---- web --------------------------------------------------------------------

HASH_ALGS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512",
             "sha3_256", "blake2b", "crc32")


def _fields(d, spec):
    """The input's schema: spec maps each allowed field to (type, required);
    a missing required field, an unknown one or one of another JSON type
    (booleans are not integers) raises Invalid naming it."""
    for k in d:
        if k not in spec:
            raise Invalid(k)
    for k, (t, required) in spec.items():
        if k not in d:
            if required:
                raise Invalid(k)
        elif isinstance(d[k], bool) is not (t is bool) or \
                not isinstance(d[k], t):
            raise Invalid(k)


def hash_(d):
    b = d["text"].encode()
    if d["algorithm"] == "crc32":
        return "%08x" % zlib.crc32(b)
    return hashlib.new(d["algorithm"], b).hexdigest()


def base64_(d):
    t, urlsafe = d["text"], d.get("urlsafe", False)
    if not d.get("decode", False):
        enc = base64.urlsafe_b64encode if urlsafe else base64.b64encode
        return enc(t.encode()).decode()
    try:
        if urlsafe:
            if "+" in t or "/" in t:
                raise ValueError("not the URL-safe alphabet")
            t = t.translate(str.maketrans("-_", "+/"))
        return base64.b64decode(t, validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError too
        raise Invalid("text") from None


NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL,
              "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}


def uuid5(d):
    """uuid for version 5 (4 and 7 are random: tested by their shape in
    test_catalog_http.py; here only their bad inputs). The namespace is a
    known name in any case, or what uuid.UUID() reads."""
    _fields(d, {"version": (int, False), "namespace": (str, False),
                "name": (str, False), "count": (int, False)})
    if d.get("version", 4) not in (4, 5, 7):
        raise Invalid("version")
    if d.get("version", 4) != 5:
        for k in ("name", "namespace"):
            if k in d:
                raise Invalid(k)
    elif "name" not in d:
        raise Invalid("name")
    if not 1 <= len(d.get("namespace", "dns")) <= 64:
        raise Invalid("namespace")
    if len(d.get("name", "")) > 10000:
        raise Invalid("name")
    if not 1 <= d.get("count", 1) <= 100:
        raise Invalid("count")
    if d.get("version", 4) != 5:
        raise ValueError("version %r is random: no reference" % d)
    ns = d.get("namespace", "dns")
    try:
        ns = NAMESPACES.get(ns.lower()) or uuid.UUID(ns)
    except ValueError:
        raise Invalid("namespace") from None
    return [str(uuid.uuid5(ns, d["name"]))] * d.get("count", 1)


# ---- data -------------------------------------------------------------------

def sort(d):
    """sorted(); a sort value that is not a number or a string (booleans,
    null, arrays, objects without key) or of the other kind than items[0]'s
    is a 400 naming the item (items[i]), as is an item without key."""
    items, key = d["items"], d.get("key")
    vals = []
    for i, x in enumerate(items):
        if key is not None and (not isinstance(x, dict) or key not in x):
            raise Invalid("items[%d]" % i)
        v = x[key] if key is not None else x
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise Invalid("items[%d]" % i + ("" if key is None else
                                             "." + key))
        if vals and isinstance(v, str) != isinstance(vals[0], str):
            raise Invalid("items[%d]" % i)  # mixed kinds
        vals.append(v)
    rev = d.get("order", "asc") == "desc"
    if key is None:
        return sorted(items, reverse=rev)
    return sorted(items, key=lambda x: x[key], reverse=rev)


def schema_key(v):
    """A hashable key that is equal for two JSON values exactly when JSON
    Schema 2020-12 calls them equal: numbers by value (Python's int/float
    == is exact), booleans only to booleans (unlike Python, where
    True == 1), arrays element-wise, objects member-wise in any order."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, list):
        return ("array", tuple(schema_key(x) for x in v))
    if isinstance(v, dict):
        return ("object", frozenset((k, schema_key(x)) for k, x in v.items()))
    return v


def unique(d):
    first = {}
    for x in d["items"]:
        first.setdefault(schema_key(x), x)  # the first occurrence stays
    return list(first.values())



def pluck(d):
    f = d["field"]
    return [x.get(f) for x in d["items"]]


def chunk(d):
    items, size = d["items"], d["size"]
    return [items[i:i + size] for i in range(0, len(items), size)]


def zip_(d):
    return [list(t) for t in zip(*d["arrays"])]


FLATTEN_DEPTH_MAX = 64  # functions/data/flatten.json, limits.depth_max


def flatten(d):
    """Array.prototype.flat(depth); -1 opens FLATTEN_DEPTH_MAX levels and
    refuses an element of items with arrays still nested below them."""
    depth, out = d.get("depth", -1), []

    def walk(v, left, top):
        if not isinstance(v, list) or left == 0:
            if depth == -1 and isinstance(v, list):
                raise Invalid("items[%d]" % top)
            out.append(v)
            return
        for x in v:
            walk(x, left - 1, top)

    for i, x in enumerate(d["items"]):
        walk(x, FLATTEN_DEPTH_MAX if depth == -1 else depth, i)
    return out


def transpose(d):
    m = d["matrix"]
    for i, row in enumerate(m):
        if len(row) != len(m[0]):
            raise Invalid("matrix[%d]" % i)
    return [list(t) for t in zip(*m)]


def paginate(d):
    items, page, per = d["items"], d.get("page", 1), d.get("per_page", 10)
    return {"items": items[(page - 1) * per:page * per], "page": page,
            "per_page": per, "total": len(items),
            "pages": -(-len(items) // per)}


def select_fields(d):
    """Duplicate names count once; a missing member is left out; U+0000 in
    a name, a rename of an unselected name, and two selected names renamed
    alike are 400s."""
    for j, f in enumerate(d["fields"]):
        if "\0" in f:
            raise Invalid("fields[%d]" % j)
    fields = list(dict.fromkeys(d["fields"]))
    ren = d.get("rename", {})
    for old, new in ren.items():
        if old not in fields or "\0" in new:
            raise Invalid("rename")
    names = [ren.get(f, f) for f in fields]
    if len(set(names)) != len(names):
        raise Invalid("rename")
    return [{n: x[f] for f, n in zip(fields, names) if f in x}
            for x in d["items"]]
# RFC 6901, 7396 and 6902, written from the RFCs. DEPTH_MAX mirrors the
# "depth_max" of functions/data/json_*.json (nesting counted in arrays and
# objects); json_patch's values_max and walk_max are only reached by inputs
# that the C tests build (tests/unit/test_fn_data.c).
JSON_DEPTH_MAX = 64
PATCH_OPS = ("add", "remove", "replace", "move", "copy", "test")


def json_depth(v):
    if isinstance(v, list):
        return 1 + max(map(json_depth, v), default=0)
    if isinstance(v, dict):
        return 1 + max(map(json_depth, v.values()), default=0)
    return 0


def pointer_tokens(s):
    """RFC 6901 section 3: "" or "/"-prefixed tokens, ~1 is "/" and ~0 is
    "~" (in that order); None when s is not a pointer."""
    if s == "":
        return []
    if not s.startswith("/") or re.search("~(?![01])", s):
        return None
    return [t.replace("~1", "/").replace("~0", "~") for t in s[1:].split("/")]


def array_index(tok):
    """Section 4: "0" or a digit 1-9 then digits (ASCII); None otherwise
    ("-" designates the element after the last: absent)."""
    if re.fullmatch("0|[1-9][0-9]*", tok):
        return int(tok)
    return None


_ABSENT = object()


def pointer_get(doc, toks):
    v = doc
    for t in toks:
        if isinstance(v, dict) and t in v:
            v = v[t]
        elif isinstance(v, list) and array_index(t) is not None \
                and array_index(t) < len(v):
            v = v[array_index(t)]
        else:
            return _ABSENT
    return v


def json_pointer(d):
    toks = pointer_tokens(d["pointer"])
    if toks is None:
        raise Invalid("pointer")
    v = pointer_get(d["document"], toks)
    if v is _ABSENT:
        raise Invalid("pointer")
    return v


def json_merge_patch(d):
    """RFC 7396 section 2, MergePatch(Target, Patch), on copies."""
    for f in ("target", "patch"):
        if json_depth(d[f]) > JSON_DEPTH_MAX:
            raise Invalid(f)

    def merge(target, patch):
        if not isinstance(patch, dict):
            return patch
        target = dict(target) if isinstance(target, dict) else {}
        for k, v in patch.items():
            if v is None:
                target.pop(k, None)
            else:
                target[k] = merge(target.get(k), v)
        return target

    return merge(d["target"], d["patch"])


def json_patch(d):
    """RFC 6902: the ops in order on a copy; the first that fails fails the
    patch (400 naming 'patch[i]'). Members that an op does not define are
    ignored (section 4). The whole document cannot be removed. test is JSON
    equality (section 4.6), JSON Schema's: schema_key. Before any op runs,
    the input schema checks every op's members (then the field is
    'patch[i].op', 'patch[i].path' or 'patch[i].from')."""
    import copy as _copy
    for i, op in enumerate(d["patch"]):
        if not isinstance(op, dict):
            raise Invalid("patch[%d]" % i)
        for k in ("op", "path"):
            if k not in op:
                raise Invalid("patch[%d].%s" % (i, k))
        for k, v in op.items():
            if k in ("op", "path", "from") and not isinstance(v, str) or \
                    k == "op" and v not in PATCH_OPS:
                raise Invalid("patch[%d].%s" % (i, k))
    if json_depth(d["document"]) > JSON_DEPTH_MAX:
        raise Invalid("document")
    box = [_copy.deepcopy(d["document"])]  # box[0] is the document

    def parent_of(toks, field):
        p = pointer_get(box[0], toks[:-1])
        if not isinstance(p, (dict, list)):
            raise Invalid(field)
        return p

    def add(toks, v, field):
        if json_depth(v) + len(toks) > JSON_DEPTH_MAX:
            raise Invalid(field)
        if not toks:
            box[0] = v
            return
        p, t = parent_of(toks, field), toks[-1]
        if isinstance(p, dict):
            if "\0" in t:
                raise Invalid(field)
            p[t] = v
            return
        i = len(p) if t == "-" else array_index(t)
        if i is None or i > len(p):
            raise Invalid(field)
        p.insert(i, v)

    def remove(toks, field):
        if not toks or pointer_get(box[0], toks) is _ABSENT:
            raise Invalid(field)
        p, t = parent_of(toks, field), toks[-1]
        return p.pop(t if isinstance(p, dict) else array_index(t))

    for i, op in enumerate(d["patch"]):
        field = "patch[%d]" % i
        path = pointer_tokens(op["path"])
        if path is None:
            raise Invalid(field)
        o = op["op"]
        if o in ("add", "replace", "test") and "value" not in op:
            raise Invalid(field)
        if o in ("move", "copy"):
            frm = pointer_tokens(op["from"]) if "from" in op else None
            if frm is None or pointer_get(box[0], frm) is _ABSENT:
                raise Invalid(field)
            if o == "move" and frm == path[:len(frm)] and frm != path:
                raise Invalid(field)  # into one of its own children
        if o == "add":
            add(path, _copy.deepcopy(op["value"]), field)
        elif o == "remove":
            remove(path, field)
        elif o == "replace":
            if pointer_get(box[0], path) is _ABSENT:
                raise Invalid(field)
            if path:
                p = parent_of(path, field)
                if isinstance(p, list):
                    if json_depth(op["value"]) + len(path) > JSON_DEPTH_MAX:
                        raise Invalid(field)
                    p[array_index(path[-1])] = _copy.deepcopy(op["value"])
                    continue
            add(path, _copy.deepcopy(op["value"]), field)
        elif o == "move":
            if frm != path:
                add(path, remove(frm, field), field)
        elif o == "copy":
            add(path, _copy.deepcopy(pointer_get(box[0], frm)), field)
        else:
            have = pointer_get(box[0], path)
            if have is _ABSENT or schema_key(have) != schema_key(op["value"]):
                raise Invalid(field)
    return box[0]


# ---- math -------------------------------------------------------------------

class Skip(Exception):
    """Kept for tests/gen_golden.py diff: calculate no longer skips any case
    (its ints are exact, as Python's)."""


CALC_MAX_BITS = 65536  # FN_NUM_MAX_BITS: the bound on every int


class TooBig(Exception):
    """An int past CALC_MAX_BITS bits: calculate's declared bound."""


def _chk(v, bits):
    if type(v) is int and v.bit_length() > bits:
        raise TooBig
    return v


def _pow(a, b, bits):
    if type(a) is int and type(b) is int and b > 0 and abs(a) > 1 and (
            b >= bits or (a.bit_length() - 1) * b >= bits):
        raise TooBig  # refused before computing: more than the bound
    return a ** b


def _round(x, *nd):
    """builtin round, except that round(int, -k) where 10^k > 2|x| is 0 at
    once (Python builds 10^k first, which may never finish)."""
    if (len(nd) == 1 and type(x) is int and type(nd[0]) is int
            and -nd[0] > x.bit_length() * 0.30103 + 2):
        return 0
    return round(x, *nd)


CALC_NAMES = {
    "sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "log": math.log10, "ln": math.log, "exp": math.exp, "abs": abs,
    "floor": math.floor, "ceil": math.ceil, "round": _round, "min": min,
    "max": max, "pi": math.pi, "e": math.e,
}

BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
          ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
          ast.Mod: lambda a, b: a % b}


def _ev(n, env=None, bits=CALC_MAX_BITS):
    """Python's own evaluation of the parsed expression, node by node, so
    that every int on the way is checked against the bound (bits). env:
    the variables (integrate's x)."""
    def ev(m):
        return _ev(m, env, bits)
    if isinstance(n, ast.Expression):
        return ev(n.body)
    if isinstance(n, ast.Constant) and type(n.value) in (int, float):
        return _chk(n.value, bits)
    if isinstance(n, ast.Name) and env and n.id in env:
        return env[n.id]
    if isinstance(n, ast.Name) and n.id in CALC_NAMES:
        return CALC_NAMES[n.id]
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, (ast.USub, ast.UAdd)):
        v = ev(n.operand)
        return _chk(-v if isinstance(n.op, ast.USub) else +v, bits)
    if isinstance(n, ast.BinOp) and type(n.op) is ast.Pow:
        return _chk(_pow(ev(n.left), ev(n.right), bits), bits)
    if isinstance(n, ast.BinOp) and type(n.op) in BINOPS:
        return _chk(BINOPS[type(n.op)](ev(n.left), ev(n.right)), bits)
    if isinstance(n, ast.Call) and not n.keywords:
        f = ev(n.func)
        args = [ev(a) for a in n.args]
        return _chk(f(*args), bits)
    raise ValueError("unsupported")


def calc_compile(src):
    """The parsed expression src (^ read as **), as eval() reads it; raises
    what Python raises on a syntax error."""
    src = src.replace("^", "**").lstrip(" \t")  # as eval()
    with warnings.catch_warnings():  # "2(3)": a SyntaxWarning first
        warnings.simplefilter("ignore")
        compile(src, "<x>", "eval")  # a SyntaxError as Python gives it
        return ast.parse(src, mode="eval")


def calculate(d, strict=False):
    """eval() with ** for ^ and the names of CATALOG.md; what Python raises
    on, an int past CALC_MAX_BITS bits on the way, and a result that is not
    a finite number are a 400 naming 'expression'. The result is an int
    within int64, else the nearest float (jnum). strict: unused."""
    try:
        v = _ev(calc_compile(d["expression"]))
    except Exception:
        raise Invalid("expression") from None
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise Invalid("expression")
    return jnum(v, "expression")


def statistics(d):
    """Python's statistics module. A member is null where Python raises
    StatisticsError (too few values); OverflowError or a result that is not
    finite is a 400 naming the first such member, in the result's order.
    values must be 1 to 100000 numbers (not booleans), else a 400 naming
    it, as the schema says."""
    v = d.get("values")
    if (set(d) != {"values"} or type(v) is not list
            or not 1 <= len(v) <= 100000):
        raise Invalid(next((k for k in d if k != "values"), "values"))
    for i, x in enumerate(v):
        if type(x) not in (int, float):
            raise Invalid("values[%d]" % i)

    def f(name, fn):
        try:
            x = fn()
        except st.StatisticsError:
            return None
        except OverflowError:
            raise Invalid(name) from None
        return jnum(x, name)

    def total():
        T, t, _ = st._sum(v)
        return st._convert(t, T)

    def quartile(i):
        return st.quantiles(v, n=4, method="exclusive")[i]

    return {
        "count": len(v), "sum": f("sum", total),
        "mean": f("mean", lambda: st.mean(v)),
        "median": f("median", lambda: st.median(v)),
        "mode": f("mode", lambda: st.mode(v)),
        "min": f("min", lambda: min(v)), "max": f("max", lambda: max(v)),
        "range": f("range", lambda: max(v) - min(v)),
        "variance": f("variance", lambda: st.variance(v)),
        "stdev": f("stdev", lambda: st.stdev(v)),
        "pvariance": f("pvariance", lambda: st.pvariance(v)),
        "pstdev": f("pstdev", lambda: st.pstdev(v)),
        "q1": f("q1", lambda: quartile(0)), "q3": f("q3", lambda: quartile(2)),
    }


# ---- util -------------------------------------------------------------------

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def timestamp(d):
    # the server's order: the schema's checks of value, then of tz, then
    # unknown fields, then the zone, then the value's meaning
    v = d.get("value")  # absent means now: not modelled (GEN never omits it)
    # a number or a string of at most 64 characters; JSON true is not 1
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise Invalid("value")
    if isinstance(v, str) and len(v) > 64:
        raise Invalid("value")
    tz = d.get("tz", "UTC")
    if not isinstance(tz, str) or not 1 <= len(tz) <= 128:
        raise Invalid("tz")
    for k in d:
        if k not in ("value", "tz"):
            raise Invalid(k)  # additionalProperties: false
    try:
        tz = ZoneInfo(tz)
    except Exception:
        raise Invalid("tz") from None
    try:
        if isinstance(v, str):
            dt = datetime.fromisoformat(v)
            dt = (dt.replace(tzinfo=tz) if dt.tzinfo is None
                  else dt.astimezone(tz))
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
        raise Invalid("value") from None


def echo(d):
    def nul_key(v):
        if isinstance(v, dict):
            return any("\0" in k or nul_key(x) for k, x in v.items())
        return isinstance(v, list) and any(nul_key(x) for x in v)
    # maxProperties; and the server's JSON objects cannot hold a key with NUL
    if len(d) > 1000 or nul_key(d):
        raise Invalid("input")
    return d


# ---- the input schema of the functions above ---------------------------------
# The server checks functions/<category>/<name>.json's input_schema before the
# function runs; the first failing member is the field a 400 names
# (items[3], rename.a, patch[0].op). This mirrors the JSON Schema keywords
# those schemas use, from the schema text itself (not from the C).

def _schema_ok(v, s, path, limits):
    def lim(x):
        return limits[x[len("$limits."):]] if isinstance(x, str) else x
    t = s.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        kinds = {"object": isinstance(v, dict), "array": isinstance(v, list),
                 "string": isinstance(v, str),
                 "boolean": isinstance(v, bool),
                 "integer": isinstance(v, int) and not isinstance(v, bool),
                 "number": isinstance(v, (int, float))
                 and not isinstance(v, bool)}
        if not any(kinds[k] for k in ts):
            raise Invalid(path)
    if "enum" in s and v not in s["enum"]:
        raise Invalid(path)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if "minimum" in s and v < lim(s["minimum"]):
            raise Invalid(path)
        if "maximum" in s and v > lim(s["maximum"]):
            raise Invalid(path)
    if isinstance(v, str):
        if len(v) < s.get("minLength", 0) or \
                "maxLength" in s and len(v) > lim(s["maxLength"]):
            raise Invalid(path)
    if isinstance(v, list):
        if "maxItems" in s and len(v) > lim(s["maxItems"]):
            raise Invalid(path)
        for i, x in enumerate(v):
            if "items" in s:
                _schema_ok(x, s["items"], "%s[%d]" % (path, i), limits)
    if isinstance(v, dict):
        if "maxProperties" in s and len(v) > lim(s["maxProperties"]):
            raise Invalid(path)
        for k in s.get("required", ()):
            if k not in v:
                raise Invalid(path + "." + k if path else k)
        props = s.get("properties", {})
        for k, x in v.items():
            sub = path + "." + k if path else k
            if k in props:
                _schema_ok(x, props[k], sub, limits)
            elif s.get("additionalProperties") is False:
                raise Invalid(sub)
            elif isinstance(s.get("additionalProperties"), dict):
                _schema_ok(x, s["additionalProperties"], sub, limits)


def _with_schema(name, ref):
    import json
    import os
    import glob
    meta, = glob.glob(os.path.join(os.path.dirname(os.path.abspath(
        __file__)), "..", "functions", "*", name + ".json"))
    with open(meta, encoding="utf-8") as f:
        m = json.load(f)

    def checked(d):
        _schema_ok(d, m["input_schema"], "", m.get("limits", {}))
        return ref(d)
    checked.__doc__ = ref.__doc__
    return checked


for _n, _f in (("word_count", word_count), ("slugify", slugify),
               ("hash", hash_), ("base64", base64_), ("sort", sort), ("unique", unique), ("pluck", pluck),
               ("chunk", chunk), ("zip", zip_), ("flatten", flatten),
               ("transpose", transpose), ("paginate", paginate),
               ("select_fields", select_fields),
               ("json_pointer", json_pointer),
               ("json_merge_patch", json_merge_patch),
               ("json_patch", json_patch)):
    globals()["_checked_" + _n] = _with_schema(_n, _f)


REFS = {
    "uuid": uuid5,
    **{n: globals()["_checked_" + n] for n in (
        "word_count", "slugify", "hash", "base64", "sort", "unique", "pluck", "chunk", "zip", "flatten", "transpose",
        "paginate", "select_fields", "json_pointer", "json_merge_patch",
        "json_patch")},
    "calculate": calculate, "statistics": statistics,
    "timestamp": timestamp, "echo": echo,
}


# ---- the other references: one module per group under tests/refs/ ---------
#
# Each tests/refs/<group>.py defines
#   REFS  {name: ref(input)}        as above;
#   GEN   {name: gen(r) -> input}   a random valid-or-invalid input from the
#                                   random.Random r (test_catalog_reference.py
#                                   draws 200 per function from a fixed seed);
#   EDGE  {name: [input, ...]}      hand-picked edge cases (empty, unicode,
#                                   extreme numbers, the limits);
#   TOL   {name: rel}               optional: floats agree to rel (relative);
#                                   exact (same()) when absent.
# A name may be defined once across all modules.
GEN, EDGE, TOL = {}, {}, {}


def _load_groups():
    import importlib
    import os
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "refs")
    for f in sorted(os.listdir(here)):
        if not f.endswith(".py") or f.startswith("_"):
            continue
        m = importlib.import_module("refs." + f[:-3])
        for table, part in ((REFS, "REFS"), (GEN, "GEN"), (EDGE, "EDGE"),
                            (TOL, "TOL")):
            for k, v in getattr(m, part, {}).items():
                assert k not in table, f"{part}[{k!r}] defined twice ({f})"
                table[k] = v


_load_groups()


def expected(fn, inp):
    """The golden case of fn(inp): {"output": ...} or {"error": field}."""
    try:
        return {"output": REFS[fn](inp)}
    except Invalid as e:
        return {"error": e.field}


def close(a, b, rel):
    """same(), except that two floats (or an int and a float) agree to rel
    relative (absolute near zero: |a - b| <= rel * max(1, |a|, |b|))."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        return abs(a - b) <= rel * max(1.0, abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(close(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], rel) for k in a)
    return type(a) is type(b) and a == b


def same(a, b):
    """Deep equality that also requires the same JSON types (1 is not 1.0,
    True is not 1)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b
