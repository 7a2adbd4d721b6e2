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


GEN = {
    "filter": gen_filter, "group_by": gen_group_by,
    "aggregate": gen_aggregate, "json_flatten": gen_json_flatten,
    "json_unflatten": gen_json_unflatten, "csv_to_json": gen_csv_to_json,
    "json_to_csv": gen_json_to_csv, "histogram": gen_histogram,
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
