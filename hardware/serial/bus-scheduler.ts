/**
 * One BusScheduler per serial line: it decides (through BusQueue) which frame goes next, paces
 * frames to what the line can carry, and hands replies to the waiting queries (ReplyWaitress).
 *
 * Pacing keeps a virtual wire timeline, because a pty (or a USB adapter's buffer) would accept
 * bytes far faster than a real 9600-baud wire carries them: each frame occupies the wire for
 * 10 bit times per byte, plus the inter-frame gap and the line's RS-485 turnaround. The next
 * frame is chosen only when the wire is (almost) free, so a move that a newer one replaced
 * while waiting is never sent at all.
 *
 * Bursts (wire-burst.ts): frames queued inside asOneBurst() (a sync group's command to its
 * members) are handed to the line together, in ONE write, once the wire is free, and reserve
 * the virtual wire for all of them: they follow each other with no idle gap, where frames handed
 * over one by one on a timer would leave one whenever the timer fires late. Only the frames of
 * the burst that are next in the queue's own order go together, so priorities are unchanged: a
 * stop that arrives while the burst is still queued goes first and cancels the motion it covers,
 * as always. Once handed over, a burst is on the wire: a stop then waits for the burst's
 * remaining frame times (at most its length in slots) instead of one frame's. Frames of a burst
 * get their own 'sent' and 'written' events and counters, with the same `at` (they were handed
 * over at the same moment) and a `wireAt` slotMs apart (as they follow on the wire).
 *
 * @example
 *   const bus = new BusScheduler(line, { dialect: 'D', profile: SZ_G10_PROFILE });
 *   bus.move(1, { kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
 *   bus.stop(1);
 *   const zoom = await bus.query(1, 'query-zoom');
 */
import { EventEmitter } from 'node:events';
import { CancelledError, InvalidArgumentError, LineClosedError, LineWriteFailedError, ZoomsyncError } from '../../protocols/errors.js';
import {
  type Dialect,
  type DeviceProfile,
  encode,
  FrameReader,
  frameBits,
  isQuery,
  isReply,
  type MoveCommand,
  type PelcoCommand,
  type PelcoFrame,
  type QueryKind,
  REPLY_FOR_QUERY,
  SZ_G10_PROFILE,
} from '../../protocols/pelco/index.js';
import { BusQueue, type QueueEntry, type QueueStats } from './bus-queue.js';
import type { FrameLine } from './frame-line.js';
import { integerIn, numberIn, oneOf } from './option-checks.js';
import { type ReplyWaiter, ReplyWaitress } from './reply-waitress.js';
import { burstBeingQueued, type WireBurst } from './wire-burst.js';

/** Time source and timers; tests may pass their own. Times are in ms (performance.now() scale). */
export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_CLOCK: SchedulerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BusSchedulerOptions {
  /** Dialect of every frame on this line. Default 'D'. */
  dialect?: Dialect;
  /** Default SZ_G10_PROFILE. */
  profile?: DeviceProfile;
  /** Silence added after every frame, in ms (0–1000). Default 0. */
  interFrameGapMs?: number;
  /** How long a query waits for its reply after its frame has left, in ms (1–600000). Default 250. */
  queryTimeoutMs?: number;
  /** How many times a query that timed out is sent again before it fails (integer 0–10). Default 1. */
  queryRetries?: number;
  /** Moves in a row after which a waiting preset, query or setting gets one slot (integer >= 1). Default 8. */
  moveBurst?: number;
  /** How early (ms) a frame is handed to the OS before the virtual wire is free (0–100). Default 1. */
  leadMs?: number;
  clock?: SchedulerClock;
}

export interface DeviceCounters {
  /** Frames handed to the line. */
  sent: number;
  /** Moves replaced by a newer move before they were sent. */
  superseded: number;
  /** Unsent motion (startsMotion) cancelled by a stop. */
  cancelled: number;
  /** Frames dropped because the line was closed. */
  dropped: number;
  /** Replies matched to a query. */
  replies: number;
  /** Query attempts that got no reply in time (each retry counts). */
  timeouts: number;
  /** Writes the line rejected. */
  writeFailures: number;
}

export interface LineCounters extends DeviceCounters {
  /** Received frames with a wrong checksum (a corrupt byte makes one). */
  checksumErrors: number;
  /** Received frames with a valid checksum but meaningless content. */
  invalidFrames: number;
  /** Replies no query was waiting for (wrong address, late, unasked). */
  unmatchedReplies: number;
  /**
   * Received bytes that belong to no valid frame of this line's dialect: noise, or a device
   * answering in the other dialect (a PELCO-P reply on a PELCO-D line, or the reverse).
   */
  discardedBytes: number;
}

export interface SentFrame {
  address: number;
  command: PelcoCommand;
  bytes: Uint8Array;
  /** clock.now() when the frame was handed to the line. */
  at: number;
  /**
   * When its first byte goes on the wire, as far as the scheduler knows: `at`, or for a frame
   * behind others of its burst (handed over in one write), `at` plus their frame times. Group
   * skew is measured on this, so members sharing a bus show the spread the wire really has.
   */
  wireAt: number;
}

export interface BusSchedulerEvents {
  /** A frame was handed to the line. */
  sent: [frame: SentFrame];
  /**
   * A frame's write completed: its bytes are with the OS, not in our process. What must survive
   * the process stopping (the stop before a Ctrl-Z suspends it, the stop before exit) waits for this.
   */
  written: [frame: SentFrame];
  /** A valid frame from a device that no query was waiting for. */
  frame: [frame: PelcoFrame];
  /** Something went wrong that no caller is waiting to hear about (a failed move write). */
  problem: [error: ZoomsyncError];
}

interface Settle {
  resolve(): void;
  reject(error: ZoomsyncError): void;
}

interface Token {
  bytes: Uint8Array;
  settle?: Settle;
  /** The query this frame asks for; once it is answered or failed, the frame is not sent. */
  waiter?: ReplyWaiter;
  /** The burst this frame was queued in (never a query's frame). */
  burst?: WireBurst;
}

/** The broadcast address, when the dialect and profile have one (PELCO-D 0xFF; PELCO-P has none). */
function broadcastOf(dialect: Dialect, profile: DeviceProfile): number | undefined {
  return dialect === 'D' && profile.broadcastAddress ? 0xff : undefined;
}

/** Writes handed to the line and not yet written: one on the wire, one waiting behind it (a write is one frame, or one burst). */
const MAX_WRITES_IN_FLIGHT = 2;

/** The counters the scheduler keeps itself; superseded, cancelled and dropped are the queue's (BusQueue.stats). */
type WireCounters = Omit<DeviceCounters, keyof QueueStats>;

const emptyCounters = (): DeviceCounters => ({ sent: 0, superseded: 0, cancelled: 0, dropped: 0, replies: 0, timeouts: 0, writeFailures: 0 });

export class BusScheduler extends EventEmitter<BusSchedulerEvents> {
  readonly dialect: Dialect;
  readonly profile: DeviceProfile;
  /** Wire time of one frame at the line's baud rate, in ms. */
  readonly frameTimeMs: number;
  /** Wire time each frame takes up including gap and turnaround, in ms. */
  readonly slotMs: number;
  private readonly queryRetries: number;
  private readonly leadMs: number;
  private readonly clock: SchedulerClock;
  private readonly queue: BusQueue<Token>;
  private readonly reader: FrameReader;
  private readonly devices = new Map<number, WireCounters>();
  private readonly lineExtra = { unmatchedReplies: 0 };
  private readonly waitress: ReplyWaitress;
  private busyUntil = -Infinity;
  /** Writes handed to the line and not yet settled. */
  private writesInFlight = 0;
  private timer: unknown;
  private closed = false;
  private readonly onData = (chunk: Buffer): void => this.reader.push(chunk);
  private readonly onLineOpen = (): void => this.onOpen();
  private readonly onLineClose = (): void => this.onClose();
  private readonly pumpWhenQueued = (): void => this.pump();

  constructor(
    private readonly line: FrameLine,
    options: BusSchedulerOptions = {},
  ) {
    super();
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', options, 'an object (or nothing)');
    this.dialect = oneOf<Dialect>('dialect', options.dialect ?? 'D', ['D', 'P']);
    this.profile = options.profile ?? SZ_G10_PROFILE;
    if (this.profile === null || typeof this.profile !== 'object' || typeof this.profile.broadcastAddress !== 'boolean') {
      throw new InvalidArgumentError('profile', this.profile, 'a DeviceProfile such as SZ_G10_PROFILE');
    }
    const gap = numberIn('interFrameGapMs', options.interFrameGapMs ?? 0, 0, 1000);
    const queryTimeoutMs = numberIn('queryTimeoutMs', options.queryTimeoutMs ?? 250, 1, 600_000);
    this.queryRetries = integerIn('queryRetries', options.queryRetries ?? 1, 0, 10, 'the number of extra attempts after a timeout');
    this.leadMs = numberIn('leadMs', options.leadMs ?? 1, 0, 100);
    if (!(typeof line.baudRate === 'number' && Number.isFinite(line.baudRate) && line.baudRate > 0)) {
      throw new InvalidArgumentError('line.baudRate', line.baudRate, 'a positive number of bits per second');
    }
    this.clock = options.clock ?? SYSTEM_CLOCK;
    if (this.clock === null || typeof this.clock !== 'object' || typeof this.clock.now !== 'function' || typeof this.clock.setTimeout !== 'function' || typeof this.clock.clearTimeout !== 'function') {
      throw new InvalidArgumentError('clock', this.clock, 'an object with now(), setTimeout() and clearTimeout()');
    }
    this.frameTimeMs = (frameBits(this.dialect) * 1000) / line.baudRate;
    this.slotMs = this.frameTimeMs + gap + (line.turnaroundMs ?? 0);
    // BusQueue resolves and checks moveBurst (default DEFAULT_MOVE_BURST).
    this.queue = new BusQueue<Token>({ lineOpen: line.isOpen, moveBurst: options.moveBurst, broadcast: broadcastOf(this.dialect, this.profile) });
    this.waitress = new ReplyWaitress({
      line: line.name,
      timeoutMs: queryTimeoutMs,
      timers: this.clock,
      onTimeout: (waiter) => this.onQueryTimeout(waiter),
      hint: `check its address, dialect (${this.dialect}), baud rate and wiring`,
    });
    this.reader = new FrameReader({ dialect: this.dialect, profile: this.profile, onFrame: (frame) => this.onFrame(frame) });
    line.on('data', this.onData);
    line.on('open', this.onLineOpen);
    line.on('close', this.onLineClose);
  }

  /** Continuous motion for a device; replaces its unsent move (latest wins). Throws on bad values. */
  move(address: number, command: MoveCommand): void {
    this.assertNotClosed();
    this.queue.move(address, command, { bytes: this.encode(address, command), burst: burstBeingQueued() });
    this.pump();
  }

  /**
   * Stops a device: ahead of everything else, cancelling the unsent motion the stop covers
   * (the device's own and the broadcast address's; for the broadcast address, everyone's).
   * Never dropped.
   */
  stop(address: number): void {
    this.assertNotClosed();
    const bytes = this.encode(address, { kind: 'stop' });
    this.cancel(address, this.queue.stop(address, { bytes, burst: burstBeingQueued() }));
    this.pump();
  }

  /** Stops every address this scheduler has addressed (the broadcast address included). Returns them. */
  stopAll(): number[] {
    const addresses = this.queue.knownAddresses();
    for (const address of addresses) this.stop(address);
    return addresses;
  }

  /**
   * Sends a position, preset or settings command (or a stop or move, which take their own
   * paths). Resolves once handed to the line; rejects with ZS_LINE_CLOSED when the line is
   * or goes down first, ZS_CANCELLED when a stop cancelled it.
   */
  send(address: number, command: PelcoCommand): Promise<void> {
    if (this.closed) return Promise.reject(this.schedulerClosedError());
    if (command.kind === 'stop' || command.kind === 'move') {
      try {
        if (command.kind === 'stop') this.stop(address);
        else this.move(address, command);
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error); // a promise API never throws at its caller
      }
    }
    if (isReply(command) || isQuery(command)) {
      return Promise.reject(new InvalidArgumentError('command kind', command.kind, 'a command, not a query or reply', 'use query() for queries'));
    }
    let bytes: Uint8Array;
    try {
      bytes = this.encode(address, command);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      if (!this.queue.enqueue(address, command, { bytes, settle: { resolve, reject }, burst: burstBeingQueued() })) {
        reject(this.lineClosedError());
        return;
      }
      this.pump();
    });
  }

  /**
   * Asks a device for a value and waits for its reply (matched by address and reply kind).
   * Rejects with ZS_REPLY_TIMEOUT after queryRetries + 1 unanswered attempts, ZS_LINE_CLOSED
   * when the line closes first, ZS_CANCELLED when `signal` aborts (other callers sharing the
   * query keep waiting). Concurrent identical queries share one frame and one reply.
   */
  query(address: number, kind: QueryKind, options: { signal?: AbortSignal } = {}): Promise<number> {
    if (!(kind in REPLY_FOR_QUERY)) {
      return Promise.reject(new InvalidArgumentError('query', kind, Object.keys(REPLY_FOR_QUERY).join(', ')));
    }
    let bytes: Uint8Array;
    try {
      bytes = this.encode(address, { kind });
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closed) return Promise.reject(this.schedulerClosedError());
    if (!this.queue.lineOpen) return Promise.reject(this.lineClosedError());
    const { promise, waiter, created } = this.waitress.waitFor(address, kind, options.signal);
    if (created && this.waitress.isWaiting(waiter)) {
      this.queue.enqueue(address, { kind }, { bytes, waiter });
      this.pump();
    }
    return promise;
  }

  /** Counters of one device (zeros if it was never addressed). */
  deviceCounters(address: number): Readonly<DeviceCounters> {
    return addInto(addInto(emptyCounters(), this.devices.get(address)), this.queue.stats.get(address));
  }

  /** Counters of the whole line. */
  get lineCounters(): Readonly<LineCounters> {
    const total = emptyCounters();
    for (const c of this.devices.values()) addInto(total, c);
    for (const s of this.queue.stats.values()) addInto(total, s);
    const { checksumErrors, invalidFrames, discardedBytes } = this.reader.counters;
    return { ...total, checksumErrors, invalidFrames, discardedBytes, ...this.lineExtra };
  }

  /** Frames waiting for the line. */
  get pending(): number {
    return this.queue.size;
  }

  /**
   * Detaches from the line and fails everything still waiting (ZS_CANCELLED), except queued
   * stops: if the line is open they are still handed to it, at once, so shutting down never
   * leaves a device moving. Resolves once they are written (or failed); await it before
   * closing the line. (With the line down they cannot go anywhere and are dropped.)
   */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.clearTimer();
    this.line.off('data', this.onData);
    this.line.off('open', this.onLineOpen);
    this.line.off('close', this.onLineClose);
    const error = this.schedulerClosedError();
    const stops: Promise<void>[] = [];
    for (const entry of this.queue.drain()) {
      if (entry.command.kind === 'stop' && this.line.isOpen) stops.push(this.writeFinalStop(entry));
      else entry.token?.settle?.reject(error);
    }
    this.failQueries(error);
    return Promise.all(stops).then(() => undefined);
  }

  private writeFinalStop(entry: QueueEntry<Token>): Promise<void> {
    const bytes = entry.token?.bytes ?? this.encode(entry.address, entry.command);
    this.counters(entry.address).sent++;
    const at = this.clock.now();
    const frame: SentFrame = { address: entry.address, command: entry.command, bytes, at, wireAt: at };
    this.emit('sent', frame);
    return this.write(bytes).then(
      () => void this.emit('written', frame),
      () => {
        this.counters(entry.address).writeFailures++;
      },
    );
  }

  // --- pacing ---------------------------------------------------------------------------

  private pump(): void {
    const burst = burstBeingQueued();
    if (burst) {
      // The rest of the burst is still being queued: pace once it all is, so it leaves together.
      burst.whenQueued(this.pumpWhenQueued);
      return;
    }
    if (this.timer !== undefined || this.closed || !this.queue.lineOpen || this.queue.size === 0) return;
    // The virtual wire assumes the line keeps up. One that does not (RS-485 direction switching
    // through a slow GPIO, an adapter that drains late) would otherwise build a backlog of
    // handed-over frames, stale moves included, in front of the next stop. So: one frame on the
    // wire and one waiting, never more; a settling write pumps again.
    if (this.writesInFlight >= MAX_WRITES_IN_FLIGHT) return;
    const wait = this.busyUntil - this.leadMs - this.clock.now();
    if (wait <= 0) {
      this.dispatch();
      this.pump();
      return;
    }
    // Timers have ~1 ms granularity. Rounding UP wakes us in [due, due + 1 ms): never before the
    // lead, and (with the default 1 ms lead) still before the virtual wire is free, so frames
    // queued together go out back to back. Rounding down woke us early, found the frame not yet
    // due and slept another timer tick: a gap of up to a millisecond after every frame.
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.ceil(wait));
  }

  private dispatch(): void {
    const entries = this.nextWrite();
    if (entries.length === 0) return;
    const now = this.clock.now();
    const waiter = entries[0]!.token?.waiter; // every query frame has one; queries are never in a burst
    // The wire is reserved for every frame of the write; a query's also for the reply frame, so
    // the reply never collides with us.
    this.busyUntil = Math.max(now, this.busyUntil) + entries.length * this.slotMs + (waiter ? this.slotMs : 0);
    if (waiter) this.waitress.attemptSent(waiter, this.busyUntil - now);
    const frames = entries.map((entry, i): SentFrame => {
      this.counters(entry.address).sent++;
      const frame: SentFrame = { address: entry.address, command: entry.command, bytes: entry.token?.bytes ?? this.encode(entry.address, entry.command), at: now, wireAt: now + i * this.slotMs };
      this.emit('sent', frame);
      return frame;
    });
    this.writesInFlight++;
    this.write(frames.length === 1 ? frames[0]!.bytes : Buffer.concat(frames.map((f) => f.bytes))).then(
      () => {
        this.writesInFlight--;
        frames.forEach((frame, i) => {
          this.emit('written', frame);
          entries[i]!.token?.settle?.resolve();
        });
        this.pump();
      },
      (cause: unknown) => {
        this.writesInFlight--;
        for (const entry of entries) this.onWriteFailed(entry, cause); // a failed stop is back at the head before we pump
        this.pump();
      },
    );
  }

  /** The next frame, with the rest of its burst while that is next in the queue's own order. */
  private nextWrite(): QueueEntry<Token>[] {
    let first = this.queue.next();
    // A retry whose query was answered meanwhile (a late reply) is skipped: it would cost a slot,
    // and its reply would be unmatched.
    while (first?.token?.waiter && !this.waitress.isWaiting(first.token.waiter)) first = this.queue.next();
    if (!first) return [];
    const entries = [first];
    const burst = first.token?.burst;
    while (burst && this.queue.peek()?.token?.burst === burst) entries.push(this.queue.next()!);
    return entries;
  }

  /** line.write(), with a FrameLine that throws instead of rejecting turned into a rejection (never a crash in a timer). */
  private write(bytes: Uint8Array): Promise<void> {
    try {
      return this.line.write(bytes);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private onWriteFailed(entry: QueueEntry<Token>, cause: unknown): void {
    this.counters(entry.address).writeFailures++;
    const error = cause instanceof ZoomsyncError ? cause : new LineWriteFailedError(this.line.name, `writing to ${this.line.name} failed: ${String(cause)}`, { cause });
    if (entry.command.kind === 'stop') {
      // A stop is never lost: it goes back to the head of the queue for the next chance.
      if (!this.closed) {
        this.cancel(entry.address, this.queue.retryStop(entry));
        this.pump();
      }
      return;
    }
    // Motion is never written again: a stop accepted meanwhile must stay the last word, and the
    // device gets a stop on reconnect anyway (the queue counts it as moving once handed out).
    if (entry.token?.settle) entry.token.settle.reject(error);
    else if (!entry.token?.waiter) this.emit('problem', error);
    // A failed query write is left to its timer: it retries or times out.
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  // --- queries and replies --------------------------------------------------------------

  /** An attempt timed out: returns true when the query was queued again (the waitress keeps waiting). */
  private onQueryTimeout(waiter: ReplyWaiter): boolean {
    this.counters(waiter.address).timeouts++;
    if (waiter.attempts > this.queryRetries || !this.queue.lineOpen || this.closed) return false;
    const command = { kind: waiter.query };
    this.queue.enqueue(waiter.address, command, { bytes: this.encode(waiter.address, command), waiter });
    this.pump();
    return true;
  }

  private onFrame(frame: PelcoFrame): void {
    const command = frame.command;
    if (isReply(command)) {
      if (this.waitress.resolve(frame.address, command)) {
        this.counters(frame.address).replies++;
        return;
      }
      this.lineExtra.unmatchedReplies++;
    }
    this.emit('frame', frame);
  }

  private failQueries(error: ZoomsyncError): void {
    this.waitress.cancelAll(error);
  }

  // --- line state -------------------------------------------------------------------------

  private onClose(): void {
    this.clearTimer();
    const error = this.lineClosedError();
    for (const entry of this.queue.lineClosed()) entry.token?.settle?.reject(error);
    this.failQueries(error);
  }

  private onOpen(): void {
    if (this.closed) return;
    this.queue.lineOpened();
    this.busyUntil = -Infinity;
    this.pump();
  }

  // --- helpers ------------------------------------------------------------------------------

  private cancel(address: number, entries: QueueEntry<Token>[]): void {
    if (entries.length === 0) return;
    const error = new CancelledError(`a stop for ${address === this.queue.broadcast ? 'every device (broadcast)' : `device ${address}`} cancelled this command before it was sent`);
    for (const entry of entries) entry.token?.settle?.reject(error);
  }

  private encode(address: number, command: PelcoCommand): Uint8Array {
    return encode(command, { dialect: this.dialect, address, profile: this.profile });
  }

  private counters(address: number): WireCounters {
    let c = this.devices.get(address);
    if (!c) {
      c = { sent: 0, replies: 0, timeouts: 0, writeFailures: 0 };
      this.devices.set(address, c);
    }
    return c;
  }

  private assertNotClosed(): void {
    if (this.closed) throw this.schedulerClosedError();
  }

  private schedulerClosedError(): ZoomsyncError {
    return new CancelledError(`the bus scheduler of ${this.line.name} was closed; make a new one to drive the line again`);
  }

  private lineClosedError(): ZoomsyncError {
    return new LineClosedError(this.line.name, `serial line ${this.line.name} is closed; the command was not sent (it reopens by itself when the port returns)`);
  }
}

function addInto(total: DeviceCounters, part: Partial<DeviceCounters> | undefined): DeviceCounters {
  if (part) for (const k of Object.keys(part) as (keyof DeviceCounters)[]) total[k] += part[k]!;
  return total;
}
