#!/usr/bin/env bash
# fuzz.sh [BUILD] - runs the catalog's libFuzzer harness, as `make fuzz` does
# (which builds BUILD/fuzz_catalog first; BUILD defaults to build-fuzz):
#
#   1. replay    every kept finding, tests/fuzz/regressions/<fn>/*, once
#                through its function: a finding is a regression test
#   2. seed      BUILD/corpus/<fn>/ from the catalog's examples and golden
#                tests (tests/fuzz/seed_corpus.py)
#   3. fuzz      each function in turn for FUZZ_SECONDS / (number of
#                functions) seconds (at least 1), on its corpus folder, with
#                -timeout=2 per input, -rss_limit_mb=2048 and leak detection
#
# Exits non-zero when any replay or run fails: a crash, a sanitizer report, a
# leak, a timeout, an out-of-memory or a harness check. A failing run's
# input is left in BUILD/artifacts/<fn>/; copy it to
# tests/fuzz/regressions/<fn>/ (with a name that says what it was) once it
# is fixed, so that it is replayed from then on.
#
# Environment (all optional):
#   FUZZ_SECONDS    the whole fuzzing time, split over the functions (300)
#   FUZZ_FUNCTIONS  space-separated names: fuzz only these
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

BUILD=${1:-build-fuzz}
BIN=$BUILD/fuzz_catalog
REGRESSIONS=tests/fuzz/regressions
CORPUS=$BUILD/corpus
ARTIFACTS=$BUILD/artifacts
LOGS=$BUILD/logs
TOTAL=${FUZZ_SECONDS:-300}

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

if [[ ! -x $BIN ]]; then
    echo "fuzz.sh: $BIN is missing (make fuzz builds it)"
    exit 1
fi

if [[ -n ${FUZZ_FUNCTIONS:-} ]]; then
    read -r -a fns <<<"$FUZZ_FUNCTIONS"
else
    mapfile -t fns < <(for f in functions/*/*.json; do basename "$f" .json; done | sort)
fi
mkdir -p "$LOGS"
failed=()

# --- 1. replay ----------------------------------------------------------------
replayed=0
for dir in "$REGRESSIONS"/*/; do
    [[ -d $dir ]] || continue
    fn=$(basename "$dir")
    mapfile -t cases < <(find "$dir" -type f | sort)
    ((${#cases[@]})) || continue
    if SOPM_FUZZ_FN=$fn "$BIN" -timeout=2 -rss_limit_mb=2048 "${cases[@]}" \
        >"$LOGS/replay-$fn.log" 2>&1; then
        replayed=$((replayed + ${#cases[@]}))
    else
        echo "fuzz: replay of $dir FAILED:"
        grep -E '==ERROR|SUMMARY|runtime error|^Running:|fuzz_catalog:' "$LOGS/replay-$fn.log" | head -n 20
        failed+=("replay:$fn")
    fi
done
echo "fuzz: $replayed kept findings replayed"

# --- 2. seed ------------------------------------------------------------------
/usr/bin/python3 tests/fuzz/seed_corpus.py "$CORPUS"

# --- 3. fuzz ------------------------------------------------------------------
per=$((TOTAL / ${#fns[@]}))
((per >= 1)) || per=1
echo "fuzz: ${#fns[@]} functions, ${per}s each"
for fn in "${fns[@]}"; do
    mkdir -p "$CORPUS/$fn" "$ARTIFACTS/$fn"
    extra=()
    [[ -d $REGRESSIONS/$fn ]] && extra=("$REGRESSIONS/$fn")
    log=$LOGS/$fn.log
    if SOPM_FUZZ_FN=$fn "$BIN" -max_total_time="$per" -timeout=2 \
        -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 \
        -artifact_prefix="$ARTIFACTS/$fn/" "$CORPUS/$fn" "${extra[@]}" \
        >"$log" 2>&1; then
        printf 'fuzz: %-20s ok  %s execs\n' "$fn" \
            "$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
    else
        echo "fuzz: $fn FAILED (log: $log)"
        grep -E '==ERROR|SUMMARY|runtime error|fuzz_catalog:|Test unit written|ALARM|out-of-memory' "$log" | head -n 20
        failed+=("$fn")
    fi
done

if ((${#failed[@]})); then
    echo "fuzz: ${#failed[@]} failed: ${failed[*]}"
    echo "fuzz: reproduce with SOPM_FUZZ_FN=<fn> $BIN <artifact>"
    exit 1
fi
echo "fuzz: every function ran clean"
