import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encode, FrameReader, type PelcoFrame } from '../../../protocols/pelco/index.js';
import { closeFarEnd, openFarEnd } from '../../hardware/far-end.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { spawnSource } from '../../helpers/node-child.js';

describe('zoomsync sim', () => {
  it('runs blocks on a shared bus: prints the path, logs frames, answers only its own address', async () => {
    const sim = startCli(['sim', '--blocks', '2', '--shared-bus', '--first-address', '5', '--json']);
    const blocks = (await sim.waitForLines(/"type":"block"/, 2)).map((l) => JSON.parse(l));
    expect(blocks.map((b) => b.address)).toEqual([5, 6]);
    expect(blocks[0].path).toBe(blocks[1].path); // one shared pty

    const port = await openFarEnd(blocks[0].path);
    const replies: PelcoFrame[] = [];
    let twoReplies!: () => void;
    const gotTwo = new Promise<void>((resolve) => (twoReplies = resolve));
    const reader = new FrameReader({
      dialect: 'D',
      onFrame: (frame) => {
        if (replies.push(frame) === 2) twoReplies();
      },
    });
    port.on('data', (chunk: Buffer) => reader.push(chunk));
    port.write(Buffer.from(encode({ kind: 'query-magnification' }, { address: 6 })));
    port.write(Buffer.from(encode({ kind: 'query-zoom' }, { address: 9 }))); // nobody there
    await sim.waitForLines(/"type":"frame"/, 2);
    // A marker: its reply comes after any reply to address 9 could have.
    port.write(Buffer.from(encode({ kind: 'query-magnification' }, { address: 6 })));
    await gotTwo;
    await closeFarEnd(port);
    sim.interrupt();
    const { code, stdout: out } = await sim.done;
    expect(code).toBe(0);

    const magnification6 = { dialect: 'D', address: 6, broadcast: false, command: { kind: 'magnification', value: 100 } };
    expect(replies).toEqual([magnification6, magnification6]);
    const frames = out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'frame').slice(0, 2);
    expect(frames.map((f) => [f.address, f.command.kind])).toEqual([[6, 'query-magnification'], [9, 'query-zoom']]);
  });

  it('with --http gives each block its REST face on the same lens as its PELCO face', async () => {
    const sim = startCli(['sim', '--http', '--json']);
    const [line] = await sim.waitForLines(/"type":"block"/);
    const block = JSON.parse(line!);
    expect(block.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = await openFarEnd(block.path);
    port.write(Buffer.from(encode({ kind: 'set-zoom', position: 1000 }, { address: 1 })));
    const login = await fetch(`${block.url}/app/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'admin', userPassword: createHash('sha256').update('admin').digest('hex') }),
    });
    const { token } = (await login.json()) as { token: string };
    const readLens = async () => (await (await fetch(`${block.url}/app/v1/camera/lens`, { headers: { authorization: `Bearer ${token}` } })).json()) as { zoom: { position: number } };
    // full zoom travel at the default speed is 1.5 s: read until the lens arrives (or the test times out)
    let lens = await readLens();
    while (lens.zoom.position !== 1000) lens = await new Promise((r) => setTimeout(r, 100)).then(readLens);
    await closeFarEnd(port);
    sim.interrupt();
    expect((await sim.done).code).toBe(0);
    expect(lens.zoom.position).toBe(1000);
  });

  it('rejects a bad block count with a usage error', async () => {
    const run = await runCli(['sim', '--blocks', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--blocks must be 1–32, got 0/);
  });
});

/** socat processes whose parent is `pid` (read from /proc), zombies excluded. */
function socatChildren(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return stat.includes('(socat)') && Number(ppid) === pid && state !== 'Z' ? [Number(name)] : [];
      } catch {
        return []; // ended while we looked
      }
    });
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').slice(-64).includes(') Z ');
  } catch {
    return false;
  }
}

/** Polls a condition until it holds (an exiting process's children end a moment after it). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `zoomsync sim` as a real process; resolves once it has printed `blocks` block lines. */
async function startSimProcess(args: string[], blocks: number) {
  const child = spawnSource(['src/cli/bin.ts', 'sim', '--json', ...args]);
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code, stderr }));
  });
  const lines: { path: string }[] = [];
  let text = '';
  await new Promise<void>((resolve, reject) => {
    child.once('close', () => reject(new Error(`sim ended before printing its blocks: ${text}`)));
    child.stdout.on('data', function onData(chunk: Buffer) {
      text += chunk.toString();
      const blockLines = text.split('\n').filter((line) => line.includes('"type":"block"'));
      if (blockLines.length < blocks) return;
      lines.push(...blockLines.map((line) => JSON.parse(line) as { path: string }));
      child.stdout.off('data', onData);
      resolve();
    });
  });
  // A --link path leads to the pair's controller link, which leads to /dev/pts/N.
  const controllerLink = (path: string) => (readlinkSync(path).startsWith('/dev/') ? path : readlinkSync(path));
  const ptyFolders = lines.map((block) => dirname(controllerLink(block.path)));
  return { child, exited, paths: lines.map((block) => block.path), ptyFolders, socats: socatChildren(child.pid!) };
}

describe('zoomsync sim: ports in use, fixed paths, cleanup', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zoomsync-sim-test-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('an --http-port another program holds is one line naming the port, exit 1, ZS_PORT_BUSY', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const run = await runCli(['sim', '--http-port', String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^zoomsync sim: --http-port: port ${port} on 127\\.0\\.0\\.1 .* in use .*\\[ZS_PORT_BUSY\\]$`))]);
    } finally {
      holder.close();
    }
  });

  it('--link DIR puts block A at DIR/blockA; a controller drives it there; the links go on exit', async () => {
    const dir = join(await tempDir(), 'links'); // created by sim
    const sim = startCli(['sim', '--blocks', '2', '--first-address', '3', '--link', dir, '--json']);
    const blocks = (await sim.waitForLines(/"type":"block"/, 2)).map((line) => JSON.parse(line) as { address: number; path: string });
    expect(blocks.map((b) => [b.address, b.path])).toEqual([[3, join(dir, 'block3')], [4, join(dir, 'block4')]]);

    const port = await openFarEnd(join(dir, 'block4'));
    const reply = new Promise<PelcoFrame>((resolve) => {
      const reader = new FrameReader({ dialect: 'D', onFrame: resolve });
      port.on('data', (chunk: Buffer) => reader.push(chunk));
    });
    port.write(Buffer.from(encode({ kind: 'query-magnification' }, { address: 4 })));
    expect((await reply).address).toBe(4);
    await closeFarEnd(port);
    sim.interrupt();
    expect((await sim.done).code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--link with --shared-bus gives the one pty as DIR/bus', async () => {
    const dir = await tempDir();
    const sim = startCli(['sim', '--blocks', '2', '--shared-bus', '--link', dir, '--json']);
    const blocks = (await sim.waitForLines(/"type":"block"/, 2)).map((line) => JSON.parse(line) as { path: string });
    expect(blocks.map((b) => b.path)).toEqual([join(dir, 'bus'), join(dir, 'bus')]);
    sim.interrupt();
    expect((await sim.done).code).toBe(0);
  });

  it('a --link path that is taken is one line, exit 1, ZS_PORT_BUSY, and leaves the path alone', async () => {
    const dir = await tempDir();
    writeFileSync(join(dir, 'block1'), 'not a pty');
    const run = await runCli(['sim', '--link', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^zoomsync sim: .*block1 is taken .*\[ZS_PORT_BUSY\]$/)]);
    expect(readFileSync(join(dir, 'block1'), 'utf8')).toBe('not a pty');
  });

  it('a dangling --link left by a killed sim is replaced', async () => {
    const dir = await tempDir();
    symlinkSync('/tmp/zoomsync-pty-gone/controller', join(dir, 'block1'));
    const sim = startCli(['sim', '--link', dir, '--json']);
    await sim.waitForLines(/"type":"block"/);
    expect(existsSync(join(dir, 'block1'))).toBe(true); // resolves to a live pty
    sim.interrupt();
    expect((await sim.done).code).toBe(0);
  });

  it('SIGHUP ends sim with its socat processes, pty folders and links gone', async () => {
    const dir = await tempDir();
    const sim = await startSimProcess(['--blocks', '2', '--link', dir], 2);
    expect(sim.socats).toHaveLength(2);
    expect(sim.ptyFolders.every((folder) => existsSync(folder))).toBe(true);
    sim.child.kill('SIGHUP');
    expect((await sim.exited).code).toBe(0);
    await eventually(() => !sim.socats.some(alive), 'the socat processes have ended');
    expect(sim.ptyFolders.filter((folder) => existsSync(folder))).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a closed stdout pipe ends sim with its socat processes and pty folder gone', async () => {
    const sim = await startSimProcess([], 1);
    expect(sim.socats).toHaveLength(1);
    sim.child.stdout.destroy(); // the reader went away (`zoomsync sim | head -1`)
    // the next frame sim logs meets the closed pipe
    const port = await openFarEnd(sim.paths[0]!);
    port.write(Buffer.from(encode({ kind: 'stop' }, { address: 1 })));
    const { code } = await sim.exited;
    await closeFarEnd(port);
    expect(code).toBe(0);
    await eventually(() => !sim.socats.some(alive), 'the socat process has ended');
    expect(existsSync(sim.ptyFolders[0]!)).toBe(false);
  });
});

describe('zoomsync sim --link argument', () => {
  it('a --link that cannot be a directory is a usage error naming it', async () => {
    const run = await runCli(['sim', '--link', '/dev/null/links']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^zoomsync sim: --link \/dev\/null\/links cannot be used as a directory for the pty links \(ENOTDIR\); choose another\. Run/);
  });
});
