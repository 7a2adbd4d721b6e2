#!/usr/bin/env bash
# mkrootfs.sh RUNTIME OUTDIR [VARIANT]
#   Make a trimmed Debian rootfs for one runtime with mmdebstrap, offline
#   from the machine's own apt sources (the deb822 file is passed as MIRROR,
#   so no mirror host is ever written here).
#   RUNTIME: python3 | node | cbuild (gcc toolchain to compile user C)
#   VARIANT: extract (default: no dpkg, no maintainer scripts) | essential
#   Downloaded .debs are kept in $DEBCACHE and synced in on the next run,
#   so a second run needs no download (apt only checks the index).
set -euo pipefail
rt=$1 out=$2 variant=${3:-extract}
DEBCACHE=${DEBCACHE:-/var/lib/sopm-spike/debcache}
SOURCES=${SOURCES:-/etc/apt/sources.list.d/debian.sources}
[[ -f $SOURCES ]] || SOURCES=/etc/apt/sources.list
case $rt in
python3) pkgs=python3-minimal,libpython3.11-stdlib ;;
node) pkgs=nodejs ;; # nodejs warns on stderr when /etc/ssl/certs/ca-certificates.crt is missing: the hook below creates it empty
cbuild) pkgs=gcc,libc6-dev ;;
*) echo "unknown runtime $rt" >&2; exit 2 ;;
esac
mkdir -p "$DEBCACHE"
# The hook that runs last in this variant: extract-hook (extract mode runs
# no customize hooks), customize-hook otherwise.
last=--customize-hook
[[ $variant == extract ]] && last=--extract-hook
# mmdebstrap copies the host's /etc/hostname and /etc/resolv.conf: replace them.
trim='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man "$1"/usr/share/info "$1"/usr/share/locale "$1"/usr/share/lintian "$1"/usr/share/bug "$1"/var/cache/debconf/*-old "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/usr/share/common-licenses; echo sandbox > "$1"/etc/hostname; : > "$1"/etc/resolv.conf'
rm -rf "$out"
mmdebstrap ${MMDEBSTRAP_OPTS:-} --variant="$variant" --include="$pkgs" \
    --skip=download/empty --skip=essential/unlink \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
    --setup-hook="sync-in $DEBCACHE /var/cache/apt/archives/" \
    "$last=sync-out /var/cache/apt/archives $DEBCACHE" \
    "$last=$trim" \
    "$last=rm -f \"\$1\"/var/cache/apt/archives/*.deb" \
    "$last=mkdir -p \"\$1\"/etc/ssl/certs && touch \"\$1\"/etc/ssl/certs/ca-certificates.crt" \
    bookworm "$out" "$SOURCES"
