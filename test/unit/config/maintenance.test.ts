/** strategy.proxy.nginx.maintenance: the two forms, their defaults, and errors that name the field, the value and what is allowed. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loader.js';
import { configError, minimal } from './helpers.js';

/** A config whose nginx proxy has `maintenance: <yaml>`. */
function withMaintenance(yaml: string): string {
  return minimal(`services:
  api: { image: acme/api }
strategy:
  proxy:
    nginx:
      upstream-file: /etc/nginx/conf.d/shop-upstream.conf
      upstream: shop_api
      maintenance: ${yaml}
`);
}

const parsed = (yaml: string) => parseConfig(withMaintenance(yaml), 'runbook.yml').strategy.proxy?.nginx.maintenance;
const problem = (yaml: string) => configError(withMaintenance(yaml)).message;

describe('strategy.proxy.nginx.maintenance', () => {
  it('a page nginx answers: file + listen, with Retry-After 2m, a plain-text body and its media type by default', () => {
    expect(parsed('{ file: /etc/nginx/conf.d/shop-maintenance.conf, listen: 8099 }')).toEqual({
      kind: 'file',
      file: '/etc/nginx/conf.d/shop-maintenance.conf',
      listen: 8099,
      'retry-after': 120_000,
      body: 'The site is down for maintenance and will be back shortly.\n',
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(
      parsed(
        '{ file: /etc/nginx/conf.d/m.conf, listen: 8099, retry-after: 5m, body: "<h1>Back \\"soon\\"</h1>", content-type: text/html; charset=utf-8 }',
      ),
    ).toMatchObject({
      'retry-after': 300_000,
      body: '<h1>Back "soon"</h1>',
      'content-type': 'text/html; charset=utf-8',
    });
  });

  it.each(['127.0.0.1:8099', '[::1]:8099', 'maint.internal:80', 'unix:/run/maint.sock'])(
    'a server of your own: %s',
    (server) => {
      expect(parsed(`{ server: "${server}" }`)).toEqual({ kind: 'server', server });
    },
  );

  it.each([
    ['{}', /needs exactly one of server, file \(got none\); allowed keys: server, file, listen, retry-after/],
    [
      '{ server: 127.0.0.1:8099, file: /etc/m.conf, listen: 1 }',
      /needs exactly one of server, file \(got server and file\)/,
    ],
    ['{ file: /etc/nginx/m.conf }', /maintenance\.listen: file needs listen: the port on 127\.0\.0\.1/],
    [
      '{ server: 127.0.0.1:8099, retry-after: 1m }',
      /maintenance\.retry-after: retry-after describes the page the toolkit writes \(with file\)/,
    ],
    ['{ server: "10.0.0.5" }', /maintenance\.server: got "10\.0\.0\.5", expected an nginx server address: host:port/],
    ['{ server: "127.0.0.1:70000" }', /expected an nginx server address/],
    ['{ server: "-oProxy:80" }', /expected an nginx server address/],
    ['{ server: "unix:/run/a b.sock" }', /expected an nginx server address/],
    ['{ file: conf.d/m.conf, listen: 8099 }', /maintenance\.file: got "conf\.d\/m\.conf", expected an absolute path/],
    ['{ file: /etc/m.conf, listen: 0 }', /maintenance\.listen: got 0, expected a port number from 1 to 65535/],
    [
      '{ file: /etc/m.conf, listen: 8099, retry-after: 0s }',
      /maintenance\.retry-after: .*expected a duration from 1s to 1d/,
    ],
    ['{ file: /etc/m.conf, listen: 8099, retry-after: 2d }', /expected a duration from 1s to 1d/],
    ['{ file: /etc/m.conf, listen: 8099, retry-after: 120 }', /maintenance\.retry-after: .*unit/],
    [
      '{ file: /etc/m.conf, listen: 8099, body: "costs $5" }',
      /maintenance\.body: got a "\$" \("costs \$5"\), expected the page's text/,
    ],
    ['{ file: /etc/m.conf, listen: 8099, body: "" }', /maintenance\.body: got 0 characters/],
    ['{ file: /etc/m.conf, listen: 8099, body: "a\\u0007b" }', /maintenance\.body: got a control character/],
    [
      '{ file: /etc/m.conf, listen: 8099, content-type: "text/html\\nX: 1" }',
      /maintenance\.content-type: .*expected a media type/,
    ],
    ['{ file: /etc/m.conf, listen: 8099, port: 1 }', /maintenance.*port/],
  ])('refuses %s', (yaml, message) => {
    expect(problem(yaml)).toMatch(message);
  });

  it('a body of at most 8000 characters', () => {
    expect(parsed(`{ file: /etc/m.conf, listen: 8099, body: "${'x'.repeat(8000)}" }`)).toMatchObject({ kind: 'file' });
    expect(problem(`{ file: /etc/m.conf, listen: 8099, body: "${'x'.repeat(8001)}" }`)).toMatch(/got 8001 characters/);
  });
});
