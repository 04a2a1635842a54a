/** The line of a tool's error output that says what went wrong: its last error line, else its last line. */
export function errorLine(stderr: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.findLast((l) => /\berror\b|\[emerg\]|\bfatal\b/i.test(l)) ?? lines.at(-1) ?? '';
}
