import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidArgumentError, isZoomsyncError, PortOpenFailedError, type ZoomsyncError } from '../../protocols/errors.js';
import { encode } from '../../protocols/pelco/index.js';
import type { ReconnectInfo } from '../../hardware/serial/frame-line.js';
import { listSerialPorts } from '../../hardware/serial/port-list.js';
import { SerialLine, type SerialLineOptions } from '../../hardware/serial/serial-line.js';
import { PtyPair } from '../../hardware/sim/pty-pair.js';
import { closeFarEnd, collect, once, openFarEnd, sleep } from './far-end.js';

const STOP = encode({ kind: 'stop' }, { address: 1 });
const REPLY = encode({ kind: 'zoom-position', position: 512 }, { address: 1 });

/** Settles `promise` or says 'pending' if it has not settled within one turn of the event loop. */
async function settledNow<T>(promise: Promise<T>): Promise<unknown> {
  return Promise.race([promise.then((v) => v, (e: unknown) => e), new Promise((r) => setImmediate(() => r('pending')))]);
}

describe('SerialLine options', () => {
  const bad: Array<[string, Partial<SerialLineOptions>]> = [
    ['path', { path: '' }],
    ['baudRate', { baudRate: 300 }],
    ['baudRate', { baudRate: 230400 }],
    ['baudRate', { baudRate: 9600.5 }],
    ['dataBits', { dataBits: 6 as 8 }],
    ['parity', { parity: 'mark' as 'none' }],
    ['stopBits', { stopBits: 1.5 as 1 }],
    ['direction.mode', { direction: { mode: 'dtr' } as never }],
    ['direction.turnaroundMs', { direction: { mode: 'rts', turnaroundMs: -1 } }],
    ['direction.setTransmit', { direction: { mode: 'gpio' } as never }],
    ['reconnect.initialDelayMs', { reconnect: { initialDelayMs: 0 } }],
    ['reconnect.maxDelayMs', { reconnect: { initialDelayMs: 500, maxDelayMs: 100 } }],
    ['presenceCheckMs', { presenceCheckMs: 1 }],
    ['reconnect.factor', { reconnect: { factor: 0.5 } }],
    ['reconnect.enabled', { reconnect: { enabled: 'yes' as never } }],
    ['suppressEcho', { suppressEcho: 1 as never }],
    ['echoWindowMs', { echoWindowMs: Number.NaN }],
    ['writeTimeoutMs', { writeTimeoutMs: 5 }],
    ['onWarning', { onWarning: 'log' as never }],
  ];
  it.each(bad)('rejects a bad %s, naming the field, the value and the range', (field, patch) => {
    let error: unknown;
    try {
      new SerialLine({ path: '/dev/ttyUSB0', ...patch } as SerialLineOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toBe(field);
    expect((error as Error).message).toMatch(new RegExp(`^${field.replace('.', '\\.')} .* expected `));
  });

  it('fills in the defaults', () => {
    const line = new SerialLine({ path: '/dev/ttyUSB0' });
    expect(line.options).toMatchObject({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, turnaroundMs: 0, suppressEcho: false });
    expect(line.options.reconnect).toEqual({ initialDelayMs: 100, factor: 2, maxDelayMs: 5000, enabled: true });
    expect(new SerialLine({ path: 'x', direction: { mode: 'rts', turnaroundMs: 3 } }).turnaroundMs).toBe(3);
  });

  it('rejects a write of something that is not bytes with a typed error, not a crash', async () => {
    const error = await settledNow(new SerialLine({ path: '/dev/ttyNOPE7' }).write('FF 01 00 00 00 00 01' as never));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'bytes' });
  });

  it('takes an explicit undefined as the default, field by field', () => {
    const explicit = new SerialLine({
      path: '/dev/ttyUSB0',
      baudRate: undefined,
      dataBits: undefined,
      parity: undefined,
      stopBits: undefined,
      direction: undefined,
      reconnect: { initialDelayMs: undefined, factor: undefined, maxDelayMs: undefined, enabled: undefined },
      presenceCheckMs: undefined,
      suppressEcho: undefined,
      echoWindowMs: undefined,
      writeTimeoutMs: undefined,
      onWarning: undefined,
    });
    const { onWarning: _a, ...resolved } = explicit.options;
    const { onWarning: _b, ...defaults } = new SerialLine({ path: '/dev/ttyUSB0' }).options;
    expect(resolved).toEqual(defaults);
    expect(new SerialLine({ path: 'x', direction: { mode: 'rts', turnaroundMs: undefined } }).turnaroundMs).toBe(1);
  });
});

describe('SerialLine over a pty', () => {
  let pair: PtyPair | undefined;
  let line: SerialLine | undefined;
  let far: SerialPort | undefined;
  afterEach(async () => {
    await line?.close();
    await closeFarEnd(far);
    await pair?.close();
    line = far = pair = undefined;
  });

  it('opens, writes and receives', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    line = new SerialLine({ path: pair.controllerPath });
    const opened = once(line, 'open');
    await line.open();
    await opened;
    expect(line.isOpen).toBe(true);
    const atFar = collect(far, STOP.length);
    await line.write(STOP);
    expect(await atFar).toEqual([...STOP]);
    const atLine = collect(line, REPLY.length);
    far.write(Buffer.from(REPLY));
    expect(await atLine).toEqual([...REPLY]);
    expect(line.counters).toMatchObject({ bytesWritten: 7, bytesReceived: 7, echoBytesDropped: 0 });
  });

  it('names the missing path and lists the ports that exist', async () => {
    line = new SerialLine({ path: '/dev/ttyNOPE7' });
    const error = (await line.open().catch((e: unknown) => e)) as ZoomsyncError;
    expect(error.code).toBe('ZS_PORT_NOT_FOUND');
    expect(error.message).toContain('/dev/ttyNOPE7');
    const ports = await listSerialPorts();
    expect(error).toMatchObject({ path: '/dev/ttyNOPE7', available: ports });
    for (const port of ports) expect(error.message).toContain(port);
    if (ports.length === 0) expect(error.message).toContain('no serial ports were found');
    expect(line.isOpen).toBe(false);
  });

  it('reports a path that is not a serial device as ZS_PORT_OPEN_FAILED with advice', async () => {
    line = new SerialLine({ path: '/etc/hostname' });
    const error = (await line.open().catch((e: unknown) => e)) as ZoomsyncError;
    expect(error.code).toBe('ZS_PORT_OPEN_FAILED');
    expect(error).toBeInstanceOf(PortOpenFailedError);
    expect((error as PortOpenFailedError).path).toBe('/etc/hostname');
    expect(error.message).toMatch(/\/etc\/hostname.*not a serial device/);
  });

  it('rejects writes at once when closed, and after close() for good', async () => {
    line = new SerialLine({ path: '/dev/ttyNOPE7' });
    const error = await settledNow(line.write(STOP));
    expect(isZoomsyncError(error, 'ZS_LINE_CLOSED')).toBe(true);
    pair = await PtyPair.open();
    line = new SerialLine({ path: pair.controllerPath });
    await line.open();
    await line.close();
    const after = await settledNow(line.write(STOP));
    expect(isZoomsyncError(after, 'ZS_LINE_CLOSED')).toBe(true);
    expect((after as Error).message).toMatch(/was closed/);
  });

  it('notices an unplugged device, rejects writes fast, and reopens when it comes back', async () => {
    pair = await PtyPair.open();
    line = new SerialLine({ path: pair.controllerPath, presenceCheckMs: 20, reconnect: { initialDelayMs: 20, maxDelayMs: 80 } });
    const events: string[] = [];
    const reconnecting: ReconnectInfo[] = [];
    const errors: ZoomsyncError[] = [];
    line.on('open', () => events.push('open'));
    line.on('close', () => events.push('close'));
    line.on('error', (e) => errors.push(e));
    line.on('reconnecting', (info) => {
      events.push('reconnecting');
      reconnecting.push(info);
    });
    await line.open();
    const closed = once(line, 'close');
    await pair.unplug();
    await closed;
    expect(line.isOpen).toBe(false);
    const rejected = await settledNow(line.write(STOP));
    expect(isZoomsyncError(rejected, 'ZS_LINE_CLOSED')).toBe(true);
    expect((rejected as Error).message).toMatch(/reconnecting/);

    // Several attempts fail while the device is away; the delays grow and are capped.
    while (reconnecting.length < 4) await once(line, 'reconnecting');
    expect(reconnecting.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
    expect(reconnecting.map((r) => r.delayMs)).toEqual([20, 40, 80, 80]);
    expect(reconnecting[0]!.cause.code).toBe('ZS_LINE_CLOSED');
    expect(reconnecting[1]!.cause.code).toBe('ZS_PORT_NOT_FOUND');
    expect(errors.some((e) => e.code === 'ZS_PORT_NOT_FOUND')).toBe(true);

    const reopened = once(line, 'open');
    await pair.replug();
    await reopened;
    expect(events.slice(0, 3)).toEqual(['open', 'close', 'reconnecting']);
    expect(events.at(-1)).toBe('open');
    expect(line.counters.reconnects).toBe(1);
    far = await openFarEnd(pair.devicePath);
    const atFar = collect(far, STOP.length);
    await line.write(STOP);
    expect(await atFar).toEqual([...STOP]);
  });

  it('detects a vanished device by a failed write when the path check is off', async () => {
    pair = await PtyPair.open();
    line = new SerialLine({ path: pair.controllerPath, presenceCheckMs: 0, reconnect: { initialDelayMs: 1000 } });
    await line.open();
    await pair.unplug();
    const error = (await line.write(STOP).catch((e: unknown) => e)) as ZoomsyncError;
    // Usually the write notices (EIO); sometimes the read side's poller already has.
    expect(['ZS_LINE_WRITE_FAILED', 'ZS_LINE_CLOSED']).toContain(error.code);
    if (error.code === 'ZS_LINE_WRITE_FAILED') expect(error.cause).toBeDefined();
    expect(line.isOpen).toBe(false);
    const next = await settledNow(line.write(STOP));
    expect(isZoomsyncError(next, 'ZS_LINE_CLOSED')).toBe(true);
  });

  it('a write that cannot drain fails with ZS_LINE_WRITE_FAILED and the line reopens', async () => {
    pair = await PtyPair.open(); // nobody reads the far end: the pty buffers fill up
    line = new SerialLine({ path: pair.controllerPath, writeTimeoutMs: 100, reconnect: { initialDelayMs: 10 } });
    await line.open();
    const reconnecting = once<ReconnectInfo>(line, 'reconnecting');
    const error = (await line.write(new Uint8Array(1 << 20)).catch((e: unknown) => e)) as ZoomsyncError;
    expect(error.code).toBe('ZS_LINE_WRITE_FAILED');
    expect(error.message).toMatch(/did not drain within 100 ms/);
    expect((await reconnecting).cause.code).toBe('ZS_LINE_CLOSED');
    await once(line, 'open');
    expect(line.isOpen).toBe(true);
  });

  it('close() ends reconnecting for good', async () => {
    line = new SerialLine({ path: '/dev/ttyNOPE7', reconnect: { initialDelayMs: 10, maxDelayMs: 10 } });
    const opening = line.open({ retry: true });
    await once(line, 'reconnecting');
    await line.close();
    const error = (await opening.catch((e: unknown) => e)) as ZoomsyncError;
    expect(error.code).toBe('ZS_LINE_CLOSED');
    let more = 0;
    line.on('reconnecting', () => more++);
    await sleep(50);
    expect(more).toBe(0);
  });

  it('open({ retry: true }) waits for a device that appears later', async () => {
    pair = await PtyPair.open();
    await pair.unplug();
    line = new SerialLine({ path: pair.controllerPath, reconnect: { initialDelayMs: 10, maxDelayMs: 20 } });
    const opening = line.open({ retry: true });
    await once(line, 'reconnecting');
    await pair.replug();
    await opening;
    expect(line.isOpen).toBe(true);
  });

  it('gpio mode: transmit on before the bytes, off after drain and turnaround', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    const log: Array<{ what: string; at: number }> = [];
    const mark = (what: string) => log.push({ what, at: performance.now() });
    // Spies (the real methods still run) show when the bytes are handed to the port and drained.
    const write = SerialPort.prototype.write;
    const drain = SerialPort.prototype.drain;
    vi.spyOn(SerialPort.prototype, 'write').mockImplementation(function (this: SerialPort, ...args: Parameters<SerialPort['write']>) {
      mark('port-write');
      return write.apply(this, args);
    });
    // The direct path (write-now.ts): the kernel takes the frame from the event loop thread.
    const writeSync = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: never[]) => {
      if (typeof data !== 'string' && Buffer.from(data.buffer, data.byteOffset, data.byteLength).equals(STOP)) mark('port-write');
      return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync);
    vi.spyOn(SerialPort.prototype, 'drain').mockImplementation(function (this: SerialPort, callback?: (error: Error | null) => void) {
      return drain.call(this, (error) => {
        mark('drained');
        callback?.(error);
      });
    });
    line = new SerialLine({
      path: pair.controllerPath,
      direction: {
        mode: 'gpio',
        turnaroundMs: 15,
        setTransmit: async (on) => {
          await sleep(2); // a GPIO write through a bridge is not instantaneous: it must be awaited
          mark(`transmit:${on}`);
        },
      },
    });
    await line.open();
    const atFar = collect(far, STOP.length);
    await line.write(STOP);
    mark('write-resolved');
    vi.restoreAllMocks();
    expect(log.map((e) => e.what)).toEqual(['transmit:true', 'port-write', 'drained', 'transmit:false', 'write-resolved']);
    const drained = log.find((e) => e.what === 'drained')!.at;
    const off = log.find((e) => e.what === 'transmit:false')!.at;
    expect(off - drained).toBeGreaterThanOrEqual(15);
    expect(await atFar).toEqual([...STOP]);
  });

  it('gpio mode: a failing setTransmit rejects the write with ZS_LINE_WRITE_FAILED and sends nothing', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    let received = 0;
    far.on('data', (chunk: Buffer) => (received += chunk.length));
    line = new SerialLine({
      path: pair.controllerPath,
      direction: { mode: 'gpio', setTransmit: () => { throw new Error('pin 6 not exported'); } },
    });
    await line.open();
    const error = (await line.write(STOP).catch((e: unknown) => e)) as ZoomsyncError;
    expect(error.code).toBe('ZS_LINE_WRITE_FAILED');
    expect(error.message).toContain('pin 6 not exported');
    await sleep(30);
    expect(received).toBe(0);
    expect(line.isOpen).toBe(true);
  });

  it('drops the echo of our own frame but passes a real reply through', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    const device = far;
    // The far end is a half-duplex transceiver (echoes every byte) with a device that answers.
    let heard = 0;
    device.on('data', (chunk: Buffer) => {
      device.write(chunk);
      heard += chunk.length;
      if (heard === STOP.length) device.write(Buffer.from(REPLY));
    });
    line = new SerialLine({
      path: pair.controllerPath,
      direction: { mode: 'gpio', setTransmit: () => {}, turnaroundMs: 1 },
      echoWindowMs: 300,
    });
    const received: number[] = [];
    line.on('data', (chunk) => received.push(...chunk));
    await line.open();
    const reply = collect(line, REPLY.length);
    await line.write(STOP);
    await reply;
    await sleep(20);
    expect(received).toEqual([...REPLY]);
    expect(line.counters).toMatchObject({ echoBytesDropped: STOP.length, bytesReceived: STOP.length + REPLY.length });
  });

  it('a burst of writes started together reaches the far end in call order', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    line = new SerialLine({ path: pair.controllerPath });
    await line.open();
    const frames = Array.from({ length: 200 }, (_, i) => encode({ kind: 'set-zoom', position: i * 5 }, { address: (i % 8) + 1 }));
    const expected = frames.flatMap((frame) => [...frame]);
    const atFar = collect(far, expected.length);
    await Promise.all(frames.map((frame) => line!.write(frame)));
    expect(await atFar).toEqual(expected);
    expect(line.counters.bytesWritten).toBe(expected.length);
  });

  it('a write the port cannot take whole waits for room: once the far end reads, every byte arrives, in order', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath); // open, but not read until the buffers are full
    line = new SerialLine({ path: pair.controllerPath });
    await line.open();
    const chunk = (i: number) => Uint8Array.from({ length: 1024 }, (_, j) => (i * 1024 + j) % 251);
    const writes: Promise<void>[] = [];
    // With no write ahead of it, write() hands the bytes to the kernel before it returns: the
    // first chunk the full buffers cannot take whole is the one that counts as deferred.
    for (let i = 0; line.counters.writesDeferred === 0; i++) {
      if (i === 4096) throw new Error('4 MB went into the pty without it filling up');
      const written = line.write(chunk(i));
      writes.push(written);
      if (line.counters.writesDeferred === 0) await written;
    }
    const queued = [writes.length, writes.length + 1].map((i) => line!.write(chunk(i)));
    const total = (writes.length + queued.length) * 1024;
    const atFar = collect(far, total);
    await Promise.all([...writes, ...queued]);
    const received = await atFar;
    expect(received).toHaveLength(total);
    expect(received.every((byte, k) => byte === k % 251)).toBe(true);
    expect(line.counters.bytesWritten).toBe(total);
    expect(line.counters.writesDeferred).toBeGreaterThanOrEqual(1);
  });

  it('rts mode on a pty falls back to writing without RTS and says so once', async () => {
    pair = await PtyPair.open();
    far = await openFarEnd(pair.devicePath);
    const warnings: string[] = [];
    line = new SerialLine({ path: pair.controllerPath, direction: { mode: 'rts', turnaroundMs: 1 }, suppressEcho: false, onWarning: (m) => warnings.push(m) });
    await line.open();
    const atFar = collect(far, STOP.length * 2);
    await line.write(STOP);
    await line.write(STOP);
    expect(await atFar).toEqual([...STOP, ...STOP]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/RTS cannot be driven.*'gpio'/);
  });
});
