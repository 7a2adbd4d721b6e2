#!/usr/bin/env bash
# runsb.sh ROOTFS SRC OUT TIMEOUT_S -- ARGS...
#   Run ARGS once in a fresh gVisor sandbox (runsc --platform=ptrace
#   --network=none) over ROOTFS (read-only), with SRC bound read-only on /src
#   and OUT read-write on /out ('-' = none). stdout/stderr go to files in the
#   run dir (runsc blocks when its stderr is a pipe that the caller reads).
#   Wall-clock TIMEOUT_S: runsc kill KILL, then delete --force.
#   MEM (bytes, default 512 MiB) and NPROC (default 64) from the environment.
#   Prints: id, exit code, wall time, then the captured stdout/stderr.
set -euo pipefail
rootfs=$1 src=$2 out=$3 tmo=$4
shift 4; [[ ${1:-} == -- ]] && shift
RUNSC_ROOT=${RUNSC_ROOT:-/var/lib/sopm-spike/runsc-root}
RUNS=${RUNS:-/var/lib/sopm-spike/runs}
export SB_ID=spike-$$-$RANDOM
dir=$RUNS/$SB_ID
mkdir -p "$dir" "$RUNSC_ROOT"
python3 "$(dirname "$0")/mkconfig.py" "$rootfs" "$src" "$out" "${MEM:-536870912}" "${NPROC:-64}" -- "$@" >"$dir/config.json"
R=(runsc --root "$RUNSC_ROOT" --platform=ptrace --network=none ${RUNSC_FLAGS:-})
s=$(date +%s.%N)
"${R[@]}" run --bundle "$dir" "$SB_ID" </dev/null >"$dir/stdout" 2>"$dir/stderr" &
pid=$!
reason=exit
# Poll for the end of runsc run (10 ms steps) up to the timeout.
deadline=$(echo "$s + $tmo" | bc)
while kill -0 "$pid" 2>/dev/null; do
    if (($(echo "$(date +%s.%N) > $deadline" | bc))); then
        reason=timeout
        "${R[@]}" kill "$SB_ID" KILL 2>>"$dir/runsc.err" || true
        break
    fi
    sleep 0.01
done
rc=0; wait "$pid" || rc=$?
e=$(date +%s.%N)
ds=$(date +%s.%N)
"${R[@]}" delete --force "$SB_ID" 2>>"$dir/runsc.err" || true
de=$(date +%s.%N)
printf 'ID %s END %s RC %s RUN %.3f s DELETE %.3f s\n' "$SB_ID" "$reason" "$rc" \
    "$(echo "$e - $s" | bc)" "$(echo "$de - $ds" | bc)"
echo "--- stdout"; head -c 4000 "$dir/stdout"
echo "--- stderr"; head -c 4000 "$dir/stderr"
