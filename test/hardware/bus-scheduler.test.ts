import { afterEach, describe, expect, it } from 'vitest';
import { isZoomsyncError } from '../../protocols/errors.js';
import type { MoveCommand } from '../../protocols/pelco/index.js';
import { SimulatedBus } from '../../hardware/sim/sim-bus.js';
import { openRig, type SimRig, until } from './support/sim-rig.js';

const tele: MoveCommand = { kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 };
const panRight = (speed: number): MoveCommand => ({ kind: 'move', pan: 'right', panSpeed: speed, tiltSpeed: 0 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BusScheduler over a real pty with simulated blocks', () => {
  let rig: SimRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('round-trips moves, stops, presets and queries', async () => {
    rig = await openRig({ addresses: [1] });
    const { bus, sim } = rig;
    const block = sim.block(1)!;
    await bus.send(1, { kind: 'zoom-speed', speed: 3 });
    bus.move(1, tele);
    await sleep(150);
    bus.stop(1);
    await until(() => sim.received.some((r) => r.command.kind === 'stop'), 2000, 'the stop');
    const zoom = await bus.query(1, 'query-zoom');
    expect(zoom).toBeGreaterThan(0);
    expect(zoom).toBe(block.lens.zoom); // sz-g10: wire scale 0-1000 is the lens scale
    expect(await bus.query(1, 'query-magnification')).toBe(Math.round(100 * (1 + (9 * zoom) / 1000)));

    await bus.send(1, { kind: 'preset-set', preset: 7 });
    await bus.send(1, { kind: 'set-zoom', position: 300 });
    await until(() => block.lens.zoom === 300, 3000, 'zoom 300');
    await bus.send(1, { kind: 'preset-goto', preset: 7 });
    await until(() => sim.received.some((r) => r.command.kind === 'preset-goto'), 2000, 'the preset-goto');
    await until(() => !block.lens.moving, 3000, 'preset travel');
    expect(await bus.query(1, 'query-zoom')).toBe(zoom);

    expect(sim.received.map((r) => r.command.kind)).toEqual([
      'zoom-speed', 'move', 'stop', 'query-zoom', 'query-magnification', 'preset-set', 'set-zoom', 'preset-goto', 'query-zoom',
    ]);
    const c = bus.deviceCounters(1);
    expect(c.sent).toBe(9);
    expect(c.replies).toBe(3);
    expect(c.timeouts).toBe(0);
  });

  it('answers pan and tilt queries from the simulated head', async () => {
    rig = await openRig({ addresses: [4], dialect: 'P' });
    const { bus } = rig;
    await bus.send(4, { kind: 'set-pan', position: 3000 });
    await bus.send(4, { kind: 'set-tilt', position: 1500 });
    await until(() => rig!.sim.block(4)!.panTilt.pan === 3000 && rig!.sim.block(4)!.panTilt.tilt === 1500, 4000, 'pan/tilt travel');
    expect(await bus.query(4, 'query-pan')).toBe(3000);
    expect(await bus.query(4, 'query-tilt')).toBe(1500);
    expect(rig.sim.received.every((r) => r.dialect === 'P')).toBe(true);
  });

  it('never sends a superseded move and never exceeds the line rate', async () => {
    rig = await openRig({ addresses: [1, 2], baudRate: 2400 });
    const { bus, sim } = rig;
    const latest = new Map<number, MoveCommand>();
    let stale = 0;
    const handedAt: number[] = [];
    bus.on('sent', (f) => {
      if (f.command.kind === 'move' && latest.get(f.address) !== f.command) stale++;
      handedAt.push(f.at);
    });
    for (let i = 0; i < 60; i++) {
      for (const address of [1, 2]) {
        const move = panRight(i);
        latest.set(address, move);
        bus.move(address, move);
      }
      await sleep(2);
    }
    await until(() => bus.pending === 0, 3000, 'queue to drain');
    await until(() => sim.received.length === handedAt.length, 3000, 'every frame to arrive');
    expect(stale).toBe(0);
    // The last move of each device arrives; older ones were replaced while waiting.
    for (const address of [1, 2]) {
      const last = sim.received.filter((r) => r.address === address).at(-1);
      expect(last?.command).toEqual(panRight(59));
    }
    expect(bus.lineCounters.superseded).toBeGreaterThan(0);
    expect(bus.lineCounters.superseded + bus.lineCounters.sent).toBe(120);
    // Pacing: 7 bytes at 2400 baud = 29.2 ms per frame. Frame k is handed to the line no earlier
    // than k frame times after the first, less the 1 ms lead. (Checked on the handing times: the
    // pty's delivery to the simulator jitters by milliseconds on a loaded machine.)
    handedAt.forEach((t, k) => expect(t - handedAt[0]!).toBeGreaterThanOrEqual(k * bus.frameTimeMs - 1));
  });

  it('puts a stop ahead of queued motion and cancels the device’s unsent motion', async () => {
    rig = await openRig({ addresses: [1, 2], baudRate: 1200 });
    const { bus, sim } = rig;
    bus.move(2, panRight(5)); // goes out at once and holds the wire for 58 ms
    bus.move(1, panRight(10));
    const goto = bus.send(1, { kind: 'preset-goto', preset: 1 });
    const save = bus.send(1, { kind: 'preset-set', preset: 2 });
    bus.stop(1);
    await expect(goto).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await save;
    await until(() => bus.pending === 0, 3000, 'queue to drain');
    await sleep(80);
    expect(sim.received.map((r) => `${r.address}:${r.command.kind}`)).toEqual(['2:move', '1:stop', '1:preset-set']);
    expect(bus.deviceCounters(1).cancelled).toBe(2);
  });

  it('cancels queued motion for every camera on a broadcast stop, and sends the stop ahead of what is left', async () => {
    rig = await openRig({ addresses: [1, 2], baudRate: 1200 }); // sz-g10, PELCO-D: 0xFF is broadcast
    const { bus, sim } = rig;
    const sent: string[] = [];
    bus.on('sent', (f) => sent.push(`${f.address}:${f.command.kind}`));
    bus.move(2, panRight(5)); // goes out at once and holds the wire for 58 ms
    bus.move(1, panRight(10));
    const goto = bus.send(2, { kind: 'preset-goto', preset: 1 });
    const zoom = bus.send(1, { kind: 'set-zoom', position: 500 });
    const save = bus.send(1, { kind: 'preset-set', preset: 2 });
    bus.stop(0xff);
    await expect(goto).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await expect(zoom).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await save;
    await until(() => sim.received.length === 3, 3000, 'the stop and the preset-set');
    expect(sim.received.map((r) => `${r.address}:${r.command.kind}`)).toEqual(['2:move', '255:stop', '1:preset-set']);
    expect(sim.received[1]?.hex).toBe('FF FF 00 00 00 00 FF'); // address byte 0xFF: every camera
    expect(sent).toEqual(['2:move', '255:stop', '1:preset-set']); // nothing else was ever handed to the line
    expect(bus.pending).toBe(0);
    expect(sim.block(1)!.lens.zoom).toBe(0);
    expect([bus.deviceCounters(1).cancelled, bus.deviceCounters(2).cancelled]).toEqual([2, 1]);
  });

  it('cancels queued broadcast motion on a camera’s stop', async () => {
    rig = await openRig({ addresses: [1, 2], baudRate: 1200 });
    const { bus, sim } = rig;
    bus.move(2, panRight(5)); // holds the wire
    bus.move(0xff, panRight(20));
    const gotoAll = bus.send(0xff, { kind: 'preset-goto', preset: 1 });
    bus.stop(1);
    await expect(gotoAll).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await until(() => sim.received.length === 2, 3000, 'the stop');
    expect(sim.received.map((r) => `${r.address}:${r.command.kind}`)).toEqual(['2:move', '1:stop']);
    expect(bus.pending).toBe(0);
  });

  it('times out a query to a silent device with a typed error while other devices keep moving', async () => {
    rig = await openRig({ addresses: [1, 2], queryTimeoutMs: 60, queryRetries: 2 });
    const { bus, sim } = rig;
    sim.block(2)!.faults.silent = true;
    const started = performance.now();
    let failedAt = Infinity;
    const query = bus.query(2, 'query-zoom').catch((e: unknown) => ((failedAt = performance.now()), e));
    const moves: number[] = [];
    sim.on('frame', (r) => {
      if (r.address === 1 && r.command.kind === 'move') moves.push(r.at);
    });
    for (let i = 0; i < 30; i++) {
      bus.move(1, panRight(i + 1));
      await sleep(10);
    }
    const error = await query;
    expect(isZoomsyncError(error, 'ZS_REPLY_TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(/device 2 .* did not answer query-zoom .*3 attempts/);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(bus.deviceCounters(2).timeouts).toBe(3);
    expect(sim.received.filter((r) => r.address === 2)).toHaveLength(3);
    // Device 1's moves kept flowing while device 2's query waited (~225 ms, a move every 10 ms).
    expect(moves.filter((t) => t > started && t < failedAt).length).toBeGreaterThanOrEqual(10);
  });

  it('rejects and counts corrupted and wrong-address replies, and retries past them', async () => {
    rig = await openRig({ addresses: [1], queryTimeoutMs: 400, queryRetries: 1 });
    const { bus, sim } = rig;
    const block = sim.block(1)!;
    block.faults.corruptReplies = 1;
    expect(await bus.query(1, 'query-zoom')).toBe(0); // first reply corrupt, the retry answers
    expect(bus.lineCounters.checksumErrors).toBe(1);
    expect(bus.deviceCounters(1).timeouts).toBe(1);

    block.faults.wrongAddress = 9;
    const error = await bus.query(1, 'query-zoom').catch((e: unknown) => e);
    expect(isZoomsyncError(error, 'ZS_REPLY_TIMEOUT')).toBe(true);
    expect(bus.lineCounters.unmatchedReplies).toBe(2);
    block.faults.wrongAddress = undefined;
    block.faults.dropReplies = 1;
    block.faults.replyDelayMs = 10;
    expect(await bus.query(1, 'query-magnification')).toBe(100);
    expect(bus.deviceCounters(1).replies).toBe(2);
  });

  it('shares one frame between identical concurrent queries', async () => {
    rig = await openRig({ addresses: [1] });
    const { bus, sim } = rig;
    const values = await Promise.all([bus.query(1, 'query-zoom'), bus.query(1, 'query-zoom'), bus.query(1, 'query-magnification')]);
    expect(values).toEqual([0, 0, 100]);
    expect(sim.received.map((r) => r.command.kind)).toEqual(['query-zoom', 'query-magnification']);
  });

  it('on a line close keeps stops, drops motion and fails queries; on reopen stops devices left moving', async () => {
    rig = await openRig({ addresses: [1, 2, 3], baudRate: 1200, queryTimeoutMs: 2000 });
    const { bus, sim, line } = rig;
    bus.move(1, panRight(20)); // sent at once: device 1 is moving
    bus.move(2, panRight(20)); // waits for the wire
    const query = bus.query(3, 'query-zoom');
    const setting = bus.send(3, { kind: 'zoom-speed', speed: 1 });
    await until(() => sim.received.length === 1, 1000, 'the first move');
    await line.close();
    await expect(query).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    await expect(setting).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    await expect(bus.query(3, 'query-zoom')).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    bus.stop(3);
    bus.move(2, panRight(30)); // dropped: the line is down
    expect(bus.deviceCounters(2).dropped).toBe(2);
    await line.open();
    await until(() => sim.received.length >= 3, 2000, 'stops after reopen');
    await sleep(100);
    expect(sim.received.map((r) => `${r.address}:${r.command.kind}`).sort()).toEqual(['1:move', '1:stop', '3:stop']);
    expect(sim.received[0]?.address).toBe(1);
  });

  it('keeps a stop made while the port is unplugged and sends it first when SerialLine reconnects', async () => {
    rig = await openRig({ addresses: [1] });
    const { bus, sim, pair, line } = rig;
    bus.move(1, panRight(9));
    await until(() => sim.received.length === 1, 2000, 'the move');
    await sim.close();
    await pair.unplug();
    bus.stop(1); // the line is closed or closes on this write (EIO)
    await until(() => !line.isOpen, 2000, 'the line to notice');
    expect(bus.pending).toBe(1);
    let sim2!: SimulatedBus;
    await pair.replug(async (path) => {
      sim2 = await SimulatedBus.open(path); // the device is back before the controller can reconnect
      sim2.addBlock({ address: 1 });
    });
    try {
      await until(() => sim2.received.length >= 1, 2000, 'the stop after reopen');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sim2.received.map((r) => r.command.kind)).toEqual(['stop']);
    } finally {
      await sim2.close();
    }
  });

  it('stopAll after broadcast motion stops the broadcast address too, so no camera is left moving', async () => {
    rig = await openRig({ addresses: [1, 2] });
    const { bus, sim } = rig;
    bus.move(1, panRight(3));
    await bus.send(0xff, { kind: 'pattern-run', pattern: 1 });
    expect(bus.stopAll()).toEqual([1, 0xff]);
    await until(() => sim.received.filter((r) => r.command.kind === 'stop').length === 2, 2000, 'two stops');
    expect(sim.received.filter((r) => r.command.kind === 'stop').map((r) => r.address).sort()).toEqual([1, 0xff]);
  });

  it('stopAll stops every device it has addressed', async () => {
    rig = await openRig({ addresses: [1, 2, 3] });
    const { bus, sim } = rig;
    bus.move(2, panRight(3));
    await bus.send(3, { kind: 'zoom-speed', speed: 1 });
    expect(bus.stopAll()).toEqual([2, 3]);
    await until(() => sim.received.filter((r) => r.command.kind === 'stop').length === 2, 2000, 'two stops');
  });
});
