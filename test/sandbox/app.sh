# The test app images (sourced by up.sh / down.sh after lib.sh and docker.sh), built into the sandbox dockerd
# without any registry: busybox-static + app/rootfs/ → tar → `docker import` = runbook-test-app:base (with the
# shared ENTRYPOINT and HEALTHCHECK), then one small classic `docker build` of app/Dockerfile per variant (one
# layer: the variant's own files, plus its version label). Each image carries the hash of what it was built from
# (label runbook.sandbox.context-hash), so later runs skip builds that are already current.

APP_IMAGE=runbook-test-app
APP_DIR="$SANDBOX_DIR/app"
APP_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/app"
APP_HASH_LABEL=runbook.sandbox.context-hash
# What every variant shares, set on the base image (a Dockerfile instruction would cost a commit per image).
# No `wget -T`: busybox 1.35's wget segfaults with it; the healthcheck's own 1 s timeout bounds the probe.
# shellcheck disable=SC2016 # ${PORT} is expanded in the container, by the healthcheck's shell
APP_BASE_CHANGES=(
  'ENV PATH=/bin'
  'ENTRYPOINT ["/app/run"]'
  'HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD wget -q -O /dev/null "http://127.0.0.1:${PORT:-8080}/health" || exit 1'
  "LABEL org.opencontainers.image.title=$APP_IMAGE"
)
# TAG:VARIANT — the version an image reports is its tag. degraded: /health says {"status":"degraded"} (HTTP 200);
# never-healthy: /health is 404 forever while / works; crash: exits 3 twenty seconds after start; slow: /health
# answers after 10 s; flaky: about 1 in 20 requests of / and /version answer HTTP 500 (/health always passes), for
# canary analysis.
APP_VARIANTS=(v1:normal v2:normal v3:normal degraded:degraded never-healthy:never-healthy crash:crash slow:slow
  flaky:flaky)

# The image needs a static busybox (Debian's plain `busybox` package is dynamically linked).
packages_app() {
  dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || printf '%s\n' busybox-static
}

# app_image_hash REF — the context hash label of a local image ('' when it does not exist).
app_image_hash() {
  sb_docker image inspect -f "{{index .Config.Labels \"$APP_HASH_LABEL\"}}" "$1" 2>/dev/null || true
}

# app_dir_hash DIR EXTRA — hash of a directory's names, modes and contents, plus EXTRA text.
app_dir_hash() {
  (
    cd "$1" || exit 1
    find . \( -type f -o -type l \) -printf '%p %m\n' | LC_ALL=C sort
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    printf '%s\n' "$2"
  ) | sha256sum | cut -c1-16
}

# app_build_base — /bin/busybox, one symlink per applet, /tmp, a minimal /etc, and app/rootfs/ (/app/run, CGIs).
app_build_base() {
  local hash rootfs="$APP_DIR/base/rootfs" applet change changes=()
  hash=$(app_dir_hash "$APP_SRC/rootfs" "$(sha256sum /bin/busybox) $(printf '%s\n' "${APP_BASE_CHANGES[@]}")")
  [ "$(app_image_hash "$APP_IMAGE:base")" = "$hash" ] && return 0
  log "building $APP_IMAGE:base (busybox + app/rootfs)"
  rm -rf "$APP_DIR/base"
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  cp -R "$APP_SRC/rootfs/." "$rootfs/"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$APP_DIR/base/base.tar" .
  for change in "${APP_BASE_CHANGES[@]}" "LABEL $APP_HASH_LABEL=$hash"; do changes+=(-c "$change"); done
  sb_docker import "${changes[@]}" "$APP_DIR/base/base.tar" "$APP_IMAGE:base" >/dev/null
  rm -rf "$APP_DIR/base"
}

# app_build_variant TAG VARIANT BASE_ID — app/Dockerfile with this variant's files; labels via --label.
app_build_variant() {
  local tag=$1 variant=$2 base_id=$3 ctx="$APP_DIR/variants/$1" status=ok hash out
  rm -rf "$ctx"
  mkdir -p "$ctx/files/app" "$ctx/files/www"
  cp "$APP_SRC/Dockerfile" "$ctx/Dockerfile"
  printf 'VERSION=%s\nVARIANT=%s\n' "$tag" "$variant" >"$ctx/files/app/variant"
  printf '%s\n' "$tag" >"$ctx/files/www/version"
  [ "$variant" = degraded ] && status=degraded
  # never-healthy has no /www/health (404); slow answers /health from a CGI (the file is unused).
  [ "$variant" = never-healthy ] ||
    printf '{"status":"%s","version":"%s"}\n' "$status" "$tag" >"$ctx/files/www/health"
  chmod -R u=rwX,go=rX "$ctx"
  hash=$(app_dir_hash "$ctx" "$base_id $tag")
  [ "$(app_image_hash "$APP_IMAGE:$tag")" = "$hash" ] && return 0
  log "building $APP_IMAGE:$tag"
  # --pull=false (build's --pull is a boolean, and false is the default): FROM is the local base, never pulled.
  # The builder's output (and the CLI's "legacy builder is deprecated" notice) is shown only on failure.
  if ! out=$(sb_docker build --pull=false --label "org.opencontainers.image.version=$tag" \
    --label "$APP_HASH_LABEL=$hash" -t "$APP_IMAGE:$tag" "$ctx" 2>&1); then
    printf '%s\n' "$out" >&2
    die "docker build of $APP_IMAGE:$tag failed"
  fi
  touch "$APP_DIR/.built"
}

# app_build_variants — every variant, in parallel (each classic-builder commit takes ~0.5-1 s on vfs).
app_build_variants() {
  local entry pids=() pid base_id
  rm -f "$APP_DIR/.built"
  base_id=$(sb_docker image inspect -f '{{.Id}}' "$APP_IMAGE:base")
  for entry in "${APP_VARIANTS[@]}"; do
    app_build_variant "${entry%%:*}" "${entry#*:}" "$base_id" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "building the app variants failed"; done
  # Replaced images (older builds) are dangling now: drop them so the vfs data root stays small.
  if [ -e "$APP_DIR/.built" ]; then sb_docker image prune -f >/dev/null; fi
  rm -f "$APP_DIR/.built"
}

app_tags() {
  local entry
  for entry in "${APP_VARIANTS[@]}"; do printf '%s\n' "${entry%%:*}"; done
}

up_app() {
  docker_ping || return 0 # no sandbox dockerd (not root): up_docker said so
  [ -z "$(packages_app)" ] || apt_install busybox-static
  mkdir -p "$APP_DIR"
  app_build_base
  app_build_variants
  # shellcheck disable=SC2046 # one tag per line, no spaces
  json_set app "$(json_object "image=$APP_IMAGE" "tags:=$(json_array $(app_tags))" "hashLabel=$APP_HASH_LABEL")"
  SANDBOX_SUMMARY+=("$APP_IMAGE:{$(app_tags | paste -sd, -)}")
}

# check_app — every variant image exists in the sandbox dockerd.
check_app() {
  local tag
  for tag in $(app_tags); do
    sb_docker image inspect "$APP_IMAGE:$tag" >/dev/null 2>&1 || return 1
  done
}

# The images live in the dockerd data root: kept across down/up (the next up only checks their hashes).
down_app() {
  [ -f "$SANDBOX_JSON" ] && json_set app ''
  return 0
}
