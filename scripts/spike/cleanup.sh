#!/usr/bin/env bash
# cleanup.sh [all]
#   Delete every runsc container of the spike's runsc root, remove the spike's
#   cgroup dirs, stop the spike registry, remove images from the spike store.
#   With "all", delete /var/lib/sopm-spike entirely (the deb cache too).
set -euo pipefail
SP=/var/lib/sopm-spike
R=(runsc --root "$SP/runsc-root")
if [[ -d $SP/runsc-root ]]; then
    for id in $("${R[@]}" list -q 2>/dev/null); do "${R[@]}" delete --force "$id" || true; done
fi
for c in /sys/fs/cgroup/*/sopm-spike; do
    [[ -d $c ]] || continue
    find "$c" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null || true
    rmdir "$c" 2>/dev/null || true
done
# containers/storage's overlay driver bind-mounts STORE/overlay onto itself
# (private propagation) on first use and leaves it there.
if mountpoint -q "$SP/containers/storage/overlay"; then umount "$SP/containers/storage/overlay"; fi
[[ -f $SP/registry/pid ]] && "$(dirname "$0")/registry.sh" stop
if [[ ${1:-} == all ]]; then
    buildah --root "$SP/containers/storage" --runroot "$SP/containers/run" --storage-driver overlay rm -a >/dev/null 2>&1 || true
    buildah --root "$SP/containers/storage" --runroot "$SP/containers/run" --storage-driver overlay rmi -a -f >/dev/null 2>&1 || true
    rm -rf "$SP"
fi
