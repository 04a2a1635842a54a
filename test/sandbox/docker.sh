# The sandbox dockerd (sourced by up.sh / down.sh after lib.sh). A private Docker engine (vfs storage, no bridge,
# no iptables; containers use host networking) with its own data root, exec root, containerd and cgroup parent, so
# it never collides with another dockerd on the machine. It listens on a unix socket inside .sandbox/docker (mode
# 666, so the SSH sandbox user can reach it through SSH) and on tcp://127.0.0.1:PORT with mutual TLS.

DOCKER_DIR="$SANDBOX_DIR/docker"
DOCKER_SOCK="$DOCKER_DIR/docker.sock"
DOCKER_HOST_URL="unix://$DOCKER_SOCK"
DOCKER_PIDFILE="$DOCKER_DIR/dockerd.pid"
DOCKER_LOG="$DOCKER_DIR/dockerd.log"
DOCKER_PORTFILE="$DOCKER_DIR/tcp-port"
DOCKER_TLS="$DOCKER_DIR/tls"
# Unix socket paths must stay under 108 bytes: containerd's sockets live in the exec root, so keep it short and
# outside the checkout (one per checkout: the hash of the sandbox path).
DOCKER_EXEC_ROOT="/run/rbsb-docker-$(short_hash "$SANDBOX_DIR")"
DOCKER_CGROUP_PARENT="/rbsb-$(short_hash "$SANDBOX_DIR")"
# The client side: never touch ~/.docker.
DOCKER_CLIENT_CONFIG="$DOCKER_DIR/client"

# sb_docker ARGS… — the docker CLI against the sandbox engine (classic builder: no buildx plugin here).
sb_docker() {
  DOCKER_CONFIG="$DOCKER_CLIENT_CONFIG" DOCKER_BUILDKIT=0 docker -H "$DOCKER_HOST_URL" "$@"
}

packages_docker() {
  have dockerd || printf '%s\n' docker.io
  have docker-compose || printf '%s\n' docker-compose
  have curl || printf '%s\n' curl
  have openssl || printf '%s\n' openssl
}

# docker_ping — true when the engine answers GET /_ping on the unix socket.
docker_ping() {
  [ -S "$DOCKER_SOCK" ] && [ "$(curl -fsS -m 2 --unix-socket "$DOCKER_SOCK" http://docker/_ping 2>/dev/null)" = OK ]
}

# docker_tls_ping PORT — true when the TLS endpoint accepts the sandbox client certificate.
docker_tls_ping() {
  [ "$(curl -fsS -m 2 --cacert "$DOCKER_TLS/ca.pem" --cert "$DOCKER_TLS/cert.pem" --key "$DOCKER_TLS/key.pem" \
    "https://127.0.0.1:$1/_ping" 2>/dev/null)" = OK ]
}

# docker_ca NAME — a self-signed CA (NAME-ca.pem / NAME-ca-key.pem), made once.
docker_ca() {
  local name=$1
  [ -s "$DOCKER_TLS/$name-ca.pem" ] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
    -subj "/CN=runbook-sandbox $name CA" -keyout "$DOCKER_TLS/$name-ca-key.pem" -out "$DOCKER_TLS/$name-ca.pem" \
    2>/dev/null
}

# docker_leaf CA OUT CN EXTENSIONS — a key + certificate signed by CA (OUT.pem / OUT-key.pem), made once.
docker_leaf() {
  local ca=$1 out=$2 cn=$3 ext=$4
  [ -s "$DOCKER_TLS/$out.pem" ] && return 0
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$cn" \
    -keyout "$DOCKER_TLS/$out-key.pem" -out "$DOCKER_TLS/$out.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$DOCKER_TLS/$out.ext"
  openssl x509 -req -in "$DOCKER_TLS/$out.csr" -CA "$DOCKER_TLS/$ca-ca.pem" -CAkey "$DOCKER_TLS/$ca-ca-key.pem" \
    -CAcreateserial -days 3650 -extfile "$DOCKER_TLS/$out.ext" -out "$DOCKER_TLS/$out.pem" 2>/dev/null
  rm -f "$DOCKER_TLS/$out.csr" "$DOCKER_TLS/$out.ext"
}

# The layout follows Docker's DOCKER_CERT_PATH convention (ca.pem, cert.pem, key.pem), so
# `DOCKER_CERT_PATH=.sandbox/docker/tls DOCKER_TLS_VERIFY=1 docker -H tcp://…` works as is.
docker_make_tls() {
  mkdir -p "$DOCKER_TLS"
  chmod 755 "$DOCKER_TLS"
  docker_ca sandbox
  docker_ca wrong
  docker_leaf sandbox server 127.0.0.1 \
    "$(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth')"
  docker_leaf sandbox client runbook-sandbox-client 'extendedKeyUsage=clientAuth'
  docker_leaf wrong wrong-client runbook-sandbox-client 'extendedKeyUsage=clientAuth'
  cp "$DOCKER_TLS/sandbox-ca.pem" "$DOCKER_TLS/ca.pem"
  cp "$DOCKER_TLS/client.pem" "$DOCKER_TLS/cert.pem"
  cp "$DOCKER_TLS/client-key.pem" "$DOCKER_TLS/key.pem"
  chmod 600 "$DOCKER_TLS"/*-key.pem "$DOCKER_TLS/key.pem"
}

docker_start() {
  local port=$1
  mkdir -p "$DOCKER_DIR/data" "$DOCKER_EXEC_ROOT" "$DOCKER_CLIENT_CONFIG"
  rm -f "$DOCKER_SOCK"
  log "starting dockerd (tcp 127.0.0.1:$port; log $DOCKER_LOG)"
  # setsid: dockerd must not die with this shell's process group; its containerd is started (and stopped) by it.
  setsid dockerd \
    --data-root "$DOCKER_DIR/data" --exec-root "$DOCKER_EXEC_ROOT" --pidfile "$DOCKER_PIDFILE" \
    -H "$DOCKER_HOST_URL" -H "tcp://127.0.0.1:$port" \
    --tlsverify --tlscacert "$DOCKER_TLS/ca.pem" --tlscert "$DOCKER_TLS/server.pem" \
    --tlskey "$DOCKER_TLS/server-key.pem" \
    --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    --cgroup-parent "$DOCKER_CGROUP_PARENT" --containerd-namespace rbsb --containerd-plugins-namespace rbsb-plugins \
    </dev/null >>"$DOCKER_LOG" 2>&1 9>&- &
  wait_until 60 "dockerd answering on $DOCKER_SOCK (see $DOCKER_LOG)" docker_ping
  chmod 666 "$DOCKER_SOCK"
  printf '%s\n' "$port" >"$DOCKER_PORTFILE"
  wait_until 10 "dockerd answering TLS on 127.0.0.1:$port" docker_tls_ping "$port"
}

docker_write_json() {
  local port=$1 api
  api=$(curl -fsS --unix-socket "$DOCKER_SOCK" http://docker/version | json_field ApiVersion)
  json_set docker "$(json_object \
    "socket=$DOCKER_SOCK" \
    "host=$DOCKER_HOST_URL" \
    "tcp=tcp://127.0.0.1:$port" \
    "tls:=$(json_object \
      "ca=$DOCKER_TLS/ca.pem" "cert=$DOCKER_TLS/cert.pem" "key=$DOCKER_TLS/key.pem" \
      "wrongCa=$DOCKER_TLS/wrong-ca.pem" "wrongCert=$DOCKER_TLS/wrong-client.pem" \
      "wrongKey=$DOCKER_TLS/wrong-client-key.pem" "certPath=$DOCKER_TLS")" \
    "pidFile=$DOCKER_PIDFILE" \
    "log=$DOCKER_LOG" \
    "apiVersion=$api" \
    "execRoot=$DOCKER_EXEC_ROOT" \
    "clientConfig=$DOCKER_CLIENT_CONFIG")"
}

up_docker() {
  local port
  if ! is_root; then
    log "skipping dockerd (and the app images): it needs root; run up.sh as root"
    return 0
  fi
  have dockerd || apt_install docker.io
  [ "${#DOCKER_SOCK}" -lt 100 ] || die "socket path too long for unix sockets: $DOCKER_SOCK"
  mkdir -p "$DOCKER_DIR"
  chmod 755 "$DOCKER_DIR"
  touch "$DOCKER_LOG"
  docker_make_tls
  if check_docker; then
    port=$(cat "$DOCKER_PORTFILE")
    log "dockerd already running (pid $(cat "$DOCKER_PIDFILE"), tcp $port)"
  else
    down_docker_engine
    if [ -s "$DOCKER_PORTFILE" ] && ! port_in_use "$(cat "$DOCKER_PORTFILE")"; then
      port=$(cat "$DOCKER_PORTFILE")
    else
      port=$(free_port 2376)
    fi
    docker_start "$port"
  fi
  docker_write_json "$port"
  SANDBOX_SUMMARY+=("dockerd $DOCKER_HOST_URL + tcp 127.0.0.1:$port")
}

# check_docker — dockerd running and answering on both endpoints (used by up.sh --check).
check_docker() {
  pid_alive "$DOCKER_PIDFILE" && docker_ping && [ -s "$DOCKER_PORTFILE" ] &&
    docker_tls_ping "$(cat "$DOCKER_PORTFILE")"
}

# down_docker_engine — stop dockerd (it stops its containers, then its containerd); wait up to 30 s for a clean
# exit, since a killed dockerd leaves containerd and container shims behind.
down_docker_engine() {
  local ctr_pid="$DOCKER_EXEC_ROOT/containerd/containerd.pid"
  stop_pidfile "$DOCKER_PIDFILE" dockerd 30
  rm -f "$DOCKER_PIDFILE"
  # Only after an unclean exit: containerd started by this dockerd (found by its pid file in our exec root).
  if pid_alive "$ctr_pid"; then
    log "stopping leftover containerd (pid $(cat "$ctr_pid"))"
    stop_pidfile "$ctr_pid" containerd
  fi
  rm -f "$DOCKER_SOCK"
}

down_docker() {
  down_docker_engine
  [ -f "$SANDBOX_JSON" ] && json_set docker ''
  return 0
}
