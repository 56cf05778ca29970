/**
 * The serial -> HTTP fallback of a block with both faces on one simulated SZ-G10 lens: lens
 * operations go over HTTP while the serial side is unusable and come back by themselves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { type BlockRig, frameHex, nextPath, openBlockRig, unplug, until } from './block-rig.js';

let rig: BlockRig | undefined;
let sim2: SimulatedBus | undefined;
afterEach(async () => {
  await sim2?.close();
  await rig?.close();
  rig = sim2 = undefined;
});

/** Brings the pty back with a simulated block on the same lens, before the controller can reconnect. */
async function replug(r: BlockRig): Promise<SimulatedBus> {
  let sim!: SimulatedBus;
  await r.rig.pair.replug(async (path) => {
    sim = await SimulatedBus.open(path);
    sim.addBlock({ address: 1, lens: r.lens });
  });
  return sim;
}

describe('serial -> HTTP fallback', () => {
  it('keeps zooming over HTTP with the serial line unplugged and returns to serial after replug', async () => {
    rig = await openBlockRig({ withHttp: true });
    const { block, lens } = rig;
    expect(await block.zoomTo(300)).toMatchObject({ path: 'serial', value: 300 });
    await until(() => lens.zoom === 300 && !lens.moving, 2000, 'the lens at 300 over serial');

    const onHttp = nextPath(block, 'http');
    await unplug(rig);
    await onHttp;
    expect(block.state).toMatchObject({ path: 'http', online: true });

    const report = await block.zoomTo(600);
    expect(report).toMatchObject({ block: 'left', path: 'http', sentAt: undefined, value: 600 });
    expect(lens.zoom).toBe(600); // the HTTP zoomTo returns once the lens settled
    expect(await block.readZoom()).toMatchObject({ value: 600, path: 'http' });

    const held = await block.stop(); // a stop never goes astray: the scheduler keeps it for reopen
    expect(held).toMatchObject({ path: 'serial', heldForReopen: true, sentAt: undefined });

    const onSerial = nextPath(block, 'serial');
    sim2 = await replug(rig);
    await onSerial; // the line reopened and the device answered the probe
    const stopHex = frameHex({ kind: 'stop' });
    expect(sim2.received[0]?.hex).toBe(stopHex); // the held stop went out first

    const back = await block.zoomTo(200);
    expect(back).toMatchObject({ path: 'serial', value: 200 });
    expect(typeof back.sentAt).toBe('number');
    await until(() => lens.zoom === 200 && !lens.moving, 2000, 'the lens at 200 over serial again');
    expect(await block.readZoom()).toMatchObject({ value: 200, path: 'serial' });
  });

  it('switches to HTTP after N unanswered queries and back to serial once the device answers a probe', async () => {
    rig = await openBlockRig({ withHttp: true, block: { fallback: { timeoutsBeforeHttp: 2, probeIntervalMs: 30 } } });
    const { block, lens } = rig;
    const device = rig.rig.sim.block(1)!;
    device.faults.silent = true;
    await expect(block.readZoom()).rejects.toMatchObject({ code: 'ZS_REPLY_TIMEOUT' });
    expect(block.path).toBe('serial');
    const second = await block.readZoom(); // the second miss switches, and this read goes over HTTP
    expect(second).toMatchObject({ path: 'http', value: lens.zoom });
    expect(block.state).toMatchObject({ path: 'http', online: true });

    const report = await block.zoomTo(450);
    expect(report.path).toBe('http');
    expect(lens.zoom).toBe(450);

    const onSerial = nextPath(block, 'serial');
    device.faults.silent = false;
    await onSerial;
    expect((await block.zoomTo(100)).path).toBe('serial');
  });

  it('stays on serial (offline) when the block has no HTTP side, and refuses lens moves with ZS_LINE_CLOSED', async () => {
    rig = await openBlockRig();
    const { block } = rig;
    const offline = new Promise<void>((resolve) => block.once('online', (o) => !o && resolve()));
    await unplug(rig);
    await until(() => !rig!.rig.line.isOpen, 2000, 'the line to notice');
    await offline;
    expect(block.path).toBe('serial');
    await expect(block.zoomTo(500)).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    await expect(block.move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 })).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    await expect(block.readZoom()).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    await expect(block.focusTo(100)).rejects.toMatchObject({ code: 'ZS_NOT_SUPPORTED' });
  });

  it('reaches what PELCO cannot (focus position, device info) through block.config', async () => {
    rig = await openBlockRig({ withHttp: true });
    const { block, lens } = rig;
    expect(block.config).toBeDefined();
    expect((await block.config!.identity()).model).toBeTruthy();
    await block.config!.setFocusMode('manual');
    expect(await block.focusTo(2500)).toMatchObject({ value: 2500, path: 'http' });
    expect(lens.focus).toBe(2500);
    expect(await block.readFocus()).toMatchObject({ value: 2500, path: 'http' });
  });
});
