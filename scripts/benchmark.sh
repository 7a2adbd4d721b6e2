#!/usr/bin/env bash
# benchmark.sh - load test of the catalog hot path against two baselines.
#
# Run by `make bench` (which builds first). It starts a stack instance of its
# own (state in var/bench, nginx on 127.0.0.1:18090, the optimized build),
# puts a hello-world FastCGI responder (build/bench-hello-fcgi) and a bare
# nginx `return 200` next to the pool behind the same nginx, and runs wrk
# against all of them. It prints a markdown table and checks the targets:
#
#   - echo execute >= BENCH_MIN_RATIO (0.85) x the hello-world FastCGI req/s
#   - echo execute p99 <= BENCH_MAX_P99_MS (10) ms
#   - the mixed-catalog execute >= BENCH_MIN_MIX_RATIO (0.8) x echo req/s
#   - no socket error, timeout or non-2xx response in any run
#
# and exits non-zero when one fails. See docs/benchmark.md.
#
# Environment (all optional):
#   BENCH_SECONDS       length of each measured run (10)
#   BENCH_CONNECTIONS   wrk connections (64)
#   BENCH_THREADS       wrk threads (2)
#   BENCH_WARMUP        length of the warm-up run before each target (2)
#   BENCH_ROUNDS        rounds over all targets; figures are medians (3)
#   BENCH_HELLO_THREADS accepting threads of the hello baseline (default:
#                       2 x connections: a thread per connection nginx may
#                       hold, in flight or kept idle, so the classic shape
#                       never stalls in the listen queue)
#   BENCH_MIN_RATIO     echo / hello-fcgi req/s floor (0.85)
#   BENCH_MAX_P99_MS    echo p99 ceiling in ms (10)
#   BENCH_MIN_MIX_RATIO mixed / echo req/s floor (0.8)
#   BENCH_MIX_EXCLUDE   functions left out of the mixed load (default:
#                       sleep, which waits on purpose, and the network
#                       functions http_request url_check webhook, whose
#                       examples call hosts outside this machine)
#   BENCH_BUILDS        empty: skip the builder figures (base image
#                       preparation and build p50 per runtime; as root only)
#   BENCH_USER          empty: skip the user-function figures (cold start,
#                       warm calls at 1 and 16 connections, runsc by hand;
#                       as root only). Their targets are goals: printed,
#                       never failing the run; a failed call does fail it.
#   BENCH_COLD_CALLS    cold calls (versions) per runtime (10)
#   BENCH_FLOOR_RUNS    `runsc run` by hand per runtime (10)
#   SOPM_STACK_SCRIPT   the stack control script (scripts/stack.sh)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

export SOPM_STATE="$ROOT/var/bench"
export SOPM_PORT=18090
export SOPM_BUILD=build

SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2}
ROUNDS=${BENCH_ROUNDS:-3}
MIN_RATIO=${BENCH_MIN_RATIO:-0.85}
MAX_P99_MS=${BENCH_MAX_P99_MS:-10}
MIN_MIX_RATIO=${BENCH_MIN_MIX_RATIO:-0.8}
MIX_EXCLUDE=${BENCH_MIX_EXCLUDE-sleep http_request url_check webhook}
STACK=${SOPM_STACK_SCRIPT:-$ROOT/scripts/stack.sh}

BASE="http://127.0.0.1:$SOPM_PORT"
HELLO_BIN="$ROOT/$SOPM_BUILD/bench-hello-fcgi"
HELLO_SOCK="$SOPM_STATE/run/hello.sock"
SERVER_CONF="$SOPM_STATE/nginx/conf.d/zz-bench.conf"
HTTP_CONF="$SOPM_STATE/nginx/http.d/zz-bench.conf"
RESULTS="$SOPM_STATE/results"
NGINX_PID_FILE="$SOPM_STATE/run/nginx.pid"
NGINX_CONF="$SOPM_STATE/nginx/nginx.conf"

ECHO_BODY='{"function":"echo","input":{"msg":"hello"}}'

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

for v in SECONDS_PER_RUN CONNECTIONS WRK_THREADS WARMUP ROUNDS MAX_P99_MS; do
	[[ ${!v} =~ ^[0-9]+$ && ${!v} -gt 0 ]] || die "$v must be a positive integer"
done
[[ $MIN_RATIO =~ ^[0-9]*\.?[0-9]+$ ]] || die "BENCH_MIN_RATIO must be a number"
[[ $MIN_MIX_RATIO =~ ^[0-9]*\.?[0-9]+$ ]] || die "BENCH_MIN_MIX_RATIO must be a number"
command -v python3 >/dev/null || die "python3 is not installed"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is not installed"
[[ -x $HELLO_BIN ]] || die "$HELLO_BIN is missing: run 'make bench'"
[[ -x $STACK ]] || die "$STACK is missing"

# --- cleanup: whatever happens, nothing stays running -------------------------

hello_pid=
stack_started=0

cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM
	if [[ -n $hello_pid ]] && kill -0 "$hello_pid" 2>/dev/null; then
		# libfcgi catches SIGTERM and threads blocked in accept() do
		# not notice it, so SIGKILL follows after a short grace.
		kill -TERM "$hello_pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$hello_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$hello_pid" 2>/dev/null
		wait "$hello_pid" 2>/dev/null
	fi
	rm -f "$SERVER_CONF" "$HTTP_CONF" "$HELLO_SOCK"
	if ((stack_started)); then
		log "stopping the bench stack"
		"$STACK" stop >&2 || log "warning: '$STACK stop' failed"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- helpers -----------------------------------------------------------------

# http_code METHOD PATH [BODY] - prints the status code; the body goes to
# $RESULTS/last-body.
http_code() {
	local method=$1 path=$2 body=${3-}
	local args=(-s -o "$RESULTS/last-body" -w '%{http_code}' --max-time 5
		-X "$method")
	if [[ -n $body ]]; then
		args+=(-H 'Content-Type: application/json' --data-binary "$body")
	fi
	curl "${args[@]}" "$BASE$path" || true
}

# wait_for METHOD PATH [BODY] - waits up to 30 s for a 200.
wait_for() {
	local i
	for ((i = 0; i < 300; i++)); do
		[[ $(http_code "$@") == 200 ]] && return 0
		sleep 0.1
	done
	return 1
}

# upstream_keepalive - the keepalive* directives of the pool's upstream in
# the nginx.conf that the stack rendered, so that the hello upstream keeps
# its connections the same way.
upstream_keepalive() {
	awk '
		/^[[:space:]]*upstream[[:space:]]/ { up = 1 }
		up && /^[[:space:]]*keepalive(_requests|_timeout|_time)?[[:space:]]/ {
			sub(/^[[:space:]]*/, ""); print
		}
		up && /}/ { up = 0 }' "$NGINX_CONF" | sort -u
}

# to_ms VALUE - wrk's latency ("812.00us", "1.20ms", "2.00s") in ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000
		else if (u == "s") n *= 1000
		else if (u == "m") n *= 60000
		else if (u != "ms") { print "nan"; exit }
		printf "%.3f\n", n }'
}

# --- results of each run -----------------------------------------------------

# One entry per wrk run (R_*), then one per target (T_*) after aggregate.
declare -a R_NAME R_RPS R_P50 R_P99 R_ERR R_ERRTXT
declare -a T_NAME T_RPS T_P50 T_P99 T_ERR T_ERRTXT
declare -A T_CMD
fail=0

# parse_wrk NAME FILE - records one run's figures (latencies in ms).
parse_wrk() {
	local name=$1 file=$2 rps p50 p99 sock non2xx errs=0 txt='' c r w t
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
	p50=$(awk '$1 == "50%" { print $2 }' "$file")
	p99=$(awk '$1 == "99%" { print $2 }' "$file")
	# "Socket errors: connect 0, read 0, write 0, timeout 0"
	sock=$(awk '/Socket errors:/ { gsub(",", ""); print $4, $6, $8, $10 }' "$file")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
	if [[ -n $sock ]]; then
		read -r c r w t <<<"$sock"
		errs=$((c + r + w + t))
		((errs == 0)) || txt="connect $c, read $r, write $w, timeout $t"
	fi
	if [[ -n $non2xx && $non2xx != 0 ]]; then
		errs=$((errs + non2xx))
		txt="${txt:+$txt, }non-2xx $non2xx"
	fi
	p50=$(to_ms "${p50:-x}")
	p99=$(to_ms "${p99:-x}")
	if [[ -z $rps || $p50 == nan || $p99 == nan ]]; then
		log "cannot parse wrk's output for $name (see $file)"
		rps=${rps:-0}
		errs=$((errs + 1))
		txt="${txt:+$txt, }no wrk output"
	fi
	R_NAME+=("$name")
	R_RPS+=("$rps")
	R_P50+=("$p50")
	R_P99+=("$p99")
	R_ERR+=("$errs")
	R_ERRTXT+=("$txt")
}

# run_target ROUND NAME METHOD PATH [LUA [LUA_ARG]] - measures one target
# once; the first round warms it up first.
run_target() {
	local round=$1 name=$2 method=$3 path=$4 lua=${5-} lua_arg=${6-} url file
	local -a wrk_args=(-t"$WRK_THREADS" -c"$CONNECTIONS") script_args=()
	url="$BASE$path"
	[[ -n $lua ]] && wrk_args+=(-s "$lua")
	[[ -n $lua_arg ]] && script_args=(-- "$lua_arg")
	file="$RESULTS/$name.$round.txt"
	if ((round == 1)); then
		log "$name: warm-up ${WARMUP}s"
		wrk "${wrk_args[@]}" -d"${WARMUP}s" "$url" "${script_args[@]}" >/dev/null
	fi
	log "$name: round $round/$ROUNDS, ${SECONDS_PER_RUN}s ($method $path)"
	wrk "${wrk_args[@]}" -d"${SECONDS_PER_RUN}s" --latency "$url" \
		"${script_args[@]}" >"$file"
	parse_wrk "$name" "$file"
	T_CMD[$name]="wrk ${wrk_args[*]} -d${SECONDS_PER_RUN}s --latency $url${script_args[*]:+ ${script_args[*]}}"
}

# median - the median of the numbers on stdin.
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# aggregate NAME - one table row: medians over the rounds, errors summed.
aggregate() {
	local name=$1 i errs=0 txt='' rps='' p50='' p99=''
	for i in "${!R_NAME[@]}"; do
		[[ ${R_NAME[$i]} == "$name" ]] || continue
		rps+="${R_RPS[$i]}"$'\n'
		p50+="${R_P50[$i]}"$'\n'
		p99+="${R_P99[$i]}"$'\n'
		errs=$((errs + R_ERR[i]))
		[[ -z ${R_ERRTXT[$i]} ]] || txt="${txt:+$txt; }${R_ERRTXT[$i]}"
	done
	T_NAME+=("$name")
	T_RPS+=("$(printf '%s' "$rps" | median)")
	T_P50+=("$(printf '%s' "$p50" | median)")
	T_P99+=("$(printf '%s' "$p99" | median)")
	T_ERR+=("$errs")
	T_ERRTXT+=("${txt:-0}")
}

# per_round NAME - the req/s of each round, "a / b / c".
per_round() {
	local i out=
	for i in "${!R_NAME[@]}"; do
		[[ ${R_NAME[$i]} == "$1" ]] || continue
		out+="${out:+ / }$(printf '%.0f' "${R_RPS[$i]}")"
	done
	printf '%s\n' "$out"
}

# paired_ratios A B - A's req/s over B's, round by round, one a line. A and
# B run back to back in each round, so a slow spell of the machine that
# lasts a round hits both: the ratio of one round is steadier than the
# ratio of two medians that may come from different rounds.
paired_ratios() {
	local i j
	for i in "${!R_NAME[@]}"; do
		[[ ${R_NAME[$i]} == "$1" ]] || continue
		for j in "${!R_NAME[@]}"; do
			# The run of B in the same round: the k-th run of each.
			[[ ${R_NAME[$j]} == "$2" ]] || continue
			if (($(run_no "$i") == $(run_no "$j"))); then
				awk -v a="${R_RPS[$i]}" -v b="${R_RPS[$j]}" \
					'BEGIN { if (b > 0) printf "%.4f\n", a / b; else print 0 }'
			fi
		done
	done
}

# run_no I - which run of its target R_NAME[I] is (1, 2, ...).
run_no() {
	local i n=0
	for ((i = 0; i <= $1; i++)); do
		[[ ${R_NAME[$i]} == "${R_NAME[$1]}" ]] && n=$((n + 1))
	done
	echo "$n"
}

# check_target NAME METHOD PATH BODY PATTERN - one request by hand: the target
# must answer 200 with a body matching PATTERN before it is measured.
check_target() {
	local name=$1 code
	code=$(http_code "$2" "$3" "$4")
	if [[ $code != 200 ]] || ! grep -Eq "$5" "$RESULTS/last-body"; then
		log "$name: $2 $3 answered $code: $(head -c 300 "$RESULTS/last-body")"
		return 1
	fi
}

# --- start ---------------------------------------------------------------------

mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.txt "$RESULTS/summary.md"

# Whatever an interrupted run left in the bench state folder is ours to stop.
if [[ -d $SOPM_STATE/run ]]; then
	"$STACK" stop >&2 || die "cannot stop an old bench stack in $SOPM_STATE"
fi
# A fresh state every run (the results folder aside): measurements never
# depend on what an earlier run or an older version left behind.
find "$SOPM_STATE/" -mindepth 1 -maxdepth 1 ! -name results -exec rm -rf {} +
if ss -Htln "sport = :$SOPM_PORT" | grep -q .; then
	die "port $SOPM_PORT is already in use by something else"
fi

log "starting the bench stack (SOPM_STATE=$SOPM_STATE SOPM_PORT=$SOPM_PORT SOPM_BUILD=$SOPM_BUILD)"
stack_started=1
# Configuration keys from the environment (etc/sopm.conf), for the
# user-function figures only (the catalog runs use no key): 16 calls at once
# of one version, each with a warm sandbox, more calls per second than a
# key's default quota, and no idle sandbox stopped in the middle of a
# measurement.
env SOPM_QUOTA_RATE_PER_S=1000000 SOPM_QUOTA_BURST=1000000 SOPM_QUOTA_MAX_CONCURRENCY=64 \
	SOPM_EXECUTOR_WORKERS=16 SOPM_EXECUTOR_MAX_WARM_PER_VERSION=16 SOPM_EXECUTOR_MAX_WARM=64 \
	SOPM_EXECUTOR_IDLE_TIMEOUT_S=3600 "$STACK" start >&2 || die "'$STACK start' failed"
wait_for GET /healthz || die "the bench stack does not answer on $BASE/healthz"

[[ -f $NGINX_PID_FILE ]] || die "no nginx pid file at $NGINX_PID_FILE"
[[ -r $NGINX_CONF ]] || die "no rendered nginx configuration at $NGINX_CONF"
# An upstream block (needed for kept connections) is only allowed at http
# level; conf.d/ is included inside the server block. nginx.conf names the
# state folder by its real path: scripts/stack.sh may keep it elsewhere
# behind a link (when user sopm cannot reach the checkout).
grep -Eq "^[[:space:]]*include[[:space:]]+$(readlink -f "$SOPM_STATE")/nginx/http\.d/\*\.conf;" "$NGINX_CONF" ||
	die "$NGINX_CONF does not include $SOPM_STATE/nginx/http.d/*.conf at http level;" \
		"nginx/sopm.conf.in needs 'include @STATE@/nginx/http.d/*.conf;' in its http block"
upstream_keepalive | grep -q '^keepalive ' ||
	die "no 'keepalive N;' in the pool's upstream in $NGINX_CONF"
nginx_pid=$(cat "$NGINX_PID_FILE")
[[ $nginx_pid =~ ^[0-9]+$ ]] || die "bad nginx pid in $NGINX_PID_FILE"

http_code GET /api/stats >/dev/null
HELLO_THREADS=${BENCH_HELLO_THREADS:-$((2 * CONNECTIONS))}
[[ $HELLO_THREADS =~ ^[0-9]+$ && $HELLO_THREADS -gt 0 ]] ||
	die "BENCH_HELLO_THREADS must be a positive integer"
if ((HELLO_THREADS < CONNECTIONS)); then
	log "warning: $HELLO_THREADS accepting threads < $CONNECTIONS connections:" \
		"requests on kept connections may wait in the listen queue"
fi

mkdir -p "$(dirname "$HELLO_SOCK")"
log "starting bench-hello-fcgi with $HELLO_THREADS threads on $HELLO_SOCK"
"$HELLO_BIN" "$HELLO_SOCK" "$HELLO_THREADS" 2>"$RESULTS/hello.log" &
hello_pid=$!
for _ in $(seq 50); do
	[[ -S $HELLO_SOCK ]] && break
	kill -0 "$hello_pid" 2>/dev/null || die "bench-hello-fcgi exited: $(cat "$RESULTS/hello.log")"
	sleep 0.1
done
[[ -S $HELLO_SOCK ]] || die "bench-hello-fcgi did not create $HELLO_SOCK"

# The upstream must sit at http level, the locations inside the server.
mkdir -p "$(dirname "$SERVER_CONF")" "$(dirname "$HTTP_CONF")"
{
	echo "# written by scripts/benchmark.sh; removed when it ends"
	echo "upstream sopm_bench_hello {"
	echo "    server unix:$HELLO_SOCK;"
	upstream_keepalive | sed 's/^/    /'
	echo "}"
} >"$HTTP_CONF"
cat >"$SERVER_CONF" <<EOF
# written by scripts/benchmark.sh; removed when it ends
location = /bench/return200 {
    default_type application/json;
    return 200 '{"ok":true}';
}
location = /bench/hello {
    fastcgi_pass sopm_bench_hello;
    fastcgi_keep_conn on;
    include /etc/nginx/fastcgi_params;
}
EOF

log "reloading nginx (pid $nginx_pid)"
kill -HUP "$nginx_pid" || die "cannot signal nginx"
# Old workers keep serving for a while after a reload: wait for the answers
# that only the new configuration gives.
reloaded=0
for _ in $(seq 100); do
	if check_target return200 GET /bench/return200 "" '^\{"ok":true\}$' 2>/dev/null &&
		check_target hello-fcgi POST /bench/hello "$ECHO_BODY" '"hello"' 2>/dev/null; then
		reloaded=1
		break
	fi
	sleep 0.1
done
if ((!reloaded)); then
	die "nginx did not pick up $SERVER_CONF and $HTTP_CONF after a reload." \
		"Is '$SOPM_STATE/nginx/http.d/*.conf' included at http level and" \
		"'$SOPM_STATE/nginx/conf.d/*.conf' inside the server block? (see nginx's error log)"
fi

# Every target must work before it is measured: a fast 404 is no result.
check_target return200 GET /bench/return200 "" '^\{"ok":true\}$' ||
	die "return200 does not work"
check_target hello-fcgi POST /bench/hello "$ECHO_BODY" '"hello"' ||
	die "hello-fcgi does not work"
check_target execute-echo POST /api/execute "$ECHO_BODY" \
	'"status"[[:space:]]*:[[:space:]]*"completed"' ||
	die "the echo execute does not work"
check_target execute-word_count POST /api/execute \
	'{"function":"word_count","input":{"text":"a b a"}}' \
	'"status"[[:space:]]*:[[:space:]]*"completed"' ||
	die "the word_count execute does not work"
check_target functions-list GET /api/functions "" '"functions"' ||
	die "GET /api/functions does not work"

# The mixed load: one execute body per catalog function, from the examples
# that GET /api/functions serves (whatever the catalog holds), less
# MIX_EXCLUDE. Every body must answer 200 before it is measured.
# Relative to $ROOT (the working directory), so the printed command reads
# well.
MIX_FILE="${RESULTS#"$ROOT"/}/mixed-bodies.jsonl"
curl -sf --max-time 5 -o "$RESULTS/functions.json" "$BASE/api/functions" ||
	die "GET /api/functions does not work"
MIX_EXCLUDE="$MIX_EXCLUDE" python3 -c '
import json, os, sys
exclude = set(os.environ["MIX_EXCLUDE"].split())
catalog = json.load(sys.stdin)
n = 0
for f in catalog["functions"]:
    if f["name"] in exclude:
        continue
    body = {"function": f["name"], "input": f["example"]["input"]}
    print(json.dumps(body, separators=(",", ":"), ensure_ascii=False))
    n += 1
print("%d of %d functions in the mix" % (n, len(catalog["functions"])),
      file=sys.stderr)
' <"$RESULTS/functions.json" >"$MIX_FILE" 2>"$RESULTS/mixed-count.txt" ||
	die "cannot build the mixed bodies from GET /api/functions"
MIX_COUNT=$(wc -l <"$MIX_FILE")
((MIX_COUNT > 0)) || die "the mixed load has no request body"
log "mixed load: $(cat "$RESULTS/mixed-count.txt") (left out: ${MIX_EXCLUDE:-none})"
while IFS= read -r body; do
	check_target execute-mixed POST /api/execute "$body" \
		'"status"[[:space:]]*:[[:space:]]*"completed"' ||
		die "a body of the mixed load fails: $body"
done <"$MIX_FILE"

# --- measure -------------------------------------------------------------------

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Rounds run the targets in turn, so that a slow spell of the machine hits
# them all alike instead of one whole target; each figure is a median.
TARGETS=(return200 hello-fcgi execute-echo execute-mixed execute-word_count functions-list)
for ((round = 1; round <= ROUNDS; round++)); do
	run_target "$round" return200 GET /bench/return200
	run_target "$round" hello-fcgi POST /bench/hello scripts/bench/echo.lua
	run_target "$round" execute-echo POST /api/execute scripts/bench/echo.lua
	run_target "$round" execute-mixed POST /api/execute scripts/bench/mixed.lua "$MIX_FILE"
	run_target "$round" execute-word_count POST /api/execute scripts/bench/word_count.lua
	run_target "$round" functions-list GET /api/functions
done
for name in "${TARGETS[@]}"; do
	aggregate "$name"
done

# --- report --------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

index_of() {
	local i
	for i in "${!T_NAME[@]}"; do
		[[ ${T_NAME[$i]} == "$1" ]] && echo "$i" && return
	done
}

i_r200=$(index_of return200)
i_hello=$(index_of hello-fcgi)
i_echo=$(index_of execute-echo)
i_mix=$(index_of execute-mixed)

git_rev=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
git status --porcelain 2>/dev/null | grep -q . && git_rev+=" + local changes"

{
	echo "## SOPM benchmark"
	echo
	echo "- command: \`BENCH_SECONDS=$SECONDS_PER_RUN BENCH_CONNECTIONS=$CONNECTIONS BENCH_ROUNDS=$ROUNDS scripts/benchmark.sh\`"
	echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(uname -s) $(uname -r) $(uname -m), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, load before the runs: $LOAD_BEFORE"
	echo "- software: $(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), sopm $git_rev"
	echo "- hello-fcgi: $HELLO_THREADS accepting threads (2 x connections); both upstreams: $(upstream_keepalive | tr '\n' ' ')+ fastcgi_keep_conn on"
	echo "- wrk runs ($ROUNDS round(s) of ${SECONDS_PER_RUN}s per target, taken in turn, after one ${WARMUP}s warm-up each):"
	for name in "${TARGETS[@]}"; do
		echo "  - \`${T_CMD[$name]}\`"
	done
	echo "- execute-mixed: $(cat "$RESULTS/mixed-count.txt"), each its first example as GET /api/functions serves it, sent in turn; left out: ${MIX_EXCLUDE:-none}"
	echo "- req/s per round: $(for name in "${TARGETS[@]}"; do printf '%s %s; ' "$name" "$(per_round "$name")"; done | sed 's/; $//')"
	echo
	echo "Medians over the rounds; errors are summed over all of them."
	echo
	echo "| target | req/s | p50 | p99 | errors/timeouts | ratio vs return200 | ratio vs hello-fcgi |"
	echo "|---|---:|---:|---:|---|---:|---:|"
	for i in "${!T_NAME[@]}"; do
		printf '| %s | %.0f | %.2f ms | %.2f ms | %s | %s | %s |\n' \
			"${T_NAME[$i]}" "${T_RPS[$i]}" "${T_P50[$i]}" "${T_P99[$i]}" \
			"${T_ERRTXT[$i]}" \
			"$(ratio "${T_RPS[$i]}" "${T_RPS[$i_r200]}")" \
			"$(ratio "${T_RPS[$i]}" "${T_RPS[$i_hello]}")"
	done
	echo
} | tee "$RESULTS/summary.md"

# --- targets -------------------------------------------------------------------

# check OK DESCRIPTION - prints one PASS/FAIL line and records a failure.
check() {
	local line
	if [[ $1 == 1 ]]; then
		line="PASS  $2"
	else
		line="FAIL  $2"
		fail=1
	fi
	echo "$line"
	echo "$line" >>"$RESULTS/summary.md"
}

# Compared unrounded: 0.849 must not pass as 0.85.
ok=$(awk -v a="${T_RPS[$i_echo]}" -v b="${T_RPS[$i_hello]}" -v m="$MIN_RATIO" \
	'BEGIN { print (b > 0 && a / b >= m) ? 1 : 0 }')
check "$ok" "execute-echo req/s is $(ratio "${T_RPS[$i_echo]}" "${T_RPS[$i_hello]}")x hello-fcgi (target >= ${MIN_RATIO}x)"

ok=$(awk -v p="${T_P99[$i_echo]}" -v m="$MAX_P99_MS" \
	'BEGIN { print (p != "nan" && p + 0 <= m + 0) ? 1 : 0 }')
check "$ok" "execute-echo p99 is $(printf '%.2f' "${T_P99[$i_echo]}") ms (target <= ${MAX_P99_MS} ms)"

# Mixed against echo: the median of the per-round ratios (see
# paired_ratios); the ratio of the medians is printed beside it.
mix_ratios=$(paired_ratios execute-mixed execute-echo)
mix_ratio=$(printf '%s\n' "$mix_ratios" | median)
ok=$(awk -v r="$mix_ratio" -v m="$MIN_MIX_RATIO" 'BEGIN { print (r != "nan" && r >= m) ? 1 : 0 }')
check "$ok" "execute-mixed req/s is $(printf '%.2f' "$mix_ratio")x execute-echo, median of the rounds' ratios $(printf '%s' "$mix_ratios" | awk '{ printf "%s%.2f", (NR > 1 ? " / " : ""), $1 }') (ratio of the medians $(ratio "${T_RPS[$i_mix]}" "${T_RPS[$i_echo]}"); target >= ${MIN_MIX_RATIO}x)"

total_err=0
for e in "${T_ERR[@]}"; do total_err=$((total_err + e)); done
check "$((total_err == 0 ? 1 : 0))" \
	"no socket errors, timeouts or non-2xx responses in any run ($total_err)"

# --- sopm-builder -------------------------------------------------------------
# After the load runs (the builds would take their CPU): per runtime, the
# base image's preparation from an empty builder state (this stack's state
# was emptied at the start) and a function build's time, p50 of 5.
if [[ -n ${BENCH_BUILDS-1} && $(id -u) -eq 0 ]]; then
	log "builder: first build per runtime (prepares its base image), then 5 builds each"
	builds_ok=1
	python3 "$ROOT/scripts/bench/builds.py" "http://127.0.0.1:$SOPM_PORT" \
		"$SOPM_STATE/secrets/admin.key" >"$RESULTS/builds.md" || builds_ok=0
	{
		echo
		echo "sopm-builder, from an empty state (scripts/bench/builds.py):"
		echo
		cat "$RESULTS/builds.md"
	} | tee -a "$RESULTS/summary.md"
	check "$builds_ok" "every benchmark build reached ready"
fi

# --- user functions -------------------------------------------------------------
# Last (their builds would take the CPU of the other runs): cold start,
# warm calls and runsc by hand per runtime; see scripts/bench/user_functions.py.
if [[ -n ${BENCH_USER-1} ]]; then
	if [[ $(id -u) -eq 0 ]]; then
		log "user functions: builds, then per runtime runsc by hand, cold calls, warm wrk runs"
		user_ok=1
		BENCH_SECONDS=$SECONDS_PER_RUN BENCH_WARMUP=$WARMUP BENCH_THREADS=$WRK_THREADS \
			python3 "$ROOT/scripts/bench/user_functions.py" "$BASE" \
			"$SOPM_STATE/secrets/admin.key" "$SOPM_STATE" >"$RESULTS/user-functions.md" ||
			user_ok=0
		{
			echo
			echo "User functions, end to end through nginx (scripts/bench/user_functions.py):"
			echo
			cat "$RESULTS/user-functions.md"
		} | tee -a "$RESULTS/summary.md"
		check "$user_ok" "every user-function call answered 200 with its input, and no measured run had an error"
	else
		log "user functions: skipped (sopm-builder needs root)"
	fi
fi

log "raw wrk output and this summary: $RESULTS/"
if ((fail)); then
	log "FAIL: at least one target is not met"
	exit 1
fi
log "PASS: all targets met"
