/** ZoomBlock over a real pty to a simulated SZ-G10: frames, reports, soft limits, state. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SentFrame } from '../../../hardware/serial/bus-scheduler.js';
import { toHex, type PelcoCommand } from '../../../protocols/pelco/index.js';
import type { BlockState, CommandReport } from '../../../src/devices/block-api.js';
import { SoftLimitError } from '../../../src/devices/soft-limits.js';
import type { ZoomBlock } from '../../../src/devices/zoom-block.js';
import { type BlockRig, frameHex, openBlockRig, until } from './block-rig.js';

let rig: BlockRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const OPERATIONS: [string, (b: ZoomBlock) => Promise<CommandReport>, PelcoCommand][] = [
  ['move', (b) => b.move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }), { kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }],
  ['stop', (b) => b.stop(), { kind: 'stop' }],
  ['zoomTo', (b) => b.zoomTo(420), { kind: 'set-zoom', position: 420 }],
  ['panTo', (b) => b.panTo(9000), { kind: 'set-pan', position: 9000 }],
  ['tiltTo', (b) => b.tiltTo(1500), { kind: 'set-tilt', position: 1500 }],
  ['setPreset', (b) => b.setPreset(5), { kind: 'preset-set', preset: 5 }],
  ['clearPreset', (b) => b.clearPreset(5), { kind: 'preset-clear', preset: 5 }],
  ['gotoPreset', (b) => b.gotoPreset(5), { kind: 'preset-goto', preset: 5 }],
  ['zoomSpeed', (b) => b.zoomSpeed(2), { kind: 'zoom-speed', speed: 2 }],
  ['focusSpeed', (b) => b.focusSpeed(1), { kind: 'focus-speed', speed: 1 }],
  ['focusMode', (b) => b.focusMode('off'), { kind: 'auto-focus', mode: 'off' }],
  ['irisMode', (b) => b.irisMode('auto'), { kind: 'auto-iris', mode: 'auto' }],
];

describe('ZoomBlock commands', () => {
  it.each(OPERATIONS)('%s reaches the wire as its PELCO frame and reports the sent time of that frame', async (_name, call, command) => {
    rig = await openBlockRig();
    const sent: SentFrame[] = [];
    rig.rig.bus.on('sent', (frame) => sent.push(frame));
    const report = await call(rig.block);
    const hex = frameHex(command);
    await until(() => rig!.rig.sim.received.some((f) => f.hex === hex), 2000, `${hex} on the wire`);
    const ours = sent.find((f) => toHex(f.bytes) === hex)!;
    expect(report).toMatchObject({ block: 'left', path: 'serial', sentAt: ours.at });
  });

  it('enqueues its frame before the call returns (a group loop puts every frame in the same tick)', async () => {
    rig = await openBlockRig();
    const { bus } = rig.rig;
    const before = bus.lineCounters.sent + bus.pending;
    const pending = [rig.block.zoomTo(100), rig.block.gotoPreset(3), rig.block.stop()];
    expect(bus.lineCounters.sent + bus.pending).toBeGreaterThanOrEqual(before + 2); // the stop may cancel the unsent preset
    await Promise.allSettled(pending);
  });

  it('a move replaced by a newer one before it left rejects with ZS_CANCELLED; the newer one is sent', async () => {
    rig = await openBlockRig();
    const first = rig.block.move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }); // on the wire at once
    const replaced = rig.block.move({ zoom: 'wide', panSpeed: 0, tiltSpeed: 0 }); // waits for the wire
    const latest = rig.block.move({ focus: 'far', panSpeed: 0, tiltSpeed: 0 });
    await expect(first).resolves.toMatchObject({ path: 'serial' });
    await expect(replaced).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await expect(latest).resolves.toMatchObject({ path: 'serial' });
    await rig.block.stop();
  });

  it('rejects a bad preset number with ZS_INVALID_ARGUMENT and puts nothing on the line', async () => {
    rig = await openBlockRig();
    const before = rig.rig.bus.lineCounters.sent + rig.rig.bus.pending;
    await expect(rig.block.gotoPreset(-1)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    expect(rig.rig.bus.lineCounters.sent + rig.rig.bus.pending).toBe(before);
  });
});

describe('ZoomBlock soft limits', () => {
  it('clamps a zoom outside limits.zoom to the nearer end and says so in the report', async () => {
    rig = await openBlockRig({ block: { limits: { zoom: [100, 900] } } });
    expect(rig.block.zoomRange).toEqual([100, 900]);
    const report = await rig.block.zoomTo(950);
    expect(report.value).toBe(900);
    expect(report.limited).toMatch(/950.*900/);
    const hex = frameHex({ kind: 'set-zoom', position: 900 });
    await until(() => rig!.rig.sim.received.some((f) => f.hex === hex), 2000, 'set-zoom 900 on the wire');
    expect((await rig.block.zoomTo(50)).value).toBe(100);
    expect((await rig.block.zoomTo(500)).limited).toBeUndefined();
  });

  it('with limitMode refuse, rejects with a SoftLimitError before any frame is built', async () => {
    rig = await openBlockRig({ block: { limits: { zoom: [0, 900] }, limitMode: 'refuse' } });
    const before = rig.rig.bus.lineCounters.sent + rig.rig.bus.pending;
    const refused = rig.block.zoomTo(901);
    await expect(refused).rejects.toBeInstanceOf(SoftLimitError);
    await expect(refused).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', block: 'left', limits: [0, 900] });
    expect(rig.rig.bus.lineCounters.sent + rig.rig.bus.pending).toBe(before);
  });

  it('refuses limits outside the profile range when the block is made', async () => {
    rig = await openBlockRig();
    const { ZoomBlock } = await import('../../../src/devices/zoom-block.js');
    expect(() => new ZoomBlock({ name: 'x', address: 2, bus: rig!.rig.bus, line: rig!.rig.line, limits: { zoom: [0, 1001] } })).toThrow(
      expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }),
    );
    expect(() => new ZoomBlock({ name: 'x', address: 0, bus: rig!.rig.bus, line: rig!.rig.line })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });

  it.each([
    ['limitMode', { limitMode: 'wrap' as never }, 'limitMode of block x'],
    ['calibration', { calibration: [[0, 1], [500, 1]] as const }, 'calibration of block x'],
    ['fallback.timeoutsBeforeHttp', { fallback: { timeoutsBeforeHttp: 0 } }, 'option fallback.timeoutsBeforeHttp'],
    ['fallback.probeIntervalMs', { fallback: { probeIntervalMs: -5 } }, 'option fallback.probeIntervalMs'],
  ])('refuses a bad %s when the block is made, naming the field', async (_name, bad, field) => {
    rig = await openBlockRig();
    const { ZoomBlock } = await import('../../../src/devices/zoom-block.js');
    expect(() => new ZoomBlock({ name: 'x', address: 2, bus: rig!.rig.bus, line: rig!.rig.line, ...bad })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field }));
  });
});

describe('ZoomBlock state', () => {
  it('reads the zoom over serial and publishes it with its time in a state event', async () => {
    rig = await openBlockRig();
    await rig.block.zoomTo(300);
    await until(() => rig!.lens.zoom === 300 && !rig!.lens.moving, 2000, 'the lens at 300');
    const states: BlockState[] = [];
    rig.block.on('state', (s) => states.push(s));
    const reading = await rig.block.readZoom();
    expect(reading).toMatchObject({ value: 300, path: 'serial' });
    expect(states.at(-1)?.zoom).toEqual(reading);
  });

  it('is moving after a continuous move is sent and not after the stop', async () => {
    rig = await openBlockRig();
    const moving: boolean[] = [];
    rig.block.on('state', (s) => moving.push(s.moving));
    await rig.block.move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    expect(rig.block.moving).toBe(true);
    await rig.block.stop();
    expect(rig.block.moving).toBe(false);
    expect(moving).toEqual([true, false]);
  });

  it('goes offline when the device stops answering and online again once it answers a probe', async () => {
    rig = await openBlockRig({ block: { fallback: { timeoutsBeforeHttp: 2, probeIntervalMs: 30 } } });
    const online: boolean[] = [];
    rig.block.on('online', (o) => online.push(o));
    rig.rig.sim.block(1)!.faults.silent = true;
    await expect(rig.block.readZoom()).rejects.toMatchObject({ code: 'ZS_REPLY_TIMEOUT' });
    expect(rig.block.online).toBe(true); // one miss is not enough
    await expect(rig.block.readZoom()).rejects.toMatchObject({ code: 'ZS_REPLY_TIMEOUT' });
    expect(rig.block.online).toBe(false);
    expect(rig.block.path).toBe('serial'); // no HTTP side to fall back to
    rig.rig.sim.block(1)!.faults.silent = false;
    await new Promise<void>((resolve) => rig!.block.once('online', () => resolve()));
    expect(online).toEqual([false, true]);
  });
});
