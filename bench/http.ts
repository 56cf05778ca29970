/**
 * bench/http: the HTTP configuration side against 16 simulated SZ-G10 cameras on loopback.
 *   npm run build && node dist/bench/http.js
 *
 * 1. Fan-out: one setting (OSD time placement: a GET and a POST) applied to 16 cameras at once,
 *    against the slowest camera alone. Each camera has its own artificial latency (20-50 ms per
 *    request), so the slowest single camera is the floor; target ratio ≤ 1.2x. Median of 7 rounds.
 * 2. Keep-alive: 100 requests to one camera (sequential, then 10 bursts of 10 concurrent),
 *    counting connections server-side (the server's 'connection' events); target 1.
 */
import { Szg10Simulator } from '../hardware/sim/http/szg10-sim.js';
import type { OsdPlacement } from '../protocols/http/common/capabilities.js';
import { OSD_PLACEMENTS } from '../protocols/http/szg10/api.js';
import { Szg10Client } from '../src/devices/http/szg10-client.js';
import { printTable } from './table.js';

const CAMERAS = 16;
const ROUNDS = 7;
const REQUESTS = 100;

const latencyOf = (i: number) => 20 + Math.round((30 * i) / (CAMERAS - 1));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function fanOut(): Promise<void> {
  const sims = await Promise.all(Array.from({ length: CAMERAS }, (_, i) => Szg10Simulator.start({ latencyMs: latencyOf(i) })));
  const clients = sims.map((s) => new Szg10Client({ url: s.url, user: 'admin', password: 'admin' }));
  await Promise.all(clients.map((c) => c.login())); // sessions first: the figure is about the setting
  const places: OsdPlacement[] = ['bottom-right', 'top-left'];
  const singles: number[] = [];
  const fans: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const place = places[round % 2]!;
    let slowest = 0;
    for (const c of clients) slowest = Math.max(slowest, await timed(() => c.setOsd({ time: place })));
    singles.push(slowest);
    const next = places[(round + 1) % 2]!;
    fans.push(await timed(() => Promise.all(clients.map((c) => c.setOsd({ time: next })))));
  }
  const last = OSD_PLACEMENTS.indexOf(places[ROUNDS % 2]!); // what the final fan-out set
  const ok = sims.every((s) => s.osd.system.videoTimeShowType === last);
  const single = median(singles);
  const fan = median(fans);
  printTable(
    `HTTP fan-out: one OSD setting to ${CAMERAS} simulated cameras (latency ${latencyOf(0)}-${latencyOf(CAMERAS - 1)} ms per request, median of ${ROUNDS})`,
    ['case', 'time (ms)', 'ratio to slowest single', 'target'],
    [
      ['slowest single camera', single.toFixed(1), '1.00x', ''],
      [`${CAMERAS} cameras concurrently`, fan.toFixed(1), `${(fan / single).toFixed(2)}x`, '≤ 1.2x'],
    ],
  );
  if (!ok) console.log('WARNING: not every camera ended with the setting applied');
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(sims.map((s) => s.close()));
}

async function keepAlive(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const mode of ['sequential', 'bursts of 10'] as const) {
    const sim = await Szg10Simulator.start({ latencyMs: 2 });
    const client = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin' });
    await client.login();
    const t = await timed(async () => {
      if (mode === 'sequential') for (let i = 0; i < REQUESTS; i++) await client.lens();
      else for (let b = 0; b < REQUESTS / 10; b++) await Promise.all(Array.from({ length: 10 }, () => client.lens()));
    });
    rows.push([mode, sim.server.stats.requests, sim.server.stats.connections, (t / REQUESTS).toFixed(2), '1']);
    await client.close();
    await sim.close();
  }
  printTable(`HTTP keep-alive: connections opened per camera over ${REQUESTS} requests (+1 login)`, ['pattern', 'requests', 'connections (server)', 'ms/request', 'target'], rows);
}

await fanOut();
await keepAlive();
