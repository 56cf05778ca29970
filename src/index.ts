/**
 * zoomsync as a library. The PELCO codec is the stable surface; the serial, sync and HTTP
 * layers are exported as they land.
 */
export * from '../protocols/pelco/index.js';
export * from '../protocols/errors.js';
export * from '../protocols/http/common/capabilities.js';
export * from './devices/http/index.js';
