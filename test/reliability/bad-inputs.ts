/**
 * The bad inputs of the reliability matrix (../shared/RELIABILITY.md, "Bad inputs worth trying everywhere"): config
 * values and action inputs a user, a copy-paste or an attacker could give. Each row is refused before anything runs:
 * one clear line naming the field, no command on any target, no connection where the config alone can tell.
 *
 * Rows are built from a valid config (the engine deploy with a database of the flow tests) by setting one path to
 * one bad value, or by giving one action input one bad value.
 */
import { parseDocument } from 'yaml';
import { databaseConfig } from '../unit/flows/configs.js';

export interface BadInput {
  /** The RELIABILITY.md promise the row exercises (1: no shell, 5/17: secrets, …). */
  promise: number;
  /** Which action runs it. */
  action: 'deploy' | 'pre-deploy-check' | 'rollback' | 'backup' | 'migrate' | 'smoke-test' | 'status' | 'promote';
  /** A short label: where the bad value went and what it is. */
  name: string;
  config: string;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** The failure must match this (it names the field). */
  expect: RegExp;
  /** A secret the row carries: it must not appear in the failure. */
  secret?: string;
}

/** Values that must never reach a shell, a path or a host name as they are. */
export const HOSTILE: Record<string, string> = {
  'rm -rf': ';rm -rf /',
  'command substitution': '$(id)',
  backticks: '`id`',
  newline: 'a\nb',
  'carriage return': 'a\rb',
  'leading dash': '--help',
  'option injection': '-oProxyCommand=touch /tmp/pwned',
  'NUL byte': 'a\0b',
  '129 characters': 'a'.repeat(129),
  'path traversal': '../../etc/passwd',
  empty: '',
  'only spaces': '   ',
};

const BASE = databaseConfig();
const ENV = { DB_PASSWORD: 's3cr3t-pw' };

/** BASE with `path` set to `value` (a YAML node of any type), as text. */
export function withValue(path: (string | number)[], value: unknown, base = BASE): string {
  const doc = parseDocument(base);
  doc.setIn(path, value);
  return doc.toString();
}

/** String fields whose every HOSTILE value must be refused by the schema, with the field the error names. */
const STRING_FIELDS: Array<{ path: (string | number)[]; field: RegExp; skip?: string[] }> = [
  { path: ['app'], field: /app/ },
  { path: ['environments', 'production', 'targets', 0, 'name'], field: /targets\[0\]\.name/ },
  { path: ['environments', 'production', 'targets', 0, 'ssh', 'host'], field: /ssh\.host/ },
  { path: ['environments', 'production', 'targets', 0, 'ssh', 'user'], field: /ssh\.user/ },
  // 129 characters make a valid image reference and upstream name (Docker allows 255, nginx any length).
  { path: ['services', 'web', 'image'], field: /services\.web\.image/, skip: ['129 characters'] },
  { path: ['strategy', 'proxy', 'nginx', 'upstream'], field: /nginx\.upstream/, skip: ['129 characters'] },
  { path: ['strategy', 'proxy', 'nginx', 'upstream-file'], field: /upstream-file/ },
  { path: ['database', 'name'], field: /database\.name/ },
  { path: ['database', 'user'], field: /database\.user/ },
  { path: ['database', 'password-env'], field: /password-env/ },
  { path: ['database', 'backup', 'directory'], field: /backup\.directory/ },
  { path: ['database', 'migrate', 'directory'], field: /migrate\.directory/ },
];

/** Typed fields given values of the wrong type or out of range. */
const TYPED: Array<{ path: (string | number)[]; values: unknown[]; field: RegExp }> = [
  { path: ['services', 'web', 'replicas'], values: [0, -1, 101, 1.5, 'two', true, null], field: /replicas/ },
  { path: ['services', 'web', 'port'], values: [0, 65536, -80, '80;id', 8080.5], field: /services\.web\.port/ },
  { path: ['services', 'web', 'host-ports'], values: ['18009-18000', '0-10', 'a-b', 18000], field: /host-ports/ },
  { path: ['services', 'web', 'stop-grace'], values: ['10 parsecs', '-1s', 'forever', 10], field: /stop-grace/ },
  { path: ['services', 'web', 'health', 'interval'], values: ['1 fortnight', '-5s', ''], field: /health\.interval/ },
  { path: ['services', 'web', 'health', 'http', 'path'], values: ['no-slash', 'http://evil/'], field: /http\.path/ },
  { path: ['services', 'web', 'network'], values: ['overlay', 'host;id', 3], field: /network/ },
  { path: ['strategy', 'type'], values: ['yolo', 'rolling;id', 1], field: /strategy\.type/ },
  { path: ['strategy', 'max-surge'], values: [-1, 'lots', 1000], field: /max-surge/ },
  { path: ['strategy', 'drain'], values: ['soon', '-1s'], field: /strategy\.drain/ },
  { path: ['database', 'via', 'port'], values: [0, 70000, 'pg'], field: /via\.port/ },
  { path: ['database', 'migrate', 'lock-timeout'], values: ['whenever', '-3s'], field: /lock-timeout/ },
  { path: ['environments', 'production', 'targets', 0, 'ssh', 'port'], values: [0, 65536, 'ssh'], field: /ssh\.port/ },
  {
    path: ['notifications'],
    values: [
      { 'url-env': 'SLACK_URL', format: 'slack' },
      [{ 'url-env': 'SLACK_URL;id', format: 'slack' }],
      [{ 'url-env': 'SLACK_URL', format: 'teams' }],
      [{ 'url-env': 'SLACK_URL', format: 'slack', on: ['deploy'] }],
      [{ 'url-env': 'SLACK_URL', format: 'slack', timeout: '5m' }],
      [{ 'url-env': 'SLACK_URL', format: 'slack', environments: ['prod'] }],
      [{ 'url-env': 'SLACK_URL', format: 'slack', name: 'ops\n::error::x' }],
    ],
    field: /notifications/,
  },
];

/** BASE deploying with a canary judged on its access log: every strategy.canary row changes one key of it. */
const CANARY_BASE = withValue(['strategy', 'canary'], {
  'access-log': '/var/log/nginx/shop-canary.log',
  route: { header: 'X-Canary', file: '/etc/nginx/conf.d/shop-route.conf' },
  probes: { path: '/health' },
  prometheus: { url: 'http://127.0.0.1:9090', queries: [{ name: 'errors', query: 'up', max: 1 }] },
});

/** Blue-green and canary keys with values of the wrong type, out of range, or hostile where they become nginx text. */
const PROGRESSIVE: Array<{ path: (string | number)[]; values: unknown[]; field: RegExp }> = [
  {
    path: ['strategy', 'canary', 'steps'],
    values: [
      [{ weight: 0, pause: '1m' }],
      [{ weight: 101, pause: '1m' }],
      [{ weight: 50, pause: 'until-whenever' }],
      [{ weight: 50, pause: '2d' }],
      'all at once',
      [],
    ],
    field: /strategy\.canary\.steps/,
  },
  { path: ['strategy', 'canary', 'gates', 'error-rate'], values: [1.5, -0.1, '1%'], field: /gates\.error-rate/ },
  { path: ['strategy', 'canary', 'gates', 'p95'], values: ['2m', 'fast', 0], field: /gates\.p95/ },
  { path: ['strategy', 'canary', 'gates', 'min-samples'], values: [0, 'many', 2_000_000], field: /gates\.min-samples/ },
  { path: ['strategy', 'canary', 'gates', 'inconclusive'], values: ['pass', 'promote'], field: /gates\.inconclusive/ },
  {
    path: ['strategy', 'canary', 'access-log'],
    values: ['logs/c.log', '../../etc/passwd', 'a\nb', 3],
    field: /access-log/,
  },
  {
    path: ['strategy', 'canary', 'route', 'header'],
    values: ['X-Canary;id', 'a b', '', '$(id)'],
    field: /route\.header/,
  },
  { path: ['strategy', 'canary', 'route', 'file'], values: ['conf.d/route.conf', 'a\0b'], field: /route\.file/ },
  {
    path: ['strategy', 'canary', 'sticky'],
    values: [{ cookie: 'a;b' }, { header: 'X Y' }, { address: false }, 'yes'],
    field: /canary\.sticky/,
  },
  { path: ['strategy', 'canary', 'probes', 'path'], values: ['health', 'http://evil/'], field: /probes\.path/ },
  {
    path: ['strategy', 'canary', 'prometheus', 'url'],
    values: ['ftp://x', 'http://u:s3cr3t-pw@h:9090', 'not a url'],
    field: /prometheus\.url/,
  },
  { path: ['strategy', 'blue-green', 'standby'], values: ['8d', 'forever', '-1s'], field: /blue-green\.standby/ },
  { path: ['strategy', 'blue-green', 'verify'], values: [-1, 1001, 'some'], field: /blue-green\.verify/ },
];

/** Whole-file problems: structure, YAML features that hurt, keys that would be dropped. */
const FILES: Array<{ name: string; text: string; expect: RegExp }> = [
  { name: 'a tab for indentation', text: BASE.replace('  web:\n', '\tweb:\n'), expect: /tab|indent/i },
  {
    name: 'a duplicate key',
    text: BASE.replace('app: shop\n', 'app: shop\napp: other\n'),
    expect: /unique|duplicate/i,
  },
  { name: 'an unknown top-level key', text: `${BASE}\nsurprise: true\n`, expect: /surprise/ },
  {
    name: 'an unknown service key',
    text: BASE.replace('    port: 8080\n', '    port: 8080\n    prot: 80\n'),
    expect: /prot/,
  },
  {
    name: 'an alias bomb',
    text: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n${BASE}`,
    expect: /alias|anchor|e\b|a\b/i,
  },
  { name: 'not a mapping', text: '- just\n- a list\n', expect: /mapping|object|expected/i },
  { name: 'an empty file', text: '', expect: /empty|app|expected/i },
  { name: '__proto__ as a service', text: BASE.replace('  web:\n', '  __proto__:\n'), expect: /__proto__/ },
  { name: 'a service named with a space', text: BASE.replace('  web:\n', '  "my web":\n'), expect: /my web/ },
  { name: 'a number where a mapping goes', text: withValue(['services'], 3), expect: /services/ },
];

/** Action inputs that are refused before any connection. */
const INPUTS: Array<{ action: BadInput['action']; input: string; values: string[]; expect: RegExp }> = [
  { action: 'deploy', input: 'version', values: Object.values(HOSTILE), expect: /version/ },
  { action: 'deploy', input: 'environment', values: ['staging', 'prod;id', ''], expect: /environment/ },
  { action: 'deploy', input: 'services', values: ['api', 'web,$(id)'], expect: /services/ },
  { action: 'deploy', input: 'strategy', values: ['yolo', 'canary;id'], expect: /strategy/ },
  { action: 'deploy', input: 'lock-wait', values: ['forever', '-1s', '10 years'], expect: /lock-wait/ },
  {
    action: 'deploy',
    input: 'env',
    values: [
      'FEATURE_X',
      '::error::x',
      'feature_x=false',
      '$(id)=1',
      'FEATURE_X=a\tb',
      'FEATURE_X=a\rb',
      'FEATURE_X=a\0b',
      'FEATURE_X="false"',
      'FEATURE_X=false ',
      'FEATURE_X=1\nFEATURE_X=2',
      'FEATURE_X=1\nweb.FEATURE_X=2',
      `FEATURE_X=${'v'.repeat(4097)}`,
      Array.from({ length: 51 }, (_, i) => `F${i}=1`).join('\n'),
      'PORT=9999',
      'DOCKER_HOST=tcp://203.0.113.9:2375',
      'LD_PRELOAD=/tmp/x.so',
      'api.FEATURE_X=false',
    ],
    expect: /input "env"/,
  },
  { action: 'deploy', input: 'env-reset', values: ['yes', '1'], expect: /env-reset/ },
  { action: 'rollback', input: 'release-id', values: ['../../etc', '$(id)', 'a\nb'], expect: /release-id/ },
  { action: 'promote', input: 'decision', values: ['maybe', 'promote;id'], expect: /decision/ },
  { action: 'rollback', input: 'scope', values: ['everything', 'image;id'], expect: /scope/ },
  { action: 'migrate', input: 'backup-id', values: ['../x', '$(id)', 'a b'], expect: /backup-id/ },
  {
    action: 'smoke-test',
    input: 'url',
    values: ['https://u:s3cr3t-pw@shop.example.com', 'ftp://x', 'javascript:alert(1)'],
    expect: /url/,
  },
];

/** Every bad input of the matrix. */
export function badInputs(): BadInput[] {
  const rows: BadInput[] = [];
  const base = { inputs: { environment: 'production', version: 'v1' }, env: ENV };
  for (const f of STRING_FIELDS) {
    for (const [what, value] of Object.entries(HOSTILE)) {
      if (f.skip?.includes(what)) continue;
      rows.push({
        promise: 1,
        action: 'deploy',
        name: `${f.path.join('.')}: ${what}`,
        config: withValue(f.path, value),
        ...base,
        expect: f.field,
      });
    }
  }
  for (const t of TYPED) {
    for (const value of t.values) {
      rows.push({
        promise: 19,
        action: 'deploy',
        name: `${t.path.join('.')}: ${JSON.stringify(value)}`,
        config: withValue(t.path, value),
        ...base,
        expect: t.field,
      });
    }
  }
  for (const t of PROGRESSIVE) {
    for (const value of t.values) {
      const secret = typeof value === 'string' && value.includes('s3cr3t-pw') ? 's3cr3t-pw' : undefined;
      rows.push({
        promise: secret ? 17 : 19,
        action: 'deploy',
        name: `${t.path.join('.')}: ${JSON.stringify(value)}`,
        config: withValue(t.path, value, CANARY_BASE),
        ...base,
        expect: t.field,
        secret,
      });
    }
  }
  for (const f of FILES)
    rows.push({ promise: 19, action: 'deploy', name: f.name, config: f.text, ...base, expect: f.expect });
  for (const i of INPUTS) {
    for (const value of i.values) {
      rows.push({
        promise: 1,
        action: i.action,
        name: `input ${i.input}: ${JSON.stringify(value).slice(0, 40)}`,
        config: BASE,
        inputs: { ...base.inputs, [i.input]: value },
        env: ENV,
        expect: i.expect,
        secret: value.includes('s3cr3t-pw') ? 's3cr3t-pw' : undefined,
      });
    }
  }
  rows.push({
    promise: 17,
    action: 'backup',
    name: 'database password variable unset',
    config: BASE,
    inputs: base.inputs,
    env: {},
    expect: /DB_PASSWORD/,
  });
  rows.push({
    promise: 17,
    action: 'backup',
    name: 'database password ending in a newline',
    config: BASE,
    inputs: base.inputs,
    env: { DB_PASSWORD: 's3cr3t-pw\n' },
    expect: /DB_PASSWORD \(database\.password-env\) ends in a line break/,
    secret: 's3cr3t-pw',
  });
  // A secret never travels in the env input (it is printed and journaled): its secret-env name is refused, unquoted.
  rows.push({
    promise: 17,
    action: 'deploy',
    name: 'input env: a secret-env variable set by hand',
    config: withValue(['services', 'web', 'secret-env'], ['SECRET_KEY']),
    inputs: { ...base.inputs, env: 'FEATURE_X=false\nSECRET_KEY=s3cr3t-pw' },
    env: { ...ENV, SECRET_KEY: 'k' },
    expect: /input "env" line 2 \(SECRET_KEY\): SECRET_KEY is in services\.web\.secret-env/,
    secret: 's3cr3t-pw',
  });
  return rows;
}
