#!/usr/bin/env bash
# Runs a command against a throwaway Kubernetes 1.20 control plane on 127.0.0.1 (kube-local from
# ../shared/tools/kube-local), then stops everything it started, by pid, and exits with the
# command's exit code.
#
# Usage: scripts/e2e/with-kube-local.sh COMMAND [ARG...]
#   e.g. scripts/e2e/with-kube-local.sh npm run test:e2e
#
# It builds kube-local once (bootstrap.sh: ~4 min on 2 cores, cached in KUBE_LOCAL_HOME), starts
# etcd + kube-apiserver + kube-controller-manager, a fake Node served by a fake kubelet (pod logs
# from files), Alertmanager and Prometheus, and exports to COMMAND:
#   KUBECONFIG                   admin (system:masters) kubeconfig of the new cluster
#   E2E_RUNTIME_USER_KUBECONFIG  a user with no RBAC grants (403 everywhere until you grant it)
#   E2E_FAKE_NODE                name of the Ready fake Node; pods with spec.nodeName on it have logs
#   E2E_POD_LOGS_DIR             the fake kubelet serves DIR/NS/POD/CONTAINER[.previous].log
#   E2E_ALERTMANAGER_URL         Alertmanager's API (POST /api/v2/alerts)
#   E2E_ALERT_WEBHOOK_URL        where Alertmanager sends every notification (nothing listens there
#                                until a test does)
#   E2E_PROMETHEUS_URL           Prometheus's API (GET /api/v1/query); it scrapes itself every second,
#                                into a fresh TSDB
#   KUBE_LOCAL_RUN               logs of all the servers (kept after a failing command)
#   E2E_REQUIRE_CLUSTER=1        the e2e tests fail, instead of skipping, if the cluster does not answer
# Env: KUBE_LOCAL_DIR (default ../shared/tools/kube-local beside the repo), KUBE_LOCAL_HOME (build
#      cache; default ~/.cache/kube-local), E2E_ALERTMANAGER=0 (skip Alertmanager), E2E_PROMETHEUS=0
#      (skip Prometheus; otherwise Debian's prometheus is installed with apt when missing),
#      E2E_WEBHOOK_PORT, E2E_PROMETHEUS_PORT and kube-local's own port variables (APISERVER_PORT,
#      ETCD_PORT, ETCD_PEER_PORT, FAKE_KUBELET_PORT, AM_PORT) to pin ports.
set -euo pipefail
usage() { awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"; }
case ${1:-} in -h|--help) usage; exit 0 ;; "") usage >&2; exit 2 ;; esac

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KUBE_LOCAL_DIR=${KUBE_LOCAL_DIR:-$ROOT/../shared/tools/kube-local}
[ -x "$KUBE_LOCAL_DIR/start.sh" ] || { echo "with-kube-local: kube-local not found at $KUBE_LOCAL_DIR (set KUBE_LOCAL_DIR)" >&2; exit 2; }
KUBE_LOCAL_DIR=$(cd "$KUBE_LOCAL_DIR" && pwd)
# One stable build cache per user, so the ~4 min build happens once per machine.
export KUBE_LOCAL_HOME=${KUBE_LOCAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/kube-local}
# Node 24 from the project (client-node needs >= 22.19; the machine's node may be older).
export PATH=$ROOT/node_modules/.bin:$PATH
[ -x "$ROOT/node_modules/.bin/tsx" ] || { echo "with-kube-local: run npm ci first" >&2; exit 2; }

log() { echo "with-kube-local: $*" >&2; }
now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# SIGTERM a child of this script, SIGKILL if it is still there after 10 s.
stop_pid() {
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}

# Per-run state (pids, logs, kubeconfigs) in a fresh directory, so this run never touches another
# kube-local instance's pid files.
export KUBE_LOCAL_RUN; KUBE_LOCAL_RUN=$(mktemp -d "${TMPDIR:-/tmp}/kube-local-e2e.XXXXXX")
export KUBE_LOCAL_KUBECONFIG=$KUBE_LOCAL_RUN/kubeconfig
E2E_POD_LOGS_DIR=$KUBE_LOCAL_RUN/pod-logs
mkdir -p "$E2E_POD_LOGS_DIR"

# Ports: kube-local's defaults, shifted by a multiple of 10 while any of them is taken (another
# instance on this machine). Ports set in the environment are used as they are.
DEFAULT_PORTS=(12379 12380 16443 20250 19093 18099 19090)
for OFF in 0 10 20 30 40 50 60 70 80 90 -1; do
  [ "$OFF" = -1 ] && { log "no free set of ports near ${DEFAULT_PORTS[*]}"; exit 2; }
  busy=0; for p in "${DEFAULT_PORTS[@]}"; do port_in_use $((p + OFF)) && { busy=1; break; }; done
  [ $busy = 0 ] && break
done
export ETCD_PORT=${ETCD_PORT:-$((12379 + OFF))} ETCD_PEER_PORT=${ETCD_PEER_PORT:-$((12380 + OFF))}
export APISERVER_PORT=${APISERVER_PORT:-$((16443 + OFF))} FAKE_KUBELET_PORT=${FAKE_KUBELET_PORT:-$((20250 + OFF))}
export AM_PORT=${AM_PORT:-$((19093 + OFF))}
E2E_WEBHOOK_PORT=${E2E_WEBHOOK_PORT:-$((18099 + OFF))}
E2E_PROMETHEUS_PORT=${E2E_PROMETHEUS_PORT:-$((19090 + OFF))}

CMD_PID='' KUBELET_PID='' PROMETHEUS_PID='' STARTED=0 AM_STARTED=0
cleanup() {
  local rc=$? t
  trap - EXIT INT TERM
  set +e
  t=$(now_ms)
  [ -n "$CMD_PID" ] && stop_pid "$CMD_PID"
  [ -n "$KUBELET_PID" ] && stop_pid "$KUBELET_PID"
  [ -n "$PROMETHEUS_PID" ] && stop_pid "$PROMETHEUS_PID"
  [ $AM_STARTED = 1 ] && "$KUBE_LOCAL_DIR/alertmanager-stop.sh"
  # Stops by the pids start.sh recorded; --wipe deletes the etcd data (on /dev/shm when it has room).
  [ $STARTED = 1 ] && "$KUBE_LOCAL_DIR/stop.sh" --wipe
  if [ "$rc" = 0 ]; then rm -rf "$KUBE_LOCAL_RUN"; else log "exit $rc; server logs kept in $KUBE_LOCAL_RUN"; fi
  log "stopped in $(secs $(( $(now_ms) - t )))"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build (a no-op once the binaries are in KUBE_LOCAL_HOME) ------------------------------------
t=$(now_ms)
log "bootstrap (KUBE_LOCAL_HOME=$KUBE_LOCAL_HOME; the first build takes ~4 min)"
mkdir -p "$KUBE_LOCAL_HOME"
# The lock makes a concurrent run wait for the build instead of building into the same tree.
if ! flock "$KUBE_LOCAL_HOME/.bootstrap.lock" "$KUBE_LOCAL_DIR/bootstrap.sh" > "$KUBE_LOCAL_RUN/bootstrap.log" 2>&1; then
  tail -n 40 "$KUBE_LOCAL_RUN/bootstrap.log" >&2; log "bootstrap failed"; exit 1
fi
log "bootstrap: $(secs $(( $(now_ms) - t )))"

# ---- control plane -------------------------------------------------------------------------------
t=$(now_ms)
STARTED=1
out=$("$KUBE_LOCAL_DIR/start.sh" 2>"$KUBE_LOCAL_RUN/start.log") \
  || { cat "$KUBE_LOCAL_RUN/start.log" >&2; log "start.sh failed"; exit 1; }
eval "$out"   # export KUBECONFIG=...
log "kube-apiserver https://127.0.0.1:$APISERVER_PORT ready: $(secs $(( $(now_ms) - t )))"

# ---- fake kubelet + fake Node --------------------------------------------------------------------
# The apiserver proxies pod logs to the pod's Node (InternalIP:kubelet port from the Node status);
# the fake kubelet answers from files, with the serving cert start.sh signed with the cluster's CA.
t=$(now_ms)
node "$KUBE_LOCAL_DIR/fake-kubelet.mjs" --logs-dir "$E2E_POD_LOGS_DIR" --port "$FAKE_KUBELET_PORT" \
  > "$KUBE_LOCAL_RUN/fake-kubelet.log" 2>&1 &
KUBELET_PID=$!
until port_in_use "$FAKE_KUBELET_PORT"; do
  kill -0 "$KUBELET_PID" 2>/dev/null || { cat "$KUBE_LOCAL_RUN/fake-kubelet.log" >&2; log "fake kubelet exited"; exit 1; }
  sleep 0.1
done
E2E_FAKE_NODE=kube-local-e2e-node
# kube-local's fake-node.sh needs kubectl >= 1.24; this does the same with @kubernetes/client-node.
tsx "$ROOT/scripts/e2e/fake-node.ts" "$E2E_FAKE_NODE" >&2
log "fake kubelet (pid $KUBELET_PID, port $FAKE_KUBELET_PORT) and Node $E2E_FAKE_NODE: $(secs $(( $(now_ms) - t )))"

# ---- Alertmanager --------------------------------------------------------------------------------
E2E_ALERT_WEBHOOK_URL=http://127.0.0.1:$E2E_WEBHOOK_PORT/api/alerts
if [ "${E2E_ALERTMANAGER:-1}" != 0 ]; then
  t=$(now_ms)
  AM_STARTED=1
  out=$(AM_WEBHOOK_URL=$E2E_ALERT_WEBHOOK_URL "$KUBE_LOCAL_DIR/alertmanager-start.sh" 2>"$KUBE_LOCAL_RUN/alertmanager-start.log") \
    || { cat "$KUBE_LOCAL_RUN/alertmanager-start.log" >&2; log "alertmanager-start.sh failed"; exit 1; }
  eval "$out"   # export ALERTMANAGER_URL=...
  export E2E_ALERTMANAGER_URL=$ALERTMANAGER_URL E2E_ALERT_WEBHOOK_URL
  unset ALERTMANAGER_URL
  log "alertmanager $E2E_ALERTMANAGER_URL -> $E2E_ALERT_WEBHOOK_URL: $(secs $(( $(now_ms) - t )))"
fi

# ---- Prometheus ----------------------------------------------------------------------------------
# Debian's Prometheus as a plain process on loopback, scraping itself every second into a fresh TSDB
# under KUBE_LOCAL_RUN, so tests can query real series (up, prometheus_tsdb_head_series) at once.
if [ "${E2E_PROMETHEUS:-1}" != 0 ]; then
  t=$(now_ms)
  if ! command -v prometheus >/dev/null; then
    # kube-local's apt helper (root or sudo), in a subshell so its settings stay out of this script.
    ( . "$KUBE_LOCAL_DIR/common.sh"; kl_apt_install prometheus )
    # The package starts a systemd service on :9090; only the process below is wanted.
    if [ -d /run/systemd/system ]; then
      ( . "$KUBE_LOCAL_DIR/common.sh"; kl_as_root systemctl disable --now prometheus ) >/dev/null 2>&1 || true
    fi
    command -v prometheus >/dev/null || { log "prometheus is not installed"; exit 1; }
  fi
  port_in_use "$E2E_PROMETHEUS_PORT" && { log "port 127.0.0.1:$E2E_PROMETHEUS_PORT already in use (set E2E_PROMETHEUS_PORT)"; exit 1; }
  cat > "$KUBE_LOCAL_RUN/prometheus.yml" <<EOF
# generated by with-kube-local.sh
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["127.0.0.1:$E2E_PROMETHEUS_PORT"]
EOF
  prometheus --config.file="$KUBE_LOCAL_RUN/prometheus.yml" --storage.tsdb.path="$KUBE_LOCAL_RUN/prometheus-data" \
    --web.listen-address="127.0.0.1:$E2E_PROMETHEUS_PORT" --log.level=warn \
    > "$KUBE_LOCAL_RUN/prometheus.log" 2>&1 < /dev/null &
  PROMETHEUS_PID=$!
  E2E_PROMETHEUS_URL=http://127.0.0.1:$E2E_PROMETHEUS_PORT
  for _ in $(seq 200); do
    curl -sf "$E2E_PROMETHEUS_URL/-/ready" >/dev/null 2>&1 && break
    kill -0 "$PROMETHEUS_PID" 2>/dev/null || { tail -n 20 "$KUBE_LOCAL_RUN/prometheus.log" >&2; log "prometheus exited"; exit 1; }
    sleep 0.1
  done
  curl -sf "$E2E_PROMETHEUS_URL/-/ready" >/dev/null 2>&1 || { log "prometheus not ready after 20 s; see $KUBE_LOCAL_RUN/prometheus.log"; exit 1; }
  export E2E_PROMETHEUS_URL
  log "prometheus $E2E_PROMETHEUS_URL (pid $PROMETHEUS_PID): $(secs $(( $(now_ms) - t )))"
fi

# ---- the command ---------------------------------------------------------------------------------
export KUBECONFIG E2E_FAKE_NODE E2E_POD_LOGS_DIR E2E_RUNTIME_USER_KUBECONFIG=$KUBE_LOCAL_KUBECONFIG-runtime-user
# The e2e tests skip themselves without a cluster; here that would hide a broken harness.
export E2E_REQUIRE_CLUSTER=1
log "running: $*"
# In the background, so a TERM to this script is handled at once (cleanup stops the command first).
# Background jobs read /dev/null unless stdin is passed on explicitly (when there is one).
if { : <&0; } 2>/dev/null; then "$@" <&0 & else "$@" & fi
CMD_PID=$!
rc=0; wait "$CMD_PID" || rc=$?
CMD_PID=''
exit "$rc"
