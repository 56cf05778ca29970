export * from './api.js';
export * from './errors.js';
export * from './multipart.js';
export * from './resources.js';
export * from './xml.js';
export * as bview2Schemas from './schemas.js';
