import {
  uniqueBy,
  zEnvVarName,
  zMatching
} from "./chunk-5V6H6OVK.js";
import {
  zDurationIn
} from "./chunk-BOC5NVEP.js";
import {
  show
} from "./chunk-KPGNJUSS.js";
import {
  _enum,
  array,
  strictObject,
  string
} from "./chunk-WNIEMWDA.js";

// src/config/schema-notify.ts
var NOTIFY_KINDS = ["start", "success", "refusal", "rollback", "failure"];
var NOTIFY_FORMATS = ["slack", "json"];
var NOTIFY_TIMEOUT = { min: 1e3, max: 6e4, default: 1e4 };
var MAX_NOTIFICATIONS = 20;
var NAME_HELP = 'expected a short label like "ops channel" (letters, digits, spaces, "#", "_", ".", "-"; at most 63, starting with a letter, digit or "#")';
var zNotifyName = zMatching(/^[A-Za-z0-9#](?:[A-Za-z0-9 #_.-]{0,61}[A-Za-z0-9#_.-])?$/, NAME_HELP);
var ON_HELP = `expected a list of events from ${NOTIFY_KINDS.join(", ")}, like [failure, rollback]`;
var ENVIRONMENTS_HELP = "expected a list of environment names like [production]";
var notificationSchema = strictObject({
  name: zNotifyName.optional(),
  "url-env": zEnvVarName,
  format: _enum(NOTIFY_FORMATS),
  on: array(_enum(NOTIFY_KINDS), { error: ON_HELP }).min(1, { error: `expected at least one event (${NOTIFY_KINDS.join(", ")}); remove the hook to send none` }).superRefine((kinds, ctx) => uniqueBy(kinds, (k) => k, "event", ctx)).default([...NOTIFY_KINDS]),
  environments: array(string({ error: ENVIRONMENTS_HELP }), { error: ENVIRONMENTS_HELP }).min(1, { error: "expected at least one environment; leave the key out to send for every environment" }).superRefine((names, ctx) => uniqueBy(names, (n) => n, "environment", ctx)).optional(),
  timeout: zDurationIn(NOTIFY_TIMEOUT.min, NOTIFY_TIMEOUT.max).default(NOTIFY_TIMEOUT.default)
});
var notificationsSchema = array(notificationSchema, {
  error: "expected a list of webhooks like [{ url-env: SLACK_WEBHOOK_URL, format: slack }]"
}).max(MAX_NOTIFICATIONS, { error: `expected at most ${MAX_NOTIFICATIONS} webhooks` }).superRefine((hooks, ctx) => {
  const named = hooks.flatMap((h, i) => h.name === void 0 ? [] : [{ name: h.name, i }]);
  const seen = /* @__PURE__ */ new Map();
  for (const { name, i } of named) {
    const first = seen.get(name);
    if (first === void 0) seen.set(name, i);
    else
      ctx.addIssue({
        code: "custom",
        path: [i, "name"],
        message: `duplicate webhook name ${show(name)} (already used by item ${first})`
      });
  }
});
function checkNotificationEnvironments(config, ctx) {
  const defined = Object.keys(config.environments);
  config.notifications?.forEach((hook, i) => {
    hook.environments?.forEach((name, j) => {
      if (defined.includes(name)) return;
      ctx.addIssue({
        code: "custom",
        path: ["notifications", i, "environments", j],
        message: `unknown environment ${show(name)} (defined environments: ${defined.join(", ")})`
      });
    });
  });
}
function hookLabel(hook, index) {
  return hook.name ?? `#${index + 1}`;
}

export {
  notificationsSchema,
  checkNotificationEnvironments,
  hookLabel
};
