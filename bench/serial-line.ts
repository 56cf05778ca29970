/**
 * bench/serial-line: what a SerialLine costs and how fast it recovers, over a real pty pair.
 *   npm run bench:serial     (tsc, then node dist/bench/serial-line.js)
 *
 * A pty has no baud rate: the figures are zoomsync's own overhead (serialport write + drain,
 * direction switching, echo filtering), not time on a real wire (a 7-byte PELCO-D frame takes
 * 7.3 ms at 9600 baud on a real line). Recovery figures use the default options:
 * presence check every 250 ms, backoff 100 ms x2 up to 5 s.
 */
import { SerialPort } from 'serialport';
import { SerialLine, type SerialLineOptions } from '../hardware/serial/serial-line.js';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import { encode } from '../protocols/pelco/index.js';
import { percentile, printTable } from './table.js';

const FRAMES = 500;
const FRAME = encode({ kind: 'move', pan: 'left', panSpeed: 32, tiltSpeed: 0 }, { address: 1 });

function openFar(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600 }, (error) => (error ? reject(error) : resolve(port)));
    port.on('error', () => {});
  });
}

const ms = (n: number) => n.toFixed(2);

/** Sequential writes: time until write() resolves and until the far end has the frame. */
async function writeLatency(label: string, options: Omit<SerialLineOptions, 'path'>, echo: boolean): Promise<(string | number)[]> {
  const pair = await PtyPair.open();
  const far = await openFar(pair.devicePath);
  const line = new SerialLine({ path: pair.controllerPath, ...options });
  await line.open();
  let arrived: (() => void) | undefined;
  let got = 0;
  far.on('data', (chunk: Buffer) => {
    if (echo) far.write(chunk);
    got += chunk.length;
    if (got >= FRAME.length) {
      got -= FRAME.length;
      arrived?.();
    }
  });
  const resolved: number[] = [];
  const delivered: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const start = performance.now();
    const atFar = new Promise<void>((resolve) => (arrived = resolve));
    await line.write(FRAME);
    resolved.push(performance.now() - start);
    await atFar;
    delivered.push(performance.now() - start);
  }
  await new Promise((resolve) => setTimeout(resolve, options.echoWindowMs ?? 60));
  const dropped = line.counters.echoBytesDropped;
  await line.close();
  await new Promise<void>((resolve) => far.close(() => resolve()));
  await pair.close();
  return [label, FRAMES, ms(percentile(resolved, 50)), ms(percentile(resolved, 99)), ms(percentile(delivered, 50)), ms(percentile(delivered, 99)), echo ? `${dropped}/${FRAMES * FRAME.length}` : '-'];
}

/** Unplug: time until 'close'. Replug (after the line has backed off to `awayMs`): time until 'open'. */
async function recovery(awayMs: number): Promise<(string | number)[]> {
  const pair = await PtyPair.open();
  const line = new SerialLine({ path: pair.controllerPath, onWarning: () => {} });
  line.on('error', () => {});
  await line.open();
  const closed = new Promise<void>((resolve) => line.once('close', () => resolve()));
  const t0 = performance.now();
  await pair.unplug();
  await closed;
  const detect = performance.now() - t0;
  let attempts = 0;
  line.on('reconnecting', () => attempts++);
  await new Promise((resolve) => setTimeout(resolve, awayMs));
  const opened = new Promise<void>((resolve) => line.once('open', () => resolve()));
  const t1 = performance.now();
  await pair.replug();
  await opened;
  const reopen = performance.now() - t1;
  await line.close();
  await pair.close();
  return [`${awayMs} ms`, ms(detect), attempts, ms(reopen)];
}

const rows = [
  await writeLatency('auto (USB adapter)', {}, false),
  await writeLatency('gpio, turnaround 1 ms, echo', { direction: { mode: 'gpio', setTransmit: () => {}, turnaroundMs: 1 } }, true),
  await writeLatency('rts on a pty (falls back), echo', { direction: { mode: 'rts', turnaroundMs: 1 }, onWarning: () => {} }, true),
];
printTable(`SerialLine write latency over a pty (${FRAMES} sequential 7-byte frames, ms)`, ['direction', 'frames', 'write() p50', 'write() p99', 'at far end p50', 'at far end p99', 'echo dropped'], rows);

const recoveryRows = [];
for (const away of [300, 1000, 3000]) recoveryRows.push(await recovery(away));
printTable('SerialLine recovery (default options: presence check 250 ms, backoff 100 ms x2 up to 5 s)', ['device away for', 'unplug noticed after (ms)', 'attempts while away', 'open after replug (ms)'], recoveryRows);
process.exit(0);
