import { execFileSync } from 'node:child_process';
import { constants, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEmitter } from 'node:events';
import type { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, isZoomsyncError } from '../../protocols/errors.js';
import { encode, GENERIC_PROFILE } from '../../protocols/pelco/index.js';
import { SerialLine } from '../../hardware/serial/serial-line.js';
import { PtyPair } from '../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../hardware/sim/sim-bus.js';
import { openRig, type SimRig, until } from './support/sim-rig.js';

describe('SimulatedBus', () => {
  let rig: SimRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('records every frame with receive times and the time a real UART would have finished', async () => {
    rig = await openRig({ addresses: [1, 2] });
    const { line, sim } = rig;
    // Bypass the scheduler: three frames at once, faster than any wire.
    const burst = [1, 2, 3].map((a) => encode({ kind: 'stop' }, { address: a }));
    const sentAt = performance.now();
    await line.write(new Uint8Array(burst.flatMap((b) => [...b])));
    await until(() => sim.received.length === 3, 2000, 'three frames');
    const [a, b, c] = sim.received;
    expect([a!.address, b!.address, c!.address]).toEqual([1, 2, 3]);
    expect(c!.handled).toBe(false); // no block 3 on this bus
    expect(b!.wireEndAt - a!.wireEndAt).toBeCloseTo((70 * 1000) / 9600, 6);
    expect(c!.wireEndAt - b!.wireEndAt).toBeCloseTo((70 * 1000) / 9600, 6);
    // each frame's receive time is when its bytes were read: in order, never before the write
    expect(a!.at).toBeGreaterThanOrEqual(sentAt);
    expect(b!.at).toBeGreaterThanOrEqual(a!.at);
    expect(c!.at).toBeGreaterThanOrEqual(b!.at);
    // a pty delivers the burst at once, faster than the wire: the wire end lies at or after the read
    expect(a!.wireEndAt).toBeGreaterThanOrEqual(a!.at);
  });

  it("stamps a frame when its port turned readable, not when serialport's read on a busy threadpool delivered it", async () => {
    rig = await openRig({ addresses: [1] });
    const { line, sim } = rig;
    const first = new Promise((resolve) => sim.once('frame', resolve));
    await line.write(encode({ kind: 'stop' }, { address: 1 }));
    await first;
    // serialport has now asked for its next read; one turn later that read waits on the poller.
    await new Promise((resolve) => setImmediate(resolve));
    // Occupy every threadpool thread: opening a FIFO for reading blocks until a writer opens it.
    const dir = mkdtempSync(join(tmpdir(), 'zoomsync-pool-'));
    const fifo = join(dir, 'block');
    execFileSync('mkfifo', [fifo]);
    const blockers = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE ?? 4) }, () => open(fifo, 'r'));
    // The binding's poller (event loop thread) reports the port readable; the read then waits for a thread.
    const poller = (sim as unknown as { port: SerialPort }).port.port as unknown as { poller: EventEmitter };
    const readable = new Promise((resolve) => poller.poller.on('readable', resolve));
    const arrived = new Promise<{ at: number }>((resolve) => sim.once('frame', resolve));
    const written = line.write(encode({ kind: 'stop' }, { address: 1 })); // its drain needs a thread too
    await readable;
    const releasedAt = performance.now();
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    for (const handle of await Promise.all(blockers)) await handle.close();
    await written;
    rmSync(dir, { recursive: true });
    expect((await arrived).at).toBeLessThan(releasedAt);
  });

  it('reports garbage as problems and keeps reading', async () => {
    rig = await openRig({ addresses: [1] });
    const { line, sim } = rig;
    await line.write(Uint8Array.of(0x12, 0x34, ...encode({ kind: 'query-zoom' }, { address: 1 })));
    await until(() => sim.received.length === 1, 2000, 'the frame after garbage');
    expect(sim.problems.map((p) => p.kind)).toEqual(['discarded']);
  });

  it('keeps its problem log bounded like its frame log (a long-running sim fed garbage)', async () => {
    const pair = await PtyPair.open();
    const sim = await SimulatedBus.open(pair.devicePath, { maxRecords: 4 });
    const line = new SerialLine({ path: pair.controllerPath, baudRate: 9600, onWarning: () => {} });
    try {
      await line.open();
      const stop = encode({ kind: 'stop' }, { address: 1 });
      const corrupt = Uint8Array.from(stop);
      corrupt[6]! ^= 0xff; // bad checksum: skipped as garbage up to the next good frame
      await line.write(new Uint8Array(Array.from({ length: 30 }, () => [...corrupt, ...stop]).flat()));
      await until(() => sim.readerCounters.frames === 30, 2000, '30 good frames');
      expect(sim.received.length).toBeLessThanOrEqual(4);
      expect(sim.problems.length).toBeLessThanOrEqual(4);
      expect(sim.problems.length).toBeGreaterThan(0);
    } finally {
      await line.close();
      await sim.close();
      await pair.close();
    }
  });

  it('a broadcast stop (address 0xFF under sz-g10) stops every block on the bus, and is answered by none', async () => {
    rig = await openRig({ addresses: [1, 2, 3] });
    const { line, sim } = rig;
    await line.write(new Uint8Array([1, 2, 3].flatMap((address) => [...encode({ kind: 'move', zoom: 'tele', pan: 'left', panSpeed: 10, tiltSpeed: 0 }, { address })])));
    await until(() => [1, 2, 3].every((a) => sim.block(a)!.lens.moving && sim.block(a)!.panTilt.moving), 2000, 'three blocks moving');
    await line.write(encode({ kind: 'stop' }, { address: 255 }));
    await until(() => sim.received.length === 4, 2000, 'the broadcast stop');
    expect(sim.received[3]).toMatchObject({ broadcast: true, handled: true, command: { kind: 'stop' } });
    for (const a of [1, 2, 3]) {
      expect(sim.block(a)!.lens.moving).toBe(false);
      expect(sim.block(a)!.panTilt.moving).toBe(false);
      expect(sim.block(a)!.counters.replies).toBe(0);
    }
  });

  it('broadcast motion reaches every block too', async () => {
    rig = await openRig({ addresses: [1, 2] });
    await rig.line.write(encode({ kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }, { address: 255 }));
    await until(() => rig!.sim.received.length === 1, 2000, 'the broadcast move');
    expect(rig.sim.block(1)!.lens.moving && rig.sim.block(2)!.lens.moving).toBe(true);
  });

  it('decodes with its blocks’ profile: 0x2B data 1 is auto-focus off under sz-g10 (2012 table), on under generic (1999)', async () => {
    const frame = Uint8Array.of(0xff, 0x01, 0x00, 0x2b, 0x00, 0x01, 0x2d);
    rig = await openRig({ addresses: [1] });
    await rig.line.write(frame);
    await until(() => rig!.sim.received.length === 1, 2000, 'the auto-focus frame');
    expect(rig.sim.received[0]!.command).toEqual({ kind: 'auto-focus', mode: 'off' });
    expect(rig.sim.block(1)!.lens.focusMode).toBe('manual');
    await rig.close();
    rig = await openRig({ addresses: [1], profile: GENERIC_PROFILE });
    expect(rig.sim.profile).toBe(GENERIC_PROFILE);
    await rig.line.write(frame);
    await until(() => rig!.sim.received.length === 1, 2000, 'the auto-focus frame');
    expect(rig.sim.received[0]!.command).toEqual({ kind: 'auto-focus', mode: 'on' });
  });

  it('refuses what the profile refuses: recorded and counted as refused, never acted on', async () => {
    rig = await openRig({ addresses: [1, 2] });
    const { line, sim } = rig;
    const block = sim.block(1)!;
    const focusBefore = block.lens.focusMode;
    // auto-focus data 2: no such value in the sz-g10 (2012) table; preset 0: no such preset
    const autoFocus2 = Uint8Array.of(0xff, 0x01, 0x00, 0x2b, 0x00, 0x02, 0x2e);
    const preset0 = Uint8Array.of(0xff, 0x01, 0x00, 0x07, 0x00, 0x00, 0x08);
    await line.write(new Uint8Array([...autoFocus2, ...preset0, ...encode({ kind: 'query-zoom' }, { address: 1 })]));
    await until(() => sim.received.length === 1, 2000, 'the valid frame after the refused ones');
    expect(sim.refused.map((r) => [r.hex, r.reason, r.blocks])).toEqual([
      ['FF 01 00 2B 00 02 2E', 'bad-value', [1]],
      ['FF 01 00 07 00 00 08', 'bad-value', [1]],
    ]);
    expect(block.counters).toMatchObject({ refused: 2, frames: 1 });
    expect(sim.block(2)!.counters.refused).toBe(0);
    expect(block.lens.focusMode).toBe(focusBefore);
  });

  it('refuses a block whose profile is not the one the bus decodes with', async () => {
    rig = await openRig({ addresses: [1] });
    const error = (() => {
      try {
        rig.sim.addBlock({ address: 2, profile: GENERIC_PROFILE });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(rig.sim.block(2)).toBeUndefined();
  });

  it('closing the simulator’s port makes queries time out, as a dead block would', async () => {
    rig = await openRig({ addresses: [1], queryTimeoutMs: 50, queryRetries: 0 });
    await rig.sim.close();
    expect(rig.sim.isOpen).toBe(false);
    const error = await rig.bus.query(1, 'query-zoom').catch((e: unknown) => e);
    expect(isZoomsyncError(error, 'ZS_REPLY_TIMEOUT')).toBe(true);
  });
});
