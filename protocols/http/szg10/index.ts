export * from './api.js';
export * as szg10Schemas from './schemas.js';
export * from './errors.js';
