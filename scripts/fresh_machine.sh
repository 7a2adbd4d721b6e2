#!/usr/bin/env bash
# fresh_machine.sh - `make test-fresh`: prove that the README's commands work
# on a fresh Debian 12 machine.
#
# It builds a minimal Debian 12 (bookworm) root with mmdebstrap (variant
# minbase: Essential packages and apt; no make, git, compiler or server),
# from this machine's own apt sources, clones HEAD of this repository into it
# (/root/sopm, as a new user would; uncommitted changes are not tested; with
# a copy of ../shared, the contracts and peer suites, beside it as CI has
# it), and
# runs there, as root, what README.md's "Quick start" says, on two machines
# made from that root:
#
#   1. a machine that has make (make is installed first, nothing else):
#        make run          must install the packages itself, then build and
#                          start (the first run on a fresh machine)
#        GET /api/functions: 200 and a count;  make stop: nothing left
#        make test
#   2. a machine without make, as the README tells its user:
#        scripts/install_deps.sh;  make run;  GET /api/functions;  make stop
#
# Each runs in private mount, PID and UTS namespaces (unshare + pivot_root), with
# a host name that does not resolve (nor does localhost, as the root has no
# /etc/hosts): MariaDB's set-up must not need name resolution. They share
# this machine's network (apt reaches the mirror), so their stacks listen on
# ports of their own (FRESH_PORT 18380, FRESH_TEST_PORT 18381,
# FRESH_TSAN_PORT 18382), away from a developer's stack (8080) and `make
# test`'s (18080/18097/18090).
#
# Every mount lives in a private mount namespace; when a machine's run ends
# (or is killed), its PID namespace ends and takes every process left in it
# along. The trap removes the roots. Only processes that this script started
# are ever stopped.
#
# APT cache: the host's /var/cache/apt/archives is the read-only lower layer
# of an overlay over the root's cache, so packages already downloaded on this
# machine are not downloaded again (nothing is installed from it up front,
# and nothing is written to the host's cache). FRESH_APT_CACHE=0 disables it.
#
# environment: FRESH_PORT, FRESH_TEST_PORT, FRESH_TSAN_PORT (see above),
#   FRESH_FUZZ_SECONDS (30: the fuzz budget of the fresh make test),
#   FRESH_APT_CACHE (1), FRESH_WORKDIR (parent of the temporary folder,
#   /var/tmp), FRESH_KEEP_LOG (the full log; default var/fresh-machine.log).
# The closing line is "fresh: N passed, N failed" (steps).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SUITE=bookworm
RUN_PORT=${FRESH_PORT:-18380}
TEST_PORT=${FRESH_TEST_PORT:-18381}
TSAN_PORT=${FRESH_TSAN_PORT:-18382}
USE_CACHE=${FRESH_APT_CACHE:-1}
WORK_PARENT=${FRESH_WORKDIR:-/var/tmp}
LOG=${FRESH_KEEP_LOG:-$REPO/var/fresh-machine.log}
# .invalid never resolves (RFC 6761), and the root has no /etc/hosts entry.
FRESH_HOST=sopm-fresh.invalid
CHECKOUT=/root/sopm # inside the root

START=$SECONDS
WORK=
BASE=
CHILD=      # the pid of a long step we started (mmdebstrap, unshare) ...
CHILD_SIG=  # ... and how to stop it
STEP=setup  # what runs now, for the failure message
outer_passed=0

say() { printf 'fresh: [%3d s] %s\n' $((SECONDS - START)) "$*"; }
die() {
    echo "fresh: FAILED in step '$STEP': $*" >&2
    exit 1
}

# -------------------------------------------------------------- checks ---
[[ $(id -u) -eq 0 ]] || die "must run as root (mmdebstrap, unshare, pivot_root, mount)"
[[ $(uname -s) == Linux ]] || die "Linux only"
for p in "$RUN_PORT" "$TEST_PORT" "$TSAN_PORT"; do
    if ! [[ $p =~ ^[0-9]+$ ]] || ((p < 1 || p > 65535)); then die "bad port '$p'"; fi
done
for c in git unshare pivot_root mount findmnt awk; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found"
done
git -C "$REPO" rev-parse --verify -q HEAD >/dev/null || die "$REPO is not a git checkout with a HEAD"
HEAD_COMMIT=$(git -C "$REPO" rev-parse HEAD)
if [[ -n $(git -C "$REPO" status --porcelain --untracked-files=no) ]]; then
    echo "fresh: warning: uncommitted changes in $REPO are not tested (HEAD is)" >&2
fi
# The ports are shared with this machine: they must be free.
if command -v ss >/dev/null 2>&1; then
    for p in "$RUN_PORT" "$TEST_PORT" "$TSAN_PORT"; do
        if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
            die "port $p is in use on this machine (set FRESH_PORT / FRESH_TEST_PORT / FRESH_TSAN_PORT)"
        fi
    done
fi

# -------------------------------------------------------------- cleanup ---
# Stop what we started (by pid), print the logs on failure, remove the root.
cleanup() {
    local rc=$? i
    trap - EXIT INT TERM
    if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
        say "stopping pid $CHILD (our step '$STEP') with SIG$CHILD_SIG"
        kill -"$CHILD_SIG" "$CHILD" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            kill -0 "$CHILD" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    if ((rc != 0)) && [[ -s $LOG ]]; then
        echo "fresh: ---- last 150 lines of $LOG" >&2
        tail -n 150 "$LOG" >&2
        echo "fresh: ---- end of $LOG (the whole log is kept there)" >&2
    fi
    if [[ -n $WORK && -d $WORK ]]; then
        # Our mounts are all in namespaces that are gone by now; never
        # delete through a mount that is still there.
        if findmnt -rn -o TARGET | grep -q -F "$WORK"; then
            echo "fresh: mounts remain under $WORK; not removing it:" >&2
            findmnt -rn -o TARGET | grep -F "$WORK" >&2
            rc=1
        else
            rm -rf --one-file-system "$WORK"
        fi
    fi
    if ((rc == 0)); then
        say "done in $((SECONDS - START)) s"
    else
        echo "fresh: FAILED (exit $rc) in step '$STEP' after $((SECONDS - START)) s" >&2
        echo "fresh: $(passed) passed, 1 failed"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "fresh: interrupted" >&2; exit 130' INT
trap 'echo "fresh: terminated" >&2; exit 143' TERM

# run_child SIG CMD...: run a long step in the background, its output to the
# log (its fd 3 to our stdout), and wait for it, so that a signal reaches our
# trap at once; the trap stops it with SIG.
run_child() {
    local rc=0
    CHILD_SIG=$1
    shift
    "$@" 3>&1 >>"$LOG" 2>&1 </dev/null &
    CHILD=$!
    wait "$CHILD" || rc=$?
    CHILD=
    return "$rc"
}

pass() {
    outer_passed=$((outer_passed + 1))
    say "ok: $STEP"
}
# Steps passed: ours, and the "ok:" lines of the machines' runs in the log.
passed() {
    local inner
    inner=$(grep -c -E '^fresh: \[[a-z-]+ +[0-9]+ s\] ok: ' "$LOG" 2>/dev/null || true)
    echo $((outer_passed + ${inner:-0}))
}

mkdir -p "$(dirname "$LOG")"
: >"$LOG"
mkdir -p "$WORK_PARENT"
WORK=$(mktemp -d "$WORK_PARENT/sopm-fresh.XXXXXX")
BASE=$WORK/base
say "commit $HEAD_COMMIT; work folder $WORK; log $LOG"

# ------------------------------------------------------------ mmdebstrap ---
STEP="install mmdebstrap"
if ! command -v mmdebstrap >/dev/null 2>&1; then
    say "installing mmdebstrap on this machine"
    {
        apt-get -o DPkg::Lock::Timeout=600 update &&
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
                install -y --no-install-recommends mmdebstrap
    } >>"$LOG" 2>&1 </dev/null || die "apt-get install mmdebstrap failed"
fi

# This machine's Debian sources, as deb822: only the entries of Debian's own
# archive for $SUITE (the suite and its -updates/-security/-backports, with
# Debian's components, signed by Debian's keyring), since the root only has
# that keyring. Read at run time: no mirror is written down anywhere.
# usage: debian_sources FILE... (one-line format, or deb822 for *.sources)
debian_sources() {
    (($# > 0)) || return 0
    awk -v suite="$SUITE" '
        function keep(types, uris, suites, comps, signed, enabled,   nt, t, nu, u, ns, s, nc, c, i, j, k, cl, isdeb) {
            if (tolower(enabled) == "no") return
            if (signed != "" && signed !~ /debian-archive-/) return
            nt = split(types, t, /[ \t]+/); isdeb = 0
            for (i = 1; i <= nt; i++) if (t[i] == "deb") isdeb = 1
            if (!isdeb) return
            cl = ""; nc = split(comps, c, /[ \t]+/)
            for (i = 1; i <= nc; i++)
                if (c[i] ~ /^(main|contrib|non-free|non-free-firmware)$/) cl = cl (cl == "" ? "" : " ") c[i]
            if (cl == "") return
            nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
            for (i = 1; i <= nu; i++) {
                if (u[i] !~ /^https?:\/\//) continue
                for (j = 1; j <= ns; j++) {
                    if (s[j] !~ ("^" suite "(-(updates|security|backports))?$")) continue
                    k = u[i] " " s[j] " " cl
                    if (k in seen) continue
                    seen[k] = 1
                    printf "Types: deb\nURIs: %s\nSuites: %s\nComponents: %s\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n", u[i], s[j], cl
                }
            }
        }
        function flush() {
            if (("types" in f) || ("uris" in f)) keep(f["types"], f["uris"], f["suites"], f["components"], f["signed-by"], f["enabled"])
            delete f; last = ""
        }
        FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
        deb822 {
            if ($0 ~ /^[ \t]*#/) next
            if ($0 ~ /^[ \t]*$/) { flush(); next }
            if ($0 ~ /^[ \t]/) { if (last != "") f[last] = f[last] "\n" $0; next }
            key = tolower($0); sub(/:.*/, "", key)
            val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
            f[key] = val; last = key
            next
        }
        {
            line = $0; sub(/#.*/, "", line)
            n = split(line, w, /[ \t]+/); i = 1
            if (w[i] == "") i++
            if (w[i] != "deb") next
            i++; signed = ""
            if (w[i] ~ /^\[/) {
                for (; i <= n; i++) {
                    o = w[i]; gsub(/[\[\]]/, "", o)
                    if (o ~ /^signed-by=/) { signed = o; sub(/^signed-by=/, "", signed) }
                    if (w[i] ~ /\]$/) { i++; break }
                }
            }
            uri = w[i]; s1 = w[i + 1]; comps = ""
            for (j = i + 2; j <= n; j++) if (w[j] != "") comps = comps " " w[j]
            keep("deb", uri, s1, comps, signed, "")
        }
        END { flush() }
    ' "$@"
}
apt_source_files() {
    local f
    [[ -f /etc/apt/sources.list ]] && echo /etc/apt/sources.list
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] && echo "$f"
    done
    return 0
}

STEP="build the root"
SOURCES=$WORK/debian.sources
mapfile -t source_files < <(apt_source_files)
debian_sources "${source_files[@]}" >"$SOURCES"
[[ -s $SOURCES ]] ||
    die "no Debian $SUITE entry (http/https, Debian's keyring) in /etc/apt/sources.list or /etc/apt/sources.list.d/"
say "apt sources (this machine's): $(awk '/^URIs:/ { u = $2 } /^Suites:/ { printf "%s%s %s", sep, u, $2; sep = ", " }' "$SOURCES")"

mm=(mmdebstrap --mode=unshare --variant=minbase --format=directory)
# An https mirror needs the CA certificates in the root (as any Debian has).
if grep -q '^URIs: https:' "$SOURCES"; then mm+=(--include=ca-certificates); fi
if [[ $USE_CACHE == 1 && -d /var/cache/apt/archives ]]; then
    mkdir -p "$WORK/cache-build/upper" "$WORK/cache-build/work"
    # mmdebstrap's own mount namespace holds the overlay; unmounted before
    # its clean-up empties the root's cache.
    # shellcheck disable=SC2016 # "$1" is expanded by mmdebstrap's hook
    mm+=(--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\" && mount -t overlay fresh-apt-cache -o lowerdir=/var/cache/apt/archives,upperdir=$WORK/cache-build/upper,workdir=$WORK/cache-build/work \"\$1/var/cache/apt/archives\""
        --customize-hook='umount "$1/var/cache/apt/archives"')
fi
say "building a minimal Debian $SUITE root with mmdebstrap (log: $LOG)"
t0=$SECONDS
run_child TERM "${mm[@]}" "$SUITE" "$BASE" "$SOURCES" ||
    die "mmdebstrap failed (see the log above)"
[[ -x $BASE/bin/bash && -x $BASE/usr/bin/apt-get ]] || die "the root has no bash or apt-get"
rm -rf "$WORK/cache-build"
say "root built in $((SECONDS - t0)) s ($(du -sh --one-file-system "$BASE" | cut -f1))"
pass

STEP="clone the repository"
git clone --quiet --no-local --no-hardlinks "$REPO" "$BASE$CHECKOUT" >>"$LOG" 2>&1 ||
    die "git clone $REPO failed"
git -C "$BASE$CHECKOUT" checkout --quiet --detach "$HEAD_COMMIT" >>"$LOG" 2>&1 ||
    die "cannot check out $HEAD_COMMIT in the clone"
say "cloned $REPO at ${HEAD_COMMIT:0:12} into $CHECKOUT"
# The contracts and the peer test suites sit beside the checkout, as they do
# for a developer and for CI (../shared); the tests read the peer suites
# from there.
if [[ -d $REPO/../shared ]]; then
    cp -r "$REPO/../shared" "$BASE$(dirname "$CHECKOUT")/shared"
    chmod -R u+w "$BASE$(dirname "$CHECKOUT")/shared"
    say "copied ../shared beside the checkout"
fi
pass


# ------------------------------------------------------------- a machine ---
# The script each machine runs, inside its root, as root, with an empty
# environment. Step names and results go to fd 3 (our stdout) and the log;
# everything else goes to the log.
cat >"$BASE/tmp/sopm-fresh-inner.sh" <<'INNER'
#!/bin/bash
set -euo pipefail
cd "$CHECKOUT"
STEP=start
t_start=$SECONDS
mark() {
    local m
    m=$(printf 'fresh: [%s %4d s] %s' "$MACHINE" $((SECONDS - t_start)) "$*")
    echo "$m"
    echo "$m" >&3
}
step() {
    STEP=$1
    echo "$STEP" >/tmp/sopm-fresh-step
    mark "---- $STEP"
}
ok() { mark "ok: $STEP"; }
fail() {
    echo "$*" >&2
    exit 1
}
stack_left() { ps -e -o comm= | grep -E '^(mariadbd|redis-server|nginx|sopm-)' | sort -u | tr '\n' ' ' || true; }
show_logs() {
    local f
    for f in var/log/*.log var/log/*.out var/test/log/*.log var/test/log/*.out \
        var/tsan/log/*.out var/test-report/*.log; do
        [[ -s $f ]] || continue
        echo "---- last lines of $CHECKOUT/$f"
        tail -n 30 "$f"
    done
}
on_exit() {
    local rc=$?
    if ((rc != 0)); then
        mark "FAILED: $STEP (exit $rc)"
        show_logs
    fi
}
trap on_exit EXIT

if [[ $MACHINE == with-make ]]; then
    step "set-up: a machine that has make (apt-get install make, nothing else)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends make
    ok
fi

step "a fresh machine"
host=$(hostname)
if getent hosts "$host" >/dev/null; then
    fail "the host name $host resolves: this run would not prove anything"
fi
mark "host name $host does not resolve; localhost $(getent hosts localhost >/dev/null && echo resolves || echo does not either)"
for c in cc git curl pkg-config mariadbd nginx redis-server; do
    if command -v "$c" >/dev/null; then fail "$c is already installed: not a fresh machine"; fi
done
mark "none of cc git curl pkg-config mariadbd nginx redis-server is here; make: $(command -v make || echo none)"
ok

if ! command -v make >/dev/null; then
    # README: "On a machine without make yet, run scripts/install_deps.sh once first"
    step "scripts/install_deps.sh (no make yet, as the README says)"
    scripts/install_deps.sh
    ok
fi

step "make run"
SOPM_PORT=$RUN_PORT make run 2>&1 | tee /tmp/make-run.out
ok

step "the development admin key (a file of mode 0600, never printed)"
key=$(cat var/secrets/admin.key)
[[ $(stat -Lc %a var/secrets/admin.key) == 600 ]] || fail "var/secrets/admin.key is not mode 0600"
! grep -qF "$key" /tmp/make-run.out || fail "make run printed the admin key"
grep -q "secrets/admin.key" /tmp/make-run.out || fail "make run did not say where the admin key is"
code=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" \
    "http://127.0.0.1:$RUN_PORT/api/user-functions")
[[ $code == 200 ]] || fail "GET /api/user-functions with the admin key answered $code"
mark "admin key: mode 0600, not printed, GET /api/user-functions 200"
ok

step "GET /api/functions"
body=$(curl -sS --max-time 10 -w '\n%{http_code}' "http://127.0.0.1:$RUN_PORT/api/functions")
code=${body##*$'\n'}
body=${body%$'\n'*}
[[ $code == 200 ]] || fail "GET /api/functions answered $code: $body"
count=$(printf '%s' "$body" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d["count"], int) and d["count"] == len(d["functions"]) > 0, d
print(d["count"])')
mark "GET /api/functions: 200, count $count"
ok

if ((!RUN_TESTS)); then
    # (the other machine's make test builds every runtime)
    step "a user function builds: upload with curl, then ready with an image and a digest"
    fid=$(curl -sS --max-time 30 -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        "http://127.0.0.1:$RUN_PORT/api/user-functions" \
        -d '{"name":"hello","runtime":"python3","code":"def handle(event, context):\n    return event\n"}' |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
    for ((i = 0; i < 900; i++)); do
        v=$(curl -sS --max-time 10 -H "Authorization: Bearer $key" \
            "http://127.0.0.1:$RUN_PORT/api/user-functions/$fid" |
            python3 -c 'import json, sys; v = json.load(sys.stdin)["versions"][0]; print(v["status"], v["image"], v["digest"])')
        [[ $v == pending* || $v == building* ]] || break
        sleep 1
    done
    [[ $v =~ ^ready\ localhost/sopm/fn-$fid:v1\ sha256:[0-9a-f]{64}$ ]] ||
        fail "the build of function $fid ended: $v (see var/log/sopm-builder.log)"
    mark "function $fid: $v after $i s (base image included)"
    ok
fi

step "make stop"
SOPM_PORT=$RUN_PORT make stop
left=$(stack_left)
[[ -z $left ]] || fail "still running after make stop: $left"
ok

if ((RUN_TESTS)); then
    step "make test"
    # The fuzzer proper runs in the CI's own `make test`; here it only has
    # to build and run on a fresh machine (FRESH_FUZZ_SECONDS, default 30).
    SOPM_TEST_PORT=$TEST_PORT SOPM_TSAN_PORT=$TSAN_PORT \
        SOPM_FUZZ_SECONDS=${FRESH_FUZZ_SECONDS:-30} make test
    left=$(stack_left)
    [[ -z $left ]] || fail "still running after make test: $left"
    ok
fi
INNER
chmod 755 "$BASE/tmp/sopm-fresh-inner.sh"

# PID 1 of a machine's PID namespace: mounts what a machine has, names the
# host, makes the root the namespace's root and runs the inner script there.
# When it exits, every process left in the namespace is killed and its mounts
# go away. pivot_root, not chroot: the kernel refuses a user namespace to a
# chrooted process (EPERM), and runsc's sandbox and mmdebstrap need one, as
# they have on a real machine. The old root is unmounted at once, with its
# own umount (a minbase root may have none).
# shellcheck disable=SC2016 # expanded by that bash
NS_INIT='
set -euo pipefail
mount --bind "$ROOT" "$ROOT"
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
mount -t tmpfs -o mode=1777,nosuid,nodev fresh-shm "$ROOT/dev/shm"
if [[ $USE_CACHE == 1 && -d /var/cache/apt/archives ]]; then
    mkdir -p "$ROOT.cache/upper" "$ROOT.cache/work"
    mount -t overlay fresh-apt-cache \
        -o "lowerdir=/var/cache/apt/archives,upperdir=$ROOT.cache/upper,workdir=$ROOT.cache/work" \
        "$ROOT/var/cache/apt/archives"
fi
hostname "$FRESH_HOST"
old=$(mktemp -d "$ROOT/tmp/host-root.XXXXXX")
cd "$ROOT"
pivot_root . "$old"
cd /
"${old#"$ROOT"}/usr/bin/umount" -l "${old#"$ROOT"}"
rmdir "${old#"$ROOT"}"
/usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    MACHINE="$MACHINE" RUN_TESTS="$RUN_TESTS" CHECKOUT="$CHECKOUT" \
    RUN_PORT="$RUN_PORT" TEST_PORT="$TEST_PORT" TSAN_PORT="$TSAN_PORT" \
    /bin/bash /tmp/sopm-fresh-inner.sh
'

# run_machine NAME ROOT RUN_TESTS
run_machine() {
    local name=$1 root=$2 tests=$3 rc=0 t0=$SECONDS ports=$RUN_PORT
    STEP="machine $name"
    if ((tests)); then ports+=", $TEST_PORT, $TSAN_PORT"; fi
    say "machine $name: the README's commands in $root (host name $FRESH_HOST; ports $ports)"
    # SIGKILL: unshare then kills the namespace's PID 1, and with it the rest.
    run_child KILL env ROOT="$root" USE_CACHE="$USE_CACHE" FRESH_HOST="$FRESH_HOST" \
        MACHINE="$name" RUN_TESTS="$tests" CHECKOUT="$CHECKOUT" \
        RUN_PORT="$RUN_PORT" TEST_PORT="$TEST_PORT" TSAN_PORT="$TSAN_PORT" \
        unshare --mount --pid --uts --fork --kill-child --propagation private \
        /bin/bash -c "$NS_INIT" || rc=$?
    if ((rc != 0)); then
        [[ -r $root/tmp/sopm-fresh-step ]] && STEP="machine $name: $(head -n 1 "$root/tmp/sopm-fresh-step")"
        die "exit $rc"
    fi
    say "machine $name: every step passed in $((SECONDS - t0)) s"
    rm -rf --one-file-system "$root" "$root.cache"
}

# Machine 1 needs a root of its own: copy the fresh one before any use.
cp -a "$BASE" "$WORK/with-make"
run_machine with-make "$WORK/with-make" 1
run_machine without-make "$BASE" 0

summary=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$LOG" | tail -n 1 || true)
say "make test on the fresh machine: ${summary:-no summary line}"
echo "fresh: $(passed) passed, 0 failed"
