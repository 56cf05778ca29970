/**
 * bench/start: what starting the `zoomsync` CLI costs, next to a bare `node -e 0`.
 *   npm run bench:start [-- --runs N]      (tsc, then node dist/bench/start.js)
 *
 * A Raspberry Pi pays for every module loaded up front, so `--help`, `encode` and `decode` must
 * load only what they use. Each case runs N times (default 20) in a fresh process; the table
 * gives the median wall time (spawn to exit, as a shell sees it), the median CPU time (user +
 * system: steadier than wall time on a shared machine) and the largest peak RSS. CPU and peak
 * RSS come from the child itself: a --require preload writes process.resourceUsage() to a file
 * when the process exits (no /usr/bin/time needed). Every case carries the preload, the
 * baseline too, so the ratios compare like with like.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { percentile, printTable } from './table.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'bin.js');
const work = mkdtempSync(join(tmpdir(), 'zoomsync-bench-start-'));
const preload = join(work, 'rss.cjs');
const rssFile = join(work, 'rss');
writeFileSync(
  preload,
  `process.on('exit', () => require('fs').writeFileSync(process.env.ZS_RSS_FILE, JSON.stringify(process.resourceUsage())));\n`,
);

interface Case {
  label: string;
  args: string[];
  stdin?: string;
}

const CASES: Case[] = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'zoomsync --help', args: [bin, '--help'] },
  { label: 'zoomsync encode --address 1 pan-left 32', args: [bin, 'encode', '--address', '1', 'pan-left', '32'] },
  { label: 'zoomsync decode (7 bytes on stdin)', args: [bin, 'decode'], stdin: 'FF 01 00 04 20 00 25\n' },
];

/** One run: wall ms from spawn to exit, the child's CPU ms and its peak RSS in kB. */
function runOnce(c: Case): Promise<{ ms: number; cpuMs: number; rssKb: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--require', preload, ...c.args], {
      env: { ...process.env, ZS_RSS_FILE: rssFile },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(c.stdin ?? '');
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) return reject(new Error(`${c.label} exited ${code}: ${stderr.trim()}`));
      const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as NodeJS.ResourceUsage;
      resolve({ ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, rssKb: usage.maxRSS });
    });
  });
}

/**
 * Runs the cases round-robin (one run of each, N times over) so that a machine busy with other
 * work slows every case alike, then takes medians.
 */
async function measure(cases: Case[]): Promise<{ label: string; ms: number; cpuMs: number; rssMb: number }[]> {
  for (const c of cases) await runOnce(c); // warm the file cache
  const runsOf = cases.map(() => ({ times: [] as number[], cpu: [] as number[], rssKb: 0 }));
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cases.entries()) {
      const run = await runOnce(c);
      const into = runsOf[k]!;
      into.times.push(run.ms);
      into.cpu.push(run.cpuMs);
      into.rssKb = Math.max(into.rssKb, run.rssKb);
    }
  }
  return cases.map((c, k) => ({ label: c.label, ms: percentile(runsOf[k]!.times, 50), cpuMs: percentile(runsOf[k]!.cpu, 50), rssMb: runsOf[k]!.rssKb / 1024 }));
}

try {
  const results = await measure(CASES);
  const base = results[0]!;
  printTable(
    `CLI start, median of ${runs} runs (node ${process.version}, ${process.platform}/${process.arch})`,
    ['case', 'wall ms (median)', 'x node -e 0', 'CPU ms (median)', 'x node -e 0', 'max RSS MB', '+MB over node -e 0'],
    results.map((r) => [
      r.label,
      r.ms.toFixed(1),
      (r.ms / base.ms).toFixed(2),
      r.cpuMs.toFixed(1),
      (r.cpuMs / base.cpuMs).toFixed(2),
      r.rssMb.toFixed(1),
      (r.rssMb - base.rssMb).toFixed(1),
    ]),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
