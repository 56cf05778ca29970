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

    await new Promise((resolve) => setTimeout(resolve, 200)); // let the monitor open the port
    keyboard.write(Buffer.from([...encode({ kind: 'move', tilt: 'up', panSpeed: 0, tiltSpeed: 9 }, { address: 3 }), 0x55]));
    keyboard.write(Buffer.from(encode({ kind: 'stop' }, { dialect: 'P', address: 3 })));
    await new Promise((resolve) => keyboard.drain(resolve));
    await running.waitForLines(/"type":"frame"/, 2);
    running.interrupt();
    const run = await running.done;
    await closeFarEnd(keyboard);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).toEqual(['frame', 'discarded', 'frame', 'counters']);
    expect(lines[0]).toMatchObject({ dialect: 'D', address: 3, command: { kind: 'move', tilt: 'up', tiltSpeed: 9 } });
    expect(Date.parse(lines[0].time)).toBeGreaterThan(Date.now() - 10_000);
    expect(lines[2]).toMatchObject({ dialect: 'P', address: 3, command: { kind: 'stop' } });
    expect(lines[3]).toMatchObject({ frames: 2, discardedBytes: 1, checksumErrors: 0 });
  });

  it('reports a pulled adapter, reopens it when it returns, and goes on printing frames', async () => {
    pair = await PtyPair.open();
    const running = startCli(['monitor', '--port', pair.controllerPath, '--baud', '9600', '--json']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await pair.unplug();
    await running.waitForLines(/"type":"reconnecting"/); // the line noticed (path check) and retries
    await pair.replug();
    const keyboard = await openFarEnd(pair.devicePath);
    // The keyboard keeps sending; frames sent before the monitor's retry finds the port are lost,
    // as on a real line. Backoff is 100 ms doubling, so a retry comes within about 2 s.
    const framesAfterOpen = () => running.stdout().split('"type":"open"')[1]?.split('"type":"frame"').length ?? 0;
    for (let i = 0; i < 100 && framesAfterOpen() <= 4; i++) {
      keyboard.write(Buffer.from(encode({ kind: 'preset-goto', preset: 7 }, { address: 1 })));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    running.interrupt();
    const run = await running.done;
    await closeFarEnd(keyboard);
    const types = run.stdout.trim().split('\n').map((line) => JSON.parse(line).type);
    expect(types[0]).toBe('close');
    expect(types).toContain('reconnecting');
    const reopened = types.indexOf('open');
    expect(reopened).toBeGreaterThan(0);
    expect(types.slice(reopened + 1, -1).every((type) => type === 'frame')).toBe(true);
    expect(types.slice(reopened + 1, -1).length).toBeGreaterThan(3);
    expect(types.at(-1)).toBe('counters');
  });

  it('names a port that does not exist', async () => {
    const run = await runCli(['monitor', '--port', '/dev/does-not-exist', '--baud', '9600']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\/dev\/does-not-exist/);
    expect(run.stderr).toMatch(/ZS_PORT_NOT_FOUND/);
  });
});
