"""Bad input for every catalog function, derived from its declared input
schema (functions/<category>/<name>.json, as GET /api/functions serves it):
each required member left out, each member given a value of a wrong type,
an unknown member, strings and arrays one past their maxLength / maxItems,
numbers one past their minimum / maximum. Each must be 400 invalid_input
with a message naming the member, and the worker must live on.
"""
import json
import sys

import pytest

from conftest import ROOT, assert_error

sys.path.insert(0, str(ROOT / "scripts"))
import gen_catalog  # noqa: E402

ROWS = gen_catalog.collect(str(ROOT))
WRONG = ["x", 1.5, 7, [], {}, True, None]
# A body past this is the transport's 413, not the function's 400.
BODY_MAX = 900_000


def allowed(schema, v):
    t = schema.get("type")
    if t is None:
        return True
    types = t if isinstance(t, list) else [t]
    for name in types:
        if name == "null" and v is None:
            return True
        if name == "boolean" and isinstance(v, bool):
            return True
        if name == "string" and isinstance(v, str):
            return True
        if name == "array" and isinstance(v, list):
            return True
        if name == "object" and isinstance(v, dict):
            return True
        if isinstance(v, bool):
            continue
        if name == "number" and isinstance(v, (int, float)):
            return True
        if name == "integer" and isinstance(v, int):
            return True
    return False


def members(schema, example):
    """(properties, required, additionalProperties) of the branch the
    example uses (the first oneOf branch whose required members it has)."""
    props = dict(schema.get("properties", {}))
    required = list(schema.get("required", []))
    extra = schema.get("additionalProperties", True)
    for b in schema.get("oneOf", []):
        if all(k in example for k in b.get("required", [])):
            props.update(b.get("properties", {}))
            required += b.get("required", [])
            extra = b.get("additionalProperties", extra)
            break
    return props, required, extra


def cases():
    out = []
    for row in ROWS:
        fn, schema, ex = row["name"], row["schema"], row["example"]["input"]
        props, required, extra = members(schema, ex)
        for k in required:
            inp = {m: v for m, v in ex.items() if m != k}
            out.append(pytest.param(fn, inp, k, id=f"{fn}-missing-{k}"))
        for k, sub in props.items():
            if "oneOf" in schema and k not in ex:
                continue  # would be another form, not a wrong type
            base = {m: v for m, v in ex.items()}
            for w in WRONG:
                if not allowed(sub, w):
                    out.append(pytest.param(fn, dict(base, **{k: w}), k,
                                            id=f"{fn}-type-{k}"))
                    break
            if "maxLength" in sub and sub["maxLength"] < BODY_MAX:
                out.append(pytest.param(
                    fn, dict(base, **{k: "a" * (sub["maxLength"] + 1)}), k,
                    id=f"{fn}-maxLength-{k}"))
            if "maxItems" in sub and sub["maxItems"] < BODY_MAX // 3:
                out.append(pytest.param(
                    fn, dict(base, **{k: [0] * (sub["maxItems"] + 1)}), k,
                    id=f"{fn}-maxItems-{k}"))
            for bound, step in (("maximum", 1), ("minimum", -1)):
                if bound in sub and isinstance(sub[bound], int) and \
                        abs(sub[bound]) < 2**62:
                    out.append(pytest.param(
                        fn, dict(base, **{k: sub[bound] + step}), k,
                        id=f"{fn}-{bound}-{k}"))
        if extra is False:
            out.append(pytest.param(fn, dict(ex, zz_unknown=1), "zz_unknown",
                                    id=f"{fn}-unknown"))
    return out


@pytest.mark.parametrize("fn,inp,field", cases())
def test_bad_input_names_the_field(api, fn, inp, field):
    raw = json.dumps({"function": fn, "input": inp}).encode()
    body = assert_error(api.post("/api/execute", raw=raw), 400,
                        "invalid_input")
    assert f"'{field}" in body["error"]["message"], (fn, inp, body)


@pytest.mark.parametrize("fn", [r["name"] for r in ROWS])
def test_input_that_is_not_an_object(api, fn):
    for bad in ([], "x", 1, None):
        raw = json.dumps({"function": fn, "input": bad}).encode()
        assert_error(api.post("/api/execute", raw=raw), 400, "invalid_input")


def test_every_function_has_bad_input_cases():
    """echo takes any object, so it has no bad input but a non-object."""
    covered = {c.values[0] for c in cases()}
    assert covered == {r["name"] for r in ROWS} - {"echo"}
