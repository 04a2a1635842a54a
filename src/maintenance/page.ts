/**
 * The maintenance page as nginx serves it: where the upstream points while maintenance is on, and the server block
 * the toolkit writes into `strategy.proxy.nginx.maintenance.file` (included at http level). Pure.
 */
import type { MaintenanceConfig } from '../config/schema-maintenance.js';

type PageConfig = Extract<MaintenanceConfig, { kind: 'file' }>;

/** The upstream server while maintenance is on: the team's server, or `127.0.0.1:<listen>` of the page. */
export function maintenanceAddress(m: MaintenanceConfig): string {
  return m.kind === 'server' ? m.server : `127.0.0.1:${m.listen}`;
}

/** `Retry-After` in whole seconds (rounded up, at least 1) for a duration in milliseconds. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * Text as one nginx double-quoted string: `\` and `"` escaped (nginx reads `\\` and `\"` back; newlines stay as they
 * are). `$` never reaches here: the schema refuses it (nginx would read a variable).
 */
export function nginxQuoted(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The maintenance file: one `server` on 127.0.0.1:<listen> that answers every request with 503, the body, its
 * media type, `Retry-After: <seconds>` and `Cache-Control: no-store` (so no cache keeps the page after `off`).
 */
export function maintenancePage(m: PageConfig, app: string): string {
  return `# Maintenance page of ${app}: written by runbook-actions ("runbook maintenance on"); "off" puts this file back.
server {
    listen 127.0.0.1:${m.listen};
    default_type ${nginxQuoted(m['content-type'])};
    location / {
        add_header Retry-After ${retryAfterSeconds(m['retry-after'])} always;
        add_header Cache-Control "no-store" always;
        return 503 ${nginxQuoted(m.body)};
    }
}
`;
}
