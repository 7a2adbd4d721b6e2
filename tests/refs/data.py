"""References of the data group's record and format functions: filter,
group_by, aggregate, json_flatten, json_unflatten (plain Python of the rules
their descriptions state), csv_to_json and json_to_csv (Python 3.11's csv
module) and histogram (numpy.histogram).

The limits mirror functions/data/<name>.json. A reference first refuses
what the input schema refuses, naming the field as the schema check does.
"""
import csv
import io
import json
import math
import warnings
from fractions import Fraction

import numpy as np

from reference import Invalid, jnum, json_depth, schema_key

DEPTH_MAX = 64  # filter, json_flatten, json_to_csv: depth_max
PARTS_MAX = 64  # json_unflatten: parts_max
CELLS_MAX = 200000  # csv_to_json: cells_max
OUTPUT_MAX = 16777216  # json_to_csv: output_max
BINS_MAX = 10000  # histogram: bins_max
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "contains", "in")
AGG_OPS = ("sum", "avg", "min", "max", "count")


def _isnum(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


ITEMS_MAX = 100000  # items_max, rows_max, values_max
NAME_MAX = 1024  # name_max
COLUMNS_MAX = 10000  # json_to_csv: columns_max


def _objects(d, name="items"):
    if not isinstance(d.get(name), list) or len(d[name]) > ITEMS_MAX:
        raise Invalid(name)
    for i, x in enumerate(d[name]):
        if not isinstance(x, dict):
            raise Invalid("%s[%d]" % (name, i))
    return d[name]


def _string(d, name, required=True):
    if name not in d:
        if required:
            raise Invalid(name)
        return None
    if not isinstance(d[name], str) or len(d[name]) > NAME_MAX:
        raise Invalid(name)
    return d[name]


def _known(d, names):
    for k in d:
        if k not in names:
            raise Invalid(k)


# ---- filter -----------------------------------------------------------------

def filter_(d):
    """JSON Schema equality for eq/ne/in/contains-in-arrays; gt/gte/lt/lte
    only number with number or string with string; a missing member passes
    ne only."""
    _known(d, ("items", "field", "op", "value"))
    items = _objects(d)
    f = _string(d, "field")
    op = _string(d, "op")
    if op not in OPS:
        raise Invalid("op")
    if "value" not in d:
        raise Invalid("value")
    value = d["value"]
    if op == "in":
        if not isinstance(value, list) or json_depth(value) > DEPTH_MAX:
            raise Invalid("value")
        want = {schema_key(x) for x in value}
    else:
        if json_depth(value) > DEPTH_MAX:
            raise Invalid("value")
        want = schema_key(value)
    out = []
    for i, it in enumerate(items):
        if f not in it:
            if op == "ne":
                out.append(it)
            continue
        v = it[f]
        if op in ("eq", "ne", "in"):
            if json_depth(v) > DEPTH_MAX:
                raise Invalid("items[%d]" % i)
            k = schema_key(v)
            ok = k == want if op == "eq" else \
                k != want if op == "ne" else k in want
        elif op == "contains":
            ok = False
            if isinstance(v, str) and isinstance(value, str):
                ok = value in v
            elif isinstance(v, list):
                for x in v:
                    if json_depth(x) > DEPTH_MAX - 1:
                        raise Invalid("items[%d]" % i)
                    if schema_key(x) == want:
                        ok = True
                        break
        elif (_isnum(v) and _isnum(value)) or \
                (isinstance(v, str) and isinstance(value, str)):
            ok = {"gt": v > value, "gte": v >= value, "lt": v < value,
                  "lte": v <= value}[op]
        else:
            ok = False
        if ok:
            out.append(it)
    return out


# ---- group_by, aggregate ----------------------------------------------------

def group_key(v, i):
    """The text a member groups under: a string itself, else its JSON text
    (json.dumps: null, true, false, 1, 1.0, 1e+16); missing is null."""
    if isinstance(v, str):
        return v
    if isinstance(v, (list, dict)):
        raise Invalid("items[%d]" % i)
    return json.dumps(v)


def _groups(items, field):
    out = {}
    for i, it in enumerate(items):
        out.setdefault(group_key(it.get(field), i), []).append(it)
    return out


def group_by(d):
    _known(d, ("items", "field"))
    items = _objects(d)
    return _groups(items, _string(d, "field"))


def _aggregate(items, field, op):
    present = [it[field] for it in items
               if field in it and it[field] is not None]
    nums = [v for v in present if _isnum(v)]
    if op == "count":
        return len(present)
    if op in ("min", "max"):
        return (min if op == "min" else max)(nums) if nums else None
    if op == "sum":
        if all(isinstance(v, int) for v in nums):
            return jnum(sum(nums), "items")
        try:
            return float(sum(map(Fraction, nums)))
        except OverflowError:
            raise Invalid("items") from None
    if not nums:
        return None
    return float(sum(map(Fraction, nums)) / len(nums))


def aggregate(d):
    """count: members present and not null; sum/avg/min/max: the numbers
    only; sum exact (an int for ints), avg the exact mean as a float, null
    for no numbers; min/max the first extreme as given."""
    _known(d, ("items", "field", "op", "group_by"))
    items = _objects(d)
    field = _string(d, "field")
    op = _string(d, "op")
    if op not in AGG_OPS:
        raise Invalid("op")
    g = _string(d, "group_by", required=False)
    if g is None:
        return _aggregate(items, field, op)
    return {k: _aggregate(v, field, op)
            for k, v in _groups(items, g).items()}


# ---- json_flatten, json_unflatten -------------------------------------------

def _data_sep(d):
    """The data and sep of json_flatten and json_unflatten."""
    _known(d, ("data", "sep"))
    if not isinstance(d.get("data"), dict):
        raise Invalid("data")
    sep = d.get("sep", ".")
    if not isinstance(sep, str) or not 1 <= len(sep) <= 64:
        raise Invalid("sep")
    return d["data"], sep


def json_flatten(d):
    data, sep = _data_sep(d)
    if json_depth(data) > DEPTH_MAX:
        raise Invalid("data")
    out = {}

    def walk(v, path):
        if isinstance(v, dict) and v:
            for k, x in v.items():
                walk(x, k if path is None else path + sep + k)
        elif isinstance(v, list) and v:
            for i, x in enumerate(v):
                walk(x, str(i) if path is None else path + sep + str(i))
        else:
            if path in out:
                raise Invalid("data")
            out[path] = v

    for k, x in data.items():
        walk(x, k)
    return out


def json_unflatten(d):
    data, sep = _data_sep(d)
    out, made = {}, set()
    for key, v in data.items():
        segs = key.split(sep)
        if len(segs) > PARTS_MAX:
            raise Invalid("data")
        node = out
        for s in segs[:-1]:
            if s not in node:
                node[s] = {}
                made.add(id(node[s]))
            elif not (isinstance(node[s], dict) and id(node[s]) in made):
                raise Invalid("data")
            node = node[s]
        if segs[-1] in node:
            raise Invalid("data")
        node[segs[-1]] = v
    return out


# ---- csv_to_json, json_to_csv -----------------------------------------------

def csv_to_json(d):
    """csv.DictReader / csv.reader over io.StringIO(text, newline="");
    DictReader's restkey None becomes "null", as json.dumps writes it."""
    _known(d, ("csv", "delimiter", "header"))
    text = d.get("csv")
    if not isinstance(text, str) or len(text) > 1048576:
        raise Invalid("csv")
    delim = d.get("delimiter", ",")
    if not isinstance(delim, str) or len(delim) != 1:
        raise Invalid("delimiter")
    header = d.get("header", True)
    if not isinstance(header, bool):
        raise Invalid("header")
    try:
        records = list(csv.reader(io.StringIO(text, newline=""),
                                  delimiter=delim))
        rows = list(csv.DictReader(io.StringIO(text, newline=""),
                                   delimiter=delim)) if header else None
    except csv.Error:
        raise Invalid("csv") from None
    # the declared bound: records and their strings, then the rows with
    # the values DictReader fills in
    if sum(len(r) + 1 for r in records) > CELLS_MAX:
        raise Invalid("csv")
    if not header:
        return records
    names = len(records[0]) if records else 0
    if sum(max(names, len(r)) + 1 for r in records[1:] if r) > CELLS_MAX:
        raise Invalid("csv")
    return json.loads(json.dumps(rows))


def json_to_csv(d):
    """csv.DictWriter(lineterminator="\\r\\n"), QUOTE_MINIMAL, header
    first; columns default to the keys in order of first appearance."""
    _known(d, ("rows", "columns"))
    rows = _objects(d, "rows")
    cols = d.get("columns")
    if cols is None:
        cols = list(dict.fromkeys(k for r in rows for k in r))
    else:
        if not isinstance(cols, list) or len(cols) > COLUMNS_MAX:
            raise Invalid("columns")
        for j, c in enumerate(cols):
            if not isinstance(c, str) or len(c) > NAME_MAX:
                raise Invalid("columns[%d]" % j)
        for i, r in enumerate(rows):
            if r.keys() - set(cols):
                raise Invalid("rows[%d]" % i)
    for i, r in enumerate(rows):
        if any(json_depth(v) > DEPTH_MAX for v in r.values()):
            raise Invalid("rows[%d]" % i)
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    text = buf.getvalue()
    if len(text.encode("utf-8")) > OUTPUT_MAX:
        raise Invalid("rows")
    return text


# ---- histogram ----------------------------------------------------------------

def histogram(d):
    """numpy.histogram; where numpy raises (a range doubles cannot split)
    the field is values, and edges that are not finite are a 400 too."""
    _known(d, ("values", "bins"))
    vals = d.get("values")
    if not isinstance(vals, list) or len(vals) > ITEMS_MAX:
        raise Invalid("values")
    for i, v in enumerate(vals):
        if not _isnum(v):
            raise Invalid("values[%d]" % i)
    bins = d.get("bins", 10)
    if isinstance(bins, bool) or not isinstance(bins, int) or \
            not 1 <= bins <= BINS_MAX:
        raise Invalid("bins")
    a = np.asarray(vals) if vals else np.asarray([], dtype=np.float64)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            counts, edges = np.histogram(a, bins=bins)
        except (IndexError, ValueError):
            raise Invalid("values") from None
    edges = [float(x) for x in edges]
    if not all(math.isfinite(x) for x in edges):
        raise Invalid("edges")
    return {"edges": edges, "counts": [int(c) for c in counts]}


REFS = {
    "filter": filter_, "group_by": group_by, "aggregate": aggregate,
    "json_flatten": json_flatten, "json_unflatten": json_unflatten,
    "csv_to_json": csv_to_json, "json_to_csv": json_to_csv,
    "histogram": histogram,
}

# ---- generators -------------------------------------------------------------

SCALARS = [0, 1, -1, 1.0, 2.5, -2.5, -0.0, 0.1, 2**53, 2**53 + 1,
           9007199254740992.0, 1e16, 1e308, -1e308, 5e-324, 2**63 - 1,
           -2**63, "", "a", "b", "A", "ab", "é", "e\u0301", "😀", "ß", "SS",
           "İ", "1", "1.0", "null", "true", True, False, None]
NESTED = [[], [1], [1.0], ["a"], ["a", "b"], [1, [2]], {}, {"a": 1},
          {"a": 1.0}, {"b": [True, None]}]
KEYS = ["k", "n", "é", "", "a.b", "😀"]


def _value(r, nested=0.2):
    if r.random() < nested:
        return r.choice(NESTED)
    return r.choice(SCALARS)


def _items(r, field, n=None, nested=0.2):
    out = []
    for _ in range(r.randint(0, 8) if n is None else n):
        it = {}
        for k in r.sample(KEYS, r.randint(0, 3)):
            it[k] = _value(r, nested)
        if r.random() < 0.8:
            it[field] = _value(r, nested)
        out.append(it)
    return out


def gen_filter(r):
    field = r.choice(KEYS)
    op = r.choice(OPS) if r.random() < 0.97 else "like"
    if op == "in":
        value = [_value(r) for _ in range(r.randint(0, 4))] \
            if r.random() < 0.9 else _value(r, 0)
    elif op == "contains" and r.random() < 0.5:
        value = r.choice(["", "a", "é", "😀", "b"])
    else:
        value = _value(r)
    d = {"items": _items(r, field), "field": field, "op": op,
         "value": value}
    if op in ("contains",) and r.random() < 0.3:
        for it in d["items"]:
            it[field] = r.choice(["abc", "éa", "xyz😀", "", ["a", 1, [1]]])
    if op != "like" and r.random() < 0.03:
        d["items"].append(1)
    return d


def gen_group_by(r):
    field = r.choice(KEYS)
    return {"items": _items(r, field, nested=0.05), "field": field}


def gen_aggregate(r):
    field = r.choice(KEYS)
    d = {"items": _items(r, field, nested=0.05), "field": field,
         "op": r.choice(AGG_OPS)}
    if r.random() < 0.3:
        for it in d["items"]:
            it[field] = r.choice([r.randint(-10**6, 10**6),
                                  r.uniform(-1e3, 1e3), 2**63 - 1,
                                  1e308, 0.1, None])
    if r.random() < 0.5:
        d["group_by"] = r.choice(KEYS)
    if r.random() < 0.03:
        d["op"] = "median"
    return d


def _tree(r, depth):
    if depth <= 0 or r.random() < 0.35:
        return _value(r, 0.1)
    if r.random() < 0.5:
        return [_tree(r, depth - 1) for _ in range(r.randint(0, 3))]
    return {r.choice(["a", "b", "0", "a.b", "", "é", "x/y", "__"]):
            _tree(r, depth - 1) for _ in range(r.randint(0, 3))}


def gen_json_flatten(r):
    d = {"data": {r.choice(["a", "b", "1", "a.b", "é", "", "a/b"]):
                  _tree(r, 4) for _ in range(r.randint(0, 4))}}
    if r.random() < 0.5:
        d["sep"] = r.choice([".", "/", "__", "é", "😀"])
    if r.random() < 0.02:
        d["sep"] = ""
    return d


def gen_json_unflatten(r):
    sep = r.choice([".", "/", "__", "é"])
    segs = ["a", "b", "0", "1", "", "é", "x" + sep + "y"]
    data = {}
    for _ in range(r.randint(0, 6)):
        key = sep.join(r.choice(segs) for _ in range(r.randint(1, 4)))
        data[key] = _value(r, 0.2)
    d = {"data": data}
    if sep != "." or r.random() < 0.5:
        d["sep"] = sep
    return d


CSV_BITS = ["a", "bc", "é", "😀", ",", ",", '"', '"', '""', "\n", "\r",
            "\r\n", " ", ";", "\t", "\0", "x\ny", "1"]


def gen_csv_to_json(r):
    text = "".join(r.choice(CSV_BITS) for _ in range(r.randint(0, 30)))
    d = {"csv": text}
    if r.random() < 0.4:
        d["delimiter"] = r.choice([",", ";", "\t", " ", "é", "😀", '"',
                                   "\n", "\r", "a"])
    if r.random() < 0.5:
        d["header"] = r.random() < 0.5
    if r.random() < 0.02:
        d["delimiter"] = ",;"
    return d


def gen_json_to_csv(r):
    keys = ["a", "b", "é", "", "x,y", 'q"', "line\nbreak", "😀"]
    rows = []
    for _ in range(r.randint(0, 5)):
        row = {}
        for k in r.sample(keys, r.randint(0, 4)):
            row[k] = r.choice(SCALARS + NESTED + [
                "a,b", 'say "hi"', "two\nlines", "cr\r", " x ", "\0",
                "it's", "\u2028\x85\x7f\u00ad", "\U000e0001", "\t"])
        rows.append(row)
    d = {"rows": rows}
    if r.random() < 0.3:
        d["columns"] = r.sample(keys, r.randint(4, 8))
    return d


def gen_histogram(r):
    kind = r.random()
    n = r.randint(0, 30)
    if kind < 0.4:
        vals = [r.randint(-50, 50) for _ in range(n)]
    elif kind < 0.8:
        vals = [r.uniform(-1e3, 1e3) for _ in range(n)]
    elif kind < 0.9:
        vals = [r.choice([0.1, 0.2, 0.3, 1, 7, 1e-300, 3])
                for _ in range(n)]
    else:
        vals = [r.choice([5, 5.0, 2**62, 1e16, -1e308, 1e308])
                for _ in range(r.randint(1, 3))]
    d = {"values": vals}
    if r.random() < 0.8:
        d["bins"] = r.choice([1, 2, 3, 5, 7, 10, 13, 100])
    if r.random() < 0.03:
        d["bins"] = 0
    return d


# ---- generators of the data functions whose REFS are in tests/reference.py -
# Valid inputs mostly (tests/gen_golden.py's rand_case where it has one),
# and one broken member now and then: a wrong type, a value out of range,
# a member the schema does not know, a required one left out.

BAD_VALUES = [None, True, False, 0, -1, 1.5, 2.0, "", "x", [], [1], {},
              {"a": 1}, 2**63 - 1]


def _break(r, d, members):
    """d with one member of members replaced by a wrong value, or removed,
    or an unknown member added (one of these, 15% of the time)."""
    k = r.random()
    if k > 0.15:
        return d
    d = dict(d)
    if k < 0.1:
        d[r.choice(members)] = r.choice(BAD_VALUES)
    elif k < 0.125:
        d.pop(r.choice(members), None)
    else:
        d[r.choice(["extra", "Items", "order "])] = 1
    return d


def _rand_case(r, fn):
    from gen_golden import rand_case  # gen_golden imports reference
    return rand_case(r, fn)


SORT_NUMS = [0, -0.0, 0.0, 1, 1.0, -1, 0.5, 2.5, 2**53, 2**53 + 1,
             9007199254740992.0, 9007199254740994.0, 2**63 - 1, -2**63,
             9.223372036854776e18, -9.223372036854776e18, 1e308, -1e308,
             5e-324, -5e-324, 0.1, 0.30000000000000004, 0.3]
SORT_STRS = ["", "a", "A", "b", "ab", "a\0", "é", "e\u0301", "ß", "SS",
             "İ", "i̇", "ﬁ", "Σ", "σ", "ς", "\ud7ff", "\ue000", "\uffff",
             "\U00010000", "😀", "\U0010ffff", " ", "\u00a0", "\u2028",
             "\x85", "\x1c", "中文"]


def gen_sort(r):
    n = r.randint(0, 10)
    k = r.random()
    if k < 0.4:
        d = {"items": [r.choice(SORT_NUMS) if r.random() < 0.6
                       else r.randint(-3, 3) for _ in range(n)]}
    elif k < 0.75:
        d = {"items": ["".join(r.choice(SORT_STRS)
                               for _ in range(r.randint(0, 3)))
                       for _ in range(n)]}
    elif k < 0.93:  # objects by key: equal keys show stability
        key = r.choice(["k", "é", "", "a.b"])
        pool = SORT_NUMS if r.random() < 0.5 else SORT_STRS
        d = {"items": [{key: r.choice(pool[:6]), "i": i} for i in range(n)],
             "key": key}
        if d["items"] and r.random() < 0.1:
            del r.choice(d["items"])[key]
    else:  # booleans, null, nested, mixed kinds, objects without key
        d = {"items": [r.choice(SORT_NUMS[:3] + SORT_STRS[:3] +
                                [True, None, [1], {"k": 1}])
                       for _ in range(n)]}
    if r.random() < 0.6:
        d["order"] = r.choice(["asc", "desc", "desc"])
    return _break(r, d, ["items", "order", "key"])


UNIQUE_VALUES = [0, -0.0, 0.0, 1, 1.0, True, False, None, "", "1", "a",
                 "é", "e\u0301", 2**53, 2**53 + 1, 9007199254740992.0,
                 [], [1], [1.0], [True], [[]], {}, {"a": 1}, {"a": 1.0},
                 {"a": True}, {"b": 1, "a": [1]}, {"a": [1.0], "b": 1.0}]


def gen_unique(r):
    d = {"items": [r.choice(UNIQUE_VALUES) for _ in range(r.randint(0, 10))]}
    return _break(r, d, ["items"])


def _gen_rand(fn, members):
    def gen(r):
        return _break(r, _rand_case(r, fn), members)
    gen.__name__ = "gen_" + fn
    return gen


POINTER_KEYS = ["a", "b", "0", "1", "01", "-", "", "a/b", "m~n", "~",
                "~1", "é", "😀", " 1", "1 "]


def _doc(r, depth=3):
    k = r.random()
    if depth and k < 0.3:
        return [_doc(r, depth - 1) for _ in range(r.randint(0, 3))]
    if depth and k < 0.6:
        return {r.choice(POINTER_KEYS): _doc(r, depth - 1)
                for _ in range(r.randint(0, 3))}
    return r.choice([0, 1, 1.0, -0.0, True, False, None, "", "x",
                     2**63 - 1])


def _pointer(r, doc):
    """A pointer that mostly designates something in doc, else one that
    runs into nothing or is not a pointer at all."""
    toks, v = [], doc
    for _ in range(r.randint(0, 4)):
        if isinstance(v, dict) and v and r.random() < 0.8:
            t = r.choice(list(v))
            v = v[t]
            toks.append(t.replace("~", "~0").replace("/", "~1"))
        elif isinstance(v, list) and v and r.random() < 0.8:
            i = r.randrange(len(v))
            v = v[i]
            toks.append(str(i))
        elif r.random() < 0.6:
            break
        else:
            toks.append(r.choice(["x", "0", "1", "-", "01", "00", "+1",
                                  "-1", "1e0", "0 ", "~", "~2", "~01",
                                  "", "10", "a/b", "m~n"]))
            break
    if r.random() < 0.03:
        return r.choice(["a", "#", "#/a", "/a~", "~"])
    return "".join("/" + t for t in toks)


def gen_json_pointer(r):
    doc = _doc(r)
    return _break(r, {"document": doc, "pointer": _pointer(r, doc)},
                  ["pointer"])


def _merge_patch(r, depth=3):
    if depth and r.random() < 0.5:
        return {r.choice(POINTER_KEYS[:5]):
                None if r.random() < 0.3 else _merge_patch(r, depth - 1)
                for _ in range(r.randint(0, 3))}
    return _doc(r, 1)


def gen_json_merge_patch(r):
    return _break(r, {"target": _doc(r), "patch": _merge_patch(r)},
                  ["target", "patch"])


def gen_json_patch(r):
    doc, ops = _doc(r), []
    for _ in range(r.randint(0, 4)):
        o = r.choice(["add", "remove", "replace", "move", "copy", "test"])
        op = {"op": o, "path": _pointer(r, doc)}
        if o in ("add", "replace", "test"):
            op["value"] = _doc(r, 1)
        if o in ("move", "copy"):
            op["from"] = _pointer(r, doc)
        if r.random() < 0.05:  # a missing or mistyped member
            op[r.choice(["op", "path", "from", "value"])] = \
                r.choice([1, None, "ADD", "x"])
        ops.append(op)
    return _break(r, {"document": doc, "patch": ops}, ["document", "patch"])


GEN = {
    "filter": gen_filter, "group_by": gen_group_by,
    "aggregate": gen_aggregate, "json_flatten": gen_json_flatten,
    "json_unflatten": gen_json_unflatten, "csv_to_json": gen_csv_to_json,
    "json_to_csv": gen_json_to_csv, "histogram": gen_histogram,
    "sort": gen_sort, "unique": gen_unique,
    "pluck": _gen_rand("pluck", ["items", "field"]),
    "chunk": _gen_rand("chunk", ["items", "size"]),
    "zip": _gen_rand("zip", ["arrays"]),
    "flatten": _gen_rand("flatten", ["items", "depth"]),
    "transpose": _gen_rand("transpose", ["matrix"]),
    "paginate": _gen_rand("paginate", ["items", "page", "per_page"]),
    "select_fields": _gen_rand("select_fields",
                               ["items", "fields", "rename"]),
    "json_pointer": gen_json_pointer,
    "json_merge_patch": gen_json_merge_patch, "json_patch": gen_json_patch,
}


# ---- edge cases -------------------------------------------------------------
# The request body may nest at most 64 levels in all, so the depth limits of
# these functions are tested in tests/unit/test_fn_data.c.

def _nest(levels):
    v = 1
    for _ in range(levels):
        v = [v]
    return v


def _nest_obj(levels):
    v = 1
    for _ in range(levels):
        v = {"a": v}
    return v


NUMS = [{"n": 0}, {"n": -0.0}, {"n": 1}, {"n": 1.0}, {"n": 5e-324},
        {"n": 2**53 - 1}, {"n": 2**53}, {"n": 2**53 + 1},
        {"n": 9007199254740992.0},
        {"n": 1e308}, {"n": -2**63}, {"n": 2**63 - 1}, {"n": True},
        {"n": "1"}, {"n": None}, {}]
STRS = [{"s": ""}, {"s": "a"}, {"s": "A"}, {"s": "é"}, {"s": "e\u0301"},
        {"s": "ß"}, {"s": "SS"}, {"s": "İ"}, {"s": "😀"}, {"s": "\uffff"},
        {"s": "a\0b"}, {"s": ["a", "é"]}, {"s": 1}]

EDGE = {
    "filter": [
        {"items": [], "field": "n", "op": "eq", "value": 1},
        *[{"items": NUMS, "field": "n", "op": op, "value": v}
          for op in OPS if op != "in"
          for v in (1, 1.0, 2**53, 9007199254740992.0, 5e-324, -0.0, True,
                    None, "1")],
        *[{"items": STRS, "field": "s", "op": op, "value": v}
          for op in OPS if op != "in"
          for v in ("", "a", "é", "😀", "SS", "a\0", "\0b")],
        {"items": NUMS, "field": "n", "op": "in",
         "value": [1.0, None, True, "1", 2**53 + 1]},
        {"items": STRS, "field": "s", "op": "in", "value": ["é", ["a", "é"]]},
        {"items": NUMS, "field": "n", "op": "in", "value": 1},
        {"items": NUMS, "field": "n", "op": "in", "value": []},
        {"items": [{"o": {"a": 1, "b": [1, 2]}}, {"o": {"b": [1.0, 2], "a": 1}},
                   {"o": {"a": 1}}], "field": "o", "op": "eq",
         "value": {"b": [1, 2.0], "a": 1.0}},
        {"items": [{"a": _nest(50)}, {"a": 1}], "field": "a", "op": "eq",
         "value": _nest(50)},
        {"items": [{"a": 1}], "field": "a", "op": "eq"},
        {"items": [{"a": 1}], "field": "a", "op": "EQ", "value": 1},
        {"items": [{"a": 1}, 2], "field": "a", "op": "eq", "value": 1},
        {"items": [{"a.b": 1, "a": {"b": 1}}], "field": "a.b", "op": "eq",
         "value": 1},
        {"items": [{}] * 99999 + [{"a": 1}], "field": "a", "op": "gte",
         "value": 1},
        {"items": [{}] * 100001, "field": "a", "op": "eq", "value": 1},
        {"items": [{"k" * 1024: 1}], "field": "k" * 1024, "op": "eq",
         "value": 1},
        {"items": [], "field": "k" * 1025, "op": "eq", "value": 1},
    ],
    "group_by": [
        {"items": [], "field": "k"},
        {"items": NUMS, "field": "n"},
        {"items": STRS[:-2], "field": "s"},
        {"items": [{"k": None}, {}, {"k": "null"}, {"k": True},
                   {"k": "true"}, {"k": 1}, {"k": "1"}, {"k": 1.0},
                   {"k": 1e16}, {"k": 1e-05}, {"k": 0.0001}, {"k": -0.0},
                   {"k": 1.5e300}, {"k": 123456789.125}], "field": "k"},
        {"items": [{"k": "a"}, {"k": [1]}], "field": "k"},
        {"items": [{"k": {}}], "field": "k"},
        {"items": [{"k": "a"}], "field": "k", "x": 1},
        {"items": [{"k": i % 7} for i in range(100000)], "field": "k"},
        {"items": [{}] * 100001, "field": "k"},
        {"items": [], "field": "😀" * 1024},
        {"items": [], "field": "😀" * 1025},
    ],
    "aggregate": [
        *[{"items": [], "field": "n", "op": op} for op in AGG_OPS],
        *[{"items": NUMS, "field": "n", "op": op} for op in AGG_OPS],
        *[{"items": NUMS, "field": "n", "op": op, "group_by": "n"}
          for op in AGG_OPS],
        *[{"items": [{"n": 2**63 - 1}, {"n": 2**63 - 1}], "field": "n",
           "op": op} for op in AGG_OPS],
        *[{"items": [{"n": 0.1}, {"n": 0.2}, {"n": 0.3}], "field": "n",
           "op": op} for op in AGG_OPS],
        {"items": [{"n": 1}, {"n": 2}, {"n": 3}, {"n": 4}], "field": "n",
         "op": "avg"},
        {"items": [{"n": 1e308}, {"n": 1e308}], "field": "n", "op": "sum"},
        {"items": [{"n": 1e308}, {"n": 1e308}], "field": "n", "op": "avg"},
        {"items": [{"n": 1e308}, {"n": 1e308}, {"n": -1e308}],
         "field": "n", "op": "sum"},
        {"items": [{"n": 5e-324}, {"n": 5e-324}, {"n": 1e-323}],
         "field": "n", "op": "avg"},
        {"items": [{"n": 2**53 + 1}, {"n": 0.5}], "field": "n", "op": "sum"},
        {"items": [{"n": 1}, {"n": 1.0}, {"n": -0.0}, {"n": 0}],
         "field": "n", "op": "min"},
        {"items": [{"n": 1.0}, {"n": 1}], "field": "n", "op": "max"},
        {"items": [{"n": 1, "g": [1]}], "field": "n", "op": "sum",
         "group_by": "g"},
        {"items": [{"n": 1}], "field": "n", "op": "median"},
        {"items": [{"n": 1}], "op": "sum"},
        {"items": [{"n": i % 1000, "g": i % 3} for i in range(30000)] +
         [{}] * 70000, "field": "n", "op": "avg", "group_by": "g"},
        {"items": [{}] * 100001, "field": "n", "op": "count"},
        {"items": [], "field": "n", "op": "sum", "group_by": "g" * 1025},
    ],
    "json_flatten": [
        {"data": {}},
        {"data": {"a": {}, "b": [], "c": [[]], "d": {"e": {}}}},
        {"data": {"a": [1, [2, {"b": None}]], "c": {"d": "é"}}},
        {"data": {"a.b": 1, "a": {"b": 2}}},
        {"data": {"a": {"b": 2}, "a.b": 1}},
        {"data": {"a": [0, 1], "a.1": 5}},
        {"data": {"": {"": 1}, "😀": {"ß": [True]}}},
        {"data": {"a": {"b": 1}}, "sep": "😀"},
        {"data": {"a": {"b": 1}}, "sep": "--"},
        {"data": {"a": {"b": 1}}, "sep": ""},
        {"data": {"a": {"b": 1}}, "sep": "x" * 65},
        {"data": {"a": _nest(50)}},
        {"data": {"a": _nest_obj(50), "b": [[]]}},
        {"data": [1]},
    ],
    "json_unflatten": [
        {"data": {}},
        {"data": {"a.b": 1, "a.c": 2, "d": 3}},
        {"data": {"a": 1, "a.b": 2}},
        {"data": {"a.b": 2, "a": 1}},
        {"data": {"a.b": 2, "a.b.c": 1}},
        {"data": {"a": {"x": 1}, "a.b": 2}},
        {"data": {"a.0": 1, "a.1": 2}},
        {"data": {"": 1, ".": 2, "..": 3, "x.": 4}},
        {"data": {"a..b": 1, "a.": 2}},
        {"data": {"a😀b": 1}, "sep": "😀"},
        {"data": {"aaa": 1}, "sep": "aa"},
        {"data": {"a__b__c": {"d.e": 1}}, "sep": "__"},
        {"data": {".".join("k" * 64): 1}},
        {"data": {".".join("k" * 65): 1}},
        {"data": {"a": 1}, "sep": ""},
    ],
    "csv_to_json": [
        {"csv": ""},
        {"csv": "", "header": False},
        {"csv": "a,b\n"},
        {"csv": "\n\na,b\n1,2\n\n3\n4,5,6,7\n"},
        {"csv": "\n\na,b\n1,2\n\n3\n4,5,6,7\n", "header": False},
        {"csv": "\na\n1\n"},
        {"csv": "a,a,b\n1,2\n3,4,5\n"},
        {"csv": "null,a\n1,2,3\n"},
        {"csv": 'a\n"ab"cd\n"x""y"\n"unterminated\nrest'},
        {"csv": 'a,b\n"x"', "header": True},
        {"csv": 'a,b\r"1\r\n2",3\r\r\n', "header": False},
        {"csv": 'a"b,c""d, "e" \n', "header": False},
        {"csv": "é;😀\nß;İ\n", "delimiter": ";"},
        {"csv": "aébéc\n", "delimiter": "é", "header": False},
        {"csv": "a😀b\n", "delimiter": "😀", "header": False},
        {"csv": 'a"b\n"c"d"\n', "delimiter": '"', "header": False},
        {"csv": "a,b\nc", "delimiter": "\n", "header": False},
        {"csv": "a\0b,\0\n", "header": False},
        {"csv": "a\u2028b\x85c\x0bd\x0ce,f\n", "header": False},
        {"csv": "x" * 131072, "header": False},
        {"csv": "x" * 131073, "header": False},
        {"csv": '"' + "y" * 131073, "header": False},
        {"csv": "\n" * 400000, "header": False},
        {"csv": "a\n" + "\n" * 400000},
        {"csv": "a\n" + "1\n" * 99999},  # 200000 values: cells_max
        {"csv": "a\n" + "1\n" * 100000},
        {"csv": "\n".join([","] * 66666)},
        {"csv": "\n".join([","] * 66667)},
        {"csv": "a\rb\r\rc\n\r", "delimiter": "\r", "header": False},
        {"csv": "a,b\r\n1,2\r", "delimiter": "\r"},
        {"csv": '"a\r\nb",c\r\n""\r\n"",""\r\n', "header": False},
        {"csv": 'h\n""\n" "\n', "header": True},
        {"csv": "a\tb\x1cc\x1dd\x1ee\x1ff\n", "delimiter": "\x1c",
         "header": False},
        {"csv": "a", "delimiter": ""},
        {"csv": "a", "delimiter": ",;"},
        {"csv": 1},
    ],
    "json_to_csv": [
        {"rows": []},
        {"rows": [{}]},
        {"rows": [], "columns": []},
        {"rows": [], "columns": ["a", "b"]},
        {"rows": [{"a": ""}]},
        {"rows": [{"a": None}]},
        {"rows": [{"": 1}]},
        {"rows": [{"a": "", "b": ""}]},
        {"rows": [{"a": 1, "b": 2}, {"c": 3, "a": 4}]},
        {"rows": [{"a": 1}, {"b": 2}], "columns": ["b", "a", "b"]},
        {"rows": [{"a": 1, "x": 2}], "columns": ["a"]},
        {"rows": [{"a": v} for v in [
            0, -0.0, 1.0, 1e16, 1e15, 123456789012345.6, 1e-05, 0.0001,
            5e-324, 1e308, -1e308, 0.1, 1 / 3, 2**63 - 1, -2**63, True,
            False, None, 9007199254740993]]},
        {"rows": [{"a": v} for v in [
            "a,b", 'q"q', "l\nl", "c\rr", "c\r\n", " ", "\0", "\t", ";",
            "é", "😀", "\u2028", "\x85", "\x7f", "\u00ad", "\U000e0001",
            "\ufeff", "\u0378", "\U0010ffff"]]},
        {"rows": [{"a": [1, "x", None, True, 1.5, -0.0, 1e16, [], {}],
                   "b": {"k": "it's", "q": 'say "x"', "both": "'\"",
                         "é": ["\\", "\n\t\r\x01", "\x85\u2028😀"]}}]},
        {"rows": [{"a": _nest(50)}]},
        {"rows": [{"a": 1}], "columns": "a"},
        {"rows": [{}] * 100000, "columns": ["a"]},
        {"rows": [{}] * 100001},
        {"rows": [], "columns": ["c"] * 10000},
        {"rows": [], "columns": ["c"] * 10001},
        {"rows": [], "columns": ["é" * 1025]},
        {"rows": [1]},
    ],
    # ---- the data functions whose REFS are in tests/reference.py ----------
    "sort": [
        {"items": []},
        {"items": [], "order": "desc"},
        {"items": [1, 1.0, 1, 1.0, 0.5], "order": "desc"},
        {"items": [0, -0.0, 0.0, -0], "order": "desc"},
        {"items": [0, -0.0, 0.0, -0]},
        {"items": [2**53 + 1, 9007199254740992.0, 2**53,
                   9007199254740994.0]},
        {"items": [2**63 - 1, 9.223372036854776e18, -2**63,
                   -9.223372036854776e18], "order": "desc"},
        {"items": [1e308, -1e308, 5e-324, -5e-324, 0]},
        {"items": ["\U00010000", "\uffff", "\ue000", "\ud7ff", "😀",
                   "\U0010ffff", "a\0", "a", ""]},
        {"items": ["ß", "SS", "ss", "İ", "i", "ﬁ", "fi", "Σ", "σ", "ς",
                   "e\u0301", "é", "\u00a0", " ", "\u2028", "\x85"],
         "order": "desc"},
        {"items": [{"k": 1, "i": 0}, {"k": 1.0, "i": 1}, {"k": 0, "i": 2},
                   {"k": 1, "i": 3}], "key": "k", "order": "desc"},
        {"items": [{"k": "b", "i": 0}, {"k": "a", "i": 1},
                   {"k": "b", "i": 2}], "key": "k"},
        {"items": [{"": 2}, {"": 1}], "key": ""},
        {"items": [{"k": 1}, {"j": 0}], "key": "k"},
        {"items": [{"k": True}], "key": "k"},
        {"items": [{"k": None}], "key": "k"},
        {"items": [{"k": 1}, {"k": "1"}], "key": "k"},
        {"items": [{"k": 1}, 2], "key": "k"},
        {"items": [1, "1"]},
        {"items": ["1", 1]},
        {"items": [True, 1]},
        {"items": [1, False]},
        {"items": [None]},
        {"items": [[1]]},
        {"items": [{"k": 1}]},
        {"items": [1], "order": "DESC"},
        {"items": [1], "order": None},
        {"items": [1], "key": 1},
        {"items": [1], "reverse": True},
        {"items": "abc"},
        {},
        {"items": list(range(100000, 0, -1)), "order": "desc"},
        {"items": [0] * 100001},
        {"items": ["x" * 1000000]},
        {"items": ["x" * 1000001]},
        {"items": [{"k" * 1024: 1}], "key": "k" * 1024},
        {"items": [{"k" * 1025: 1}], "key": "k" * 1025},
    ],
    "unique": [
        {"items": []},
        {"items": [1, 1.0, True, 1, "1", [1], [1.0], [True]]},
        {"items": [0, -0.0, 0.0, False, None, "", [], {}]},
        {"items": [True, 1, False, 0]},
        {"items": [2**53, 9007199254740992.0, 2**53 + 1]},
        {"items": [2**63 - 1, 9.223372036854776e18, -2**63,
                   -9.223372036854776e18]},
        {"items": [{"a": 1, "b": [1, 2]}, {"b": [1.0, 2], "a": 1.0},
                   {"a": 1}, {"a": True}, {"a": 1, "b": [2, 1]}]},
        {"items": ["é", "e\u0301", "ß", "SS", "😀", "\U0001f600",
                   "a\0", "a"]},
        {"items": [[], [[]], [[], []], {}, {"": {}}, {"": []}]},
        {"items": [_nest(60), _nest(60), _nest_obj(60), _nest_obj(60)]},
        {"items": list(range(100000))},
        {"items": [0] * 100001},
        {"items": 1},
        {"items": [1], "key": "a"},
    ],
    "pluck": [
        {"items": [], "field": "a"},
        {"items": [{"a": 1}, {}, {"a": None}, {"a": [1]}, {"a.b": 2},
                   {"a": {"b": 3}}], "field": "a"},
        {"items": [{"a.b": 2}, {"a": {"b": 3}}], "field": "a.b"},
        {"items": [{"": 1}, {"é": 2}], "field": ""},
        {"items": [{"é": 1}, {"e\u0301": 2}], "field": "é"},
        {"items": [{"😀": 2**63 - 1, "x": -0.0}], "field": "😀"},
        {"items": [{"k" * 1024: 1}], "field": "k" * 1024},
        {"items": [{}], "field": "k" * 1025},
        {"items": [{}] * 100000, "field": "a"},
        {"items": [{}] * 100001, "field": "a"},
        {"items": [{}, 1], "field": "a"},
        {"items": [{}], "field": 1},
        {"items": [{}]},
    ],
    "chunk": [
        {"items": [], "size": 1},
        {"items": [1, 2, 3, 4, 5], "size": 2},
        {"items": [1, 2, 3, 4], "size": 2},
        {"items": [1, 2, 3], "size": 3},
        {"items": [1, 2, 3], "size": 4},
        {"items": [None, [1], {"a": 1}, "é"], "size": 1},
        {"items": list(range(100000)), "size": 100000},
        {"items": list(range(100000)), "size": 1},
        {"items": [1], "size": 100001},
        {"items": [1], "size": 0},
        {"items": [1], "size": -1},
        {"items": [1], "size": 2.0},
        {"items": [1], "size": True},
        {"items": [1], "size": "2"},
        {"items": [1]},
        {"items": [0] * 100001, "size": 1},
    ],
    "zip": [
        {"arrays": []},
        {"arrays": [[]]},
        {"arrays": [[1, 2, 3]]},
        {"arrays": [[1, 2, 3], [], [4]]},
        {"arrays": [[1, 2, 3], ["a", "b"], [True, False, None]]},
        {"arrays": [[[1], {"a": 1}], [-0.0, 2**63 - 1]]},
        {"arrays": [[i] for i in range(1000)]},
        {"arrays": [[1]] * 1001},
        {"arrays": [[1] * 100000, [0] * 99999]},
        {"arrays": [[0] * 100001]},
        {"arrays": [[1], 1]},
        {"arrays": [[1], None]},
        {"arrays": {"a": [1]}},
        {},
    ],
    "flatten": [
        {"items": []},
        {"items": [[], [[]], [[], [[]]]]},
        {"items": [1, [2, [3, [4]]], [], {"a": [5]}]},
        {"items": [1, [2, [3, [4]]]], "depth": 0},
        {"items": [1, [2, [3, [4]]]], "depth": 1},
        {"items": [1, [2, [3, [4]]]], "depth": 2},
        {"items": [[None], [[True]], ["é"], [{"a": []}]], "depth": 1},
        {"items": [_nest(60)]},
        {"items": [_nest(60)], "depth": 64},
        {"items": [_nest(60)], "depth": 10},
        {"items": [1], "depth": -2},
        {"items": [1], "depth": 65},
        {"items": [1], "depth": 1.0},
        {"items": [1], "depth": True},
        {"items": [1], "depth": None},
        {"items": {"a": [1]}},
        {"items": [0] * 100001},
    ],
    "transpose": [
        {"matrix": []},
        {"matrix": [[]]},
        {"matrix": [[], [], []]},
        {"matrix": [[1, 2, 3]]},
        {"matrix": [[1], [2], [3]]},
        {"matrix": [[1, 2, 3], [4, 5, 6]]},
        {"matrix": [[None, "é"], [[1], {"a": -0.0}]]},
        {"matrix": [[1, 2], [3]]},
        {"matrix": [[1], [2, 3]]},
        {"matrix": [[], [1]]},
        {"matrix": [[1], [2], 3]},
        {"matrix": [[1], None]},
        {"matrix": [list(range(100000))]},
        {"matrix": [[i] for i in range(100000)]},
        {"matrix": [[1]] * 100001},
        {"matrix": [[0] * 100001]},
        {"matrix": "ab"},
    ],
    "paginate": [
        {"items": []},
        {"items": [], "page": 3},
        {"items": [1, 2, 3, 4, 5], "page": 2, "per_page": 2},
        {"items": [1, 2, 3, 4, 5], "page": 3, "per_page": 2},
        {"items": [1, 2, 3, 4, 5], "page": 4, "per_page": 2},
        {"items": list(range(25))},
        {"items": list(range(25)), "page": 3},
        {"items": [1, 2], "page": 2**63 - 1, "per_page": 100000},
        {"items": [1, 2], "page": 2**62, "per_page": 3},
        {"items": list(range(100000)), "per_page": 100000},
        {"items": list(range(100000)), "page": 100000, "per_page": 1},
        {"items": [1], "page": 0},
        {"items": [1], "page": -1},
        {"items": [1], "page": 1.0},
        {"items": [1], "page": True},
        {"items": [1], "per_page": 0},
        {"items": [1], "per_page": 100001},
        {"items": [1], "per_page": "10"},
        {"items": [0] * 100001},
        {"items": None},
    ],
    "select_fields": [
        {"items": [], "fields": []},
        {"items": [{"a": 1}], "fields": []},
        {"items": [{"id": 1, "name": "Ada", "age": 36}, {"id": 2, "age": 41}],
         "fields": ["name", "id"], "rename": {"id": "user_id"}},
        {"items": [{"a": 1, "b": 2}], "fields": ["b", "a", "b"]},
        {"items": [{"a": 1, "b": 2}], "fields": ["a", "b"],
         "rename": {"a": "b", "b": "a"}},
        {"items": [{"a": 1, "b": 2}], "fields": ["a", "b"],
         "rename": {"a": "b"}},
        {"items": [{"a": 1, "b": 2}], "fields": ["a"], "rename": {"b": "c"}},
        {"items": [{"a": 1}], "fields": ["a"], "rename": {"a": "a"}},
        {"items": [{"a": 1}], "fields": ["a"], "rename": {"a": ""}},
        {"items": [{"a": None, "é": [1]}], "fields": ["é", "a", "x"],
         "rename": {"é": "e\u0301"}},
        {"items": [{"a": 1}], "fields": ["a\0"]},
        {"items": [{"a": 1}], "fields": ["a"], "rename": {"a": "b\0"}},
        {"items": [{"a": 1}], "fields": ["a"], "rename": {"a": 1}},
        {"items": [{"a": 1}], "fields": "a"},
        {"items": [{"a": 1}], "fields": [1]},
        {"items": [1], "fields": ["a"]},
        {"items": [{"k" * 1024: 1}], "fields": ["k" * 1024]},
        {"items": [{}], "fields": ["k" * 1025]},
        {"items": [{}], "fields": ["a"] * 1000},
        {"items": [{}], "fields": ["a"] * 1001},
        {"items": [{}], "fields": ["a"],
         "rename": {str(i): "x" for i in range(1001)}},
        {"items": [{}] * 100001, "fields": []},
    ],
    "json_pointer": [
        {"document": {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2,
                      "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7,
                      "m~n": 8}, "pointer": p}
        for p in ["", "/foo", "/foo/0", "/foo/1", "/foo/2", "/foo/-",
                  "/foo/01", "/foo/00", "/foo/+1", "/foo/-1", "/foo/1e0",
                  "/foo/0 ", "/foo/ 0", "/foo/0x1", "/foo/\u0661", "/",
                  "/a~1b", "/c%d", "/e^f", "/g|h", "/i\\j", "/k\"l", "/ ",
                  "/m~0n", "/m~n", "/m~2n", "/a~01b", "/~", "foo", "#/foo",
                  "/foo/0/x", "/foo//", "/foo/18446744073709551616"]
    ] + [
        {"document": 1, "pointer": "/0"},
        {"document": "abc", "pointer": "/0"},
        {"document": None, "pointer": ""},
        {"document": {"é": {"😀": -0.0}}, "pointer": "/é/😀"},
        {"document": {"e\u0301": 1}, "pointer": "/é"},
        {"document": {"~1": 1, "/": 2}, "pointer": "/~01"},
        {"document": {"-": 1}, "pointer": "/-"},
        {"document": [[1]], "pointer": "/0/0"},
        {"document": _nest(60), "pointer": "/0" * 60},
        {"document": _nest_obj(60), "pointer": "/a" * 60},
        {"document": {}, "pointer": "/" + "a" * 65535},
        {"document": {}, "pointer": "/" + "a" * 65536},
        {"document": {}, "pointer": 1},
        {"document": {}},
    ],
    "json_merge_patch": [
        {"target": {"a": "b"}, "patch": {"a": "c"}},
        {"target": {"a": "b"}, "patch": {"b": "c"}},
        {"target": {"a": "b"}, "patch": {"a": None}},
        {"target": {"a": "b", "b": "c"}, "patch": {"a": None}},
        {"target": {"a": ["b"]}, "patch": {"a": "c"}},
        {"target": {"a": "c"}, "patch": {"a": ["b"]}},
        {"target": {"a": {"b": "c"}},
         "patch": {"a": {"b": "d", "c": None}}},
        {"target": {"a": [{"b": "c"}]}, "patch": {"a": [1]}},
        {"target": ["a", "b"], "patch": ["c", "d"]},
        {"target": {"a": "b"}, "patch": ["c"]},
        {"target": {"a": "foo"}, "patch": None},
        {"target": {"a": "foo"}, "patch": "bar"},
        {"target": {"e": None}, "patch": {"a": 1}},
        {"target": [1, 2], "patch": {"a": "b", "c": None}},
        {"target": {}, "patch": {"a": {"bb": {"ccc": None}}}},
        {"target": None, "patch": {}},
        {"target": -0.0, "patch": {}},
        {"target": {"a": 1}, "patch": {}},
        {"target": {"é": 1, "e\u0301": 2}, "patch": {"é": None}},
        {"target": {"a": 1}, "patch": {"a": 1.0}},
        {"target": {"a": True}, "patch": {"a": {"b": None}}},
        {"target": _nest_obj(60), "patch": _nest_obj(60)},
        {"target": {}},
        {"patch": {}},
    ],
    "json_patch": [
        {"document": {"foo": "bar"},
         "patch": [{"op": "add", "path": "/baz", "value": "qux"}]},
        {"document": {"foo": ["bar", "baz"]},
         "patch": [{"op": "add", "path": "/foo/1", "value": "qux"}]},
        {"document": {"foo": ["bar"]},
         "patch": [{"op": "add", "path": "/foo/-", "value": ["abc"]}]},
        {"document": {"foo": ["bar"]},
         "patch": [{"op": "add", "path": "/foo/2", "value": 1}]},
        {"document": {"foo": ["bar"]},
         "patch": [{"op": "add", "path": "/foo/01", "value": 1}]},
        {"document": {"foo": "bar"},
         "patch": [{"op": "add", "path": "/baz/bat", "value": "qux"}]},
        {"document": {"baz": "qux", "foo": "bar"},
         "patch": [{"op": "remove", "path": "/baz"}]},
        {"document": {"foo": ["bar", "qux", "baz"]},
         "patch": [{"op": "remove", "path": "/foo/1"}]},
        {"document": {"a": 1}, "patch": [{"op": "remove", "path": ""}]},
        {"document": {"a": 1}, "patch": [{"op": "remove", "path": "/b"}]},
        {"document": [1], "patch": [{"op": "remove", "path": "/-"}]},
        {"document": {"baz": "qux", "foo": "bar"},
         "patch": [{"op": "replace", "path": "/baz", "value": "boo"}]},
        {"document": {"a": 1},
         "patch": [{"op": "replace", "path": "/b", "value": 2}]},
        {"document": 1, "patch": [{"op": "replace", "path": "", "value": 2}]},
        {"document": None, "patch": [{"op": "add", "path": "", "value": [1]}]},
        {"document": {"foo": {"bar": "baz", "waldo": "fred"},
                      "qux": {"corge": "grault"}},
         "patch": [{"op": "move", "from": "/foo/waldo",
                    "path": "/qux/thud"}]},
        {"document": {"foo": ["all", "grass", "cows", "eat"]},
         "patch": [{"op": "move", "from": "/foo/1", "path": "/foo/3"}]},
        {"document": {"a": {"b": 1}},
         "patch": [{"op": "move", "from": "/a", "path": "/a/c"}]},
        {"document": {"a": {"b": 1}},
         "patch": [{"op": "move", "from": "/a", "path": "/a"}]},
        {"document": {"a": 1},
         "patch": [{"op": "move", "from": "/a", "path": "/ab"}]},
        {"document": {"a": [1]},
         "patch": [{"op": "copy", "from": "/a", "path": "/a/-"}]},
        {"document": {"a": 1},
         "patch": [{"op": "copy", "from": "", "path": "/b"}]},
        {"document": {"a": 1}, "patch": [{"op": "copy", "path": "/b"}]},
        {"document": {"baz": "qux", "foo": ["a", 2, "c"]},
         "patch": [{"op": "test", "path": "/baz", "value": "qux"},
                   {"op": "test", "path": "/foo/1", "value": 2}]},
        {"document": {"baz": "qux"},
         "patch": [{"op": "test", "path": "/baz", "value": "bar"}]},
        {"document": {"a": 1},
         "patch": [{"op": "test", "path": "/a", "value": 1.0}]},
        {"document": {"a": 1},
         "patch": [{"op": "test", "path": "/a", "value": True}]},
        {"document": {"a": {"x": [1], "y": 2}},
         "patch": [{"op": "test", "path": "/a",
                    "value": {"y": 2.0, "x": [1.0]}}]},
        {"document": {"/": 9, "~1": 10},
         "patch": [{"op": "test", "path": "/~01", "value": 10}]},
        {"document": {}, "patch": [{"op": "add", "path": "/a\0",
                                    "value": 1}]},
        {"document": {}, "patch": [{"op": "add", "path": "/a", "value": 1,
                                    "from": "/x", "extra": [1]}]},
        {"document": {}, "patch": [{"op": "add", "path": "/a"}]},
        {"document": {}, "patch": [{"op": "add", "value": 1}]},
        {"document": {}, "patch": [{"path": "/a", "value": 1}]},
        {"document": {}, "patch": [{"op": "ADD", "path": "/a", "value": 1}]},
        {"document": {}, "patch": [{"op": "add", "path": 1, "value": 1}]},
        {"document": {}, "patch": [{"op": "move", "path": "/a", "from": 1}]},
        {"document": {}, "patch": [{"op": "add", "path": "a", "value": 1}]},
        {"document": {}, "patch": [1]},
        {"document": {}, "patch": {}},
        {"document": {}, "patch": []},
        {"document": [], "patch": [{"op": "add", "path": "/-", "value": i}
                                   for i in range(1000)]},
        {"document": [], "patch": [{"op": "add", "path": "/-", "value": i}
                                   for i in range(1001)]},
        {"document": {}, "patch": [{"op": "add", "path": "/" + "a" * 65535,
                                    "value": 1}]},
        {"document": {}, "patch": [{"op": "add", "path": "/" + "a" * 65536,
                                    "value": 1}]},
        {"patch": []},
    ],
    "histogram": [
        {"values": []},
        {"values": [], "bins": 1},
        {"values": [5]},
        {"values": [5.0, 5.0], "bins": 3},
        {"values": [-0.0, 0.0]},
        {"values": [1, 2, 2, 3, 3, 3, 4], "bins": 3},
        {"values": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]},
        {"values": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "bins": 10},
        {"values": [1, 2.5, 4]},
        {"values": [2**63 - 1, -2**63], "bins": 3},
        {"values": [2**63 - 1, 2**63 - 2, 2**62], "bins": 4},
        {"values": [2**53 + 1, 2**53], "bins": 2},
        {"values": [16857504163255865, 16857504163255866, 16857504163255870],
         "bins": 10},
        {"values": [16857504163255865, 16857504163255870], "bins": 5},
        {"values": [2**54 + 1, 2**54 + 3, 2**54 + 8], "bins": 7},
        {"values": [2**60, 2**60]},
        {"values": [1e16, 1e16]},
        {"values": [2**52, 2**52]},
        {"values": [1e300, 1e300]},
        {"values": [-1e308, 1e308]},
        {"values": [-1e308, 0.0, 1e308], "bins": 2},
        {"values": [0, 5e-324]},
        {"values": [5e-324, 1e-323, 1.5e-323], "bins": 2},
        {"values": [1e-300, 2e-300, 3e-300]},
        {"values": [1.7976931348623157e308, 1.7976931348623157e308]},
        *[{"values": sorted({lo, hi} | {float(x) for e in np.linspace(lo, hi, n + 1)
                                        for x in (e, np.nextafter(e, -np.inf),
                                                  np.nextafter(e, np.inf))
                                        if lo <= x <= hi}), "bins": n}
          for n in (3, 7, 10, 49, 97)
          for lo, hi in ((0.0, 1.0), (0.1, 0.7), (-3.0, 11.0), (1.0, 100.0))],
        {"values": list(range(0, 1000, 3)) + [1000], "bins": 7},
        {"values": [1, 2, 3], "bins": 10000},
        {"values": [1, 2, 3], "bins": 10001},
        {"values": [1, 2, 3], "bins": 0},
        {"values": [i * 0.37 for i in range(100000)], "bins": 10000},
        {"values": [0] * 100001},
        {"values": [1, True]},
        {"values": [1, "2"]},
    ],
}

TOL = {"histogram": 1e-9}
