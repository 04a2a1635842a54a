/**
 * The parsed config types in one import. Code imports values from their modules: loading from loader.ts, the schema
 * from schema.ts, units from units.ts, version constraints from version.ts.
 */
export type * from './schema.js';
