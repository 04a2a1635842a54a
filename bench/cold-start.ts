/**
 * cold-start: what a step pays before it does anything. Each action's committed bundle (actions/<name>/action.yml
 * runs.main, the root action.yml = the pipeline) is started the way the GitHub Actions runner starts it, with no
 * inputs given (so the defaults of action.yml as INPUT_* variables, GITHUB_OUTPUT/GITHUB_STATE/GITHUB_STEP_SUMMARY
 * files, an empty workspace): it fails fast on the missing required input. The CLI is started as `runbook deploy`
 * with no options, which fails the same way. Each start is paired with a bare `node -e 0` in the same environment
 * (the order alternates from pair to pair), and the medians are compared.
 *   npm run bench -- cold-start [pairs: 21]     (measures dist/ as built: npm run build first)
 * Prints one JSON line per action:
 *   {"bench":"cold-start","action":A,"ms":M,"bare_node_ms":B,"ratio":R,"bytes":N,"static_bytes":S}
 * ms and bare_node_ms are medians of wall time (spawn to exit); ratio = ms / bare_node_ms. bytes is the action's own
 * start-up bundle (dist/<action>/index.js), and static_bytes is the total of the files it imports statically
 * (transitively; 0 when the bundle is self-contained), which Node reads and runs before the action's first line.
 * Chunks behind a dynamic import() are in neither number: a run loads them only when it needs them.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** The bundle runs from node_modules/.cache/runbook-bench/, three levels below the repository. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const WARM_UP = 3;

interface Subject {
  action: string;
  file: string;
  args: string[];
  env: Record<string, string>;
}

interface ActionYml {
  inputs?: Record<string, { default?: unknown }>;
  runs?: { main?: string };
}

/** The runner's name for an input's variable. */
const inputEnvName = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

function actionSubject(name: string, ymlPath: string, runnerEnv: Record<string, string>): Subject {
  const yml = parseYaml(readFileSync(ymlPath, 'utf8')) as ActionYml;
  const main = yml.runs?.main;
  if (!main) throw new Error(`${ymlPath}: runs.main is missing`);
  const env = { ...runnerEnv };
  // The runner passes every input that has a default, given or not.
  for (const [input, spec] of Object.entries(yml.inputs ?? {})) {
    if (spec.default !== undefined) env[inputEnvName(input)] = String(spec.default);
  }
  return { action: name, file: resolve(dirname(ymlPath), main), args: [], env };
}

/** Relative specifiers of the static imports (and re-exports) of an esbuild ESM output file. */
function staticImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s*(?:[^;'"`]*?\sfrom\s*)?["']([^"']+)["'];?[ \t]*$/gm)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

/** Total size of the chunks `entry` imports statically, each counted once, the entry itself excluded. */
function staticChunkBytes(entry: string): number {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  let total = 0;
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      const dep = resolve(dirname(file), spec);
      if (seen.has(dep)) continue;
      seen.add(dep);
      total += statSync(dep).size;
      queue.push(dep);
    }
  }
  return total;
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export async function main(args: string[]): Promise<void> {
  const pairs = Number(args[0] ?? 21);
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error('usage: npm run bench -- cold-start [pairs]');
  if (!existsSync(join(ROOT, 'dist'))) throw new Error('dist/ is missing: npm run build');

  const dir = mkdtempSync(join(tmpdir(), 'cold-start-'));
  const workspace = join(dir, 'workspace');
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };
  const runnerEnv: Record<string, string> = {
    ...base,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: workspace,
    ...files,
  };
  try {
    mkdirSync(workspace);

    const subjects: Subject[] = [];
    for (const name of readdirSync(join(ROOT, 'actions')).sort()) {
      const yml = join(ROOT, 'actions', name, 'action.yml');
      if (existsSync(yml)) subjects.push(actionSubject(name, yml, runnerEnv));
    }
    subjects.push(actionSubject('pipeline', join(ROOT, 'action.yml'), runnerEnv));
    subjects.push({ action: 'cli', file: join(ROOT, 'dist', 'cli.js'), args: ['deploy'], env: { ...base } });

    const time = (argv: string[], env: Record<string, string>): { ms: number; status: number | null } => {
      for (const f of Object.values(files)) writeFileSync(f, '');
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, argv, { env, cwd: workspace, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (r.error) throw r.error;
      if (r.signal) throw new Error(`node ${argv.join(' ')} was killed by ${r.signal}`);
      if (r.status !== 0 && r.status !== 1) {
        throw new Error(`node ${argv.join(' ')} exited with ${r.status}: ${(r.stderr || r.stdout).slice(0, 400)}`);
      }
      return { ms, status: r.status };
    };

    for (const s of subjects) {
      const bareArgv = ['-e', '0'];
      const ourArgv = [s.file, ...s.args];
      for (let i = 0; i < WARM_UP; i++) {
        time(bareArgv, s.env);
        time(ourArgv, s.env);
      }
      const bare: number[] = [];
      const ours: number[] = [];
      for (let i = 0; i < pairs; i++) {
        // Alternate which of the pair goes first, so neither always runs on a warmer machine.
        if (i % 2 === 0) {
          bare.push(time(bareArgv, s.env).ms);
          ours.push(time(ourArgv, s.env).ms);
        } else {
          ours.push(time(ourArgv, s.env).ms);
          bare.push(time(bareArgv, s.env).ms);
        }
      }
      const ms = median(ours);
      const bareMs = median(bare);
      console.log(
        JSON.stringify({
          bench: 'cold-start',
          action: s.action,
          ms: Number(ms.toFixed(1)),
          bare_node_ms: Number(bareMs.toFixed(1)),
          ratio: Number((ms / bareMs).toFixed(2)),
          bytes: statSync(s.file).size,
          static_bytes: staticChunkBytes(s.file),
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
