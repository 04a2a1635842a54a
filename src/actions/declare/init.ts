/** The declaration of init: name, summary, inputs; the step loads when it runs. */
import { type InputSpec, zBool, zPattern, zText } from '../../inputs/spec.js';
import { defineAction } from '../module.js';

/** `runbook init`: no environment, no connection; only where to write and what to call the app. */
export const initInputs = {
  path: {
    description: 'Where to write the starter config',
    default: 'runbook.yml',
    schema: zText((v) => !v.includes('\0') && !v.includes('\n'), 'expected a file path'),
  },
  force: {
    description: 'Overwrite the file when it exists',
    default: 'false',
    schema: zBool,
  },
  app: {
    description: "The app's name in the starter (default: the name of the file's directory)",
    schema: zPattern(
      /^[a-z0-9][a-z0-9-]{0,62}$/,
      'expected lowercase letters, digits and "-" (at most 63, like "shop")',
    ),
  },
} satisfies Record<string, InputSpec>;

export const initAction = defineAction({
  name: 'init',
  summary: 'Write a commented starter runbook.yml (--path FILE, --app NAME, --force to overwrite)',
  inputs: initInputs,
  cliOnly: true,
  main: async (run) => (await import('../init.js')).runInit(run),
});
