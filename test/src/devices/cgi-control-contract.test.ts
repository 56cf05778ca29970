import { CgiControlSimulator } from '../../../hardware/sim/http/cgi-control-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { CgiControlClient } from '../../../src/devices/http/cgi-control-client.js';
import { runDialectContract } from './dialect-contract.js';

// No zoomTarget: the CGI control API of the spec has no absolute lens position (moves are open-loop).
runDialectContract({
  dialect: 'cgi-control',
  secretsOf: (password) => [encodeURIComponent(password)],
  unsupported: [
    { capability: 'lens', call: (c) => c.zoomTo(10) },
    { capability: 'firmware', call: (c) => c.upgradeFirmware(new Uint8Array(8)) },
    { capability: 'ptz-serial', call: (c) => c.ptzSerial() },
  ],
  async start(options = {}) {
    const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
    const sim = await CgiControlSimulator.start({ lens });
    const client = new CgiControlClient({ url: sim.url, user: 'admin', password: options.password ?? 'admin', retryDelayMs: 5 });
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

// Newer firmware's getptzfpos / goptzfpos (digest §10), with the client configured for them: zoomTo read back.
runDialectContract({
  dialect: 'cgi-control',
  zoomTarget: 400,
  secretsOf: (password) => [encodeURIComponent(password)],
  unsupported: [{ capability: 'firmware', call: (c) => c.upgradeFirmware(new Uint8Array(8)) }],
  async start(options = {}) {
    const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
    const sim = await CgiControlSimulator.start({ lens, extendedFirmware: true });
    const client = new CgiControlClient({ url: sim.url, user: 'admin', password: options.password ?? 'admin', retryDelayMs: 5, positions: { zoomMax: 1000, focusMax: 10000 }, settlePollMs: 5 });
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
