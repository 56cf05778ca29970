/**
 * Standard (bit-mapped) commands: directions, zoom, focus, iris, camera power and scan, with
 * pan and tilt speeds. The two dialects put the same bits in different places; each Layout
 * says where, as masks over the 16-bit word (p0 << 8 | p1).
 */
import { InvalidArgumentError, NotSupportedError } from '../errors.js';
import type { MoveCommand, PelcoCommand } from './commands.js';
import type { Dialect } from './frame.js';
import type { DeviceProfile } from './profile.js';
import { rangeProblem } from './validate.js';

type Switches = { power?: 'on' | 'off'; scan?: 'auto' | 'manual' };

interface Layout {
  readonly focusNear: number;
  readonly focusFar: number;
  readonly irisOpen: number;
  readonly irisClose: number;
  readonly panRight: number;
  readonly panLeft: number;
  readonly tiltUp: number;
  readonly tiltDown: number;
  readonly zoomTele: number;
  readonly zoomWide: number;
  /** Bits that must be zero. */
  readonly reserved: number;
  /** The pan speed byte that means turbo. */
  readonly turbo: number;
  encodeSwitches(switches: Switches): number | InvalidArgumentError | NotSupportedError;
  decodeSwitches(word: number): Switches | InvalidArgumentError;
}

// PELCO-D: one sense bit (cmd1 bit 7) qualifies both camera on/off (bit 3) and scan (bit 4).
const D_SENSE = 0x8000;
const D_SCAN = 0x1000;
const D_POWER = 0x0800;

const PELCO_D_LAYOUT: Layout = {
  focusNear: 0x0100,
  irisOpen: 0x0200,
  irisClose: 0x0400,
  focusFar: 0x0080,
  zoomWide: 0x0040,
  zoomTele: 0x0020,
  tiltDown: 0x0010,
  tiltUp: 0x0008,
  panLeft: 0x0004,
  panRight: 0x0002,
  reserved: 0x6000,
  turbo: 0xff,
  encodeSwitches({ power, scan }) {
    if (power === undefined && scan === undefined) return 0;
    const powerSense = power === undefined ? undefined : power === 'on';
    const scanSense = scan === undefined ? undefined : scan === 'auto';
    if (powerSense !== undefined && scanSense !== undefined && powerSense !== scanSense) {
      return new InvalidArgumentError(
        'power/scan',
        `${power}/${scan}`,
        'matching senses (on with auto, off with manual)',
        'PELCO-D has one sense bit for both; send them as two frames',
      );
    }
    const sense = powerSense ?? scanSense;
    return (sense ? D_SENSE : 0) | (power ? D_POWER : 0) | (scan ? D_SCAN : 0);
  },
  decodeSwitches(word) {
    const sense = (word & D_SENSE) !== 0;
    const hasPower = (word & D_POWER) !== 0;
    const hasScan = (word & D_SCAN) !== 0;
    // A sense bit with nothing to qualify is not forbidden by any source: it qualifies nothing
    // and the frame's motion stands.
    const out: Switches = {};
    if (hasPower) out.power = sense ? 'on' : 'off';
    if (hasScan) out.scan = sense ? 'auto' : 'manual';
    return out;
  },
};

// PELCO-P: data1 bit 4 camera on/off with bit 6 "camera on"; bit 5 auto scan on.
const P_ON = 0x4000;
const P_SCAN = 0x2000;
const P_POWER = 0x1000;

const PELCO_P_LAYOUT: Layout = {
  focusFar: 0x0100,
  focusNear: 0x0200,
  irisOpen: 0x0400,
  irisClose: 0x0800,
  zoomWide: 0x0040,
  zoomTele: 0x0020,
  tiltDown: 0x0010,
  tiltUp: 0x0008,
  panLeft: 0x0004,
  panRight: 0x0002,
  reserved: 0x8080,
  turbo: 0x40,
  encodeSwitches({ power, scan }) {
    if (scan === 'manual') {
      return new NotSupportedError('scan manual', 'PELCO-P', "PELCO-P has only 'auto scan on'; send stop to end a scan");
    }
    return (power === 'on' ? P_POWER | P_ON : power === 'off' ? P_POWER : 0) | (scan === 'auto' ? P_SCAN : 0);
  },
  decodeSwitches(word) {
    // Bit 6 "camera on" stands on its own (pelco.md); bit 4 "camera on/off" alone means off.
    const on = (word & P_ON) !== 0;
    const out: Switches = {};
    if (on || (word & P_POWER) !== 0) out.power = on ? 'on' : 'off';
    if ((word & P_SCAN) !== 0) out.scan = 'auto';
    return out;
  },
};

export function layoutOf(dialect: Dialect): Layout {
  return dialect === 'D' ? PELCO_D_LAYOUT : PELCO_P_LAYOUT;
}

/** The standard-command payload [p0, p1, p2, p3] for stop, move, camera-power and scan. */
export function encodeStandard(
  command: Extract<PelcoCommand, { kind: 'stop' | 'move' | 'camera-power' | 'scan' }>,
  dialect: Dialect,
  profile: DeviceProfile,
): [number, number, number, number] {
  const layout = layoutOf(dialect);
  const move: Partial<MoveCommand> & Switches =
    command.kind === 'move'
      ? command
      : command.kind === 'camera-power'
        ? { power: command.on ? 'on' : 'off' }
        : command.kind === 'scan'
          ? { scan: command.mode }
          : {};

  const switches = layout.encodeSwitches({ power: move.power, scan: move.scan });
  if (typeof switches !== 'number') throw switches;
  let word = switches;
  word |= pick('pan', move.pan, { left: layout.panLeft, right: layout.panRight });
  word |= pick('tilt', move.tilt, { up: layout.tiltUp, down: layout.tiltDown });
  word |= pick('zoom', move.zoom, { tele: layout.zoomTele, wide: layout.zoomWide });
  word |= pick('focus', move.focus, { near: layout.focusNear, far: layout.focusFar });
  word |= pick('iris', move.iris, { open: layout.irisOpen, close: layout.irisClose });

  const panSpeed = move.panSpeed ?? 0;
  const tiltSpeed = move.tiltSpeed ?? 0;
  let panByte: number;
  if (panSpeed === 'turbo') panByte = layout.turbo;
  else {
    const problem = rangeProblem('panSpeed', panSpeed, 0, profile.maxSpeed);
    if (problem) throw problem;
    panByte = panSpeed;
  }
  const tiltProblem = rangeProblem('tiltSpeed', tiltSpeed, 0, profile.maxSpeed);
  if (tiltProblem) throw tiltProblem;
  return [word >> 8, word & 0xff, panByte, tiltSpeed];
}

function pick(name: string, value: string | undefined, masks: Record<string, number>): number {
  if (value === undefined) return 0;
  const mask = masks[value];
  if (mask === undefined) {
    throw new InvalidArgumentError(name, value, `one of ${Object.keys(masks).map((k) => `"${k}"`).join(', ')}`);
  }
  return mask;
}

/** The command a standard payload means, or the problem with it. */
export function decodeStandard(
  dialect: Dialect,
  p0: number,
  p1: number,
  p2: number,
  p3: number,
  profile: DeviceProfile,
): PelcoCommand | InvalidArgumentError {
  const layout = layoutOf(dialect);
  const word = (p0 << 8) | p1;
  if (word === 0 && p2 === 0 && p3 === 0) return STOP;
  if (word & layout.reserved) return new InvalidArgumentError('reserved bits', word & layout.reserved, '0');

  const pan = both(word, layout.panLeft, layout.panRight, 'left', 'right');
  const tilt = both(word, layout.tiltUp, layout.tiltDown, 'up', 'down');
  const zoom = both(word, layout.zoomTele, layout.zoomWide, 'tele', 'wide');
  const focus = both(word, layout.focusNear, layout.focusFar, 'near', 'far');
  const iris = both(word, layout.irisOpen, layout.irisClose, 'open', 'close');
  if (pan === CONFLICT || tilt === CONFLICT || zoom === CONFLICT || focus === CONFLICT || iris === CONFLICT) {
    return new InvalidArgumentError('direction bits', word, 'at most one of each opposing pair (left/right, up/down, tele/wide, near/far, open/close)');
  }
  const switches = layout.decodeSwitches(word);
  if (switches instanceof InvalidArgumentError) return switches;

  const panSpeed = p2 === layout.turbo ? 'turbo' : p2;
  if (panSpeed !== 'turbo' && p2 > profile.maxSpeed) return rangeProblem('panSpeed', p2, 0, profile.maxSpeed)!;
  if (p3 > profile.maxSpeed) return rangeProblem('tiltSpeed', p3, 0, profile.maxSpeed)!;

  const motionless = !pan && !tilt && !zoom && !focus && !iris && p2 === 0 && p3 === 0;
  // e.g. a PELCO-D sense bit alone: nothing runs, nothing switches — the all-stop frame.
  if (motionless && !switches.power && !switches.scan) return STOP;
  if (motionless && switches.power && !switches.scan) return { kind: 'camera-power', on: switches.power === 'on' };
  if (motionless && switches.scan && !switches.power) return { kind: 'scan', mode: switches.scan };

  const move: MoveCommand = { kind: 'move', panSpeed, tiltSpeed: p3 };
  if (pan) move.pan = pan;
  if (tilt) move.tilt = tilt;
  if (zoom) move.zoom = zoom;
  if (focus) move.focus = focus;
  if (iris) move.iris = iris;
  if (switches.power) move.power = switches.power;
  if (switches.scan) move.scan = switches.scan;
  return move;
}

const STOP: PelcoCommand = Object.freeze({ kind: 'stop' }) as PelcoCommand;
const CONFLICT = 1;

function both<A extends string, B extends string>(word: number, maskA: number, maskB: number, a: A, b: B): A | B | undefined | typeof CONFLICT {
  const hasA = (word & maskA) !== 0;
  const hasB = (word & maskB) !== 0;
  if (hasA && hasB) return CONFLICT;
  return hasA ? a : hasB ? b : undefined;
}
