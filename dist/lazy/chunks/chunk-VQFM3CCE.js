// src/github/api-error.ts
function apiError(err) {
  const e = typeof err === "object" && err !== null ? err : { message: String(err) };
  const hasResponse = typeof e.response === "object" && e.response !== null;
  const status = hasResponse && typeof e.status === "number" && e.status > 0 ? e.status : void 0;
  const data = hasResponse ? e.response?.data : void 0;
  let message;
  if (e.rateLimit === void 0 && typeof data === "object" && data !== null && "message" in data) {
    message = documented(data);
  } else if (e.rateLimit === void 0 && typeof data === "string" && data.trim() !== "") {
    message = data;
  } else {
    message = typeof e.message === "string" ? e.message : String(err);
  }
  return { ...status === void 0 ? {} : { status }, message: oneLine(mask(message)) || "unknown error" };
}
function documented(data) {
  const head = String(data.message ?? "");
  if (!Array.isArray(data.errors) || data.errors.length === 0) return head;
  const parts = data.errors.map((x) => {
    if (typeof x === "string") return x;
    const o = x ?? {};
    if (typeof o.message === "string" && o.message) return o.message;
    return [o.resource, o.field, o.code].filter((v) => typeof v === "string" && v).join(" ");
  });
  return `${head}: ${parts.filter(Boolean).join("; ")}`;
}
function oneLine(text) {
  return text.replace(/\s*\n+\s*/g, " ").trim();
}
function mask(text) {
  return text.replace(/\b(authorization["']?\s*[:=]\s*["']?(?:token|bearer|basic)\s+)[^\s"',;]+/gi, "$1***").replace(/\b(?:gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,})/g, "***");
}
function apiErrorText(err) {
  const { status, message } = apiError(err);
  return status === void 0 ? message : `HTTP ${status}: ${message}`;
}

export {
  apiError,
  apiErrorText
};
