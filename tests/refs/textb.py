"""References of the text functions sentiment, readability, keywords, ngrams,
truncate, wrap, strip_html, detect_language and extract (group textb).

Where CATALOG.md names no reference, each one is a plain Python statement of
the rule that functions/text/<name>.json describes. The data (lexicon, stop
words) is read from the same .inc files the C compiles, so the two cannot
drift; HTML entities come from Python's own html module (the C table is
generated from it by scripts/gen_html5_entities.py).

The input schema of each function is checked here as fn_schema checks it, so
that the invalid inputs that GEN draws have an expected 400 naming the field.
"""
import collections
import html
import json
import os
import re
import sys
import textwrap

from reference import Invalid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TEXT_DIR = os.path.join(ROOT, "functions", "text")


# ---- data and schemas -------------------------------------------------------

def _read(name):
    with open(os.path.join(TEXT_DIR, name), encoding="utf-8") as f:
        return f.read()


def _sorted_unique(words, what):
    b = [w.encode() for w in words]
    assert b == sorted(set(b)), what + ": not sorted by bytes or not unique"


def _lexicon():
    pairs = re.findall(r'^\{"([^"]+)", (-?\d+)\},$', _read(
        "sentiment_lexicon.inc"), re.M)
    _sorted_unique([w for w, _ in pairs], "sentiment_lexicon.inc")
    return {w: int(v) for w, v in pairs}


LANGS = ("en", "es", "fr", "de", "it", "pt", "nl")  # also the tie order


def _stopwords(lang):
    words = re.findall(r'^"([^"]+)",$', _read("stopwords_%s.inc" % lang),
                       re.M)
    _sorted_unique(words, "stopwords_%s.inc" % lang)
    return frozenset(words)


LEXICON = _lexicon()
STOP = {lang: _stopwords(lang) for lang in LANGS}


def _meta(name):
    with open(os.path.join(TEXT_DIR, name + ".json"), encoding="utf-8") as f:
        meta = json.load(f)
    limits = meta.get("limits", {})

    def sub(v):
        if isinstance(v, dict):
            return {k: sub(x) for k, x in v.items()}
        if isinstance(v, list):
            return [sub(x) for x in v]
        if isinstance(v, str) and v.startswith("$limits."):
            return limits[v[len("$limits."):]]
        return v
    return sub(meta["input_schema"]), limits


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: (isinstance(v, (int, float))
                         and not isinstance(v, bool)),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "boolean": lambda v: isinstance(v, bool),
}


def _validate(schema, v, path):
    """fn_schema's checks, in its order, for the keywords used here."""
    name = path or "input"
    if "type" in schema and not _TYPES[schema["type"]](v):
        raise Invalid(name)
    if "enum" in schema and v not in schema["enum"]:
        raise Invalid(name)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v < schema.get("minimum", v) or v > schema.get("maximum", v):
            raise Invalid(name)
    if isinstance(v, str) and not (schema.get("minLength", 0) <= len(v)
                                   <= schema.get("maxLength", len(v))):
        raise Invalid(name)
    if isinstance(v, list) and not (schema.get("minItems", 0) <= len(v)
                                    <= schema.get("maxItems", len(v))):
        raise Invalid(name)
    if isinstance(v, dict):
        for r in schema.get("required", []):
            if r not in v:
                raise Invalid((path + "." if path else "") + r)
        props = schema.get("properties", {})
        for k, x in v.items():
            p = (path + "." if path else "") + k
            if k in props:
                _validate(props[k], x, p)
            elif schema.get("additionalProperties") is False:
                raise Invalid(p)
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            _validate(schema["items"], x, "%s[%d]" % (path, i))


def _checked(name):
    def wrap(fn):
        def ref(d):
            schema, _ = _meta(name)
            _validate(schema, d, "")
            return fn(d)
        ref.__name__ = name
        return ref
    return wrap


def _words(text):
    return re.findall(r"\w+", text.lower())


# ---- the references ---------------------------------------------------------

@_checked("sentiment")
def sentiment(d):
    words = _words(d["text"])
    score, pos, neg = 0, [], []
    for w in words:
        v = LEXICON.get(w)
        if v is not None:
            score += v
            (pos if v > 0 else neg).append(w)
    return {"score": score,
            "comparative": score / len(words) if words else 0.0,
            "label": ("positive" if score > 0 else
                      "negative" if score < 0 else "neutral"),
            "positive": pos, "negative": neg}


def _syllables(w):
    n = len(re.findall("[aeiouy]+", w))
    if n > 1 and w.endswith("e") and not w.endswith("le"):
        n -= 1
    return max(n, 1)


@_checked("readability")
def readability(d):
    t = d["text"]
    words = _words(t)
    sentences = sum(1 for s in re.split(r"[.!?]+", t) if re.search(r"\w", s))
    syl = sum(map(_syllables, words))
    if not words:
        return {"flesch_reading_ease": 0.0, "flesch_kincaid_grade": 0.0,
                "sentences": sentences, "words": 0, "syllables": 0}
    sentences = max(sentences, 1)
    wps = len(words) / sentences
    spw = syl / len(words)
    return {"flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
            "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
            "sentences": sentences, "words": len(words), "syllables": syl}


@_checked("keywords")
def keywords(d):
    words = [w for w in _words(d["text"]) if w not in STOP["en"]]
    return [list(x) for x in
            collections.Counter(words).most_common(d.get("top", 10))]


@_checked("ngrams")
def ngrams(d):
    t, n = d["text"], d.get("n", 2)
    if d.get("unit", "word") == "word":
        w = _words(t)
        grams = [" ".join(w[i:i + n]) for i in range(len(w) - n + 1)]
    else:
        grams = [t[i:i + n] for i in range(len(t) - n + 1)]
    return [list(x) for x in collections.Counter(grams).most_common()]


@_checked("truncate")
def truncate(d):
    t, length, suffix = d["text"], d["length"], d.get("suffix", "…")
    if len(t) <= length:
        return t
    if length < len(suffix):
        return t[:length]
    b = length - len(suffix)
    ends = [i for i in range(1, b + 1)
            if t[i].isspace() and not t[i - 1].isspace()]
    return t[:ends[-1] if ends else b] + suffix


@_checked("wrap")
def wrap(d):
    return textwrap.fill(d["text"], d.get("width", 70))


# strip_html: a plain scanner of the rules in strip_html.json.
_TAG_WS = "\t\n\f\r "


def _tag_end(s, i, quoted):
    """The index past the '>' that closes a tag whose rest starts at i (or
    len(s)). quoted: a quote after '=' (and whitespace) opens a value that
    runs to the same quote, and may hold '>'."""
    after_eq, n = False, len(s)
    while i < n:
        c = s[i]
        if c == ">":
            return i + 1
        if quoted and after_eq and c in "\"'":
            j = s.find(c, i + 1)
            if j < 0:
                return n
            i, after_eq = j + 1, False
            continue
        if c == "=":
            after_eq = True
        elif c not in _TAG_WS:
            after_eq = False
        i += 1
    return n


def _named(s, i, name):
    """s[i:] starts with name (ASCII letters in any case), then whitespace,
    '/', '>' or the end."""
    x = s[i:i + len(name)]
    return (x.isascii() and x.lower() == name and
            (i + len(name) == len(s) or s[i + len(name)] in _TAG_WS + "/>"))


def _markup_end(s, i):
    """The end of the construct that starts with the '<' at s[i], or None
    when this '<' is text."""
    if s.startswith("<!--", i):
        j = s.find("-->", i + 4)
        return len(s) if j < 0 else j + 3
    for name in ("script", "style"):
        if _named(s, i + 1, name):
            j = _tag_end(s, i + 1 + len(name), True)
            while j < len(s):
                if s.startswith("</", j) and _named(s, j + 2, name):
                    return _tag_end(s, j + 2 + len(name), False)
                j += 1
            return len(s)
    c = s[i + 1:i + 2]
    if c.isascii() and c.isalpha():
        return _tag_end(s, i + 2, True)
    if c and c in "/!?":
        return _tag_end(s, i + 2, False)
    return None


def _unescape(s):
    """html.unescape(s), also for a numeric reference of more than 4300
    digits (which Python 3.11 refuses to convert: it is out of range)."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return html.unescape(s)
    finally:
        sys.set_int_max_str_digits(old)


@_checked("strip_html")
def strip_html(d):
    s, out, pos, i = d["html"], [], 0, 0
    while True:
        i = s.find("<", i)
        if i < 0:
            break
        end = _markup_end(s, i)
        if end is None:
            i += 1
            continue
        out.append(_unescape(s[pos:i]))
        pos = i = end
    out.append(_unescape(s[pos:]))
    return "".join(out)


DETECT_MIN_SHARE = 0.1


@_checked("detect_language")
def detect_language(d):
    words = _words(d["text"])
    if not words:
        return {"language": "unknown", "confidence": 0.0}
    counts = [sum(1 for w in words if w in STOP[lang]) for lang in LANGS]
    best = max(range(len(LANGS)), key=lambda i: (counts[i], -i))
    share = counts[best] / len(words)
    return {"language": LANGS[best] if share >= DETECT_MIN_SHARE
            else "unknown", "confidence": share}


_URL_OUT = (r"\x00-\x20\x7f-\xa0<>\"'`\u1680\u2000-\u200b\u2028\u2029"
            r"\u202f\u205f\u3000\ufeff")
EXTRACT = {
    "emails": r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@"
              r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}",
    "urls": r"(?<![A-Za-z0-9])https?://[^%s]*[^%s.,;:!?)\]}]" % (
        _URL_OUT, _URL_OUT),
    "hashtags": r"(?<![\w#])#\w*[^\W\d]\w*",
    "mentions": r"(?<![\w@])@\w+",
    "numbers": r"(?<![\w.])[-+]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
               r"(?:[eE][-+]?[0-9]+)?(?!\w)",
}


@_checked("extract")
def extract(d):
    return {k: re.findall(EXTRACT[k], d["text"]) for k in d["kinds"]}


REFS = {f.__name__: f for f in (sentiment, readability, keywords, ngrams,
                                  truncate, wrap, strip_html, detect_language,
                                  extract)}


# ---- generated and hand-picked inputs ---------------------------------------

_WORDS = (
    "the a of and to in is it that was he for on are as with his they I at "
    "be this have from good bad love hate happy sad great terrible not very "
    "awesome worst best nice day table make free little simple readable "
    "el la de que y en los se del las un por con una para es "
    "le les des et est pas vous dans ce qui une sur au "
    "der die und ist nicht das ein ich mit sie zu den über für "
    "il che di è non per una sono della con più "
    "o os não uma com para você também é muito "
    "het een van en is niet dat je op zijn met "
    "Straße İstanbul İSTANBUL café CAFÉ naïve Σίσυφος ΟΔΟΣ ǅemal ﬁve ½ ٣ Ⅻ "
    "日本語 中文 한국어 😀 👍🏽 x1 _ __init__ snake_case e\u0301 "
    "well-known e-mail co-op self--aware -- --- - ---x a-b-c "
    "3.14 42 -7 +1e5 .5 1,000 1.2.3 ٣٤ "
    "user@example.com A.B+c@sub.example.org bad@x x@y.c0m "
    "https://example.org/path?q=1. http://x.y/(a) https://é.fr/ü, "
    "#tag #123 #t1 ##x #ü @bob @_x a@b @ # "
    "Hello WORLD Good. Bad! Why? Mr. e.g. ..."
).split()
_SEPS = (" ", " ", " ", " ", "  ", "\n", "\t", ". ", "! ", "? ", ", ", ";",
         "\u00a0", "\u3000", "\x1c", "\u2028", "\r\n", "", "-", "—", "...",
         "\x85", "\x0b", "\f", " \t ", "\u200b", "\x00")


def _text(r, maxw=40):
    out = []
    for _ in range(r.randint(0, maxw)):
        out.append(r.choice(_WORDS))
        out.append(r.choice(_SEPS))
    return "".join(out)


def _lang_text(r):
    lang = r.choice(LANGS)
    pool = sorted(STOP[lang]) + ["casa", "Haus", "maison", "house", "ciao",
                                 "obrigado", "fiets", "😀", "42"]
    return " ".join(r.choice(pool) for _ in range(r.randint(0, 30)))


def _invalid(r, good, field, bad_values):
    """Mostly good; sometimes a bad value of field, a missing required
    field, or an unknown member."""
    x = r.random()
    if x < 0.06:
        d = dict(good)
        d[field] = r.choice(bad_values)
        return d
    if x < 0.08:
        d = dict(good)
        d["extra"] = 1
        return d
    if x < 0.1:
        return {}
    return good


_BAD_TEXT = [None, 5, ["a"], {"a": 1}, True]


def _gen_text_only(field="text"):
    def gen(r):
        return _invalid(r, {field: _text(r)}, field, _BAD_TEXT)
    return gen


def _gen_keywords(r):
    d = {"text": _text(r, 60)}
    if r.random() < 0.7:
        d["top"] = r.choice([1, 2, 3, 5, 10, 1000, r.randint(1, 30)])
    return _invalid(r, d, "top", [0, -1, 1001, 2.5, "3"])


def _gen_ngrams(r):
    d = {"text": _text(r, 25)}
    if r.random() < 0.8:
        d["n"] = r.choice([1, 2, 3, 4, 10, r.randint(1, 10)])
    if r.random() < 0.7:
        d["unit"] = r.choice(["word", "char"])
    return _invalid(r, d, r.choice(["n", "unit"]), [0, 11, -2, "word2",
                                                    "chars", 1.5])


def _gen_truncate(r):
    t = _text(r, 20)
    d = {"text": t, "length": r.choice([0, 1, 2, 3, 5, 10, 20, 40,
                                        r.randint(0, len(t) + 2)])}
    if r.random() < 0.6:
        d["suffix"] = r.choice(["", "...", "…", " [more]", "😀", "ab"])
    return _invalid(r, d, r.choice(["length", "suffix"]),
                    [-1, 100001, 1.5, None, "x" * 101])


def _gen_wrap(r):
    x = r.random()
    if x < 0.3:  # hyphens, dashes and punctuation that wordsep_re splits
        parts = ["well-known", "a-b", "-x", "x-", "--", "---", "a--b",
                 "self-aware,", "ab-cd-ef", "1-2", "é-ü", "x.--y", "!--a",
                 "_-_", "Ⅻ-½", "a-", "co-op-er-ate", "-----", "word",
                 "supercalifragilisticexpialidocious",
                 "long-hyphenated-word-that-goes-on", "\u3000", "\x1c",
                 "\u3000\u3000\u3000", "\x85\u2028", "\u3000x\u3000"]
        t = "".join(r.choice(parts) + r.choice(_SEPS) for _ in
                    range(r.randint(0, 30)))
    else:
        t = _text(r, 50)
    d = {"text": t}
    if r.random() < 0.85:
        d["width"] = r.choice([1, 2, 3, 4, 5, 7, 10, 12, 20, 70,
                               r.randint(1, 40)])
    return _invalid(r, d, "width", [0, -5, 10001, 2.5, "70"])


_HTML_PARTS = [
    "<p>", "</p>", "<b class=\"x\">", "</b>", "<br/>", "<!-- note -->",
    "<!--", "-->", "<script>var a = '<b>';</script>", "<SCRIPT src=x>",
    "</script >", "<style>p{}</style>", "<styles>", "<scripts>x",
    "<!DOCTYPE html>", "<?xml ?>", "< p>", "a < b", "x<3", "<", ">",
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&copy",
    "&copyx", "&notit;", "&notin;", "&#233;", "&#x1F600;", "&#X41",
    "&#0;", "&#13;", "&#128;", "&#150;", "&#xD800;", "&#1114112;",
    "&#99999999999999999999;", "&#x;", "&#;", "&;", "&", "&&amp;",
    "&AElig", "&ampamp;", "&Aacute", "&aacute;", "&lt", "&fjlig;",
    "&NotNestedGreaterGreater;", "&ThickSpace;", "&#x7f;", "&#1;",
    "&#xFFFE;", "&#xfdd0;", "&#65", "&ſcript", "<ſcript>x</ſcript>",
    "<sCrIpT>1<2</ScRiPt>", "<style\n>", "</style\tx>", "</scriptx>",
    "text", "Straße", "😀", "İ", "\n", "  ", "\t", "é", "ü",
    "<a href='x>y'>", "<img src=x/>", "</>", "<!>", "<!---->",
    "<a title=\"x>y\">", "<p class = 'a>b' id=c>", "<b a\"b>c>", "<i x=\"",
    "<script a=\"</script>\">in</script>", "</p a='>'>", "<a b=>c>",
    "<a b==\">\">", "<a\nhref=\n'>'>",
]


def _gen_strip_html(r):
    t = "".join(r.choice(_HTML_PARTS + _WORDS) for _ in
                range(r.randint(0, 30)))
    return _invalid(r, {"html": t}, "html", _BAD_TEXT)


def _gen_detect(r):
    t = _lang_text(r) if r.random() < 0.6 else _text(r)
    return _invalid(r, {"text": t}, "text", _BAD_TEXT)


_KINDS = ["emails", "urls", "hashtags", "mentions", "numbers"]


def _gen_extract(r):
    kinds = r.sample(_KINDS, r.randint(0, 5))
    if r.random() < 0.1 and kinds:
        kinds.append(kinds[0])
        kinds = kinds[:5]
    d = {"text": _text(r, 40), "kinds": kinds}
    return _invalid(r, d, "kinds", [["email"], "urls", [1], None,
                                    _KINDS + ["urls"]])


GEN = {
    "sentiment": _gen_text_only(),
    "readability": _gen_text_only(),
    "keywords": _gen_keywords,
    "ngrams": _gen_ngrams,
    "truncate": _gen_truncate,
    "wrap": _gen_wrap,
    "strip_html": _gen_strip_html,
    "detect_language": _gen_detect,
    "extract": _gen_extract,
}

_UNI = [
    "", " ", "\n", "İstanbul İSTANBUL", "Straße STRASSE ẞ ß",
    "e\u0301 café", "😀👍🏽 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010ffff", "ΟΔΟΣ Σ ΑΣ'Α",
    "中文，日本語。한국어!", "a\u0000b", "\u3000\u2028\x1c\x85",
]
_TEXT_MAX = 100000


def _limits(name, field="text", extra=None):
    base = dict(extra or {})
    return [dict(base, **{field: "a " * (_TEXT_MAX // 2)}),
            dict(base, **{field: "é" * (_TEXT_MAX + 1)}),
            dict(base, **{field: "😀" * _TEXT_MAX})]


EDGE = {
    "sentiment": [{"text": t} for t in _UNI] + [
        {"text": "I love it. Not bad, not good: GOOD! good"},
        {"text": "hate hate love"}, {"text": "love hate"},
        {"text": "superb outstanding thrilled"},
        {"text": "LOVE Love lOvE loves loved"}, {},
        {"text": 1}, {"text": "x", "lang": "en"},
    ] + _limits("sentiment"),
    "readability": [{"text": t} for t in _UNI] + [
        {"text": "The cat sat on the mat. The dog ate the table!"},
        {"text": "Hello... world?! Yes."}, {"text": "..."},
        {"text": "3.14 is pi. e.g. this"}, {"text": "make the free simple"},
        {"text": "rhythm myth fly"}, {"text": "İ."}, {},
    ] + _limits("readability"),
    "keywords": [{"text": t} for t in _UNI] + [
        {"text": "the cat and the hat and the bat cat hat", "top": 2},
        {"text": "b a b a c", "top": 1}, {"text": "a b c", "top": 1000},
        {"text": "x", "top": 0}, {"text": "x", "top": 1001},
        {"text": "x", "top": 2.0}, {"text": "THE The the café CAFÉ"},
        {"text": "a " * 50000 + "z", "top": 1000},
    ] + _limits("keywords"),
    "ngrams": [{"text": t} for t in _UNI] + [
        {"text": t, "unit": "char", "n": n} for t in _UNI[3:8]
        for n in (1, 2, 3)] + [
        {"text": "a b a b a", "n": 2}, {"text": "a b", "n": 3},
        {"text": "a b", "n": 1}, {"text": "abc", "unit": "char", "n": 3},
        {"text": "abc", "unit": "char", "n": 4},
        {"text": "ab", "unit": "char", "n": 10}, {"text": "x", "n": 11},
        {"text": "x", "n": 0}, {"text": "x", "unit": "letter"},
        {"text": "ab " * 6667, "n": 10}, {"text": "é" * 20000, "unit": "char",
                                          "n": 10},
        {"text": "x" * 20001}, {"text": "İİ İ", "unit": "char", "n": 2},
    ],
    "truncate": [{"text": t, "length": n} for t in _UNI
                 for n in (0, 1, 3, 5)] + [
        {"text": "Hello world, again", "length": 12},
        {"text": "Hello world, again", "length": 11},
        {"text": "Hello world, again", "length": 13, "suffix": "..."},
        {"text": "Hello world", "length": 11},
        {"text": "Helloworld!", "length": 5},
        {"text": "  leading", "length": 4},
        {"text": "a\u3000b\u3000c", "length": 4},
        {"text": "a\u200bb c", "length": 4},
        {"text": "ab cd", "length": 2, "suffix": "..."},
        {"text": "ab cd", "length": 3, "suffix": "..."},
        {"text": "😀😀 😀😀", "length": 4, "suffix": "😀"},
        {"text": "x", "length": -1}, {"text": "x", "length": 100001},
        {"text": "x", "length": 1, "suffix": "y" * 101},
        {"text": "x", "length": 1, "suffix": "y" * 100},
        {"text": "a " * 50000, "length": 100000},
        {"text": "a " * 50000, "length": 99999},
        {"text": "é" * 100001, "length": 1},
        {"text": "x"},
    ],
    "wrap": [{"text": t} for t in _UNI] + [
        {"text": t, "width": w} for t in _UNI for w in (1, 2, 5)] + [
        {"text": "The quick brown fox jumps over the lazy dog", "width": 10},
        {"text": "well-known self--aware co-op-er-ate", "width": 6},
        {"text": "a\tb\t\tc", "width": 8}, {"text": "a\tb\n\tc", "width": 3},
        {"text": "x" * 25, "width": 7}, {"text": "--x---y--", "width": 3},
        {"text": "a " + " " * 30 + "b", "width": 4},
        {"text": "\u3000\u3000 a \u3000 b", "width": 2},
        {"text": "x", "width": 0}, {"text": "x", "width": 10001},
        {"text": "x", "width": 10000},
        {"text": "ab-cd " * 16666, "width": 1},
    ] + _limits("wrap"),
    "strip_html": [{"html": t} for t in _UNI + _HTML_PARTS] + [
        {"html": "<p>Hello <b>world</b> &amp; friends</p>"},
        {"html": "a<script>x</script>b<style>y</style>c<!-- z -->d"},
        {"html": "<script>unterminated"}, {"html": "<!-- unterminated"},
        {"html": "&amp;lt; &lt;&gt &#x3C;b&#62;"},
        {"html": "&" + "a" * 40 + ";"},
        {"text": "x"}, {},
    ] + _limits("strip_html", "html"),
    "detect_language": [{"text": t} for t in _UNI] + [
        {"text": "the cat is on the table"},
        {"text": "el gato está en la mesa"},
        {"text": "le chat est sur la table"},
        {"text": "die Katze ist auf dem Tisch"},
        {"text": "il gatto è sul tavolo"},
        {"text": "o gato está na mesa"},
        {"text": "de kat is op de tafel"},
        {"text": "de"}, {"text": "a"}, {"text": "la"},
        {"text": "x y z w v u t s r the"},
        {"text": "x y z w v u t s r q the"},
        {"text": "ÜBER Über"}, {},
    ] + _limits("detect_language"),
    "extract": [{"text": t, "kinds": _KINDS} for t in _UNI] + [
        {"text": "Mail a.b+c@ex-ample.co.uk or x@y.z, see "
                 "https://example.org/a?b=1. and http://x.y/(z)! "
                 "#tag #1 #a1 @bob @@x a@b -3.5 +2 1e10 .5 1.2.3 4kg",
         "kinds": _KINDS},
        {"text": "x", "kinds": []}, {"text": "x", "kinds": ["urls", "urls"]},
        {"text": "x", "kinds": ["email"]}, {"text": "x"},
        {"text": "x", "kinds": _KINDS + ["urls"]},
        {"text": "#ü٣ #٣ @é ٣.٥ ½", "kinds": _KINDS},
        {"text": "a" * 100000, "kinds": _KINDS},
        {"text": "1" * 99999 + "a", "kinds": _KINDS},
        {"text": "@" * 100000, "kinds": _KINDS},
    ] + _limits("extract", extra={"kinds": _KINDS}),
}
