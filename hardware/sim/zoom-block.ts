/**
 * The UART face of a simulated SZ-G10: PELCO frames in, lens (and pan/tilt) changes and reply
 * frames out. No I/O here: SimulatedBus (sim-bus.ts) carries the bytes and applies the faults
 * that concern timing; this class decides what a frame does and what the block answers.
 *
 * The lens is a SimulatedLens that the HTTP face of the same block may share, so both faces see
 * the same zoom and focus.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import {
  DEFAULT_PROFILE,
  type Dialect,
  type DeviceProfile,
  encode,
  type PelcoCommand,
  type PelcoFrame,
  profileProblem,
  type ReplyCommand,
} from '../../protocols/pelco/index.js';
import { SimulatedLens, ZOOM_MAX } from './lens-model.js';
import { PanTiltModel } from './pan-tilt-model.js';

/** Faults a test can switch on; each takes effect from the next frame. */
export interface BlockFaults {
  /** Drop this many of the next replies (Infinity: all). */
  dropReplies?: number;
  /** Flip one byte of this many of the next replies, so their checksum fails. */
  corruptReplies?: number;
  /** Send replies this late, in ms. */
  replyDelayMs?: number;
  /** Answer as this address instead of our own. */
  wrongAddress?: number;
  /** Ignore everything: no motion, no replies (a dead or unpowered block). */
  silent?: boolean;
}

export interface ZoomBlockOptions {
  address: number;
  dialect?: Dialect;
  /** Default DEFAULT_PROFILE (sz-g10). */
  profile?: DeviceProfile;
  /** Share a lens with the HTTP face; a new one otherwise. */
  lens?: SimulatedLens;
  panTilt?: PanTiltModel;
}

export interface BlockReply {
  bytes: Uint8Array;
  delayMs: number;
}

export interface BlockCounters {
  /** Frames addressed to this block (or broadcast) that it acted on. */
  frames: number;
  /** Checksum-valid frames addressed to this block (or broadcast) that its profile refuses: not acted on. */
  refused: number;
  replies: number;
  droppedReplies: number;
  corruptedReplies: number;
}

export class SimulatedZoomBlock {
  readonly address: number;
  readonly dialect: Dialect;
  readonly profile: DeviceProfile;
  readonly lens: SimulatedLens;
  readonly panTilt: PanTiltModel;
  faults: BlockFaults = {};
  readonly counters: BlockCounters = { frames: 0, refused: 0, replies: 0, droppedReplies: 0, corruptedReplies: 0 };
  /** Which lens axes a continuous move is driving, so a move without that bit stops only those. */
  private zoomDriven = false;
  private focusDriven = false;

  constructor(options: ZoomBlockOptions) {
    this.address = options.address;
    this.dialect = options.dialect ?? 'D';
    this.profile = options.profile ?? DEFAULT_PROFILE;
    const problem = profileProblem(this.profile);
    if (problem) throw new InvalidArgumentError('profile', this.profile.name, 'a consistent device profile', problem);
    this.lens = options.lens ?? new SimulatedLens();
    this.panTilt = options.panTilt ?? new PanTiltModel();
    encode({ kind: 'stop' }, { dialect: this.dialect, address: this.address, profile: this.profile }); // validates the address
  }

  /** Whether this block acts on a frame (its address and dialect, or a broadcast). */
  accepts(frame: PelcoFrame): boolean {
    return frame.dialect === this.dialect && (frame.broadcast || frame.address === this.address);
  }

  /**
   * Counts a frame its profile refuses, when it was meant for this block; true if it was.
   * A refused frame is never acted on: the block keeps doing what it did.
   */
  countRefused(frame: Pick<PelcoFrame, 'dialect' | 'broadcast'> & { address: number | undefined }): boolean {
    if (this.faults.silent || frame.dialect !== this.dialect || !(frame.broadcast || frame.address === this.address)) return false;
    this.counters.refused++;
    return true;
  }

  /** Acts on a frame this block accepts; returns the reply to send, if any. */
  handle(frame: PelcoFrame): BlockReply | undefined {
    if (this.faults.silent || !this.accepts(frame)) return undefined;
    this.counters.frames++;
    const reply = this.apply(frame.command);
    // Broadcast frames are never answered: every block would talk at once.
    if (!reply || frame.broadcast) return undefined;
    return this.wrap(reply);
  }

  private apply(command: PelcoCommand): ReplyCommand | undefined {
    const lens = this.lens;
    const zoomMax = this.profile.zoomPositionMax;
    switch (command.kind) {
      case 'stop':
        lens.stop();
        this.panTilt.stop();
        this.zoomDriven = this.focusDriven = false;
        return undefined;
      case 'move':
        if (command.zoom) lens.zoomContinuous(command.zoom);
        else if (this.zoomDriven) lens.stopZoom();
        if (command.focus) lens.focusContinuous(command.focus);
        else if (this.focusDriven) lens.stopFocus();
        this.zoomDriven = command.zoom !== undefined;
        this.focusDriven = command.focus !== undefined;
        this.panTilt.move(command.pan, command.panSpeed, command.tilt, command.tiltSpeed);
        return undefined;
      case 'preset-set':
        lens.savePreset(command.preset);
        return undefined;
      case 'preset-clear':
        lens.clearPreset(command.preset);
        return undefined;
      case 'preset-goto':
        lens.recallPreset(command.preset);
        return undefined;
      case 'zoom-speed':
        lens.setZoomSpeed(command.speed);
        return undefined;
      case 'focus-speed':
        lens.setFocusSpeed(command.speed);
        return undefined;
      case 'auto-focus':
        lens.setFocusMode(command.mode === 'off' ? 'manual' : 'auto');
        return undefined;
      case 'set-zoom':
        lens.zoomTo((command.position * ZOOM_MAX) / zoomMax);
        return undefined;
      case 'set-magnification':
        lens.magnifyTo(command.value / this.profile.magnificationUnit);
        return undefined;
      case 'set-pan':
        this.panTilt.panTo(command.position);
        return undefined;
      case 'set-tilt':
        this.panTilt.tiltTo(command.position);
        return undefined;
      case 'remote-reset':
        lens.home();
        return undefined;
      case 'query-pan':
        return { kind: 'pan-position', position: this.panTilt.pan };
      case 'query-tilt':
        return { kind: 'tilt-position', position: this.panTilt.tilt };
      case 'query-zoom':
        return { kind: 'zoom-position', position: Math.round((lens.zoom * zoomMax) / ZOOM_MAX) };
      case 'query-magnification':
        return { kind: 'magnification', value: Math.round(this.profile.magnificationUnit * lens.magnification) };
      default:
        return undefined; // accepted and ignored, as a block ignores what it does not implement
    }
  }

  private wrap(reply: ReplyCommand): BlockReply | undefined {
    const f = this.faults;
    if (f.dropReplies && f.dropReplies > 0) {
      f.dropReplies--;
      this.counters.droppedReplies++;
      return undefined;
    }
    const bytes = encode(reply, { dialect: this.dialect, address: f.wrongAddress ?? this.address, profile: this.profile });
    if (f.corruptReplies && f.corruptReplies > 0) {
      f.corruptReplies--;
      this.counters.corruptedReplies++;
      bytes[4]! ^= 0x01; // a data byte: the checksum no longer matches
    }
    this.counters.replies++;
    return { bytes, delayMs: f.replyDelayMs ?? 0 };
  }
}
