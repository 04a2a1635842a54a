/** The pull policy of a service: its `pull` key, the deprecated compose.pull, else the default by the image name. */
import { describe, expect, it } from 'vitest';
import { composePullDeprecation, namesRegistryHost, pullDecision } from '../../../src/deploy/pull-policy.js';
import { describeImage, registryOf } from '../../../src/deploy/service-step.js';

describe('namesRegistryHost', () => {
  it.each([
    ['ghcr.io/acme/api', true],
    ['127.0.0.1:5000/runbook-test-app', true],
    ['localhost/app', true],
    ['registry.example:5000/shop/web', true],
    ['runbook-test-app', false],
    ['shop/web', false],
    ['acme/api', false],
    ['nginx', false],
    ['app.v2', false], // a dot, but no path: a local name
  ])('%s → %s', (image, expected) => {
    expect(namesRegistryHost(image)).toBe(expected);
  });

  it('agrees with registryOf', () => {
    expect(registryOf('127.0.0.1:5000/app')).toBe('127.0.0.1:5000');
    expect(registryOf('ghcr.io/acme/x')).toBe('ghcr.io');
    expect(registryOf('acme/x')).toBe('https://index.docker.io/v1/');
  });
});

describe('pullDecision', () => {
  it.each([
    // [image, services.<name>.pull, compose.pull, policy, why]
    ['ghcr.io/acme/api', undefined, undefined, 'always', 'default for an image that names a registry host'],
    ['runbook-test-app', undefined, undefined, 'missing', 'default for an image that names no registry host'],
    ['acme/api', undefined, undefined, 'missing', 'default for an image that names no registry host'],
    ['ghcr.io/acme/api', 'missing', undefined, 'missing', 'services.api.pull'],
    ['runbook-test-app', 'always', undefined, 'always', 'services.api.pull'],
    ['ghcr.io/acme/api', 'never', true, 'never', 'services.api.pull'],
    ['ghcr.io/acme/api', undefined, false, 'missing', 'compose.pull: false (deprecated)'],
    ['runbook-test-app', undefined, true, 'always', 'compose.pull: true (deprecated)'],
  ] as const)('%s, pull %s, compose.pull %s → %s', (image, pull, composePull, policy, why) => {
    expect(pullDecision('api', { image, pull }, composePull)).toEqual({ policy, why });
  });

  it('says what replaces compose.pull', () => {
    expect(composePullDeprecation('api', false)).toBe(
      'compose.pull is deprecated: set services.api.pull: missing instead (always | missing | never)',
    );
  });
});

describe('describeImage', () => {
  const id = `sha256:${'ab12'.repeat(16)}`;
  it("names the repo digest of the image's repository", () => {
    const info = {
      id,
      repoTags: [],
      repoDigests: ['other/app@sha256:00', '127.0.0.1:5000/app@sha256:ff'],
      labels: {},
      created: '',
    };
    expect(describeImage('127.0.0.1:5000/app:v2', info)).toBe(
      '127.0.0.1:5000/app:v2 → sha256:ab12ab12ab12… (127.0.0.1:5000/app@sha256:ff)',
    );
  });
  it('says why there is no digest', () => {
    expect(describeImage('app:v1', { id, repoTags: ['app:v1'], repoDigests: [], labels: {}, created: '' })).toBe(
      'app:v1 → sha256:ab12ab12ab12… (no registry digest: built or loaded on the host)',
    );
  });
});
