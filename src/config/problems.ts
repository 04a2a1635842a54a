/** Config problems with file positions, and the one error that reports them all. */
import { ConfigError } from '../core/errors.js';

export interface ConfigProblem {
  file: string;
  /** 1-based; absent when the problem concerns the whole file. */
  line?: number;
  /** 1-based. */
  col?: number;
  /** Key path like `environments.production.targets[0].ssh.port`; absent for YAML syntax problems. */
  path?: string;
  message: string;
}

/** Most problems shown in one error message; the rest are counted. */
const MAX_SHOWN_PROBLEMS = 10;

/** `runbook.yml:12:5: environments.production.targets[0].ssh.prot: unknown key "prot" (did you mean "port"?)` */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.col ?? 1}`;
  return p.path === undefined || p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

/**
 * A config file with one or more problems. The message is one line for one problem; for several, a count line
 * then one line per problem (at most MAX_SHOWN_PROBLEMS). `problems` keeps them all, e.g. for annotations.
 */
export class ConfigFileError extends ConfigError {
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    super(render(file, sorted));
    this.problems = sorted;
  }
}

function render(file: string, problems: readonly ConfigProblem[]): string {
  const [only] = problems;
  if (problems.length === 1 && only !== undefined) return formatProblem(only);
  const lines = [`${file}: ${problems.length} problems`, ...problems.slice(0, MAX_SHOWN_PROBLEMS).map(formatProblem)];
  if (problems.length > MAX_SHOWN_PROBLEMS) lines.push(`… and ${problems.length - MAX_SHOWN_PROBLEMS} more`);
  return lines.join('\n');
}
