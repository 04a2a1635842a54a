# Shared helpers for test/sandbox/up.sh and down.sh (sourced, not run). Each service has its own file
# (sshd.sh, later docker.sh, postgres.sh, nginx.sh …) defining up_<service> and down_<service>, and records its
# connection facts under its own key of .sandbox/sandbox.json with json_set.

SANDBOX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SANDBOX_DIR="$SANDBOX_ROOT/.sandbox"
SANDBOX_JSON="$SANDBOX_DIR/sandbox.json"
# node is always there (the project's Node 24 if installed); jq is used when present.
export PATH="$SANDBOX_ROOT/node_modules/node/bin:$PATH"

log() { printf 'sandbox: %s\n' "$*" >&2; }
die() {
  printf 'sandbox: error: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }
have() { command -v "$1" >/dev/null 2>&1; }

# untraversable_dir PATH — the first directory from / down to PATH that other users cannot pass through (no o+x),
# or nothing. nginx's worker and the sandbox's SSH user read files of the checkout (configs, fixtures, migrations),
# so a checkout under such a directory (e.g. /root, mode 700) cannot host the sandbox.
untraversable_dir() {
  local dir="" part mode
  local IFS=/
  for part in $1; do
    [ -n "$part" ] || continue
    dir="$dir/$part"
    [ -d "$dir" ] || continue
    mode=$(stat -c %A "$dir")
    case "$mode" in
      *x | *t) ;;
      *) printf '%s (%s)\n' "$dir" "$mode" && return 0 ;;
    esac
  done
}

# require_traversable — die saying exactly what to change when the checkout lies under a directory others cannot
# pass through (only root runs daemons as other users).
require_traversable() {
  is_root || return 0
  local blocked
  blocked=$(untraversable_dir "$SANDBOX_ROOT")
  [ -z "$blocked" ] && return 0
  die "the checkout $SANDBOX_ROOT is under $blocked, which other users cannot pass through: nginx's worker and the sandbox's SSH user read files of the checkout. Run: chmod o+x ${blocked%% (*} (others may then pass through it, not list it), or clone into a directory others can traverse, such as /srv or /opt"
}

# Serialise concurrent up/down runs (several test processes may call up.sh at once). Daemons started while the
# lock is held must not inherit fd 9 (start them with `9>&-`), or they hold the lock forever.
sandbox_lock() {
  mkdir -p "$SANDBOX_DIR"
  exec 9>"$SANDBOX_DIR/.lock"
  flock -w 60 9 || die "another sandbox script holds $SANDBOX_DIR/.lock"
}

# apt_install PACKAGE… — only as root; otherwise say what is missing. `apt-get update` runs once per script run;
# the dpkg lock is waited for (other processes on the machine may be installing too).
SANDBOX_APT_UPDATED=
apt_install() {
  is_root || die "missing packages ($*); install them as root: apt-get install -y $*"
  log "installing $*"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=600)
  if [ -z "$SANDBOX_APT_UPDATED" ]; then
    "${apt[@]}" update
    SANDBOX_APT_UPDATED=1
  fi
  "${apt[@]}" install -y --no-install-recommends "$@" >/dev/null
}

# wait_until SECONDS WHAT COMMAND… — poll COMMAND every 0.1 s until it succeeds; die after SECONDS.
wait_until() {
  local seconds=$1 what=$2 i
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  die "$what did not happen within $seconds s"
}

# short_hash TEXT — 8 hex characters identifying TEXT (e.g. this checkout, for paths outside it).
short_hash() { printf '%s' "$1" | sha256sum | cut -c1-8; }

# port_in_use PORT — true when something listens on 127.0.0.1:PORT (or any address).
port_in_use() {
  local port=$1
  if have ss; then
    [ -n "$(ss -H -ltn "sport = :$port" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# free_port START — first port from START upward that nothing listens on.
free_port() {
  local port=$1
  while port_in_use "$port"; do
    port=$((port + 1))
    [ "$port" -lt 65000 ] || die "no free port above $1"
  done
  printf '%s\n' "$port"
}

# proc_running PID — true when PID runs. A zombie counts as gone: our daemons are re-parented to PID 1, which
# may reap them late, and `kill -0` succeeds on a zombie.
proc_running() {
  local state
  [ -d /proc/self ] || { kill -0 "$1" 2>/dev/null; return; }
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# pid_alive PIDFILE — true when the pid file names a running process.
pid_alive() {
  [ -s "$1" ] && proc_running "$(cat "$1")"
}

# stop_pidfile PIDFILE NAME [SECONDS] — TERM, wait up to SECONDS (5), then KILL; removes the pid file.
stop_pidfile() {
  local pidfile=$1 name=$2 seconds=${3:-5} pid i
  if pid_alive "$pidfile"; then
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < seconds * 20; i++)); do
      proc_running "$pid" || break
      sleep 0.05
    done
    if proc_running "$pid"; then
      log "$name (pid $pid) ignored SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

# json_array ITEM… — a JSON array of strings.
json_array() {
  if have jq; then
    jq -cn '$ARGS.positional' --args -- "$@"  # (-- : items may start with a dash)
  else
    node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' -- "$@"
  fi
}

# json_object KEY=string KEY:=json … — a JSON object (httpie-style: `=` for strings, `:=` for raw JSON).
json_object() {
  node -e '
    const out = {};
    for (const pair of process.argv.slice(1)) {
      const raw = pair.match(/^([^=:]+):=(.*)$/s);
      if (raw) out[raw[1]] = JSON.parse(raw[2]);
      else { const i = pair.indexOf("="); out[pair.slice(0, i)] = pair.slice(i + 1); }
    }
    process.stdout.write(JSON.stringify(out));
  ' -- "$@"
}

# json_set KEY JSON — set one service's section of sandbox.json (atomically); json_set KEY '' removes it.
json_set() {
  local key=$1 value=$2 current='{}' tmp="$SANDBOX_JSON.tmp.$$"
  [ -s "$SANDBOX_JSON" ] && current=$(cat "$SANDBOX_JSON")
  if have jq; then
    if [ -z "$value" ]; then
      printf '%s' "$current" | jq --arg k "$key" 'del(.[$k])' >"$tmp"
    else
      printf '%s' "$current" | jq --arg k "$key" --argjson v "$value" '.[$k] = $v' >"$tmp"
    fi
  else
    printf '%s' "$current" | node -e '
      const [key, value] = process.argv.slice(1);
      const doc = JSON.parse(require("fs").readFileSync(0, "utf8") || "{}");
      if (value === "") delete doc[key]; else doc[key] = JSON.parse(value);
      process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
    ' -- "$key" "$value" >"$tmp"
  fi
  mv "$tmp" "$SANDBOX_JSON"
  chmod 644 "$SANDBOX_JSON"
}

# json_field PATH — print a field (dot path, e.g. ApiVersion or a.b) of the JSON document on stdin.
json_field() {
  node -e '
    let v = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const k of process.argv[1].split(".")) v = v?.[k];
    process.stdout.write(v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
  ' "$1"
}
