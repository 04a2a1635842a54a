import { describe, expect, it } from 'vitest';
import { destructiveStatements } from '../../../src/migrate/destructive.js';
import { PRESETS, pgOptions, toolFor } from '../../../src/migrate/presets.js';

describe('destructive DDL detection', () => {
  it.each([
    ['DROP TABLE orders;', ['DROP TABLE']],
    ['drop table if exists "old";', ['DROP TABLE']],
    ['ALTER TABLE orders DROP COLUMN status;', ['DROP COLUMN']],
    ['ALTER TABLE orders DROP status;', ['DROP COLUMN']],
    ['ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);', ['ALTER TYPE']],
    ['ALTER TABLE orders ALTER total SET DATA TYPE bigint;', ['ALTER TYPE']],
    ['TRUNCATE events;', ['TRUNCATE']],
    ['DELETE FROM events;', ['DELETE WITHOUT WHERE']],
    ['DROP SCHEMA legacy CASCADE;', ['DROP SCHEMA']],
  ])('%s', (sql, kinds) => {
    expect(destructiveStatements(sql).map((f) => f.kind)).toEqual(kinds);
  });

  it.each([
    ['DELETE FROM events WHERE id < 10;'],
    ['ALTER TABLE orders DROP CONSTRAINT orders_pkey;'],
    ['ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;'],
    ['ALTER TABLE orders ALTER COLUMN status DROP NOT NULL;'],
    ['ALTER TABLE orders ADD COLUMN status text;'],
    ["-- DROP TABLE orders;\nSELECT 'DROP TABLE x';"],
    ['/* TRUNCATE events; */ CREATE INDEX i ON orders(id);'],
    ["DO $$ BEGIN EXECUTE 'DELETE FROM x'; END $$;"],
  ])('not destructive: %s', (sql) => {
    expect(destructiveStatements(sql)).toEqual([]);
  });

  it('reports the line and the statement of each finding', () => {
    const sql = 'BEGIN;\nCREATE TABLE a (id int);\n\nDROP TABLE b;\nDELETE\n  FROM c;\nCOMMIT;\n';
    expect(destructiveStatements(sql)).toEqual([
      { kind: 'DROP TABLE', statement: 'DROP TABLE b', line: 4 },
      { kind: 'DELETE WITHOUT WHERE', statement: 'DELETE FROM c', line: 5 },
    ]);
  });
});

describe('migration tool presets', () => {
  it.each([
    ['alembic', ['alembic', 'upgrade', 'head'], ['alembic', 'upgrade', 'head', '--sql']],
    ['goose', ['goose', 'up'], undefined],
    ['rails', ['bin/rails', 'db:migrate'], undefined],
  ] as const)('%s', (tool, upgrade, dryRun) => {
    expect(PRESETS[tool].upgrade).toEqual(upgrade);
    expect(PRESETS[tool].dryRunSql).toEqual(dryRun);
  });

  it('downgrade argv carries the revision as one argument', () => {
    expect(PRESETS.alembic.downgrade?.('ae1027a6acf')).toEqual(['alembic', 'downgrade', 'ae1027a6acf']);
    expect(PRESETS.goose.downgrade?.('20260101')).toEqual(['goose', 'down-to', '20260101']);
  });

  it('custom tools substitute {revision} inside arguments, never into a shell string', () => {
    const tool = toolFor({
      tool: 'custom',
      'lock-timeout': 5000,
      'statement-timeout': 900000,
      custom: { upgrade: ['migrate', 'up'], downgrade: ['migrate', 'goto', '{revision}'] },
    });
    expect(tool.downgrade?.('1; rm -rf /')).toEqual(['migrate', 'goto', '1; rm -rf /']);
  });

  it('PGOPTIONS bounds lock waits and statement time', () => {
    expect(pgOptions(5000, 900000)).toBe('-c lock_timeout=5000 -c statement_timeout=900000');
  });
});
