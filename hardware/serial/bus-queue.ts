/**
 * The decisions of the bus scheduler, with no timers and no I/O: which frame goes next,
 * what a newer command replaces, what a stop cancels, what a closing line drops.
 *
 * Kept pure so it can be checked against a model over many generated sequences (see
 * test/hardware/bus-queue.test.ts); BusScheduler drives it with a clock and a FrameLine.
 *
 * Rules:
 * - Classes, highest first: stop > continuous move > position/presets > queries > settings.
 *   Within a class, first queued goes first. Only exception, against starvation: after
 *   moveBurst moves in a row (stops in between do not break the row), one waiting lower-class
 *   frame may go (never ahead of a stop).
 * - Latest wins: a move replaces the device's unsent move in place (it keeps its turn, so
 *   devices that update often do not starve the others).
 * - A stop is never replaced, and never merged with anything but an identical unsent stop for
 *   the same address (which leaves earlier). It cancels every unsent motion frame it covers:
 *   motion is exactly startsMotion() (protocols/pelco/commands.ts). A stop for a camera covers
 *   that camera and the broadcast address (a broadcast move would move the camera too); a
 *   broadcast stop covers every address.
 * - Line closed: unsent moves and every other unsent non-stop entry are dropped (returned to
 *   the caller so it can fail their promises); stops stay. Moves offered while closed are
 *   dropped. When the line opens again, an address that had motion handed to the line since
 *   its last covering stop gets a stop first (the broadcast address included).
 */
import { isAbsoluteMotion, isQuery, type MoveCommand, type PelcoCommand, startsMotion } from '../../protocols/pelco/index.js';
import { InvalidArgumentError } from '../../protocols/errors.js';
import { integerIn } from './option-checks.js';

export const Priority = { Stop: 0, Move: 1, Position: 2, Query: 3, Setting: 4 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

const CLASS_COUNT = 5;
/** Moves in a row after which a waiting lower-class frame gets a slot (see next()). */
export const DEFAULT_MOVE_BURST = 8;

/** One frame waiting for the line. `token` is the caller's handle (a promise's resolvers, an id). */
export interface QueueEntry<T> {
  address: number;
  command: PelcoCommand;
  priority: Priority;
  token: T | undefined;
}


export function priorityOf(command: PelcoCommand): Priority {
  if (command.kind === 'stop') return Priority.Stop;
  if (command.kind === 'move') return Priority.Move;
  // Absolute motion and the presets it goes to share a class: positions, in the order asked.
  if (isAbsoluteMotion(command) || command.kind === 'preset-set' || command.kind === 'preset-clear') return Priority.Position;
  if (isQuery(command)) return Priority.Query;
  return Priority.Setting;
}

export interface QueueStats {
  /** Moves replaced by a newer move before they were sent. */
  superseded: number;
  /** Motion entries a stop cancelled before they were sent. */
  cancelled: number;
  /** Entries dropped because the line closed, or offered while it was closed. */
  dropped: number;
}

export class BusQueue<T = undefined> {
  private readonly classes: QueueEntry<T>[][] = Array.from({ length: CLASS_COUNT }, () => []);
  /** The unsent move of each device (the same object that sits in classes[Move]). */
  private readonly pendingMove = new Map<number, QueueEntry<T>>();
  /** Addresses that had motion handed to the line since a stop covering them was handed to it. */
  private readonly moving = new Set<number>();
  /** Every address ever given a command. */
  private readonly known = new Set<number>();
  private open: boolean;
  readonly stats = new Map<number, QueueStats>();

  /** Moves handed out in a row while lower classes waited. */
  private movesInARow = 0;
  private readonly moveBurst: number;
  /** The address every device obeys, if the line's dialect and profile have one. */
  readonly broadcast: number | undefined;

  /**
   * @param options.lineOpen whether the line is open now. Default true.
   * @param options.moveBurst moves in a row before a waiting lower-class frame gets a slot (integer >= 1). Default 8.
   * @param options.broadcast the broadcast address (PELCO-D 0xFF on profiles that have one). Default none.
   */
  constructor(options: { lineOpen?: boolean; moveBurst?: number; broadcast?: number } = {}) {
    this.open = options.lineOpen ?? true;
    if (typeof this.open !== 'boolean') throw new InvalidArgumentError('lineOpen', this.open, 'true or false');
    this.moveBurst = integerIn('moveBurst', options.moveBurst ?? DEFAULT_MOVE_BURST, 1, Infinity, '0 would let no move through while anything else waits');
    this.broadcast = options.broadcast === undefined ? undefined : integerIn('broadcast', options.broadcast, 0, 0xff);
  }

  /** Whether a stop for `stopAddress` ends motion sent to `address`. */
  covers(stopAddress: number, address: number): boolean {
    return stopAddress === address || (this.broadcast !== undefined && (stopAddress === this.broadcast || address === this.broadcast));
  }

  get lineOpen(): boolean {
    return this.open;
  }

  get size(): number {
    let n = 0;
    for (const c of this.classes) n += c.length;
    return n;
  }

  /**
   * Offers a continuous move. Returns what happened to it: queued behind others, replaced the
   * device's unsent move, or dropped because the line is closed. A replaced move's token is
   * returned so the caller can settle it.
   */
  move(address: number, command: MoveCommand, token?: T): { result: 'queued' | 'replaced' | 'dropped'; replaced?: QueueEntry<T> } {
    this.known.add(address);
    if (!this.open) {
      this.count(address).dropped++;
      return { result: 'dropped' };
    }
    const existing = this.pendingMove.get(address);
    if (existing) {
      const replaced = { ...existing };
      existing.command = command;
      existing.token = token;
      this.count(address).superseded++;
      return { result: 'replaced', replaced };
    }
    const entry: QueueEntry<T> = { address, command, priority: Priority.Move, token };
    this.pendingMove.set(address, entry);
    this.classes[Priority.Move]!.push(entry);
    return { result: 'queued' };
  }

  /**
   * Queues a stop (kept even while the line is closed). Returns the motion entries it cancelled
   * (for a camera: its own and the broadcast address's; for the broadcast address: everyone's).
   *
   * If an unsent stop for the device is already waiting, that one serves this call too: it
   * leaves no later than a new one would, and nothing for the device can leave before it. So
   * stop() called again and again while the line is down (or faster than the wire) does not
   * grow the queue, nor hold every other device's motion behind a backlog of identical stops
   * when the line returns.
   */
  stop(address: number, token?: T): QueueEntry<T>[] {
    this.known.add(address);
    const cancelled = this.cancelMotion(address);
    const stops = this.classes[Priority.Stop]!;
    if (!stops.some((entry) => entry.address === address)) stops.push({ address, command: { kind: 'stop' }, priority: Priority.Stop, token });
    return cancelled;
  }

  /**
   * Queues any other command (position, preset, query, setting) by its class. Returns false
   * when the line is closed (the caller fails it).
   */
  enqueue(address: number, command: PelcoCommand, token?: T): boolean {
    if (command.kind === 'stop') {
      this.stop(address, token);
      return true;
    }
    if (command.kind === 'move') return this.move(address, command, token).result !== 'dropped';
    this.known.add(address);
    if (!this.open) {
      this.count(address).dropped++;
      return false;
    }
    const priority = priorityOf(command);
    this.classes[priority]!.push({ address, command, priority, token });
    return true;
  }

  /** The next frame to hand to the line, removed from the queue; undefined when idle or closed. */
  next(): QueueEntry<T> | undefined {
    const from = this.nextClass();
    if (from === undefined) return undefined;
    const entry = this.classes[from]!.shift()!;
    // Stops in between neither count nor reset: a stop every few slots must not keep a waiting
    // query out for the whole storm. Only a lower-class frame getting through starts a new count.
    if (entry.priority === Priority.Move) this.movesInARow++;
    else if (entry.priority !== Priority.Stop) this.movesInARow = 0;
    if (entry.priority === Priority.Move) this.pendingMove.delete(entry.address);
    if (entry.command.kind === 'stop') this.stopped(entry.address);
    else if (startsMotion(entry.command)) this.moving.add(entry.address);
    return entry;
  }

  /** The frame next() would return now, left in the queue. */
  peek(): QueueEntry<T> | undefined {
    const from = this.nextClass();
    return from === undefined ? undefined : this.classes[from]![0];
  }

  /** The class next() takes from; undefined when idle or closed. */
  private nextClass(): number | undefined {
    if (!this.open) return undefined;
    const from = this.classes.findIndex((queue) => queue.length > 0);
    if (from < 0) return undefined;
    if (from === Priority.Move) {
      // A storm of moves must not starve presets and queries forever: after moveBurst moves in
      // a row, the oldest lower-class frame gets one slot. Stops are never overtaken.
      const lower = this.classes.findIndex((queue, p) => p > Priority.Move && queue.length > 0);
      if (lower > 0 && this.movesInARow >= this.moveBurst) return lower;
    }
    return from;
  }

  /**
   * Puts a stop whose write failed back at the head of the stop class, so it is the first
   * frame the line carries when it can carry one again. Like stop(), it cancels the unsent
   * motion it covers and returns those entries, so their callers hear about it. (Motion is
   * never retried: a failed motion write is reported, not queued again.)
   */
  retryStop(entry: QueueEntry<T>): QueueEntry<T>[] {
    this.moving.add(entry.address); // whatever it was doing, it may still be doing
    const cancelled = this.cancelMotion(entry.address);
    const stops = this.classes[Priority.Stop]!.filter((other) => other.address !== entry.address);
    stops.unshift(entry);
    this.classes[Priority.Stop] = stops;
    return cancelled;
  }

  /** The line closed: drops everything but stops, and returns what was dropped. */
  lineClosed(): QueueEntry<T>[] {
    this.open = false;
    const dropped: QueueEntry<T>[] = [];
    for (let p: number = Priority.Move; p < CLASS_COUNT; p++) {
      for (const entry of this.classes[p]!) {
        this.count(entry.address).dropped++;
        dropped.push(entry);
      }
      this.classes[p] = [];
    }
    this.pendingMove.clear();
    return dropped;
  }

  /** The line is back: devices left moving get a stop, ahead of anything else for them. */
  lineOpened(): void {
    if (this.open) return;
    this.open = true;
    const stops = this.classes[Priority.Stop]!;
    for (const address of this.moving) {
      if (!stops.some((entry) => entry.address === address)) {
        stops.push({ address, command: { kind: 'stop' }, priority: Priority.Stop, token: undefined });
      }
    }
  }

  /** Every address ever given a command (for stopAll). */
  knownAddresses(): number[] {
    return [...this.known].sort((a, b) => a - b);
  }

  /** Removes and returns everything queued (shutdown). */
  drain(): QueueEntry<T>[] {
    const all = this.classes.flat();
    for (let p = 0; p < CLASS_COUNT; p++) this.classes[p] = [];
    this.pendingMove.clear();
    return all;
  }

  private count(address: number): QueueStats {
    let s = this.stats.get(address);
    if (!s) {
      s = { superseded: 0, cancelled: 0, dropped: 0 };
      this.stats.set(address, s);
    }
    return s;
  }

  /** A stop for `address` was handed to the line: what it covers is no longer left moving. */
  private stopped(address: number): void {
    for (const moving of this.moving) {
      // A camera's stop does not end a broadcast move for the other cameras: only its own entry goes.
      if (moving === address || address === this.broadcast) this.moving.delete(moving);
    }
  }

  /** Removes every unsent motion entry a stop for `address` covers, in every class. */
  private cancelMotion(address: number): QueueEntry<T>[] {
    const cancelled: QueueEntry<T>[] = [];
    for (let p: number = Priority.Move; p < CLASS_COUNT; p++) {
      this.classes[p] = this.classes[p]!.filter((entry) => {
        const cancel = this.covers(address, entry.address) && startsMotion(entry.command);
        if (cancel) {
          cancelled.push(entry);
          if (this.pendingMove.get(entry.address) === entry) this.pendingMove.delete(entry.address);
        }
        return !cancel;
      });
    }
    for (const entry of cancelled) this.count(entry.address).cancelled++;
    return cancelled;
  }
}
