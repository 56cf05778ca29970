import type { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { encode, FrameReader, SZ_G10_PROFILE } from '../../../protocols/pelco/index.js';
import { closeFarEnd, collect, openFarEnd } from '../../hardware/far-end.js';
import { runCli, startCli } from '../../helpers/cli.js';

describe('zoomsync send and query (over a real pty)', () => {
  let pair: PtyPair | undefined;
  let far: SerialPort | undefined;
  afterEach(async () => {
    await closeFarEnd(far);
    await pair?.close();
    far = pair = undefined;
  });

  async function setup(): Promise<{ path: string; device: SerialPort }> {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    return { path: pair.controllerPath, device: far };
  }

  /** A tiny zoom block: answers query-zoom for camera 1, after some chatter the CLI must ignore. */
  function respond(device: SerialPort, dialect: 'D' | 'P'): void {
    const reader = new FrameReader({
      dialect,
      profile: SZ_G10_PROFILE,
      onFrame: (frame) => {
        if (frame.command.kind !== 'query-zoom' || frame.address !== 1) return;
        const options = { dialect, profile: SZ_G10_PROFILE };
        device.write(Buffer.from([
          0x13, // line noise
          ...encode({ kind: 'zoom-position', position: 111 }, { ...options, address: 2 }), // another camera
          ...encode({ kind: 'pan-position', position: 222 }, { ...options, address: 1 }), // another reply kind
          ...encode({ kind: 'zoom-position', position: 512 }, { ...options, address: 1 }),
        ]));
      },
    });
    device.on('data', (chunk: Buffer) => reader.push(chunk));
  }

  it('query zoom prints the value of the matching reply', async () => {
    const { path, device } = await setup();
    respond(device, 'D');
    const run = await runCli(['query', '--port', path, '--baud', '9600', '--profile', 'sz-g10', '--address', '1', 'zoom']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('512\n');
  });

  it('query --json in PELCO-P', async () => {
    const { path, device } = await setup();
    respond(device, 'P');
    const run = await runCli(['query', '--port', path, '--dialect', 'P', '--profile', 'sz-g10', '--address', '1', '--json', 'zoom']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ port: path, address: 1, dialect: 'P', query: 'zoom', reply: 'zoom-position', value: 512 });
  });

  it("a silent camera: the scheduler's ZS_REPLY_TIMEOUT (one line naming the port), exit 1", async () => {
    const { path, device } = await setup();
    const heard = collect(device, 7);
    const run = await runCli(['query', '--port', path, '--address', '3', '--timeout', '150', 'zoom']);
    expect(await heard).toEqual([...encode({ kind: 'query-zoom' }, { address: 3 })]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('ZS_REPLY_TIMEOUT');
    expect(run.stderr).toContain(path);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('send writes the encoded frame', async () => {
    const { path, device } = await setup();
    const heard = collect(device, 7);
    const run = await runCli(['send', '--port', path, '--address', '1', 'preset-goto', '5']);
    expect(run.code).toBe(0);
    const expected = encode({ kind: 'preset-goto', preset: 5 }, { address: 1 });
    expect(await heard).toEqual([...expected]);
    expect(run.stdout).toBe(`sent FF 01 00 07 00 05 0D to ${path}\n`);
  });

  it('send --for follows a motion command with a stop', async () => {
    const { path, device } = await setup();
    const heard = collect(device, 14);
    const run = await runCli(['send', '--port', path, '--address', '1', '--for', '30', 'pan-left', '32']);
    expect(run.code).toBe(0);
    expect(await heard).toEqual([
      ...encode({ kind: 'move', pan: 'left', panSpeed: 32, tiltSpeed: 0 }, { address: 1 }),
      ...encode({ kind: 'stop' }, { address: 1 }),
    ]);
  });

  it('send --for says loudly when the port is lost before the stop, since the camera may still be moving', async () => {
    const { path } = await setup();
    const running = startCli(['send', '--port', path, '--address', '4', '--for', '300', 'pan-left', '32']);
    await running.waitForLines(/^sent FF 04 00 04 20 00 28/);
    await pair!.unplug();
    const run = await running.done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the stop was NOT sent, so camera 4 may still be moving .*send 'stop' as soon as the port is back \[ZS_LINE_/);
  });

  it('send --hex sends raw bytes', async () => {
    const { path, device } = await setup();
    const heard = collect(device, 3);
    const run = await runCli(['send', '--port', path, '--hex', 'de ad be']);
    expect(run.code).toBe(0);
    expect(await heard).toEqual([0xde, 0xad, 0xbe]);
  });

  it('a missing port fails with ZS_PORT_NOT_FOUND; bad arguments exit 2 without opening anything', async () => {
    const missing = await runCli(['query', '--port', '/dev/ttyNOPE3', '--address', '1', 'zoom']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\/dev\/ttyNOPE3 does not exist; (serial ports here|no serial ports)/);
    expect(missing.stderr).toContain('ZS_PORT_NOT_FOUND');

    for (const args of [
      ['query', '--port', '/dev/ttyNOPE3', '--address', '1', 'focus'],
      ['query', '--port', '/dev/ttyNOPE3', 'zoom'],
      ['query', '--port', '/dev/ttyNOPE3', '--address', '0', 'zoom'],
      ['send', '--port', '/dev/ttyNOPE3', '--address', '1', '--for', '10', 'stop'],
      ['send', '--port', '/dev/ttyNOPE3', '--hex', 'xyz'],
      ['send', '--port', '/dev/ttyNOPE3', '--baud', '300', '--address', '1', 'stop'],
      ['send', '--port', '/dev/ttyNOPE3', '--direction', 'gpio', '--address', '1', 'stop'],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).not.toContain('ZS_PORT_NOT_FOUND');
    }
  });

  it('stop --all with nobody holding the port sends one PELCO-D broadcast stop under a profile that accepts broadcast', async () => {
    const { path, device } = await setup();
    const heard = collect(device, 7);
    const run = await runCli(['stop', '--port', path, '--profile', 'sz-g10', '--all']);
    expect(run.code).toBe(0);
    expect(await heard).toEqual([0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff]);
    expect(run.stdout).toBe(`sent FF FF 00 00 00 00 FF (stop, broadcast) to ${path}\n`);
  });

  it('stop --all with nobody holding the port refuses a profile without broadcast (exit 2, ZS_NOT_SUPPORTED) and sends nothing', async () => {
    const { path, device } = await setup();
    const bytes: number[] = [];
    device.on('data', (chunk: Buffer) => bytes.push(...chunk));
    const run = await runCli(['stop', '--port', path, '--profile', 'generic', '--all']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--profile sz-g10/);
    // The port was never opened, so this stop goes through and is the only frame the device hears.
    const heard = collect(device, 7);
    expect((await runCli(['stop', '--port', path, '--address', '1'])).code).toBe(0);
    expect(await heard).toEqual([...encode({ kind: 'stop' }, { address: 1 })]);
    expect(bytes).toHaveLength(7);
  });

  it('stop needs exactly one of --address and --all (exit 2)', async () => {
    for (const args of [['stop', '--port', '/dev/ttyNOPE3'], ['stop', '--port', '/dev/ttyNOPE3', '--all', '--address', '1']]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain('give either --address N or --all');
    }
  });
});
