/**
 * bench/service: `zoomsync serve` as an operator's console sees it.
 *
 *   npm run bench:service          (npm run build && node dist/bench/service.js [--moves 400])
 *
 * The service runs as its own process, started as the systemd unit starts it: package.json's
 * "bin" (the esbuild bundle dist/bundle/zoomsync.js, see src/cli/build-bundle.ts) run by plain
 * `node` with no flags or NODE_OPTIONS of ours, `serve --config`, with 8 blocks each on its own
 * pty line; the simulated blocks run in this process, so the moment a frame completes
 * at a block and the moment a joystick message leaves the WebSocket client share one clock.
 *
 * (a) joystick event -> frame at the block: a `move` sent on /ws until the simulator has read
 *     the frame (a pty delivers the 7 bytes in one read, so that is the first byte's arrival
 *     too); moves alternate direction so each one is a new frame; and the same for `stop`.
 * (b) start to ready: spawn of `zoomsync serve` until it logs "listening on" (node's own start
 *     included), over several starts.
 * (c) the service's resident memory (VmRSS) once ready, after the runs, and its peak while they
 *     ran, sampled every 20 ms (the service sets its own V8 heap flags, see src/cli/service-v8.ts).
 * (d) GET /api/blocks/:name per second over keep-alive connections.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import type { ReceivedFrame } from '../hardware/sim/sim-bus.js';
import { SimulatedBus } from '../hardware/sim/sim-bus.js';
import { percentile, printTable } from './table.js';

const BLOCKS = 8;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MOVES = arg('--moves', 400);
const STARTS = arg('--starts', 5);
const READ_SECONDS = arg('--read-seconds', 3);
// The executable the systemd unit runs (/usr/local/bin/zoomsync is package.json's "bin"), with no node flags.
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(ROOT, (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: { zoomsync: string } }).bin.zoomsync);

interface Service {
  child: ChildProcess;
  url: string;
  readyMs: number;
  stop(): Promise<void>;
}

async function startService(config: string): Promise<Service> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      const line = err.split('\n').find((l) => l.includes('"listening on'));
      if (line) resolveUrl(JSON.parse(line).url);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${err}`)));
  });
  const readyMs = performance.now() - started;
  return {
    child,
    url,
    readyMs,
    stop: () =>
      new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** The process's CPU time so far (user + system), ms. */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks: 100 per second on Linux
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

function nextFrame(bus: SimulatedBus, address: number, match: (f: ReceivedFrame) => boolean): Promise<ReceivedFrame> {
  return new Promise((resolveFrame) => {
    const on = (f: ReceivedFrame) => {
      if (f.address !== address || !match(f)) return;
      bus.off('frame', on);
      resolveFrame(f);
    };
    bus.on('frame', on);
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'zoomsync-bench-service-'));
  const pairs: PtyPair[] = [];
  const buses: SimulatedBus[] = [];
  const lines: string[] = [];
  const blocks: string[] = [];
  for (let i = 1; i <= BLOCKS; i++) {
    const pair = await PtyPair.open();
    const bus = await SimulatedBus.open(pair.devicePath, { baudRate: 9600, maxRecords: 1000 });
    bus.addBlock({ address: 1 });
    pairs.push(pair);
    buses.push(bus);
    lines.push(`  - { name: line${i}, port: ${JSON.stringify(pair.controllerPath)} }`);
    blocks.push(`  - { name: b${i}, line: line${i}, address: 1 }`);
  }
  const config = join(dir, 'rig.yaml');
  await writeFile(config, ['lines:', ...lines, 'blocks:', ...blocks, ''].join('\n'));

  const readyTimes: number[] = [];
  for (let i = 0; i < STARTS - 1; i++) {
    const s = await startService(config);
    readyTimes.push(s.readyMs);
    await s.stop();
  }
  const service = await startService(config);
  readyTimes.push(service.readyMs);
  const rssReady = await rssMiB(service.child.pid!);
  const cpuReady = await cpuMs(service.child.pid!);
  // the budget holds at every moment, not only where a sample happens to fall in a GC cycle
  let rssPeak = rssReady;
  const sampler = setInterval(() => void rssMiB(service.child.pid!).then((v) => (rssPeak = Math.max(rssPeak, v)), () => {}), 20);
  const token = JSON.parse(await readFile(join(dir, 'rig.tokens.json'), 'utf8')).tokens.find((t: { role: string }) => t.role === 'admin').token as string;

  // (a) joystick -> frame
  const ws = new WebSocket(`${service.url.replace('http', 'ws')}/ws`);
  await new Promise<void>((ok, fail) => {
    ws.once('error', fail);
    ws.on('message', (data) => JSON.parse(String(data)).type === 'hello' && ok());
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
  });
  const moveMs: number[] = [];
  const stopMs: number[] = [];
  for (let i = 0; i < MOVES; i++) {
    const b = i % BLOCKS;
    const bus = buses[b]!;
    const direction = i % 2 === 0 ? 'right' : 'left';
    const moved = nextFrame(bus, 1, (f) => f.command.kind === 'move' && f.command.pan === direction);
    const sentAt = performance.now();
    ws.send(JSON.stringify({ type: 'move', target: `block:b${b + 1}`, pan: direction === 'right' ? 0.6 : -0.6 }));
    moveMs.push((await moved).at - sentAt);
    if (i % 4 === 3) {
      const stopped = nextFrame(bus, 1, (f) => f.command.kind === 'stop');
      const stopAt = performance.now();
      ws.send(JSON.stringify({ type: 'stop', target: `block:b${b + 1}` }));
      stopMs.push((await stopped).at - stopAt);
    }
  }
  for (let b = 1; b <= BLOCKS; b++) ws.send(JSON.stringify({ type: 'stop', target: `block:b${b}` }));
  ws.close();

  // (d) state reads
  const pool = new Pool(service.url, { connections: 4 });
  let reads = 0;
  const until = performance.now() + READ_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 8 }, async (_, k) => {
      while (performance.now() < until) {
        const response = await pool.request({ path: `/api/blocks/b${(k % BLOCKS) + 1}`, method: 'GET', headers: { authorization: `Bearer ${token}` } });
        await response.body.dump();
        if (response.statusCode !== 200) throw new Error(`GET state: ${response.statusCode}`);
        reads++;
      }
    }),
  );
  await pool.close();
  clearInterval(sampler);
  const rssAfter = await rssMiB(service.child.pid!);
  rssPeak = Math.max(rssPeak, rssAfter);
  const cpuRuns = (await cpuMs(service.child.pid!)) - cpuReady;
  await service.stop();

  const ms = (v: number) => v.toFixed(2);
  const load = loadavg().map((v) => v.toFixed(2)).join(' ');
  printTable(`zoomsync serve, ${BLOCKS} blocks on ${BLOCKS} pty lines at 9600 baud, simulators in the bench process (load average ${load})`, ['measure', 'p50', 'p99', 'max', 'n', 'target'], [
    ['joystick move on /ws -> frame at the block (ms)', ms(percentile(moveMs, 50)), ms(percentile(moveMs, 99)), ms(Math.max(...moveMs)), moveMs.length, 'p99 ≤ 15'],
    ['stop on /ws -> frame at the block (ms)', ms(percentile(stopMs, 50)), ms(percentile(stopMs, 99)), ms(Math.max(...stopMs)), stopMs.length, ''],
    ['spawn -> listening (ms)', ms(percentile(readyTimes, 50)), '', ms(Math.max(...readyTimes)), readyTimes.length, '≤ 500'],
  ]);
  printTable('service process', ['measure', 'value', 'target'], [
    ['RSS once ready (MiB)', rssReady.toFixed(1), '≤ 80'],
    ['RSS after the runs (MiB)', rssAfter.toFixed(1), '≤ 80'],
    ['RSS peak during the runs, sampled every 20 ms (MiB)', rssPeak.toFixed(1), '≤ 80'],
    [`GET /api/blocks/:name per second (8 in flight, ${READ_SECONDS} s)`, Math.round(reads / READ_SECONDS), ''],
    [`service CPU per GET during the reads, moves included (µs)`, Math.round((cpuRuns * 1000) / reads), ''],
  ]);

  for (const bus of buses) await bus.close();
  for (const pair of pairs) await pair.close();
  await rm(dir, { recursive: true, force: true });
}

await main();
