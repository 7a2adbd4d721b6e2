#!/usr/bin/env bash
# e2e_python.sh SRC_DIR TAG
#   One python3 function build end to end, assuming the base exists
#   (mkrootfs.sh python3 + mkbase.sh python3 + mkbundle.sh of the base into
#   $SP/bundles/base-python3): validate under runsc, COPY-only image, bundle,
#   then one run of the shim under runsc. SRC_DIR holds handler.py and shim.py.
set -euo pipefail
src=$1 tag=$2
S=$(cd "$(dirname "$0")" && pwd)
SP=/var/lib/sopm-spike
STORE=$SP/containers/storage RUNROOT=$SP/containers/run
B=(buildah --root "$STORE" --runroot "$RUNROOT" --storage-driver overlay)
t0=$(date +%s.%N)
# 1. validate every .py file (one sandbox for all of them)
"$S/runsb.sh" "$SP/bundles/base-python3/rootfs" "$src" - 30 -- \
    /usr/bin/python3 -X pycache_prefix=/tmp/pyc -m py_compile /src/handler.py /src/shim.py | tee "$SP/validate.out"
grep -q ' RC 0 ' "$SP/validate.out" || { echo "validation failed"; exit 1; }
t1=$(date +%s.%N)
# 2. image FROM the base, COPY-only
ctx=$(mktemp -d "$SP/ctx.XXXXXX")
cp "$src"/handler.py "$src"/shim.py "$ctx"/
printf 'FROM localhost/sopm-base-python3:spike\nCOPY handler.py shim.py /fn/\nUSER 65534:65534\nENTRYPOINT ["/usr/bin/python3", "/fn/shim.py"]\n' >"$ctx/Containerfile"
"${B[@]}" build --quiet --isolation=chroot --pull=never --timestamp 0 -t "localhost/sopm-fn-py:$tag" "$ctx" >/dev/null
rm -rf "$ctx"
t2=$(date +%s.%N)
# 3. bundle
"$S/mkbundle.sh" "localhost/sopm-fn-py:$tag" "$SP/bundles/fn-py-$tag"
t3=$(date +%s.%N)
# 4. run it once
"$S/runsb.sh" "$SP/bundles/fn-py-$tag/rootfs" - - 10 -- /usr/bin/python3 /fn/shim.py world
t4=$(date +%s.%N)
printf 'validate %.2f s, image %.2f s, bundle %.2f s, first run %.2f s, total build %.2f s\n' \
    "$(echo "$t1-$t0" | bc)" "$(echo "$t2-$t1" | bc)" "$(echo "$t3-$t2" | bc)" "$(echo "$t4-$t3" | bc)" "$(echo "$t3-$t0" | bc)"
