/**
 * The rig file: one YAML file naming the serial lines, the zoom blocks on them and the sync
 * groups. See docs/config.md.
 */
export { loadRigConfig, parseRigConfig } from './loader.js';
export { resolvePassword } from './password.js';
export { rigConfigJsonSchema } from './json-schema.js';
export { serialLineOptions } from './line-settings.js';
export { formatConfigError, formatProblem, type RigProblem } from './problems.js';
export { RIG_FILE_SCHEMA, type RigFileInput } from './schema.js';
export type { BlockConfig, BlockLimits, GroupConfig, HttpFaceConfig, LineConfig, PasswordSource, RigConfig, TrackConfig } from './types.js';
