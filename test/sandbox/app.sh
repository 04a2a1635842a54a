# The test app images (sourced by up.sh / down.sh after lib.sh and docker.sh), built into the sandbox dockerd
# without any registry: busybox-static → rootfs → `docker import` = runbook-test-app:base → classic `docker build`
# of test/sandbox/app/Dockerfile.common = runbook-test-app:common → one small build (one layer) per variant. Each image carries the hash of what it was built from
# (label runbook.sandbox.context-hash), so later runs skip builds that are already current.

APP_IMAGE=runbook-test-app
APP_DIR="$SANDBOX_DIR/app"
APP_SRC="$(dirname "${BASH_SOURCE[0]}")/app"
APP_HASH_LABEL=runbook.sandbox.context-hash
# Bump when the base rootfs recipe below changes.
APP_BASE_RECIPE=1
# TAG:VARIANT — the version an image reports is its tag. degraded: /health says {"status":"degraded"} (HTTP 200);
# never-healthy: /health is 404 forever while / works; crash: exits 3 twenty seconds after start; slow: /health
# answers after 10 s.
APP_VARIANTS=(v1:normal v2:normal v3:normal degraded:degraded never-healthy:never-healthy crash:crash slow:slow)

# The image needs a static busybox (Debian's plain `busybox` package is dynamically linked).
packages_app() {
  dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || printf '%s\n' busybox-static
}

# app_image_hash REF — the context hash label of a local image ('' when it does not exist).
app_image_hash() {
  sb_docker image inspect -f "{{index .Config.Labels \"$APP_HASH_LABEL\"}}" "$1" 2>/dev/null || true
}

# The base image: only /bin/busybox, one symlink per applet, /tmp and a minimal /etc.
app_build_base() {
  local hash rootfs="$APP_DIR/base/rootfs" applet
  hash=$(printf 'recipe %s\n%s\n' "$APP_BASE_RECIPE" "$(sha256sum /bin/busybox)" | sha256sum | cut -c1-16)
  if [ "$(app_image_hash "$APP_IMAGE:base")" = "$hash" ]; then return 0; fi
  log "building $APP_IMAGE:base from /bin/busybox"
  rm -rf "$APP_DIR/base"
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/www"
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$APP_DIR/base/base.tar" .
  sb_docker import -c 'ENV PATH=/bin' -c "LABEL $APP_HASH_LABEL=$hash" \
    "$APP_DIR/base/base.tar" "$APP_IMAGE:base" >/dev/null
  rm -rf "$APP_DIR/base"
}

# app_build_common — runbook-test-app:common from app/Dockerfile.common (entry script, CGIs, HEALTHCHECK).
app_build_common() {
  local ctx="$APP_DIR/common" hash
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp -R "$APP_SRC/." "$ctx/"
  hash=$(app_dir_hash "$ctx" "$(sb_docker image inspect -f '{{.Id}}' "$APP_IMAGE:base")")
  [ "$(app_image_hash "$APP_IMAGE:common")" = "$hash" ] && return 0
  log "building $APP_IMAGE:common"
  app_docker_build "$ctx" "$APP_IMAGE:common" -f "$ctx/Dockerfile.common" --label "$APP_HASH_LABEL=$hash"
}

# app_dir_hash DIR EXTRA — hash of a directory's names, modes and contents, plus EXTRA (e.g. the parent image).
app_dir_hash() {
  (
    cd "$1" || exit 1
    find . \( -type f -o -type l \) -printf '%p %m\n' | LC_ALL=C sort
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    printf '%s\n' "$2"
  ) | sha256sum | cut -c1-16
}

# app_docker_build CONTEXT TAG ARGS… — a classic build (FROM is always a local image: no pull is attempted). The
# builder's output (and the CLI's "legacy builder is deprecated" notice) is shown only when the build fails.
app_docker_build() {
  local ctx=$1 tag=$2 out
  shift 2
  if ! out=$(sb_docker build --pull=false "$@" -t "$tag" "$ctx" 2>&1); then
    printf '%s\n' "$out" >&2
    die "docker build of $tag failed"
  fi
}

# app_build_variant TAG VARIANT COMMON_ID — one layer on top of common: the variant's files and its labels (the Dockerfile
# is written here, with literal values: every ARG would cost the classic builder one more commit).
app_build_variant() {
  local tag=$1 variant=$2 common_id=$3 ctx="$APP_DIR/variants/$1" status=ok hash
  rm -rf "$ctx"
  mkdir -p "$ctx/files/app" "$ctx/files/www"
  printf 'VERSION=%s\nVARIANT=%s\n' "$tag" "$variant" >"$ctx/files/app/variant"
  printf '%s\n' "$tag" >"$ctx/files/www/version"
  [ "$variant" = degraded ] && status=degraded
  # never-healthy has no /www/health (404); slow answers /health from a CGI (the file is unused).
  [ "$variant" = never-healthy ] ||
    printf '{"status":"%s","version":"%s"}\n' "$status" "$tag" >"$ctx/files/www/health"
  chmod -R u=rwX,go=rX "$ctx/files"
  hash=$(app_dir_hash "$ctx/files" "$common_id")
  [ "$(app_image_hash "$APP_IMAGE:$tag")" = "$hash" ] && return 0
  log "building $APP_IMAGE:$tag"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $APP_IMAGE:common
COPY files/ /
LABEL org.opencontainers.image.title=$APP_IMAGE org.opencontainers.image.version=$tag $APP_HASH_LABEL=$hash
DOCKERFILE
  app_docker_build "$ctx" "$APP_IMAGE:$tag"
  touch "$APP_DIR/.built"
}

# app_build_variants — every variant, in parallel (each classic-builder commit takes ~0.5 s on vfs).
app_build_variants() {
  local entry pids=() pid common_id
  rm -f "$APP_DIR/.built"
  common_id=$(sb_docker image inspect -f '{{.Id}}' "$APP_IMAGE:common")
  for entry in "${APP_VARIANTS[@]}"; do
    app_build_variant "${entry%%:*}" "${entry#*:}" "$common_id" &
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
  [ -z "$(packages_app)" ] || apt_install busybox-static
  mkdir -p "$APP_DIR"
  app_build_base
  app_build_common
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
