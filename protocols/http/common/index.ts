export * from './capabilities.js';
export * from './parse.js';
export * from './redact.js';
