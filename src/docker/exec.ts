/** Output-producing container calls: logs and exec, both demultiplexing Docker's 8-byte-header stream. */
import { UserError } from '../core/errors.js';
import type { DockerHttp, ResponseBody } from './http.js';
import { parseExecInspect } from './parse.js';
import { Demuxer } from './streams.js';
import type { CallOptions, ExecInContainerOptions, ExecInContainerResult, LogsOptions } from './types.js';
import { envList, pathRef } from './wire.js';

/** Read a multiplexed body to the end. */
async function demux(body: ResponseBody, what: string): Promise<Demuxer> {
  const demuxer = new Demuxer();
  try {
    for await (const chunk of body) demuxer.push(chunk as Buffer);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('not a multiplexed')) {
      throw new UserError(`${what}: ${err.message}`);
    }
    throw err;
  }
  return demuxer;
}

/**
 * GET /containers/{id}/logs: stdout and stderr interleaved as written. `tty` says whether the container has a TTY
 * (then the stream is raw, not multiplexed). `sinceSeconds` counts back from the client's clock.
 */
export async function containerLogs(
  http: DockerHttp,
  id: string,
  tty: boolean,
  opts: LogsOptions = {},
): Promise<string> {
  const req = {
    method: 'GET' as const,
    path: `/containers/${pathRef(id, 'container id')}/logs`,
    query: {
      stdout: true,
      stderr: true,
      tail: opts.tail === undefined ? undefined : String(Math.max(0, Math.floor(opts.tail))),
      since:
        opts.sinceSeconds === undefined ? undefined : Math.floor(http.clock.now().getTime() / 1000 - opts.sinceSeconds),
    },
    context: `reading the logs of ${id}`,
  };
  return http.call(req, opts, async (body) => {
    if (tty) return body.text();
    return (await demux(body, `logs of ${id}`)).text('combined');
  });
}

/**
 * Run argv in a running container: POST /containers/{id}/exec, POST /exec/{id}/start (attached, no TTY: Docker
 * hijacks the connection and streams multiplexed output until the process ends), then GET /exec/{id}/json for the
 * exit code. On timeout the promise rejects but the process keeps running in the container (the API cannot kill
 * an exec). The exit-code polls wait, and `timeoutMs` is counted, on the client's clock (`http.clock`).
 */
export async function execInContainer(
  http: DockerHttp,
  id: string,
  argv: readonly string[],
  opts: ExecInContainerOptions = {},
): Promise<ExecInContainerResult> {
  if (argv.length === 0 || argv[0] === '') throw new UserError(`exec in ${id}: an empty command`);
  const program = argv[0];
  const created = await http.json<{ Id?: string }>(
    {
      method: 'POST',
      path: `/containers/${pathRef(id, 'container id')}/exec`,
      body: {
        AttachStdin: false,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        Cmd: argv,
        Env: envList(opts.env),
        User: opts.user,
        WorkingDir: opts.workingDir,
      },
      context: `exec \`${program}\` in ${id}`,
    },
    opts,
  );
  const execId = created?.Id;
  if (!execId) throw new UserError(`exec \`${program}\` in ${id}: Docker returned no exec id`);
  const execPath = `/exec/${pathRef(execId, 'exec id')}`;
  const { clock } = http;
  const started = clock.now().getTime();
  const demuxer = await http.call(
    {
      method: 'POST',
      path: `${execPath}/start`,
      body: { Detach: false, Tty: false },
      long: true,
      context: `exec \`${program}\` in ${id}`,
    },
    opts,
    (body) => demux(body, `exec \`${program}\` in ${id}`),
  );
  const remaining = (): CallOptions => ({
    ...opts,
    ...(opts.timeoutMs !== undefined
      ? { timeoutMs: Math.max(1000, opts.timeoutMs - (clock.now().getTime() - started)) }
      : {}),
  });
  // The output stream can close a moment before Docker records the exit code: poll briefly.
  for (let attempt = 0; ; attempt++) {
    const state = parseExecInspect(await http.json<unknown>({ method: 'GET', path: `${execPath}/json` }, remaining()));
    if (!state.running && state.exitCode !== null) {
      return { code: state.exitCode, stdout: demuxer.text('stdout'), stderr: demuxer.text('stderr') };
    }
    if (attempt >= 50) {
      throw new UserError(`exec \`${program}\` in ${id}: its output ended but Docker reports no exit code`);
    }
    // No signal here: the next call checks the signals and deadline.
    await clock.sleep(Math.min(20 * (attempt + 1), 200));
  }
}
