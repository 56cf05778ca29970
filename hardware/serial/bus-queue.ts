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
 *   the same device (which leaves earlier). It cancels the device's unsent move and unsent
 *   absolute motion (preset-goto, set-pan/tilt/zoom/magnification).
 * - Line closed: unsent moves and every other unsent non-stop entry are dropped (returned to
 *   the caller so it can fail their promises); stops stay. Moves offered while closed are
 *   dropped. When the line opens again, a device that had motion handed to the line since its
 *   last stop gets a stop first.
 */
import { isQuery, type MoveCommand, type PelcoCommand } from '../../protocols/pelco/index.js';

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

/** Commands that set the device moving towards a target; a stop cancels them while unsent. */
const ABSOLUTE_MOTION = new Set<PelcoCommand['kind']>(['preset-goto', 'set-pan', 'set-tilt', 'set-zoom', 'set-magnification']);
const POSITION = new Set<PelcoCommand['kind']>([...ABSOLUTE_MOTION, 'preset-set', 'preset-clear']);

export function priorityOf(command: PelcoCommand): Priority {
  if (command.kind === 'stop') return Priority.Stop;
  if (command.kind === 'move') return Priority.Move;
  if (POSITION.has(command.kind)) return Priority.Position;
  if (isQuery(command)) return Priority.Query;
  return Priority.Setting;
}

/** Whether a frame sets the device in motion that only a stop (or arrival) ends. */
function startsMotion(command: PelcoCommand): boolean {
  if (command.kind === 'move') return isMovingMove(command);
  return ABSOLUTE_MOTION.has(command.kind);
}

function isMovingMove(move: MoveCommand): boolean {
  return move.pan !== undefined || move.tilt !== undefined || move.zoom !== undefined || move.focus !== undefined || move.iris !== undefined;
}

export interface QueueStats {
  /** Moves replaced by a newer move before they were sent. */
  superseded: number;
  /** Entries a stop cancelled before they were sent (moves and absolute motion). */
  cancelled: number;
  /** Entries dropped because the line closed, or offered while it was closed. */
  dropped: number;
}

export class BusQueue<T = undefined> {
  private readonly classes: QueueEntry<T>[][] = Array.from({ length: CLASS_COUNT }, () => []);
  /** The unsent move of each device (the same object that sits in classes[Move]). */
  private readonly pendingMove = new Map<number, QueueEntry<T>>();
  /** Devices that had motion handed to the line since their last stop was handed to it. */
  private readonly moving = new Set<number>();
  /** Every address ever given a command. */
  private readonly known = new Set<number>();
  private open: boolean;
  readonly stats = new Map<number, QueueStats>();

  /** Moves handed out in a row while lower classes waited. */
  private movesInARow = 0;
  private readonly moveBurst: number;

  constructor(options: { lineOpen?: boolean; moveBurst?: number } = {}) {
    this.open = options.lineOpen ?? true;
    this.moveBurst = options.moveBurst ?? DEFAULT_MOVE_BURST;
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
   * Queues a stop (kept even while the line is closed). Returns the entries it cancelled.
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
    this.count(address).cancelled += cancelled.length;
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
    if (!this.open) return undefined;
    let from = this.classes.findIndex((queue) => queue.length > 0);
    if (from < 0) return undefined;
    if (from === Priority.Move) {
      // A storm of moves must not starve presets and queries forever: after moveBurst moves in
      // a row, the oldest lower-class frame gets one slot. Stops are never overtaken.
      const lower = this.classes.findIndex((queue, p) => p > Priority.Move && queue.length > 0);
      if (lower > 0 && this.movesInARow >= this.moveBurst) from = lower;
    }
    const entry = this.classes[from]!.shift()!;
    // Stops in between neither count nor reset: a stop every few slots must not keep a waiting
    // query out for the whole storm. Only a lower-class frame getting through starts a new count.
    if (entry.priority === Priority.Move) this.movesInARow++;
    else if (entry.priority !== Priority.Stop) this.movesInARow = 0;
    if (entry.priority === Priority.Move) this.pendingMove.delete(entry.address);
    if (entry.command.kind === 'stop') this.moving.delete(entry.address);
    else if (startsMotion(entry.command)) this.moving.add(entry.address);
    return entry;
  }

  /**
   * Puts a stop whose write failed back at the head of the stop class, so it is the first
   * frame the line carries when it can carry one again. Like stop(), it cancels the device's
   * unsent motion and returns those entries, so their callers hear about it.
   */
  retryStop(entry: QueueEntry<T>): QueueEntry<T>[] {
    this.moving.add(entry.address); // whatever it was doing, it may still be doing
    const cancelled = this.cancelMotion(entry.address);
    this.count(entry.address).cancelled += cancelled.length;
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

  private cancelMotion(address: number): QueueEntry<T>[] {
    const cancelled: QueueEntry<T>[] = [];
    const move = this.pendingMove.get(address);
    if (move) {
      this.pendingMove.delete(address);
      remove(this.classes[Priority.Move]!, move);
      cancelled.push(move);
    }
    const positions = this.classes[Priority.Position]!;
    this.classes[Priority.Position] = positions.filter((entry) => {
      const cancel = entry.address === address && ABSOLUTE_MOTION.has(entry.command.kind);
      if (cancel) cancelled.push(entry);
      return !cancel;
    });
    return cancelled;
  }
}

function remove<E>(list: E[], item: E): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
