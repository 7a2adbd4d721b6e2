#!/usr/bin/env bash
# registry.sh start|stop|push IMAGE
#   A private Debian docker-registry on 127.0.0.1:$PORT (no TLS, no auth),
#   storage under /var/lib/sopm-spike/registry; push with skopeo and buildah.
set -euo pipefail
PORT=${PORT:-18655}
D=/var/lib/sopm-spike/registry
STORE=${STORE:-/var/lib/sopm-spike/containers/storage}
RUNROOT=${RUNROOT:-/var/lib/sopm-spike/containers/run}
case $1 in
start)
    mkdir -p "$D/data"
    cat >"$D/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $D/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$PORT
YML
    docker-registry serve "$D/config.yml" >"$D/log" 2>&1 </dev/null &
    echo $! >"$D/pid"
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null && break; sleep 0.05; done
    curl -sf "http://127.0.0.1:$PORT/v2/" >/dev/null && echo "registry up, pid $(cat "$D/pid")"
    ;;
stop)
    pid=$(cat "$D/pid")
    kill "$pid"
    # it drains for about a second before it exits
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    rm -f "$D/pid"
    ;;
push)
    img=$2 name=${2#localhost/}
    s=$(date +%s.%N)
    skopeo copy --quiet --dest-tls-verify=false \
        "containers-storage:[overlay@$STORE+$RUNROOT]$img" "docker://127.0.0.1:$PORT/$name"
    printf 'TIME skopeo-push %.3f s\n' "$(echo "$(date +%s.%N) - $s" | bc)"
    s=$(date +%s.%N)
    buildah --root "$STORE" --runroot "$RUNROOT" --storage-driver overlay push --quiet \
        --tls-verify=false --digestfile "$D/digest" "$img" "docker://127.0.0.1:$PORT/$name-b"
    printf 'TIME buildah-push %.3f s digest %s\n' "$(echo "$(date +%s.%N) - $s" | bc)" "$(cat "$D/digest")"
    skopeo inspect --tls-verify=false "docker://127.0.0.1:$PORT/$name" | jq -r '.Digest'
    curl -s "http://127.0.0.1:$PORT/v2/_catalog"
    ;;
esac
