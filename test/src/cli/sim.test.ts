import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encode, FrameReader, type PelcoFrame } from '../../../protocols/pelco/index.js';
import { closeFarEnd, openFarEnd } from '../../hardware/far-end.js';
import { runCli, startCli } from '../../helpers/cli.js';

describe('zoomsync sim', () => {
  it('runs blocks on a shared bus: prints the path, logs frames, answers only its own address', async () => {
    const sim = startCli(['sim', '--blocks', '2', '--shared-bus', '--first-address', '5', '--json']);
    const blocks = (await sim.waitForLines(/"type":"block"/, 2)).map((l) => JSON.parse(l));
    expect(blocks.map((b) => b.address)).toEqual([5, 6]);
    expect(blocks[0].path).toBe(blocks[1].path); // one shared pty

    const port = await openFarEnd(blocks[0].path);
    const replies: PelcoFrame[] = [];
    const reader = new FrameReader({ dialect: 'D', onFrame: (frame) => replies.push(frame) });
    port.on('data', (chunk: Buffer) => reader.push(chunk));
    port.write(Buffer.from(encode({ kind: 'query-magnification' }, { address: 6 })));
    port.write(Buffer.from(encode({ kind: 'query-zoom' }, { address: 9 }))); // nobody there
    await new Promise((r) => setTimeout(r, 300));
    await closeFarEnd(port);
    sim.interrupt();
    const { code, stdout: out } = await sim.done;
    expect(code).toBe(0);

    expect(replies).toEqual([{ dialect: 'D', address: 6, broadcast: false, command: { kind: 'magnification', value: 100 } }]);
    const frames = out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'frame');
    expect(frames.map((f) => [f.address, f.command.kind])).toEqual([[6, 'query-magnification'], [9, 'query-zoom']]);
  });

  it('with --http gives each block its REST face on the same lens as its PELCO face', async () => {
    const sim = startCli(['sim', '--http', '--json']);
    const [line] = await sim.waitForLines(/"type":"block"/);
    const block = JSON.parse(line!);
    expect(block.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = await openFarEnd(block.path);
    port.write(Buffer.from(encode({ kind: 'set-zoom', position: 1000 }, { address: 1 })));
    await new Promise((r) => setTimeout(r, 2000)); // full zoom travel at the default speed is 1.5 s
    const login = await fetch(`${block.url}/app/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'admin', userPassword: createHash('sha256').update('admin').digest('hex') }),
    });
    const { token } = (await login.json()) as { token: string };
    const lens = (await (await fetch(`${block.url}/app/v1/camera/lens`, { headers: { authorization: `Bearer ${token}` } })).json()) as { zoom: { position: number } };
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
