/**
 * bench/bus: the BusScheduler against simulated blocks over a real pty at 9600 baud.
 *
 *   npm run build && node dist/bench/bus.js [--seconds 10] [--dialect D|P]
 *
 * Storm: 500 move updates per second spread over 4 devices for 10 s, with a stop for a random
 * device every 25 ms. Measured on the simulator's side (frames it received, with receive
 * timestamps): frames per second against the line's capacity, stale motion frames (a move that
 * had already been superseded by a newer move or a stop when it was handed to the line), and
 * stop latency from stop() to the stop frame's arrival. Then query round trips, with the
 * simulator holding each reply until a real 9600-baud wire would have delivered it.
 */
import { BusScheduler } from '../hardware/serial/bus-scheduler.js';
import { SerialLine } from '../hardware/serial/serial-line.js';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../hardware/sim/sim-bus.js';
import { type Dialect, type MoveCommand, type PelcoCommand, toHex } from '../protocols/pelco/index.js';
import { percentile, printTable } from './table.js';

const BAUD = 9600;
const DEVICES = [1, 2, 3, 4];
const UPDATES_PER_SECOND = 500;
// 400 stops in 10 s: a p99 over ~100 stops would just be the single worst one.
const STOP_EVERY_MS = 25;
const QUERIES = 300;

const secondsArg = process.argv.indexOf('--seconds');
const STORM_SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 10;
const dialectArg = process.argv.indexOf('--dialect');
const DIALECT: Dialect = dialectArg > 0 && process.argv[dialectArg + 1] === 'P' ? 'P' : 'D';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function randomMove(): MoveCommand {
  const r = Math.random();
  return {
    kind: 'move',
    pan: r < 0.5 ? 'left' : 'right',
    panSpeed: Math.floor(Math.random() * 64),
    tilt: Math.random() < 0.5 ? 'up' : undefined,
    tiltSpeed: Math.floor(Math.random() * 64),
    zoom: r < 0.3 ? 'tele' : r < 0.6 ? 'wide' : undefined,
  };
}

async function main(): Promise<void> {
  const pair = await PtyPair.open();
  const sim = await SimulatedBus.open(pair.devicePath, { baudRate: BAUD, emulateWireTime: true });
  for (const address of DEVICES) sim.addBlock({ address, dialect: DIALECT });
  const line = new SerialLine({ path: pair.controllerPath, baudRate: BAUD });
  await line.open();
  const bus = new BusScheduler(line, { dialect: DIALECT, queryTimeoutMs: 500 });
  const frameMs = bus.frameTimeMs;
  const capacity = 1000 / bus.slotMs;

  // What the caller wants right now, per device: the latest move object, or the latest stop.
  const latest = new Map<number, PelcoCommand>();
  const sent: { command: PelcoCommand; stale: boolean; hex: string; at: number }[] = [];
  bus.on('sent', (frame) => {
    const stale = frame.command.kind === 'move' && latest.get(frame.address) !== frame.command;
    sent.push({ command: frame.command, stale, hex: toHex(frame.bytes), at: frame.at });
  });

  // --- storm ---
  const stopCalls: { address: number; at: number }[] = [];
  const start = performance.now();
  const end = start + STORM_SECONDS * 1000;
  let updates = 0;
  let nextStop = start + STOP_EVERY_MS;
  let nextQuery = start + 50;
  const stormRtts: number[] = [];
  let stormQueryFailures = 0;
  while (performance.now() < end) {
    const now = performance.now();
    const due = Math.floor(((now - start) / 1000) * UPDATES_PER_SECOND);
    for (; updates < due; updates++) {
      const address = DEVICES[updates % DEVICES.length]!;
      const move = randomMove();
      latest.set(address, move);
      bus.move(address, move);
    }
    if (now >= nextStop) {
      nextStop += STOP_EVERY_MS;
      const address = DEVICES[Math.floor(Math.random() * DEVICES.length)]!;
      latest.set(address, { kind: 'stop' });
      stopCalls.push({ address, at: performance.now() });
      bus.stop(address);
    }
    if (now >= nextQuery) {
      nextQuery += 500;
      const t0 = performance.now();
      bus.query(DEVICES[Math.floor(Math.random() * DEVICES.length)]!, 'query-zoom').then(
        () => stormRtts.push(performance.now() - t0),
        () => stormQueryFailures++,
      );
    }
    await sleep(2);
  }
  bus.stopAll();
  await sleep(200);
  const storm = sim.received.filter((r) => r.at >= start && r.at <= end);

  // Match received frames to handed frames (a pty keeps order) to find stale moves on the wire.
  let stale = 0;
  let mismatched = 0;
  sim.received.forEach((r, i) => {
    const s = sent[i];
    if (!s || s.hex !== r.hex) mismatched++;
    else if (s.stale) stale++;
  });

  // Stop latency: stop() to the first stop frame for that device received after it; split into
  // the scheduler's part (stop() to handed to the line) and delivery (pty and simulator).
  const stopLatencies: number[] = [];
  const stopQueued: number[] = [];
  for (const call of stopCalls) {
    const i = sim.received.findIndex((r) => r.at >= call.at && r.address === call.address && r.command.kind === 'stop');
    if (i < 0) continue;
    stopLatencies.push(sim.received[i]!.at - call.at);
    if (sent[i]?.hex === sim.received[i]!.hex) stopQueued.push(sent[i]!.at - call.at);
  }
  const span = storm.length > 1 ? storm[storm.length - 1]!.at - storm[0]!.at : NaN;
  const wireRate = ((storm.length - 1) * 1000) / span;
  // Never faster than the line: the most frames that arrived within any one second.
  let peak = 0;
  for (let i = 0, j = 0; i < storm.length; i++) {
    while (storm[i]!.at - storm[j]!.at >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }

  // --- queries ---
  await sleep(100);
  const rtts: number[] = [];
  let queryFailures = 0;
  for (let i = 0; i < QUERIES; i++) {
    const t0 = performance.now();
    try {
      await bus.query(DEVICES[i % DEVICES.length]!, i % 2 ? 'query-zoom' : 'query-magnification');
      rtts.push(performance.now() - t0);
    } catch {
      queryFailures++;
    }
  }
  const lc = bus.lineCounters;

  await bus.close();
  await line.close();
  await sim.close();
  await pair.close();

  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const rows = [
    [`line capacity (PELCO-${DIALECT}, ${BAUD} 8N1)`, '-', `${f(capacity)} frames/s`, `${f(frameMs)} ms per frame`],
    ['storm: move updates offered', '500/s over 4 devices', `${f((updates * 1000) / (end - start), 0)}/s`, `${updates} updates in ${STORM_SECONDS} s`],
    ['storm: frames on the wire', '>= 97% of capacity', `${f(wireRate)} frames/s = ${f((100 * wireRate) / capacity, 1)}%`, `${storm.length} frames received`],
    ['storm: busiest 1 s window', `<= ${Math.floor(capacity) + 1} frames (never above capacity)`, `${peak} frames`, ''],
    ['storm: stale motion frames received', '0', String(stale), `${lc.superseded} superseded, ${lc.cancelled} cancelled by stops; ${mismatched} unmatched`],
    ['stop latency p50', '-', `${f(percentile(stopLatencies, 50))} ms`, `${stopLatencies.length} of ${stopCalls.length} stops`],
    ['stop latency p99', `<= ${f(frameMs + 2)} ms (frame + 2 ms)`, `${f(percentile(stopLatencies, 99))} ms`, `max ${f(Math.max(...stopLatencies))} ms`],
    ['  of which stop() to handed to the line, p99', '-', `${f(percentile(stopQueued, 99))} ms`, `max ${f(Math.max(...stopQueued))} ms; the rest is pty + simulator`],
    ['query round trip during the storm p50/p99', 'answered (not starved)', `${f(percentile(stormRtts, 50))} / ${f(percentile(stormRtts, 99))} ms`, `${stormRtts.length} queries, ${stormQueryFailures} failed`],
    ['query round trip p50', '-', `${f(percentile(rtts, 50))} ms`, `${rtts.length} queries, ${queryFailures} failed; wire minimum ${f(2 * frameMs)} ms`],
    ['query round trip p99', '-', `${f(percentile(rtts, 99))} ms`, ''],
  ];
  printTable(`bench/bus: BusScheduler -> pty -> simulated SZ-G10 blocks (node ${process.version})`, ['measure', 'target', 'measured', 'notes'], rows);
}

main().catch((error: unknown) => {
  console.error(`bench/bus failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
