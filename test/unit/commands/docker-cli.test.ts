import { describe, expect, it } from 'vitest';
import {
  dockerImageIdArgv,
  dockerInspectImageIdArgv,
  dockerInspectStateArgv,
  dockerLogsArgv,
  dockerTagArgv,
} from '../../../src/commands/docker-cli.js';

describe('docker CLI argv', () => {
  it.each([
    [dockerInspectStateArgv('c0ffee'), ['docker', 'inspect', '--format', '{{json .State}}', 'c0ffee']],
    [dockerInspectImageIdArgv('c0ffee'), ['docker', 'inspect', '--format', '{{.Image}}', 'c0ffee']],
    [dockerImageIdArgv('sha256:ab12'), ['docker', 'image', 'inspect', '--format', '{{.Id}}', 'sha256:ab12']],
    [dockerTagArgv('sha256:ab12', 'shop/api:v2'), ['docker', 'tag', 'sha256:ab12', 'shop/api:v2']],
    [dockerLogsArgv('c0ffee', 20), ['docker', 'logs', '--tail', '20', 'c0ffee']],
  ])('%j', (argv, expected) => {
    expect(argv).toEqual(expected);
  });
});
