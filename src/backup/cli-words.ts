/**
 * Two-word terminal commands: `runbook backup list|verify|restore …` runs the command `backup-list` (…), a bare word
 * after verify/restore is the backup id (`--input id=…`), and `--confirm <database>` is `--input confirm=…`.
 * `runbook maintenance on|off …` runs the command `maintenance` with `--input mode=on|off`.
 */
const SUBCOMMANDS = ['list', 'verify', 'restore'];

/** Commands whose second word is the value of one input: command → input → the words it takes. */
const MODE_WORDS: Readonly<Record<string, { input: string; words: readonly string[] }>> = {
  maintenance: { input: 'mode', words: ['on', 'off'] },
};

export function expandTwoWordCommand(argv: readonly string[]): string[] {
  const [first, second, ...rest] = argv;
  const mode = first !== undefined && Object.hasOwn(MODE_WORDS, first) ? MODE_WORDS[first] : undefined;
  if (first !== undefined && second !== undefined && mode?.words.includes(second))
    return [first, '--input', `${mode.input}=${second}`, ...rest];
  if (first !== 'backup' || second === undefined || !SUBCOMMANDS.includes(second)) return [...argv];
  const out = [`backup-${second}`];
  let i = 0;
  const id = rest[0];
  if (second !== 'list' && id !== undefined && !id.startsWith('-')) {
    out.push('--input', `id=${id}`);
    i = 1;
  }
  for (; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const next = rest[i + 1];
    if (arg === '--confirm' && next !== undefined) {
      out.push('--input', `confirm=${next}`);
      i++;
    } else if (arg.startsWith('--confirm=')) out.push('--input', `confirm=${arg.slice('--confirm='.length)}`);
    else out.push(arg);
  }
  return out;
}
