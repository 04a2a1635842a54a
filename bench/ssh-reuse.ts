/**
 * ssh-reuse: the same commands on the same host through our one reused SSH connection versus a new `ssh` process
 * per command (what script-based deploy actions do). Prints one JSON line.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { StreamLogger } from '../src/core/logger.js';
import { Masker } from '../src/core/masker.js';
import { connectSsh } from '../src/transports/ssh.js';

const run = promisify(execFile);

export async function main(args: string[]): Promise<void> {
  const commands = Number(args[0] ?? 50);
  const root = process.cwd();
  const file = join(root, '.sandbox', 'sandbox.json');
  if (!existsSync(file)) spawnSync('bash', ['test/sandbox/up.sh'], { stdio: ['ignore', 2, 2] });
  const ssh = JSON.parse(readFileSync(file, 'utf8')).ssh;
  const argv = ['df', '-P', '-k', '/'];
  const log = new StreamLogger({ sink: () => {}, masker: new Masker(), mode: 'cli', debug: false });

  const t0 = performance.now();
  const transport = await connectSsh(
    {
      name: 'bench',
      host: ssh.host,
      port: ssh.port,
      user: ssh.user,
      privateKey: readFileSync(ssh.privateKeyPath, 'utf8'),
      knownHosts: readFileSync(ssh.knownHostsPath, 'utf8'),
      insecureIgnoreHostKey: false,
      connectTimeoutMs: 10_000,
      keepaliveIntervalMs: 10_000,
    },
    log,
  );
  for (let i = 0; i < commands; i++) {
    const r = await transport.exec(argv, { quiet: true });
    if (r.code !== 0) throw new Error(`reused connection: exit ${r.code}`);
  }
  await transport.close();
  const ours = (performance.now() - t0) / commands;

  const sshArgs = [
    '-i',
    ssh.privateKeyPath,
    '-o',
    `UserKnownHostsFile=${ssh.knownHostsPath}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'ControlMaster=no',
    '-p',
    String(ssh.port),
    `${ssh.user}@${ssh.host}`,
    '--',
    ...argv,
  ];
  const t1 = performance.now();
  for (let i = 0; i < commands; i++) await run('ssh', sshArgs);
  const cli = (performance.now() - t1) / commands;

  const round = (n: number): number => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'ssh-reuse',
      commands,
      reused_ms_per_command: round(ours),
      ssh_cli_ms_per_command: round(cli),
      ratio: round(cli / ours),
    }),
  );
}
