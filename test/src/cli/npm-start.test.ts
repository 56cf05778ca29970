/**
 * The README's first command, `npm start`, as a real process: package.json's start script
 * (`node <the CLI> serve --sim`) spawned from the built dist/ (built here when missing or older
 * than the sources), on a free port, with --sim-frames: every frame its simulated blocks
 * receive comes out as a JSON line on stdout, so the test waits on the stop reaching the
 * simulator itself, not on a log line saying it was sent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_LAYOUT } from '../../../src/cli/sim-rig.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SIM_BLOCKS: readonly { name: string; address: number }[] = SIM_LAYOUT.flatMap((line): readonly { name: string; address: number }[] => line.blocks);
const SIM_NAMES = SIM_BLOCKS.map((b) => b.name);
const addressOf = (name: string) => SIM_BLOCKS.find((b) => b.name === name)!.address;

interface SimFrame { type: 'frame'; sim: string; address: number; command: { kind: string } }

/** Newest modification time of the .ts files under `dir` (the sources dist/ is built from). */
async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** package.json's start script as words: node, the CLI entry, its arguments. */
function startScript(): string[] {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
}

async function ensureBuilt(): Promise<void> {
  const built = (path: string) => { try { return statSync(path).mtimeMs; } catch { return 0; } };
  const sources = Math.max(...(await Promise.all(['src', 'protocols', 'hardware'].map((d) => newestSource(join(ROOT, d))))));
  if (Math.min(built(join(ROOT, startScript()[1]!)), built(join(ROOT, 'dist/console/index.html'))) > sources) return;
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise<number | null>((done) => child.once('close', done));
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${err}`);
}

describe('npm start (the README first command) as a process', () => {
  let child: ChildProcess;
  let stderr = '';
  const frames: SimFrame[] = [];
  const waiters: { match: (f: SimFrame) => boolean; from: number; done: (f: SimFrame) => void }[] = [];
  /** The first frame the sims receive after the first `from` that matches: already there or still to come. */
  const frameAfter = (from: number, match: (f: SimFrame) => boolean) =>
    new Promise<SimFrame>((done) => {
      const seen = frames.slice(from).find(match);
      if (seen) done(seen);
      else waiters.push({ match, from, done });
    });
  let exited: Promise<number | null>;
  let runtimeDir: string;

  beforeAll(async () => {
    await ensureBuilt();
    runtimeDir = await mkdtemp(join(tmpdir(), 'zoomsync-npm-start-')); // the lines' control sockets
  }, 180_000);
  afterAll(async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); // only if the test failed midway
    await rm(runtimeDir, { recursive: true, force: true });
  });

  it('serve --sim prints the console URL with a token, serves the console and the five blocks, and on SIGTERM stops the moving blocks at the simulator and exits 0', async () => {
    const [node, ...args] = startScript();
    expect(node).toBe('node');
    expect(args.slice(1)).toEqual(['serve', '--sim']);
    child = spawn(process.execPath, [...args, '--sim-frames', '--listen', '127.0.0.1:0'], {
      cwd: ROOT,
      env: { ...process.env, XDG_RUNTIME_DIR: runtimeDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((done) => child.once('close', (code) => done(code)));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let printedUrl!: (line: string) => void;
    const urlLine = new Promise<string>((resolve) => (printedUrl = resolve));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('zoomsync console: ')) return printedUrl(line);
      if (!line.startsWith('{')) return;
      const frame = JSON.parse(line) as SimFrame;
      if (frame.type !== 'frame') return;
      frames.push(frame);
      for (const w of [...waiters]) if (w.match(frame)) (waiters.splice(waiters.indexOf(w), 1), w.done(frame));
    });

    const printed = await Promise.race([urlLine, exited.then((code) => Promise.reject(new Error(`exited ${code} before printing the URL:\n${stderr}`)))]);
    const link = new URL(printed.replace('zoomsync console: ', ''));
    const token = decodeURIComponent(link.hash.replace(/^#token=/, ''));
    expect(token.length).toBeGreaterThanOrEqual(16);
    const base = link.origin;

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/<script[^>]+console\.js/);

    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${base}/api/blocks`)).status).toBe(401);
    const listed = (await (await fetch(`${base}/api/blocks`, { headers: auth })).json()) as { name: string }[] | { blocks: { name: string }[] };
    const names = (Array.isArray(listed) ? listed : listed.blocks).map((b) => b.name);
    expect(names.sort()).toEqual([...SIM_NAMES].sort());

    // two blocks on their way to a far zoom: absolute moves carry no lease, so only the shutdown stops them
    const from = frames.length;
    for (const name of ['wide', 'north']) {
      const moved = await fetch(`${base}/api/blocks/${name}/position`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ zoom: 1000 }) });
      expect(moved.status, await moved.text()).toBe(200);
      await frameAfter(from, (f) => f.address === addressOf(name) && f.command.kind === 'set-zoom');
    }
    const stops = ['wide', 'north'].map((name) => frameAfter(frames.length, (f) => f.address === addressOf(name) && f.command.kind === 'stop'));
    child.kill('SIGTERM');
    await Promise.all(stops);
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/shutting down/);
  }, 60_000);
});
