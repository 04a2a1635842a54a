/** Public API of the config module: load `runbook.yml`, pick an environment, and the parsed types. */
export { checksFor, environmentOf, loadConfig, parseConfig } from './loader.js';
export { ConfigFileError, type ConfigProblem, formatProblem } from './problems.js';
export * from './schema.js';
export { parseDuration, parsePercent, parseRate, parseSize } from './units.js';
export { parseConstraint, parseVersion, satisfies } from './version.js';
