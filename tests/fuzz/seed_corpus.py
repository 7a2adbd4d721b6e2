#!/usr/bin/python3
"""seed_corpus.py OUT - the fuzz harness's seed corpus from the catalog.

For every functions/<category>/<name>.json, each example's and golden test's
`input` becomes one file OUT/<name>/<sha1 of its bytes>: the JSON text a
client puts after "input": (what tests/fuzz/fuzz_catalog.c reads). Files of
earlier runs stay; libFuzzer adds what it finds to the same folders.
"""
import glob
import hashlib
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def encode(value):
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: keep it as \\uXXXX
        return json.dumps(value).encode("ascii")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: seed_corpus.py OUT")
    out = sys.argv[1]
    total = 0
    metas = sorted(glob.glob(os.path.join(ROOT, "functions", "*", "*.json")))
    for path in metas:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        for case in meta.get("examples", []) + meta.get("tests", []):
            if "input" not in case:
                continue
            data = encode(case["input"])
            seed = os.path.join(folder, hashlib.sha1(data).hexdigest())
            if not os.path.exists(seed):
                with open(seed, "wb") as f:
                    f.write(data)
            total += 1
    print(f"seed corpus: {total} inputs of {len(metas)} functions in {out}")


if __name__ == "__main__":
    main()
