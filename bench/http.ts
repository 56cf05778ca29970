/**
 * bench/http: the HTTP configuration side against 16 simulated cameras per dialect on loopback.
 *   npm run build && node dist/bench/http.js
 *
 * 1. Fan-out, per dialect: one setting (OSD time placement: a GET and a POST; cgi-control one GET)
 *    applied to 16 cameras at once, against the slowest camera alone, and the connections each
 *    camera saw. Each camera has its own artificial latency (20-50 ms per
 *    request), so the slowest single camera is the floor; target ratio ≤ 1.2x. Median of 7 rounds.
 * 2. Keep-alive: 100 requests to one camera (sequential, then 10 bursts of 10 concurrent),
 *    counting connections server-side (the server's 'connection' events); target 1.
 */
import { CgiActionSimulator } from '../hardware/sim/http/cgi-action-sim.js';
import { Bview2Simulator } from '../hardware/sim/http/bview2-sim.js';
import { CgiControlSimulator } from '../hardware/sim/http/cgi-control-sim.js';
import { JsonApiSimulator } from '../hardware/sim/http/json-api-sim.js';
import { Szg10Simulator } from '../hardware/sim/http/szg10-sim.js';
import type { OsdPlacement } from '../protocols/http/common/capabilities.js';
import { OSD_CORNERS } from '../protocols/http/bview2/api.js';
import { OSD_PLACEMENTS } from '../protocols/http/szg10/api.js';
import { CgiActionClient } from '../src/devices/http/cgi-action-client.js';
import { Bview2Client } from '../src/devices/http/bview2-client.js';
import { CgiControlClient } from '../src/devices/http/cgi-control-client.js';
import { JsonApiClient } from '../src/devices/http/json-api-client.js';
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

/** One dialect's cameras for the fan-out: apply a placement to one camera, read back what each simulator holds. */
interface FanOutDialect {
  name: string;
  /** The two placements the rounds alternate between (default bottom-right / top-left). */
  places?: [OsdPlacement, OsdPlacement];
  start(latencyMs: number): Promise<{ sim: { close(): Promise<void>; server: { stats: { connections: number } } }; client: { setOsd(c: { time: OsdPlacement }): Promise<unknown>; osd(): Promise<unknown>; close(): Promise<void> }; timeIs(place: OsdPlacement): boolean }>;
}

const DIALECTS: FanOutDialect[] = [
  {
    name: 'szg10',
    async start(latencyMs) {
      const sim = await Szg10Simulator.start({ latencyMs });
      const client = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin' });
      return { sim, client, timeIs: (place) => sim.osd.system.videoTimeShowType === OSD_PLACEMENTS.indexOf(place) };
    },
  },
  {
    name: 'json-api',
    async start(latencyMs) {
      const sim = await JsonApiSimulator.start({ latencyMs });
      const client = new JsonApiClient({ url: sim.url, user: 'admin', password: 'admin' });
      const wire = { 'bottom-right': 'Lower Right', 'top-left': 'Upper Left' } as Partial<Record<OsdPlacement, string>>;
      return { sim, client, timeIs: (place) => sim.osd.osdTime.pos === wire[place] };
    },
  },
  {
    name: 'cgi-action',
    async start(latencyMs) {
      const sim = await CgiActionSimulator.start({ latencyMs });
      const client = new CgiActionClient({ url: sim.url, user: 'admin', password: '123456' });
      // The corner points the client writes on the 704×576 canvas.
      const at = { 'bottom-right': [556, 546], 'top-left': [16, 16] } as Partial<Record<OsdPlacement, [number, number]>>;
      return { sim, client, timeIs: (place) => sim.osd.date_pos_x === at[place]![0] && sim.osd.date_pos_y === at[place]![1] };
      },
    },
    {
    name: 'bview2',
    async start(latencyMs) {
      const sim = await Bview2Simulator.start({ latencyMs });
      const client = new Bview2Client({ url: sim.url, user: 'admin', password: 'admin' });
      const at = (place: OsdPlacement) => OSD_CORNERS[place as keyof typeof OSD_CORNERS];
      return { sim, client, timeIs: (place) => sim.osd.time.Enable && sim.osd.time.PosX === at(place).x && sim.osd.time.PosY === at(place).y };
      },
    },
    {
    // osd.cgi has no positions: the time is shown at the camera's place ('custom') or hidden; one GET each.
    name: 'cgi-control',
    places: ['hidden', 'custom'],
    async start(latencyMs) {
      const sim = await CgiControlSimulator.start({ latencyMs });
      const client = new CgiControlClient({ url: sim.url, user: 'admin', password: 'admin' });
      return { sim, client, timeIs: (place) => sim.state.osd.timeon === (place === 'hidden' ? 'disable' : 'enable') };
    },
  },
];

/** The slowest camera alone vs all 16 at once, median of ROUNDS; connections per camera (server side). */
async function fanOut(dialect: FanOutDialect): Promise<(string | number)[][]> {
  const cams = await Promise.all(Array.from({ length: CAMERAS }, (_, i) => dialect.start(latencyOf(i))));
  await Promise.all(cams.map((c) => c.client.osd())); // sessions (and abilities) first: the figure is about the setting
  const places: OsdPlacement[] = dialect.places ?? ['bottom-right', 'top-left'];
  const singles: number[] = [];
  const fans: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const place = places[round % 2]!;
    let slowest = 0;
    for (const c of cams) slowest = Math.max(slowest, await timed(() => c.client.setOsd({ time: place })));
    singles.push(slowest);
    const next = places[(round + 1) % 2]!;
    fans.push(await timed(() => Promise.all(cams.map((c) => c.client.setOsd({ time: next })))));
  }
  const ok = cams.every((c) => c.timeIs(places[ROUNDS % 2]!)); // what the final fan-out set
  const connections = cams.reduce((n, c) => n + c.sim.server.stats.connections, 0) / CAMERAS;
  const single = median(singles);
  const fan = median(fans);
  if (!ok) console.log(`WARNING: not every ${dialect.name} camera ended with the setting applied`);
  await Promise.all(cams.map((c) => c.client.close()));
  await Promise.all(cams.map((c) => c.sim.close()));
  return [
    [dialect.name, 'slowest single camera', single.toFixed(1), '1.00x', connections.toFixed(1), ''],
    [dialect.name, `${CAMERAS} cameras concurrently`, fan.toFixed(1), `${(fan / single).toFixed(2)}x`, '', '≤ 1.2x'],
  ];
}

async function fanOuts(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const d of DIALECTS) rows.push(...(await fanOut(d)));
  printTable(
    `HTTP fan-out: one OSD setting (a GET and a POST) to ${CAMERAS} simulated cameras (latency ${latencyOf(0)}-${latencyOf(CAMERAS - 1)} ms per request, median of ${ROUNDS})`,
    ['dialect', 'case', 'time (ms)', 'ratio to slowest single', 'connections per camera', 'target'],
    rows,
  );
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

await fanOuts();
await keepAlive();
