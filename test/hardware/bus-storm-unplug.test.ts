/**
 * The cable is pulled in the middle of a joystick storm. Whatever the controller's clients do
 * meanwhile (keep moving, stop, or vanish), when the port returns every device ends stopped:
 * motion never runs away.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MoveCommand } from '../../protocols/pelco/index.js';
import { SimulatedBus } from '../../hardware/sim/sim-bus.js';
import { openRig, type SimRig, until } from './support/sim-rig.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stick = (i: number): MoveCommand => ({ kind: 'move', pan: i % 2 ? 'left' : 'right', panSpeed: 10 + (i % 40), tilt: 'up', tiltSpeed: 5, zoom: 'tele' });

describe('a port pulled in the middle of a storm', () => {
  let rig: SimRig | undefined;
  let sim2: SimulatedBus | undefined;
  afterEach(async () => {
    await sim2?.close();
    await rig?.close();
    rig = sim2 = undefined;
  });

  it.each([
    ['the client keeps moving through the outage and then vanishes', false],
    ['the client stops during the outage', true],
  ])('is reopened and every device ends stopped: %s', async (_, stopDuringOutage) => {
    rig = await openRig({ addresses: [1, 2] });
    const { bus, sim, pair, line } = rig;
    const blocks = [sim.block(1)!, sim.block(2)!];

    // A storm: 200 updates/s over two devices.
    let i = 0;
    const storm = setInterval(() => bus.move(1 + (i % 2), stick(i++)), 5);
    try {
      await until(() => sim.received.length > 20, 3000, 'the storm to reach the devices');
      await sim.close(); // the far end goes with the adapter
      await pair.unplug();
      await until(() => !line.isOpen, 2000, 'the line to notice the loss');
      await sleep(150); // the storm goes on against a dead line
      if (stopDuringOutage) {
        bus.stop(1);
        bus.stop(2);
      }
    } finally {
      clearInterval(storm); // the client goes away
    }

    // The devices kept their last motion while nobody could reach them (a runaway in the making).
    const panBefore = blocks.map((b) => b.panTilt.pan);
    await sleep(50);
    expect(blocks.map((b) => b.panTilt.pan)).not.toEqual(panBefore);

    await pair.replug(async (path) => {
      // The same blocks (same lens and head) come back before the controller can reconnect.
      sim2 = await SimulatedBus.open(path);
      for (const block of blocks) sim2.addBlock({ address: block.address, lens: block.lens, panTilt: block.panTilt });
    });
    await until(() => line.isOpen, 3000, 'the line to reopen');
    await until(() => [1, 2].every((a) => sim2!.received.some((r) => r.address === a && r.command.kind === 'stop')), 2000, 'a stop for each device');
    await sleep(100);

    // Nothing but stops after the reconnect: no stale motion from before or during the outage.
    expect(sim2!.received.map((r) => r.command.kind).every((kind) => kind === 'stop')).toBe(true);
    const pan = blocks.map((b) => b.panTilt.pan);
    const zoom = blocks.map((b) => b.lens.zoom);
    await sleep(100);
    expect(blocks.map((b) => b.panTilt.pan)).toEqual(pan);
    expect(blocks.map((b) => b.lens.zoom)).toEqual(zoom);
    expect(bus.pending).toBe(0);
  });
});
