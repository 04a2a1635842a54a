/** A Docker Engine API client (undici): Unix socket, mutual-TLS TCP or a stream through SSH. */
export { DockerClient } from './client.js';
export { connectDocker, endpointLabel } from './connect.js';
export { DockerApiError, isConflict, isNotFound } from './errors.js';
export type * from './types.js';
export { MAX_API_VERSION, MIN_API_VERSION, negotiateApiVersion, parseDockerHost } from './wire.js';
