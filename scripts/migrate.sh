#!/usr/bin/env bash
# migrate.sh - apply the numbered migrations sql/NNN_name.sql to the database.
#
# usage: scripts/migrate.sh [--socket PATH] [--database NAME] [--user NAME]
#                           [--dir SQL_DIR]
#
# Connects over the MariaDB unix socket (default $SOPM_STATE/run/mysql.sock,
# SOPM_STATE defaulting to <repo>/var) with unix_socket authentication, as the
# OS user running this script unless --user is given. Migrations are applied
# in numeric order; each applied one is recorded in schema_migrations, and
# already-recorded versions are skipped, so a second run changes nothing.
# A failing migration stops the run (exit 1) and is not recorded.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${SOPM_STATE:-$REPO/var}
SOCKET=$STATE/run/mysql.sock
DATABASE=sopm
DBUSER=
SQL_DIR=$REPO/sql

die() {
    echo "migrate: $*" >&2
    exit 1
}

usage() {
    sed -n '2,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit "${1:-0}"
}

while (($#)); do
    case $1 in
    --socket) SOCKET=${2:?--socket needs a value}; shift 2 ;;
    --socket=*) SOCKET=${1#*=}; shift ;;
    --database) DATABASE=${2:?--database needs a value}; shift 2 ;;
    --database=*) DATABASE=${1#*=}; shift ;;
    --user) DBUSER=${2:?--user needs a value}; shift 2 ;;
    --user=*) DBUSER=${1#*=}; shift ;;
    --dir) SQL_DIR=${2:?--dir needs a value}; shift 2 ;;
    --dir=*) SQL_DIR=${1#*=}; shift ;;
    -h | --help) usage 0 ;;
    *) echo "migrate: unknown argument '$1'" >&2; usage 2 >&2 ;;
    esac
done

[[ $DATABASE =~ ^[A-Za-z0-9_]+$ ]] || die "bad database name '$DATABASE'"
[[ -d $SQL_DIR ]] || die "no migrations folder $SQL_DIR"
[[ -S $SOCKET ]] || die "no MariaDB socket at $SOCKET (is the stack running? try: make run)"
command -v mariadb >/dev/null 2>&1 || die "the mariadb client is not installed (scripts/install_deps.sh)"

sql() {
    mariadb --no-defaults --socket="$SOCKET" ${DBUSER:+--user="$DBUSER"} \
        --default-character-set=utf8mb4 --batch --skip-column-names "$@"
}

# One migrate at a time per database server (best effort: skipped when the
# socket's folder is not writable by us).
if { exec 9>"$(dirname "$SOCKET")/migrate.lock"; } 2>/dev/null; then
    flock -w 60 9 || die "another migrate.sh holds $(dirname "$SOCKET")/migrate.lock"
fi

# Collect NNN_name.sql, check numbers are unique, sort numerically.
declare -A by_version=()
shopt -s nullglob
for f in "$SQL_DIR"/[0-9]*_*.sql; do
    base=${f##*/}
    [[ $base =~ ^([0-9]+)_([A-Za-z0-9_-]+)\.sql$ ]] || die "bad migration file name '$base' (want NNN_name.sql)"
    v=$((10#${BASH_REMATCH[1]}))
    [[ -z ${by_version[$v]:-} ]] || die "two migrations with version $v: ${by_version[$v]##*/} and $base"
    by_version[$v]=$f
done
shopt -u nullglob
mapfile -t versions < <(printf '%s\n' "${!by_version[@]}" | sort -n)

sql "$DATABASE" -e "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INT          NOT NULL,
    name       VARCHAR(255) NOT NULL,
    applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (version)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci" ||
    die "cannot create schema_migrations in database '$DATABASE' over $SOCKET"

declare -A applied=()
while read -r v; do
    [[ -n $v ]] && applied[$v]=1
done < <(sql "$DATABASE" -e "SELECT version FROM schema_migrations" || die "cannot read schema_migrations")

for v in "${versions[@]}"; do
    [[ -n $v ]] || continue
    [[ -z ${applied[$v]:-} ]] || continue
    f=${by_version[$v]}
    base=${f##*/}
    name=${base#*_}
    name=${name%.sql}
    # The migration and its record go through one session: the client stops
    # at the first failing statement, so a failed migration is not recorded.
    if ! { cat -- "$f"; printf '\nINSERT INTO schema_migrations (version, name) VALUES (%d, '\''%s'\'');\n' "$v" "$name"; } |
        sql "$DATABASE"; then
        die "migration $base failed; it is not recorded, later ones were not applied"
    fi
    echo "migrate: applied $base"
done
exit 0
