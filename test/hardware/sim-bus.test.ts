import { afterEach, describe, expect, it } from 'vitest';
import { isZoomsyncError } from '../../protocols/errors.js';
import { encode } from '../../protocols/pelco/index.js';
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
    await line.write(new Uint8Array(burst.flatMap((b) => [...b])));
    await until(() => sim.received.length === 3, 2000, 'three frames');
    const [a, b, c] = sim.received;
    expect([a!.address, b!.address, c!.address]).toEqual([1, 2, 3]);
    expect(c!.handled).toBe(false); // no block 3 on this bus
    expect(b!.wireEndAt - a!.wireEndAt).toBeCloseTo((70 * 1000) / 9600, 6);
    expect(c!.wireEndAt - b!.wireEndAt).toBeCloseTo((70 * 1000) / 9600, 6);
    expect(a!.at).toBeGreaterThan(0);
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

  it('closing the simulator’s port makes queries time out, as a dead block would', async () => {
    rig = await openRig({ addresses: [1], queryTimeoutMs: 50, queryRetries: 0 });
    await rig.sim.close();
    expect(rig.sim.isOpen).toBe(false);
    const error = await rig.bus.query(1, 'query-zoom').catch((e: unknown) => e);
    expect(isZoomsyncError(error, 'ZS_REPLY_TIMEOUT')).toBe(true);
  });
});
