// src/checks/types.ts
var pass = (target, check, detail) => ({
  target,
  check,
  status: "pass",
  detail
});
var warn = (target, check, detail) => ({
  target,
  check,
  status: "warn",
  detail
});
var fail = (target, check, detail) => ({
  target,
  check,
  status: "fail",
  detail
});

export {
  pass,
  warn,
  fail
};
