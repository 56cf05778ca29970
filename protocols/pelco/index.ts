export * from './commands.js';
export * from './profile.js';
export * from './frame.js';
export { encode, encodePayload, decode, decodeChecked, addressByte, cameraNumber } from './codec.js';
export type { EncodeOptions, PelcoFrame, DecodeResult, DecodeFailureReason } from './codec.js';
export { EXTENDED_CODECS } from './extended.js';
export * from './reader.js';
export * from './stream.js';
export { describeCommand } from './describe.js';
