/** `runbook maintenance on|off …`: the second word is the mode input; the rest is passed on as typed. */
import { describe, expect, it } from 'vitest';
import { expandTwoWordCommand } from '../../../src/backup/cli-words.js';

describe('runbook maintenance on|off', () => {
  it.each([
    [
      ['maintenance', 'on', '--env', 'prod'],
      ['maintenance', '--input', 'mode=on', '--env', 'prod'],
    ],
    [
      ['maintenance', 'off'],
      ['maintenance', '--input', 'mode=off'],
    ],
    [
      ['maintenance', '--input', 'mode=on'],
      ['maintenance', '--input', 'mode=on'],
    ],
    [
      ['maintenance', 'maybe'],
      ['maintenance', 'maybe'],
    ],
    [
      ['constructor', 'on'],
      ['constructor', 'on'],
    ],
    [['backup', 'list'], ['backup-list']],
  ])('%j → %j', (argv, expected) => {
    expect(expandTwoWordCommand(argv)).toEqual(expected);
  });
});
