import { Bview2Simulator } from '../../../hardware/sim/http/bview2-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { Bview2Client } from '../../../src/devices/http/bview2-client.js';
import { runDialectContract } from './dialect-contract.js';

runDialectContract({
  dialect: 'bview2',
  // Basic sends base64(user:password) with every call.
  secretsOf: (password) => [Buffer.from(`admin:${password}`).toString('base64')],
  unsupported: [
    { capability: 'lens', call: (c) => c.zoomTo(10) },
    { capability: 'presets', call: (c) => c.gotoPreset(1) },
    { capability: 'focus', call: (c) => c.setFocusMode('auto') },
    { capability: 'network', call: (c) => c.network() },
    { capability: 'events', call: (c) => c.alarmOutput(0, true) },
  ],
  async start(options = {}) {
    const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
    const sim = await Bview2Simulator.start({ lens });
    const client = new Bview2Client({ url: sim.url, user: 'admin', password: options.password ?? 'admin', retryDelayMs: 5 });
    return {
      client,
      lens,
      url: sim.url,
      requests: () => sim.server.stats.requests,
      // Basic has no login: every checked Authorization header is one.
      logins: () => sim.counters.authChecks,
      close: async () => {
        await client.close();
        await sim.close();
      },
    };
  },
});
