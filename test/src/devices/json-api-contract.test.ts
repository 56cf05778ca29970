import { JsonApiSimulator } from '../../../hardware/sim/http/json-api-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { JsonApiClient } from '../../../src/devices/http/json-api-client.js';
import { runDialectContract } from './dialect-contract.js';

for (const auth of ['token', 'per-request'] as const) {
  runDialectContract({
    dialect: 'json-api',
    zoomTarget: 20,
    secretsOf: (password) => [encodeURIComponent(password)],
    unsupported: [
      { capability: 'firmware', call: (c) => c.upgradeFirmware(new Uint8Array(8)) },
      { capability: 'events', call: (c) => c.alarmOutput(0, true) },
    ],
    async start(options = {}) {
      const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
      const sim = await JsonApiSimulator.start({ lens });
      const client = new JsonApiClient({ url: sim.url, user: 'admin', password: options.password ?? 'admin', auth, settlePollMs: 5, retryDelayMs: 5 });
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
}
