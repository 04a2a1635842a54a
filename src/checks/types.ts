export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One line of a pre-deploy report. `target` is a target name, or `*` for checks about the whole environment. */
export interface CheckResult {
  target: string;
  check: string;
  status: CheckStatus;
  detail: string;
}

export const pass = (target: string, check: string, detail: string): CheckResult => ({
  target,
  check,
  status: 'pass',
  detail,
});
export const warn = (target: string, check: string, detail: string): CheckResult => ({
  target,
  check,
  status: 'warn',
  detail,
});
export const fail = (target: string, check: string, detail: string): CheckResult => ({
  target,
  check,
  status: 'fail',
  detail,
});
