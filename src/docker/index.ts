/** A Docker Engine API client (undici): Unix socket, mutual-TLS TCP or a stream through SSH. */
export { DockerClient } from './client.js';
export { connectDocker } from './connect.js';
export { DockerApiError, isConflict, isNotFound } from './errors.js';
export type * from './types.js';
