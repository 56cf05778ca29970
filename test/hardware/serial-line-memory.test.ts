import { describe, expect, it } from 'vitest';
import { ROOT, spawnSource } from '../helpers/node-child.js';

// Runs in its own node process with --expose-gc, so the heap it measures holds nothing but the line.
const SCRIPT = `
const src = (path) => import(new URL(path, ${JSON.stringify(ROOT.href)}).href);
const { PtyPair } = await src('hardware/sim/pty-pair.ts');
const { SerialLine } = await src('hardware/serial/serial-line.ts');
const { SerialPort } = await import('serialport');
const pair = await PtyPair.open();
const far = await new Promise((resolve, reject) => { const p = new SerialPort({ path: pair.devicePath, baudRate: 9600 }, (e) => (e ? reject(e) : resolve(p))); });
far.on('data', () => {});
const line = new SerialLine({ path: pair.controllerPath, baudRate: 9600 });
await line.open();
const frame = new Uint8Array([0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x25]);
const heapAfter = async (writes) => { for (let i = 0; i < writes; i++) await line.write(frame); gc(); gc(); return process.memoryUsage().heapUsed; };
const before = await heapAfter(1000);
const after = await heapAfter(Number(process.env.WRITES));
console.log(JSON.stringify({ grewBytes: after - before, written: line.counters.bytesWritten }));
await line.close();
await new Promise((resolve) => far.close(resolve));
await pair.close();
`;

describe('SerialLine memory', () => {
  it('keeps nothing per write while the port stays open (10 000 writes grow the heap by less than 1 MB)', async () => {
    const writes = 10_000;
    const child = spawnSource(['--expose-gc', '--input-type=module', '-e', SCRIPT], { WRITES: String(writes) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as { grewBytes: number; written: number };
    expect(result.written).toBe((1000 + writes) * 7);
    // Before the fix every write left a promise reaction on the port's long-lived "lost"
    // promise: about 300 bytes a write, 3 MB here.
    expect(result.grewBytes).toBeLessThan(1024 * 1024);
  });
});
