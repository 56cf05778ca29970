/**
 * The contract between a serial line and the bus scheduler that drives it.
 *
 * SerialLine implements it over serialport; tests and benchmarks may implement it too. The
 * scheduler only needs to write frames, know the line's speed for pacing, and hear the bytes
 * that come back.
 */
import type { EventEmitter } from 'node:events';
import type { ZoomsyncError } from '../../protocols/errors.js';

export interface ReconnectInfo {
  /** 1 for the first retry after a failure. */
  attempt: number;
  /** How long the line waits before this attempt. */
  delayMs: number;
  /** What made the line close or fail to open. */
  cause: ZoomsyncError;
}

export interface FrameLineEvents {
  /** Bytes received from the devices (never our own echo on a half-duplex RS-485 line). */
  data: [chunk: Buffer];
  open: [];
  close: [cause?: ZoomsyncError];
  reconnecting: [info: ReconnectInfo];
  error: [error: ZoomsyncError];
}

export interface FrameLine extends EventEmitter<FrameLineEvents> {
  /** A name for logs and errors (the port path). */
  readonly name: string;
  readonly baudRate: number;
  /** Time the line needs after each transmission before the next (RS-485 turnaround), in ms. */
  readonly turnaroundMs: number;
  readonly isOpen: boolean;
  /**
   * Sends bytes; resolves once they have left the OS buffer (drain) and any RS-485 direction
   * switch is done. Rejects with a ZoomsyncError (ZS_LINE_CLOSED, ZS_LINE_WRITE_FAILED).
   */
  write(bytes: Uint8Array): Promise<void>;
}
