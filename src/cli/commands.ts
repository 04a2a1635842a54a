import { actionModules } from '../actions/catalog.js';
import type { ActionModule } from '../actions/module.js';

/** The CLI's commands by name: the action catalog, each under its own name. */
export const commands: Readonly<Record<string, ActionModule>> = Object.fromEntries(
  actionModules.map((m) => [m.name, m]),
);
