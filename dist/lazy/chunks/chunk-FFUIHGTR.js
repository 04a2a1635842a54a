// src/migrate/destructive.ts
function code(sql) {
  return sql.replace(/--[^\n]*/g, (m) => " ".repeat(m.length)).replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, " ")).replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, (m) => m.replace(/[^\n]/g, " ")).replace(/'(?:[^']|'')*'/g, (m) => m.replace(/[^\n]/g, " "));
}
var RULES = [
  ["DROP TABLE", /^\s*DROP\s+TABLE\b/i],
  ["DROP SCHEMA", /^\s*DROP\s+SCHEMA\b/i],
  ["DROP DATABASE", /^\s*DROP\s+DATABASE\b/i],
  [
    "DROP COLUMN",
    /^\s*ALTER\s+TABLE\b[\s\S]*\bDROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|DEFAULT\b|NOT\b|IDENTITY\b|EXPRESSION\b)\S/i
  ],
  ["ALTER TYPE", /^\s*ALTER\s+TABLE\b[\s\S]*\bALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+DATA\s+)?TYPE\b/i],
  ["TRUNCATE", /^\s*TRUNCATE\b/i],
  ["DELETE WITHOUT WHERE", /^\s*DELETE\s+FROM\b(?![\s\S]*\bWHERE\b)/i]
];
function destructiveStatements(sql) {
  const masked = code(sql);
  const findings = [];
  let offset = 0;
  for (const stmt of masked.split(";")) {
    const start = offset;
    offset += stmt.length + 1;
    const rule = RULES.find(([, re]) => re.test(stmt));
    if (!rule) continue;
    const leading = stmt.length - stmt.trimStart().length;
    const line = sql.slice(0, start + leading).split("\n").length;
    const original = sql.slice(start, start + stmt.length).trim().replace(/\s+/g, " ");
    findings.push({
      kind: rule[0],
      statement: original.length > 160 ? `${original.slice(0, 157)}...` : original,
      line
    });
  }
  return findings;
}

export {
  destructiveStatements
};
