#!/usr/bin/env bash
# test.sh - every test of SOPM, as `make test` (and CI) runs them:
#
#   1. fmt-check      clang-format over the tracked C files, and
#                     docs/catalog.md current with the metadata
#   2. build          make WERROR=1 all
#   3. unit           make SANITIZE=1 WERROR=1 all unit (ASan + UBSan)
#   3a. runtime shims pytest tests/runtimes (runtimes/ on this machine's
#                     python3, node and gcc)
#   3b. fuzz          make fuzz: every catalog function under libFuzzer
#                     (ASan + UBSan) for SOPM_FUZZ_SECONDS (300) in all, after
#                     replaying the kept findings (tests/fuzz/regressions)
#   4. integration    a stack of its own (var/test, port 18080 or
#                     SOPM_TEST_PORT, the sanitized
#                     server of build-asan, from a clean state), pytest
#                     tests/integration against it, then a clean stop (the
#                     stack is also stopped on any exit, Ctrl-C included)
#   4b. tsan stress   the pool built with ThreadSanitizer under load
#   5. sanitizers     no AddressSanitizer / UBSan report in the output of
#                     sopm-fcgi and sopm-builder (skipped when the server
#                     never ran)
#
# TESTS=... narrows the integration tests: paths (tests/integration/x.py,
# ...::test_y) are passed as they are, anything else goes to pytest -k.
# The last line is "N passed, N failed" (steps); the exit status is non-zero
# when any step failed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

PY=/usr/bin/python3 # not a pyenv shim: pytest comes from Debian's packages
TEST_STATE=$REPO/var/test
TEST_PORT=${SOPM_TEST_PORT:-18080}
TEST_BUILD=build-asan
URL_TEST=http://127.0.0.1:$TEST_PORT
JOBS=$(nproc 2>/dev/null || echo 2)

passed=0
failed=0
failed_steps=()
stack_up=0

pass() {
    passed=$((passed + 1))
    echo "==== $1: ok"
}

fail() {
    failed=$((failed + 1))
    failed_steps+=("$1")
    echo "==== $1: FAILED${2:+ ($2)}"
}

# step NAME CMD...: run one step and count it.
step() {
    local name=$1
    shift
    echo
    echo "==== $name"
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# The test stack's environment.
stack() {
    SOPM_STATE=$TEST_STATE SOPM_PORT=$TEST_PORT SOPM_BUILD=$TEST_BUILD \
        "$REPO/scripts/stack.sh" "$@"
}

stop_stack() {
    if ((stack_up)); then
        stack_up=0
        echo
        echo "==== stopping the test stack"
        stack stop || true
    fi
}
trap stop_stack EXIT
trap 'echo; echo "test.sh: interrupted"; exit 130' INT
trap 'echo "test.sh: terminated"; exit 143' TERM

# --- 1. formatting ------------------------------------------------------------
fmt_check() {
    local out
    # Without git (or outside a checkout) `make fmt-check` would check nothing.
    if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        echo "fmt-check needs git and a git checkout (git ls-files)"
        return 1
    fi
    if [[ -z $(git ls-files '*.c' '*.h') ]]; then
        echo "warning: no tracked C files: nothing to check"
    fi
    if out=$(make --no-print-directory fmt-check </dev/null 2>&1); then
        return 0
    fi
    printf '%s\n' "$out" | head -n 20
    echo "files that clang-format would change (fix with: make fmt):"
    local f
    while IFS= read -r f; do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "  $f"
    done < <(git ls-files '*.c' '*.h')
    return 1
}
step fmt-check fmt_check

# docs/catalog.md is generated from the catalog's metadata (make docs).
step "docs current" "$PY" scripts/gen_catalog_docs.py --check

# --- 2./3. builds and unit tests ----------------------------------------------
# -k: build all that can be built, so that one broken unit test does not keep
# the server (and the integration tests) from being built.
step build make --no-print-directory -k -j"$JOBS" WERROR=1 all

# Test counts for the closing line, read from the runners' own reports.
REPORT=$REPO/var/test-report
mkdir -p "$REPORT"
: >"$REPORT/unit.log"
: >"$REPORT/pytest.log"

unit_asan() {
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        make --no-print-directory -k -j"$JOBS" SANITIZE=1 WERROR=1 all unit 2>&1 |
        tee "$REPORT/unit.log"
    return "${PIPESTATUS[0]}"
}
step "unit (asan+ubsan)" unit_asan

# The runtime shims (runtimes/), on this machine's python3, node and gcc; a
# built image's shim under runsc is in tests/integration/test_builder.py.
step "runtime shims" "$PY" -m pytest -q -p no:cacheprovider tests/runtimes

# The catalog under libFuzzer for a bounded time (docs/design.md, Fuzzing).
step fuzz make --no-print-directory -s fuzz FUZZ_SECONDS="${SOPM_FUZZ_SECONDS:-300}"

# The pool under ThreadSanitizer and a short concurrent load (own instance).
step "tsan stress" scripts/tsan_stress.sh

# --- 4./5. integration against a stack of its own -----------------------------
# The sanitized server: no leak report at exit (workers are killed), but
# abort on the first error so that nothing goes unnoticed.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

start_test_stack() {
    # A leftover instance (an interrupted run) goes first, then its state.
    stack stop || return 1
    rm -rf "$TEST_STATE"
    if [[ ! -x $TEST_BUILD/sopm-fcgi ]]; then
        echo "$TEST_BUILD/sopm-fcgi was not built"
        return 1
    fi
    stack_up=1 # from here on, stop it on any exit
    stack start
}

run_pytest() {
    local sel=()
    if [[ -n ${TESTS:-} ]]; then
        if [[ $TESTS == */* || $TESTS == *::* || $TESTS == *.py ]]; then
            read -r -a sel <<<"$TESTS"
        else
            sel=(tests/integration -k "$TESTS")
        fi
    else
        sel=(tests/integration)
    fi
    local rc=0
    SOPM_URL=$URL_TEST SOPM_STATE=$TEST_STATE SOPM_BUILD=$TEST_BUILD \
        PYTHONDONTWRITEBYTECODE=1 "$PY" -m pytest -q -p no:cacheprovider "${sel[@]}" 2>&1 |
        tee "$REPORT/pytest.log"
    rc=${PIPESTATUS[0]} # steps run in an `if`, so errexit does not stop here
    if ((rc == 5)); then
        echo "pytest collected no tests (${sel[*]})"
    fi
    return "$rc"
}

stop_test_stack() {
    stack_up=0
    stack stop
}

# Start the stack, run pytest, stop the stack (a failed stop fails the suite).
integration_suite() {
    echo "test stack: $TEST_STATE, $URL_TEST, server $TEST_BUILD/sopm-fcgi"
    if ! start_test_stack; then
        echo "the test stack did not start"
        stop_test_stack || true
        return 1
    fi
    local rc=0
    run_pytest || rc=$?
    echo "---- stopping the test stack"
    if ! stop_test_stack; then
        echo "the test stack did not stop cleanly"
        rc=1
    fi
    return "$rc"
}

sanitizer_check() {
    local out rc=0
    for out in "$TEST_STATE"/log/sopm-{fcgi,builder}.out; do
        if [[ ! -e $out ]]; then
            echo "no server output at $out"
            rc=1
        elif grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out"; then
            echo "sanitizer reports in $out:"
            grep -n -E -A 30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out" | head -n 120
            rc=1
        else
            echo "no sanitizer report in $out"
        fi
    done
    return "$rc"
}

step integration integration_suite

# After the stop, so that every worker's last words are in the file.
if [[ -e $TEST_STATE/log/sopm-fcgi.out ]]; then
    step sanitizers sanitizer_check
else
    echo
    echo "==== sanitizers: skipped (the server never ran)"
fi

# sum PATTERN FILE: adds up the numbers that PATTERN's matches start with.
sum() {
    { grep -oE "$1" "$2" 2>/dev/null || true; } | { grep -oE '[0-9]+' || true; } |
        awk '{ s += $1 } END { print s + 0 }'
}

# pytest's own closing line ("3 failed, 750 passed in 30.1s") only.
grep -E '(passed|failed|error).* in [0-9.]+s' "$REPORT/pytest.log" | tail -n 1 >"$REPORT/pytest.summary" || true
tests_passed=$(($(sum '\[  PASSED  \] [0-9]+' "$REPORT/unit.log") +
    $(sum '[0-9]+ passed' "$REPORT/pytest.summary")))
tests_failed=$(($(sum '\[  FAILED  \] [0-9]+ test' "$REPORT/unit.log") +
    $(sum '[0-9]+ (failed|errors?)' "$REPORT/pytest.summary")))
# A step that failed with no failing test (a build or format error, a
# sanitizer report, a stack that did not start) still counts as a failure.
if ((failed > 0 && tests_failed == 0)); then
    tests_failed=$failed
fi

echo
echo "steps: $passed ok, $failed failed${failed_steps:+ (${failed_steps[*]})}"
echo "tests: $tests_passed passed, $tests_failed failed"
((failed == 0))
