/**
 * `runbook <command> …`: the CLI's conventions around the actions it runs. Usage on `--help`, the version on
 * `--version`, results on stdout and logs on stderr, one JSON document with `--json`, and the exit status: 0 success,
 * 1 failure, 2 usage error (unknown command, option or input, a missing required input, an input that does not parse).
 */
import type { ActionModule } from '../actions/module.js';
import { runModule } from '../actions/module.js';
import { expandTwoWordCommand } from '../backup/cli-words.js';
import { errorMessage } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { parseInputs } from '../inputs/spec.js';
import { type CliArgs, parseCliArgs } from './args.js';
import { commands as allCommands } from './commands.js';
import { commandHelp, topUsage, typedName, VERSION } from './help.js';
import { type CliStreams, jsonResult, outputLines, reportSink, resultKind } from './output.js';
import { type CliRunner, cliRunner } from './runner-cli.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  streams: CliStreams;
  /** The commands (default: the action catalog). */
  commands?: Readonly<Record<string, ActionModule>>;
  /** Runs a command's step (default: runModule, as an action's entry point runs it). */
  run?: (command: ActionModule, runner: CliRunner) => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
}

/** Run the CLI on `argv` (without node and the script); resolves with the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const { streams } = io;
  const commands = io.commands ?? allCommands;
  const [name, ...rest] = expandTwoWordCommand(argv);
  if (name === undefined) {
    streams.err(topUsage(commands));
    return EXIT_USAGE;
  }
  if (name === '--version') {
    streams.out(VERSION);
    return EXIT_OK;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    // `runbook help deploy`, `runbook help backup list`: that command's usage.
    const [wanted] = expandTwoWordCommand(rest);
    const command = name === 'help' && wanted !== undefined ? commands[wanted] : undefined;
    if (name === 'help' && wanted !== undefined && !command) return unknownCommand(streams, wanted);
    streams.out(command ? commandHelp(command) : topUsage(commands));
    return EXIT_OK;
  }
  if (name.startsWith('-')) {
    streams.err(`runbook: unknown option "${name}" before the command (runbook --help lists the commands)`);
    return EXIT_USAGE;
  }
  const command = commands[name];
  if (!command) return unknownCommand(streams, name);
  const typed = typedName(name);
  const usageError = (message: string): number => {
    streams.err(`runbook ${typed}: ${message}`);
    streams.err(`(runbook ${typed} --help shows its inputs)`);
    return EXIT_USAGE;
  };

  let args: CliArgs;
  try {
    args = parseCliArgs([...rest], command.inputs);
  } catch (err) {
    return usageError(errorMessage(err));
  }
  if (args.help) {
    streams.out(commandHelp(command));
    return EXIT_OK;
  }

  const kind = resultKind(name);
  const runner = cliRunner({
    inputs: args.inputs,
    debug: args.debug,
    summaryFile: args.summaryFile,
    env: io.env,
    // With --json every line the step prints is log; otherwise a report command's report is its result.
    write: !args.json && kind === 'report' ? reportSink(streams) : streams.err,
    fail: streams.err,
  });
  // A missing required input or one that does not parse is a usage error: found before anything runs.
  try {
    parseInputs(runner, silentLogger, command.inputs);
  } catch (err) {
    return usageError(errorMessage(err));
  }

  const ok = await (io.run ?? ((c, r) => runModule(c, { runner: r })))(command, runner);
  if (args.json) streams.out(jsonResult(name, ok, runner.outputs, ok ? undefined : (runner.failure() ?? 'failed')));
  else if (kind === 'outputs') for (const line of outputLines(runner.outputs)) streams.out(line);
  return ok ? EXIT_OK : EXIT_FAILURE;
}

function unknownCommand(streams: CliStreams, name: string): number {
  streams.err(`runbook: unknown command "${name}" (runbook --help lists the commands)`);
  return EXIT_USAGE;
}
