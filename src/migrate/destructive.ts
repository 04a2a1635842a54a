/** Finds statements in migration SQL that lose data or rewrite tables, for dry-run warnings. */

export interface Finding {
  kind:
    | 'DROP TABLE'
    | 'DROP COLUMN'
    | 'ALTER TYPE'
    | 'TRUNCATE'
    | 'DELETE WITHOUT WHERE'
    | 'DROP SCHEMA'
    | 'DROP DATABASE';
  statement: string;
  line: number;
}

/** Blank out comments and quoted text (keeping newlines), so keywords inside them are not matched. */
function code(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, (m) => ' '.repeat(m.length))
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/'(?:[^']|'')*'/g, (m) => m.replace(/[^\n]/g, ' '));
}

const RULES: [Finding['kind'], RegExp][] = [
  ['DROP TABLE', /^\s*DROP\s+TABLE\b/i],
  ['DROP SCHEMA', /^\s*DROP\s+SCHEMA\b/i],
  ['DROP DATABASE', /^\s*DROP\s+DATABASE\b/i],
  [
    'DROP COLUMN',
    /^\s*ALTER\s+TABLE\b[\s\S]*\bDROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|DEFAULT\b|NOT\b|IDENTITY\b|EXPRESSION\b)\S/i,
  ],
  ['ALTER TYPE', /^\s*ALTER\s+TABLE\b[\s\S]*\bALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b/i],
  ['TRUNCATE', /^\s*TRUNCATE\b/i],
  ['DELETE WITHOUT WHERE', /^\s*DELETE\s+FROM\b(?![\s\S]*\bWHERE\b)/i],
];

export function destructiveStatements(sql: string): Finding[] {
  const masked = code(sql);
  const findings: Finding[] = [];
  let offset = 0;
  for (const stmt of masked.split(';')) {
    const start = offset;
    offset += stmt.length + 1;
    const rule = RULES.find(([, re]) => re.test(stmt));
    if (!rule) continue;
    const leading = stmt.length - stmt.trimStart().length;
    const line = sql.slice(0, start + leading).split('\n').length;
    const original = sql
      .slice(start, start + stmt.length)
      .trim()
      .replace(/\s+/g, ' ');
    findings.push({
      kind: rule[0],
      statement: original.length > 160 ? `${original.slice(0, 157)}...` : original,
      line,
    });
  }
  return findings;
}
