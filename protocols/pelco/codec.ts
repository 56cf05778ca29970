/**
 * encode(command) -> frame bytes, decode(frame bytes) -> typed frame or typed reason.
 *
 * encode throws InvalidArgumentError (naming field, value and range) or NotSupportedError.
 * decode never throws: a frame it cannot read comes back as { ok: false, reason, message }.
 */
import { InvalidArgumentError } from '../errors.js';
import type { PelcoCommand } from './commands.js';
import { extendedCodecForKind, extendedCodecForOpcode } from './extended.js';
import {
  buildFrame,
  type Dialect,
  PELCO_D_LENGTH,
  PELCO_D_SYNC,
  PELCO_P_ETX,
  PELCO_P_LENGTH,
  PELCO_P_STX,
  pelcoDChecksum,
  pelcoPChecksum,
} from './frame.js';
import { DEFAULT_PROFILE, type DeviceProfile } from './profile.js';
import { decodeStandard, encodeStandard } from './standard.js';

export interface EncodeOptions {
  /** 'D' (7-byte frames, the default) or 'P' (8-byte frames). */
  dialect?: Dialect;
  /** The camera number a user sees: 1–255 in PELCO-D, 1–pelcoPMaxCamera in PELCO-P. */
  address: number;
  /** Default SZ_G10_PROFILE (DEFAULT_PROFILE); GENERIC_PROFILE is opt-in. */
  profile?: DeviceProfile;
}

export interface PelcoFrame {
  dialect: Dialect;
  /** Camera number (for PELCO-P already translated from the wire byte by the profile). */
  address: number;
  /** True when the address is the profile's broadcast address (PELCO-D 0xFF). */
  broadcast: boolean;
  command: PelcoCommand;
}

export type DecodeFailureReason =
  | 'bad-length'
  | 'bad-sync'
  | 'bad-checksum'
  | 'bad-address'
  | 'unknown-opcode'
  | 'bad-value';

export type DecodeResult =
  | { ok: true; frame: PelcoFrame }
  | { ok: false; reason: DecodeFailureReason; message: string };

/** The wire address byte of a camera number under a dialect and profile. Throws when out of range. */
export function addressByte(dialect: Dialect, address: number, profile: DeviceProfile = DEFAULT_PROFILE): number {
  if (dialect === 'D') {
    if (!Number.isInteger(address) || address < 1 || address > 255) {
      throw new InvalidArgumentError('address', address, 'a camera number 1–255 in PELCO-D', '0 is not a camera');
    }
    return address;
  }
  if (!Number.isInteger(address) || address < 1 || address > profile.pelcoPMaxCamera) {
    throw new InvalidArgumentError('address', address, `a camera number 1–${profile.pelcoPMaxCamera} in PELCO-P`);
  }
  return address - 1 + profile.pelcoPAddressBase;
}

/** The camera number a wire address byte stands for, or undefined when no camera has that byte. */
export function cameraNumber(dialect: Dialect, byte: number, profile: DeviceProfile = DEFAULT_PROFILE): number | undefined {
  if (dialect === 'D') return byte === 0 ? undefined : byte;
  const camera = byte - profile.pelcoPAddressBase + 1;
  return camera >= 1 && camera <= profile.pelcoPMaxCamera ? camera : undefined;
}

export function encode(command: PelcoCommand, options: EncodeOptions): Uint8Array {
  const dialect = options.dialect ?? 'D';
  if (dialect !== 'D' && dialect !== 'P') throw new InvalidArgumentError('dialect', dialect, '"D" or "P"');
  const profile = options.profile ?? DEFAULT_PROFILE;
  const addr = addressByte(dialect, options.address, profile);
  const [p0, p1, p2, p3] = encodePayload(command, dialect, profile);
  return buildFrame(dialect, addr, p0, p1, p2, p3);
}

/** The four payload bytes after the address. Throws on values out of range. */
export function encodePayload(command: PelcoCommand, dialect: Dialect, profile: DeviceProfile): [number, number, number, number] {
  switch (command.kind) {
    case 'stop':
    case 'move':
    case 'camera-power':
    case 'scan':
      return encodeStandard(command, dialect, profile);
    default: {
      const codec = extendedCodecForKind(command.kind);
      if (!codec) throw new InvalidArgumentError('command kind', (command as { kind: unknown }).kind, 'a PELCO command kind');
      const data = codec.toData(command, profile);
      if (data instanceof InvalidArgumentError) throw data;
      return [0, codec.opcode, data[0], data[1]];
    }
  }
}

/** Decodes one whole frame (7 bytes PELCO-D, 8 bytes PELCO-P; the sync byte says which). */
export function decode(bytes: ArrayLike<number>, options: { profile?: DeviceProfile } = {}): DecodeResult {
  const profile = options.profile ?? DEFAULT_PROFILE;
  if (bytes == null || typeof bytes.length !== 'number') return fail('bad-length', 'expected the bytes of one frame');
  // Read by index, not by destructuring: any ArrayLike will do, not only iterables. A number
  // array may hold non-bytes (257 would otherwise decode as camera 257).
  for (let i = 0; i < bytes.length && i < PELCO_P_LENGTH; i++) {
    const value = bytes[i];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xff) {
      return fail('bad-value', `byte ${i} is ${String(value)}, not a byte 0–255`);
    }
  }
  const sync = bytes[0];
  const addr = bytes[1];
  const p0 = bytes[2];
  const p1 = bytes[3];
  const p2 = bytes[4];
  const p3 = bytes[5];
  const b6 = bytes[6];
  const b7 = bytes[7];
  if (sync === PELCO_D_SYNC) {
    if (bytes.length !== PELCO_D_LENGTH) return fail('bad-length', `a PELCO-D frame is 7 bytes, got ${bytes.length}`);
    const expected = pelcoDChecksum(addr!, p0!, p1!, p2!, p3!);
    if (b6 !== expected) return fail('bad-checksum', `checksum is ${hex(b6!)}, expected ${hex(expected)}`);
    return decodeChecked('D', addr!, p0!, p1!, p2!, p3!, profile);
  }
  if (sync === PELCO_P_STX) {
    if (bytes.length !== PELCO_P_LENGTH) return fail('bad-length', `a PELCO-P frame is 8 bytes, got ${bytes.length}`);
    if (b6 !== PELCO_P_ETX) return fail('bad-sync', `PELCO-P byte 7 must be ETX 0xAF, got ${hex(b6!)}`);
    const expected = pelcoPChecksum(addr!, p0!, p1!, p2!, p3!);
    if (b7 !== expected) return fail('bad-checksum', `checksum is ${hex(b7!)}, expected ${hex(expected)}`);
    return decodeChecked('P', addr!, p0!, p1!, p2!, p3!, profile);
  }
  return fail('bad-sync', `a frame starts with 0xFF (PELCO-D) or 0xA0 (PELCO-P), got ${sync === undefined ? 'nothing' : hex(sync)}`);
}

/** Decodes a frame whose framing and checksum were already verified (the frame reader's path). */
export function decodeChecked(
  dialect: Dialect,
  addr: number,
  p0: number,
  p1: number,
  p2: number,
  p3: number,
  profile: DeviceProfile,
): DecodeResult {
  const address = cameraNumber(dialect, addr, profile);
  if (address === undefined) return fail('bad-address', `address byte ${hex(addr)} is no camera in PELCO-${dialect} under profile ${profile.name}`);

  let command: PelcoCommand | InvalidArgumentError;
  if ((p1 & 1) === 0) {
    command = decodeStandard(dialect, p0, p1, p2, p3, profile);
  } else {
    const codec = extendedCodecForOpcode(p1);
    if (!codec) return fail('unknown-opcode', `extended opcode ${hex(p1)} is not a PELCO command`);
    if (p0 !== 0) return fail('unknown-opcode', `extended opcode ${hex(p1)} with ${dialect === 'D' ? 'cmd1' : 'data1'} ${hex(p0)} (expected 0x00)`);
    command = codec.fromData(p2, p3, profile);
  }
  if (command instanceof InvalidArgumentError) return fail('bad-value', command.message);
  return {
    ok: true,
    frame: { dialect, address, broadcast: dialect === 'D' && addr === 0xff && profile.broadcastAddress, command },
  };
}

function fail(reason: DecodeFailureReason, message: string): DecodeResult {
  return { ok: false, reason, message };
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}
