import type { Release } from '../deploy/journal.js';

export interface RollbackReport {
  to: Release;
  from?: Release;
  scope: string[];
  revision?: string;
  safety?: string;
}

/** The job summary of a rollback. */
export function rollbackSummary(app: string, environment: string, r: RollbackReport): string {
  const rows = [
    ['restored', `${r.to.version} (\`${r.to.id}\`)`],
    ['rolled back', r.from ? `${r.from.version} (\`${r.from.id}\`)` : '— (the restored release was already live)'],
    ['scope', r.scope.join(', ')],
    ...(r.revision !== undefined ? [['schema revision', r.revision || '(none)']] : []),
    ...(r.safety ? [['safety backup', `\`${r.safety}\``]] : []),
  ];
  return [
    `### Rollback of ${app}/${environment}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '',
  ].join('\n');
}
