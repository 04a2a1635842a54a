import { runModule } from './actions/module.js';
import { expandTwoWordCommand } from './backup/cli-words.js';
import { parseCliArgs } from './cli/args.js';
import { commands } from './cli/commands.js';
import { cliRunner } from './cli/runner-cli.js';
import { errorMessage } from './core/errors.js';

const usage = [
  'usage: runbook <command> --config runbook.yml --env <environment> [--dry-run] [--input name=value]... [--debug]',
  '       --input name=@path reads the value from a file (keys, known_hosts); --json prints the outputs as JSON',
  '',
  'commands:',
  ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`),
].join('\n');

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = expandTwoWordCommand(argv);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name === undefined ? 1 : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`runbook: unknown command "${name}"\n\n${usage}`);
    return 1;
  }
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(rest, command.inputs);
  } catch (err) {
    console.error(`runbook ${name}: ${errorMessage(err)}`);
    return 1;
  }
  const runner = cliRunner({ inputs: args.inputs, debug: args.debug, summaryFile: args.summaryFile });
  const ok = await runModule(command, { runner });
  if (args.json) console.log(JSON.stringify(Object.fromEntries(runner.outputs)));
  else for (const [k, v] of runner.outputs) console.log(`output ${k}=${v.length > 300 ? `${v.slice(0, 300)}…` : v}`);
  return ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`runbook: ${errorMessage(err)}`);
    process.exitCode = 1;
  },
);
