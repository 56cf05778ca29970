/**
 * haltLens and the abortable read-back of every dialect with the `lens` capability, each against
 * its own simulator on loopback. The lens runs on a clock the test sets, so "mid-travel" is exact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CgiControlSimulator } from '../../../hardware/sim/http/cgi-control-sim.js';
import { JsonApiSimulator } from '../../../hardware/sim/http/json-api-sim.js';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { CgiControlClient } from '../../../src/devices/http/cgi-control-client.js';
import type { CameraConfig, LensHalt } from '../../../src/devices/http/dialect.js';
import { JsonApiClient } from '../../../src/devices/http/json-api-client.js';
import { Szg10Client } from '../../../src/devices/http/szg10-client.js';
import { until } from './block-rig.js';

interface Running {
  client: CameraConfig;
  close(): Promise<void>;
}

const credentials = { user: 'admin', password: 'admin', retryDelayMs: 5, settlePollMs: 5 };

const dialects: { name: string; how: LensHalt['how']; start(lens: SimulatedLens): Promise<Running> }[] = [
  {
    name: 'szg10',
    how: 'retarget',
    async start(lens) {
      const sim = await Szg10Simulator.start({ lens });
      const client = new Szg10Client({ url: sim.url, ...credentials });
      return { client, close: async () => (await client.close(), await sim.close()) };
    },
  },
  {
    name: 'json-api',
    how: 'retarget',
    async start(lens) {
      const sim = await JsonApiSimulator.start({ lens, zoomMax: 1000 }); // the lens's own scale: positions compare 1:1
      const client = new JsonApiClient({ url: sim.url, ...credentials, zoomMax: 1000 });
      return { client, close: async () => (await client.close(), await sim.close()) };
    },
  },
  {
    name: 'cgi-control',
    how: 'stop',
    async start(lens) {
      const sim = await CgiControlSimulator.start({ lens, extendedFirmware: true });
      const client = new CgiControlClient({ url: sim.url, ...credentials, positions: { zoomMax: 1000, focusMax: 10000 } });
      return { client, close: async () => (await client.close(), await sim.close()) };
    },
  },
];

const running: Running[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

describe.each(dialects)('lens halt over HTTP: $name', (dialect) => {
  let now = 0;
  const lensOnTestClock = () => new SimulatedLens({ clock: () => now, zoomTravelMs: [1000, 1000, 1000, 1000] });
  const start = async (lens: SimulatedLens) => {
    const r = await dialect.start(lens);
    running.push(r);
    return r.client;
  };

  it(`haltLens (${dialect.how}) leaves a zoom the camera is running where it was, short of its target`, async () => {
    now = 0;
    const lens = lensOnTestClock();
    const client = await start(lens);
    await client.lens(); // logged in (and, where the dialect asks, capabilities known)
    lens.zoomTo(1000); // a move the camera runs: one unit per ms on the test clock
    now = 400;
    const halt = await client.haltLens();
    expect(halt.how).toBe(dialect.how);
    if (dialect.how === 'retarget') expect(halt.zoom).toBe((await client.lens()).zoom);
    now = 100_000; // long after the move would have reached its target
    expect(lens.moving).toBe(false);
    expect(lens.zoom).toBeGreaterThan(350);
    expect(lens.zoom).toBeLessThan(450);
  });

  it('zoomTo with a signal already aborted (a stop came first) sends nothing and rejects ZS_CANCELLED', async () => {
    now = 0;
    const lens = lensOnTestClock();
    const client = await start(lens);
    await client.lens();
    await expect(client.zoomTo(500, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ZS_CANCELLED', message: expect.stringMatching(/nothing was sent/) });
    now = 100_000;
    expect(lens.zoom).toBe(0);
  });

  it('a zoomTo aborted during its read-back ends at once, settled false, reporting the stop', async () => {
    // Every clock read advances the lens one unit toward a target it never reaches here: the
    // read-back sees it moving at each poll, so only the abort ends it.
    let ticks = 0;
    const lens = new SimulatedLens({ clock: () => 1000 * ++ticks, zoomTravelMs: [1e6, 1e6, 1e6, 1e6] });
    const client = await start(lens);
    await client.lens();
    const stop = new AbortController();
    const before = ticks;
    const moving = client.zoomTo(1000, { signal: stop.signal });
    await until(() => ticks > before + 20, 5000, 'the read-back under way (the camera reading its lens)');
    stop.abort();
    expect(await moving).toMatchObject({ requested: 1000, reached: undefined, settled: false, lens: undefined, problem: 'a stop overtook the move' });
    expect(lens.zoom).toBeLessThan(1000);
  });
});
