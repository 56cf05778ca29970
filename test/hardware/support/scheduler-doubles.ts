/**
 * Stand-ins for driving a BusScheduler where nothing real can: a clock moved by hand (so races
 * are placed exactly) and an always-open FrameLine that records writes and injects replies.
 */
import { EventEmitter } from 'node:events';
import type { SchedulerClock } from '../../../hardware/serial/bus-scheduler.js';
import type { FrameLine, FrameLineEvents } from '../../../hardware/serial/frame-line.js';
import { toHex } from '../../../protocols/pelco/index.js';

/** A clock the test moves by hand, so races are placed exactly instead of hoped for. */
export class ManualClock implements SchedulerClock {
  private t = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.t + Math.max(1, ms), callback, id }); // as Node: 0 means 1 ms
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }
  get pendingTimers(): number {
    return this.timers.length;
  }
  /** Runs every timer due up to `to`, in time order, letting promise callbacks run in between. */
  async advanceTo(to: number): Promise<void> {
    for (;;) {
      await flush(); // settled writes may set timers before we look
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > to) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.callback();
      await flush();
    }
    this.t = to;
    await flush();
  }
}

export const flush = () => new Promise((resolve) => setImmediate(resolve));

/** An always-open FrameLine that records what was written; replies are injected with reply(). */
export class RecordingLine extends EventEmitter<FrameLineEvents> implements FrameLine {
  readonly name = 'recording';
  readonly turnaroundMs = 0;
  readonly isOpen = true;
  written: string[] = [];
  constructor(readonly baudRate: number) {
    super();
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.written.push(toHex(bytes));
  }
  reply(bytes: Uint8Array): void {
    this.emit('data', Buffer.from(bytes));
  }
}
