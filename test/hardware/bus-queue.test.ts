import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusQueue, DEFAULT_MOVE_BURST, Priority, priorityOf, type QueueEntry } from '../../hardware/serial/bus-queue.js';
import type { MoveCommand, PelcoCommand } from '../../protocols/pelco/index.js';

/** The broadcast address of the sz-g10 profile in PELCO-D: every camera obeys it. */
const BROADCAST = 0xff;

/**
 * Every command the model sends besides moves, each labelled by the test itself (not by the code
 * under test) as motion or not: continuous (scan auto, pattern-run, zone-scan-on) and absolute
 * (preset-goto, set-pan/tilt/zoom/magnification) motion, and commands a stop must leave alone.
 */
const SENDS: { command: PelcoCommand; motion: boolean }[] = [
  { command: { kind: 'preset-goto', preset: 3 }, motion: true },
  { command: { kind: 'set-pan', position: 1000 }, motion: true },
  { command: { kind: 'set-tilt', position: 500 }, motion: true },
  { command: { kind: 'set-zoom', position: 300 }, motion: true },
  { command: { kind: 'set-magnification', value: 200 }, motion: true },
  { command: { kind: 'scan', mode: 'auto' }, motion: true },
  { command: { kind: 'pattern-run', pattern: 1 }, motion: true },
  { command: { kind: 'zone-scan-on' }, motion: true },
  { command: { kind: 'preset-set', preset: 3 }, motion: false },
  { command: { kind: 'zoom-speed', speed: 2 }, motion: false },
  { command: { kind: 'query-zoom' }, motion: false },
  { command: { kind: 'scan', mode: 'manual' }, motion: false },
  { command: { kind: 'pattern-stop', pattern: 1 }, motion: false },
  { command: { kind: 'zone-scan-off' }, motion: false },
];

/** Moves: a still one (the "all stop" frame shape: not motion), axis motion, and the scan-auto bit. */
type MoveShape = 'still' | 'axes' | 'scan-auto';
const MOVES: Record<MoveShape, { command: MoveCommand; motion: boolean }> = {
  still: { command: { kind: 'move', panSpeed: 0, tiltSpeed: 0 }, motion: false },
  axes: { command: { kind: 'move', pan: 'left', panSpeed: 10, tiltSpeed: 0, zoom: 'tele' }, motion: true },
  'scan-auto': { command: { kind: 'move', panSpeed: 0, tiltSpeed: 0, scan: 'auto' }, motion: true },
};

type Op =
  | { op: 'move'; address: number; shape: MoveShape }
  | { op: 'stop'; address: number }
  | { op: 'send'; address: number; which: number }
  | { op: 'next' }
  | { op: 'close' }
  | { op: 'open' }
  /** The write of the last frame handed out failed; if it was a stop, the driver retries it. */
  | { op: 'stop-write-failed' };

const address = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constant(BROADCAST) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('move' as const), address, shape: fc.constantFrom<MoveShape>('still', 'axes', 'scan-auto') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('stop' as const), address }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), address, which: fc.integer({ min: 0, max: SENDS.length - 1 }) }) },
  { weight: 5, arbitrary: fc.constant({ op: 'next' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'close' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'open' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'stop-write-failed' as const }) },
);

const moveCommand = (still: boolean): MoveCommand => MOVES[still ? 'still' : 'axes'].command;

/** What a stop for `stop` ends: its own address; a camera's stop also ends broadcast motion; a broadcast stop ends all. */
const covers = (stop: number, target: number): boolean => stop === target || stop === BROADCAST || target === BROADCAST;

/**
 * The model: what the caller asked for and what must therefore come out. Each command call has
 * an id (the token); the model knows which ids are still owed to the wire.
 */
class Model {
  open = true;
  latestMove = new Map<number, { id: number; motion: boolean }>();
  stopsOwed = new Map<number, number>();
  others: { id: number; address: number; command: PelcoCommand; motion: boolean }[] = [];
  /** Addresses with motion handed to the line since a stop covering them was handed to it. */
  moving = new Set<number>();
  /** Motion enqueued before an accepted stop that covers it: none of these may ever reach the wire. */
  forbidden = new Map<number, string>();
  movesInARow = 0;

  owedClass(): number {
    if ([...this.stopsOwed.values()].some((n) => n > 0)) return Priority.Stop;
    if (this.latestMove.size > 0) return Priority.Move;
    return Math.min(5, ...this.others.map((o) => priorityOf(o.command)));
  }

  /** A stop for `address` is accepted (asked for, or put back after a failed write): returns the ids it must cancel. */
  stopAccepted(address: number): number[] {
    const cancelled: number[] = [];
    for (const [a, latest] of this.latestMove) {
      if (latest.motion && covers(address, a)) {
        cancelled.push(latest.id);
        this.latestMove.delete(a);
      }
    }
    this.others = this.others.filter((o) => {
      const cancel = o.motion && covers(address, o.address);
      if (cancel) cancelled.push(o.id);
      return !cancel;
    });
    for (const id of cancelled) this.forbidden.set(id, `stop(${address})`);
    this.stopsOwed.set(address, 1); // one unsent stop per address serves every stop() asked for while it waits
    return cancelled.sort((a, b) => a - b);
  }

  stopSent(address: number): void {
    if (address === BROADCAST) this.moving.clear();
    else this.moving.delete(address);
  }

  lineOpened(): void {
    // Motion never runs away: whoever was left moving (the broadcast address too) gets a stop first.
    if (!this.open) for (const a of this.moving) if ((this.stopsOwed.get(a) ?? 0) === 0) this.stopsOwed.set(a, 1);
    this.open = true;
  }
}

/** A plain assertion: the model check runs 10^5 times, so it stays cheap. */
function check_(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const sameIds = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function run(ops: Op[]): void {
  const queue = new BusQueue<number>({ broadcast: BROADCAST });
  const model = new Model();
  let nextId = 1;
  let lastOut: QueueEntry<number> | undefined;

  const check = (entry: QueueEntry<number> | undefined): void => {
    const owed = model.owedClass();
    if (!model.open || owed === 5) {
      check_(entry === undefined, 'nothing may leave');
      return;
    }
    check_(entry !== undefined, 'something is owed to the wire');
    const e = entry!;
    // The safety invariant: motion enqueued before an accepted stop covering it never reaches the wire.
    const stoppedBy = e.token === undefined ? undefined : model.forbidden.get(e.token);
    check_(stoppedBy === undefined, `${e.command.kind} ${e.token} for ${e.address} reached the wire after ${stoppedBy}`);
    // Priority: nothing of a higher class is left waiting, except that after DEFAULT_MOVE_BURST
    // moves in a row a lower class may have one slot (never ahead of a stop).
    const overtook = e.priority > owed && owed === Priority.Move && model.movesInARow >= DEFAULT_MOVE_BURST;
    check_(e.priority === owed || overtook, `class ${e.priority} left while class ${owed} was owed`);
    if (overtook) check_(e.priority === Math.min(...model.others.map((o) => priorityOf(o.command))), 'the overtaking frame is the highest lower class');
    // Stops neither count towards the burst nor reset it: only a lower-class frame getting through does.
    if (e.priority === Priority.Move) model.movesInARow++;
    else if (e.priority !== Priority.Stop) model.movesInARow = 0;
    const stopsOwed = model.stopsOwed.get(e.address) ?? 0;
    if (e.command.kind === 'stop') {
      check_(stopsOwed > 0, `a stop for ${e.address} that nobody asked for`);
      model.stopsOwed.set(e.address, stopsOwed - 1);
      model.stopSent(e.address);
      return;
    }
    // Never anything ahead of a stop.
    check_(stopsOwed === 0, `${e.command.kind} for ${e.address} went before its stop`);
    if (e.command.kind === 'move') {
      const latest = model.latestMove.get(e.address);
      // Latest wins: the only move that may leave is the newest one asked for.
      check_(e.token === latest?.id, `stale move ${e.token} for ${e.address} (latest ${latest?.id})`);
      model.latestMove.delete(e.address);
      if (latest?.motion) model.moving.add(e.address);
      return;
    }
    const i = model.others.findIndex((o) => o.id === e.token);
    check_(i >= 0, 'a cancelled or dropped command was sent');
    // FIFO within a class: nothing of the same class queued earlier is skipped.
    const earlier = model.others.slice(0, i).filter((o) => priorityOf(o.command) === e.priority);
    check_(earlier.length === 0, 'FIFO within a class');
    if (model.others[i]!.motion) model.moving.add(e.address);
    model.others.splice(i, 1);
  };

  for (const op of ops) {
    switch (op.op) {
      case 'move': {
        const id = nextId++;
        const { command, motion } = MOVES[op.shape];
        queue.move(op.address, { ...command }, id);
        if (model.open) model.latestMove.set(op.address, { id, motion });
        break;
      }
      case 'stop': {
        const cancelled = queue.stop(op.address, nextId++).map((e) => e.token!);
        const expected = model.stopAccepted(op.address);
        check_(sameIds(cancelled.sort((a, b) => a - b), expected), `stop(${op.address}) cancelled [${cancelled}], expected [${expected}]`);
        break;
      }
      case 'send': {
        const id = nextId++;
        const { command, motion } = SENDS[op.which]!;
        const accepted = queue.enqueue(op.address, command, id);
        check_(accepted === model.open, 'accepted only while open');
        if (model.open) model.others.push({ id, address: op.address, command, motion });
        break;
      }
      case 'next': {
        const peeked = queue.peek();
        lastOut = queue.next();
        check_(peeked === lastOut, 'peek() showed the entry next() then returned');
        check(lastOut);
        break;
      }
      case 'stop-write-failed':
        if (lastOut?.command.kind === 'stop') {
          const cancelled = queue.retryStop(lastOut).map((e) => e.token!);
          // The stop is owed again, what it covers may still be moving, the unsent motion it covers is cancelled.
          const expected = model.stopAccepted(lastOut.address);
          check_(sameIds(cancelled.sort((a, b) => a - b), expected), `retried stop(${lastOut.address}) cancelled [${cancelled}], expected [${expected}]`);
          model.moving.add(lastOut.address);
        }
        lastOut = undefined;
        break;
      case 'close': {
        const dropped = queue.lineClosed();
        check_(dropped.every((e) => e.command.kind !== 'stop'), 'a stop was dropped');
        model.open = false;
        model.latestMove.clear();
        model.others = [];
        break;
      }
      case 'open':
        queue.lineOpened();
        model.lineOpened();
        break;
    }
  }
  // Finally the line is up and drains: every stop ever asked for reaches the wire.
  queue.lineOpened();
  model.lineOpened();
  for (let guard = 0; guard < 1000 && model.owedClass() < 5; guard++) check(queue.next());
  check_(queue.next() === undefined && queue.size === 0, 'queue drained');
  // Every stop() asked for was followed by a stop frame for its address (owed counts reached 0).
  check_([...model.stopsOwed.values()].every((n) => n === 0), 'every stop reached the wire');
}

describe('BusQueue against a model', () => {
  it('keeps priority, latest-wins and stop rules, and peek() shows what next() takes, over 10^5 generated sequences', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 60, size: 'max' }), run), { numRuns: 100_000 });
  });

  it('replaces a waiting move in place, so a busy device keeps its turn but not more', () => {
    const queue = new BusQueue<string>();
    queue.move(1, moveCommand(false), 'a1');
    queue.move(2, moveCommand(false), 'b1');
    const { result, replaced } = queue.move(1, moveCommand(true), 'a2');
    expect(result).toBe('replaced');
    expect(replaced?.token).toBe('a1');
    expect([queue.next()?.token, queue.next()?.token, queue.next()]).toEqual(['a2', 'b1', undefined]);
    expect(queue.stats.get(1)?.superseded).toBe(1);
  });

  it('gives a stop precedence over everything and cancels only its own device', () => {
    const queue = new BusQueue<string>();
    queue.enqueue(1, { kind: 'query-zoom' }, 'q');
    queue.enqueue(1, { kind: 'preset-goto', preset: 2 }, 'goto1');
    queue.enqueue(2, { kind: 'preset-goto', preset: 2 }, 'goto2');
    queue.move(1, moveCommand(false), 'm1');
    queue.move(2, moveCommand(false), 'm2');
    const cancelled = queue.stop(1, 's1');
    expect(cancelled.map((e) => e.token).sort()).toEqual(['goto1', 'm1']);
    const order = [];
    for (let e = queue.next(); e; e = queue.next()) order.push(e.token);
    expect(order).toEqual(['s1', 'm2', 'goto2', 'q']);
  });

  it('keeps stops across a closed line and stops a device left moving when it reopens', () => {
    const queue = new BusQueue<string>();
    queue.move(1, moveCommand(false), 'm1');
    expect(queue.next()?.token).toBe('m1');
    queue.move(2, moveCommand(false), 'm2');
    queue.enqueue(3, { kind: 'zoom-speed', speed: 1 }, 'z');
    expect(queue.lineClosed().map((e) => e.token)).toEqual(['m2', 'z']);
    queue.stop(3, 's3');
    expect(queue.move(1, moveCommand(false), 'late').result).toBe('dropped');
    expect(queue.next()).toBeUndefined();
    queue.lineOpened();
    const first = [queue.next(), queue.next()].map((e) => `${e?.address}:${e?.command.kind}`);
    expect(first.sort()).toEqual(['1:stop', '3:stop']);
    expect(queue.next()).toBeUndefined();
  });

  it('lets a waiting query through a storm of moves after moveBurst moves, but never past a stop', () => {
    const storm = (queue: BusQueue<string>, slots: number, beforeLast?: () => void): string[] => {
      const sent: string[] = [];
      for (let i = 0; i < slots; i++) {
        for (const a of [1, 2]) queue.move(a, moveCommand(false), `m${a}`);
        if (i === slots - 1) beforeLast?.();
        sent.push(queue.next()!.token!);
      }
      return sent;
    };
    const q1 = new BusQueue<string>({ moveBurst: 3 });
    q1.enqueue(1, { kind: 'query-zoom' }, 'q');
    expect(storm(q1, 5)).toEqual(['m1', 'm2', 'm1', 'q', 'm2']);

    const q2 = new BusQueue<string>({ moveBurst: 3 });
    q2.enqueue(1, { kind: 'query-zoom' }, 'q');
    expect(storm(q2, 4, () => q2.stop(2, 's2'))).toEqual(['m1', 'm2', 'm1', 's2']);
    expect(q2.next()?.token).toBe('q'); // the stop went first; it did not restart the count
    expect(q2.next()?.token).toBe('m1');
  });

  it('does not let stops between the moves of a storm reset the count that lets a query through', () => {
    // A stop every other slot used to reset the count, so a query waited for the whole storm.
    const queue = new BusQueue<string>({ moveBurst: 3 });
    queue.enqueue(1, { kind: 'query-zoom' }, 'q');
    const sent: string[] = [];
    for (let i = 0; i < 8; i++) {
      for (const a of [1, 2]) queue.move(a, moveCommand(false), `m${a}`);
      if (i % 2 === 1) queue.stop(3, 's3');
      sent.push(queue.next()!.token!);
    }
    expect(sent.slice(0, sent.indexOf('q') + 1)).toEqual(['m1', 's3', 'm2', 's3', 'm1', 's3', 'q']);
  });

  it('keeps one unsent stop per device however often stop() is called while the line is down', () => {
    const queue = new BusQueue<string>();
    queue.move(1, moveCommand(false), 'm1');
    queue.next(); // device 1 is moving
    queue.lineClosed();
    for (let i = 0; i < 1000; i++) {
      queue.stop(1, `s1-${i}`);
      queue.stop(2, `s2-${i}`);
    }
    expect(queue.size).toBe(2);
    queue.lineOpened();
    expect([queue.next()?.token, queue.next()?.token, queue.next()]).toEqual(['s1-0', 's2-0', undefined]);
    queue.move(1, moveCommand(false), 'm1b'); // after the stop left, a new stop is queued again
    queue.stop(1, 's1-again');
    expect(queue.next()?.token).toBe('s1-again');
  });

  it('cancels every camera’s unsent motion on a broadcast stop, and leaves their settings and queries', () => {
    const queue = new BusQueue<string>({ broadcast: BROADCAST });
    queue.move(1, moveCommand(false), 'm1');
    queue.enqueue(2, { kind: 'pattern-run', pattern: 1 }, 'run2');
    queue.enqueue(3, { kind: 'set-zoom', position: 10 }, 'zoom3');
    queue.enqueue(2, { kind: 'zoom-speed', speed: 1 }, 'speed2');
    queue.enqueue(3, { kind: 'query-zoom' }, 'q3');
    const cancelled = queue.stop(BROADCAST, 'all');
    expect(cancelled.map((e) => e.token).sort()).toEqual(['m1', 'run2', 'zoom3']);
    const order = [];
    for (let e = queue.next(); e; e = queue.next()) order.push(e.token);
    expect(order).toEqual(['all', 'q3', 'speed2']);
  });

  it('cancels unsent broadcast motion on a camera’s stop (it would move that camera too)', () => {
    const queue = new BusQueue<string>({ broadcast: BROADCAST });
    queue.move(BROADCAST, moveCommand(false), 'mAll');
    queue.enqueue(BROADCAST, { kind: 'preset-goto', preset: 1 }, 'gotoAll');
    queue.enqueue(2, { kind: 'zone-scan-on' }, 'zone2');
    expect(queue.stop(1, 's1').map((e) => e.token).sort()).toEqual(['gotoAll', 'mAll']);
    expect([queue.next()?.token, queue.next()?.token, queue.next()]).toEqual(['s1', 'zone2', undefined]);
  });

  it('without a broadcast address, 0xFF is an address like any other', () => {
    const queue = new BusQueue<string>();
    queue.move(BROADCAST, moveCommand(false), 'mFF');
    expect(queue.stop(1, 's1')).toEqual([]);
  });

  it('stops the broadcast address on reopen after broadcast motion went out, until a broadcast stop went', () => {
    const queue = new BusQueue<string>({ broadcast: BROADCAST });
    queue.enqueue(BROADCAST, { kind: 'scan', mode: 'auto' }, 'scanAll');
    expect(queue.next()?.token).toBe('scanAll');
    queue.stop(1, 's1');
    expect(queue.next()?.token).toBe('s1'); // camera 1 stopped; the others still scan
    queue.lineClosed();
    queue.lineOpened();
    const stop = queue.next();
    expect([stop?.address, stop?.command.kind]).toEqual([BROADCAST, 'stop']);
    expect(queue.next()).toBeUndefined();
    // A broadcast stop that went out ends everyone's motion: nothing to stop on the next reopen.
    queue.move(2, moveCommand(false), 'm2');
    expect(queue.next()?.token).toBe('m2');
    queue.stop(BROADCAST, 'all');
    expect(queue.next()?.token).toBe('all');
    queue.lineClosed();
    queue.lineOpened();
    expect(queue.next()).toBeUndefined();
  });

  it('rejects a moveBurst that is not an integer >= 1, and takes undefined as the default', () => {
    for (const moveBurst of [0, -1, 1.5, Number.NaN, '3' as unknown as number]) {
      expect(() => new BusQueue({ moveBurst })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'moveBurst' }));
    }
    expect(() => new BusQueue({ broadcast: 256 })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'broadcast' }));
    const queue = new BusQueue<string>({ moveBurst: undefined, broadcast: undefined, lineOpen: undefined });
    expect(queue.lineOpen).toBe(true);
    expect(queue.broadcast).toBeUndefined();
  });

  it('classifies commands into the five classes', () => {
    expect(priorityOf({ kind: 'stop' })).toBe(Priority.Stop);
    expect(priorityOf(moveCommand(false))).toBe(Priority.Move);
    expect(priorityOf({ kind: 'set-zoom', position: 3 })).toBe(Priority.Position);
    expect(priorityOf({ kind: 'preset-set', preset: 3 })).toBe(Priority.Position);
    expect(priorityOf({ kind: 'query-magnification' })).toBe(Priority.Query);
    expect(priorityOf({ kind: 'auto-focus', mode: 'auto' })).toBe(Priority.Setting);
  });
});
