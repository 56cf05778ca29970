/** A controller-side BusScheduler and simulated blocks on the two ends of one real pty. */
import { BusScheduler, type BusSchedulerOptions } from '../../../hardware/serial/bus-scheduler.js';
import { SerialLine } from '../../../hardware/serial/serial-line.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import type { SimulatedLens } from '../../../hardware/sim/lens-model.js';

export interface SimRig {
  pair: PtyPair;
  line: SerialLine;
  sim: SimulatedBus;
  bus: BusScheduler;
  close(): Promise<void>;
}

export interface RigOptions extends BusSchedulerOptions {
  baudRate?: number;
  /** Simulated blocks on the bus (default one, camera 1). */
  addresses?: number[];
  /** Lenses for the blocks, by address (shared with an HTTP face); a new one otherwise. */
  lenses?: Record<number, SimulatedLens>;
}

export async function openRig(options: RigOptions = {}): Promise<SimRig> {
  const baudRate = options.baudRate ?? 9600;
  const pair = await PtyPair.open();
  const sim = await SimulatedBus.open(pair.devicePath, { baudRate });
  for (const address of options.addresses ?? [1]) {
    sim.addBlock({ address, dialect: options.dialect ?? 'D', profile: options.profile, lens: options.lenses?.[address] });
  }
  const line = new SerialLine({ path: pair.controllerPath, baudRate, reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} });
  line.on('error', () => {}); // losses are what some tests are about
  await line.open();
  const bus = new BusScheduler(line, options);
  return {
    pair,
    line,
    sim,
    bus,
    async close() {
      await bus.close();
      await line.close();
      await sim.close();
      await pair.close();
    },
  };
}

/** Resolves when cond() holds, polling every 5 ms; rejects after timeoutMs. */
export async function until(cond: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
