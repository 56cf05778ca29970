export * from './api.js';
export * from './errors.js';
export * as cgiActionSchemas from './schemas.js';
