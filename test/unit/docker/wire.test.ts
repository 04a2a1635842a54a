import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import type { ContainerSpec } from '../../../src/docker/types.js';
import {
  createContainerBody,
  envList,
  filtersJson,
  labelFilter,
  negotiateApiVersion,
  parseDockerHost,
  pathRef,
  portKey,
  queryString,
  registryAuthHeader,
  splitImageRef,
} from '../../../src/docker/wire.js';

const base: ContainerSpec = { name: 'web', image: 'app:v1' };

describe('createContainerBody', () => {
  it.each<[string, ContainerSpec, Record<string, unknown>]>([
    ['the minimum: image only, empty HostConfig', base, { Image: 'app:v1', HostConfig: {} }],
    [
      'env as NAME=value in insertion order, labels as given',
      { ...base, env: { PORT: '8080', EMPTY: '' }, labels: { a: '1', 'runbook.app': 'web' } },
      { Image: 'app:v1', Env: ['PORT=8080', 'EMPTY='], Labels: { a: '1', 'runbook.app': 'web' }, HostConfig: {} },
    ],
    [
      'values with = and spaces are kept verbatim',
      { ...base, env: { DSN: 'postgres://u:p@h/db?sslmode=require&x=a b' } },
      { Image: 'app:v1', Env: ['DSN=postgres://u:p@h/db?sslmode=require&x=a b'], HostConfig: {} },
    ],
    [
      'cmd and entrypoint as argv arrays',
      { ...base, cmd: ['serve', '--port', '80'], entrypoint: ['/bin/app'] },
      { Image: 'app:v1', Cmd: ['serve', '--port', '80'], Entrypoint: ['/bin/app'], HostConfig: {} },
    ],
    ['host networking', { ...base, networkMode: 'host' }, { Image: 'app:v1', HostConfig: { NetworkMode: 'host' } }],
    [
      'port bindings: numbers become 80/tcp, udp kept, two host ports for one container port',
      {
        ...base,
        networkMode: 'bridge',
        portBindings: [
          { containerPort: 80, hostPort: 8080, hostIp: '127.0.0.1' },
          { containerPort: 80, hostPort: '8081' },
          { containerPort: '53/udp', hostPort: 5353 },
        ],
      },
      {
        Image: 'app:v1',
        ExposedPorts: { '80/tcp': {}, '53/udp': {} },
        HostConfig: {
          NetworkMode: 'bridge',
          PortBindings: {
            '80/tcp': [
              { HostIp: '127.0.0.1', HostPort: '8080' },
              { HostIp: '', HostPort: '8081' },
            ],
            '53/udp': [{ HostIp: '', HostPort: '5353' }],
          },
        },
      },
    ],
    [
      'restart policy and stop timeout (0 is kept)',
      { ...base, restartPolicy: 'unless-stopped', stopTimeoutSeconds: 0 },
      { Image: 'app:v1', StopTimeout: 0, HostConfig: { RestartPolicy: { Name: 'unless-stopped' } } },
    ],
    [
      'healthcheck durations in nanoseconds',
      {
        ...base,
        healthcheck: {
          test: ['CMD', 'wget', '-q', 'http://127.0.0.1/health'],
          intervalMs: 1000,
          timeoutMs: 500,
          retries: 3,
          startPeriodMs: 2000,
        },
      },
      {
        Image: 'app:v1',
        Healthcheck: {
          Test: ['CMD', 'wget', '-q', 'http://127.0.0.1/health'],
          Interval: 1_000_000_000,
          Timeout: 500_000_000,
          Retries: 3,
          StartPeriod: 2_000_000_000,
        },
        HostConfig: {},
      },
    ],
    [
      'healthcheck without a start period leaves it out',
      { ...base, healthcheck: { test: ['CMD-SHELL', 'exit 0'], intervalMs: 1, timeoutMs: 1, retries: 0 } },
      {
        Image: 'app:v1',
        Healthcheck: { Test: ['CMD-SHELL', 'exit 0'], Interval: 1_000_000, Timeout: 1_000_000, Retries: 0 },
        HostConfig: {},
      },
    ],
  ])('%s', (_name, spec, expected) => {
    expect(createContainerBody(spec)).toEqual(expected);
  });

  it.each<[string, ContainerSpec, RegExp]>([
    [
      'port bindings with host networking',
      { ...base, networkMode: 'host', portBindings: [{ containerPort: 80, hostPort: 80 }] },
      /no effect with host networking/,
    ],
    [
      'a healthcheck test without CMD/CMD-SHELL/NONE',
      { ...base, healthcheck: { test: ['curl', 'x'], intervalMs: 1000, timeoutMs: 1000, retries: 1 } },
      /starts with CMD/,
    ],
    [
      'a fractional healthcheck interval',
      { ...base, healthcheck: { test: ['NONE'], intervalMs: 0.5, timeoutMs: 1000, retries: 1 } },
      /interval must be a whole number/,
    ],
    [
      'negative retries',
      { ...base, healthcheck: { test: ['NONE'], intervalMs: 1000, timeoutMs: 1000, retries: -1 } },
      /retries/,
    ],
    ['an env name with =', { ...base, env: { 'A=B': '1' } }, /invalid environment variable name/],
    ['an empty env name', { ...base, env: { '': '1' } }, /invalid environment variable name/],
    [
      'a container port out of range',
      { ...base, portBindings: [{ containerPort: 70000, hostPort: 80 }] },
      /invalid container port/,
    ],
    [
      'a host port that is not a number',
      { ...base, portBindings: [{ containerPort: 80, hostPort: '80-90' }] },
      /invalid host port/,
    ],
    ['a negative stop timeout', { ...base, stopTimeoutSeconds: -1 }, /stopTimeoutSeconds/],
    ['no image', { ...base, image: '' }, /an image is required/],
  ])('refuses %s with a UserError', (_name, spec, message) => {
    expect(() => createContainerBody(spec)).toThrow(UserError);
    expect(() => createContainerBody(spec)).toThrow(message);
  });
});

describe('query strings, paths and filters', () => {
  it('encodes values, writes booleans as 1/0 and leaves out undefined', () => {
    expect(queryString({ all: true, force: false, name: 'a b&c', t: 10, skip: undefined })).toBe(
      '?all=1&force=0&name=a%20b%26c&t=10',
    );
    expect(queryString({ x: undefined })).toBe('');
  });

  it('builds the label filter as Docker filters JSON', () => {
    const filters = filtersJson({ label: labelFilter({ 'runbook.app': 'web', 'runbook.slot': 'blue=green' }) });
    expect(JSON.parse(filters ?? '')).toEqual({ label: ['runbook.app=web', 'runbook.slot=blue=green'] });
    expect(filtersJson({ label: labelFilter(undefined) })).toBeUndefined();
    expect(filtersJson({ label: [] })).toBeUndefined();
    expect(() => labelFilter({ 'a=b': 'c' })).toThrow(/invalid label name/);
  });

  it('encodes path parts, keeping slashes of image references only', () => {
    expect(pathRef('web-1', 'container id')).toBe('web-1');
    expect(pathRef('a/b', 'container id')).toBe('a%2Fb');
    expect(pathRef('127.0.0.1:5000/team/app:v1', 'image', { slashes: true })).toBe('127.0.0.1%3A5000/team/app%3Av1');
    for (const bad of ['', '..', 'a/../b', 'a b', 'x\n']) {
      expect(() => pathRef(bad, 'image', { slashes: true }), bad).toThrow(UserError);
    }
  });

  it('maps ports and env', () => {
    expect(portKey(80)).toBe('80/tcp');
    expect(portKey('443/tcp')).toBe('443/tcp');
    expect(portKey('53/udp')).toBe('53/udp');
    expect(() => portKey(0)).toThrow(UserError);
    expect(envList({ A: '1', B: 'x=y' })).toEqual(['A=1', 'B=x=y']);
    expect(envList(undefined)).toBeUndefined();
  });
});

describe('image references', () => {
  it.each([
    ['app', 'app', 'latest'],
    ['app:v1', 'app', 'v1'],
    ['team/app:1.2.3-rc.1', 'team/app', '1.2.3-rc.1'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app', 'latest'],
    ['127.0.0.1:1/none:tag', '127.0.0.1:1/none', 'tag'],
    [`app@sha256:${'a'.repeat(64)}`, 'app', `sha256:${'a'.repeat(64)}`],
    [`reg:5000/app:v1@sha256:${'b'.repeat(64)}`, 'reg:5000/app', `sha256:${'b'.repeat(64)}`],
  ])('%s → fromImage %s, tag %s', (ref, fromImage, tag) => {
    expect(splitImageRef(ref)).toEqual({ fromImage, tag });
  });

  it.each(['', 'app:', 'app:bad tag', 'app@sha256:xyz', 'app:-x'])('refuses %j', (ref) => {
    expect(() => splitImageRef(ref)).toThrow(UserError);
  });
});

describe('registryAuthHeader', () => {
  const auth = { username: 'deploy', password: 'p@ss/w+rd?&=ü', serveraddress: 'registry.example.com:5000' };

  it('is base64url (padded) of the auth JSON, which Docker decodes back to the same fields', () => {
    const header = registryAuthHeader(auth);
    expect(header).toMatch(/^[A-Za-z0-9_-]+=*$/);
    expect(header.length % 4).toBe(0);
    // Go's base64.URLEncoding: URL alphabet with padding.
    expect(JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))).toEqual(auth);
  });

  it('does not contain the password in clear or in standard base64', () => {
    const header = registryAuthHeader(auth);
    expect(header).not.toContain(auth.password);
    expect(header).not.toContain(Buffer.from(auth.password).toString('base64'));
  });
});

describe('negotiateApiVersion', () => {
  it.each([
    ['1.41', undefined, '1.41'],
    ['1.43', '1.12', '1.43'],
    ['1.45', '1.24', '1.45'],
    ['1.47', '1.24', '1.45'],
    ['1.52', '1.44', '1.45'],
    ['2.0', undefined, '1.45'],
    ['1.100', undefined, '1.45'],
  ])('server API %s (min %s) → %s', (server, min, chosen) => {
    expect(negotiateApiVersion(server, min)).toBe(chosen);
  });

  it('refuses daemons older than 1.41 with a message naming both versions', () => {
    expect(() => negotiateApiVersion('1.40')).toThrow(UserError);
    expect(() => negotiateApiVersion('1.40')).toThrow(/API 1\.40, older than the 1\.41 \(Docker 20\.10\)/);
    expect(() => negotiateApiVersion('1.9')).toThrow(/older than the 1\.41/);
  });

  it('refuses daemons that no longer accept the version we would speak', () => {
    expect(() => negotiateApiVersion('1.60', '1.50')).toThrow(/only accepts API 1\.50 and newer/);
  });

  it('refuses an unreadable version', () => {
    expect(() => negotiateApiVersion('')).toThrow(/unreadable API version/);
    expect(() => negotiateApiVersion('v1.41')).toThrow(/unreadable API version/);
  });
});

describe('parseDockerHost', () => {
  it.each([
    ['unix:///var/run/docker.sock', { kind: 'unix', path: '/var/run/docker.sock' }],
    ['tcp://10.0.0.5:2376', { kind: 'tcp', host: '10.0.0.5', port: 2376 }],
    ['tcp://docker.internal', { kind: 'tcp', host: 'docker.internal', port: 2376 }],
    ['tcp://[::1]:2375/', { kind: 'tcp', host: '::1', port: 2375 }],
  ])('%s', (text, expected) => {
    expect(parseDockerHost(text)).toEqual(expected);
  });

  it.each(['unix://relative.sock', 'ssh://host', 'http://h:1', 'tcp://h:99999', 'tcp://'])('refuses %s', (text) => {
    expect(() => parseDockerHost(text)).toThrow(UserError);
  });
});
