"""The Mustache spec (mustache/spec: specs/interpolation.json,
sections.json, inverted.json, beside CATALOG.md in peers/mustache-spec)
against template_render over HTTP: every test renders its template with its
data and must give exactly its expected string.

The comments file of the spec is not in peers/ (the bundle holds the three
files above); the comment cases of its standalone-line rules are the
COMMENTS list below, copied from the spec's specs/comments.json (the 11
tests of mustache/spec at 9944f29ab7cc, and "Variable Name Collision" that
later versions add; checked field by field against both versions of the
file), so that all four files' rules run here, every test of each. None of
these files uses partials, lambdas or delimiter changes, so no case is
skipped.
"""
import json
import os
import pathlib

import pytest

from conftest import ROOT

PEERS = pathlib.Path(os.environ.get("SOPM_PEERS",
                                    ROOT.parent / "shared" / "peers"))
SUITE = PEERS / "mustache-spec"
FILES = ("interpolation.json", "sections.json", "inverted.json")

# specs/comments.json of mustache/spec (name, data, template, expected).
COMMENTS = [
    ("Inline", {}, "12345{{! Comment Block! }}67890", "1234567890"),
    ("Multiline", {},
     "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n",
     "1234567890\n"),
    ("Standalone", {}, "Begin.\n{{! Comment Block! }}\nEnd.\n",
     "Begin.\nEnd.\n"),
    ("Indented Standalone", {},
     "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", "Begin.\nEnd.\n"),
    ("Standalone Line Endings", {}, "|\r\n{{! Standalone Comment }}\r\n|",
     "|\r\n|"),
    ("Standalone Without Previous Line", {},
     "  {{! I'm Still Standalone }}\n!", "!"),
    ("Standalone Without Newline", {}, "!\n  {{! I'm Still Standalone }}",
     "!\n"),
    ("Multiline Standalone", {},
     "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n",
     "Begin.\nEnd.\n"),
    ("Indented Multiline Standalone", {},
     "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n",
     "Begin.\nEnd.\n"),
    ("Indented Inline", {}, "  12 {{! 34 }}\n", "  12 \n"),
    ("Surrounding Whitespace", {}, "12345 {{! Comment Block! }} 67890",
     "12345  67890"),
    ("Variable Name Collision",
     {"! comment": 1, "! comment ": 2, "!comment": 3, "comment": 4},
     "comments never show: >{{! comment }}<", "comments never show: ><"),
]


def _cases():
    if not SUITE.is_dir():  # a missing suite must not pass quietly
        raise RuntimeError("mustache-spec not found at %s (set SOPM_PEERS)"
                           % SUITE)
    out = []
    for name in FILES:
        spec = json.loads((SUITE / name).read_text(encoding="utf-8"))
        for t in spec["tests"]:
            assert not t.get("partials"), (name, t["name"])
            out.append(pytest.param(t["template"], t["data"], t["expected"],
                                    id="%s-%s" % (name[:-5], t["name"])))
    for name, data, template, expected in COMMENTS:
        out.append(pytest.param(template, data, expected,
                                id="comments-%s" % name))
    return out


CASES = _cases()


def test_the_suite_is_all_there():
    """42 + 34 + 22 spec tests when written, and the 12 comment cases."""
    assert len(CASES) >= 110
    assert len(COMMENTS) == 12


@pytest.mark.parametrize("template,data,expected", CASES)
def test_peer_case(api, template, data, expected):
    body = {"function": "template_render",
            "input": {"template": template, "data": data}}
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    r = api.post("/api/execute", raw=raw)
    assert r.status_code == 200, r.text[:500]
    assert r.json()["result"] == expected
