import {
  durationProblem
} from "./chunk-BOC5NVEP.js";
import {
  $ZodCustom,
  $ZodEnum,
  $ZodPipe,
  $ZodString,
  $ZodStringFormat,
  $ZodTransform,
  $ZodType,
  $ZodURL,
  $constructor,
  NEVER,
  _refine,
  _regex,
  _string,
  _url,
  clone,
  normalizeParams,
  own,
  parse,
  parseAsync,
  safeParse,
  safeParseAsync
} from "./chunk-WNIEMWDA.js";
import {
  ConfigError
} from "./chunk-O2HJWNJA.js";

// node_modules/zod/v4/mini/schemas.js
var ZodMiniType = /* @__PURE__ */ $constructor("ZodMiniType", (inst, def) => {
  if (!inst._zod)
    throw new Error("Uninitialized schema in ZodMiniType.");
  $ZodType.init(inst, def);
  inst.def = def;
  inst.type = def.type;
}, {
  // `with` is an alias for `check`: the same function object, not a wrapper.
  get with() {
    return this.check;
  },
  set with(value) {
    own(this, "with", value);
  },
  parse(data, params) {
    return parse(this, data, params, { callee: this.parse });
  },
  parseAsync(data, params) {
    return parseAsync(this, data, params, { callee: this.parseAsync });
  },
  safeParse(data, params) {
    return safeParse(this, data, params);
  },
  safeParseAsync(data, params) {
    return safeParseAsync(this, data, params);
  },
  check(...checks) {
    const def = this.def;
    return this.clone({
      ...def,
      checks: [
        ...def.checks ?? [],
        ...checks.map((ch) => typeof ch === "function" ? { _zod: { check: ch, def: { check: "custom" }, onattach: [] } } : ch)
      ]
    }, { parent: true });
  },
  clone(_def, params) {
    return clone(this, _def, params);
  },
  brand() {
    return this;
  },
  register(reg, meta2) {
    reg.add(this, meta2);
    return this;
  },
  apply(fn, ...args) {
    return args.length === 0 ? fn(this) : fn(this, ...args);
  }
});
var ZodMiniString = /* @__PURE__ */ $constructor("ZodMiniString", (inst, def) => {
  $ZodString.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function string(params) {
  return _string(ZodMiniString, params);
}
var ZodMiniStringFormat = /* @__PURE__ */ $constructor("ZodMiniStringFormat", (inst, def) => {
  $ZodStringFormat.init(inst, def);
  ZodMiniString.init(inst, def);
});
var ZodMiniURL = /* @__PURE__ */ $constructor("ZodMiniURL", (inst, def) => {
  $ZodURL.init(inst, def);
  ZodMiniStringFormat.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function url(params) {
  return _url(ZodMiniURL, params);
}
var ZodMiniEnum = /* @__PURE__ */ $constructor("ZodMiniEnum", (inst, def) => {
  $ZodEnum.init(inst, def);
  ZodMiniType.init(inst, def);
  inst.options = [...inst._zod.values];
});
// @__NO_SIDE_EFFECTS__
function _enum(values, params) {
  const entries = Array.isArray(values) ? Object.fromEntries(values.map((v) => [v, v])) : values;
  return new ZodMiniEnum({
    type: "enum",
    entries,
    ...normalizeParams(params)
  });
}
var ZodMiniTransform = /* @__PURE__ */ $constructor("ZodMiniTransform", (inst, def) => {
  $ZodTransform.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function transform(fn) {
  return new ZodMiniTransform({
    type: "transform",
    transform: fn
  });
}
var ZodMiniPipe = /* @__PURE__ */ $constructor("ZodMiniPipe", (inst, def) => {
  $ZodPipe.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function pipe(in_, out) {
  return new ZodMiniPipe({
    type: "pipe",
    in: in_,
    out
  });
}
var ZodMiniCustom = /* @__PURE__ */ $constructor("ZodMiniCustom", (inst, def) => {
  $ZodCustom.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function refine(fn, _params = {}) {
  return _refine(ZodMiniCustom, fn, _params);
}

// src/inputs/spec.ts
var zText = (ok, why) => string().check(refine(ok, why));
var zPattern = (re, why) => string().check(_regex(re, why));
var zOneOf = (values, why) => _enum(values, { error: why });
var zBool = pipe(
  string(),
  transform((value, ctx) => {
    if (["true", "True", "TRUE"].includes(value)) return true;
    if (["false", "False", "FALSE"].includes(value)) return false;
    ctx.issues.push({ code: "custom", message: "expected true or false", input: value });
    return NEVER;
  })
);
var zDurationInput = pipe(
  string(),
  transform((value, ctx) => {
    const { ms, problem } = durationProblem(value);
    if (ms !== void 0) return ms;
    ctx.issues.push({ code: "custom", message: problem ?? "expected a duration", input: value });
    return NEVER;
  })
);
var zList = (ok, why) => pipe(
  string(),
  transform((value, ctx) => {
    const items = value.split(/[\s,]+/).filter((s) => s !== "");
    if (items.length > 0 && items.every(ok)) return items;
    ctx.issues.push({ code: "custom", message: why, input: value });
    return NEVER;
  })
);
function inputProblem(name, spec, raw, result) {
  if (result.success) return void 0;
  const why = hideUserinfo((result.error?.issues ?? []).map((i) => i.message).join("; "));
  const shown = spec.secret ? "(value hidden)" : JSON.stringify(hideUserinfo(raw.length > 80 ? `${raw.slice(0, 80)}\u2026` : raw));
  return `input "${name}": ${shown} is not valid: ${why}`;
}
function hideUserinfo(text) {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"]*@/gi, "$1***@");
}
function parseLateInput(name, raw, schema) {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigError(inputProblem(name, {}, raw, result) ?? `input "${name}" is not valid`);
}
function parseInputs(runner, log, specs) {
  const out = {};
  const problems = [];
  for (const [name, spec] of Object.entries(specs)) {
    let raw = runner.getInput(name);
    if (spec.secret && raw !== "") log.addSecret(raw);
    if (raw === "" && spec.default !== void 0) raw = spec.default;
    if (raw === "") {
      if (spec.required) {
        problems.push(`input "${name}" is required: ${spec.description}`);
        continue;
      }
      out[name] = void 0;
      continue;
    }
    const result = spec.schema.safeParse(raw);
    const problem = inputProblem(name, spec, raw, result);
    if (problem) problems.push(problem);
    else out[name] = result.data;
  }
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) throw new ConfigError(`${problems.length} input problems:
${problems.join("\n")}`);
  return out;
}

export {
  string,
  url,
  transform,
  pipe,
  refine,
  zText,
  zPattern,
  zOneOf,
  zBool,
  zDurationInput,
  zList,
  parseLateInput,
  parseInputs
};
