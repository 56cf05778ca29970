export * from './api.js';
export * from './errors.js';
export * as jsonApiSchemas from './schemas.js';
