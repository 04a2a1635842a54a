/**
 * Faults of the reliability matrix for backups and migrations (promises 12, 13, 14, 17, 18), against the sandbox
 * PostgreSQL through the bundles: a full disk, a killed pg_dump and a flipped byte keep a migration from starting;
 * a blocked or half-failing migration changes nothing; a writer loses no acknowledged row across backup, failed
 * migrate and rollback; a cancel ends the server-side statement before the lock goes and is never called corrupt;
 * a password made for the fault appears in no output, command line or file. Each fault has its own database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep, type StepResult } from '../../integration/helpers/action-runner.js';
import { runCli, shown } from '../../integration/helpers/cli.js';
import {
  clientEnv,
  createSeededDatabase,
  dropDatabase,
  findPgDump,
  fingerprint,
  holdLock,
  processArgvs,
  psql,
  sandboxPostgres,
  waitFor,
} from '../../integration/helpers/pg-sandbox.js';
import { REPO_ROOT } from '../../integration/helpers/sandbox.js';
import { startWriter } from '../../integration/helpers/writer.js';
import { databaseYaml, localEnvYaml, yamlList } from '../../integration/helpers/yaml.js';
import { type FaultOutcome, faultSuite } from './fault.js';

type Pg = ReturnType<typeof sandboxPostgres>;
const PG = sandboxPostgres();
const ROOT = mkdtempSync(join(tmpdir(), 'fault-data-'));
const FIXTURES = join(REPO_ROOT, 'test/fixtures/migrations');
const TOOL = ['bash', join(FIXTURES, 'migrator.sh')];
const SOCKET = (
  JSON.parse(readFileSync(join(REPO_ROOT, '.sandbox/sandbox.json'), 'utf8')) as { postgres: { socketDir: string } }
).postgres.socketDir;
const admin = (sql: string): string =>
  execFileSync(
    'psql',
    [
      '-X',
      '-h',
      SOCKET,
      '-p',
      String(PG.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-Atc',
      sql,
    ],
    {
      encoding: 'utf8',
    },
  ).trim();
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

interface SiteOptions {
  /** Fixture migrations copied into the site's migrations directory. */
  migrations?: string[];
  /** Extra migrations written there: file name → SQL. */
  extra?: Record<string, string>;
  backupDir?: string;
  lockTimeout?: string;
  /** Connect as this role/password instead of the app role. */
  as?: { user: string; password: string };
}

/** One fault's world: a seeded database, a directory with the config, state, backups and migrations (migrator.sh). */
function site(prefix: string, o: SiteOptions = {}) {
  const db = createSeededDatabase(PG, prefix);
  const dir = mkdtempSync(join(ROOT, `${prefix}-`));
  const backups = o.backupDir ?? join(dir, 'backups');
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  for (const f of o.migrations ?? []) copyFileSync(join(FIXTURES, f), join(migrations, f));
  for (const [f, sql] of Object.entries(o.extra ?? {})) writeFileSync(join(migrations, f), sql);
  const user = o.as?.user ?? PG.user;
  const password = o.as?.password ?? PG.password;
  const pg: Pg = { ...PG, user, password };
  const cfg = join(dir, 'runbook.yml');
  writeFileSync(
    cfg,
    `${localEnvYaml({ stateDir: join(dir, 'state'), app: prefix.replace(/_/g, '-') })}${databaseYaml({ host: PG.host, port: PG.port, name: db, user, backup: `{ directory: ${backups}, verify: restore }` })}  migrate:
    tool: custom
    directory: ${dir}
    lock-timeout: ${o.lockTimeout ?? '5s'}
    statement-timeout: 60s
    custom:
      upgrade: ${yamlList([...TOOL, 'up', migrations])}
      current: ${yamlList([...TOOL, 'current'])}
      downgrade: ${yamlList([...TOOL, 'down', '{revision}', migrations])}
`,
  );
  const env = { DB_PASSWORD: password };
  const journalPath = join(dir, 'state/sandbox/journal.json');
  return {
    db,
    dir,
    backups,
    cfg,
    pg,
    run: (action: string, inputs: Record<string, string> = {}, more: Parameters<typeof runStep>[1] = {}) =>
      runStep(action, { inputs: { config: cfg, environment: 'sandbox', ...inputs }, env, timeoutMs: 120_000, ...more }),
    cli: (args: string[]) => runCli([...args, '--config', cfg, '--env', 'sandbox'], env, dir),
    revision: () => psql(PG, db, 'SELECT max(version) FROM schema_migrations'),
    /** The schema as pg_dump -s prints it, less the random \restrict keys. */
    schema: () =>
      execFileSync('pg_dump', ['-s', '-d', db], { encoding: 'utf8', env: clientEnv(PG) })
        .split('\n')
        .filter((l) => !/^\\(un)?restrict /.test(l))
        .join('\n'),
    journal: (): { migrations?: Array<Record<string, unknown>> } =>
      existsSync(journalPath) ? JSON.parse(readFileSync(journalPath, 'utf8')) : {},
    drop: () => dropDatabase(PG, db),
  };
}
type Site = ReturnType<typeof site>;

/** Rows of barely compressible text: a dump of ~`rows` × 128 bytes, slow enough to kill or to fill a disk. */
const fill = (s: Site, rows: number, index = false) =>
  psql(
    PG,
    s.db,
    `CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) || md5((g + 3)::text) AS a FROM generate_series(1, ${rows}) g${index ? '; CREATE INDEX filler_a ON filler (a, id)' : ''}`,
  );

/** The migrate step of a workflow gated on the backup step: fed its backup-id output (empty when it made none). */
async function gatedMigrate(s: Site, backup: StepResult): Promise<{ started: boolean; r: StepResult }> {
  const before = s.revision();
  const r = await s.run('migrate', { 'backup-id': backup.outputs['backup-id'] ?? '' });
  const started = r.code === 0 || s.revision() !== before || (s.journal().migrations?.length ?? 0) > 0;
  return { started, r };
}

const errorLineOf = (r: StepResult): string => /::error::(.*)/.exec(r.stdout)?.[1]?.slice(0, 140) ?? '(no error line)';

async function diskFull(): Promise<FaultOutcome> {
  const tiny = mkdtempSync(join(ROOT, 'tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', tiny]);
  const s = site('rbf_dfull', { migrations: ['0001_add_status.sql'], backupDir: tiny });
  try {
    fill(s, 40_000); // ~5 MB of rows: a dump far over the 256 KiB disk
    const b = await s.run('backup');
    const left = list(tiny);
    const g = await gatedMigrate(s, b);
    const enospc = /No space left on device/.test(b.stdout);
    return {
      survived: b.code === 1 && enospc && left.length === 0 && !b.outputs['backup-id'] && !g.started,
      detail: `256 KiB tmpfs, ~5 MB dump: backup exit ${b.code} (${enospc ? 'ENOSPC reported' : 'no ENOSPC in output'}), ${left.length} file(s) left in the backup dir, gated migrate exit ${g.r.code} (${g.started ? 'STARTED' : 'never started'}), revision ${s.revision()}`,
    };
  } finally {
    execFileSync('umount', [tiny]);
    s.drop();
  }
}

async function dumpKilled(): Promise<FaultOutcome> {
  const s = site('rbf_dkill', { migrations: ['0001_add_status.sql'] });
  try {
    fill(s, 400_000);
    let killedAt = 0;
    const step = s.run('backup');
    const pid = await waitFor('pg_dump to start', () => findPgDump(s.db));
    await waitFor('the dump to be written', () => {
      const tmp = list(s.backups).find((f) => f.includes('.tmp-'));
      killedAt = tmp ? statSync(join(s.backups, tmp)).size : 0;
      return killedAt > 256 * 1024 ? tmp : undefined;
    });
    process.kill(pid, 'SIGKILL');
    const b = await step;
    const left = list(s.backups);
    const g = await gatedMigrate(s, b);
    return {
      survived: b.code === 1 && /killed by SIGKILL/.test(b.stdout) && left.length === 0 && !g.started,
      detail: `pg_dump SIGKILLed at ${(killedAt / 1024).toFixed(0)} KiB written: backup exit ${b.code}, ${left.length} file(s) left (${left.join(', ') || 'none'}), gated migrate exit ${g.r.code} (${g.started ? 'STARTED' : 'never started'})`,
    };
  } finally {
    s.drop();
  }
}

async function flippedByte(): Promise<FaultOutcome> {
  const s = site('rbf_flip', { migrations: ['0001_add_status.sql'] });
  try {
    const b = await s.run('backup');
    if (b.code !== 0) throw new Error(`the backup failed: ${errorLineOf(b)}`);
    const path = b.outputs.path ?? '';
    const bytes = readFileSync(path);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x10;
    writeFileSync(path, bytes);
    // The migrate step right after the backup step, the byte flipped in between.
    const direct = await gatedMigrate(s, b);
    const revAfterDirect = s.revision();
    // What a verify of the same backup says, and a migrate gated on it afterwards.
    const id = b.outputs['backup-id'] ?? '';
    const v = await s.cli(['backup', 'verify', id]);
    const files = list(s.backups);
    const after = await s.run('migrate', { 'backup-id': id });
    const verifyCaught = v.code === 1 && files.includes(`${id}.dump.bad`) && !files.includes(`${id}.dump`);
    return {
      survived: !direct.started && verifyCaught && after.code === 1,
      detail: `byte ${at} of ${bytes.length} flipped after a verified backup: migrate on its backup-id exit ${direct.r.code} (${direct.started ? `STARTED, revision 0000 → ${revAfterDirect}: BUG, the migrate gate reads only ${id}.json "verified": true, never the dump's sha256` : 'refused'}); backup verify exit ${v.code}${verifyCaught ? ', renamed .dump.bad' : ''}; migrate after it exit ${after.code}`,
    };
  } finally {
    s.drop();
  }
}

async function blockedMigration(): Promise<FaultOutcome> {
  const s = site('rbf_block', { migrations: ['0003_needs_lock.sql'], lockTimeout: '1s' });
  try {
    const before = s.schema();
    const holder = await holdLock(PG, s.db, 'customers');
    let r: StepResult;
    const t0 = Date.now();
    try {
      r = await s.run('migrate', { 'allow-without-backup': 'true' });
    } finally {
      await holder.release();
    }
    const took = Date.now() - t0;
    const same = s.schema() === before;
    const timedOut = /lock timeout/.test(r.stdout);
    return {
      // Ended by lock_timeout (its message), not by waiting for the holder: the time is a figure, not a verdict.
      survived: r.code === 1 && timedOut && same,
      detail: `ACCESS EXCLUSIVE held on customers, lock_timeout 1 s: migrate exit ${r.code} after ${secs(took)} (step total)${timedOut ? ', "lock timeout" reported' : ''}, schema ${same ? 'byte-identical' : 'CHANGED'}, revision ${s.revision()}`,
    };
  } finally {
    s.drop();
  }
}

async function halfFailed(): Promise<FaultOutcome> {
  const s = site('rbf_half', { migrations: ['0002_half_fail.sql'] });
  try {
    const before = s.schema();
    const r = await s.run('migrate', { 'allow-without-backup': 'true' });
    const same = s.schema() === before;
    const rec = s.journal().migrations?.at(-1);
    return {
      survived: r.code === 1 && same && s.revision() === '0000' && rec?.status === 'failed',
      detail: `0002 fails at its 3rd statement (duplicate key): migrate exit ${r.code}, schema ${same ? 'byte-identical' : 'CHANGED'} (${before.length} bytes of pg_dump -s), revision ${s.revision()}, journal ${rec?.status} ${rec?.revisionBefore}→${rec?.revisionAfter}`,
    };
  } finally {
    s.drop();
  }
}

async function nothingLost(): Promise<FaultOutcome> {
  const s = site('rbf_lost', { migrations: ['0001_add_status.sql', '0001_add_status.down.sql', '0002_half_fail.sql'] });
  try {
    // Two releases (v2 live) with no containers: the rollback's migration scope needs only the journal.
    const state = join(s.dir, 'state/sandbox');
    mkdirSync(state, { recursive: true });
    const at = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const release = (id: string, version: string, status: string, started: number, previous?: string) => ({
      id,
      version,
      status,
      strategy: 'recreate',
      driver: 'engine',
      services: {},
      previous,
      startedAt: at(started),
      finishedAt: at(started - 1),
    });
    writeFileSync(
      join(state, 'journal.json'),
      JSON.stringify({
        format: 1,
        app: 'rbf-lost',
        environment: 'sandbox',
        releases: [
          release('20250101T000000Z-v1', 'v1', 'superseded', 30),
          release('20250101T001000Z-v2', 'v2', 'live', 20, '20250101T000000Z-v1'),
        ],
      }),
    );
    const others = (f: Record<string, string>) => ({ ...f, events: '', invoice_seq: '' });
    const atStart = others(fingerprint(PG, s.db));
    const eventsBefore = psql(PG, s.db, "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM events");
    const writer = startWriter(PG, s.db, 20);
    await new Promise((r) => setTimeout(r, 300));
    const b = await s.run('backup');
    const m = await s.run('migrate', { 'backup-id': b.outputs['backup-id'] ?? '' });
    const migrated = s.revision();
    const rb = await s.run('rollback', { scope: 'migration', smoke: 'false', reason: 'fault 14' });
    await new Promise((r) => setTimeout(r, 300));
    const w = await writer.stop();
    const present = new Set(
      psql(PG, s.db, 'SELECT id FROM events')
        .split('\n')
        .map((l) => Number(l)),
    );
    const rowsLost = w.acked.filter((id) => !present.has(id)).length;
    const [n0, max0] = eventsBefore.split(' ');
    const oldKept = psql(PG, s.db, `SELECT count(*) FROM events WHERE id <= ${max0}`) === n0;
    const sameOthers = JSON.stringify(others(fingerprint(PG, s.db))) === JSON.stringify(atStart);
    const steps = `backup ${b.code}, migrate ${m.code} (at ${migrated} after 0001 ok, 0002 failed), rollback ${rb.code} → revision ${s.revision()}`;
    return {
      survived: b.code === 0 && m.code === 1 && rb.code === 0 && s.revision() === '0000' && oldKept && sameOthers,
      rowsLost,
      detail: `writer every 20 ms through ${steps}: ${w.acked.length} inserts acknowledged, ${rowsLost} missing, ${w.failed} refused; the ${n0} older events ${oldKept ? 'all there' : 'NOT all there'}, other tables ${sameOthers ? 'unchanged (row checksums)' : 'CHANGED'}${rb.code === 0 ? '' : `; rollback: ${errorLineOf(rb)}`}`,
    };
  } finally {
    s.drop();
  }
}

async function migrateSigterm(): Promise<FaultOutcome> {
  const s = site('rbf_mterm', {
    extra: {
      '0009_sleepy.sql':
        "ALTER TABLE customers ADD COLUMN cancel_probe int;\nINSERT INTO schema_migrations (version) VALUES ('0009');\nSELECT pg_sleep(30);\n",
    },
  });
  const ours = `datname = '${s.db}' AND application_name LIKE 'runbook-migrate-%'`;
  const lockDir = join(s.dir, 'state/sandbox/lock');
  try {
    let sentAt = 0;
    let releasedAt = 0;
    let atRelease: { backends: string; locks: string } | undefined;
    let heldAtSend = false;
    let watch: NodeJS.Timeout | undefined;
    const r = await s.run(
      'migrate',
      { 'allow-without-backup': 'true' },
      {
        onSpawn: (child) => {
          void waitFor('the statement on the server', () =>
            psql(
              PG,
              s.db,
              `SELECT count(*) FROM pg_stat_activity WHERE ${ours} AND state = 'active' AND query LIKE '%pg_sleep%'`,
            ) === '1'
              ? true
              : undefined,
          ).then(
            () => {
              heldAtSend = existsSync(lockDir);
              sentAt = Date.now();
              child.kill('SIGTERM');
              watch = setInterval(() => {
                if (atRelease || existsSync(lockDir)) return;
                releasedAt = Date.now();
                atRelease = {
                  backends: psql(PG, s.db, `SELECT count(*) FROM pg_stat_activity WHERE ${ours}`),
                  locks: psql(
                    PG,
                    s.db,
                    `SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE ${ours}`,
                  ),
                };
              }, 2);
            },
            () => undefined,
          );
        },
      },
    );
    clearInterval(watch);
    const rec = s.journal().migrations?.at(-1);
    const probe = psql(
      PG,
      s.db,
      "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'cancel_probe'",
    );
    const clean = atRelease?.backends === '0' && atRelease.locks === '0';
    return {
      survived:
        heldAtSend && r.code === 1 && clean && rec?.status === 'cancelled' && probe === '0' && s.revision() === '0000',
      detail: `SIGTERM during pg_sleep of 0009: exit ${r.code}, deploy lock freed ${secs(releasedAt - sentAt)} after the signal with ${atRelease?.backends ?? '?'} session(s) and ${atRelease?.locks ?? '?'} lock(s) of the tool left, journal "${rec?.status}", revision ${s.revision()}, column ${probe === '0' ? 'absent' : 'PRESENT'}`,
    };
  } finally {
    s.drop();
  }
}

async function verifySigint(): Promise<FaultOutcome> {
  const s = site('rbf_vint');
  const scratch = `datname LIKE '${s.db}\\_verify\\_%'`;
  try {
    fill(s, 300_000, true);
    let sent = false;
    const r = await s.run(
      'backup',
      {},
      {
        onSpawn: (child) => {
          void waitFor(
            'the verify restore',
            () =>
              psql(PG, 'postgres', `SELECT count(*) FROM pg_stat_activity WHERE ${scratch} AND state = 'active'`) !==
              '0'
                ? true
                : undefined,
            60_000,
          ).then(
            () => {
              sent = true;
              child.kill('SIGINT');
            },
            () => undefined,
          );
        },
      },
    );
    const left = list(s.backups);
    const scratchLeft = psql(PG, 'postgres', `SELECT count(*) FROM pg_database WHERE ${scratch}`);
    const calledBad = /failed its verify|\.bad/.test(r.stdout) || left.some((f) => f.endsWith('.bad'));
    return {
      survived:
        sent && r.code === 1 && /cancelled/.test(r.stdout) && !calledBad && left.length === 0 && scratchLeft === '0',
      detail: `SIGINT ${sent ? 'sent' : 'NEVER sent'} while the verify restored 300k rows: exit ${r.code}, ${calledBad ? 'CALLED CORRUPT (.bad)' : 'not called corrupt'}, ${left.length} file(s) left (${left.join(', ') || 'none'}), ${scratchLeft} scratch database(s) left`,
    };
  } finally {
    s.drop();
  }
}

/** Files under `dir` modified since `since`: how many were read, and one entry per occurrence of any `needles`. */
function filesHolding(
  dir: string,
  since: number,
  needles: string[],
  found = { scanned: 0, hits: [] as string[] },
  depth = 0,
): { scanned: number; hits: string[] } {
  if (depth > 6) return found;
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const e of entries) {
    const p = join(dir, e);
    try {
      const st = statSync(p);
      if (st.isDirectory()) filesHolding(p, since, needles, found, depth + 1);
      else if (st.isFile() && st.mtimeMs >= since && st.size < 64 * 1024 * 1024) {
        found.scanned++;
        const text = readFileSync(p).toString('latin1');
        for (const n of needles) for (let i = text.indexOf(n); i >= 0; i = text.indexOf(n, i + 1)) found.hits.push(p);
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function passwordNowhere(): Promise<FaultOutcome> {
  const role = `rbf_sec_${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(16).toString('hex')}`;
  admin(`CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}'; GRANT ${PG.user} TO ${role}`);
  const since = Date.now() - 1000;
  const s = site('rbf_sec', {
    migrations: ['0001_add_status.sql', '0002_half_fail.sql'],
    as: { user: role, password },
  });
  const forms = [password, Buffer.from(password).toString('base64'), encodeURIComponent(password)];
  const count = (text: string) => forms.reduce((n, f) => n + text.split(f).length - 1, 0);
  let inArgv = 0;
  let polls = 0;
  const poll = setInterval(() => {
    polls++;
    for (const argv of processArgvs().values()) inArgv += count(argv.join(' '));
  }, 20);
  try {
    const texts: string[] = [];
    const b = await s.run('backup');
    const m = await s.run('migrate', { 'backup-id': b.outputs['backup-id'] ?? '' });
    const cliRuns = [await s.cli(['backup', 'list', '--json']), await s.cli(['status', '--json'])];
    for (const r of [b, m])
      texts.push(shown(r.stdout), r.stderr, r.summary, JSON.stringify(r.outputs), JSON.stringify(r.state));
    for (const c of cliRuns) texts.push(c.out);
    clearInterval(poll);
    const inOutput = texts.reduce((n, t) => n + count(t), 0);
    const files = filesHolding(tmpdir(), since, forms);
    const secretsFound = inOutput + inArgv + files.hits.length;
    return {
      survived: b.code === 0 && m.code === 1 && secretsFound === 0,
      secretsFound,
      detail: `a fresh role's 35-char password (raw, base64, URL-encoded) through backup (exit ${b.code}), a failing migrate (exit ${m.code}), backup list --json and status --json: ${inOutput} in ${texts.length} outputs, ${inArgv} in command lines (${polls} scans of /proc), ${files.hits.length} in the ${files.scanned} files under ${tmpdir()} written since the start${files.hits.length ? ` (${[...new Set(files.hits)].join(', ')})` : ''}`,
    };
  } finally {
    clearInterval(poll);
    s.drop();
    spawnSync('psql', [
      '-X',
      '-h',
      SOCKET,
      '-p',
      String(PG.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      `DROP ROLE IF EXISTS ${role}`,
    ]);
  }
}

faultSuite('backups and migrations', [
  {
    promise: 12,
    name: 'disk full during pg_dump: the backup fails, nothing at the final path, the migration never starts',
    run: diskFull,
  },
  {
    promise: 12,
    name: 'pg_dump killed mid-dump: the backup fails, nothing at the final path, the migration never starts',
    run: dumpKilled,
  },
  {
    promise: 12,
    name: 'one flipped byte in a finished backup: a migration gated on it never starts',
    run: flippedByte,
  },
  {
    promise: 13,
    name: 'a migration blocked by a long transaction fails within lock_timeout and changes nothing',
    run: blockedMigration,
  },
  { promise: 13, name: 'a migration failing halfway leaves the schema exactly as before', run: halfFailed },
  {
    promise: 14,
    name: 'a writer through backup, a failed migrate and a rollback: every acknowledged row readable',
    run: nothingLost,
  },
  {
    promise: 18,
    name: "SIGTERM during a migration's statement: session ended before the lock is freed, journal cancelled",
    run: migrateSigterm,
  },
  {
    promise: 18,
    name: "SIGINT during a backup's verify: the backup is not called corrupt, nothing left",
    run: verifySigint,
  },
  {
    promise: 17,
    name: 'the database password is in no output, command line or file the runs wrote',
    run: passwordNowhere,
  },
]);
