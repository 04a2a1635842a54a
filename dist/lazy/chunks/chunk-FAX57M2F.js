import {
  NginxSyntaxError,
  lineOf,
  parseNginx,
  walk
} from "./chunk-4YFRNVAS.js";
import {
  authorityOf,
  isLoopback
} from "./chunk-TSVKQNYQ.js";
import {
  configFileAccess,
  notWritable,
  readText,
  writeConfigFile
} from "./chunk-H5JJLJ3Z.js";
import {
  removeFilesArgv
} from "./chunk-CSTC25GN.js";
import {
  errorLine
} from "./chunk-62JVSY2V.js";
import {
  UserError
} from "./chunk-O2HJWNJA.js";

// src/proxy/upstream-file.ts
var STICKY_MARK = "# runbook-actions: canary stickiness";
var BALANCING = /* @__PURE__ */ new Set(["hash", "ip_hash", "least_conn", "least_time", "random", "sticky", "ntlm"]);
var UpstreamLayoutError = class extends Error {
  name = "UpstreamLayoutError";
};
var DEFAULT_SERVER_PARAMS = ["max_fails=1", "fail_timeout=2s"];
var PLACEHOLDER = { address: "127.0.0.1:9", params: ["down"] };
var OWN_PARAMS = /^(weight=|down$|backup$|resolve$|service=|route=|drain$)/;
var UPSTREAM_DIRECTIVES = /* @__PURE__ */ new Set([
  "server",
  "zone",
  "state",
  "hash",
  "ip_hash",
  "keepalive",
  "keepalive_requests",
  "keepalive_time",
  "keepalive_timeout",
  "least_conn",
  "least_time",
  "random",
  "ntlm",
  "queue",
  "resolver",
  "resolver_timeout",
  "sticky"
]);
var toServer = (d) => ({ address: d.words[1] ?? "", params: d.words.slice(2) });
var isServer = (d) => d.words[0] === "server" && d.children === void 0;
var isBackup = (d) => d.words.slice(2).includes("backup");
function locate(text, name, path) {
  if (text === void 0 || text.trim() === "") {
    return { file: { layout: "new", servers: [], backups: [] }, scope: [], tail: text?.length ?? 0 };
  }
  let tree;
  try {
    tree = parseNginx(text);
  } catch (err) {
    if (err instanceof NginxSyntaxError) throw new UpstreamLayoutError(`${path} is not nginx syntax: ${err.message}`);
    throw err;
  }
  const upstreams = [...walk(tree)].filter((d) => d.words[0] === "upstream" && d.children);
  let layout;
  let scope;
  let tail;
  let line;
  let blockStart;
  if (upstreams.length > 0) {
    const mine = upstreams.filter((d) => d.words[1] === name);
    if (mine.length === 0) {
      const names = upstreams.map((d) => d.words[1]).join(", ");
      throw new UpstreamLayoutError(
        `${path} holds upstream ${names} but not "${name}" (strategy.proxy.nginx.upstream names the block to switch)`
      );
    }
    if (mine.length > 1) throw new UpstreamLayoutError(`${path} holds upstream "${name}" more than once`);
    const block = mine[0];
    const include = block.children?.find((d) => d.words[0] === "include");
    if (include) {
      throw new UpstreamLayoutError(
        `upstream "${name}" in ${path} includes ${include.words[1] ?? "?"} (line ${lineOf(text, include.start)}): its server lines are there, so point strategy.proxy.nginx.upstream-file at that file`
      );
    }
    layout = "block";
    scope = block.children ?? [];
    tail = block.close ?? text.length;
    line = lineOf(text, block.start);
    blockStart = block.start;
  } else {
    const foreign = tree.find((d) => !UPSTREAM_DIRECTIVES.has(d.words[0] ?? "") || d.children !== void 0);
    if (foreign) {
      throw new UpstreamLayoutError(
        `${path} holds neither an "upstream ${name} { \u2026 }" block nor the server lines of one: "${foreign.words[0]}" at line ${lineOf(text, foreign.start)} cannot stand in an upstream`
      );
    }
    layout = "servers";
    scope = tree;
    tail = text.length;
  }
  const servers = scope.filter((d) => isServer(d) && !isBackup(d)).map(toServer);
  const backups = scope.filter((d) => isServer(d) && isBackup(d)).map(toServer);
  return { file: { layout, servers, backups, line }, scope, tail, blockStart };
}
function readUpstreamFile(text, name, path) {
  return locate(text, name, path).file;
}
function upstreamBlockText(text, name, path) {
  const { tail, blockStart } = locate(text, name, path);
  if (blockStart === void 0 || text === void 0) return void 0;
  return `${text.slice(blockStart, tail + 1)}
`;
}
function hostPortOf(address) {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  return m ? { host: m[1], port: Number(m[2]) } : void 0;
}
var isPlaceholder = (s) => (s.params ?? []).includes("down");
function serverParams(file) {
  const model = file.servers.find((s) => !isPlaceholder(s));
  if (!model) return DEFAULT_SERVER_PARAMS;
  return (model.params ?? []).filter((p) => !OWN_PARAMS.test(p));
}
var serverLine = (s, params) => `server ${[s.address, ...s.params ?? params, ...s.weight === void 0 ? [] : [`weight=${s.weight}`]].join(" ")};`;
function isSticky(src, d) {
  const eol = src.indexOf("\n", d.end);
  return d.words[0] === "hash" && src.slice(d.end, eol < 0 ? src.length : eol).includes(STICKY_MARK);
}
function rewriteUpstreamFile(text, name, path, servers, opts = {}) {
  const { file, scope, tail } = locate(text, name, path);
  const params = serverParams(file);
  const wanted = servers.length > 0 ? servers : [PLACEHOLDER];
  const stickyLine = opts.sticky === void 0 ? [] : [`${opts.sticky}; ${STICKY_MARK}`];
  if (file.layout === "new") {
    const lines = [...stickyLine, ...wanted.map((s) => serverLine(s, params))];
    return `# upstream ${name}: server lines written by runbook-actions (included inside upstream ${name} { \u2026 })
${lines.join("\n")}
`;
  }
  const src = text;
  const mine = scope.filter((d) => isSticky(src, d));
  if (opts.sticky !== void 0) {
    const theirs = scope.find((d) => BALANCING.has(d.words[0] ?? "") && !mine.includes(d));
    if (theirs) {
      throw new UpstreamLayoutError(
        `upstream "${name}" in ${path} already balances with "${theirs.words.join(" ")}" (line ${lineOf(src, theirs.start)}); canary stickiness writes its own hash there: remove strategy.canary.sticky, or that line`
      );
    }
  }
  const old = scope.filter((d) => isServer(d) && !isBackup(d) || mine.includes(d));
  const first = old.find((d) => isServer(d));
  const at = first ? lineStart(src, first.start) : lineStart(src, tail);
  const indent = first ? src.slice(at, first.start) : guessIndent(src, scope, file.layout);
  const block = wanted.map((s) => `${indent}${serverLine(s, params)}
`).join("");
  const cuts = old.map((d) => ({ range: span(src, d), server: isServer(d) }));
  let out = "";
  let pos = 0;
  let inserted = false;
  for (const { range, server } of cuts) {
    const [from, to] = range;
    out += src.slice(pos, from);
    if (!inserted && server) {
      out += block;
      inserted = true;
    }
    pos = to;
  }
  if (!inserted) {
    out += src.slice(pos, at);
    const needsBreak = at > 0 && src[at - 1] !== "\n" && at === src.length;
    out += `${needsBreak ? "\n" : ""}${block}`;
    pos = at;
  }
  const rewritten = out + src.slice(pos);
  return stickyLine.length > 0 ? withBalancing(rewritten, name, path, stickyLine[0]) : rewritten;
}
function withBalancing(text, name, path, line) {
  const { scope } = locate(text, name, path);
  const head = scope[0];
  if (!head) return text;
  const at = lineStart(text, head.start);
  const indent = at === head.start ? "" : text.slice(at, head.start);
  return `${text.slice(0, at)}${indent}${line}
${text.slice(at)}`;
}
function lineStart(src, offset) {
  const nl = src.lastIndexOf("\n", offset - 1);
  const from = nl + 1;
  return /^[ \t]*$/.test(src.slice(from, offset)) ? from : offset;
}
function span(src, d) {
  const from = src.lastIndexOf("\n", d.start - 1) + 1;
  const eol = src.indexOf("\n", d.end);
  const rest = src.slice(d.end, eol < 0 ? src.length : eol);
  const alone = /^[ \t]*$/.test(src.slice(from, d.start)) && /^[ \t]*(#.*)?\r?$/.test(rest);
  return alone ? [from, eol < 0 ? src.length : eol + 1] : [d.start, d.end];
}
function guessIndent(src, scope, layout) {
  const any = scope[0];
  if (any) {
    const from = lineStart(src, any.start);
    if (from !== any.start) return src.slice(from, any.start);
  }
  return layout === "block" ? "    " : "";
}

// src/proxy/host-share.ts
var HostShare = class {
  /**
   * @param lb the whole upstream, on the load balancer's host.
   * @param address where the load balancer reaches this host (`10.0.0.5`; `127.0.0.1` for the balancer itself).
   * @param lock one per upstream file, shared by every host's share in the run.
   * @param hosts the addresses of every host that runs the fronted service, and whether this share also holds the
   *   servers of no such host (a team's servers from before the take-over, a fresh site's placeholder): exactly one
   *   share does (the first host), so those are taken over — drained once its replicas serve — exactly once. Such a
   *   server on the balancer's own loopback is shown as `<balancer>:port` (the balancer's target name), never as
   *   `127.0.0.1:port`, which in a host's view is that host's own replica (ProbeVia reaches `<balancer>` on the
   *   balancer's loopback).
   */
  constructor(lb, address, lock, hosts = {
    owners: [address],
    claimsUnowned: false
  }, fence = {}) {
    this.lb = lb;
    this.address = address;
    this.lock = lock;
    this.hosts = hosts;
    this.fence = fence;
  }
  lb;
  address;
  lock;
  hosts;
  fence;
  current() {
    return this.lb.current();
  }
  async read() {
    const { text, file } = await this.lb.read();
    return { text, file: this.view(file) };
  }
  assertWritable() {
    return this.lb.assertWritable();
  }
  master() {
    return this.lb.master();
  }
  render(text, servers, opts = {}) {
    return this.lb.render(text, [...this.others(text), ...servers.map((s) => this.outward(s))], opts);
  }
  async set(servers, why, opts = {}) {
    await this.exclusive(async () => {
      const others = this.others(await this.lb.current());
      await this.lb.set([...others, ...servers.map((s) => this.outward(s))], `${this.address}: ${why}`, opts);
    });
  }
  async restore(text, why) {
    const mine = text === void 0 ? [] : this.view(this.parse(text)).servers;
    await this.set(mine, why);
  }
  reloadAfter(path, before, why) {
    return this.exclusive(() => this.lb.reloadAfter(path, before, why));
  }
  /** This host's servers of `file`, at the addresses the host uses (`127.0.0.1:port`). */
  view(file) {
    const servers = [];
    for (const s of file.servers) {
      if (isPlaceholder(s)) continue;
      if (this.owns(s)) servers.push(this.inward(s));
      else if (this.hosts.claimsUnowned && this.isUnowned(s)) servers.push(this.balancerLocal(s));
    }
    return { ...file, servers };
  }
  /** The servers of the other hosts (and those of no host, unless this share holds them) in `text`, as they are. */
  others(text) {
    return this.parse(text).servers.filter(
      (s) => !isPlaceholder(s) && !this.owns(s) && !(this.hosts.claimsUnowned && this.isUnowned(s))
    );
  }
  isUnowned(s) {
    const host = hostPortOf(s.address)?.host;
    return host === void 0 || !this.hosts.owners.includes(host);
  }
  parse(text) {
    return this.lb.parse(text);
  }
  owns(s) {
    return hostPortOf(s.address)?.host === this.address && this.hosts.owners.includes(this.address);
  }
  /** `127.0.0.1:18001` → `10.0.0.5:18001`; other addresses as they are. */
  outward(s) {
    const hp = hostPortOf(s.address);
    const balancer = this.hosts.balancer;
    if (hp && balancer !== void 0 && hp.host === balancer) return { ...s, address: `127.0.0.1:${hp.port}` };
    return atHost(s, this.address);
  }
  /** A server of no host on the balancer's own loopback, as this host's view shows it: `<balancer>:port`. */
  balancerLocal(s) {
    const hp = hostPortOf(s.address);
    const balancer = this.hosts.balancer;
    return hp && balancer !== void 0 && isLoopback(hp.host) ? { ...s, address: `${balancer}:${hp.port}` } : s;
  }
  /** `10.0.0.5:18001` → `127.0.0.1:18001`. */
  inward(s) {
    const hp = hostPortOf(s.address);
    return hp ? { ...s, address: `127.0.0.1:${hp.port}` } : s;
  }
  async exclusive(fn) {
    const release = await this.lock.acquire();
    try {
      if (this.fence.closed) {
        throw new UserError(
          `${this.address}: this host's part was abandoned (it stopped answering); the load balancer is no longer its to change`
        );
      }
      return await fn();
    } finally {
      release();
    }
  }
};
function atHost(s, address) {
  const hp = hostPortOf(s.address);
  return hp && isLoopback(hp.host) ? { ...s, address: authorityOf(address, hp.port) } : s;
}

// src/commands/nginx.ts
var workersArgv = (masterPid) => ["ps", "-o", "pid=", "--ppid", String(masterPid)];
function parsePids(stdout) {
  return stdout.split("\n").map((l) => Number(l.trim())).filter((n) => Number.isInteger(n) && n > 0);
}
function nginxProgram(test) {
  return test.find((a) => /(^|\/)nginx$/.test(a));
}
var mkdtempArgv = () => ["mktemp", "-d", "-t", "runbook-nginx.XXXXXXXX"];
var nginxCandidateTestArgv = (nginx, dir) => [
  nginx,
  "-t",
  "-q",
  "-p",
  `${dir}/`,
  "-c",
  `${dir}/nginx.conf`,
  "-e",
  "stderr"
];
var ACCESS_LOG_FORMAT_NAME = "runbook_canary";
var ACCESS_LOG_PREFIX = "runbook1";
var ACCESS_LOG_FORMAT = `log_format ${ACCESS_LOG_FORMAT_NAME} '${ACCESS_LOG_PREFIX} $msec $status $request_time "$upstream_addr" "$upstream_status" "$upstream_response_time"';`;
var accessLogDirective = (path) => `access_log ${path} ${ACCESS_LOG_FORMAT_NAME};`;

// src/proxy/nginx.ts
var QUIET = { quiet: true, timeoutMs: 3e4 };
var RELOAD_DEADLINE_MS = 15e3;
var OLD_WORKERS_GRACE_MS = 1e4;
var NginxUpstream = class {
  constructor(t, cfg, clock, log, engine) {
    this.t = t;
    this.cfg = cfg;
    this.clock = clock;
    this.log = log;
    this.engine = engine;
  }
  t;
  cfg;
  clock;
  log;
  engine;
  /** Run nginx's test or reload argv where nginx runs: on the host, or in its container. */
  async nginx(argv) {
    const container = this.cfg.container;
    if (container === void 0) return this.t.exec(argv, QUIET);
    return this.requireEngine().execInContainer(container, argv);
  }
  requireEngine() {
    if (!this.engine) {
      throw new UserError(
        `${this.t.name}: strategy.proxy.nginx.container needs the target's Engine API (its docker-socket)`
      );
    }
    return this.engine;
  }
  async current() {
    return readText(this.t, this.cfg["upstream-file"]);
  }
  /** The file's bytes (undefined: no file yet) and what they hold. Throws UserError when its layout is unusable. */
  async read() {
    const text = await this.current();
    return { text, file: this.parse(text) };
  }
  /** Throws UserError (before anything changes) when the deploy user cannot write the upstream file. */
  async assertWritable() {
    const path = this.cfg["upstream-file"];
    if (await configFileAccess(this.t, path) === void 0) throw notWritable(this.t, path);
  }
  /**
   * What the file would be with `servers` as the upstream's primary servers (the dry run shows it); `sticky`: the
   * balancing directive a canary writes (`hash $cookie_x consistent`), none: the toolkit's one removed.
   */
  render(text, servers, opts = {}) {
    this.parse(text);
    try {
      return rewriteUpstreamFile(text, this.cfg.upstream, this.cfg["upstream-file"], servers, opts);
    } catch (err) {
      if (err instanceof UpstreamLayoutError) throw new UserError(`${this.t.name}: ${err.message}`);
      throw err;
    }
  }
  /**
   * Switch the upstream's primary servers to `servers` (only those lines change), test, reload and wait for the new
   * workers. Nothing happens when the file already says so.
   */
  async set(servers, why, opts = {}) {
    const before = await this.current();
    const next = this.render(before, servers, opts);
    if (before === next) return;
    await this.apply(before, next, why);
    const shown = servers.map((s) => `${s.address}${s.weight === void 0 ? "" : ` weight=${s.weight}`}`);
    this.log.info(`nginx ${this.cfg.upstream} \u2192 ${shown.join(", ") || "(none)"} (${why})`);
  }
  /** Test and reload after a change to another file nginx reads (a route or maintenance file already written). */
  async reloadAfter(path, before, why) {
    const master = await this.master();
    const test = await this.nginx(this.cfg.test);
    if (test.code !== 0) {
      if (before === void 0) await this.t.exec(removeFilesArgv([path]), QUIET);
      else await writeConfigFile(this.t, path, before);
      const back = before === void 0 ? "removed again (there was none)" : "back as it was";
      throw new UserError(`nginx rejected ${path} (${why}); the file is ${back}: ${errorLine(test.stderr)}`);
    }
    await this.reload(master, why);
  }
  /**
   * Put the file back to exactly `text` (undefined: remove it), as it was before a change that failed: the same bytes,
   * tested and reloaded. Nothing happens when it already is.
   */
  async restore(text, why) {
    const before = await this.current();
    if (before === text) return;
    if (text === void 0) {
      const master = await this.master();
      await this.t.exec(removeFilesArgv([this.cfg["upstream-file"]]), QUIET);
      await this.reload(master, why);
    } else await this.apply(before, text, why);
    this.log.info(`nginx ${this.cfg.upstream}: the upstream file is back as it was (${why})`);
  }
  /** What `text` holds (the upstream's servers, its layout). Throws UserError when its layout is unusable. */
  parse(text) {
    try {
      return readUpstreamFile(text, this.cfg.upstream, this.cfg["upstream-file"]);
    } catch (err) {
      if (err instanceof UpstreamLayoutError) throw new UserError(`${this.t.name}: ${err.message}`);
      throw err;
    }
  }
  async apply(before, next, why) {
    const file = this.cfg["upstream-file"];
    const master = await this.master();
    await writeConfigFile(this.t, file, next);
    const test = await this.nginx(this.cfg.test);
    if (test.code !== 0) {
      if (before === void 0) await this.t.exec(removeFilesArgv([file]), QUIET);
      else await writeConfigFile(this.t, file, before);
      throw new UserError(`nginx rejected the new upstream (${why}); the old file is back: ${errorLine(test.stderr)}`);
    }
    await this.reload(master, why);
  }
  /** Reload, then wait for the workers it starts (`master`: as read before the change). */
  async reload(master, why) {
    const reload = await this.nginx(this.cfg.reload);
    if (reload.code !== 0) throw new UserError(`nginx reload failed (${why}): ${errorLine(reload.stderr)}`);
    await this.waitForNewWorkers(master.pid, new Set(master.workers));
  }
  /**
   * The running nginx master and its workers: from the pid file, or (nginx in a container) the container's main
   * process as the host sees it. Throws UserError when it cannot be known or has no workers.
   */
  async master() {
    const pid = this.cfg.container === void 0 ? await this.pidFromFile() : await this.pidOfContainer(this.cfg.container);
    const workers = await this.workers(pid);
    if (workers.length === 0) {
      const where = this.cfg.container === void 0 ? `nginx's pid file ${this.cfg["pid-file"]} names ${pid}` : `the main process of container ${this.cfg.container} (pid ${pid} on the host)`;
      throw new UserError(
        `${this.t.name}: ${where}, which has no worker processes (${this.cfg.container === void 0 ? "nginx not running, or a stale pid file" : "nginx must be the container's main process: nginx -g 'daemon off;'"})`
      );
    }
    return { pid, workers };
  }
  async pidFromFile() {
    const path = this.cfg["pid-file"];
    const text = await readText(this.t, path);
    const pid = Number(text?.trim());
    if (text === void 0 || !Number.isInteger(pid) || pid <= 0) {
      throw new UserError(
        `${this.t.name}: nginx's pid file ${path} ${text === void 0 ? "does not exist" : "holds no pid"}; a switch waits for the workers a reload starts and needs it: set strategy.proxy.nginx.pid-file to the "pid" of nginx.conf`
      );
    }
    return pid;
  }
  async pidOfContainer(name) {
    const info = await this.requireEngine().inspectContainer(name).catch((err) => {
      throw new UserError(`${this.t.name}: nginx container ${name}: ${err.message}`);
    });
    if (!info.state.running || info.state.pid <= 0)
      throw new UserError(`${this.t.name}: nginx container ${name} is not running (${info.state.status})`);
    return info.state.pid;
  }
  async workers(master) {
    const r = await this.t.exec(workersArgv(master), QUIET);
    return parsePids(r.stdout);
  }
  /**
   * `nginx -s reload` returns before the new workers serve, and until the old workers get their QUIT they still accept
   * connections with the old upstream. Done when new workers run and the old ones are gone (or, for old workers held
   * by long-lived connections, after a grace period: they no longer accept new connections by then).
   */
  async waitForNewWorkers(master, old) {
    const start = this.clock.now().getTime();
    for (; ; ) {
      const now = await this.workers(master);
      const fresh = now.some((p) => !old.has(p));
      const lingering = now.filter((p) => old.has(p));
      const elapsed = this.clock.now().getTime() - start;
      if (fresh && lingering.length === 0) return;
      if (fresh && elapsed >= OLD_WORKERS_GRACE_MS) {
        this.log.info(`nginx: ${lingering.length} old worker(s) still finishing their connections; continuing`);
        return;
      }
      if (elapsed >= RELOAD_DEADLINE_MS) {
        throw new UserError(
          `nginx did not start new workers within ${RELOAD_DEADLINE_MS / 1e3}s of the reload (watching master ${master}${this.cfg.container === void 0 ? ` from ${this.cfg["pid-file"]}` : ""}: is it the nginx that reload signals?)`
        );
      }
      await this.clock.sleep(50);
    }
  }
};

export {
  readUpstreamFile,
  upstreamBlockText,
  hostPortOf,
  isPlaceholder,
  rewriteUpstreamFile,
  HostShare,
  atHost,
  nginxProgram,
  mkdtempArgv,
  nginxCandidateTestArgv,
  ACCESS_LOG_FORMAT_NAME,
  ACCESS_LOG_PREFIX,
  ACCESS_LOG_FORMAT,
  accessLogDirective,
  NginxUpstream
};
