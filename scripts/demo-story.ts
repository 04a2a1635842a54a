/**
 * `npm run demo`'s story: the pipeline against the sandbox, step by step as the Actions runner runs each action,
 * told as a timeline; then the verdict (what serves, the schema, rows and requests lost). Returns true when the
 * story ended as it should.
 */
import { dropDatabase, psql } from '../test/integration/helpers/pg-sandbox.js';
import { runStory, type StoryStep } from '../test/integration/helpers/story.js';

const out = (line = '') => process.stdout.write(`${line}\n`);

function line(s: StoryStep): string {
  const ok = s.result.code === 0;
  const verdict = ok ? 'ok' : s.expectFailure ? 'failed (expected)' : 'FAILED';
  return `${`+${s.startedAt.toFixed(1)}s`.padStart(8)}  ${s.name.padEnd(30)} ${verdict.padEnd(18)} ${`${s.seconds.toFixed(1)}s`.padStart(6)}  ${s.note}`;
}

export async function main(): Promise<boolean> {
  out('== The story: v1 → v2 with a migration → v3 (degraded) with a migration → smoke fails → rollback');
  out(
    '   the app as the runbooks have it: a docker-compose.yml, its secrets in an env file beside it, a named volume and',
  );
  out('   a healthcheck; rolled replica by replica (2 replicas, each on its own port) behind nginx');
  out("   every step is an action's dist entry run the way the Actions runner runs it (INPUT_*, GITHUB_OUTPUT, post)");
  out();
  out(`${'at'.padStart(8)}  ${'step'.padEnd(30)} ${'result'.padEnd(18)} ${'took'.padStart(6)}  what happened`);
  const story = await runStory({
    app: 'rbdemo',
    kind: 'compose',
    ports: [18640, 18649],
    onStep: (s) => out(line(s)),
    onNote: (n) => out(`${''.padStart(8)}  · ${n}`),
  });
  const present = new Set(
    psql(story.pg, story.database, "SELECT id FROM events WHERE kind = 'story'").split('\n').map(Number),
  );
  const missing = story.writer.acked.filter((id) => !present.has(id)).length;
  const rollback = story.steps.find((s) => s.name === 'rollback');
  const unexpected = story.steps.filter((s) => (s.result.code === 0) === s.expectFailure);
  out();
  out('== Verdict');
  out(`   nginx serves:        ${story.served} (expected v2)`);
  out(`   schema revision:     ${story.revision} (v2's is 0001; v3 had moved it to 0003)`);
  out(`   rollback took:       ${rollback ? `${rollback.seconds.toFixed(1)}s` : '-'} (from the failed smoke verdict)`);
  out(`   rows written:        ${story.writer.acked.length} acknowledged, ${missing} missing`);
  out(
    `   requests via nginx:  ${story.load.requests} during the story, ${story.load.failed} failed; ${story.rollbackLoad.requests} during the rollback, ${story.rollbackLoad.failed} failed`,
  );
  out(`   env-file secret:     printed ${story.secretLeaks} times (masked in every step's output and the journal)`);
  out(`   journal:             node dist/cli.js status --config ${story.config} --env sandbox`);
  dropDatabase(story.pg, story.database);
  const good =
    story.served === 'v2' &&
    story.revision === '0001' &&
    missing === 0 &&
    story.load.failed === 0 &&
    story.rollbackLoad.failed === 0 &&
    story.secretLeaks === 0 &&
    unexpected.length === 0;
  out(
    good
      ? '   the story ended as it should'
      : `   UNEXPECTED: ${unexpected.map((s) => s.name).join(', ') || 'see above'}`,
  );
  return good;
}
