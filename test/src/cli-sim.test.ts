import { PassThrough } from 'node:stream';
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { encode, FrameReader, type PelcoFrame } from '../../protocols/pelco/index.js';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

const openPort = (path: string) =>
  new Promise<SerialPort>((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 9600 }, (error) => (error ? reject(error) : resolve(port)));
  });

describe('zoomsync sim', () => {
  it('runs blocks on a shared bus: prints the path, logs frames, answers only its own address', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += chunk));
    let stop!: () => void;
    const io: CliIO = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, interrupted: new Promise<void>((resolve) => (stop = resolve)) };
    const running = main(['sim', '--blocks', '2', '--shared-bus', '--first-address', '5', '--json'], io);
    const deadline = Date.now() + 5000;
    while (out.split('\n').filter((l) => l.includes('"block"')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const blocks = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(blocks.map((b) => b.address)).toEqual([5, 6]);
    expect(blocks[0].path).toBe(blocks[1].path); // one shared pty

    const port = await openPort(blocks[0].path);
    const replies: PelcoFrame[] = [];
    const reader = new FrameReader({ dialect: 'D', onFrame: (frame) => replies.push(frame) });
    port.on('data', (chunk: Buffer) => reader.push(chunk));
    port.write(Buffer.from(encode({ kind: 'query-magnification' }, { address: 6 })));
    port.write(Buffer.from(encode({ kind: 'query-zoom' }, { address: 9 }))); // nobody there
    await new Promise((r) => setTimeout(r, 300));
    await new Promise<void>((resolve) => port.close(() => resolve()));
    stop();
    expect(await running).toBe(0);

    expect(replies).toEqual([{ dialect: 'D', address: 6, broadcast: false, command: { kind: 'magnification', value: 100 } }]);
    const frames = out.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'frame');
    expect(frames.map((f) => [f.address, f.command.kind])).toEqual([[6, 'query-magnification'], [9, 'query-zoom']]);
  });

  it('rejects a bad block count with a usage error', async () => {
    const run = await runCli(['sim', '--blocks', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--blocks must be 1–32, got 0/);
  });
});
