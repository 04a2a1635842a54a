/** Image calls: pull (JSON-lines progress, in-stream failures, registry auth kept secret), inspect, tag, remove. */
import type { Logger } from '../core/log-types.js';
import { DockerApiError, isNotFound } from './errors.js';
import type { DockerHttp } from './http.js';
import { parseImage } from './parse.js';
import { formatPullProgress, LineSplitter, PullTracker, parsePullLine, pullLineError } from './streams.js';
import type { CallOptions, ImageInfo, PullOptions, PullResult } from './types.js';
import { pathRef, registryAuthHeader, splitImageRef } from './wire.js';

const DEFAULT_PROGRESS_INTERVAL_MS = 2000;

/**
 * POST /images/create. Docker answers 200 and then streams progress; a failure (unknown image, registry down, auth
 * refused) arrives as a line with `error`/`errorDetail`, which is thrown as a DockerApiError with `inStream` set.
 * Progress is throttled by the client's clock (`http.clock`).
 */
export async function pullImage(
  http: DockerHttp,
  logger: Logger,
  ref: string,
  opts: PullOptions = {},
): Promise<PullResult> {
  const { fromImage, tag } = splitImageRef(ref);
  const headers: Record<string, string> = {};
  if (opts.auth) {
    const header = registryAuthHeader(opts.auth);
    // Registered before anything is sent, so no log line or error can ever carry them.
    if (opts.auth.password) logger.addSecret(opts.auth.password);
    logger.addSecret(header);
    headers['x-registry-auth'] = header;
  }
  const tracker = new PullTracker(ref, opts.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS);
  const report = opts.onProgress ?? ((p) => logger.info(formatPullProgress(p)));
  const req = {
    method: 'POST' as const,
    path: '/images/create',
    query: { fromImage, tag },
    headers,
    long: true,
    context: `pulling ${ref}`,
  };
  const path = http.fullPath(req);
  return http.call(req, opts, async (body) => {
    const lines = new LineSplitter();
    const handle = (text: string): void => {
      const line = parsePullLine(text);
      if (!line) {
        logger.debug(`docker: pull ${ref}: ignoring a line that is not JSON`);
        return;
      }
      const failure = pullLineError(line);
      if (failure !== undefined) {
        throw new DockerApiError(
          { method: 'POST', path, statusCode: 200, dockerMessage: failure, inStream: true },
          `pulling ${ref}`,
        );
      }
      const due = tracker.push(line, http.clock.now().getTime());
      if (due) report(due);
    };
    for await (const chunk of body) for (const text of lines.push(chunk as Buffer)) handle(text);
    for (const text of lines.end()) handle(text);
    report(tracker.summary());
    return {
      ...(tracker.digest ? { digest: tracker.digest } : {}),
      ...(tracker.finalStatus ? { status: tracker.finalStatus } : {}),
    };
  });
}

/** GET /images/{ref}/json; undefined when the daemon has no such image. */
export async function inspectImage(http: DockerHttp, ref: string, opts?: CallOptions): Promise<ImageInfo | undefined> {
  try {
    const raw = await http.json<unknown>(
      { method: 'GET', path: `/images/${pathRef(ref, 'image reference', { slashes: true })}/json` },
      opts,
    );
    return parseImage(raw);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** POST /images/{source}/tag: `repo:tag` now also names `source`. */
export async function tagImage(
  http: DockerHttp,
  source: string,
  repo: string,
  tag: string,
  opts?: CallOptions,
): Promise<void> {
  await http.send(
    {
      method: 'POST',
      path: `/images/${pathRef(source, 'image reference', { slashes: true })}/tag`,
      query: { repo, tag },
      context: `tagging ${source} as ${repo}:${tag}`,
    },
    opts,
  );
}

/** DELETE /images/{ref}. Without `force`, Docker refuses (409) to remove an image a container uses. */
export async function removeImage(
  http: DockerHttp,
  ref: string,
  opts: CallOptions & { force?: boolean; noPrune?: boolean } = {},
): Promise<void> {
  await http.send(
    {
      method: 'DELETE',
      path: `/images/${pathRef(ref, 'image reference', { slashes: true })}`,
      query: { force: opts.force, noprune: opts.noPrune },
      context: `removing image ${ref}`,
    },
    opts,
  );
}
