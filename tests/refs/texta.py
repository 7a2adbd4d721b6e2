"""References of the text functions char_frequency, tokenize,
sentence_split, case_convert, reverse, palindrome, levenshtein, similarity
and soundex (group texta), with their random and edge-case inputs, and the
random and edge-case inputs of word_count and slugify (whose references are
in tests/reference.py).

Each reference first checks its input as the declared input_schema does
(required members, then each member in order: allowed, type, enum,
maxLength), raising Invalid(field) where the server answers 400."""
import collections
import difflib
import re
import unicodedata

from reference import Invalid

TEXT_MAX = 1000000
LEV_LENGTH_MAX, LEV_CELLS_MAX = 100000, 25000000
SIM_LENGTH_MAX, SIM_RATIO_CELLS_MAX = 1000000, 4000000
CASES = ["upper", "lower", "title", "snake", "camel", "kebab", "pascal"]


def _check(d, required, props):
    """props: {name: ("string", maxLength or None, enum or None) |
    ("boolean",)}."""
    for k in required:
        if k not in d:
            raise Invalid(k)
    for k, v in d.items():
        if k not in props:
            raise Invalid(k)
        spec = props[k]
        if spec[0] == "boolean":
            if not isinstance(v, bool):
                raise Invalid(k)
            continue
        if not isinstance(v, str):
            raise Invalid(k)
        if spec[2] is not None and v not in spec[2]:
            raise Invalid(k)
        if spec[1] is not None and len(v) > spec[1]:
            raise Invalid(k)


def _text(d, **extra):
    props = {"text": ("string", TEXT_MAX, None)}
    props.update(extra)
    _check(d, ["text"], props)
    return d["text"]


BOOL = ("boolean",)


# ---- references -------------------------------------------------------------

def char_frequency(d):
    t = _text(d, ignore_case=BOOL)
    if d.get("ignore_case", False):
        t = t.lower()
    return dict(collections.Counter(t))


def tokenize(d):
    t = _text(d, lowercase=BOOL)
    if d.get("lowercase", False):
        t = t.lower()
    return re.findall(r"\w+", t)


def sentence_split(d):
    t = _text(d)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]


def _is_mark(c):
    return unicodedata.category(c)[0] == "M"


def _in_word(c):
    return c.isalnum() or _is_mark(c)


def case_words(t):
    """The words of the identifier styles (see case_convert.json)."""
    out, i, n = [], 0, len(t)
    while i < n:
        if not _in_word(t[i]):
            i += 1
            continue
        j = i
        while j < n and _in_word(t[j]):
            j += 1
        run, start = t[i:j], 0
        base = [k for k, c in enumerate(run) if not _is_mark(c)]
        for x in range(1, len(base)):
            k, c, p = base[x], run[base[x]], run[base[x - 1]]
            nx = run[base[x + 1]] if x + 1 < len(base) else ""
            if c.isupper() and (p.islower() or p.isdigit() or
                                (p.isupper() and nx.islower())):
                out.append(run[start:k])
                start = k
        out.append(run[start:])
        i = j
    return out


def case_convert(d):
    _check(d, ["text", "to"], {"text": ("string", TEXT_MAX, None),
                               "to": ("string", None, CASES)})
    t, to = d["text"], d["to"]
    if to in ("upper", "lower", "title"):
        return getattr(t, to)()
    w = case_words(t)
    if to == "snake":
        return "_".join(x.lower() for x in w)
    if to == "kebab":
        return "-".join(x.lower() for x in w)
    if to == "camel":
        return "".join([x.lower() for x in w[:1]] +
                       [x.capitalize() for x in w[1:]])
    return "".join(x.capitalize() for x in w)


def reverse(d):
    return _text(d)[::-1]


def palindrome(d):
    norm = "".join(c for c in _text(d).casefold() if c.isalnum())
    return {"palindrome": norm == norm[::-1], "normalized": norm}


def _pair(d, length_max, cells_max, extra=None):
    props = {"a": ("string", length_max, None),
             "b": ("string", length_max, None)}
    props.update(extra or {})
    _check(d, ["a", "b"], props)
    a, b = d["a"], d["b"]
    if cells_max is not None and len(a) * len(b) > cells_max:
        raise Invalid("a")  # the message names 'a' and 'b'
    return a, b


def levenshtein(d):
    a, b = _pair(d, LEV_LENGTH_MAX, LEV_CELLS_MAX)
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1,
                           prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def similarity(d):
    extra = {"method": ("string", None, ["ratio", "jaccard"])}
    _check(d, ["a", "b"], {"a": ("string", SIM_LENGTH_MAX, None),
                           "b": ("string", SIM_LENGTH_MAX, None), **extra})
    if d.get("method", "ratio") == "jaccard":
        x = set(re.findall(r"\w+", d["a"]))
        y = set(re.findall(r"\w+", d["b"]))
        return len(x & y) / len(x | y) if x | y else 1.0
    a, b = _pair(d, SIM_LENGTH_MAX, SIM_RATIO_CELLS_MAX, extra)
    return difflib.SequenceMatcher(None, a, b).ratio()


_SOUNDEX = {}
for _letters, _digit in (("AEIOUY", "0"), ("HW", ""), ("BFPV", "1"),
                         ("CGJKQSXZ", "2"), ("DT", "3"), ("L", "4"),
                         ("MN", "5"), ("R", "6")):
    for _c in _letters:
        _SOUNDEX[_c] = _digit


def soundex(d):
    s = [c for c in unicodedata.normalize("NFKD", _text(d).upper())
         if "A" <= c <= "Z"]
    if not s:
        return ""
    code, last = s[0], _SOUNDEX[s[0]] or "0"
    for c in s[1:]:
        digit = _SOUNDEX[c]
        if digit == "":  # H and W do not separate equal digits
            continue
        if digit != "0" and digit != last:
            code += digit
        last = digit
    return (code + "000")[:4]


# word_count and slugify: their references are in tests/reference.py; only
# their random and edge-case inputs are here.
REFS = {
    "char_frequency": char_frequency, "tokenize": tokenize,
    "sentence_split": sentence_split, "case_convert": case_convert,
    "reverse": reverse, "palindrome": palindrome,
    "levenshtein": levenshtein, "similarity": similarity,
    "soundex": soundex,
}


# ---- random inputs -----------------------------------------------------------

# Fragments that stress code points: combining marks, astral letters (with
# case: Deseret), length-changing case mappings, final sigma, ligatures,
# titlecase digraphs, Unicode whitespace and line breaks, numerics.
PIECES = [
    "hello", "World", "straße", "STRASSE", "ẞ", "İstanbul", "ı", "ﬁne",
    "ﬀ", "ΟΔΟΣ", "Σ", "σ", "ς", "ὈΔΥΣΣΕΎΣ", "ΣΑΣ.", "e\u0301", "cafe\u0301",
    "Ame\u0301lie", "\u0345", "ǅemal", "Ǆ", "ǆ", "ŉ", "ΐ", "ǰ", "😀", "👍🏽",
    "👨‍👩‍👧", "🇫🇷", "𐐀𐐨", "𝔘𝔫𝔦", "𝟘𝟙", "中文", "日本語", "한국어", "עברית",
    "مرحبا", "٣٤", "½", "²", "Ⅻ", "ⅻ", "〇", "snake_case", "kebab-case",
    "camelCase", "PascalCase", "XMLHttpRequest", "v2Beta", "HTML5Parser",
    "iOS", "ABC", "x", "Q", "42", "3.14", "_", "__init__", "-", "--", "'",
    "don't", ".", "!", "?", "?!", "...", "…", ",", ";", ":", "\"", "(", ")",
    "\u0000", "\ufeff", "\u200b", "\u00ad", "Robert", "Rupert", "Ashcraft",
    "Tymczak", "Pfister", "Honeyman", "Müller", "Lloyd", "Wright",
]
SPACES = [" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003",
          "\u2028", "\u3000", "\x1c", "\x85", "\x0b", ""]


def rand_text(r, lo=0, hi=20):
    n = r.randint(lo, hi)
    return "".join(r.choice(PIECES) + r.choice(SPACES) for _ in range(n))


def rand_chars(r, alphabet, lo, hi):
    return "".join(r.choice(alphabet) for _ in range(r.randint(lo, hi)))


BAD_VALUES = [None, 5, 1.5, True, [], {}, ["a"]]


def maybe_bad(r, d, fields):
    """d, or one time in ten a copy with a fault the schema rejects."""
    if r.random() >= 0.1:
        return d
    d = dict(d)
    kind = r.randrange(3)
    if kind == 0:
        d.pop(r.choice(list(d)), None)
    elif kind == 1:
        d[r.choice(fields)] = r.choice(BAD_VALUES + ["nope"])
    else:
        d[r.choice(["extra", "Text", "TEXT", "t\u00e9xt"])] = "x"
    return d


def gen_text_only(r):
    return maybe_bad(r, {"text": rand_text(r)}, ["text"])


def gen_char_frequency(r):
    d = {"text": rand_text(r)}
    if r.random() < 0.7:
        d["ignore_case"] = r.random() < 0.6
    return maybe_bad(r, d, ["text", "ignore_case"])


def gen_tokenize(r):
    d = {"text": rand_text(r)}
    if r.random() < 0.7:
        d["lowercase"] = r.random() < 0.6
    return maybe_bad(r, d, ["text", "lowercase"])


def gen_case_convert(r):
    d = {"text": rand_text(r, 0, 8), "to": r.choice(CASES)}
    return maybe_bad(r, d, ["text", "to"])


ALPHABETS = ["ab", "abc", "acgt", "aé\u0301😀", "ßSsİi\u0307",
             "abcdefghij", "ΣσςΑα ", "xyz "]


def rand_pair(r, hi):
    if r.random() < 0.3:
        return rand_text(r, 0, 4), rand_text(r, 0, 4)
    al = r.choice(ALPHABETS)
    return rand_chars(r, al, 0, hi), rand_chars(r, al, 0, hi)


def gen_levenshtein(r):
    a, b = rand_pair(r, 60)
    d = maybe_bad(r, {"a": a, "b": b}, ["a", "b"])
    if r.random() < 0.03:
        d = {"a": "x" * 5001, "b": "y" * 5000}  # over cells_max
    return d


def gen_similarity(r):
    a, b = rand_pair(r, 450 if r.random() < 0.3 else 60)
    d = {"a": a, "b": b}
    if r.random() < 0.7:
        d["method"] = r.choice(["ratio", "jaccard"])
    if d.get("method") == "jaccard" and r.random() < 0.7:
        d["a"], d["b"] = rand_text(r), rand_text(r)
    d = maybe_bad(r, d, ["a", "b", "method"])
    if r.random() < 0.03:
        d = {"a": "x" * 2001, "b": "y" * 2000}  # over ratio_cells_max
    return d


def gen_word_count(r):
    return maybe_bad(r, {"text": rand_text(r, 0, 40)}, ["text"])


SEPARATORS = ["-", "_", "", "--", " ", ".", "\u00e9", "\U0001f600", "-" * 16,
              "\u00e9" * 16]


def gen_slugify(r):
    d = {"text": rand_text(r)}
    if r.random() < 0.6:
        d["separator"] = r.choice(SEPARATORS)
    d = maybe_bad(r, d, ["text", "separator"])
    if r.random() < 0.03:
        d = dict(d, separator="-" * 17)  # over maxLength
    return d


GEN = {
    "word_count": gen_word_count, "slugify": gen_slugify,
    "char_frequency": gen_char_frequency, "tokenize": gen_tokenize,
    "sentence_split": gen_text_only, "case_convert": gen_case_convert,
    "reverse": gen_text_only, "palindrome": gen_text_only,
    "levenshtein": gen_levenshtein, "similarity": gen_similarity,
    "soundex": gen_text_only,
}


# ---- edge cases ----------------------------------------------------------------

UNI = [
    "", " ", "\u0000", "a\u0000b", "ß", "ẞ", "İ", "ı", "ﬁ", "ﬃ", "ŉ", "ΐ",
    "ΟΔΟΣ", "ΣΑΣ Σ ΑΣ\u0345. ΑΣʰ ΑΣ'Α", "ὈΔΥΣΣΕΎΣ", "e\u0301", "\u0301e",
    "😀👍🏽", "👨‍👩‍👧 🇫🇷", "𐐀𐐨𐐀", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ǅemal ǆ ǄEMAL",
    "İstanbul ISTANBUL ıi", "Straße STRASSE straße", "中文，中文。日本語",
    "\ud7ff\ue000\uffff\U0010ffff", "a\u2028b\u2029c\x1cd\x85e",
]
TOO_LONG = "a" * (TEXT_MAX + 1)
AT_LIMIT = "ab" * (TEXT_MAX // 2)


def _bad_text(extra_ok=None):
    base = [{}, {"text": None}, {"text": 5}, {"text": ["a"]},
            {"text": "a", "extra": 1}, {"text": TOO_LONG}]
    return base + [dict({"text": "a"}, **e) for e in (extra_ok or [])]


# Every code point but the surrogates, '|' between them (\\w, case and line
# breaks one by one), in pieces that fit the 1 MiB request body as UTF-8.
_CPS = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
ALL_CPS = ["|".join(_CPS[i:i + 180000]) for i in range(0, len(_CPS), 180000)]
LINE_BREAKS = "a\nb\rc\r\nd\x0be\x0cf\x1cg\x1dh\x1ei\x85j\u2028k\u2029l\x1fm\n"

EDGE = {
    "word_count": [{"text": t} for t in UNI + ALL_CPS] + [
        {"text": t} for t in [
            LINE_BREAKS, "\n", "\r\n", "\r\r\n", "\n\n", "a\n", "a\n\nb",
            "\n\r",
            "İ İİ ΣΑΣ ẞ ß SS ﬁ FI", "b a b a c", "k j i h g f e d c b a a",
            "The the THE tHe", "snake_case __x__ 12 ½ ² ٣ Ⅻ 〇 don't e-mail",
            "cafe\u0301 na\u0308ive Ame\u0301lie", "a\u00a0b\u3000c\u200bd",
            AT_LIMIT,
        ]] + _bad_text([{"separator": "-"}]),
    "slugify": [{"text": t} for t in UNI + ALL_CPS] + [
        {"text": t, "separator": sep} for t in [
            "Crème Brûlée", "ﬁ ½ ² Ⅻ ㎏ ℌ ① ｆｕｌｌ \ufdfa", "ǅemal ǄEMAL",
            "İstanbul", "Straße ẞ Øre Æble Łódź", "ŉ ΐ ǰ", "e\u0301\u0301",
            "  --Hello--World--  ", "___", "a_b-c.d e", "Ünïcödé 😀 中文",
            "ONE two 3 four5 6six", "ab" * 500000,
        ] for sep in ["-", "", "_", "😀", "--", "-" * 16]] + [
        {"text": "a b"}, {"text": "a b", "separator": "é" * 16},
        {"text": "a b", "separator": "-" * 17},
        {"text": "a", "separator": None},
        {"text": "a", "separator": 5}, {"text": "a", "separator": ["-"]},
    ] + _bad_text(),
    "char_frequency": [{"text": t} for t in UNI] + [
        {"text": t, "ignore_case": True} for t in UNI] + [
        {"text": "ΣΑΣ Σσς", "ignore_case": True},
        {"text": "İi\u0307I", "ignore_case": True},
        {"text": "ﬁ FI fi", "ignore_case": False},
        {"text": "bba\u0000a\u0000"},
        {"text": AT_LIMIT},
        {"text": "Hello", "ignore_case": 0},
        {"text": "Hello", "ignore_case": None},
    ] + _bad_text([{"ignore_case": "true"}]),
    "tokenize": [{"text": t} for t in UNI] + [
        {"text": t, "lowercase": True} for t in UNI] + [
        {"text": "snake_case __x__ 12 ½ ² ٣ Ⅻ 〇 don't e-mail a.b"},
        {"text": "İstanbul", "lowercase": True},
        {"text": "cafe\u0301 na\u0308ive", "lowercase": False},
        {"text": AT_LIMIT},
    ] + _bad_text([{"lowercase": 1}]),
    "sentence_split": [{"text": t} for t in UNI] + [{"text": t} for t in [
        "Hello. World", "Hello.World", "Really?! Yes!!! No?? Ok...  Fine",
        "  a.  b!\n\nc?\td  ", "A. . B", ". . .", "...", "Done.", "Done. ",
        "Dr. Smith went. Then\u00a0he left.\u2003Bye", "one\ntwo. three",
        "π ≈ 3.14. Next", "end.\" Next", "Why?\u2028Because.\u0085Ok",
        "x.\x1cy", "x.\u200by", "¿Qué? ¡Sí! 中文。中文. 日本語!", "\n\n\t ",
        "a." + " " * 10 + "b", "Σ. ΟΔΟΣ! ﬁ? İ.",
    ]] + [{"text": "a. " * 333333}] + _bad_text(),
    "case_convert": [{"text": t, "to": to} for t in UNI[:12] + [
        "ΟΔΟΣ ΣΑΣ.", "ΑΣ'Α ΑΣ\u0345 ὈΔΥΣΣΕΎΣ", "they're bill's friends",
        "hello wORLD ǆemal ǅemal", "ﬁne ﬃ ŉ ΐ ǰ ᾳ ᾼ", "𐐨𐐨𐐀 𝔘𝔫𝔦",
        "XMLHttpRequest getHTTPResponseCode iOS v2Beta HTML5Parser",
        "  snake_case kebab-case camelCase PascalCase  ",
        "Ame\u0301lie Ame\u0301LIE e\u0301Clair \u0301Accent",
        "ÀÉÎ àéî ǅǅ Ǆǆ ΣΣσ", "123abc ABC123 abc123Def 1A ½Z ⅫA Ⅻa",
        "İSTANBUL İstanbul istanbul", "straßeStraße ẞig", "a_b-c.d e",
        "___", "中文Abc 日本語DEF", "ΣΑΣΑ σαςΣ aΣb",
    ] for to in CASES] + [
        {"text": AT_LIMIT, "to": "title"},
        {"text": "a"}, {"to": "upper"}, {"text": "a", "to": "UPPER"},
        {"text": "a", "to": "sentence"}, {"text": "a", "to": None},
        {"text": TOO_LONG, "to": "upper"}, {"text": 1, "to": "upper"},
        {"text": "a", "to": "upper", "extra": True},
    ],
    "reverse": [{"text": t} for t in UNI] + [
        {"text": "Hello, wörld"}, {"text": "ab\u0301c"}, {"text": AT_LIMIT},
    ] + _bad_text(),
    "palindrome": [{"text": t} for t in UNI] + [{"text": t} for t in [
        "A man, a plan, a canal: Panama", "Was it a car or a cat I saw?",
        "No 'x' in Nixon", "ab", "aba", "Aa", "ßSS", "ßs", "İi", "İ",
        "ﬁF I", "ΣσςΣ", "e\u0301e", "😀", "a😀a", "ǅǆ", "ǄǅǆǄ", "1½1",
        "٣3٣", "Ⅻⅻ", "_a_", "a_b", "Ὀ ὀ", "ΐ", "ΐΐ", "Straße ss ARTS",
    ]] + [{"text": "ab" * 250000 + "ba" * 250000}] + _bad_text(),
    "levenshtein": [
        {"a": "", "b": ""}, {"a": "", "b": "abc"}, {"a": "abc", "b": ""},
        {"a": "kitten", "b": "sitting"}, {"a": "flaw", "b": "lawn"},
        {"a": "abc", "b": "abc"}, {"a": "ab", "b": "ba"},
        {"a": "ß", "b": "SS"}, {"a": "İ", "b": "i\u0307"},
        {"a": "é", "b": "e\u0301"}, {"a": "😀", "b": "😃"},
        {"a": "👍🏽", "b": "👍"}, {"a": "ΟΔΟΣ", "b": "οδος"},
        {"a": "ﬁ", "b": "fi"}, {"a": "a\u0000b", "b": "ab"},
        {"a": "𐐀𐐨", "b": "𐐨𐐀"}, {"a": "中文字", "b": "日本語"},
        {"a": "x" * 5000, "b": "x" * 5000},
        {"a": "x" * 100000, "b": ""},
        {"a": "x" * 100000, "b": "x" * 250},
        {"a": "ab" * 700, "b": "ba" * 700},
        {"a": "x" * 5001, "b": "y" * 5000},
        {"a": "x" * 100001, "b": ""},
        {"a": "a"}, {"b": "a"}, {"a": 1, "b": "a"}, {"a": "a", "b": None},
        {"a": "a", "b": "b", "c": "c"},
    ],
    "similarity": [
        {"a": "", "b": ""}, {"a": "", "b": "abc"}, {"a": "abc", "b": ""},
        {"a": "abcd", "b": "bcde"}, {"a": "ab", "b": "ba"},
        {"a": " abcd", "b": "abcd abcd"}, {"a": "ß", "b": "SS"},
        {"a": "é", "b": "e\u0301"}, {"a": "😀👍🏽", "b": "👍🏽😀"},
        {"a": "ΟΔΟΣ ΣΑΣ", "b": "ΣΑΣ ΟΔΟΣ"},
        {"a": "the quick brown fox", "b": "the quick brown dog"},
        # autojunk: len(b) >= 200 and 'a' is popular in b
        {"a": "a" * 10 + "b", "b": "a" * 199 + "b"},
        {"a": "a" * 10 + "b", "b": "a" * 200 + "b"},
        {"a": "b" + "a" * 300, "b": "a" * 300 + "b"},
        {"a": ("abcab" * 40)[:199], "b": "abcab" * 40},
        {"a": "xy" * 150 + "z", "b": "z" + "yx" * 150},
        {"a": "é" * 300, "b": "e\u0301" * 150},
        {"a": "x" * 2000, "b": "x" * 2000},
        {"a": "ab" * 1000, "b": "ba" * 1000},
        {"a": "x" * 2001, "b": "y" * 2000},
        {"a": "x" * 1000000, "b": ""},
        {"a": "Hello world", "b": "hello World", "method": "jaccard"},
        {"a": "", "b": "", "method": "jaccard"},
        {"a": "...", "b": "!!!", "method": "jaccard"},
        {"a": "a", "b": "", "method": "jaccard"},
        {"a": "a b c", "b": "c b a a", "method": "jaccard"},
        {"a": "straße İ ﬁ", "b": "STRASSE i\u0307 fi", "method": "jaccard"},
        {"a": "cafe\u0301 café", "b": "cafe", "method": "jaccard"},
        {"a": "snake_case x", "b": "snake case x", "method": "jaccard"},
        {"a": "a b c d e f g", "b": "a b c", "method": "jaccard"},
        {"a": "x " * 500000, "b": "x y", "method": "jaccard"},
        {"a": "a", "b": "b", "method": "ratio"},
        {"a": "a"}, {"a": "a", "b": 1}, {"a": "a", "b": "b", "method": "x"},
        {"a": "a", "b": "b", "method": None},
        {"a": "a", "b": "b", "extra": 1},
        {"a": "x" * 1000001, "b": "", "method": "jaccard"},
    ],
    "soundex": [{"text": t} for t in UNI] + [{"text": t} for t in [
        "Robert", "Rupert", "Rubin", "Ashcraft", "Ashcroft", "Tymczak",
        "Pfister", "Honeyman", "Lloyd", "Lee", "Gutierrez", "Jackson",
        "Washington", "Wright", "Hwang", "Schmidt", "Burroughs",
        "Burrows", "A", "Ab", "aaaa", "hhhh", "Bb", "BPFV", "BaB", "BhB",
        "BwB", "Bh-B", "B B", "B1B", "robert", "  O'Hara ", "Müller",
        "Mueller", "Ærøskøbing", "ßoß", "ﬁsher", "İpek", "ıpek", "ǅemal",
        "Ωmega", "中文", "123", "!!", "Éric", "e\u0301ric", "Ʒ", "Ꭺ",
        "ＡＢＣ", "ᴬbc", "ⓐbc", "Ⅻ", "Σ",
    ]] + _bad_text(),
}


# Every code point, one by one, for the functions whose answer is decided per
# code point (\\w, case mappings and their context, isspace, isalnum).
for _t in ALL_CPS:
    EDGE["tokenize"] += [{"text": _t}, {"text": _t, "lowercase": True}]
    EDGE["char_frequency"].append({"text": _t, "ignore_case": True})
    EDGE["case_convert"] += [{"text": _t, "to": to} for to in CASES]
    EDGE["reverse"].append({"text": _t})
    EDGE["palindrome"].append({"text": _t})
    EDGE["sentence_split"].append({"text": _t.replace("|", ".")})
EDGE["case_convert"] += [
    {"text": " ".join(p % c for c in _CPS[i:i + 40000]), "to": to}
    for p in ("x%sx", "A%s\u03a3", "A\u03a3%sA")
    for i in range(0, len(_CPS), 40000) for to in ("lower", "title")]
