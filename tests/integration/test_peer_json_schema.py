"""The JSON Schema Test Suite (draft2020-12 files of the 14 keywords that
json_validate supports, beside CATALOG.md in peers/) against json_validate
over HTTP.

Every test of every group runs and must give 200 with "valid" as the suite
says, except the groups whose schema uses a keyword json_validate does not
implement. The rule that picks them: walking the schema as a schema (into
properties, additionalProperties and items, and into any other subschema
position), a group is skipped when some keyword is neither one of the 14 nor
the annotation "$schema" / "$comment" (which change no outcome).
SKIPPED lists them with that keyword, and the runner checks that the rule
finds exactly that list, so a new suite version cannot skip silently.

The tests of those groups still run, for the part of the contract they
can check: json_validate ignores every other keyword (its description), so
its answer must be jsonschema's on the schema with those keywords taken out
(STRIPPED). Where that answer is also the suite's, the suite's expectation
holds and the test passes; only the tests whose outcome depends on the
missing keyword (DEPENDS, 11 of 39 when written: a patternProperties,
prefixItems or $ref that makes the instance valid) are skipped against the
suite, and the runner checks that exactly those differ.
"""
import json
import os
import pathlib

import pytest

from conftest import ROOT

PEERS = pathlib.Path(os.environ.get("SOPM_PEERS",
                                    ROOT.parent / "shared" / "peers"))
SUITE = PEERS / "JSON-Schema-Test-Suite"
KEYWORDS = ("type", "enum", "const", "required", "properties",
            "additionalProperties", "items", "minItems", "maxItems",
            "minLength", "maxLength", "minimum", "maximum", "pattern")
FILES = tuple(k + ".json" for k in KEYWORDS)
ANNOTATIONS = {"$schema", "$comment"}

# (file, group description): the keywords outside the supported list
SKIPPED = {
    ("additionalProperties.json",
     "additionalProperties being false does not allow other properties"):
        {"patternProperties"},
    ("additionalProperties.json",
     "non-ASCII pattern with additionalProperties"): {"patternProperties"},
    ("additionalProperties.json",
     "additionalProperties does not look in applicators"): {"allOf"},
    ("additionalProperties.json",
     "additionalProperties with propertyNames"): {"propertyNames"},
    ("additionalProperties.json",
     "dependentSchemas with additionalProperties"): {"dependentSchemas"},
    ("items.json", "items and subitems"): {"$defs", "$ref", "prefixItems"},
    ("items.json", "prefixItems with no additional items allowed"):
        {"prefixItems"},
    ("items.json", "items does not look in applicators, valid case"):
        {"allOf", "prefixItems"},
    ("items.json",
     "prefixItems validation adjusts the starting index for items"):
        {"prefixItems"},
    ("items.json", "items with heterogeneous array"): {"prefixItems"},
    ("properties.json",
     "properties, patternProperties, additionalProperties interaction"):
        {"patternProperties"},
}

# The tests of skipped groups whose suite outcome the ignored keyword
# decides: (file, group description, test description).
_PP = "properties, patternProperties, additionalProperties interaction"
_PI = "prefixItems with no additional items allowed"
DEPENDS = {
    ("properties.json", _PP, "patternProperty invalidates property"),
    ("properties.json", _PP, "patternProperty validates nonproperty"),
    ("additionalProperties.json",
     "additionalProperties being false does not allow other properties",
     "patternProperties are not additional properties"),
    ("additionalProperties.json",
     "non-ASCII pattern with additionalProperties",
     "matching the pattern is valid"),
    ("items.json", "items and subitems", "valid items"),
    ("items.json", "items and subitems", "fewer items is valid"),
    ("items.json", _PI, "fewer number of items present (1)"),
    ("items.json", _PI, "fewer number of items present (2)"),
    ("items.json", _PI, "equal number of items present"),
    ("items.json",
     "prefixItems validation adjusts the starting index for items",
     "valid items"),
    ("items.json", "items with heterogeneous array", "valid instance"),
}

# Where a keyword's value holds subschemas: one schema, a list, or a map.
_ONE = {"additionalProperties", "items", "not", "if", "then", "else",
        "contains", "propertyNames", "unevaluatedItems",
        "unevaluatedProperties"}
_LIST = {"allOf", "anyOf", "oneOf", "prefixItems"}
_MAP = {"properties", "patternProperties", "$defs", "dependentSchemas"}


def unsupported(schema):
    """The keywords of schema (walked as a schema) outside the list."""
    out = set()
    if not isinstance(schema, dict):
        return out
    for k, v in schema.items():
        if k not in KEYWORDS and k not in ANNOTATIONS:
            out.add(k)
        if k in _ONE:
            out |= unsupported(v)
        elif k in _LIST and isinstance(v, list):
            for s in v:
                out |= unsupported(s)
        elif k in _MAP and isinstance(v, dict):
            for s in v.values():
                out |= unsupported(s)
    return out


def stripped(schema):
    """schema with every keyword outside the list (and inside the listed
    subschema positions) taken out: what json_validate applies."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k not in KEYWORDS and k not in ANNOTATIONS:
            continue
        if k in ("additionalProperties", "items"):
            v = stripped(v)
        elif k == "properties" and isinstance(v, dict):
            v = {n: stripped(s) for n, s in v.items()}
        out[k] = v
    return out


def _groups():
    if not SUITE.is_dir():  # a missing suite must not pass quietly
        raise RuntimeError("JSON-Schema-Test-Suite not found at %s (set "
                           "SOPM_PEERS)" % SUITE)
    out = []
    for name in FILES:
        path = SUITE / "draft2020-12" / name
        for group in json.loads(path.read_text(encoding="utf-8")):
            out.append((name, group))
    return out


GROUPS = _groups()
CASES = [pytest.param(name, g, t, id="%s-%d-%d" % (name[:-5], gi, ti))
         for gi, (name, g) in enumerate(GROUPS)
         for ti, t in enumerate(g["tests"])]


def test_the_suite_is_all_there():
    """All 14 files, 338 tests when written."""
    assert len(CASES) >= 338


def test_the_skip_rule_finds_exactly_the_listed_groups():
    found = {(name, g["description"]): unsupported(g["schema"])
             for name, g in GROUPS if unsupported(g["schema"])}
    assert found == SKIPPED
    tests = {(name, g["description"], t["description"])
             for name, g in GROUPS for t in g["tests"]}
    assert DEPENDS <= tests and all(d[:2] in SKIPPED for d in DEPENDS)


@pytest.mark.parametrize("name,group,test", CASES)
def test_peer_case(api, name, group, test):
    key = (name, group["description"])
    if key in SKIPPED:
        import jsonschema
        full = jsonschema.Draft202012Validator(group["schema"])
        assert full.is_valid(test["data"]) is test["valid"]
        want = jsonschema.Draft202012Validator(
            stripped(group["schema"])).is_valid(test["data"])
        depends = key + (test["description"],) in DEPENDS
        assert (want is not test["valid"]) is depends, (key, test)
        body = {"function": "json_validate",
                "input": {"schema": group["schema"],
                          "instance": test["data"]}}
        r = api.post("/api/execute", raw=json.dumps(
            body, ensure_ascii=False).encode("utf-8"))
        assert r.status_code == 200, r.text[:500]
        assert r.json()["result"]["valid"] is want, (key, test)
        if depends:
            pytest.skip("decided by %s, outside json_validate's keywords "
                        "(ignored, as jsonschema without it answers)" %
                        ", ".join(sorted(SKIPPED[key])))
        return
    body = {"function": "json_validate",
            "input": {"schema": group["schema"], "instance": test["data"]}}
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    r = api.post("/api/execute", raw=raw)
    assert r.status_code == 200, (group["description"], test["description"],
                                  r.text[:500])
    got = r.json()["result"]
    assert got["valid"] is test["valid"], (
        "%s / %s: got %r" % (group["description"], test["description"], got))
    assert (got["errors"] == []) is got["valid"], got
