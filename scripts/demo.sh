#!/usr/bin/env bash
# The main job for a fresh clone: start the local sandbox and run the pipeline steps that exist against it, through
# the same CLI a laptop uses. Without servers (not root and no sshd), it prints the dry-run plan instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$root/node_modules/node/bin:$PATH"
cli=(node dist/cli.js)

if ! bash test/sandbox/up.sh; then
  echo "demo: the sandbox could not start; showing the dry-run plan of examples/runbook.yml instead"
  DB_PASSWORD=demo "${cli[@]}" pre-deploy-check --config examples/runbook.yml --env production --dry-run
  exit $?
fi

sandbox=.sandbox/sandbox.json
read_json() { node -e 'const j=require(process.argv[1]); console.log(process.argv[2].split(".").reduce((o,k)=>o[k], j))' "$root/$sandbox" "$1"; }
port="$(read_json ssh.port)"
user="$(read_json ssh.user)"
key="$(read_json ssh.privateKeyPath)"
known="$(read_json ssh.knownHostsPath)"

mkdir -p .sandbox/demo
cat > .sandbox/demo/runbook.yml <<YAML
app: demo
environments:
  sandbox:
    targets:
      - name: web1
        ssh: { host: 127.0.0.1, port: ${port}, user: ${user}, connect-timeout: 5s }
      - name: runner
        local: true
    state-dir: ${root}/.sandbox/demo/state
checks:
  min-free-disk: 5%
  disk-paths: [/, /tmp]
  docker: false            # the sandbox engine is 20.10 and talks to its own socket; deploy checks it below
  compose: false
  required-secrets: [DB_PASSWORD]
services:
  api:
    image: runbook-test-app
    replicas: 2
    network: host
    host-ports: 18500-18509
    stop-grace: 3s
    health:
      http: { path: /health, expect: { status: 200, json: { status: ok } } }
      interval: 500ms
      deadline: 10s
      stable: 2s
strategy:
  type: rolling
  drain: 1s
  proxy:
    nginx:
      upstream-file: $(read_json nginx.upstreamFile)
      upstream: $(read_json nginx.upstream)
      test: $(node -e 'console.log(JSON.stringify(require(process.argv[1]).nginx.test))' "$root/$sandbox")
      reload: $(node -e 'console.log(JSON.stringify(require(process.argv[1]).nginx.reload))' "$root/$sandbox")
      pid-file: $(read_json nginx.pidFile)
YAML
# The deploy runs on the runner's own engine (the local target); the ssh target is checked but not deployed to.
cat > .sandbox/demo/deploy.yml <<YAML
app: demo
environments:
  sandbox:
    targets: [{ name: runner, local: true, docker-socket: $(read_json docker.socket) }]
    state-dir: ${root}/.sandbox/demo/state
$(sed -n '/^services:/,$p' .sandbox/demo/runbook.yml)
YAML

echo
echo "== runbook pre-deploy-check --env sandbox (dry run: the exact commands each host would run)"
DB_PASSWORD=demo-secret "${cli[@]}" pre-deploy-check --config .sandbox/demo/runbook.yml --env sandbox --dry-run \
  --input "ssh-private-key=@$key" --input "ssh-known-hosts=@$known" || true
echo
echo "== runbook pre-deploy-check --env sandbox (real sshd on 127.0.0.1:${port}, pinned host key)"
DB_PASSWORD=demo-secret "${cli[@]}" pre-deploy-check --config .sandbox/demo/runbook.yml --env sandbox \
  --input "ssh-private-key=@$key" --input "ssh-known-hosts=@$known"

nginx_url="http://127.0.0.1:$(read_json nginx.port)/version"
for version in v1 v2; do
  echo
  echo "== runbook deploy --version $version (rolling, 2 replicas behind nginx, health-gated)"
  "${cli[@]}" deploy --config .sandbox/demo/deploy.yml --env sandbox --version "$version"
  echo "nginx now serves: $(curl -s "$nginx_url")"
done
echo
echo "== runbook deploy --version degraded (answers 200 with {\"status\":\"degraded\"}: the gate refuses it)"
"${cli[@]}" deploy --config .sandbox/demo/deploy.yml --env sandbox --version degraded || true
echo "nginx still serves: $(curl -s "$nginx_url")"
echo
echo "== runbook status"
"${cli[@]}" status --config .sandbox/demo/deploy.yml --env sandbox | grep -v '^output '

