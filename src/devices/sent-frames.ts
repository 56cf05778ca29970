/**
 * Matches a block's frames to the scheduler's 'sent' events (by address and bytes), so a
 * command's report can say when its frame left. One watcher per scheduler, shared by every
 * block on that line (one 'sent' listener, however many blocks).
 */
import type { BusScheduler, SentFrame } from '../../hardware/serial/bus-scheduler.js';
import type { ZoomsyncError } from '../../protocols/errors.js';

interface Waiter {
  address: number;
  hex: string;
  /** A move: replaced (never sent) when a newer move or stop of its device comes. */
  move: boolean;
  stop: boolean;
  /** A stop's 'sent' time, kept until its write completes (a stop is reported once it is written). */
  sentAt?: number;
  /** The 'sent' time, or undefined for a stop held while the line is down. */
  resolve(at: number | undefined): void;
  reject(error: ZoomsyncError): void;
}

export interface SentExpectation {
  /** Resolves with the 'sent' event's `at` (undefined: a stop the scheduler holds for reopen). */
  readonly sent: Promise<number | undefined>;
  /** Gives up on the frame (its command failed or was cancelled). */
  fail(error: ZoomsyncError): void;
}

const watchers = new WeakMap<BusScheduler, SentFrameWatcher>();

export class SentFrameWatcher {
  private waiters: Waiter[] = [];

  private constructor(bus: BusScheduler) {
    bus.on('sent', (frame) => this.onSent(frame));
    bus.on('written', (frame) => this.onWritten(frame));
  }

  static for(bus: BusScheduler): SentFrameWatcher {
    let watcher = watchers.get(bus);
    if (!watcher) {
      watcher = new SentFrameWatcher(bus);
      watchers.set(bus, watcher);
    }
    return watcher;
  }

  /** Call BEFORE handing the frame to the scheduler: it may be sent inside that call. */
  expect(address: number, bytes: Uint8Array, kind: 'move' | 'stop' | 'other'): SentExpectation {
    let waiter!: Waiter;
    const sent = new Promise<number | undefined>((resolve, reject) => {
      waiter = { address, hex: hex(bytes), move: kind === 'move', stop: kind === 'stop', resolve, reject };
    });
    this.waiters.push(waiter);
    return {
      sent,
      fail: (error) => {
        if (this.remove(waiter)) waiter.reject(error);
      },
    };
  }

  /** Unsent moves of a device: a newer move or a stop replaced them, or the line dropped them. */
  failMoves(address: number, error: ZoomsyncError): void {
    for (const w of this.take((w) => w.address === address && w.move)) w.reject(error);
  }

  /** The line went down: unsent stops stay queued for reopen; their callers hear so now. */
  holdStops(address: number): void {
    for (const w of this.take((w) => w.address === address && w.stop)) w.resolve(undefined);
  }

  /** Everything a device still waits for fails (its block is closed). */
  failAll(address: number, error: ZoomsyncError): void {
    for (const w of this.take((w) => w.address === address)) w.reject(error);
  }

  private onSent(frame: SentFrame): void {
    const key = hex(frame.bytes);
    const index = this.waiters.findIndex((w) => w.address === frame.address && w.hex === key && w.sentAt === undefined);
    if (index < 0) return;
    const waiter = this.waiters[index]!;
    // A stop is reported only once its bytes are written: a caller that suspends or exits right
    // after `await block.stop()` must not leave the stop inside this process.
    if (waiter.stop) {
      waiter.sentAt = frame.wireAt;
      return;
    }
    this.waiters.splice(index, 1);
    waiter.resolve(frame.wireAt);
  }

  private onWritten(frame: SentFrame): void {
    const key = hex(frame.bytes);
    const index = this.waiters.findIndex((w) => w.stop && w.sentAt !== undefined && w.address === frame.address && w.hex === key);
    if (index < 0) return;
    const [waiter] = this.waiters.splice(index, 1);
    waiter!.resolve(waiter!.sentAt);
  }

  private take(match: (w: Waiter) => boolean): Waiter[] {
    const taken = this.waiters.filter(match);
    this.waiters = this.waiters.filter((w) => !match(w));
    return taken;
  }

  private remove(waiter: Waiter): boolean {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return false;
    this.waiters.splice(index, 1);
    return true;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
