#!/usr/bin/env bash
# stack.sh - the local SOPM stack: MariaDB, Redis, sopm-fcgi, sopm-builder
# and nginx, all under one state folder, with no system service involved.
#
# usage: scripts/stack.sh start | stop | status
#        scripts/stack.sh start-service NAME | stop-service NAME
#        (NAME is one of: mariadb redis fcgi builder nginx)
#
# environment:
#   SOPM_STATE            state folder (default <repo>/var)
#   SOPM_PORT             HTTP port of nginx on 127.0.0.1 (default 8080)
#   SOPM_BUILD            build folder holding sopm-fcgi and sopm-builder
#                         (default build)
#   SOPM_NGINX_WORKERS    nginx worker_processes (default: number of cores)
#   SOPM_NGINX_KEEPALIVE  kept FastCGI connections per nginx worker (default 32)
#   SOPM_BUILDER          0: do not start sopm-builder (default 1)
# Relative SOPM_STATE / SOPM_BUILD are taken from the repository root.
#
# State layout: run/ (sockets, pid files), log/, mysql/ (datadir), redis/
# (AOF), nginx/ (rendered nginx.conf, conf.d/ and http.d/ for extra server-
# and http-level configuration, tmp/), sopm.conf (instance
# configuration: etc/sopm.conf plus overrides; generated only when missing).
#
# As root, every service runs as the system user `sopm`, except sopm-fcgi,
# which starts as root and drops to `fcgi.user` itself, and sopm-builder,
# which keeps a root helper for runsc and buildah and drops to
# `builder.user` for the rest (docs/design.md, "Builder"). As another user,
# everything runs as that user, and sopm-builder is not started: user
# functions then stay `pending`.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
    echo "stack: $*" >&2
    exit 1
}
SERVICES=(mariadb redis fcgi builder nginx)

abs() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s\n' "$REPO/$1" ;;
    esac
}

STATE=$(abs "${SOPM_STATE:-var}")
STATE=${STATE%/}

# As root, the services run as `sopm`, which must be able to reach the state
# folder. A checkout under a private folder (e.g. /root, mode 700) cannot be
# reached: the state then lives under /var/lib/sopm, and SOPM_STATE becomes a
# symbolic link to it, so paths that tools and tests use keep working.
if [[ $(id -u) -eq 0 ]] && id -u sopm >/dev/null 2>&1 && [[ ! -L $STATE ]] &&
    ! setpriv --reuid=sopm --regid=sopm --init-groups -- test -x "$(dirname "$STATE")" 2>/dev/null; then
    [[ -e $STATE ]] && [[ -n $(ls -A "$STATE" 2>/dev/null) ]] &&
        die "user sopm cannot reach $STATE, and it is not empty: move it, or make its parents traversable (chmod o+x)"
    rmdir "$STATE" 2>/dev/null || true
    real=/var/lib/sopm/state-$(printf '%s' "$STATE" | sha1sum | cut -c1-12)
    rm -rf "$real" # a new link means a new state
    mkdir -p "$real" "$(dirname "$STATE")"
    chmod 755 /var/lib/sopm
    ln -s "$real" "$STATE"
    echo "stack: $STATE is not reachable by user sopm; state kept in $real" >&2
fi
[[ -L $STATE ]] && STATE=$(readlink -f "$STATE")
PORT=${SOPM_PORT:-8080}
BUILD=$(abs "${SOPM_BUILD:-build}")
WORKERS=${SOPM_NGINX_WORKERS:-$(nproc 2>/dev/null || echo 1)}
KEEPALIVE=${SOPM_NGINX_KEEPALIVE:-32}

RUN=$STATE/run
LOG=$STATE/log
DATADIR=$STATE/mysql
CONF=$STATE/sopm.conf
FCGI_BIN=$BUILD/sopm-fcgi
BUILDER_BIN=$BUILD/sopm-builder
FCGI_SOCK=$RUN/fcgi.sock
MYSQL_SOCK=$RUN/mysql.sock
REDIS_SOCK=$RUN/redis.sock
URL=http://127.0.0.1:$PORT

STOP_TIMEOUT=${SOPM_STOP_TIMEOUT:-15}
DB_NAME=sopm
APP_USER=sopm_app
APP_ACCOUNT="'$APP_USER'@'localhost'"
SECRETS=$STATE/secrets
DB_PASSWORD_FILE=$SECRETS/db-password
ADMIN_KEY_FILE=$SECRETS/admin.key


# How to stop this instance: `make stop` for the default one.
stop_hint() {
    if [[ $STATE == "$REPO/var" ]]; then
        echo "make stop"
    else
        echo "SOPM_STATE=$STATE scripts/stack.sh stop"
    fi
}
say() { echo "stack: $*"; }

if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then die "bad SOPM_PORT '$PORT'"; fi
[[ $WORKERS =~ ^([0-9]+|auto)$ ]] || die "bad SOPM_NGINX_WORKERS '$WORKERS'"
[[ $KEEPALIVE =~ ^[0-9]+$ ]] || die "bad SOPM_NGINX_KEEPALIVE '$KEEPALIVE'"
# The state path goes into nginx.conf and sed replacements unquoted.
[[ $STATE =~ ^/[A-Za-z0-9/._+-]+$ ]] || die "SOPM_STATE '$STATE' must be a path of [A-Za-z0-9/._+-] only"
case $STATE in
/ | /bin | /boot | /dev | /etc | /home | /lib* | /opt | /proc | /root | /run | /sbin | /srv | /sys | /tmp | /usr | /usr/* | /var | "$REPO")
    die "refusing SOPM_STATE=$STATE: use a folder of its own (default $REPO/var)" ;;
esac
# unix socket paths are limited to 107 bytes
((${#MYSQL_SOCK} < 100)) || die "SOPM_STATE '$STATE' is too long for unix socket paths"

if [[ $(id -u) -eq 0 ]]; then
    IS_ROOT=1
    SVC_USER=sopm
else
    IS_ROOT=0
    SVC_USER=$(id -un)
fi

# Run a command as the service user (no fork, no PAM session).
as_svc() {
    if ((IS_ROOT)); then
        setpriv --reuid="$SVC_USER" --regid="$SVC_USER" --init-groups -- "$@"
    else
        "$@"
    fi
}

pidfile() { printf '%s\n' "$RUN/$1.pid"; }

# Name a live process of service $1 must carry (comm or executable name).
proc_name() {
    case $1 in
    mariadb) echo mariadbd ;;
    redis) echo redis-server ;;
    fcgi) echo sopm-fcgi ;;
    builder) echo sopm-builder ;;
    nginx) echo nginx ;;
    esac
}

# True when pid $1 is alive and not a zombie, whatever it runs: a process we
# just started may still be exec'ing its way (setsid, env) to the daemon.
alive() {
    local stat
    [[ $1 =~ ^[0-9]+$ ]] || return 1
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# True when pid $2 is alive and is service $1's program, so that a recycled
# pid is never taken for ours.
proc_is() {
    local svc=$1 pid=$2 want comm exe
    alive "$pid" || return 1
    want=$(proc_name "$svc")
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [[ $comm == "$want" ]] && return 0
    [[ $svc == fcgi && $comm == sopm* ]] && return 0
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
    exe=${exe% (deleted)}
    [[ ${exe##*/} == "$want" ]]
}

# Print the pid of service $1 when it runs (per its pid file).
svc_pid() {
    local f pid
    f=$(pidfile "$1")
    [[ -r $f ]] || return 1
    pid=$(head -c 32 "$f" 2>/dev/null | tr -dc 0-9)
    [[ -n $pid ]] && proc_is "$1" "$pid" || return 1
    echo "$pid"
}

running() { svc_pid "$1" >/dev/null; }


# Live (non-zombie) processes in session $1 (our daemons are session leaders).
session_members() {
    ps -e -o pid=,sid=,stat= 2>/dev/null | awk -v s="$1" '$2 == s && $3 !~ /^Z/ { print $1 }'
}

show_log() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || continue
        echo "---- last lines of $f" >&2
        tail -n 12 "$f" >&2
    done
}

# ---------------------------------------------------------------- state ---

valid_service() {
    local s
    for s in "${SERVICES[@]}"; do [[ $s == "$1" ]] && return 0; done
    die "unknown service '$1' (one of: ${SERVICES[*]})"
}

ensure_state() {
    if ((IS_ROOT)); then
        id -u "$SVC_USER" >/dev/null 2>&1 ||
            die "system user '$SVC_USER' does not exist: run scripts/install_deps.sh (make deps)"
    fi
    mkdir -p "$STATE" "$RUN" "$LOG" "$STATE/redis" "$STATE/nginx/conf.d" "$STATE/nginx/http.d" \
        "$STATE/nginx/tmp"/{client_body,proxy,fastcgi,uwsgi,scgi}
    touch "$LOG"/{mariadb,redis,nginx,sopm-fcgi,sopm-builder}.out "$LOG"/sopm-{fcgi,builder}.log
    if ((IS_ROOT)); then
        chown "$SVC_USER:" "$STATE"
        chown -R "$SVC_USER:" "$RUN" "$LOG" "$STATE/redis" "$STATE/nginx"
        [[ ! -e $DATADIR ]] || chown -R "$SVC_USER:" "$DATADIR"
        [[ ! -e $CONF ]] || chown "$SVC_USER:" "$CONF"
        as_svc test -x "$STATE" -a -w "$RUN" -a -w "$LOG" ||
            die "user $SVC_USER cannot reach $STATE: every parent folder must be traversable (chmod o+x)"
    fi
}

builder_conf() {
    if ((IS_ROOT)); then echo "builder.user = $SVC_USER"; fi
    echo "builder.log_file = $LOG/sopm-builder.log"
    echo "builder.state_dir = $STATE/builder"
    echo "builder.runtimes_dir = $REPO/runtimes"
}

# Instance configuration: etc/sopm.conf, then overrides (later keys win).
# Generated only when missing, so tests may edit it and send SIGHUP.
ensure_conf() {
    if [[ -e $CONF ]]; then
        # A state made before the pool had its own account: move it there.
        grep -q '^db.password_file' "$CONF" ||
            printf 'db.user = %s\ndb.password_file = %s\n' "$APP_USER" "$DB_PASSWORD_FILE" >>"$CONF"
        # ... and before the builder: its keys.
        grep -q '^builder.state_dir = /' "$CONF" || builder_conf >>"$CONF"
        return 0
    fi
    [[ -r $REPO/etc/sopm.conf ]] || die "missing $REPO/etc/sopm.conf"
    {
        cat "$REPO/etc/sopm.conf"
        echo
        echo "# --- instance overrides (generated by scripts/stack.sh) ---"
        echo "fcgi.socket = $FCGI_SOCK"
        if ((IS_ROOT)); then echo "fcgi.user = $SVC_USER"; fi
        echo "redis.socket = $REDIS_SOCK"
        echo "db.socket = $MYSQL_SOCK"
        echo "db.user = $APP_USER"
        echo "db.password_file = $DB_PASSWORD_FILE"
        echo "db.name = $DB_NAME"
        echo "log.file = $LOG/sopm-fcgi.log"
        builder_conf
    } >"$CONF.tmp"
    mv -f "$CONF.tmp" "$CONF"
    if ((IS_ROOT)); then chown "$SVC_USER:" "$CONF"; fi
    say "wrote instance config $CONF"
}

# ---------------------------------------------------------------- MariaDB ---

sqlq() {
    mariadb --no-defaults --socket="$MYSQL_SOCK" --batch --skip-column-names "$@"
}

mariadb_init() {
    [[ -d $DATADIR/mysql ]] && return 0
    local tmp=$STATE/mysql.init
    say "initialising MariaDB datadir $DATADIR"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    if ((IS_ROOT)); then chown "$SVC_USER:" "$tmp"; fi
    # --force: skip the script's check that the host name (or 'localhost')
    # resolves, which fails where neither does (a container, a chroot, a
    # host with no /etc/hosts entry). The stack needs no name resolution:
    # the server listens on a unix socket only and its accounts are
    # 'x'@'localhost', which a socket connection always is, so mariadbd runs
    # with --skip-name-resolve (it warns once per start that the
    # root@<host name> entry made here is ignored in that mode: harmless).
    if ! mariadb-install-db --no-defaults --force --datadir="$tmp" --user="$SVC_USER" \
        --auth-root-authentication-method=socket --skip-test-db \
        >"$LOG/mariadb-install.log" 2>&1 9>&-; then
        show_log "$LOG/mariadb-install.log"
        rm -rf "$tmp"
        die "mariadb-install-db failed"
    fi
    # Publish the datadir only once it is complete.
    [[ ! -d $DATADIR ]] || rmdir "$DATADIR" 2>/dev/null || die "$DATADIR exists but holds no database; remove it"
    mv "$tmp" "$DATADIR"
}

mariadb_setup() {
    # Migrations run as the admin account: root over the socket (or, not
    # as root, the OS user that mariadb-install-db made the superuser).
    sqlq -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;" ||
        die "cannot create database $DB_NAME"
    "$REPO/scripts/migrate.sh" --socket "$MYSQL_SOCK" --database "$DB_NAME" 9>&- ||
        die "migrations failed"
    app_account
    dev_admin
}

# The pool's own account, $APP_ACCOUNT: a random password in
# $DB_PASSWORD_FILE (mode 0600, the service user's), and only the rights of
# sql/grants.sql (no DDL, nothing outside the schema).
app_account() {
    local pw who
    mkdir -p "$SECRETS"
    chmod 700 "$SECRETS"
    if [[ ! -s $DB_PASSWORD_FILE ]]; then
        (umask 077 && od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$DB_PASSWORD_FILE.tmp")
        mv -f "$DB_PASSWORD_FILE.tmp" "$DB_PASSWORD_FILE"
    fi
    if ((IS_ROOT)); then chown -R "$SVC_USER:" "$SECRETS"; fi
    pw=$(head -n1 "$DB_PASSWORD_FILE")
    [[ $pw =~ ^[0-9a-f]{48}$ ]] || die "$DB_PASSWORD_FILE does not hold a password made by this script; remove it"
    # The password is hex: safe inside the quotes. It reaches the client on
    # stdin, never on a command line.
    printf "CREATE USER IF NOT EXISTS %s IDENTIFIED BY '%s';\nALTER USER %s IDENTIFIED BY '%s';\n" \
        "$APP_ACCOUNT" "$pw" "$APP_ACCOUNT" "$pw" | sqlq ||
        die "cannot create the account $APP_ACCOUNT"
    sed "s/@ACCOUNT@/$APP_ACCOUNT/g" "$REPO/sql/grants.sql" | sqlq "$DB_NAME" ||
        die "cannot grant $APP_ACCOUNT its rights (sql/grants.sql)"
    who=$(MYSQL_PWD=$pw as_svc mariadb --no-defaults --socket="$MYSQL_SOCK" --user="$APP_USER" \
        --batch --skip-column-names -e "SELECT CURRENT_USER(); USE \`$DB_NAME\`;" 2>&1) ||
        die "account $APP_ACCOUNT cannot use database $DB_NAME: $who"
}

# A development admin and its key, on the first start only: the key goes to
# $ADMIN_KEY_FILE (mode 0600) and is never printed (sql/admin/create_key.sql).
dev_admin() {
    local key
    [[ -e $ADMIN_KEY_FILE ]] && return 0
    if [[ -z $(sqlq "$DB_NAME" -e "SELECT id FROM users WHERE name = 'admin'") ]]; then
        { echo "SET @name = 'admin', @is_admin = TRUE;"; cat "$REPO/sql/admin/create_user.sql"; } |
            sqlq "$DB_NAME" >/dev/null || die "cannot create the development admin user"
    fi
    key=$({ echo "SET @user = 'admin', @key_name = 'development';"; cat "$REPO/sql/admin/create_key.sql"; } |
        sqlq "$DB_NAME") || die "cannot create the development admin key"
    [[ $key =~ ^sopm_[0-9a-f]{48}$ ]] || die "sql/admin/create_key.sql returned no key"
    (umask 077 && printf '%s\n' "$key" >"$ADMIN_KEY_FILE")
    if ((IS_ROOT)); then chown "$SVC_USER:" "$ADMIN_KEY_FILE"; fi
    say "development admin key written to $ADMIN_KEY_FILE (mode 0600)"
}

start_mariadb() {
    local pid i
    if pid=$(svc_pid mariadb); then
        say "mariadb: already running (pid $pid)"
    else
        command -v mariadbd >/dev/null || die "mariadbd not installed: run scripts/install_deps.sh"
        mariadb_init
        rm -f "$(pidfile mariadb)" "$MYSQL_SOCK" "$MYSQL_SOCK.lock"
        local args=(--no-defaults --datadir="$DATADIR" --socket="$MYSQL_SOCK"
            --skip-networking --skip-name-resolve --pid-file="$(pidfile mariadb)"
            --log-error="$LOG/mariadb.log"
            --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci)
        if ((IS_ROOT)); then args+=(--user="$SVC_USER"); fi
        (cd "$STATE" && exec setsid mariadbd "${args[@]}" </dev/null >>"$LOG/mariadb.out" 2>&1 9>&-) &
        pid=$!
        # mariadbd writes the same pid there itself once it is up; record it
        # now so that a failed start can still be stopped.
        # (written via a temp file, so that it always belongs to the service
        # user, who must be able to overwrite it)
        echo "$pid" >"$RUN/mariadb.pid.tmp"
        if ((IS_ROOT)); then chown "$SVC_USER:" "$RUN/mariadb.pid.tmp"; fi
        mv -f "$RUN/mariadb.pid.tmp" "$(pidfile mariadb)"
        for ((i = 0; i < 300; i++)); do
            if mariadb-admin --no-defaults --socket="$MYSQL_SOCK" ping >/dev/null 2>&1; then
                break
            fi
            if ! alive "$pid"; then
                show_log "$LOG/mariadb.log" "$LOG/mariadb.out"
                die "mariadb exited during start-up"
            fi
            sleep 0.1
        done
        ((i < 300)) || { show_log "$LOG/mariadb.log"; die "mariadb did not answer within 30 s"; }
        say "mariadb: started (pid $pid)"
    fi
    mariadb_setup
}

# ---------------------------------------------------------------- Redis ---

start_redis() {
    local pid i
    if pid=$(svc_pid redis); then
        say "redis: already running (pid $pid)"
        return 0
    fi
    command -v redis-server >/dev/null || die "redis-server not installed: run scripts/install_deps.sh"
    rm -f "$(pidfile redis)" "$REDIS_SOCK"
    if ! (cd "$STATE/redis" && as_svc redis-server --port 0 \
        --unixsocket "$REDIS_SOCK" --unixsocketperm 770 \
        --dir "$STATE/redis" --appendonly yes \
        --pidfile "$(pidfile redis)" --logfile "$LOG/redis.log" \
        --daemonize yes </dev/null >>"$LOG/redis.out" 2>&1 9>&-); then
        show_log "$LOG/redis.out" "$LOG/redis.log"
        die "redis-server failed to start"
    fi
    for ((i = 0; i < 150; i++)); do
        if pid=$(svc_pid redis) &&
            [[ $(redis-cli -s "$REDIS_SOCK" ping 2>/dev/null) == PONG ]]; then
            say "redis: started (pid $pid)"
            return 0
        fi
        sleep 0.1
    done
    show_log "$LOG/redis.log" "$LOG/redis.out"
    die "redis did not answer PING within 15 s"
}

# ---------------------------------------------------------------- sopm-fcgi ---

# launch SVC BIN OUT: starts BIN -c CONF from the repository, in a session
# of its own, output appended to OUT, and writes SVC's pid file. The stack's
# own SOPM_* variables are not configuration keys: they are kept away.
launch() {
    local svc=$1 bin=$2 out=$3
    echo "==== $(date -u +%FT%TZ) stack.sh starts $bin -c $CONF" >>"$out"
    (cd "$REPO" && exec setsid env -u SOPM_STATE -u SOPM_PORT -u SOPM_BUILD -u SOPM_URL \
        -u SOPM_NGINX_WORKERS -u SOPM_NGINX_KEEPALIVE -u SOPM_STOP_TIMEOUT -u SOPM_BUILDER \
        "$bin" -c "$CONF" </dev/null >>"$out" 2>&1 9>&-) &
    echo "$!" >"$(pidfile "$svc")"
}

check_fcgi_bin() {
    [[ -x $FCGI_BIN ]] || die "sopm-fcgi not found at $FCGI_BIN: run make first"
}

start_fcgi() {
    local pid i
    if pid=$(svc_pid fcgi); then
        say "fcgi: already running (pid $pid)"
        return 0
    fi
    check_fcgi_bin
    ensure_conf
    rm -f "$(pidfile fcgi)" "$FCGI_SOCK" # a stale socket would look ready
    # Started as root (it drops to fcgi.user itself); the master stays in
    # the foreground of this process.
    launch fcgi "$FCGI_BIN" "$LOG/sopm-fcgi.out"
    pid=$(<"$(pidfile fcgi)")
    if ((IS_ROOT)); then chown "$SVC_USER:" "$(pidfile fcgi)" "$LOG/sopm-fcgi.out"; fi
    for ((i = 0; i < 300; i++)); do
        if [[ -S $FCGI_SOCK ]]; then
            say "fcgi: started (pid $pid)"
            return 0
        fi
        if ! alive "$pid"; then
            show_log "$LOG/sopm-fcgi.out" "$LOG/sopm-fcgi.log"
            rm -f "$(pidfile fcgi)"
            die "sopm-fcgi exited during start-up"
        fi
        sleep 0.1
    done
    show_log "$LOG/sopm-fcgi.out"
    die "sopm-fcgi did not create $FCGI_SOCK within 30 s"
}

# ---------------------------------------------------------------- sopm-builder ---

# It needs root (runsc, buildah): as another user it is not started, and
# the rest of the stack runs without it.
builder_wanted() { ((IS_ROOT)) && [[ ${SOPM_BUILDER:-1} != 0 ]]; }

start_builder() {
    local pid i
    if ! builder_wanted; then
        if ((IS_ROOT)); then
            say "builder: not started (SOPM_BUILDER=0); user functions stay pending"
        else
            say "builder: not started (runsc and buildah need root); user functions stay pending"
        fi
        return 0
    fi
    if pid=$(svc_pid builder); then
        say "builder: already running (pid $pid)"
        return 0
    fi
    [[ -x $BUILDER_BIN ]] || die "sopm-builder not found at $BUILDER_BIN: run make first"
    ensure_conf
    rm -f "$(pidfile builder)"
    launch builder "$BUILDER_BIN" "$LOG/sopm-builder.out"
    pid=$(<"$(pidfile builder)")
    # Started when it logged so (after its recovery round), or died.
    for ((i = 0; i < 100; i++)); do
        if grep -q "sopm-builder started (pid $pid" "$LOG/sopm-builder.log" 2>/dev/null; then
            say "builder: started (pid $pid)"
            return 0
        fi
        if ! alive "$pid"; then
            show_log "$LOG/sopm-builder.out" "$LOG/sopm-builder.log"
            rm -f "$(pidfile builder)"
            die "sopm-builder exited during start-up"
        fi
        sleep 0.1
    done
    show_log "$LOG/sopm-builder.out" "$LOG/sopm-builder.log"
    die "sopm-builder did not start within 10 s"
}

# buildah's overlay driver leaves a bind mount of its store behind; without
# the builder nothing uses it, and a removed state folder must not keep it.
unmount_builder() {
    local m
    awk -v p="$STATE/builder/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
        while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}

# ---------------------------------------------------------------- nginx ---

http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL$1" 2>/dev/null || true
}

port_taken() {
    command -v ss >/dev/null 2>&1 || return 1
    ss -Hltn 2>/dev/null | awk -v p="$PORT" '
        { a = $4; n = split(a, x, ":"); port = x[n]; host = substr(a, 1, length(a) - length(port) - 1) }
        port == p && (host == "127.0.0.1" || host == "0.0.0.0" || host == "*" || host == "[::]") { f = 1 }
        END { exit !f }'
}

render_nginx() {
    local tmpl=$REPO/nginx/sopm.conf.in out=$STATE/nginx/nginx.conf
    [[ -r $tmpl ]] || die "missing $tmpl"
    sed -e "s|@PORT@|$PORT|g" -e "s|@STATE@|$STATE|g" -e "s|@FCGI_SOCKET@|$FCGI_SOCK|g" \
        -e "s|@KEEPALIVE@|$KEEPALIVE|g" -e "s|@WORKERS@|$WORKERS|g" "$tmpl" >"$out.tmp"
    ! grep -q '@[A-Z_]*@' "$out.tmp" || die "unreplaced placeholder in $out.tmp"
    mv -f "$out.tmp" "$out"
    if ((IS_ROOT)); then chown "$SVC_USER:" "$out"; fi
}

start_nginx() {
    local pid i code conf=$STATE/nginx/nginx.conf out
    if pid=$(svc_pid nginx); then
        say "nginx: already running (pid $pid)"
        return 0
    fi
    command -v nginx >/dev/null || die "nginx not installed: run scripts/install_deps.sh"
    port_taken && die "port $PORT is already in use by another program (set SOPM_PORT)"
    render_nginx
    rm -f "$(pidfile nginx)"
    if ! out=$(as_svc nginx -t -q -p "$STATE/nginx" -c "$conf" -e "$LOG/nginx-error.log" 2>&1 9>&-); then
        echo "$out" >&2
        die "nginx rejects $conf"
    fi
    if ! (cd "$STATE/nginx" && as_svc nginx -p "$STATE/nginx" -c "$conf" -e "$LOG/nginx-error.log" \
        </dev/null >>"$LOG/nginx.out" 2>&1 9>&-); then
        show_log "$LOG/nginx.out" "$LOG/nginx-error.log"
        die "nginx failed to start"
    fi
    for ((i = 0; i < 100; i++)); do
        if pid=$(svc_pid nginx); then
            code=$(http_code /healthz)
            if [[ $code != 000 ]]; then
                say "nginx: started (pid $pid), $URL/healthz answers $code"
                return 0
            fi
        fi
        sleep 0.1
    done
    show_log "$LOG/nginx-error.log"
    die "nginx did not answer on $URL within 10 s"
}

# ---------------------------------------------------------------- stop ---

stop_svc() {
    local svc=$1 f pid m i gone
    f=$(pidfile "$svc")
    if [[ ! -e $f ]]; then
        say "$svc: not running"
        return 0
    fi
    if ! pid=$(svc_pid "$svc"); then
        rm -f "$f"
        say "$svc: not running (removed stale pid file)"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    gone=0
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
        if ! proc_is "$svc" "$pid"; then
            gone=1
            break
        fi
        sleep 0.1
    done
    if ((!gone)); then
        say "$svc: pid $pid still alive after ${STOP_TIMEOUT} s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
    fi
    # The rest of its session (workers, children) must go too.
    for ((i = 0; i < 50; i++)); do
        [[ -n $(session_members "$pid") ]] || break
        sleep 0.1
    done
    for m in $(session_members "$pid"); do
        say "$svc: killing leftover process $m"
        kill -KILL "$m" 2>/dev/null || true
    done
    sleep 0.1
    if proc_is "$svc" "$pid" || [[ -n $(session_members "$pid") ]]; then
        die "$svc: processes of session $pid are still alive: $(session_members "$pid" | tr '\n' ' ')"
    fi
    rm -f "$f"
    case $svc in
    fcgi) rm -f "$FCGI_SOCK" ;;
    builder) unmount_builder ;;
    redis) rm -f "$REDIS_SOCK" ;;
    mariadb) rm -f "$MYSQL_SOCK" "$MYSQL_SOCK.lock" ;;
    esac
    say "$svc: stopped (was pid $pid)"
}

# ---------------------------------------------------------------- commands ---

lock_state() {
    mkdir -p "$RUN"
    exec 9>>"$RUN/stack.lock"
    flock -w 120 9 || die "another stack.sh is working on $STATE"
}

start_one() {
    case $1 in
    mariadb) start_mariadb ;;
    redis) start_redis ;;
    fcgi) start_fcgi ;;
    builder) start_builder ;;
    nginx) start_nginx ;;
    esac
}

all_running() {
    local s
    for s in "${SERVICES[@]}"; do
        [[ $s == builder ]] && ! builder_wanted && continue
        running "$s" || return 1
    done
}

cmd_start() {
    lock_state
    if all_running; then
        say "SOPM is already running at $URL (state: $STATE)"
        return 0
    fi
    running fcgi || check_fcgi_bin
    if ! running nginx && port_taken; then
        die "port $PORT is already in use by another program (set SOPM_PORT)"
    fi
    # Each start_* dies on failure; then say how to clean up.
    trap 'rc=$?; if ((rc != 0)); then
        echo "stack: start failed; what did start keeps running. Logs: $LOG" >&2
        echo "stack: clean up with: $(stop_hint)" >&2; fi' EXIT
    ensure_state
    local s
    for s in "${SERVICES[@]}"; do
        start_one "$s"
    done
    local code i
    for ((i = 0; i < 100; i++)); do
        code=$(http_code /healthz)
        [[ $code == 200 ]] && break
        sleep 0.1
    done
    if [[ $code != 200 ]]; then
        show_log "$LOG/sopm-fcgi.out" "$LOG/nginx-error.log"
        die "$URL/healthz answers $code, not 200"
    fi
    trap - EXIT
    echo
    echo "SOPM is up: $URL"
    echo "logs: $LOG"
    [[ ! -e $ADMIN_KEY_FILE ]] || echo "admin API key: in $ADMIN_KEY_FILE (curl -H \"Authorization: Bearer \$(cat $ADMIN_KEY_FILE)\" ...)"
    echo "stop with: $(stop_hint)"
}

cmd_stop() {
    if [[ ! -d $RUN ]]; then
        say "nothing to stop ($RUN does not exist)"
        return 0
    fi
    lock_state
    local s rc=0
    for s in nginx fcgi builder redis mariadb; do
        (stop_svc "$s") || rc=1
    done
    ((rc == 0)) || die "some processes could not be stopped"
    say "all stopped"
}

cmd_status() {
    local s pid rc=0
    for s in "${SERVICES[@]}"; do
        if pid=$(svc_pid "$s"); then
            printf '%-8s running pid %s\n' "$s" "$pid"
        elif [[ $s == builder ]] && ! builder_wanted; then
            printf '%-8s not started (%s)\n' "$s" "$( ((IS_ROOT)) && echo SOPM_BUILDER=0 || echo needs root)"
        else
            printf '%-8s stopped\n' "$s"
            rc=3
        fi
    done
    return "$rc"
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
start-service)
    valid_service "${2:-}"
    lock_state
    ensure_state
    start_one "$2"
    ;;
stop-service)
    valid_service "${2:-}"
    if [[ -d $RUN ]]; then
        lock_state
        stop_svc "$2"
    else
        say "$2: not running"
    fi
    ;;
-h | --help | help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" ;;
*)
    sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
