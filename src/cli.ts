/**
 * The `runbook` command (dist/cli.js): the actions from a terminal. Everything but the process is in src/cli/main.ts;
 * here, the real streams (a reader of stdout that leaves early ends the run quietly) and the exit status.
 */
import { main } from './cli/main.js';
import { processStreams } from './cli/output.js';
import { errorMessage } from './core/errors.js';

const streams = processStreams();

main(process.argv.slice(2), { streams }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    streams.err(`runbook: ${errorMessage(err)}`);
    process.exitCode = 1;
  },
);
