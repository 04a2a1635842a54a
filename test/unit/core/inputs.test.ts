import { describe, expect, it } from 'vitest';
import { StreamLogger } from '../../../src/core/logger.js';
import { Masker } from '../../../src/core/masker.js';
import { commonInputs } from '../../../src/inputs/common.js';
import { parseInputs } from '../../../src/inputs/spec.js';
import { memoryRunner } from '../helpers/runner.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';

function parse(inputs: Record<string, string>) {
  const { runner, record } = memoryRunner(inputs);
  const masker = new Masker();
  const log = new StreamLogger({ sink: (l) => record.lines.push(l), masker, mode: 'actions', debug: false });
  return { run: () => parseInputs(runner, log, commonInputs), masker };
}

describe('common inputs', () => {
  it('applies defaults and parses strict booleans', () => {
    const v = parse({ environment: 'production' }).run();
    expect(v).toMatchObject({ config: 'runbook.yml', environment: 'production', 'dry-run': false });
    expect(v['ssh-insecure-ignore-host-key']).toBe(false);
    expect(parse({ environment: 'p', 'dry-run': 'TRUE' }).run()['dry-run']).toBe(true);
  });

  it.each([
    [{}, /input "environment" is required/],
    [{ environment: 'prod;id' }, /input "environment": "prod;id" is not valid: expected an environment name/],
    [{ environment: 'p', 'dry-run': 'yes' }, /input "dry-run": "yes" is not valid: expected true or false/],
    [{ environment: 'p', 'dry-run': '1' }, /expected true or false/],
    [{ environment: '-x' }, /expected an environment name/],
  ])('rejects %j', (inputs, message) => {
    expect(() => parse(inputs).run()).toThrow(message);
  });

  it('reports every bad input at once', () => {
    expect(() => parse({ 'dry-run': 'nope' }).run()).toThrow(/2 input problems:\n.*environment.*\n.*dry-run/);
  });

  it('never shows a secret input in an error, and masks it as soon as it is read', () => {
    const p = parse({ environment: 'p', 'github-token': 'ghp_abcdefgh', 'ssh-private-key': 'not-a-key-value' });
    expect(() => p.run()).toThrow(/input "ssh-private-key": \(value hidden\)/);
    expect(() => p.run()).not.toThrow(/not-a-key-value/);
    expect(p.masker.mask('token ghp_abcdefgh')).toBe('token ***');
    expect(parse({ environment: 'p', 'ssh-private-key': KEY }).run()['ssh-private-key']).toBe(KEY);
  });
});
