#!/usr/bin/env bash
# mkbase.sh RUNTIME ROOTFS_DIR [tar]     (RUNTIME crt: ROOTFS_DIR is a static binary)
#   Make the base image localhost/sopm-base-RUNTIME:spike from a rootfs made by
#   mkrootfs.sh: buildah from scratch, copy (or add a tarball), config, commit.
#   Storage is private to the spike (STORE, RUNROOT) and the driver is
#   DRIVER (overlay by default; vfs also works, slower and bigger).
#   Prints the wall time of each step on stderr.
set -euo pipefail
rt=$1 rootfs=$2 how=${3:-copy}
STORE=${STORE:-/var/lib/sopm-spike/containers/storage}
RUNROOT=${RUNROOT:-/var/lib/sopm-spike/containers/run}
DRIVER=${DRIVER:-overlay}
B=(buildah --root "$STORE" --runroot "$RUNROOT" --storage-driver "$DRIVER")
t() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); printf 'TIME %-14s %6.3f s\n' "$STEP" "$(echo "$e - $s" | bc)" >&2; }
case $rt in
python3) ep='["/usr/bin/python3"]' ;;
node) ep='["/usr/bin/node"]' ;;
crt) ep='["/fn"]' ;;           # scratch + static binary: no rootfs at all
*) ep='["/bin/sh"]' ;;
esac
s0=$(date +%s.%N)
ctr=$("${B[@]}" from --quiet scratch)
printf 'TIME %-14s %6.3f s\n' from "$(echo "$(date +%s.%N) - $s0" | bc)" >&2
if [[ $rt == crt ]]; then
    # ROOTFS_DIR is the static binary here: the image is scratch + /fn.
    STEP=copy t "${B[@]}" copy --quiet --chmod 0555 "$ctr" "$rootfs" /fn
else
    if [[ $how == tar ]]; then
        tarball=/var/lib/sopm-spike/rootfs/$rt.tar
        STEP=tar t tar -C "$rootfs" -cf "$tarball" .
        STEP=add t "${B[@]}" add --quiet "$ctr" "$tarball" /
    else
        STEP=copy t "${B[@]}" copy --quiet "$ctr" "$rootfs"/ /
    fi
fi
STEP=config t "${B[@]}" config --user 65534:65534 --entrypoint "$ep" --cmd '' \
    --workingdir / --env PATH=/usr/local/bin:/usr/bin:/bin \
    --label sopm.runtime="$rt" "$ctr"
STEP=commit t "${B[@]}" commit --quiet --rm "$ctr" "localhost/sopm-base-$rt:spike" >/dev/null
"${B[@]}" inspect --format '{{.FromImageDigest}} {{.FromImageID}}' "localhost/sopm-base-$rt:spike" 2>/dev/null ||
    "${B[@]}" images --digests --noheading "localhost/sopm-base-$rt:spike"
