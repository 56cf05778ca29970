/**
 * bench/codec: PELCO encode and decode throughput.
 *   npm run build && node dist/bench/codec.js
 * Decoding goes through the FrameReader push API (what the bus scheduler uses): checksums
 * checked, every frame fully decoded into its typed command. Each figure is the best of 5 runs.
 */
import { decode, type Dialect, encode, FrameReader, type PelcoCommand } from '../protocols/pelco/index.js';
import { formatRate, printTable } from './table.js';

const FRAMES = 1_000_000;
const RUNS = 5;
const CHUNK = 4096; // a generous serial read; real lines deliver far less per read

const MIX: PelcoCommand[] = [
  { kind: 'move', pan: 'left', panSpeed: 32, tiltSpeed: 0 },
  { kind: 'move', pan: 'right', tilt: 'up', panSpeed: 20, tiltSpeed: 12, zoom: 'tele' },
  { kind: 'stop' },
  { kind: 'preset-goto', preset: 5 },
  { kind: 'query-zoom' },
  { kind: 'zoom-position', position: 30000 },
  { kind: 'set-pan', position: 18000 },
  { kind: 'move', zoom: 'wide', panSpeed: 0, tiltSpeed: 0 },
];

function stream(dialect: Dialect, garbageRatio: number): { bytes: Uint8Array; frames: number } {
  const frames: Uint8Array[] = [];
  for (let i = 0; i < FRAMES; i++) frames.push(encode(MIX[i % MIX.length]!, { dialect, address: 1 + (i % 8) }));
  const frameBytes = frames.reduce((n, f) => n + f.length, 0);
  const garbageBytes = Math.round((frameBytes * garbageRatio) / (1 - garbageRatio));
  const perGap = Math.floor(garbageBytes / FRAMES);
  const bytes = new Uint8Array(frameBytes + perGap * FRAMES);
  let seed = 42;
  let offset = 0;
  for (const frame of frames) {
    bytes.set(frame, offset);
    offset += frame.length;
    for (let g = 0; g < perGap; g++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      bytes[offset++] = (seed >>> 16) & 0x7f; // garbage without sync bytes, so every frame survives
    }
  }
  return { bytes, frames: FRAMES };
}

function best(run: () => number): number {
  let top = 0;
  for (let i = 0; i < RUNS; i++) top = Math.max(top, run());
  return top;
}

function encodeRate(dialect: Dialect): number {
  return best(() => {
    const start = performance.now();
    for (let i = 0; i < FRAMES; i++) encode(MIX[i & 7]!, { dialect, address: 1 + (i & 7) });
    return FRAMES / ((performance.now() - start) / 1000);
  });
}

function readerRate(dialect: Dialect, garbageRatio: number): number {
  const { bytes, frames } = stream(dialect, garbageRatio);
  return best(() => {
    let seen = 0;
    const reader = new FrameReader({ dialect, onFrame: () => void seen++ });
    const start = performance.now();
    for (let offset = 0; offset < bytes.length; offset += CHUNK) reader.push(bytes.subarray(offset, offset + CHUNK));
    const seconds = (performance.now() - start) / 1000;
    if (seen !== frames) throw new Error(`reader found ${seen} of ${frames} frames`);
    return frames / seconds;
  });
}

function decodeOneRate(dialect: Dialect): number {
  const frames = MIX.map((command, i) => encode(command, { dialect, address: 1 + i }));
  return best(() => {
    const start = performance.now();
    for (let i = 0; i < FRAMES; i++) decode(frames[i & 7]!);
    return FRAMES / ((performance.now() - start) / 1000);
  });
}

const TARGET = 10e6;
const rows: (string | number)[][] = [];
for (const dialect of ['D', 'P'] as const) {
  rows.push([`PELCO-${dialect}`, 'encode()', formatRate(encodeRate(dialect)), '']);
  rows.push([`PELCO-${dialect}`, 'decode() one frame at a time', formatRate(decodeOneRate(dialect)), '']);
  const clean = readerRate(dialect, 0);
  rows.push([`PELCO-${dialect}`, 'FrameReader.push, clean stream', formatRate(clean), dialect === 'D' ? `>= 10 M/s: ${clean >= TARGET ? 'met' : 'NOT met'}` : '']);
  rows.push([`PELCO-${dialect}`, 'FrameReader.push, 50% garbage bytes', formatRate(readerRate(dialect, 0.5)), '']);
}
printTable(`PELCO codec, ${FRAMES.toLocaleString('en')} frames per run, best of ${RUNS} (node ${process.version})`, ['dialect', 'operation', 'frames/s', 'target'], rows);
