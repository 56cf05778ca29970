/**
 * Wire bursts (hardware/serial/wire-burst.ts): frames queued inside asOneBurst() leave in one
 * write, back to back. Over a real pty, the simulator's wireEndAt (when a real UART at the baud
 * rate would have finished each frame) shows whether the wire was left idle between them; on a
 * hand-driven clock, the writes and hand-over times are placed exactly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BusScheduler, type SentFrame } from '../../hardware/serial/bus-scheduler.js';
import { asOneBurst } from '../../hardware/serial/wire-burst.js';
import type { ReceivedFrame, SimulatedBus } from '../../hardware/sim/sim-bus.js';
import { encode, frameTimeMs, type PelcoCommand, toHex } from '../../protocols/pelco/index.js';
import { ManualClock, RecordingLine } from './support/scheduler-doubles.js';
import { openRig, type SimRig } from './support/sim-rig.js';

const setZoom = (position: number): PelcoCommand => ({ kind: 'set-zoom', position });
const hex = (address: number, command: PelcoCommand) => toHex(encode(command, { dialect: 'D', address }));

/** Resolves with the simulator's received frames once it has `n` (waits on its 'frame' events). */
function received(sim: SimulatedBus, n: number): Promise<ReceivedFrame[]> {
  return new Promise((resolve) => {
    const check = () => {
      if (sim.received.length < n) return;
      sim.off('frame', check);
      resolve(sim.received);
    };
    sim.on('frame', check);
    check();
  });
}

/** Gaps between consecutive frames' wire ends, in ms. */
const wireSpacing = (frames: readonly ReceivedFrame[]) => frames.slice(1).map((f, i) => f.wireEndAt - frames[i]!.wireEndAt);

describe('BusScheduler bursts over a real pty', () => {
  let rig: SimRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('a burst to 4 devices on one bus arrives as 4 frames with no gap: wire ends exactly one frame time apart', async () => {
    rig = await openRig({ addresses: [1, 2, 3, 4] });
    const { bus, sim } = rig;
    const sent: SentFrame[] = [];
    bus.on('sent', (frame) => sent.push(frame));
    const arriving = received(sim, 4);
    const handedOver = asOneBurst(() => [1, 2, 3, 4].map((address) => bus.send(address, setZoom(100 * address))));
    await Promise.all(handedOver);
    const frames = await arriving;
    expect(frames.map((f) => f.hex)).toEqual([1, 2, 3, 4].map((a) => hex(a, setZoom(100 * a))));
    for (const gap of wireSpacing(frames)) expect(gap).toBeCloseTo(frameTimeMs('D', 9600), 9);
    // Per frame 'sent' events and counters, all handed over at the same moment.
    expect(sent.map((f) => f.address)).toEqual([1, 2, 3, 4]);
    expect(new Set(sent.map((f) => f.at)).size).toBe(1);
    expect([1, 2, 3, 4].map((a) => bus.deviceCounters(a).sent)).toEqual([1, 1, 1, 1]);
  });

  it('a stop queued while the burst waits for the wire cancels that device’s frame and goes first; the rest still arrive back to back', async () => {
    rig = await openRig({ addresses: [1, 2, 3, 4] });
    const { bus, sim } = rig;
    const arriving = received(sim, 5);
    // All in one tick: the first frame takes the free wire, so the burst has to wait for it.
    const speed = bus.send(1, { kind: 'zoom-speed', speed: 2 });
    const burst = asOneBurst(() => [1, 2, 3, 4].map((address) => bus.send(address, setZoom(500)).catch((e: unknown) => e)));
    bus.stop(2);
    await speed;
    const outcomes = await Promise.all(burst);
    expect(outcomes[1]).toMatchObject({ code: 'ZS_CANCELLED' });
    expect([outcomes[0], outcomes[2], outcomes[3]]).toEqual([undefined, undefined, undefined]);
    const frames = await arriving;
    expect(frames.map((f) => f.hex)).toEqual([hex(1, { kind: 'zoom-speed', speed: 2 }), hex(2, { kind: 'stop' }), hex(1, setZoom(500)), hex(3, setZoom(500)), hex(4, setZoom(500))]);
    for (const gap of wireSpacing(frames.slice(2))) expect(gap).toBeCloseTo(frameTimeMs('D', 9600), 9);
    expect(bus.deviceCounters(2)).toMatchObject({ sent: 1, cancelled: 1 });
    expect(sim.block(2)!.lens.moving).toBe(false);
  });
});

describe('BusScheduler bursts, on a hand-driven clock', () => {
  it('hands a burst to the line in one write and holds the wire for all its frames: a stop right after it waits for them', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    const at: number[] = [];
    bus.on('sent', (frame) => at.push(frame.at));
    const sends = asOneBurst(() => [1, 2, 3, 4].map((address) => bus.send(address, setZoom(500))));
    expect(line.written).toEqual([[1, 2, 3, 4].map((a) => hex(a, setZoom(500))).join(' ')]);
    bus.stop(1);
    await clock.advanceTo(100);
    await Promise.all(sends);
    expect(line.written.slice(1)).toEqual([hex(1, { kind: 'stop' })]);
    expect(at.slice(0, 4)).toEqual([0, 0, 0, 0]);
    // The stop is handed over within the lead (1 ms) before the burst's 4 slots are off the wire.
    expect(at[4]).toBeGreaterThanOrEqual(4 * bus.slotMs - 1);
    expect(at[4]).toBeLessThan(4 * bus.slotMs);
    await bus.close();
  });

  it('frames queued together outside a burst still go one write per frame, each within the lead before the wire is free', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    const at: number[] = [];
    bus.on('sent', (frame) => at.push(frame.at));
    const sends = [1, 2, 3, 4].map((address) => bus.send(address, setZoom(500)));
    await clock.advanceTo(100);
    await Promise.all(sends);
    expect(line.written).toEqual([1, 2, 3, 4].map((a) => hex(a, setZoom(500))));
    at.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual(k * bus.slotMs - 1);
      expect(t).toBeLessThanOrEqual(Math.max(0, k * bus.slotMs));
    });
    await bus.close();
  });

  it('leaves a query out of the burst: it goes alone after it, with the wire kept for its reply', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    const bus = new BusScheduler(line, { dialect: 'D', clock, queryTimeoutMs: 50 });
    const sent: SentFrame[] = [];
    bus.on('sent', (frame) => sent.push(frame));
    let zoom: Promise<number> | undefined;
    const sends = asOneBurst(() => [bus.send(1, setZoom(500)), (zoom = bus.query(2, 'query-zoom')), bus.send(3, setZoom(500))]);
    expect(line.written).toEqual([`${hex(1, setZoom(500))} ${hex(3, setZoom(500))}`]);
    await clock.advanceTo(2 * bus.slotMs);
    expect(line.written[1]).toBe(hex(2, { kind: 'query-zoom' }));
    line.reply(encode({ kind: 'zoom-position', position: 420 }, { dialect: 'D', address: 2 }));
    expect(await zoom).toBe(420);
    const after = bus.send(4, setZoom(10));
    await clock.advanceTo(200);
    await Promise.all([...sends, after]);
    const query = sent.find((f) => f.command.kind === 'query-zoom')!;
    expect(sent.at(-1)!.at).toBeGreaterThanOrEqual(query.at + 2 * bus.slotMs - 1);
    await bus.close();
  });

  it('still sends what a burst queued when its callback throws, and a nested burst joins the outer one', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    expect(() =>
      asOneBurst(() => {
        bus.stop(1);
        asOneBurst(() => bus.stop(2));
        throw new Error('member 3 broke');
      }),
    ).toThrow('member 3 broke');
    expect(line.written).toEqual([`${hex(1, { kind: 'stop' })} ${hex(2, { kind: 'stop' })}`]);
    await bus.close();
  });
});
