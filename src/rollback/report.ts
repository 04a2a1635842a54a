import type { Release } from '../deploy/journal.js';
import { buildSummary, inline, type Text } from '../report/summary.js';

export interface RollbackReport {
  to: Release;
  from?: Release;
  scope: string[];
  revision?: string;
  safety?: string;
}

/**
 * The rollback's job summary section (the verdict, version and environment are the header's, ../report/verdict.ts):
 * what was restored and what it replaced, the scope, the schema revision and the safety backup.
 */
export function rollbackSummary(app: string, environment: string, r: RollbackReport): string {
  const release = (x: Release): Text => inline.join([`${x.version} (`, inline.code(x.id), ')'], '');
  const rows: Text[][] = [
    ['app', `${app}/${environment}`],
    ['restored', release(r.to)],
    ['rolled back', r.from ? release(r.from) : '— (the restored release was already live)'],
    ['scope', r.scope.join(', ')],
    ...(r.revision !== undefined ? [['schema revision', r.revision || '(none)']] : []),
    ...(r.safety ? [['safety backup', inline.code(r.safety)]] : []),
  ];
  return buildSummary((doc) => {
    doc.heading('Restored release', 3);
    doc.table(['', ''], rows);
  });
}
