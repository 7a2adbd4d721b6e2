#!/usr/bin/env bash
# base-image.sh - the base images of the user-function runtimes, made offline
# from Debian packages: mmdebstrap (variant extract, this machine's own apt
# sources) unpacks a trimmed root, then `buildah from scratch` turns it into
# an image. sopm-builder runs it (as root) once per recipe.
#
# usage: base-image.sh key RUNTIME         print the recipe key: the SHA-256
#                                          of everything the base is made of
#        base-image.sh build RUNTIME DIR   make DIR/rootfs (the tree that
#                                          validation sandboxes run on) and,
#                                          except for cbuild, the image
#                                          localhost/sopm/base-RUNTIME:KEY
#                                          (KEY = the first 16 hex digits)
# RUNTIME: python3 | node | c (a static binary's image: no packages) |
#          cbuild (the C toolchain that compiles c functions; rootfs only)
#
# environment: BUILDAH_STORE  "--root R --runroot RR --storage-driver D"
#              DEB_CACHE      folder that keeps downloaded .debs between runs
#
# Every image holds /sopm/init (runtimes/init/sopm_init.c, compiled here,
# static) and its runtime's shim under /sopm/, and the empty mount points
# /fn, /out and /tmp (runsc would otherwise create them in the shared,
# read-only bundle). See docs/runtimes.md and docs/design.md, "Builder".
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() {
    echo "base-image: $*" >&2
    exit 1
}

# The apt sources of this machine (deb822 first), never a host name of ours:
# Debian's usual files, else the first non-empty one in sources.list.d (a
# root made by mmdebstrap has only that).
sources() {
    local f
    for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list \
        /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
        if [[ -s $f ]]; then
            echo "$f"
            return
        fi
    done
    die "no apt sources found in /etc/apt"
}
SOURCES=$(sources)

SUITE=$(. /etc/os-release && echo "${VERSION_CODENAME:?}")

# packages, the runtime's own files and a last step on the tree, per runtime
recipe() {
    FINISH=:
    case $1 in
    python3)
        # python3-minimal alone lacks json; py_compile is in the minimal one
        PKGS=python3-minimal,libpython3.11-stdlib
        FILES=(python3/shim.py)
        FINISH=python_bytecode ;;
    node)
        PKGS=nodejs
        FILES=(node/shim.js) ;;
    cbuild)
        PKGS=gcc,libc6-dev
        FILES=(c/sopm.h c/sopm_shim.c) ;;
    c)
        PKGS=
        FILES=() ;;
    *) die "unknown runtime '$1' (python3, node, c, cbuild)" ;;
    esac
}

key() {
    recipe "$1"
    {
        echo "runtime=$1 suite=$SUITE packages=$PKGS"
        cat "${BASH_SOURCE[0]}" "$HERE/init/sopm_init.c" "$SOURCES"
        for f in "${FILES[@]}"; do
            echo "file=$f"
            cat "$HERE/$f"
        done
    } | sha256sum | cut -d' ' -f1
}

# The trimmed Debian tree, with the host's name and resolver overwritten
# (mmdebstrap copies them in) and an empty CA file (nodejs warns without one).
debian_tree() {
    local out=$1
    mkdir -p "$DEB_CACHE"
    mmdebstrap --quiet --variant=extract --include="$PKGS" \
        --skip=download/empty --skip=essential/unlink \
        --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
        --setup-hook="sync-in $DEB_CACHE /var/cache/apt/archives/" \
        --extract-hook="sync-out /var/cache/apt/archives $DEB_CACHE" \
        --extract-hook='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man "$1"/usr/share/info "$1"/usr/share/locale "$1"/usr/share/lintian "$1"/usr/share/bug "$1"/usr/share/common-licenses "$1"/var/lib/apt/lists/* "$1"/var/log/* "$1"/var/cache/apt/archives/*.deb' \
        --extract-hook='echo sandbox > "$1"/etc/hostname; : > "$1"/etc/resolv.conf' \
        --extract-hook='mkdir -p "$1"/etc/ssl/certs && : > "$1"/etc/ssl/certs/ca-certificates.crt' \
        "$SUITE" "$out" "$SOURCES"
}

# The standard library's bytecode, made once here by the tree's own
# interpreter: Debian makes it in a maintainer script, which
# --variant=extract does not run, and a sandbox (read-only root) would
# otherwise compile every module it imports at each cold start (about 100 ms
# of a 460 ms start here). The image's files all get mtime 0 (commit
# --timestamp 0), so the sources get it first and the bytecode records it.
# (Unchecked-hash bytecode also stays valid, but started 100 ms slower in
# runsc here.) -B -f: the interpreter's own start-up must not leave stale
# files behind.
python_bytecode() {
    local root=$1 lib
    for lib in "$root"/usr/lib/python3.[0-9]*; do
        find "$lib" -exec touch -h -d @0 {} +
        chroot "$root" /usr/bin/python3 -B -m compileall -f -q -j 0 \
            "${lib#"$root"}" >/dev/null
    done
}

build() {
    local rt=$1 dir=$2 k tmp root c f
    k=$(key "$rt")
    recipe "$rt"
    tmp=$dir.tmp
    rm -rf "$tmp"
    mkdir -p "$tmp"
    root=$tmp/rootfs
    if [[ -n $PKGS ]]; then
        debian_tree "$root"
        $FINISH "$root"
    else
        mkdir -p "$root"
    fi
    mkdir -p "$root/sopm" "$root/fn" "$root/out" "$root/tmp"
    chmod 1777 "$root/tmp"
    gcc -static -O2 -Wall -Wextra -Werror -o "$root/sopm/init" "$HERE/init/sopm_init.c"
    for f in "${FILES[@]}"; do
        install -D -m 0644 "$HERE/$f" "$root/sopm/$f"
    done
    chmod -R a+rX,go-w "$root/sopm"
    if [[ $rt != cbuild ]]; then
        # shellcheck disable=SC2086 # BUILDAH_STORE is a list of options
        c=$(buildah $BUILDAH_STORE from --quiet scratch)
        trap 'buildah $BUILDAH_STORE rm "$c" >/dev/null 2>&1 || true' EXIT
        buildah $BUILDAH_STORE copy --quiet "$c" "$root/" / >/dev/null
        buildah $BUILDAH_STORE config --user 65534:65534 --workingdir /tmp \
            --env PATH=/usr/local/bin:/usr/bin:/bin --env LANG=C.UTF-8 --env HOME=/tmp \
            --entrypoint '["/sopm/init"]' --cmd '' \
            --label "org.opencontainers.image.title=sopm-base-$rt" \
            --label "sopm.recipe=$k" "$c"
        buildah $BUILDAH_STORE commit --quiet --rm --timestamp 0 "$c" \
            "localhost/sopm/base-$rt:${k:0:16}" >/dev/null
        trap - EXIT
    fi
    echo "$k" >"$tmp/key"
    rm -rf "$dir"
    mv "$tmp" "$dir"
}

case ${1:-} in
key) key "${2:?runtime}" ;;
build) build "${2:?runtime}" "${3:?dir}" ;;
*)
    sed -n '5,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
esac
