/** A GPIO rig for tests: a PtyPair, a simulated Firmata board on its device end, and the bridge on the other. */
import { once } from 'node:events';
import type { GpioBoard } from '../../../hardware/gpio/gpio-board.js';
import type { GpioPinMapInput } from '../../../hardware/gpio/pin-map.js';
import { createGpioSignals, DEFAULT_PIN_MAP, type GpioSignals } from '../../../hardware/gpio/signals.js';
import { FirmataBoardSim, type OutputChange } from '../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';

export interface GpioRig extends GpioSignals {
  pair: PtyPair;
  sim: FirmataBoardSim;
  log: string[];
  close(): Promise<void>;
}

export async function openGpioRig(overrides: Partial<Omit<GpioPinMapInput, 'port'>> = {}): Promise<GpioRig> {
  const pair = await PtyPair.open();
  const sim = await FirmataBoardSim.open(pair.devicePath, { referenceVolts: 3.3 });
  sim.setVoltage('A0', 1.8); // ADKEY with no key down: the block's pull-up
  const log: string[] = [];
  const signals = createGpioSignals(
    { ...DEFAULT_PIN_MAP, ...overrides, port: pair.controllerPath },
    { log: (message) => log.push(message), reconnect: { initialDelayMs: 50, maxDelayMs: 200 }, presenceCheckMs: 50, onWarning: () => {} },
  );
  signals.board.on('warning', (error) => log.push(`warning: ${error.message}`));
  await signals.board.open();
  return {
    ...signals,
    pair,
    sim,
    log,
    async close() {
      for (const input of signals.alarmInputs) input.close();
      signals.adkey?.close();
      signals.light?.close();
      await signals.board.close();
      await sim.close();
      await pair.close();
    },
  };
}

/** Resolves with the first event payload `emitter` emits that passes `test`. */
export function nextEvent<T>(emitter: NodeJS.EventEmitter, event: string, test: (payload: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!test(payload)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(payload);
    };
    emitter.on(event, listener);
  });
}

/** Resolves when the simulated board's pin `pin` is driven to `value`. */
export function outputBecomes(sim: FirmataBoardSim, pin: number, value: number | undefined): Promise<OutputChange> {
  if (sim.output(pin).value === value) return Promise.resolve(sim.output(pin));
  return nextEvent<OutputChange>(sim, 'output', (change) => change.pin === pin && change.value === value);
}

/** Resolves after the board has reported `count` more samples of an analog channel. */
export function analogSamples(board: GpioBoard, channel: number, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = board.watchAnalog(channel, (volts) => {
      if (volts !== undefined && ++seen >= count) {
        stop();
        resolve();
      }
    });
  });
}

export { once };
