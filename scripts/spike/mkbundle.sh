#!/usr/bin/env bash
# mkbundle.sh IMAGE BUNDLE_DIR
#   Turn an image in the spike's containers-storage into an OCI runtime bundle
#   (BUNDLE_DIR/rootfs + BUNDLE_DIR/config.json) that runsc can run:
#   skopeo copy to an OCI layout, then umoci unpack (as root: real uids).
#   The OCI layout is kept in OCIDIR (shared by all images, deduplicated blobs).
set -euo pipefail
img=$1 bundle=$2
STORE=${STORE:-/var/lib/sopm-spike/containers/storage}
RUNROOT=${RUNROOT:-/var/lib/sopm-spike/containers/run}
OCIDIR=${OCIDIR:-/var/lib/sopm-spike/oci}
tag=$(echo "$img" | tr '/:' '__')
t() { local s; s=$(date +%s.%N); "$@"; printf 'TIME %-14s %6.3f s\n' "$STEP" "$(echo "$(date +%s.%N) - $s" | bc)" >&2; }
STEP=skopeo-copy t skopeo copy --quiet \
    "containers-storage:[overlay@$STORE+$RUNROOT]$img" "oci:$OCIDIR:$tag"
rm -rf "$bundle"
STEP=umoci-unpack t umoci unpack --image "$OCIDIR:$tag" "$bundle" >/dev/null
