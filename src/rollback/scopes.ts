/** What a rollback can restore: the containers and upstream, the upstream only, the schema, the database. */
export const ROLLBACK_SCOPES = ['image', 'traffic', 'migration', 'database'] as const;
export type RollbackScope = (typeof ROLLBACK_SCOPES)[number];
