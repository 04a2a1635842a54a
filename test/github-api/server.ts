/**
 * A local GitHub REST API for tests: a real HTTP server on 127.0.0.1 (a free port) that checks every request against
 * GitHub's published OpenAPI description (operation by method and path template, path and query parameters, the JSON
 * body) and its own answers against the documented response schemas, keeps a small stateful GitHub (./state.ts) for
 * the operations the product uses, and can be told to fail the next requests (./faults.ts). Whatever does not match
 * the description is answered as GitHub would (404, 422, 400) and recorded in `violations`: tests assert it is empty.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Answer, Handler } from './answers.js';
import { defaultFaultBody, type FaultRule, ruleMatches } from './faults.js';
import { commitHandlers } from './ops-commits.js';
import { deploymentHandlers } from './ops-deployments.js';
import { issueHandlers } from './ops-issues.js';
import { matchOperation, type Operation, spec } from './spec.js';
import { GitHubState } from './state.js';
import { checkBody, checkParams, checkResponse } from './validate.js';

export interface GitHubApiOptions {
  /** The token requests must carry (`authorization: token X` or `Bearer X`); default 'test-token'. */
  token?: string;
  /** Freeze the fixture's clock here (timestamps of what it creates); real time otherwise. */
  now?: Date | string;
}

/** One request, as it came and how it was answered. */
export interface GitHubCall {
  method: string;
  /** The path, without the query. */
  path: string;
  /** The operation of the description it matched (absent: none). */
  operationId?: string;
  /** The query parameters as sent (strings). */
  query: Record<string, string>;
  /** The parsed JSON body (absent: none sent). */
  body?: unknown;
  status: number;
}

/** A request or an answer that does not match GitHub's description. */
export interface GitHubViolation {
  method: string;
  path: string;
  operationId?: string;
  reason: string;
}

export interface GitHubApi {
  /** The API root to give the client (GITHUB_API_URL), e.g. http://127.0.0.1:41234. */
  url: string;
  calls: GitHubCall[];
  violations: GitHubViolation[];
  state: GitHubState;
  /** Answer the next matching request(s) with `rule` instead (see ./faults.ts for GitHub's rate-limit answers). */
  failNext(rule: FaultRule): void;
  /** How long loading the OpenAPI description took in this process, in ms (0 after the first server). */
  specLoadMs: number;
  close(): Promise<void>;
}

const HANDLERS: Record<string, Handler> = { ...deploymentHandlers, ...issueHandlers, ...commitHandlers };

/**
 * Start the fixture. Example:
 * ```ts
 * const api = await startGitHubApi();
 * api.state.checkRuns('main').push({ name: 'test', status: 'completed', conclusion: 'success' });
 * const gh = githubClient({ token: 'test-token', apiUrl: api.url });
 * await gh.rest.checks.listForRef({ owner: 'acme', repo: 'shop', ref: 'main' });
 * expect(api.violations).toEqual([]);
 * await api.close();
 * ```
 */
export async function startGitHubApi(opts: GitHubApiOptions = {}): Promise<GitHubApi> {
  const first = spec();
  const specLoadMs = first.loadMs;
  first.loadMs = 0;
  const token = opts.token ?? 'test-token';
  const state = new GitHubState();
  if (opts.now !== undefined) state.clock.set(opts.now);
  const calls: GitHubCall[] = [];
  const violations: GitHubViolation[] = [];
  const rules: (FaultRule & { left: number })[] = [];
  const reset = Math.floor(Date.now() / 1000) + 3600;
  let remaining = 5000;
  let requestIds = 0;
  let url = '';

  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const parsed = new URL(req.url ?? '/', 'http://fixture');
    const path = parsed.pathname;
    const query: Record<string, string> = Object.fromEntries(parsed.searchParams);
    const call: GitHubCall = { method, path, query, status: 0 };
    calls.push(call);
    const violation = (reason: string) => violations.push({ method, path, operationId: call.operationId, reason });
    let body: unknown;
    let bodyProblem: string | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
        call.body = body;
      } catch (err) {
        bodyProblem = `the body is not JSON: ${(err as Error).message}`;
        call.body = raw;
      }
    }

    const result = ((): Answer & { checked?: boolean } => {
      const auth = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (auth !== token) {
        return error(
          401,
          auth === undefined ? 'Requires authentication' : 'Bad credentials',
          'https://docs.github.com/rest',
        );
      }
      remaining = Math.max(0, remaining - 1);
      const match = matchOperation(method, path);
      if (!match.op) {
        violation(
          `no operation ${method} ${path} in GitHub's description${match.pathKnown ? ' (not with this method)' : ''}`,
        );
        return error(404, 'Not Found', 'https://docs.github.com/rest');
      }
      const op: Operation = match.op;
      call.operationId = op.operationId;
      const rule = rules.find((r) => r.left > 0 && ruleMatches(r, method, path, op.template));
      if (rule) {
        rule.left -= 1;
        return { status: rule.status, headers: rule.headers, body: rule.body ?? defaultFaultBody(rule.status) };
      }
      const params: Record<string, unknown> = { ...match.params };
      const pathProblems = checkParams(op, 'path', params);
      if (pathProblems.length > 0) {
        for (const p of pathProblems) violation(p);
        return error(404, 'Not Found', op.docs);
      }
      const typedQuery: Record<string, unknown> = { ...query };
      const queryProblems = checkParams(op, 'query', typedQuery);
      for (const p of queryProblems) violation(p);
      if (queryProblems.some((p) => !p.includes('is not documented'))) {
        return error(422, `Invalid request.\n\n${queryProblems.join('\n')}`, op.docs);
      }
      if (bodyProblem) {
        violation(bodyProblem);
        return error(400, 'Problems parsing JSON', op.docs);
      }
      const bodyProblems = checkBody(op, body);
      if (bodyProblems.length > 0) {
        for (const p of bodyProblems) violation(p);
        return error(422, `Invalid request.\n\n${bodyProblems.join('\n')}`, op.docs);
      }
      const handler = HANDLERS[op.operationId];
      if (!handler) {
        violation(`${op.operationId} is in GitHub's description but not implemented by the fixture`);
        return error(404, 'Not Found', op.docs);
      }
      const owner = String(params.owner ?? '');
      const repo = params.repo === undefined ? owner : `${owner}/${String(params.repo)}`;
      try {
        const a = handler({
          op,
          repo,
          params,
          query: typedQuery,
          body,
          path,
          state,
          ctx: { apiUrl: url, now: state.clock.iso() },
        });
        for (const p of checkResponse(op, a.status, a.body)) violation(`the fixture's answer: ${p}`);
        return a;
      } catch (err) {
        violation(`the fixture failed: ${(err as Error).stack ?? err}`);
        return error(500, 'Server Error', op.docs);
      }
    })();

    call.status = result.status;
    requestIds += 1;
    const headers: Record<string, string> = {
      'x-github-request-id': `${requestIds.toString(16).toUpperCase().padStart(4, '0')}:${randomBytes(4).toString('hex').toUpperCase()}`,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
      ...(result.headers ?? {}),
    };
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(result.body);
    res.writeHead(result.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((err: unknown) => {
      violations.push({ method: req.method ?? '', path: req.url ?? '', reason: `the fixture failed: ${String(err)}` });
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    violations,
    state,
    specLoadMs,
    failNext(rule) {
      rules.push({ ...rule, left: rule.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function error(status: number, message: string, documentation_url: string): Answer {
  return { status, body: { message, documentation_url, status: String(status) } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
