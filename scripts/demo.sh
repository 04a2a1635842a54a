#!/usr/bin/env bash
# The main job for a fresh clone: start the local sandbox, check its hosts through the CLI a laptop uses (dry run,
# then for real over the sandbox sshd), then tell the whole story as a timeline: v1, v2 with a migration, a degraded
# v3 whose smoke test fails, the automatic rollback (scripts/demo-story.ts). Without servers it prints the dry-run
# plan instead.
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

# The journal and lock live in the state dir, written by the sandbox's SSH user (pre-deploy-check probes it).
mkdir -p .sandbox/demo/state && chmod 777 .sandbox/demo/state
socket="$(read_json docker.socket)"
cat > .sandbox/demo/runbook.yml <<YAML
app: demo
environments:
  sandbox:
    targets:
      - name: web1
        ssh: { host: 127.0.0.1, port: ${port}, user: ${user}, connect-timeout: 5s }
        docker-socket: ${socket}
      - name: runner
        local: true
        docker-socket: ${socket}
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

echo
echo "== runbook pre-deploy-check --env sandbox (dry run: the exact commands each host would run)"
DB_PASSWORD=demo-secret "${cli[@]}" pre-deploy-check --config .sandbox/demo/runbook.yml --env sandbox --dry-run \
  --input "ssh-private-key=@$key" --input "ssh-known-hosts=@$known" || true
echo
echo "== runbook pre-deploy-check --env sandbox (real sshd on 127.0.0.1:${port}, pinned host key)"
DB_PASSWORD=demo-secret "${cli[@]}" pre-deploy-check --config .sandbox/demo/runbook.yml --env sandbox \
  --input "ssh-private-key=@$key" --input "ssh-known-hosts=@$known"

echo
bash scripts/with-node24.sh node scripts/run-ts.mjs scripts/demo-story.ts
