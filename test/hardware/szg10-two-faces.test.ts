/**
 * One simulated SZ-G10 with both faces: PELCO on its UART (a real pty, SerialLine and the bus
 * scheduler on the controller side) and its REST API over HTTP (the real Szg10Client). Both
 * faces share one lens, as on the real block.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Szg10Simulator } from '../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../hardware/sim/lens-model.js';
import { SZ_G10_PROFILE } from '../../protocols/pelco/index.js';
import { openCamera } from '../../src/devices/http/index.js';
import { openRig, until } from './support/sim-rig.js';

async function openBlock() {
  // A full zoom travel of a second at top speed: a stop sent once a move has begun lands well before the end.
  const lens = new SimulatedLens({ zoomTravelMs: [4000, 3000, 2000, 1000], focusTravelMs: [400, 300, 200, 100] });
  const http = await Szg10Simulator.start({ lens });
  const rig = await openRig({ profile: SZ_G10_PROFILE, lenses: { 1: lens } });
  const camera = openCamera({ dialect: 'szg10', url: http.url, user: 'admin', password: 'admin' });
  return {
    lens,
    bus: rig.bus,
    camera,
    async close() {
      await rig.close();
      await camera.close();
      await http.close();
    },
  };
}

describe('a simulated SZ-G10 has one lens behind its UART and HTTP faces', () => {
  let block: Awaited<ReturnType<typeof openBlock>> | undefined;
  afterEach(async () => block?.close());

  it('a zoom set over PELCO shows in the REST lens state', async () => {
    block = await openBlock();
    await block.bus.send(1, { kind: 'set-zoom', position: 700 });
    // send() resolves when the frame has left; the block acts when it has read it
    await until(() => block!.lens.zoom === 700 && !block!.lens.moving, 2000, 'the lens to reach 700');
    const state = await block.camera.lens();
    expect(state.zoom).toBe(700);
    expect(state.focus).toBe(block.lens.inFocusPosition(700));
  });

  it('a zoom set over REST answers the PELCO zoom query', async () => {
    block = await openBlock();
    expect(await block.camera.zoomTo(250)).toMatchObject({ requested: 250, reached: 250, settled: true });
    expect(block.lens.moving).toBe(false); // zoomTo returned only once the lens stopped
    expect(await block.bus.query(1, 'query-zoom')).toBe(250);
    expect(await block.bus.query(1, 'query-magnification')).toBe(Math.round(100 * (1 + (9 * 250) / 1000)));
  });

  it('a manual focus set over REST holds while PELCO zooms with zoom-AF off', async () => {
    block = await openBlock();
    await block.camera.setFocusMode('manual');
    await block.camera.setZoomAf(false);
    expect(await block.camera.focusTo(4321)).toMatchObject({ reached: 4321, settled: true }); // read back once settled
    block.bus.move(1, { kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    await until(() => block!.lens.zoom > 0, 2000, 'the zoom to start');
    await block.bus.stop(1);
    await until(() => !block!.lens.moving, 2000, 'zoom to stop');
    const state = await block.camera.lens();
    expect(state.zoom).toBeGreaterThan(0);
    expect(state.zoom).toBeLessThan(1000);
    expect(state.focus).toBe(4321);
  });
});
