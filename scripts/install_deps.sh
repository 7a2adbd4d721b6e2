#!/usr/bin/env bash
# install_deps.sh - install what SOPM needs to build, run and test on Debian 12.
#
# Idempotent and fast when everything is present (it runs on every
# `make run` / `make test`): one dpkg-query, no apt-get at all.
# When run as root it also creates the system user `sopm` that the local
# stack runs its services as.
set -euo pipefail

PKGS=(
    build-essential pkg-config
    libfcgi-dev libjansson-dev libhiredis-dev libmariadb-dev
    libcurl4-openssl-dev libunistring-dev libpcre2-dev libssl-dev zlib1g-dev
    libgmp-dev libmpfr-dev liblapack-dev libcmocka-dev
    nginx-light redis-server mariadb-server mariadb-client
    wrk python3 python3-pytest python3-requests clang-format
    # the references CATALOG.md names beyond Python's standard library
    python3-numpy python3-dateutil python3-croniter python3-jwt python3-jsonschema
    python3-cryptography # test_network_functions: a self-signed certificate
    clang libclang-rt-14-dev # the libFuzzer harness (make fuzz)
    procps iproute2 curl ca-certificates tzdata util-linux
    git # make fmt-check lists the files to check with git ls-files
    # sopm-builder: base images (mmdebstrap), images (buildah), OCI layout
    # and bundles (skopeo, umoci), the sandbox (runsc), a registry for the
    # push test (docker-registry; its system service is kept from starting)
    mmdebstrap buildah skopeo umoci runsc docker-registry uidmap
    nodejs # tests/runtimes runs the node shim on this machine
)
SVC_USER=sopm

die() {
    echo "install_deps: $*" >&2
    exit 1
}

command -v dpkg-query >/dev/null 2>&1 ||
    die "dpkg-query not found: this script supports Debian 12 only"

# Which packages are missing? dpkg-query prints nothing (on stdout) for a
# package it has never heard of, and a status other than "installed" for a
# removed or half-configured one.
declare -A have=()
while IFS=$'\t' read -r pkg status; do
    [[ "$status" == installed ]] && have["$pkg"]=1
done < <(dpkg-query -W -f='${Package}\t${db:Status-Status}\n' "${PKGS[@]}" 2>/dev/null || true)

missing=()
for p in "${PKGS[@]}"; do
    [[ -n "${have[$p]:-}" ]] || missing+=("$p")
done

# Run a command as root: directly, through sudo, or fail clearly.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' (not root, and sudo is not installed); run this script as root"
    fi
}

if ((${#missing[@]} > 0)); then
    echo "install_deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
    if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
        die "installing packages needs root: not root, and sudo is not installed; run this script as root"
    fi
    # The local stack runs its own MariaDB, Redis and nginx under the project's
    # state folder; keep the packages' postinst scripts from starting the
    # system-wide instances (policy-rc.d exit 101 = "action forbidden").
    # Only when no policy is installed already; removed again afterwards.
    policy=/usr/sbin/policy-rc.d
    added_policy=0
    if [[ ! -e $policy ]]; then
        if as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"; then
            added_policy=1
        fi
    fi
    cleanup_policy() {
        if ((added_policy)); then
            as_root rm -f "$policy" || true
        fi
    }
    trap cleanup_policy EXIT
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
    cleanup_policy
    added_policy=0
    trap - EXIT
fi

# The service user of the local stack (only root can create it; when not
# root the stack runs everything as the current user and needs no account).
if [[ $(id -u) -eq 0 ]] && ! id -u "$SVC_USER" >/dev/null 2>&1; then
    echo "install_deps: creating system user $SVC_USER"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SVC_USER"
fi

exit 0
