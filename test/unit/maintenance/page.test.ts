/** The maintenance page nginx answers: the exact server block, quoting, Retry-After in whole seconds. */
import { describe, expect, it } from 'vitest';
import { maintenanceAddress, maintenancePage, nginxQuoted, retryAfterSeconds } from '../../../src/maintenance/page.js';

const page = {
  kind: 'file' as const,
  file: '/etc/nginx/conf.d/shop-maintenance.conf',
  listen: 8099,
  'retry-after': 90_500,
  body: 'Back "soon"\\n\nThanks',
  'content-type': 'text/plain; charset=utf-8',
};

describe('the maintenance page', () => {
  it('is one server on 127.0.0.1:<listen> answering 503 with Retry-After and no-store', () => {
    expect(maintenancePage(page, 'shop')).toBe(
      `# Maintenance page of shop: written by runbook-actions ("runbook maintenance on"); "off" puts this file back.
server {
    listen 127.0.0.1:8099;
    default_type "text/plain; charset=utf-8";
    location / {
        add_header Retry-After 91 always;
        add_header Cache-Control "no-store" always;
        return 503 "Back \\"soon\\"\\\\n
Thanks";
    }
}
`,
    );
  });

  it('quotes text as nginx reads it back: backslash and double quote escaped, newlines kept', () => {
    expect(nginxQuoted('a\\b"c\nd')).toBe('"a\\\\b\\"c\nd"');
    expect(nginxQuoted('{ ; }')).toBe('"{ ; }"');
  });

  it.each([
    [1, 1],
    [1000, 1],
    [1001, 2],
    [120_000, 120],
    [86_400_000, 86_400],
  ])('Retry-After of %i ms is %i s', (ms, s) => {
    expect(retryAfterSeconds(ms)).toBe(s);
  });

  it('the upstream points at the page, or at the server of your own', () => {
    expect(maintenanceAddress(page)).toBe('127.0.0.1:8099');
    expect(maintenanceAddress({ kind: 'server', server: 'unix:/run/m.sock' })).toBe('unix:/run/m.sock');
  });
});
