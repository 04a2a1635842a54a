import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../../src/cli/commands.js';

const root = join(import.meta.dirname, '../../..');
const actionDirs = readdirSync(join(root, 'actions'));

interface ActionYml {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  runs: { using: string; main: string; post?: string };
}

describe('action metadata matches the input specs', () => {
  it('every action folder is a command of the CLI and vice versa', () => {
    expect(actionDirs.sort()).toEqual(
      Object.entries(commands)
        .filter(([, c]) => !c.cliOnly)
        .map(([n]) => n)
        .sort(),
    );
  });

  it.each(actionDirs)('%s: inputs, defaults, required flags and runtime', (name) => {
    const yml = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8')) as ActionYml;
    const spec = commands[name]!;
    expect(Object.keys(yml.inputs).sort()).toEqual(Object.keys(spec.inputs).sort());
    for (const [input, s] of Object.entries(spec.inputs)) {
      const declared = yml.inputs[input]!;
      expect(declared.required ?? false, `${name}.${input}.required`).toBe(s.required ?? false);
      expect(declared.default, `${name}.${input}.default`).toBe(s.default);
    }
    expect(yml.runs.using).toBe('node24');
    expect(yml.runs.main).toBe(`../../dist/${name}/index.js`);
    expect(Boolean(yml.runs.post)).toBe(Boolean(spec.locks));
  });
});

describe('the root action.yml (the whole pipeline)', () => {
  it('declares the pipeline inputs with their defaults and runs the pipeline bundle with a post step', () => {
    const yml = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml;
    const spec = commands.pipeline!;
    expect(Object.keys(yml.inputs).sort()).toEqual(Object.keys(spec.inputs).sort());
    for (const [input, s] of Object.entries(spec.inputs)) {
      expect(yml.inputs[input]!.required ?? false, `pipeline.${input}.required`).toBe(s.required ?? false);
      expect(yml.inputs[input]!.default, `pipeline.${input}.default`).toBe(s.default);
    }
    expect(yml.runs).toMatchObject({ using: 'node24', main: 'dist/pipeline/index.js', post: 'dist/pipeline/index.js' });
  });
});
