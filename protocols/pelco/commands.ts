/**
 * The PELCO command vocabulary as a discriminated union on `kind`.
 *
 * One union serves both dialects: PELCO-D and PELCO-P carry the same commands in different
 * frames. Values are the protocol's own (speeds 0–63, positions in hundredths of a degree,
 * zoom position on the profile's user scale, which the codec converts to the wire's); what
 * devices disagree on lives in a DeviceProfile.
 */

export type PanDirection = 'left' | 'right';
export type TiltDirection = 'up' | 'down';
export type ZoomDirection = 'tele' | 'wide';
export type FocusDirection = 'near' | 'far';
export type IrisDirection = 'open' | 'close';
/** Pan speed 0–63, or 'turbo' (0xFF in PELCO-D, 0x40 in PELCO-P). */
export type PanSpeed = number | 'turbo';
/** Value of the 0x2B / 0x2D / 0x2F "auto" commands; which of these a device knows is a profile matter. */
export type AutoMode = 'auto' | 'on' | 'off';

/** Combined continuous motion: any mix of pan, tilt, zoom, focus and iris in one frame. */
export interface MoveCommand {
  kind: 'move';
  pan?: PanDirection;
  tilt?: TiltDirection;
  panSpeed: PanSpeed;
  tiltSpeed: number;
  zoom?: ZoomDirection;
  focus?: FocusDirection;
  iris?: IrisDirection;
  /** Rare: a standard frame that also switches the camera on/off. */
  power?: 'on' | 'off';
  /** Rare: a standard frame that also switches auto/manual scan. */
  scan?: 'auto' | 'manual';
}

export type PelcoCommand =
  | { kind: 'stop' }
  | MoveCommand
  | { kind: 'camera-power'; on: boolean }
  | { kind: 'scan'; mode: 'auto' | 'manual' }
  | { kind: 'preset-set'; preset: number }
  | { kind: 'preset-clear'; preset: number }
  | { kind: 'preset-goto'; preset: number }
  | { kind: 'aux-set'; aux: number }
  | { kind: 'aux-clear'; aux: number }
  | { kind: 'remote-reset' }
  | { kind: 'zone-start'; zone: number }
  | { kind: 'zone-end'; zone: number }
  | { kind: 'screen-write'; column: number; char: number }
  | { kind: 'screen-clear' }
  | { kind: 'alarm-ack'; alarm: number }
  | { kind: 'zone-scan-on' }
  | { kind: 'zone-scan-off' }
  | { kind: 'pattern-start'; pattern: number }
  | { kind: 'pattern-stop'; pattern: number }
  | { kind: 'pattern-run'; pattern: number }
  | { kind: 'zoom-speed'; speed: number }
  | { kind: 'focus-speed'; speed: number }
  | { kind: 'reset-defaults' }
  | { kind: 'auto-focus'; mode: AutoMode }
  | { kind: 'auto-iris'; mode: AutoMode }
  | { kind: 'agc'; mode: AutoMode }
  | { kind: 'backlight'; on: boolean }
  | { kind: 'auto-white-balance'; on: boolean }
  | { kind: 'set-pan'; position: number }
  | { kind: 'set-tilt'; position: number }
  | { kind: 'set-zoom'; position: number }
  | { kind: 'set-magnification'; value: number }
  | { kind: 'query-pan' }
  | { kind: 'query-tilt' }
  | { kind: 'query-zoom' }
  | { kind: 'query-magnification' }
  // device -> host replies
  | { kind: 'pan-position'; position: number }
  | { kind: 'tilt-position'; position: number }
  | { kind: 'zoom-position'; position: number }
  | { kind: 'magnification'; value: number };

export type PelcoCommandKind = PelcoCommand['kind'];
export type CommandOf<K extends PelcoCommandKind> = Extract<PelcoCommand, { kind: K }>;

/** Replies a device sends to a query, by the query that asks for them. */
export const REPLY_FOR_QUERY = {
  'query-pan': 'pan-position',
  'query-tilt': 'tilt-position',
  'query-zoom': 'zoom-position',
  'query-magnification': 'magnification',
} as const satisfies Partial<Record<PelcoCommandKind, PelcoCommandKind>>;

export type QueryKind = keyof typeof REPLY_FOR_QUERY;
export type ReplyKind = (typeof REPLY_FOR_QUERY)[QueryKind];
export type ReplyCommand = CommandOf<ReplyKind>;

export function isQuery(command: PelcoCommand): command is CommandOf<QueryKind> {
  return command.kind in REPLY_FOR_QUERY;
}

export function isReply(command: PelcoCommand): command is ReplyCommand {
  return (
    command.kind === 'pan-position' ||
    command.kind === 'tilt-position' ||
    command.kind === 'zoom-position' ||
    command.kind === 'magnification'
  );
}

/** The 16-bit value a reply carries, whatever its kind. */
export function replyValue(reply: ReplyCommand): number {
  return reply.kind === 'magnification' ? reply.value : reply.position;
}

/**
 * The one motion classification, used by the bus queue, the scheduler and the CLI: true for a
 * command that starts or continues motion that only a stop (or arrival) ends. Continuous moves
 * with any axis running, auto scan, running a pattern, zone scan, going to a preset and every
 * absolute position are motion; a `move` with no axis (the standard "all stop" frame shape) is not.
 */
export function startsMotion(command: PelcoCommand): boolean {
  switch (command.kind) {
    case 'move':
      return (
        command.pan !== undefined ||
        command.tilt !== undefined ||
        command.zoom !== undefined ||
        command.focus !== undefined ||
        command.iris !== undefined ||
        command.scan === 'auto'
      );
    case 'scan':
      return command.mode === 'auto';
    case 'pattern-run':
    case 'zone-scan-on':
    case 'preset-goto':
    case 'set-pan':
    case 'set-tilt':
    case 'set-zoom':
    case 'set-magnification':
      return true;
    default:
      return false;
  }
}

/** Motion that runs until stopped (as opposed to absolute motion, which ends on arrival). */
export function isContinuousMotion(command: PelcoCommand): boolean {
  return startsMotion(command) && !isAbsoluteMotion(command);
}

/** Motion towards a target: it ends by itself on arrival, unless a stop ends it first. */
export function isAbsoluteMotion(command: PelcoCommand): boolean {
  return (
    command.kind === 'preset-goto' ||
    command.kind === 'set-pan' ||
    command.kind === 'set-tilt' ||
    command.kind === 'set-zoom' ||
    command.kind === 'set-magnification'
  );
}
