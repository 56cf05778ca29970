/**
 * Extended commands: p1 (cmd2 in PELCO-D, data2 in PELCO-P) is an odd opcode, p0 is zero, and
 * the last two payload bytes carry the argument. One table serves encoder and decoder, so the
 * two can never disagree about an opcode or a range.
 */
import { InvalidArgumentError } from '../errors.js';
import type { AutoMode, PelcoCommand, PelcoCommandKind } from './commands.js';
import { type DeviceProfile, zoomFromWire, zoomToWire } from './profile.js';
import { oneOfProblem, rangeProblem } from './validate.js';

export interface ExtendedCodec {
  readonly kind: PelcoCommandKind;
  readonly opcode: number;
  /** The two argument bytes, or the problem with the command's values. */
  toData(command: PelcoCommand, profile: DeviceProfile): readonly [number, number] | InvalidArgumentError;
  /** The command these argument bytes mean, or the problem with them. */
  fromData(d1: number, d2: number, profile: DeviceProfile): PelcoCommand | InvalidArgumentError;
}

type Fields = Record<string, unknown>;
const field = (command: PelcoCommand, name: string): unknown => (command as unknown as Fields)[name];
const make = (kind: PelcoCommandKind, extra: Fields = {}): PelcoCommand => ({ kind, ...extra }) as PelcoCommand;

function zeroProblem(kind: string, name: string, value: number): InvalidArgumentError | undefined {
  return value === 0 ? undefined : new InvalidArgumentError(`${kind} ${name}`, value, '0 (unused byte)');
}

/** A command without argument: both data bytes zero. */
function bare(kind: PelcoCommandKind, opcode: number): ExtendedCodec {
  return {
    kind,
    opcode,
    toData: () => [0, 0],
    fromData: (d1, d2) => zeroProblem(kind, 'data1', d1) ?? zeroProblem(kind, 'data2', d2) ?? make(kind),
  };
}

/** A command whose argument is one byte in data2 (data1 zero). */
function byteArg(kind: PelcoCommandKind, opcode: number, name: string, min: number, max: number): ExtendedCodec {
  return {
    kind,
    opcode,
    toData: (command) => {
      const value = field(command, name);
      return rangeProblem(`${kind} ${name}`, value, min, max) ?? [0, value as number];
    },
    fromData: (d1, d2) => zeroProblem(kind, 'data1', d1) ?? rangeProblem(`${kind} ${name}`, d2, min, max) ?? make(kind, { [name]: d2 }),
  };
}

/** A command whose argument is a 16-bit big-endian value over data1 (MSB) and data2 (LSB). */
function wordArg(kind: PelcoCommandKind, opcode: number, name: string, max: (profile: DeviceProfile) => number): ExtendedCodec {
  return {
    kind,
    opcode,
    toData: (command, profile) => {
      const value = field(command, name);
      return rangeProblem(`${kind} ${name}`, value, 0, max(profile)) ?? [(value as number) >> 8, (value as number) & 0xff];
    },
    fromData: (d1, d2, profile) => {
      const value = (d1 << 8) | d2;
      return rangeProblem(`${kind} ${name}`, value, 0, max(profile)) ?? make(kind, { [name]: value });
    },
  };
}

/**
 * A zoom position: the command holds the user's scale (0–zoomPositionMax), the wire the
 * profile's wire scale (0–zoomWireMax, pelco.md's fraction x 65535). A wire value beyond the
 * wire scale is refused, not clamped.
 */
function zoomArg(kind: 'set-zoom' | 'zoom-position', opcode: number): ExtendedCodec {
  return {
    kind,
    opcode,
    toData: (command, profile) => {
      const value = field(command, 'position');
      const problem = rangeProblem(`${kind} position`, value, 0, profile.zoomPositionMax);
      if (problem) return problem;
      const wire = zoomToWire(value as number, profile);
      return [wire >> 8, wire & 0xff];
    },
    fromData: (d1, d2, profile) => {
      const wire = (d1 << 8) | d2;
      return (
        rangeProblem(`${kind} wire value`, wire, 0, profile.zoomWireMax) ??
        make(kind, { position: zoomFromWire(wire, profile) })
      );
    },
  };
}

/** An enumerated argument in data2 whose byte values the device profile decides. */
function enumArg<T extends string | boolean>(
  kind: PelcoCommandKind,
  opcode: number,
  name: string,
  table: (profile: DeviceProfile) => { readonly values: ReadonlyMap<T, number>; readonly label: string },
  /** Byte value for which no table entry exists, read leniently (e.g. "any non-zero is on"). */
  fallback?: (d2: number, profile: DeviceProfile) => T | undefined,
): ExtendedCodec {
  return {
    kind,
    opcode,
    toData: (command, profile) => {
      const { values, label } = table(profile);
      const value = field(command, name) as T;
      const byte = values.get(value);
      return byte === undefined ? oneOfProblem(`${kind} ${name}`, value, [...values.keys()], ` (${label})`)! : [0, byte];
    },
    fromData: (d1, d2, profile) => {
      const { values, label } = table(profile);
      for (const [value, byte] of values) if (byte === d2) return zeroProblem(kind, 'data1', d1) ?? make(kind, { [name]: value });
      const lenient = fallback?.(d2, profile);
      if (lenient !== undefined) return zeroProblem(kind, 'data1', d1) ?? make(kind, { [name]: lenient });
      return new InvalidArgumentError(`${kind} value`, d2, `one of ${[...values.values()].join(', ')} (${label})`);
    },
  };
}

const AUTO_MODE_TABLES = {
  '1999': { values: new Map<AutoMode, number>([['auto', 0], ['on', 1], ['off', 2]]), label: '1999 table: 0 auto, 1 on, 2 off' },
  '2012': { values: new Map<AutoMode, number>([['auto', 0], ['off', 1]]), label: '2012 table: 0 auto, 1 off' },
} as const;
const autoModes = (profile: DeviceProfile) => AUTO_MODE_TABLES[profile.autoModeTable];

const BACKLIGHT_TABLES = {
  older: { values: new Map<boolean, number>([[false, 1], [true, 2]]), label: 'older table: 1 off, 2 on' },
  newer: { values: new Map<boolean, number>([[false, 0], [true, 1]]), label: 'newer table: 0 off, non-zero on' },
} as const;
const AWB_TABLE = { values: new Map<boolean, number>([[true, 1], [false, 2]]), label: '1 on, 2 off' };

const DEGREES_MAX = 35999; // hundredths of a degree
const WORD_MAX = () => 0xffff;
const fixed = (value: number) => () => value;

const screenWrite: ExtendedCodec = {
  kind: 'screen-write',
  opcode: 0x15,
  toData: (command) => {
    const column = field(command, 'column');
    const char = field(command, 'char');
    return rangeProblem('screen-write column', column, 0, 39) ?? rangeProblem('screen-write char', char, 0, 255) ?? [column as number, char as number];
  },
  fromData: (d1, d2) => rangeProblem('screen-write column', d1, 0, 39) ?? { kind: 'screen-write', column: d1, char: d2 },
};

export const EXTENDED_CODECS: readonly ExtendedCodec[] = [
  byteArg('preset-set', 0x03, 'preset', 1, 255),
  byteArg('preset-clear', 0x05, 'preset', 1, 255),
  byteArg('preset-goto', 0x07, 'preset', 1, 255),
  byteArg('aux-set', 0x09, 'aux', 1, 8),
  byteArg('aux-clear', 0x0b, 'aux', 1, 8),
  bare('remote-reset', 0x0f),
  byteArg('zone-start', 0x11, 'zone', 1, 8),
  byteArg('zone-end', 0x13, 'zone', 1, 8),
  screenWrite,
  bare('screen-clear', 0x17),
  byteArg('alarm-ack', 0x19, 'alarm', 1, 255),
  bare('zone-scan-on', 0x1b),
  bare('zone-scan-off', 0x1d),
  byteArg('pattern-start', 0x1f, 'pattern', 0, 255),
  byteArg('pattern-stop', 0x21, 'pattern', 0, 255),
  byteArg('pattern-run', 0x23, 'pattern', 0, 255),
  byteArg('zoom-speed', 0x25, 'speed', 0, 3),
  byteArg('focus-speed', 0x27, 'speed', 0, 3),
  bare('reset-defaults', 0x29),
  enumArg('auto-focus', 0x2b, 'mode', autoModes),
  enumArg('auto-iris', 0x2d, 'mode', autoModes),
  enumArg('agc', 0x2f, 'mode', autoModes),
  enumArg('backlight', 0x31, 'on', (p) => BACKLIGHT_TABLES[p.backlightTable], (d2, p) =>
    p.backlightTable === 'newer' && d2 !== 0 ? true : undefined,
  ),
  enumArg('auto-white-balance', 0x33, 'on', () => AWB_TABLE),
  wordArg('set-pan', 0x4b, 'position', fixed(DEGREES_MAX)),
  wordArg('set-tilt', 0x4d, 'position', fixed(DEGREES_MAX)),
  zoomArg('set-zoom', 0x4f),
  bare('query-pan', 0x51),
  bare('query-tilt', 0x53),
  bare('query-zoom', 0x55),
  wordArg('pan-position', 0x59, 'position', fixed(DEGREES_MAX)),
  wordArg('tilt-position', 0x5b, 'position', fixed(DEGREES_MAX)),
  zoomArg('zoom-position', 0x5d),
  wordArg('set-magnification', 0x5f, 'value', WORD_MAX),
  bare('query-magnification', 0x61),
  wordArg('magnification', 0x63, 'value', WORD_MAX),
];

const byKind = new Map<PelcoCommandKind, ExtendedCodec>(EXTENDED_CODECS.map((c) => [c.kind, c]));
// Indexed by opcode for the decoder's hot path.
const byOpcode: (ExtendedCodec | undefined)[] = new Array(256).fill(undefined);
for (const codec of EXTENDED_CODECS) byOpcode[codec.opcode] = codec;

export function extendedCodecForKind(kind: PelcoCommandKind): ExtendedCodec | undefined {
  return byKind.get(kind);
}

export function extendedCodecForOpcode(opcode: number): ExtendedCodec | undefined {
  return byOpcode[opcode];
}
