import {
  requestOnce
} from "./chunk-5DAKGEXJ.js";
import {
  githubContext,
  runLinks
} from "./chunk-Q7OLK7WB.js";
import {
  hookLabel
} from "./chunk-4SK5LWOK.js";
import {
  errorMessage
} from "./chunk-O2HJWNJA.js";

// src/core/untrusted.ts
var DOTNET_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
var LEADING_SPACE = new RegExp(`^[${DOTNET_SPACE}]+`);
var CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
var NAMED = { "\r": "\\r", "\n": "\\n", "\x1B": "\\e" };
function visible(ch) {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code > 255 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`);
}
function inertLine(line) {
  const shown = line.replace(CONTROL, visible).replaceAll("##[", "##\\[");
  const lead = LEADING_SPACE.exec(shown)?.[0] ?? "";
  return shown.slice(lead.length).startsWith("::") ? `${lead}:\\:${shown.slice(lead.length + 2)}` : shown;
}
function untrusted(text) {
  return text.split(/\r?\n/).map(inertLine).join("\n");
}

// src/notify/message.ts
var JSON_SCHEMA = "runbook-actions/notification@1";
var MAX_VALUE_CHARS = 300;
var MAX_REASON_CHARS = 500;
var MAX_JSON_REASON_CHARS = 4e3;
var EMOJI = {
  start: ":rocket:",
  success: ":white_check_mark:",
  refusal: ":no_entry:",
  rollback: ":leftwards_arrow_with_hook:",
  failure: ":x:"
};
var LINK_LABELS = [
  ["run", "Workflow run"],
  ["deployment", "Deployment"],
  ["commit", "Commit"],
  ["environment", "Environment"]
];
var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
var HAS_UNPRINTABLE = new RegExp(UNPRINTABLE.source);
function cut(text, max) {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}\u2026`;
}
function oneLine(text, max = MAX_VALUE_CHARS) {
  return cut(text.replace(UNPRINTABLE, " ").trim(), max);
}
function multiLine(text, max) {
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => l.replace(UNPRINTABLE, " ").trimEnd());
  return cut(lines.join("\n").trim(), max);
}
function escapeMrkdwn(text) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll("@", "@\u200B");
}
function safeUrl(url) {
  if (url === void 0 || HAS_UNPRINTABLE.test(url) || /\s/.test(url)) return void 0;
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:" || u.username !== "" || u.password !== "") return void 0;
    return u.href;
  } catch {
    return void 0;
  }
}
function slackLink(url, label) {
  const target = url.replaceAll("|", "%7C").replaceAll("&", "&amp;").replaceAll("<", "%3C").replaceAll(">", "%3E");
  return `<${target}|${escapeMrkdwn(label)}>`;
}
function clean(e, reasonMax) {
  const opt = (v) => v === void 0 || oneLine(v) === "" ? void 0 : oneLine(v);
  const reason = e.reason === void 0 ? void 0 : multiLine(e.reason, reasonMax);
  const links = {};
  for (const [key] of LINK_LABELS) {
    const url = safeUrl(e.links[key]);
    if (url !== void 0) links[key] = url;
  }
  return {
    event: e.kind,
    app: oneLine(e.app),
    environment: oneLine(e.environment),
    version: oneLine(e.version),
    actor: opt(e.actor),
    releaseId: opt(e.releaseId),
    previousVersion: opt(e.previousVersion),
    restoredVersion: opt(e.restoredVersion),
    reason: reason === "" ? void 0 : reason,
    links
  };
}
function headline(c, v) {
  const app = v(c.app);
  const version = v(c.version);
  const env = v(c.environment);
  switch (c.event) {
    case "start":
      return `Deploying ${app} ${version} to ${env}`;
    case "success":
      return `Deployed ${app} ${version} to ${env}`;
    case "refusal":
      return `Refused to deploy ${app} ${version} to ${env}`;
    case "rollback":
      return `Rolled back ${app} on ${env}${c.restoredVersion ? ` to ${v(c.restoredVersion)}` : ""} (from ${version})`;
    case "failure":
      return `Deploy of ${app} ${version} to ${env} failed`;
  }
}
function summaryOf(c) {
  return `${headline(c, (s) => s)}${c.actor ? ` (by ${c.actor})` : ""}`;
}
function slackMessage(e) {
  const c = clean(e, MAX_REASON_CHARS);
  const bold = (s) => `*${escapeMrkdwn(s)}*`;
  const by = c.actor ? ` (by ${escapeMrkdwn(c.actor)})` : "";
  const firstLine = c.reason?.split("\n")[0];
  const why = firstLine ? `: ${escapeMrkdwn(oneLine(firstLine, 200))}` : "";
  const text = `${EMOJI[c.event]} ${headline(c, escapeMrkdwn)}${by}${why}`;
  const field = (label, value) => value === void 0 ? [] : [{ type: "mrkdwn", text: `*${label}*
${escapeMrkdwn(value)}` }];
  const fields = [
    ...field("Environment", c.environment),
    ...field("Version", c.version),
    ...field(c.event === "rollback" ? "Restored version" : "Previous version", restoredOrPrevious(c)),
    ...field("Actor", c.actor),
    ...field("Release", c.releaseId)
  ];
  const blocks = [
    { type: "section", text: { type: "mrkdwn", text: `${EMOJI[c.event]} ${headline(c, bold)}` } },
    { type: "section", fields }
  ];
  if (c.reason) blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Reason*
${escapeMrkdwn(c.reason)}` } });
  const links = LINK_LABELS.flatMap(([key, label]) => {
    const url = c.links[key];
    return url === void 0 ? [] : [slackLink(url, label)];
  });
  if (links.length > 0) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: links.join(" \xB7 ") }] });
  return { text, blocks };
}
function restoredOrPrevious(c) {
  return c.event === "rollback" ? c.restoredVersion : c.previousVersion;
}
function jsonMessage(e) {
  const c = clean(e, MAX_JSON_REASON_CHARS);
  const { links, ...fields } = c;
  const summary = summaryOf(c);
  const out = { schema: JSON_SCHEMA };
  for (const [k, v] of Object.entries({ ...fields, summary, links })) if (v !== void 0) out[k] = v;
  return out;
}
function messageBody(format, e) {
  return JSON.stringify(format === "slack" ? slackMessage(e) : jsonMessage(e));
}

// src/notify/send.ts
var MAX_ANSWER_BYTES = 2048;
var MAX_ANSWER_CHARS = 120;
var MIN_MASKED_PATH = 12;
var MIN_URL = 8;
function hooksFor(hooks, event) {
  return hooks.flatMap(
    (hook, i) => hook.on.includes(event.kind) && (hook.environments?.includes(event.environment) ?? true) ? [{ hook, label: hookLabel(hook, i) }] : []
  );
}
function readHookUrl(hook, env, log) {
  const name = hook["url-env"];
  const raw = env[name];
  if (raw === void 0) return { problem: `environment variable ${name} is not set` };
  const value = raw.trim();
  if (value === "") return { problem: `environment variable ${name} is empty` };
  if (value.length < MIN_URL) return { problem: `environment variable ${name} does not hold a URL` };
  log.addSecret(raw);
  log.addSecret(value);
  let u;
  try {
    u = new URL(value);
  } catch {
    return { problem: `environment variable ${name} does not hold a URL` };
  }
  const rest = `${u.pathname}${u.search}`;
  if (rest.length >= MIN_MASKED_PATH) log.addSecret(rest);
  const headers = {};
  if (u.username !== "" || u.password !== "") {
    const password = decoded(u.password);
    if (password !== "") log.addSecret(password);
    const basic = `Basic ${Buffer.from(`${decoded(u.username)}:${password}`).toString("base64")}`;
    log.addSecret(basic);
    headers.authorization = basic;
    u.username = "";
    u.password = "";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    return { problem: `environment variable ${name} holds a ${u.protocol.replace(/:$/, "")} URL, expected http(s)` };
  }
  log.addSecret(u.href);
  return { url: u.href, headers };
}
function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
function maskedEvent(e, mask) {
  const m = (v) => v === void 0 ? void 0 : mask(v);
  const links = {};
  for (const [k, v] of Object.entries(e.links)) {
    if (v !== void 0) links[k] = mask(v);
  }
  return {
    kind: e.kind,
    app: mask(e.app),
    environment: mask(e.environment),
    version: mask(e.version),
    actor: m(e.actor),
    releaseId: m(e.releaseId),
    previousVersion: m(e.previousVersion),
    restoredVersion: m(e.restoredVersion),
    reason: m(e.reason),
    links
  };
}
function failureOf(r, signal) {
  if (signal?.aborted) return "cancelled";
  if (!r.ok) return r.error;
  const said = oneLine(r.body, MAX_ANSWER_CHARS);
  const redirect = r.status >= 300 && r.status < 400 ? " (redirects are not followed)" : "";
  return `HTTP ${r.status}${redirect}${said === "" ? "" : `: ${untrusted(said)}`}`;
}
async function notify(hooks, event, deps) {
  const { log } = deps;
  const wanted = hooksFor(hooks, event);
  const prefix = (label) => `notification ${label} (${event.kind})`;
  const failed = (label, error, status) => {
    log.warn(`${prefix(label)} failed: ${error}`);
    return { name: label, ok: false, ...status === void 0 ? {} : { status }, error };
  };
  const urls = wanted.map(({ hook }) => {
    try {
      return readHookUrl(hook, deps.env, log);
    } catch (err) {
      return { problem: `its URL could not be read: ${errorMessage(err)}` };
    }
  });
  const request = deps.request ?? requestOnce;
  return Promise.all(
    wanted.map(async ({ hook, label }, i) => {
      const target = urls[i];
      if ("problem" in target) {
        log.warn(`${prefix(label)} not sent: ${target.problem}`);
        return { name: label, ok: false, error: target.problem };
      }
      try {
        const r = await request(target.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "runbook-actions", ...target.headers },
          body: messageBody(
            hook.format,
            maskedEvent(event, (t) => log.mask(t))
          ),
          timeoutMs: hook.timeout,
          maxBodyBytes: MAX_ANSWER_BYTES,
          ...deps.signal ? { signal: deps.signal } : {}
        });
        if (r.ok && r.status >= 200 && r.status < 300) {
          log.info(`${prefix(label)} sent: HTTP ${r.status}`);
          return { name: label, ok: true, status: r.status };
        }
        return failed(label, log.mask(failureOf(r, deps.signal)), r.ok ? r.status : void 0);
      } catch (err) {
        return failed(label, deps.signal?.aborted ? "cancelled" : log.mask(`unexpected error: ${errorMessage(err)}`));
      }
    })
  );
}

// src/actions/notify-run.ts
async function notifyRun(run, config, e) {
  const hooks = config.notifications ?? [];
  if (hooks.length === 0) return;
  const context = githubContext(run.runner.env);
  const links = runLinks(context, e.environment);
  await notify(
    hooks,
    {
      ...e,
      app: config.app,
      actor: context.actor,
      links: { run: links.run, commit: links.commit, deployment: links.environment, environment: e.url }
    },
    // Not the run's signal: a cancelled run's failure is still told, each hook bounded by its own timeout.
    { env: run.runner.env, log: run.log }
  );
}

export {
  notifyRun
};
