#!/usr/bin/env python3
"""gen_catalog.py - turns the catalog's metadata into the table C compiles.

Every function is one file functions/<category>/<name>.json (as Redis keeps
src/commands/*.json) with its handler beside it in functions/<category>/:

    {
      "description": "what it does, for GET /api/functions",
      "limits": {"depth_max": 64},          optional: named bounds
      "input_schema": {...},                JSON Schema (fn_schema.h subset);
                                            "$limits.<key>" stands for a limit
      "examples": [{"input": ..., "output": ...}, ...],
                                            the first one is served by the API
      "tests": [{"input": ..., "output": ...} | {"input": ..., "error": f}],
                                            golden cases (tests/gen_golden.py)
      "handler": "fn_x"                     optional; default fn_<name>
    }

    gen_catalog.py OUT_DIR [ROOT]

writes OUT_DIR/fn_table.c (the rows, in category order then by name, with
one `fn_handler_t fn_<name>;` declaration each) and OUT_DIR/fn_limits.h
(`#define FN_LIMIT_<NAME>_<KEY> value` for every declared limit). A file is
rewritten only when its text changes, so running it on every build costs no
recompilation. The categories are FN_CATEGORIES of functions/fn_category.h:
a folder that is not one of them is an error, as is any malformed file.
"""
import json
import os
import re
import sys

KEYS = {"description", "limits", "input_schema", "examples", "tests",
        "handler"}
REQUIRED = ("description", "input_schema", "examples")
IDENT = re.compile(r"[a-z][a-z0-9_]*\Z")


class MetaError(Exception):
    pass


def categories(root):
    """The names of FN_CATEGORIES, in order."""
    path = os.path.join(root, "functions", "fn_category.h")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    body = re.search(r"#define FN_CATEGORIES\(X\)(.*?)\n\n", text, re.S)
    if body is None:
        raise MetaError("%s: no FN_CATEGORIES" % path)
    return re.findall(r"X\((\w+)\s*,", body.group(1))


def substitute(value, limits, where):
    """value with every "$limits.<key>" string replaced by that limit."""
    if isinstance(value, dict):
        return {k: substitute(v, limits, where) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, limits, where) for v in value]
    if isinstance(value, str) and value.startswith("$limits."):
        key = value[len("$limits."):]
        if key not in limits:
            raise MetaError("%s: unknown limit %r" % (where, key))
        return limits[key]
    return value


def load(path, category):
    name = os.path.splitext(os.path.basename(path))[0]
    if not IDENT.match(name):
        raise MetaError("%s: a function name is [a-z][a-z0-9_]*" % path)
    with open(path, encoding="utf-8") as f:
        try:
            meta = json.load(f)
        except ValueError as e:
            raise MetaError("%s: %s" % (path, e)) from None
    if not isinstance(meta, dict):
        raise MetaError("%s: not a JSON object" % path)
    unknown = set(meta) - KEYS
    if unknown:
        raise MetaError("%s: unknown keys %s" % (path, sorted(unknown)))
    for k in REQUIRED:
        if k not in meta:
            raise MetaError("%s: missing %r" % (path, k))
    limits = meta.get("limits", {})
    if not all(isinstance(v, int) and IDENT.match(k)
               for k, v in limits.items()):
        raise MetaError("%s: limits are {name: integer}" % path)
    if not isinstance(meta["description"], str) or not meta["description"]:
        raise MetaError("%s: description must be a non-empty string" % path)
    ex = meta["examples"]
    if (not isinstance(ex, list) or not ex or
            not all(isinstance(e, dict) and set(e) == {"input", "output"}
                    for e in ex)):
        raise MetaError("%s: examples are [{input, output}, ...]" % path)
    for t in meta.get("tests", []):
        if not (isinstance(t, dict) and "input" in t and
                len(set(t) & {"output", "error"}) == 1 and
                set(t) <= {"input", "output", "error", "note"}):
            raise MetaError("%s: a test is {input, output} or {input, "
                            "error}: %r" % (path, t))
    handler = meta.get("handler", "fn_" + name)
    if not re.match(r"[A-Za-z_]\w*\Z", handler):
        raise MetaError("%s: bad handler name" % path)
    return {
        "name": name, "category": category, "handler": handler,
        "schema": substitute(meta["input_schema"], limits, path),
        "description": meta["description"], "limits": limits,
        "example": ex[0],
    }


def collect(root):
    cats = categories(root)
    fdir = os.path.join(root, "functions")
    rows = []
    for entry in sorted(os.listdir(fdir)):
        if os.path.isdir(os.path.join(fdir, entry)) and entry not in cats:
            raise MetaError("functions/%s/ is not a category of "
                            "FN_CATEGORIES (fn_category.h)" % entry)
    for cat in cats:
        d = os.path.join(fdir, cat)
        names = sorted(f for f in os.listdir(d) if f.endswith(".json")) \
            if os.path.isdir(d) else []
        rows += [load(os.path.join(d, f), cat) for f in names]
    seen = set()
    for r in rows:
        if r["name"] in seen:
            raise MetaError("function %r is defined twice" % r["name"])
        seen.add(r["name"])
    return rows


def c_str(s):
    """s as a C string literal of its UTF-8 bytes."""
    out = []
    for c in s:
        if c in '"\\?':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7f:
            out.append("\\%03o" % ord(c))
        else:
            out.append(c)  # the file is UTF-8
    return '"' + "".join(out) + '"'


def jtext(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def render_table(rows):
    lines = ["/* fn_table.c - GENERATED by scripts/gen_catalog.py from",
             " * functions/<category>/<name>.json; do not edit. */",
             '#include "fn.h"', ""]
    lines += ["fn_handler_t %s;" % r["handler"] for r in rows]
    lines += ["", "const struct fn_def fn_table[] = {"]
    for r in rows:
        lines += [
            "    {",
            "        %s," % c_str(r["name"]),
            "        FN_CAT_%s," % r["category"],
            "        %s," % c_str(r["category"]),
            "        %s," % r["handler"],
            "        %s," % c_str(jtext(r["schema"])),
            "        %s," % c_str(r["description"]),
            "        %s," % c_str(jtext(r["example"]["input"])),
            "        %s," % c_str(jtext(r["example"]["output"])),
            "    },",
        ]
    if not rows:
        lines.append("    {0},")
    lines += ["};", "",
              "const size_t fn_table_count = %d;" % len(rows), ""]
    return "\n".join(lines)


def render_limits(rows):
    lines = ["/* fn_limits.h - GENERATED by scripts/gen_catalog.py: the",
             " * \"limits\" of functions/<category>/<name>.json; do not edit.",
             " */", "#ifndef FN_LIMITS_GEN_H", "#define FN_LIMITS_GEN_H", ""]
    for r in rows:
        for k, v in sorted(r["limits"].items()):
            lines.append("#define FN_LIMIT_%s_%s %d" % (
                r["name"].upper(), k.upper(), v))
    lines += ["", "#endif", ""]
    return "\n".join(lines)


ORDER = ("description", "limits", "input_schema", "handler", "examples",
         "tests")


def pretty(v, indent):
    """JSON text of v: objects one member a line, arrays of scalars on one
    line."""
    pad = "  " * (indent + 1)
    if isinstance(v, dict) and v:
        items = ",\n".join("%s%s: %s" % (pad, json.dumps(k, ensure_ascii=False),
                                         pretty(x, indent + 1))
                           for k, x in v.items())
        return "{\n%s\n%s}" % (items, "  " * indent)
    if isinstance(v, list) and any(isinstance(x, (dict, list)) for x in v):
        items = ",\n".join(pad + pretty(x, indent + 1) for x in v)
        return "[\n%s\n%s]" % (items, "  " * indent)
    return json.dumps(v, ensure_ascii=False)


def dump_meta(meta):
    """The text of a metadata file in its one layout: members in ORDER, the
    schema indented, one example or test per line."""
    parts = []
    for k in ORDER:
        if k not in meta:
            continue
        v = meta[k]
        if k in ("examples", "tests"):
            body = ",\n".join("    " + json.dumps(x, ensure_ascii=False)
                               for x in v)
            text = "[\n%s\n  ]" % body if v else "[]"
        else:
            text = pretty(v, 1)
        parts.append("  %s: %s" % (json.dumps(k), text))
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    out = argv[1]
    root = argv[2] if len(argv) == 3 else \
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        rows = collect(root)
    except MetaError as e:
        print("gen_catalog: %s" % e, file=sys.stderr)
        return 1
    os.makedirs(out, exist_ok=True)
    write_if_changed(os.path.join(out, "fn_table.c"), render_table(rows))
    write_if_changed(os.path.join(out, "fn_limits.h"), render_limits(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
