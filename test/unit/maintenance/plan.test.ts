/** Maintenance decisions: what off puts back on a target, which servers a release has, and the pipeline's wrap. */
import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/deploy/journal.js';
import { type OffFacts, offStep, releaseServers, wrapDecision } from '../../../src/maintenance/plan.js';

const SAVED = 'upstream shop_api {\n    server 127.0.0.1:18000 max_fails=3;\n}\n';
const s = (address: string, params?: string[]) => ({ address, ...(params ? { params } : {}) });
const facts = (o: Partial<OffFacts>): OffFacts => ({
  saved: SAVED,
  savedServers: [s('127.0.0.1:18000', ['max_fails=3'])],
  untouched: true,
  sameRelease: true,
  live: [s('127.0.0.1:18000')],
  ...o,
});

describe('off on one target', () => {
  it.each<[string, Partial<OffFacts>, ReturnType<typeof offStep>['kind'], unknown]>([
    ['the release of `on` is still live: the saved bytes back', {}, 'restore', SAVED],
    [
      'no release at all, before and now: the saved bytes back (a site not deployed yet)',
      { live: undefined },
      'restore',
      SAVED,
    ],
    [
      'there was no file: it is removed again',
      { saved: null, savedServers: [], live: undefined },
      'restore',
      undefined,
    ],
    [
      'the file was edited during maintenance: only the server lines of before',
      { untouched: false },
      'set',
      [s('127.0.0.1:18000', ['max_fails=3'])],
    ],
    [
      'a deploy ran during maintenance: the live release',
      { sameRelease: false, live: [s('127.0.0.1:18002'), s('127.0.0.1:18003')] },
      'set',
      [s('127.0.0.1:18002'), s('127.0.0.1:18003')],
    ],
    [
      'the same release, restarted on other ports (a rollback during maintenance): the live release',
      { live: [s('127.0.0.1:18004')] },
      'set',
      [s('127.0.0.1:18004')],
    ],
    ['a new release with nothing running here: the saved file', { sameRelease: false, live: [] }, 'restore', SAVED],
    [
      'nothing saved for this target and nothing live: refused',
      { saved: undefined, live: undefined },
      'refuse',
      undefined,
    ],
    [
      'nothing saved and the live release runs nothing here: refused',
      { saved: undefined, live: [] },
      'refuse',
      undefined,
    ],
  ])('%s', (_, o, kind, what) => {
    const step = offStep(facts(o));
    expect(step.kind).toBe(kind);
    if (step.kind === 'restore') expect(step.text).toEqual(what);
    if (step.kind === 'set') expect(step.servers).toEqual(what);
    if (step.kind === 'refuse') expect(step.why).toMatch(/no release is live|no replica of the live release runs here/);
  });
});

const release = (services: Release['services']): Release => ({
  id: '20261123T120000Z-v2',
  version: 'v2',
  status: 'live',
  strategy: 'rolling',
  driver: 'engine',
  services,
  startedAt: '2026-11-23T12:00:00Z',
});

describe("a release's servers on a target", () => {
  const rel = release({
    api: {
      image: 'acme/api:v2',
      replicas: [
        { target: 'web1', id: 'a', name: 'a', port: 18002 },
        { target: 'web1', id: 'b', name: 'b', port: 18003 },
        { target: 'web2', id: 'c', name: 'c', port: 18002 },
      ],
    },
  });

  it('its replicas on that target, only the running ones when known', () => {
    expect(releaseServers(rel, 'api', 'web1', 8000)).toEqual([s('127.0.0.1:18002'), s('127.0.0.1:18003')]);
    expect(releaseServers(rel, 'api', 'web1', 8000, new Set([18003]))).toEqual([s('127.0.0.1:18003')]);
    expect(releaseServers(rel, 'api', 'web3', 8000)).toEqual([]);
    expect(releaseServers(undefined, 'api', 'web1', 8000)).toBeUndefined();
  });

  it("a compose recreate release (no port of its own): the service's port; a site taken over: its servers", () => {
    const compose = release({ api: { image: 'acme/api:v2', replicas: [{ target: 'web1', id: 'a', name: 'a' }] } });
    expect(releaseServers(compose, 'api', 'web1', 8000)).toEqual([s('127.0.0.1:8000')]);
    const adopted = release({
      api: {
        image: '-',
        replicas: [],
        servers: [{ target: 'web1', address: '127.0.0.1:8080', params: ['max_fails=3'] }],
      },
    });
    expect(releaseServers(adopted, 'api', 'web1', 8000)).toEqual([s('127.0.0.1:8080', ['max_fails=3'])]);
  });
});

describe("the pipeline's maintenance wrap", () => {
  it.each<[Parameters<typeof wrapDecision>[0], boolean, RegExp]>([
    [{ mode: 'auto', configured: true, migrates: true, destructive: 2 }, true, /2 destructive statement/],
    [{ mode: 'auto', configured: true, migrates: true, destructive: 0 }, false, /no destructive statement/],
    [{ mode: 'auto', configured: true, migrates: true }, false, /could not be read.*set maintenance: always/],
    [{ mode: 'auto', configured: true, migrates: false }, false, /no migration/],
    [{ mode: 'auto', configured: false, migrates: true, destructive: 3 }, false, /no maintenance page is configured/],
    [{ mode: 'always', configured: true, migrates: false }, true, /always/],
    [{ mode: 'always', configured: false, migrates: true }, false, /no maintenance page is configured/],
    [{ mode: 'never', configured: true, migrates: true, destructive: 5 }, false, /never/],
  ])('%j → %s', (o, wrap, why) => {
    const d = wrapDecision(o);
    expect(d.wrap).toBe(wrap);
    expect(d.why).toMatch(why);
  });
});
