import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { hashPassword } from '../../../protocols/http/szg10/api.js';
import { Szg10Client } from '../../../src/devices/http/szg10-client.js';
import { runDialectContract } from './dialect-contract.js';

runDialectContract({
  dialect: 'szg10',
  zoomTarget: 600,
  secretsOf: (password) => [hashPassword(password)],
  unsupported: [
    { capability: 'snapshot', call: (c) => c.snapshot() },
    { capability: 'ptz-serial', call: (c) => c.setPtzSerial({ baud: 9600 }) },
    { capability: 'presets', call: (c) => c.gotoPreset(1) },
  ],
  async start(options = {}) {
    const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
    const sim = await Szg10Simulator.start({ lens });
    const client = new Szg10Client({ url: sim.url, user: 'admin', password: options.password ?? 'admin', settlePollMs: 5, retryDelayMs: 5 });
    return {
      client,
      lens,
      url: sim.url,
      requests: () => sim.server.stats.requests,
      logins: () => sim.counters.logins,
      close: async () => {
        await client.close();
        await sim.close();
      },
    };
  },
});
