/**
 * bench/soak: does a controller's memory stay flat under a long joystick storm?
 *   npm run bench:soak [-- --minutes 10] [-- --max-records N]
 *   (tsc, then node --expose-gc dist/bench/soak.js)
 *
 * 8 SerialLines, each with its BusScheduler, each to one simulated SZ-G10 block over a real pty
 * at 9600 baud. Storm: 500 move updates per second spread over the lines, alternating pan and
 * zoom directions, a stop for some line every 100 ms and a zoom query per line every 2 s. Every
 * sample prints RSS, heap used (and heap used after a full GC when node runs with --expose-gc),
 * and how many frames the simulators have logged. Flat after warm-up is the target; the
 * simulators keep at most --max-records frames each (SimulatedBus's maxRecords; default here
 * 1000, as `zoomsync sim` uses).
 */
import { parseArgs } from 'node:util';
import { BusScheduler } from '../hardware/serial/bus-scheduler.js';
import { SerialLine } from '../hardware/serial/serial-line.js';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../hardware/sim/sim-bus.js';
import type { MoveCommand } from '../protocols/pelco/index.js';
import { printTable } from './table.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'max-records': { type: 'string', default: '1000' },
  },
});
const MINUTES = Number(values.minutes);
const MAX_RECORDS = Number(values['max-records']);
if (!(MINUTES > 0)) throw new Error(`--minutes must be a positive number, got ${values.minutes}`);
if (!Number.isInteger(MAX_RECORDS) || MAX_RECORDS < 1) throw new Error(`--max-records must be a positive integer, got ${values['max-records']}`);

const LINES = 8;
const BAUD = 9600;
const UPDATES_PER_SECOND = 500;
const TICK_MS = 10;
const STOP_EVERY_MS = 100;
const QUERY_EVERY_MS = 2000;
/** Samples: two during warm-up, then about 20 over the run. */
const durationMs = MINUTES * 60_000;
const sampleAt = [3_000, 10_000];
const step = Math.max(10_000, Math.round(durationMs / 20 / 1000) * 1000);
for (let t = step; t <= durationMs; t += step) if (t > 10_000) sampleAt.push(t);
if (sampleAt[sampleAt.length - 1]! < durationMs) sampleAt.push(durationMs);

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

interface Rig {
  pair: PtyPair;
  sim: SimulatedBus;
  line: SerialLine;
  bus: BusScheduler;
}

async function openRig(address: number): Promise<Rig> {
  const pair = await PtyPair.open();
  const sim = await SimulatedBus.open(pair.devicePath, { baudRate: BAUD, maxRecords: MAX_RECORDS });
  sim.addBlock({ address });
  const line = new SerialLine({ path: pair.controllerPath, baudRate: BAUD });
  await line.open();
  const bus = new BusScheduler(line, { dialect: 'D' });
  bus.on('problem', () => {}); // counted by the scheduler; the soak looks at memory
  return { pair, sim, line, bus };
}

/** The n-th joystick position: pan and zoom directions alternate, speed sweeps. */
function joystick(n: number): MoveCommand {
  const even = n % 2 === 0;
  return { kind: 'move', pan: even ? 'left' : 'right', panSpeed: n % 64, tiltSpeed: 0, zoom: even ? 'tele' : 'wide' };
}

async function main(): Promise<void> {
  const rigs: Rig[] = [];
  for (let i = 0; i < LINES; i++) rigs.push(await openRig(i + 1));
  const addressOf = (i: number) => i + 1;

  let updates = 0;
  let stops = 0;
  let queries = 0;
  let queryFailures = 0;
  const start = performance.now();
  const storm = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * UPDATES_PER_SECOND);
    for (; updates < due; updates++) {
      const i = updates % LINES;
      rigs[i]!.bus.move(addressOf(i), joystick(Math.floor(updates / LINES)));
    }
  }, TICK_MS);
  const stopper = setInterval(() => {
    const i = stops++ % LINES;
    rigs[i]!.bus.stop(addressOf(i));
  }, STOP_EVERY_MS);
  const querier = setInterval(() => {
    rigs.forEach((rig, i) => {
      queries++;
      rig.bus.query(addressOf(i), 'query-zoom').catch(() => queryFailures++);
    });
  }, QUERY_EVERY_MS);

  const rows: (string | number)[][] = [];
  for (const at of sampleAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + at - performance.now())));
    const before = process.memoryUsage();
    gc?.();
    const after = gc ? process.memoryUsage().heapUsed : NaN;
    const logged = rigs.reduce((sum, rig) => sum + rig.sim.received.length, 0);
    const sent = rigs.reduce((sum, rig) => sum + rig.bus.lineCounters.sent, 0);
    const row = [(at / 1000).toFixed(0), mb(before.rss), mb(before.heapUsed), gc ? mb(after) : '-', mb(before.external + before.arrayBuffers), sent, logged];
    rows.push(row);
    process.stderr.write(`t=${row[0]} s  rss ${row[1]} MB  heap ${row[2]} MB  heap after gc ${row[3]} MB  frames sent ${sent}\n`);
  }
  clearInterval(storm);
  clearInterval(stopper);
  clearInterval(querier);
  for (const rig of rigs) {
    await rig.bus.close();
    await rig.line.close();
    await rig.sim.close();
    await rig.pair.close();
  }

  printTable(
    `Soak: ${LINES} lines x 9600 baud, ${UPDATES_PER_SECOND} move updates/s, a stop every ${STOP_EVERY_MS} ms, a query per line every ${QUERY_EVERY_MS / 1000} s; ` +
      `simulators keep ${MAX_RECORDS} frames each (node ${process.version}${gc ? ', --expose-gc' : ''})`,
    ['t (s)', 'RSS MB', 'heapUsed MB', 'heap after GC MB', 'external+buffers MB', 'frames sent', 'frames logged by sims'],
    rows,
  );
  console.log(`\n${updates} move updates, ${stops} stops, ${queries} queries (${queryFailures} failed)`);
}

await main();
