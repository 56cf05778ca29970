import { createHash } from 'node:crypto';
import { CgiActionSimulator } from '../../../hardware/sim/http/cgi-action-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { CgiActionClient } from '../../../src/devices/http/cgi-action-client.js';
import { runDialectContract } from './dialect-contract.js';

for (const jsonEncoding of ['encoded', 'raw'] as const) {
  runDialectContract({
    dialect: 'cgi-action',
    // No zoomTarget: cgi_action has no zoom position (no read-back), so no `lens` capability.
    secretsOf: (password) => [createHash('md5').update(password).digest('hex')],
    unsupported: [
      { capability: 'lens', call: (c) => c.zoomTo(10) },
      { capability: 'focus', call: (c) => c.setFocusMode('manual') },
      { capability: 'firmware', call: (c) => c.upgradeFirmware(new Uint8Array(8)) },
    ],
    async start(options = {}) {
      const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
      const sim = await CgiActionSimulator.start({ lens });
      const client = new CgiActionClient({ url: sim.url, user: 'admin', password: options.password ?? '123456', jsonEncoding, retryDelayMs: 5 });
      return {
        client,
        lens,
        url: sim.url,
        requests: () => sim.server.stats.requests,
        logins: () => sim.counters.authChecks,
        close: async () => {
          await client.close();
          await sim.close();
        },
      };
    },
  });
}
