/** A full config, every section used (see docs/config.md; line numbers matter to tests that patch it). */
export const FULL_CONFIG = `app: shop                                   # used in names: locks, journal, backups, labels

environments:
  production:
    url: https://shop.example.com           # environment_url for deployments, base for smoke checks
    targets:
      - name: web1
        ssh: { host: 10.0.0.5, port: 22, user: deploy }   # key + known_hosts come from action inputs
      - name: web2
        ssh: { host: 10.0.0.6, user: deploy }           # (a docker: target needs the engine driver)
      - name: self
        local: true                                      # self-hosted runner on the server itself
    state-dir: /var/lib/runbook/shop        # journal + lock live here on the primary target
  staging:
    targets: [{ name: stage1, ssh: { host: 10.0.1.5, user: deploy } }]

compose:                                    # the compose driver (SSH or local)
  command: [docker, compose]                # or [docker-compose]
  directory: /opt/shop
  files: [docker-compose.prod.yml]
  project: shop
  env-file: .env.production

services:
  api:
    image: ghcr.io/acme/shop-api            # the deploy's \`version\` input is the tag
    replicas: 2
    port: 8000                              # container port; the toolkit assigns host ports per replica/slot
    health:
      http: { path: /api/v1/health/ready, expect: { status: 200, json: { status: ready } } }
      interval: 2s
      timeout: 3s
      deadline: 120s
  web:
    image: ghcr.io/acme/shop-web
    health: { http: { path: / } }
  workers:
    image: ghcr.io/acme/shop-api
    command: [python, -m, workers]
    health: { container: true }             # the image's own HEALTHCHECK

strategy:
  type: rolling                             # recreate | rolling | blue-green | canary
  order: [api, web, workers]
  max-surge: 1
  drain: 10s
  keep-releases: 3                          # kept containers/images for instant rollback
  proxy:                                    # where traffic is switched
    nginx:
      upstream-file: /etc/nginx/conf.d/shop-upstream.conf
      upstream: shop_api
      test: [nginx, -t]
      reload: [nginx, -s, reload]
  canary:
    access-log: /var/log/nginx/shop-canary.log     # written in the runbook_canary format
    steps: [{ weight: 1, pause: 5m }, { weight: 5, pause: 10m }, { weight: 25, pause: 15m }, { weight: 50, pause: 15m }]
    gates: { error-rate: 0.001, p95: 500ms, min-samples: 200 }

database:
  engine: postgres
  via: { compose-service: postgres }        # or { host: 127.0.0.1, port: 5432 } on the target
  name: shop
  user: shop
  password-env: DB_PASSWORD
  backup:
    directory: /backups
    format: custom
    verify: restore
    retention: { daily: 7, weekly: 4, monthly: 3 }
  migrate:
    tool: alembic                           # alembic | prisma | knex | django | rails | goose | flyway | custom
    service: api                            # run as \`compose run --rm api ...\`
    lock-timeout: 5s
    statement-timeout: 15m

checks:                                     # pre-deploy-check
  min-free-disk: 20%
  disk-paths: [/var/lib/docker, /backups]
  docker: ">=24"
  compose: ">=2.20"
  required-secrets: [DB_PASSWORD, JWT_SECRET]
  backup-max-age: 6h
  incident-label: incident
  windows: [{ days: [mon, tue, wed, thu], from: "09:00", to: "16:00", tz: Europe/Berlin }]
  freeze: [{ from: 2026-12-20, to: 2027-01-04, reason: holidays }]

smoke:
  checks:
    - name: ready
      url: /api/v1/health/ready
      expect: { status: 200, json: { status: ready, "checks.*": ok } }
    - name: notebooks
      url: /api/v1/notebooks
      headers: { Authorization: "Bearer \${env.TEST_TOKEN}" }
      expect: { status: 200, max-latency: 1s }
  sample: { requests: 100, rate: 20/s, p95: 500ms, error-rate: 0.01 }
  wait: 60s
`;
