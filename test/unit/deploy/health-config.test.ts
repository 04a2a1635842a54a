/**
 * The health probe's config keys through the real loader: `scheme`, `headers` and `tls`, their defaults, and
 * errors that name the field (`file:line:col: services.api.health.http.headers.Content-Length: …`).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';

/** A minimal config whose `api` service has this health `http:` section (flow-style YAML). */
const withHttp = (http: string) => `app: shop
environments:
  production:
    targets: [{ name: web1, local: true }]
services:
  api:
    image: ghcr.io/acme/shop-api
    port: 8000
    health:
      http: ${http}
`;

const parse = (http: string) => parseConfig(withHttp(http), 'runbook.yml').services?.api?.health?.http;

function problem(http: string): string {
  try {
    parseConfig(withHttp(http), 'runbook.yml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('health.http: scheme, headers, tls', () => {
  it('defaults to plain http without headers or tls', () => {
    expect(parse('{ path: /health }')).toEqual({ path: '/health', scheme: 'http' });
  });

  it('takes https with headers and a CA file, or with verification off', () => {
    expect(
      parse(
        '{ path: /health, scheme: https, headers: { Host: api.example.com, X-Probe: "1" }, tls: { ca-file: ca.pem } }',
      ),
    ).toEqual({
      path: '/health',
      scheme: 'https',
      headers: { Host: 'api.example.com', 'X-Probe': '1' },
      tls: { 'ca-file': 'ca.pem', 'insecure-skip-verify': false },
    });
    expect(parse('{ path: /health, scheme: https, tls: { insecure-skip-verify: true } }')?.tls).toEqual({
      'insecure-skip-verify': true,
    });
  });

  it.each([
    ['{ path: /h, scheme: ftp }', 'services.api.health.http.scheme: got "ftp", expected http or https'],
    [
      '{ path: /h, headers: { Content-Length: "5" } }',
      'services.api.health.http.headers.Content-Length: Content-Length is set by the client (it frames the request); remove it',
    ],
    [
      '{ path: /h, headers: { connection: close } }',
      'services.api.health.http.headers.connection: connection is a hop-by-hop header the client manages; remove it',
    ],
    [
      '{ path: /h, headers: { Transfer-Encoding: chunked } }',
      'services.api.health.http.headers.Transfer-Encoding: Transfer-Encoding is set by the client',
    ],
    [
      '{ path: /h, headers: { "Bad Name": x } }',
      'services.api.health.http.headers["Bad Name"]: "Bad Name" is not a header name (letters, digits and',
    ],
    [
      '{ path: /h, headers: { Host: "a\\r\\nX-Evil: 1" } }',
      'services.api.health.http.headers.Host: got "a\\r\\nX-Evil: 1", expected a header value: text on one line, without control characters',
    ],
    [
      '{ path: /h, headers: { Host: 8080 } }',
      'services.api.health.http.headers.Host: got 8080, expected a header value',
    ],
    ['{ path: /h, headers: { Host: a, host: b } }', 'host is given twice (also as Host)'],
    ['{ path: /h, tls: { insecure-skip-verify: true } }', 'services.api.health.http.tls: tls applies to scheme: https'],
    [
      '{ path: /h, scheme: https, tls: { ca-file: ca.pem, insecure-skip-verify: true } }',
      'services.api.health.http.tls.insecure-skip-verify: give either ca-file',
    ],
    ['{ path: /h, scheme: https, tls: { verify: false } }', 'verify'],
  ])('refuses %s', (http, message) => {
    expect(problem(http)).toContain(message);
  });
});
