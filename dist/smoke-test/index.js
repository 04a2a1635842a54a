// node_modules/zod/v4/core/util.js
function jsonStringifyReplacer(_, value) {
  if (typeof value === "bigint")
    return value.toString();
  return value;
}
function nullish(input) {
  return input === null || input === void 0;
}
var captureStackTrace = "captureStackTrace" in Error ? Error.captureStackTrace : (..._args) => {
};
function clone(inst, def, params) {
  const cl = new inst._zod.constr(def ?? inst._zod.def);
  if (!def || params?.parent)
    cl._zod.parent = inst;
  return cl;
}
function normalizeParams(_params) {
  const params = _params;
  if (!params)
    return {};
  if (typeof params === "string")
    return { error: () => params };
  if (params?.message !== void 0) {
    if (params?.error !== void 0)
      throw new Error("Cannot specify both `message` and `error` params");
    params.error = params.message;
  }
  delete params.message;
  if (typeof params.error === "string")
    return { ...params, error: () => params.error };
  return params;
}
function aborted(x, startIndex = 0) {
  if (x.aborted === true)
    return true;
  for (let i = startIndex; i < x.issues.length; i++) {
    if (x.issues[i]?.continue !== true) {
      return true;
    }
  }
  return false;
}
function explicitlyAborted(x, startIndex = 0) {
  if (x.aborted === true)
    return true;
  for (let i = startIndex; i < x.issues.length; i++) {
    if (x.issues[i]?.continue === false) {
      return true;
    }
  }
  return false;
}
function unwrapMessage(message) {
  return typeof message === "string" ? message : message?.message;
}
function attachSchema(issues, start, inst) {
  var _a2;
  for (let i = start; i < issues.length; i++) {
    (_a2 = issues[i]).schema ?? (_a2.schema = inst);
  }
}
function finalizeIssue(iss, ctx, config2) {
  var _a2;
  const traits = iss.inst?._zod?.traits;
  if (traits?.has("$ZodType")) {
    if (traits.has("$ZodCheck"))
      (_a2 = iss).schema ?? (_a2.schema = iss.inst);
    else
      iss.schema = iss.inst;
  }
  const schemaError = iss.schema !== iss.inst ? iss.schema?._zod.def?.error : void 0;
  const message = iss.message ? iss.message : unwrapMessage(iss.inst?._zod.def?.error?.(iss)) ?? unwrapMessage(schemaError?.(iss)) ?? unwrapMessage(ctx?.error?.(iss)) ?? unwrapMessage(config2.customError?.(iss)) ?? unwrapMessage(config2.localeError?.(iss)) ?? "Invalid input";
  const full = {};
  for (const k of Object.keys(iss)) {
    if (k === "inst" || k === "schema" || k === "continue" || k === "input" || k === "__proto__")
      continue;
    full[k] = iss[k];
  }
  full.path ?? (full.path = []);
  full.message = message;
  if (ctx?.reportInput) {
    full.input = iss.input;
  }
  return full;
}
var highSurrogate = /[\uD800-\uDBFF]/;
function codePointLength(str) {
  const units = str.length;
  if (!highSurrogate.test(str))
    return units;
  let count = units;
  for (let i = 0; i < units - 1; i++) {
    if ((str.charCodeAt(i) & 64512) === 55296 && (str.charCodeAt(i + 1) & 64512) === 56320) {
      count--;
      i++;
    }
  }
  return count;
}
function getLengthableOrigin(input) {
  if (Array.isArray(input))
    return "array";
  if (typeof input === "string")
    return "string";
  return "unknown";
}
function issue(...args) {
  const [iss, input, inst] = args;
  if (typeof iss === "string") {
    return {
      message: iss,
      code: "custom",
      input,
      inst
    };
  }
  return { ...iss };
}
function members(proto, table) {
  for (const key in table) {
    const desc = Object.getOwnPropertyDescriptor(table, key);
    if (desc.get)
      Object.defineProperty(proto, key, { ...desc, enumerable: false });
    else
      defineBound(proto, key, desc.value);
  }
}
function own(inst, key, value, enumerable = true) {
  Object.defineProperty(inst, key, { configurable: true, writable: true, enumerable, value });
  return value;
}
function hide(inst, key, value) {
  return own(inst, key, value, false);
}
function defineBound(proto, key, fn) {
  Object.defineProperty(proto, key, {
    configurable: true,
    get() {
      return this == null ? fn : own(this, key, fn.bind(this));
    },
    set(value) {
      own(this, key, value);
    }
  });
}
var installing;
var broke = false;
var breaker = {
  configurable: true,
  get() {
    broke = true;
    return void 0;
  }
};
function defineLazyInternal(inst, key, compute) {
  const proto = Object.getPrototypeOf(inst._zod);
  if (key in proto && installing !== inst._zod) {
    installing = void 0;
    return;
  }
  installing = inst._zod;
  Object.defineProperty(proto, key, {
    configurable: true,
    get() {
      Object.defineProperty(this, key, breaker);
      const outer = broke;
      broke = false;
      try {
        const value = compute(this);
        if (broke)
          delete this[key];
        else
          Object.defineProperty(this, key, { configurable: true, writable: true, value });
        broke = broke || outer;
        return value;
      } catch (err) {
        delete this[key];
        broke = broke || outer;
        throw err;
      }
    },
    set(value) {
      Object.defineProperty(this, key, { configurable: true, writable: true, value });
    }
  });
}

// node_modules/zod/v4/core/core.js
var _a;
var NEVER = /* @__PURE__ */ Object.freeze({
  status: "aborted"
});
var _zodDesc = { value: void 0, enumerable: false };
var _E = "captureStackTrace" in Error ? Error : null;
function newError(Definition) {
  const E = _E;
  if (E) {
    const saved = E.stackTraceLimit;
    if (typeof saved === "number") {
      try {
        E.stackTraceLimit = 0;
      } catch {
        _E = null;
        return new Definition();
      }
      try {
        return new Definition();
      } finally {
        E.stackTraceLimit = saved;
      }
    }
  }
  return new Definition();
}
// @__NO_SIDE_EFFECTS__
function $constructor(name, initializer2, proto, params) {
  const zodProto = {};
  function Internals(def) {
    this.def = def;
    this.constr = _;
    this.traits = /* @__PURE__ */ new Set();
  }
  Internals.prototype = zodProto;
  const protoMembers = proto;
  const initialized = protoMembers && /* @__PURE__ */ new WeakSet();
  function init(inst, def) {
    if (!inst._zod) {
      _zodDesc.value = new Internals(def);
      try {
        Object.defineProperty(inst, "_zod", _zodDesc);
      } finally {
        _zodDesc.value = void 0;
      }
    } else if (inst._zod.traits.has(name)) {
      return;
    }
    inst._zod.traits.add(name);
    initializer2(inst, def);
    if (initialized) {
      const own2 = Object.getPrototypeOf(inst);
      const ctorProto = inst._zod.constr.prototype;
      let up = own2;
      while (up && up !== ctorProto)
        up = Object.getPrototypeOf(up);
      const target = up ?? own2;
      if (!initialized.has(target)) {
        initialized.add(target);
        members(target, protoMembers);
      }
    }
    const proto2 = _.prototype;
    for (const k in proto2) {
      if (!Object.prototype.hasOwnProperty.call(proto2, k))
        continue;
      if (!(k in inst)) {
        inst[k] = proto2[k].bind(inst);
      }
    }
  }
  const Parent = params?.Parent ?? Object;
  class Definition extends Parent {
  }
  Object.defineProperty(Definition, "name", { value: name });
  function _(def) {
    const inst = params?.Parent ? newError(Definition) : this;
    init(inst, def);
    const deferred = inst._zod.deferred;
    if (deferred) {
      for (const fn of deferred) {
        fn();
      }
      inst._zod.deferred = void 0;
    }
    const pp = globalThis.__zod_globalConfig?.postProcessor;
    if (pp)
      pp(inst);
    return inst;
  }
  Object.defineProperty(_, "init", { value: init });
  Object.defineProperty(_, Symbol.hasInstance, {
    value: (inst) => {
      if (params?.Parent && inst instanceof params.Parent)
        return true;
      return inst?._zod?.traits?.has(name);
    }
  });
  Object.defineProperty(_, "name", { value: name });
  return _;
}
var $ZodAsyncError = class extends Error {
  constructor() {
    super(`Encountered Promise during synchronous parse. Use .parseAsync() instead.`);
  }
};
var $ZodEncodeError = class extends Error {
  constructor(name) {
    super(`Encountered unidirectional transform during encode: ${name}`);
    this.name = "ZodEncodeError";
  }
};
(_a = globalThis).__zod_globalConfig ?? (_a.__zod_globalConfig = {});
var globalConfig = globalThis.__zod_globalConfig;
function config(newConfig) {
  if (newConfig)
    Object.assign(globalConfig, newConfig);
  return globalConfig;
}

// node_modules/zod/v4/core/errors.js
function _getMessage() {
  const internals = this._zod;
  internals.message ?? (internals.message = JSON.stringify(internals.def, jsonStringifyReplacer, 2));
  return internals.message;
}
function _setMessage(value) {
  this._zod.message = value;
}
var _messageDesc = {
  get: _getMessage,
  set: _setMessage,
  enumerable: true,
  configurable: true
};
var _issuesDesc = { value: void 0, enumerable: false };
var _installedToString = /* @__PURE__ */ new WeakSet([Object.prototype, Error.prototype]);
var initializer = (inst, def) => {
  inst.name = "$ZodError";
  _issuesDesc.value = def;
  Object.defineProperty(inst, "issues", _issuesDesc);
  _issuesDesc.value = void 0;
  Object.defineProperty(inst, "message", _messageDesc);
  const proto = Object.getPrototypeOf(inst);
  if (!_installedToString.has(proto)) {
    _installedToString.add(proto);
    Object.defineProperty(proto, "toString", {
      configurable: true,
      enumerable: false,
      get() {
        const value = () => this.message;
        Object.defineProperty(this, "toString", { value, configurable: true, writable: true });
        return value;
      },
      set(value) {
        Object.defineProperty(this, "toString", { value, configurable: true, writable: true });
      }
    });
  }
};
var $ZodError = $constructor("$ZodError", initializer);
var $ZodRealError = $constructor("$ZodError", initializer, void 0, {
  Parent: Error
});

// node_modules/zod/v4/core/parse.js
var _parse = (_Err) => {
  const fn = (schema, value, _ctx, _params) => {
    const ctx = _ctx ? { ..._ctx, async: false } : { async: false };
    const result = schema._zod.run({ value, issues: [] }, ctx);
    if (result instanceof Promise) {
      throw new $ZodAsyncError();
    }
    if (result.issues.length) {
      const e = new (_params?.Err ?? _Err)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())));
      captureStackTrace(e, _params?.callee ?? fn);
      throw e;
    }
    return result.value;
  };
  return fn;
};
var parse = /* @__PURE__ */ _parse($ZodRealError);
var _parseAsync = (_Err) => {
  const fn = async (schema, value, _ctx, params) => {
    const ctx = _ctx ? { ..._ctx, async: true } : { async: true };
    let result = schema._zod.run({ value, issues: [] }, ctx);
    if (result instanceof Promise)
      result = await result;
    if (result.issues.length) {
      const e = new (params?.Err ?? _Err)(result.issues.map((iss) => finalizeIssue(iss, ctx, config())));
      captureStackTrace(e, params?.callee ?? fn);
      throw e;
    }
    return result.value;
  };
  return fn;
};
var parseAsync = /* @__PURE__ */ _parseAsync($ZodRealError);
var _safeParse = (_Err) => (schema, value, _ctx) => {
  const ctx = _ctx ? { ..._ctx, async: false } : { async: false };
  const result = schema._zod.run({ value, issues: [] }, ctx);
  if (result instanceof Promise) {
    throw new $ZodAsyncError();
  }
  return result.issues.length ? failure(_Err, result.issues, ctx) : { success: true, data: result.value };
};
var safeParse = /* @__PURE__ */ _safeParse($ZodRealError);
function failure(Err, issues, ctx) {
  let error;
  return {
    success: false,
    get error() {
      if (!error) {
        error = new Err(issues.map((iss) => finalizeIssue(iss, ctx, config())));
        issues = void 0;
        ctx = void 0;
      }
      return error;
    },
    set error(e) {
      error = e;
      issues = void 0;
      ctx = void 0;
    }
  };
}
var _safeParseAsync = (_Err) => async (schema, value, _ctx) => {
  const ctx = _ctx ? { ..._ctx, async: true } : { async: true };
  let result = schema._zod.run({ value, issues: [] }, ctx);
  if (result instanceof Promise)
    result = await result;
  return result.issues.length ? failure(_Err, result.issues, ctx) : { success: true, data: result.value };
};
var safeParseAsync = /* @__PURE__ */ _safeParseAsync($ZodRealError);

// node_modules/zod/v4/core/regexes.js
var httpProtocol = /^https?$/;
var anyString = /^[\s\S]{0,}$/;

// node_modules/zod/v4/core/checks.js
var $ZodCheck = /* @__PURE__ */ $constructor("$ZodCheck", (inst, def) => {
  var _a2;
  inst._zod ?? (inst._zod = {});
  inst._zod.def = def;
  (_a2 = inst._zod).onattach ?? (_a2.onattach = []);
});
var _whenHasLength = (payload) => {
  const val = payload.value;
  return !nullish(val) && val.length !== void 0;
};
var $ZodCheckMaxLength = /* @__PURE__ */ $constructor("$ZodCheckMaxLength", (inst, def) => {
  var _a2;
  $ZodCheck.init(inst, def);
  (_a2 = inst._zod.def).when ?? (_a2.when = _whenHasLength);
  inst._zod.check = (payload) => {
    const input = payload.value;
    const units = input.length;
    const length = typeof input === "string" && units > def.maximum ? codePointLength(input) : units;
    if (length <= def.maximum)
      return;
    const origin = getLengthableOrigin(input);
    payload.issues.push({
      origin,
      code: "too_big",
      maximum: def.maximum,
      inclusive: true,
      input,
      inst,
      continue: !def.abort
    });
  };
});
var $ZodCheckStringFormat = /* @__PURE__ */ $constructor("$ZodCheckStringFormat", (inst, def) => {
  var _a2, _b;
  $ZodCheck.init(inst, def);
  if (def.pattern)
    (_a2 = inst._zod).check ?? (_a2.check = (payload) => {
      def.pattern.lastIndex = 0;
      if (def.pattern.test(payload.value))
        return;
      payload.issues.push({
        origin: "string",
        code: "invalid_format",
        format: def.format,
        input: payload.value,
        ...def.pattern ? { pattern: def.pattern.toString() } : {},
        inst,
        continue: !def.abort
      });
    });
  else
    (_b = inst._zod).check ?? (_b.check = () => {
    });
});
var $ZodCheckRegex = /* @__PURE__ */ $constructor("$ZodCheckRegex", (inst, def) => {
  $ZodCheckStringFormat.init(inst, def);
  inst._zod.check = (payload) => {
    def.pattern.lastIndex = 0;
    if (def.pattern.test(payload.value))
      return;
    payload.issues.push({
      origin: "string",
      code: "invalid_format",
      format: "regex",
      input: payload.value,
      pattern: def.pattern.toString(),
      inst,
      continue: !def.abort
    });
  };
});

// node_modules/zod/v4/core/versions.js
var version = {
  major: 4,
  minor: 6,
  patch: 7
};

// node_modules/zod/v4/core/schemas.js
var $ZodType = /* @__PURE__ */ $constructor("$ZodType", (inst, def) => {
  var _a2;
  inst ?? (inst = {});
  inst._zod.def = def;
  inst._zod.bag = inst._zod.bag || {};
  inst._zod.version = version;
  const defChecks = inst._zod.def.checks;
  const checks = inst._zod.traits.has("$ZodCheck") ? [inst, ...defChecks ?? []] : defChecks?.length ? [...defChecks] : [];
  for (const ch of checks) {
    for (const fn of ch._zod.onattach) {
      fn(inst);
    }
  }
  if (checks.length === 0) {
    (_a2 = inst._zod).deferred ?? (_a2.deferred = []);
    inst._zod.deferred?.push(() => {
      inst._zod.run = inst._zod.parse;
    });
  } else {
    const runChecks = (payload, checks2, ctx) => {
      if (payload.memo)
        return payload;
      let isAborted = aborted(payload);
      let asyncResult;
      for (const ch of checks2) {
        if (ch._zod.def.when) {
          if (explicitlyAborted(payload))
            continue;
          const shouldRun = ch._zod.def.when(payload);
          if (!shouldRun)
            continue;
        } else if (isAborted) {
          continue;
        }
        const currLen = payload.issues.length;
        const _ = ch._zod.check(payload);
        if (_ instanceof Promise && ctx?.async === false) {
          throw new $ZodAsyncError();
        }
        if (asyncResult || _ instanceof Promise) {
          asyncResult = (asyncResult ?? Promise.resolve()).then(async () => {
            await _;
            const nextLen = payload.issues.length;
            if (nextLen === currLen)
              return;
            attachSchema(payload.issues, currLen, inst);
            if (!isAborted)
              isAborted = aborted(payload, currLen);
          });
        } else {
          const nextLen = payload.issues.length;
          if (nextLen === currLen)
            continue;
          attachSchema(payload.issues, currLen, inst);
          if (!isAborted)
            isAborted = aborted(payload, currLen);
        }
      }
      if (asyncResult) {
        return asyncResult.then(() => {
          return payload;
        });
      }
      return payload;
    };
    const handleCanaryResult = (canary, payload, ctx) => {
      if (aborted(canary)) {
        canary.aborted = true;
        return canary;
      }
      const checkResult = runChecks(payload, checks, ctx);
      if (checkResult instanceof Promise) {
        if (ctx.async === false)
          throw new $ZodAsyncError();
        return checkResult.then((checkResult2) => inst._zod.parse(checkResult2, ctx));
      }
      return inst._zod.parse(checkResult, ctx);
    };
    inst._zod.run = (payload, ctx) => {
      if (ctx.skipChecks) {
        return inst._zod.parse(payload, ctx);
      }
      if (ctx.direction === "backward") {
        const canary = inst._zod.parse({ value: payload.value, issues: [] }, { ...ctx, skipChecks: true });
        if (canary instanceof Promise) {
          return canary.then((canary2) => {
            return handleCanaryResult(canary2, payload, ctx);
          });
        }
        return handleCanaryResult(canary, payload, ctx);
      }
      const result = inst._zod.parse(payload, ctx);
      if (result instanceof Promise) {
        if (ctx.async === false)
          throw new $ZodAsyncError();
        return result.then((result2) => runChecks(result2, checks, ctx));
      }
      return runChecks(result, checks, ctx);
    };
  }
}, {
  // Wrappers extend this by installing a richer factory over it; reading it eagerly would defeat the laziness.
  get "~standard"() {
    return hide(this, "~standard", standardProps(this));
  },
  set "~standard"(value) {
    own(this, "~standard", value);
  }
});
var toStandardResult = (r, ctx) => r.issues.length ? { issues: r.issues.map((iss) => finalizeIssue(iss, ctx, config())) } : { value: r.value };
async function validateAsync(inst, value) {
  const ctx = { async: true };
  return toStandardResult(await inst._zod.run({ value, issues: [] }, ctx), ctx);
}
function standardProps(inst) {
  return {
    validate: (value) => {
      const ctx = { async: false };
      try {
        const r = inst._zod.run({ value, issues: [] }, ctx);
        if (!(r instanceof Promise))
          return toStandardResult(r, ctx);
      } catch (_) {
      }
      return validateAsync(inst, value);
    },
    vendor: "zod",
    version: 1
  };
}
var $ZodString = /* @__PURE__ */ $constructor("$ZodString", (inst, def) => {
  $ZodType.init(inst, def);
  inst._zod.pattern = def.pattern ?? anyString;
  inst._zod.parse = (payload, _) => {
    if (def.coerce)
      try {
        payload.value = String(payload.value);
      } catch (_2) {
      }
    if (typeof payload.value === "string")
      return payload;
    payload.issues.push({
      expected: "string",
      code: "invalid_type",
      input: payload.value,
      inst
    });
    return payload;
  };
});
var $ZodStringFormat = /* @__PURE__ */ $constructor("$ZodStringFormat", (inst, def) => {
  $ZodCheckStringFormat.init(inst, def);
  $ZodString.init(inst, def);
});
var URL_BAD_FORMAT = 1;
var URL_UNPARSEABLE = 2;
function canParseURL(input) {
  try {
    if (typeof URL !== "undefined" && typeof URL.canParse === "function")
      return URL.canParse(input);
    new URL(input);
    return true;
  } catch {
    return false;
  }
}
function validateURL(trimmed, def) {
  if (!("normalize" in def) && !("hostname" in def) && !("protocol" in def)) {
    return canParseURL(trimmed) || URL_UNPARSEABLE;
  }
  return parseURLObject(trimmed, def);
}
function parseURLObject(trimmed, def) {
  if (!def.normalize && def.protocol?.source === httpProtocol.source && !/^https?:\/\//i.test(trimmed)) {
    return URL_BAD_FORMAT;
  }
  try {
    if (typeof URL !== "undefined") {
      const URLStatic = URL;
      if (typeof URLStatic.parse === "function")
        return URLStatic.parse(trimmed) ?? URL_UNPARSEABLE;
    }
    return new URL(trimmed);
  } catch {
    return URL_UNPARSEABLE;
  }
}
var asciiTabOrNewline = /[\t\n\r]/g;
function stripTabAndNewline(value) {
  return value.replace(asciiTabOrNewline, "");
}
function urlHostnameOk(url2, hostname) {
  hostname.lastIndex = 0;
  return hostname.test(url2.hostname);
}
function urlProtocolOk(url2, protocol) {
  protocol.lastIndex = 0;
  return protocol.test(url2.protocol.endsWith(":") ? url2.protocol.slice(0, -1) : url2.protocol);
}
var $ZodURL = /* @__PURE__ */ $constructor("$ZodURL", (inst, def) => {
  $ZodStringFormat.init(inst, def);
  inst._zod.check = (payload) => {
    try {
      const trimmed = payload.value.trim();
      const url2 = validateURL(trimmed, def);
      if (url2 === URL_BAD_FORMAT) {
        payload.issues.push({
          code: "invalid_format",
          format: "url",
          note: "Invalid URL format",
          input: payload.value,
          inst,
          continue: !def.abort
        });
        return;
      }
      if (url2 === URL_UNPARSEABLE) {
        payload.issues.push({
          code: "invalid_format",
          format: "url",
          input: payload.value,
          inst,
          continue: !def.abort
        });
        return;
      }
      if (url2 === true) {
        payload.value = stripTabAndNewline(trimmed);
        return;
      }
      if (def.hostname && !urlHostnameOk(url2, def.hostname)) {
        payload.issues.push({
          code: "invalid_format",
          format: "url",
          note: "Invalid hostname",
          pattern: def.hostname.source,
          input: payload.value,
          inst,
          continue: !def.abort
        });
      }
      if (def.protocol && !urlProtocolOk(url2, def.protocol)) {
        payload.issues.push({
          code: "invalid_format",
          format: "url",
          note: "Invalid protocol",
          pattern: def.protocol.source,
          input: payload.value,
          inst,
          continue: !def.abort
        });
      }
      payload.value = def.normalize ? url2.href : stripTabAndNewline(trimmed);
      return;
    } catch (_) {
      payload.issues.push({
        code: "invalid_format",
        format: "url",
        input: payload.value,
        inst,
        continue: !def.abort
      });
    }
  };
});
var $ZodTransform = /* @__PURE__ */ $constructor("$ZodTransform", (inst, def) => {
  $ZodType.init(inst, def);
  inst._zod.optin = "optional";
  globalConfig.memoizer?.guard(inst);
  inst._zod.parse = (payload, ctx) => {
    if (ctx.direction === "backward") {
      throw new $ZodEncodeError(inst.constructor.name);
    }
    const _out = def.transform(payload.value, payload);
    if (ctx.async) {
      const output = _out instanceof Promise ? _out : Promise.resolve(_out);
      return output.then((output2) => {
        payload.value = output2;
        return payload;
      });
    }
    if (_out instanceof Promise) {
      throw new $ZodAsyncError();
    }
    payload.value = _out;
    return payload;
  };
});
var $ZodPipe = /* @__PURE__ */ $constructor("$ZodPipe", (inst, def) => {
  $ZodType.init(inst, def);
  defineLazyInternal(inst, "values", (zod) => zod.def.in._zod.values);
  defineLazyInternal(inst, "optin", (zod) => zod.def.in._zod.optin);
  defineLazyInternal(inst, "optout", (zod) => zod.def.out._zod.optout);
  defineLazyInternal(inst, "propValues", (zod) => zod.def.in._zod.propValues);
  inst._zod.parse = (payload, ctx) => {
    if (ctx.direction === "backward") {
      const right = def.out._zod.run(payload, ctx);
      if (right instanceof Promise) {
        return right.then((right2) => handlePipeResult(right2, def.in, ctx));
      }
      return handlePipeResult(right, def.in, ctx);
    }
    const left = def.in._zod.run(payload, ctx);
    if (left instanceof Promise) {
      return left.then((left2) => handlePipeResult(left2, def.out, ctx));
    }
    return handlePipeResult(left, def.out, ctx);
  };
});
function handlePipeResult(left, next, ctx) {
  if (left.issues.some((iss) => iss.code !== "unrecognized_keys")) {
    left.aborted = true;
    return left;
  }
  return next._zod.run({ value: left.value, issues: left.issues }, ctx);
}
var $ZodCustom = /* @__PURE__ */ $constructor("$ZodCustom", (inst, def) => {
  $ZodCheck.init(inst, def);
  $ZodType.init(inst, def);
  inst._zod.parse = (payload, _) => {
    return payload;
  };
  inst._zod.check = (payload) => {
    const input = payload.value;
    const r = def.fn(input);
    if (r instanceof Promise) {
      return r.then((r2) => handleRefineResult(r2, payload, input, inst));
    }
    handleRefineResult(r, payload, input, inst);
    return;
  };
});
function handleRefineResult(result, payload, input, inst) {
  if (!result) {
    const _iss = {
      code: "custom",
      input,
      inst,
      // incorporates params.error into issue reporting
      path: [...inst._zod.def.path ?? []],
      // incorporates params.error into issue reporting
      continue: !inst._zod.def.abort
      // params: inst._zod.def.params,
    };
    if (inst._zod.def.params)
      _iss.params = inst._zod.def.params;
    payload.issues.push(issue(_iss));
  }
}

// node_modules/zod/v4/core/api.js
function snapshotChecks(def) {
  if (def.checks)
    def.checks = [...def.checks];
  return def;
}
// @__NO_SIDE_EFFECTS__
function _string(Class, params) {
  return new Class(snapshotChecks({ type: "string", ...normalizeParams(params) }));
}
// @__NO_SIDE_EFFECTS__
function _url(Class, params) {
  return new Class({
    type: "string",
    format: "url",
    check: "string_format",
    abort: false,
    ...normalizeParams(params)
  });
}
// @__NO_SIDE_EFFECTS__
function _maxLength(maximum, params) {
  const ch = new $ZodCheckMaxLength({
    check: "max_length",
    ...normalizeParams(params),
    maximum
  });
  return ch;
}
// @__NO_SIDE_EFFECTS__
function _regex(pattern, params) {
  return new $ZodCheckRegex({
    check: "string_format",
    format: "regex",
    ...normalizeParams(params),
    pattern
  });
}
// @__NO_SIDE_EFFECTS__
function _refine(Class, fn, _params) {
  const schema = new Class({
    type: "custom",
    check: "custom",
    fn,
    ...normalizeParams(_params)
  });
  return schema;
}

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
function string2(params) {
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

// src/backup/id.ts
var BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$/;

// src/transports/ssh-inputs.ts
var SSH_KEY_INPUT = "ssh-private-key";
var SSH_PASSPHRASE_INPUT = "ssh-private-key-passphrase";

// src/core/errors.ts
var UserError = class extends Error {
  name = "UserError";
  /**
   * `instanceof` by class name along the prototype chain, not by identity: an action's entry and the step it loads
   * are separate bundles, each with its own copy of this module, and an error crosses from one to the other (a
   * step's ConfigError reaches the entry's runner; the runner's CancelledError reaches a step as the abort reason).
   */
  static [Symbol.hasInstance](value) {
    for (let p = value === null || typeof value !== "object" ? null : Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
      if (p.constructor?.name === this.name) return true;
    }
    return false;
  }
};
var ConfigError = class extends UserError {
  name = "ConfigError";
};
var CancelledError = class extends UserError {
  name = "CancelledError";
};
function isUserError(err) {
  return err instanceof UserError;
}
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

// src/config/duration.ts
var DURATION_UNITS = { d: 864e5, h: 36e5, m: 6e4, s: 1e3, ms: 1 };
var UNIT_ORDER = ["d", "h", "m", "s", "ms"];
var MAX_DURATION_MS = 366 * DURATION_UNITS.d;
var DURATION_HELP = "expected a duration like 500ms, 30s, 5m, 6h or 1d (units combine largest first: 1m30s)";
var BARE_NUMBER = /^\d+(?:\.\d+)?$/;
function durationProblem(input) {
  if (BARE_NUMBER.test(input))
    return { problem: `expected a duration with a unit, like "${input}s" (ms, s, m, h or d)` };
  const token = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;
  let ms = 0;
  let pos = 0;
  let lastRank = -1;
  while (pos < input.length) {
    token.lastIndex = pos;
    const match = token.exec(input);
    if (match === null) return { problem: DURATION_HELP };
    const unit = match[2];
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= lastRank) return { problem: `units must go from largest to smallest, each once; ${DURATION_HELP}` };
    lastRank = rank;
    ms += Number(match[1]) * DURATION_UNITS[unit];
    pos = token.lastIndex;
  }
  if (pos === 0) return { problem: DURATION_HELP };
  if (!Number.isInteger(ms)) return { problem: "a duration must be a whole number of milliseconds" };
  if (ms > MAX_DURATION_MS) return { problem: "a duration must be at most 366d" };
  return { ms };
}

// src/inputs/spec.ts
var zText = (ok, why) => string2().check(refine(ok, why));
var zPattern = (re, why) => string2().check(_regex(re, why));
var zBool = pipe(
  string2(),
  transform((value, ctx) => {
    if (["true", "True", "TRUE"].includes(value)) return true;
    if (["false", "False", "FALSE"].includes(value)) return false;
    ctx.issues.push({ code: "custom", message: "expected true or false", input: value });
    return NEVER;
  })
);
var zDurationInput = pipe(
  string2(),
  transform((value, ctx) => {
    const { ms, problem } = durationProblem(value);
    if (ms !== void 0) return ms;
    ctx.issues.push({ code: "custom", message: problem ?? "expected a duration", input: value });
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

// src/inputs/common.ts
var ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
var anyText = zText(() => true, "expected text");
var commonInputs = {
  config: {
    description: "Path of the runbook config file",
    default: "runbook.yml",
    schema: zText((v) => !v.includes("\0") && !v.includes("\n"), "expected a file path")
  },
  environment: {
    description: "Environment name from the config (environments.<name>)",
    required: true,
    schema: zPattern(
      ENV_NAME,
      'expected an environment name: letters, digits, "_" and "-", starting with a letter or digit'
    )
  },
  "dry-run": {
    description: "Print what would run on each host and change nothing",
    default: "false",
    schema: zBool
  },
  [SSH_KEY_INPUT]: {
    description: "Private key for SSH targets (OpenSSH or PEM); kept in memory only",
    secret: true,
    schema: zText((v) => v.includes("PRIVATE KEY"), "expected an OpenSSH, PEM or PKCS#8 private key")
  },
  [SSH_PASSPHRASE_INPUT]: {
    description: `Passphrase of ${SSH_KEY_INPUT}, when it is encrypted`,
    secret: true,
    schema: anyText
  },
  "ssh-known-hosts": {
    description: "known_hosts lines pinning every SSH host key (hashed entries and [host]:port accepted)",
    schema: anyText
  },
  "ssh-insecure-ignore-host-key": {
    description: "Accept any SSH host key (insecure; prints a warning)",
    default: "false",
    schema: zBool
  },
  "github-token": {
    description: "Token for GitHub API calls (deployments, summaries)",
    secret: true,
    schema: anyText
  }
};
var zBackupId = zPattern(
  BACKUP_ID,
  "expected a backup id like shop-production-20261123T131500Z-1a2b3c4 (see: runbook backup list)"
);
var zReason = string2().check(
  _maxLength(500, "expected at most 500 characters"),
  refine((v) => !/[\0\r\n]/.test(v), "expected one line")
);

// src/inputs/smoke.ts
var smokeInputs = {
  ...commonInputs,
  url: {
    description: "Base URL for relative check URLs (default: the environment url from the config)",
    // As the config's URLs (config/fields.ts zHttpUrl): no `user:password@`, which would be printed and sent.
    schema: url({ protocol: /^https?$/, error: "expected an http(s) URL" }).check(
      refine(
        (s) => !URL.canParse(s) || new URL(s).username === "" && new URL(s).password === "",
        "a URL must not contain credentials: pass secrets through environment variables"
      )
    )
  },
  wait: {
    description: "Retry failing checks for this long before giving up (default: smoke.wait, else 0s)",
    schema: zDurationInput
  },
  checks: {
    description: `Checks as YAML, the shape of smoke.checks (e.g. "- { name: ready, url: /health, expect: { json: { status: ok } } }"); replaces the config's checks`,
    schema: zText(() => true, "expected YAML text")
  }
};

// src/core/clock.ts
var systemClock = {
  now: () => /* @__PURE__ */ new Date(),
  sleep: (ms, signal) => new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  })
};

// src/core/untrusted.ts
var DOTNET_SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
var LEADING_SPACE = new RegExp(`^[${DOTNET_SPACE}]+`);
function runnerLines(text) {
  return text.split(/\r\n|\r|\n/);
}
function parseCommand(line) {
  const trimmed = line.replace(LEADING_SPACE, "");
  if (trimmed.startsWith("::")) {
    const end = trimmed.indexOf("::", 2);
    if (end >= 0) return split(trimmed.slice(2, end), trimmed.slice(end + 2));
  }
  const prefix = line.indexOf("##[");
  if (prefix >= 0) {
    const rb = line.indexOf("]", prefix);
    if (rb >= 0) return split(line.slice(prefix + 3, rb), line.slice(rb + 1));
  }
  return void 0;
}
function split(info, data) {
  const space = info.indexOf(" ");
  return space < 0 ? { name: info, properties: "", data } : { name: info.slice(0, space), properties: info.slice(space + 1), data };
}
function parsesAsCommand(text) {
  return runnerLines(text).some((l) => parseCommand(l) !== void 0);
}
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

// src/core/logger.ts
function escapeData(text) {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}
var FLUSH_AFTER_MS = 150;
var StreamLogger = class {
  constructor(opts) {
    this.opts = opts;
  }
  opts;
  partial = /* @__PURE__ */ new Map();
  flushTimer;
  groupDepth = 0;
  debug(message) {
    if (this.opts.mode === "actions") this.command("debug", message);
    else if (this.opts.debug) this.plain(`debug: ${message}`);
  }
  info(message) {
    this.plain(message);
  }
  warn(message) {
    if (this.opts.mode === "actions") this.command("warning", message);
    else this.plain(`warning: ${message}`);
  }
  error(message) {
    if (this.opts.mode === "actions") this.command("error", message);
    else this.plain(`error: ${message}`);
  }
  /**
   * Run `fn` inside a log group and return its result (errors pass through). Actions mode: `::group::`/`::endgroup::`
   * at the top level; CLI mode (and nested groups): `▶ name` … `◀ name (1.2s)`, seconds measured by the clock.
   */
  async group(name, fn) {
    const nested = this.groupDepth > 0;
    const clock = this.opts.clock ?? systemClock;
    const started = clock.now().getTime();
    if (this.opts.mode === "actions" && !nested) this.opts.sink(`::group::${escapeData(this.opts.masker.mask(name))}`);
    else this.plain(`${"  ".repeat(this.groupDepth)}\u25B6 ${name}`);
    this.groupDepth++;
    try {
      return await fn();
    } finally {
      this.flushRemote();
      this.groupDepth--;
      const seconds = ((clock.now().getTime() - started) / 1e3).toFixed(1);
      if (this.opts.mode === "actions" && !nested) this.opts.sink("::endgroup::");
      else this.plain(`${"  ".repeat(this.groupDepth)}\u25C0 ${name} (${seconds}s)`);
    }
  }
  remote(source, stream, text) {
    const key = `${source}\0${stream}`;
    const buffered = (this.partial.get(key) ?? "") + text;
    const lines = buffered.split("\n");
    const rest = lines.pop() ?? "";
    if (rest === "") this.partial.delete(key);
    else this.partial.set(key, rest);
    if (lines.length > 0) this.emitRemote(source, stream, lines);
    if (this.partial.size > 0 && this.flushTimer === void 0) {
      this.flushTimer = setTimeout(() => this.flushPartial(), FLUSH_AFTER_MS);
      this.flushTimer.unref();
    }
  }
  /** Print any buffered partial lines of remote output, whole (the output ended or its group did). */
  flushRemote() {
    this.flushPartial(true);
  }
  /**
   * Print buffered partial lines: all of them when `all`, else (the pacing timer) each up to where no secret could be
   * split, the rest kept for the next chunk.
   */
  flushPartial(all = false) {
    if (this.flushTimer !== void 0) clearTimeout(this.flushTimer);
    this.flushTimer = void 0;
    const entries = [...this.partial.entries()];
    this.partial.clear();
    for (const [key, rest] of entries) {
      const cut = all ? rest.length : this.opts.masker.safeCut(rest);
      if (cut < rest.length) this.partial.set(key, rest.slice(cut));
      if (cut === 0) continue;
      const [source = "", stream = "stdout"] = key.split("\0");
      this.emitRemote(source, stream, [rest.slice(0, cut)]);
    }
  }
  /** Mask a text without logging it (for messages handed to the runner, such as the failure line). */
  maskText(text) {
    return this.opts.masker.mask(text);
  }
  mask(text) {
    return this.opts.masker.mask(text);
  }
  addSecret(value) {
    for (const form of this.opts.masker.add(value)) this.opts.onSecretForm?.(form);
  }
  emitRemote(source, stream, lines) {
    const marker = stream === "stderr" ? "!" : " ";
    const rendered = lines.map((l) => `[${source}]${marker} ${this.opts.masker.mask(l.replace(/\r$/, ""))}`);
    this.fenced(rendered);
  }
  /**
   * Lines that are not ours to trust (see untrusted.ts for the runner's rules). Actions mode: fenced with
   * stop-commands under a fresh random token per block (a token printed earlier in a public log cannot be replayed),
   * printed exactly. CLI mode (a terminal, or the CLI inside a workflow step): each line made inert by `untrusted`.
   * The random generator (node's crypto, a few milliseconds to load) starts only when a block is fenced.
   */
  fenced(lines) {
    if (this.opts.mode !== "actions") {
      for (const l of lines) this.opts.sink(untrusted(l));
      return;
    }
    const token = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString("hex");
    this.opts.sink(`::stop-commands::${token}`);
    for (const l of lines) this.opts.sink(l);
    this.opts.sink(`::${token}::`);
  }
  plain(message) {
    const masked = this.opts.masker.mask(message);
    const lines = masked.split(/\r?\n/);
    if (this.opts.mode === "cli" || parsesAsCommand(masked)) this.fenced(lines);
    else for (const l of lines) this.opts.sink(l);
  }
  command(name, message) {
    this.opts.sink(`::${name}::${escapeData(this.opts.masker.mask(message))}`);
  }
};

// src/core/masked-runner.ts
function maskedRunner(runner, mask) {
  return {
    mode: runner.mode,
    debug: runner.debug,
    env: runner.env,
    getInput: (name) => runner.getInput(name),
    setOutput: (name, value) => runner.setOutput(name, mask(value)),
    appendSummary: (markdown) => runner.appendSummary(mask(markdown)),
    saveState: (name, value) => runner.saveState(name, value),
    getState: (name) => runner.getState(name),
    isPost: () => runner.isPost(),
    beginMain: () => runner.beginMain(),
    setFailed: (message) => runner.setFailed(runner.mode === "cli" ? untrusted(mask(message)) : mask(message)),
    registerSecret: (value) => runner.registerSecret(value),
    write: (line) => runner.write(line)
  };
}

// src/core/masker.ts
var MASK = "***";
var HTML_ENTITY = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
var MIN_FRAGMENT = 4;
function alignedBase64(bytes) {
  return [0, 1, 2].map((pad) => {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
    const skip = [0, 2, 3][pad] ?? 0;
    return encoded.slice(skip, Math.floor((pad + bytes.length) * 8 / 6));
  });
}
function values(secret) {
  return [secret, ...secret.split(/\r?\n/).map((l) => l.trim())].filter((v) => v.length >= MIN_FRAGMENT);
}
function derivedForms(secret) {
  const forms = /* @__PURE__ */ new Set();
  const add = (v) => {
    if (v.length >= MIN_FRAGMENT) forms.add(v);
  };
  forms.add(secret);
  for (const value of values(secret)) {
    add(value);
    add(encodeURIComponent(value));
    add(encodeURI(value));
    add(value.replace(/[&<>"']/g, (ch) => HTML_ENTITY[ch] ?? ch).replaceAll("@", "@\u200B"));
    const bytes = Buffer.from(value, "utf8");
    add(bytes.toString("base64"));
    add(bytes.toString("base64").replace(/=+$/, ""));
    add(bytes.toString("base64url"));
    for (const form of alignedBase64(bytes)) add(form);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
function base64Streams(secret) {
  return values(secret).flatMap((v) => {
    const bytes = Buffer.from(v, "utf8");
    return [bytes.toString("base64"), ...alignedBase64(bytes)].filter((s) => s.length >= MIN_FRAGMENT);
  });
}
var TRAILING_B64 = /[A-Za-z0-9+/=]+$/;
var LEADING_B64 = /^[A-Za-z0-9+/=]+/;
function endsWithStart(run, stream) {
  for (let k = Math.min(run.length, stream.length - 1); k >= MIN_FRAGMENT; k--) {
    if (stream.startsWith(run.slice(-k))) return k;
  }
  return 0;
}
function startsWithEnd(run, stream) {
  for (let k = Math.min(run.length, stream.length - 1); k >= MIN_FRAGMENT; k--) {
    if (stream.endsWith(run.slice(0, k))) return k;
  }
  return 0;
}
function maskWrappedLine(line, streams) {
  const body = line.endsWith("\r") ? line.slice(0, -1) : line;
  const cr = body.length < line.length ? "\r" : "";
  if (body.length < MIN_FRAGMENT) return line;
  if (LEADING_B64.exec(body)?.[0] === body && streams.some((s) => s.includes(body))) return MASK + cr;
  let head = 0;
  let tail = 0;
  const lead = LEADING_B64.exec(body)?.[0] ?? "";
  const trail = TRAILING_B64.exec(body)?.[0] ?? "";
  for (const s of streams) {
    if (lead.length >= MIN_FRAGMENT) head = Math.max(head, startsWithEnd(lead, s));
    if (trail.length >= MIN_FRAGMENT) tail = Math.max(tail, endsWithStart(trail, s));
  }
  if (head === 0 && tail === 0) return line;
  if (head + tail >= body.length) return MASK + cr;
  return `${head > 0 ? MASK : ""}${body.slice(head, body.length - tail)}${tail > 0 ? MASK : ""}${cr}`;
}
var Masker = class {
  forms = [];
  streams = [];
  secrets = /* @__PURE__ */ new Set();
  add(secret) {
    if (secret === "" || this.secrets.has(secret)) return [];
    this.secrets.add(secret);
    const fresh = derivedForms(secret).filter((f) => !this.forms.includes(f));
    this.forms = [...this.forms, ...fresh].sort((a, b) => b.length - a.length);
    this.streams = [.../* @__PURE__ */ new Set([...this.streams, ...base64Streams(secret)])];
    return fresh;
  }
  mask(text) {
    let out = text;
    for (const form of this.forms) {
      if (out.includes(form)) out = out.split(form).join(MASK);
    }
    if (this.streams.length === 0 || !/[A-Za-z0-9+/]{4}/.test(out)) return out;
    return out.split("\n").map((l) => maskWrappedLine(l, this.streams)).join("\n");
  }
  /**
   * Where `text` (the start of a line still being written) can be cut without splitting a secret: the index of the
   * longest tail that could be the start of a masked form (the text from there is held back until more arrives), moved
   * earlier so no whole form in the text straddles the cut. `text.length` when nothing needs holding back.
   */
  safeCut(text) {
    let cut = text.length;
    for (const form of this.forms) {
      for (let k = Math.min(form.length - 1, text.length); k >= 1; k--) {
        if (form.startsWith(text.slice(-k))) {
          cut = Math.min(cut, text.length - k);
          break;
        }
      }
    }
    for (let moved = true; moved; ) {
      moved = false;
      for (const form of this.forms) {
        for (let i = text.indexOf(form); i >= 0 && i < cut; i = text.indexOf(form, i + 1)) {
          if (i + form.length > cut) {
            cut = i;
            moved = true;
          }
        }
      }
    }
    return cut;
  }
};

// src/core/runner-actions.ts
var { appendFileSync, writeSync } = process.getBuiltinModule("node:fs");
var { EOL } = process.getBuiltinModule("node:os");
var POST_STATE = "runbook-is-post";
var escapeData2 = (s) => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
var escapeProperty = (s) => escapeData2(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
function fileCommandRecord(name, value) {
  if (/^[A-Za-z0-9_.-]+$/.test(name) && !/[\r\n]/.test(value)) return `${name}=${value}${EOL}`;
  const delimiter = `ghadelimiter_${globalThis.crypto.randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error("unexpected: a value holds its delimiter");
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}
function actionsRunner(env = process.env, out = (text) => writeSync(1, text)) {
  const write = (line) => {
    out(`${line}
`);
  };
  const command = (name, message, properties = {}) => {
    const props = Object.entries(properties).map(([k, v]) => `${k}=${escapeProperty(v)}`);
    write(`::${name}${props.length > 0 ? ` ${props.join(",")}` : ""}::${escapeData2(message)}`);
  };
  const fileCommand = (file, fallback, name, value) => {
    const path = env[file];
    if (path) appendFileSync(path, fileCommandRecord(name, value), "utf8");
    else command(fallback, value, { name });
  };
  const getState = (name) => env[`STATE_${name}`] ?? "";
  return {
    mode: "actions",
    debug: env.RUNNER_DEBUG === "1" || env.ACTIONS_STEP_DEBUG === "true",
    // As core.getInput: the runner's variable name for the input, trimmed.
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim(),
    setOutput: (name, value) => fileCommand("GITHUB_OUTPUT", "set-output", name, value),
    // As core.summary.addRaw(markdown, true).write(): appended, with a line end.
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}${EOL}`, "utf8");
    },
    saveState: (name, value) => fileCommand("GITHUB_STATE", "save-state", name, value),
    getState,
    isPost: () => getState(POST_STATE) === "true",
    beginMain: () => fileCommand("GITHUB_STATE", "save-state", POST_STATE, "true"),
    setFailed: (message) => {
      process.exitCode = 1;
      command("error", message);
    },
    registerSecret: (value) => command("add-mask", value),
    write,
    env
  };
}

// src/core/run-action.ts
async function runAction(main, post, opts = {}) {
  const signals = opts.signals ?? process;
  const masker = new Masker();
  const runner = maskedRunner(opts.runner ?? actionsRunner(), (text) => masker.mask(text));
  const log = new StreamLogger({
    sink: (line) => runner.write(line),
    masker,
    mode: runner.mode,
    debug: runner.debug,
    onSecretForm: runner.mode === "actions" ? (form) => runner.registerSecret(form) : void 0,
    clock: opts.clock ?? systemClock
  });
  const controller = new AbortController();
  const cleanups = [];
  const runCleanup = async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop();
      try {
        await fn?.();
      } catch (err) {
        log.warn(`cleanup failed: ${errorMessage(err)}`);
      }
    }
  };
  const onSignal = (name) => {
    if (!controller.signal.aborted) {
      log.warn(`${name} received: cancelling and cleaning up`);
      controller.abort(new CancelledError(`cancelled by ${name}`));
    } else {
      log.warn(`${name} received again: closing every connection now`);
      void runCleanup();
    }
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  signals.on("SIGINT", onInt);
  signals.on("SIGTERM", onTerm);
  const ctx = {
    runner,
    log,
    clock: opts.clock ?? systemClock,
    signal: controller.signal,
    onCleanup: (fn) => {
      cleanups.push(fn);
    }
  };
  const phase = async (fn, isPost) => {
    try {
      await fn(ctx);
      return true;
    } catch (err) {
      const message = log.maskText(failureMessage(err));
      if (!isUserError(err) && err instanceof Error && err.stack) {
        (runner.debug ? log.info.bind(log) : log.debug.bind(log))(err.stack);
      }
      if (isPost) log.warn(`post step: ${message}`);
      else runner.setFailed(message);
      return false;
    } finally {
      await runCleanup();
      log.flushRemote();
    }
  };
  try {
    if (runner.isPost()) return post ? await phase(post, true) : true;
    runner.beginMain();
    const ok = await phase(main, false);
    if (runner.mode === "cli" && post) await phase(post, true);
    return ok;
  } finally {
    signals.off("SIGINT", onInt);
    signals.off("SIGTERM", onTerm);
  }
}
function failureMessage(err) {
  if (isUserError(err)) return err.message;
  const message = errorMessage(err);
  return `internal error: ${message} (re-run with step debug logging for the stack trace)`;
}

// src/github/context.ts
var { readFileSync } = process.getBuiltinModule("node:fs");
function readEvent(path) {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}
function githubContext(env) {
  const repository = env.GITHUB_REPOSITORY || void 0;
  const [owner, repo] = repository?.split("/") ?? [];
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = event.pull_request;
  const pullRequest = pr?.number !== void 0 ? {
    number: pr.number,
    headRepo: pr.head?.repo?.full_name,
    baseRepo: pr.base?.repo?.full_name,
    headSha: pr.head?.sha
  } : void 0;
  return {
    repository: owner && repo ? repository : void 0,
    owner: owner || void 0,
    repo: repo || void 0,
    sha: pullRequest?.headSha ?? (env.GITHUB_SHA || void 0),
    serverUrl: (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, ""),
    apiUrl: (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, ""),
    runId: env.GITHUB_RUN_ID || void 0,
    runAttempt: env.GITHUB_RUN_ATTEMPT || void 0,
    actor: env.GITHUB_ACTOR || void 0,
    eventName: env.GITHUB_EVENT_NAME || void 0,
    ref: env.GITHUB_REF || void 0,
    pullRequest
  };
}
function untrustedReason(c) {
  const pr = c.pullRequest;
  if (!pr || !c.eventName?.startsWith("pull_request")) return void 0;
  if (!pr.headRepo) return `pull request #${pr.number} comes from a repository that no longer exists`;
  const base = pr.baseRepo ?? c.repository;
  if (base && pr.headRepo.toLowerCase() !== base.toLowerCase())
    return `pull request #${pr.number} comes from the fork ${pr.headRepo}`;
  return void 0;
}

// src/session/lock-hold.ts
var LOCK_STATE = "deploy-lock";
var LOCK_TTL_MS = 15 * 6e4;
var LOCK_RENEW_MS = 5 * 6e4;
function leftLockToken(ctx) {
  const saved = ctx.runner.getState(LOCK_STATE);
  if (!saved) return void 0;
  let token;
  try {
    ({ token } = JSON.parse(saved));
  } catch {
    return void 0;
  }
  return typeof token === "string" && token !== "" ? token : void 0;
}

// src/actions/module.ts
function defineAction(m) {
  return m;
}
function prepareRun(ctx, mod, opts = {}) {
  const inputs = parseInputs(ctx.runner, ctx.log, mod.inputs);
  const report = { sections: [], outputs: {} };
  const parent = ctx.runner;
  const runner = {
    ...parent,
    appendSummary: async (markdown) => {
      report.sections.push(markdown);
    },
    setOutput: (name, value) => {
      report.outputs[name] = value;
      parent.setOutput(name, value);
    }
  };
  ctx = { ...ctx, runner };
  let opened = opts.session && Promise.resolve(opts.session);
  const open = async () => {
    const common = inputs;
    const [{ EnvironmentSession }, { liveConnector }] = await Promise.all([
      import("../lazy/session/session.js"),
      import("../lazy/session/connector.js")
    ]);
    const connector = opts.connector ?? liveConnector(
      {
        privateKey: common["ssh-private-key"],
        passphrase: common["ssh-private-key-passphrase"],
        knownHosts: common["ssh-known-hosts"],
        insecureIgnoreHostKey: common["ssh-insecure-ignore-host-key"]
      },
      ctx.log,
      ctx.signal,
      ctx.clock,
      ctx.runner.env
    );
    const session = await EnvironmentSession.open(ctx, common, connector);
    ctx.onCleanup(() => session.close());
    return session;
  };
  return {
    ...ctx,
    inputs,
    report,
    nested: opts.session !== void 0,
    session: () => {
      opened ??= open();
      return opened;
    }
  };
}
async function releaseLeftLock(run) {
  const token = leftLockToken(run);
  if (!token) return;
  const session = await run.session();
  if (await (await session.deployLock()).release(token)) run.runner.saveState(LOCK_STATE, "");
}
function runModule(mod, opts = {}) {
  return runAction(
    async (ctx) => {
      let run;
      try {
        run = prepareRun(ctx, mod, opts);
      } catch (err) {
        const { refusedSummary } = await import("../lazy/actions/step-summary.js");
        await ctx.runner.appendSummary(refusedSummary(mod, ctx, err));
        throw err;
      }
      let error;
      try {
        const untrusted2 = mod.locks ? untrustedReason(githubContext(ctx.runner.env)) : void 0;
        if (untrusted2) {
          const why = `untrusted context (${untrusted2}): a fork's pull request runs without the repository's secrets and never changes an environment`;
          if (run.inputs["dry-run"] !== true) throw new UserError(`refused: ${why}`);
          ctx.log.warn(`skipped: ${why}`);
          run.report.verdict = { outcome: "skipped", detail: `skipped: ${why}` };
          return;
        }
        await mod.main(run);
      } catch (err) {
        error = err;
        throw err;
      } finally {
        const { stepSummary } = await import("../lazy/actions/step-summary.js");
        await ctx.runner.appendSummary(stepSummary(mod, run, error));
      }
    },
    // Only a run that left a lock behind needs its inputs again (a main that failed on them is not told twice).
    mod.locks ? async (ctx) => leftLockToken(ctx) ? releaseLeftLock(prepareRun(ctx, mod, opts)) : void 0 : void 0,
    opts
  );
}

// src/actions/declare/smoke-test.ts
var smokeTestAction = defineAction({
  name: "smoke-test",
  title: "Smoke test",
  verdicts: { ok: "passed", failed: "failed" },
  summary: "Check the live release: HTTP checks with JSON assertions, retried until smoke.wait; a latency sample",
  inputs: smokeInputs,
  main: async (run) => (await import("../lazy/actions/smoke-test.js")).runSmokeTest(run)
});

// src/entrypoints/smoke-test.ts
void runModule(smokeTestAction);
