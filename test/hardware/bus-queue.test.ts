import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusQueue, DEFAULT_MOVE_BURST, Priority, priorityOf, type QueueEntry } from '../../hardware/serial/bus-queue.js';
import type { MoveCommand, PelcoCommand } from '../../protocols/pelco/index.js';

type Op =
  | { op: 'move'; address: number; still: boolean }
  | { op: 'stop'; address: number }
  | { op: 'send'; address: number; kind: 'preset-goto' | 'preset-set' | 'zoom-speed' | 'query-zoom' }
  | { op: 'next' }
  | { op: 'close' }
  | { op: 'open' }
  /** The write of the last frame handed out failed; if it was a stop, the driver retries it. */
  | { op: 'stop-write-failed' };

const address = fc.integer({ min: 1, max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('move' as const), address, still: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('stop' as const), address }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('send' as const), address, kind: fc.constantFrom('preset-goto', 'preset-set', 'zoom-speed', 'query-zoom') }) },
  { weight: 5, arbitrary: fc.constant({ op: 'next' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'close' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'open' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'stop-write-failed' as const }) },
);

const moveCommand = (still: boolean): MoveCommand =>
  still ? { kind: 'move', panSpeed: 0, tiltSpeed: 0 } : { kind: 'move', pan: 'left', panSpeed: 10, tiltSpeed: 0, zoom: 'tele' };

const commandFor = (kind: Extract<Op, { op: 'send' }>['kind']): PelcoCommand =>
  kind === 'zoom-speed' ? { kind, speed: 2 } : kind === 'query-zoom' ? { kind } : { kind, preset: 3 };

/**
 * The model: what the caller asked for and what must therefore come out. Each command call has
 * an id (the token); the model knows which ids are still owed to the wire.
 */
class Model {
  open = true;
  latestMove = new Map<number, { id: number; moving: boolean }>();
  stopsOwed = new Map<number, number>();
  others: { id: number; address: number; command: PelcoCommand }[] = [];
  /** Motion handed to the line since the last stop handed to it. */
  moving = new Set<number>();
  stopCalls = 0;
  stopsSent = 0;
  movesInARow = 0;

  owedClass(): number {
    if ([...this.stopsOwed.values()].some((n) => n > 0)) return Priority.Stop;
    if (this.latestMove.size > 0) return Priority.Move;
    return Math.min(5, ...this.others.map((o) => priorityOf(o.command)));
  }
}

/** A plain assertion: the model check runs 10^5 times, so it stays cheap. */
function check_(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

function run(ops: Op[]): void {
  const queue = new BusQueue<number>();
  const model = new Model();
  let nextId = 1;
  let lastOut: QueueEntry<number> | undefined;

  const check = (entry: QueueEntry<number> | undefined): void => {
    const owed = model.owedClass();
    if (!model.open) {
      check_(entry === undefined, 'nothing may leave');
      return;
    }
    if (owed === 5) {
      check_(entry === undefined, 'nothing may leave');
      return;
    }
    check_(entry !== undefined, 'something is owed to the wire');
    const e = entry!;
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
      model.moving.delete(e.address);
      model.stopsSent++;
      return;
    }
    // Never motion ahead of a stop for the same device.
    check_(stopsOwed === 0, `motion for ${e.address} went before its stop`);
    if (e.command.kind === 'move') {
      const latest = model.latestMove.get(e.address);
      // Latest wins: the only move that may leave is the newest one asked for.
      check_(e.token === latest?.id, `stale move ${e.token} for ${e.address} (latest ${latest?.id})`);
      model.latestMove.delete(e.address);
      if (latest?.moving) model.moving.add(e.address);
      return;
    }
    const i = model.others.findIndex((o) => o.id === e.token);
    check_(i >= 0, 'a cancelled or dropped command was sent');
    // FIFO within a class: nothing of the same class queued earlier is skipped.
    const earlier = model.others.slice(0, i).filter((o) => priorityOf(o.command) === e.priority);
    check_(earlier.length === 0, 'FIFO within a class');
    model.others.splice(i, 1);
    if (e.command.kind === 'preset-goto') model.moving.add(e.address);
  };

  for (const op of ops) {
    switch (op.op) {
      case 'move': {
        const id = nextId++;
        queue.move(op.address, moveCommand(op.still), id);
        if (model.open) model.latestMove.set(op.address, { id, moving: !op.still });
        break;
      }
      case 'stop':
        queue.stop(op.address, nextId++);
        model.stopCalls++;
        // One unsent stop per device serves every stop() asked for while it waits.
        model.stopsOwed.set(op.address, 1);
        model.latestMove.delete(op.address);
        model.others = model.others.filter((o) => !(o.address === op.address && o.command.kind === 'preset-goto'));
        break;
      case 'send': {
        const id = nextId++;
        const accepted = queue.enqueue(op.address, commandFor(op.kind), id);
        check_(accepted === model.open, 'accepted only while open');
        if (model.open) model.others.push({ id, address: op.address, command: commandFor(op.kind) });
        break;
      }
      case 'next':
        lastOut = queue.next();
        check(lastOut);
        break;
      case 'stop-write-failed':
        if (lastOut?.command.kind === 'stop') {
          queue.retryStop(lastOut);
          // The stop is owed again, the device may still be moving, its unsent motion is cancelled.
          model.stopsOwed.set(lastOut.address, 1);
          model.stopsSent--;
          model.moving.add(lastOut.address);
          model.latestMove.delete(lastOut.address);
          model.others = model.others.filter((o) => !(o.address === lastOut!.address && o.command.kind === 'preset-goto'));
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
        if (!model.open) {
          // Motion never runs away: whoever was left moving gets a stop first.
          for (const a of model.moving) if ((model.stopsOwed.get(a) ?? 0) === 0) model.stopsOwed.set(a, 1);
        }
        model.open = true;
        break;
    }
  }
  // Finally the line is up and drains: every stop ever asked for reaches the wire.
  queue.lineOpened();
  if (!model.open) for (const a of model.moving) if ((model.stopsOwed.get(a) ?? 0) === 0) model.stopsOwed.set(a, 1);
  model.open = true;
  for (let guard = 0; guard < 1000 && model.owedClass() < 5; guard++) check(queue.next());
  check_(queue.next() === undefined && queue.size === 0, 'queue drained');
  // Every stop() asked for was followed by a stop frame for its device (owed counts reached 0).
  check_([...model.stopsOwed.values()].every((n) => n === 0), 'every stop reached the wire');
}

describe('BusQueue against a model', () => {
  it('keeps priority, latest-wins and stop rules over 10^5 generated sequences', () => {
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

  it('classifies commands into the five classes', () => {
    expect(priorityOf({ kind: 'stop' })).toBe(Priority.Stop);
    expect(priorityOf(moveCommand(false))).toBe(Priority.Move);
    expect(priorityOf({ kind: 'set-zoom', position: 3 })).toBe(Priority.Position);
    expect(priorityOf({ kind: 'preset-set', preset: 3 })).toBe(Priority.Position);
    expect(priorityOf({ kind: 'query-magnification' })).toBe(Priority.Query);
    expect(priorityOf({ kind: 'auto-focus', mode: 'auto' })).toBe(Priority.Setting);
  });
});
