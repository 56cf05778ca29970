import { afterEach, describe, expect, it } from 'vitest';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { encode } from '../../../protocols/pelco/index.js';
import { closeFarEnd, openFarEnd } from '../../hardware/far-end.js';
import { runCli, startCli } from '../../helpers/cli.js';

describe('zoomsync monitor (over a real pty)', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => pair?.close());

  it('prints each frame a keyboard sends with a timestamp, and the counters on Ctrl-C', async () => {
    pair = await PtyPair.open();
    const keyboard = await openFarEnd(pair.devicePath);
    const running = startCli(['monitor', '--port', pair.controllerPath, '--baud', '9600', '--json']);

    await running.waitForLines(/"type":"listening"/); // the monitor has the port open
    const corrupt = encode({ kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 }, { address: 1 });
    corrupt[6] = 0x26; // FF 01 00 04 20 00 26: one bit off the checksum 25
    keyboard.write(Buffer.from([...encode({ kind: 'move', tilt: 'up', panSpeed: 0, tiltSpeed: 9 }, { address: 3 }), 0x55]));
    keyboard.write(Buffer.from([...corrupt, ...encode({ kind: 'stop' }, { dialect: 'P', address: 3 })]));
    await new Promise((resolve) => keyboard.drain(resolve));
    await running.waitForLines(/"type":"frame"/, 2);
    running.interrupt();
    const run = await running.done;
    await closeFarEnd(keyboard);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).toEqual(['listening', 'frame', 'discarded', 'bad-checksum', 'frame', 'counters']);
    expect(lines[0]).toMatchObject({ port: pair.controllerPath, baudRate: 9600 });
    expect(lines[1]).toMatchObject({ dialect: 'D', address: 3, command: { kind: 'move', tilt: 'up', tiltSpeed: 9 } });
    expect(Date.parse(lines[1].time)).toBeGreaterThan(Date.now() - 10_000);
    expect(lines[3]).toMatchObject({ hex: 'FF 01 00 04 20 00 26', expected: 0x25, got: 0x26, message: 'bad checksum: expected 25, got 26' });
    expect(lines[4]).toMatchObject({ dialect: 'P', address: 3, command: { kind: 'stop' } });
    expect(lines[5]).toMatchObject({ frames: 2, discardedBytes: 1 + 7, checksumErrors: 1 });
  });

  it('reports a pulled adapter, reopens it when it returns, and goes on printing frames', async () => {
    pair = await PtyPair.open();
    const running = startCli(['monitor', '--port', pair.controllerPath, '--baud', '9600', '--json']);
    await running.waitForLines(/"type":"listening"/);
    await pair.unplug();
    await running.waitForLines(/"type":"reconnecting"/); // the line noticed (path check) and retries
    await pair.replug();
    const keyboard = await openFarEnd(pair.devicePath);
    // Frames a keyboard sends before the monitor's retry finds the port are lost, as on a real
    // line: send once the monitor says the port is open again.
    await running.waitForLines(/"type":"open"/);
    const preset = encode({ kind: 'preset-goto', preset: 7 }, { address: 1 });
    keyboard.write(Buffer.from(Array.from({ length: 5 }, () => [...preset]).flat()));
    await running.waitForLines(/"type":"frame"/, 5);
    running.interrupt();
    const run = await running.done;
    await closeFarEnd(keyboard);
    const types = run.stdout.trim().split('\n').map((line) => JSON.parse(line).type);
    expect(types.slice(0, 2)).toEqual(['listening', 'close']);
    expect(types).toContain('reconnecting');
    const reopened = types.indexOf('open');
    expect(reopened).toBeGreaterThan(0);
    expect(types.slice(reopened + 1, -1).every((type) => type === 'frame')).toBe(true);
    expect(types.slice(reopened + 1, -1)).toHaveLength(5);
    expect(types.at(-1)).toBe('counters');
  });

  it('names a port that does not exist', async () => {
    const run = await runCli(['monitor', '--port', '/dev/does-not-exist', '--baud', '9600']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\/dev\/does-not-exist/);
    expect(run.stderr).toMatch(/ZS_PORT_NOT_FOUND/);
  });
});
