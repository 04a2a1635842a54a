/** Every step's job summary leads with its verdict: also when it is refused on its inputs or fails. */
import { describe, expect, it } from 'vitest';
import { deployAction } from '../../../src/actions/declare/deploy.js';
import { rollbackAction } from '../../../src/actions/declare/rollback.js';
import { runModule } from '../../../src/actions/module.js';
import { memoryRunner } from '../helpers/runner.js';

describe('the summary of a step refused on its inputs', () => {
  it('deploy with a hostile version: the verdict "refused", the reason escaped, nothing opened', async () => {
    const { runner, record } = memoryRunner({ environment: 'production', version: 'v1;rm -rf /<b>' });
    expect(await runModule(deployAction, { runner })).toBe(false);
    expect(record.summary).toHaveLength(1);
    const md = record.summary[0] ?? '';
    expect(md.startsWith('<h2>⛔ Deploy: refused — production</h2>')).toBe(true);
    expect(md).toContain(
      '<p>input &quot;version&quot;: &quot;v1;rm -rf /&lt;b&gt;&quot; is not valid: expected an image tag',
    );
    expect(md).not.toContain('/<b>');
  });

  it('rollback with a bad release id: refused, said in the summary', async () => {
    const { runner, record } = memoryRunner({ environment: 'staging', 'release-id': 'latest' });
    expect(await runModule(rollbackAction, { runner })).toBe(false);
    expect(record.summary[0]).toMatch(
      /^<h2>⛔ Rollback: refused — staging<\/h2>\n<p>input &quot;release-id&quot;: &quot;latest&quot; is not valid/,
    );
  });
});
