#!/usr/bin/env bash
# tsan_stress.sh - the pool built with ThreadSanitizer (make SANITIZE=thread)
# under a short concurrent load on every kind of route, then a reload: fails
# on any ThreadSanitizer report. This is how we check that our threads (each
# with its own FCGX_Request and connections, see fcgi/fcgi_worker.c) share
# nothing unsafely. libfcgi itself is not instrumented: what it touches is
# per request, and its globals are written once, before the threads start.
#
# Own instance: state var/tsan, port 18097 (or SOPM_TSAN_PORT). Traffic goes to 127.0.0.1 only and
# every load run has a fixed duration.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
# The pool is what runs under TSan; the builder (issue 8) is not started.
export SOPM_STATE=$REPO/var/tsan SOPM_PORT=${SOPM_TSAN_PORT:-18097} SOPM_BUILD=build-tsan SOPM_BUILDER=0
export TSAN_OPTIONS="halt_on_error=0 report_signal_unsafe=0"
URL=http://127.0.0.1:$SOPM_PORT
OUT=$SOPM_STATE/log/sopm-fcgi.out

make --no-print-directory -j"$(nproc)" SANITIZE=thread build-tsan/sopm-fcgi
scripts/stack.sh stop >/dev/null
rm -rf "$SOPM_STATE"
trap 'scripts/stack.sh stop >/dev/null || true' EXIT
scripts/stack.sh start >/dev/null

load() { wrk -t2 -c"$1" -d"$2"s "${@:3}" | grep -E 'Requests/sec|errors' || true; }
load 64 5 -s scripts/bench/echo.lua "$URL/api/execute"
load 64 3 -s scripts/bench/word_count.lua "$URL/api/execute"
load 64 3 "$URL/api/functions"
load 32 2 "$URL/api/functions?category=text"
load 16 2 "$URL/api/stats"
load 16 2 "$URL/metrics"
for _ in $(seq 20); do
    curl -s -o /dev/null -H 'Content-Type: application/json' \
        -d '{"function":"sleep","input":{"ms":20},"async":true}' "$URL/api/execute"
done
kill -HUP "$(cat "$SOPM_STATE/run/fcgi.pid")"
sleep 2
scripts/stack.sh stop >/dev/null
trap - EXIT

reports=$(grep -c 'WARNING: ThreadSanitizer' "$OUT" || true)
if ((reports > 0)); then
    grep -A 20 'WARNING: ThreadSanitizer' "$OUT" | head -n 80
    echo "tsan: $reports report(s) in $OUT"
    exit 1
fi
echo "tsan: no report"
