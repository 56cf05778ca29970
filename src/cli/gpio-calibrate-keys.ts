/**
 * The interactive half of `zoomsync gpio calibrate-keys`: measures the idle level, asks for each
 * key in turn and takes the steady level it holds, waits for the release, then hands the samples
 * to the pure table builder (gpio-ladder-calibration.ts). It talks to the board only through
 * GpioBoard.watchAnalog, so it runs unchanged against a real board and the simulator.
 */
import type { GpioBoard } from '../../hardware/gpio/gpio-board.js';
import { CancelledError, LineClosedError, ReplyTimeoutError } from '../../protocols/errors.js';
import { buildLadder, measureLevel, type CalibrationResult } from './gpio-ladder-calibration.js';
import { SteadyLevel } from './gpio-steady-level.js';

export interface CalibrateKeysOptions {
  board: GpioBoard;
  /** The ADKEY analog channel (0 for A0). */
  channel: number;
  keys: readonly string[];
  hysteresisVolts: number;
  /** Samples that must agree for a level to count (at 20 ms sampling, 25 is half a second). */
  samples: number;
  /** How long to wait for each press or release before giving up, ms. */
  timeoutMs: number;
  /** One line for the technician. */
  say: (line: string) => void;
  /** Resolves on Ctrl-C. */
  interrupted: Promise<void>;
}

const volts = (v: number) => `${v.toFixed(2)} V`;
const described = (samples: number[]) => {
  const level = measureLevel(samples);
  return `${volts(level.mean)} (${level.count} samples, spread ${volts(level.spread)})`;
};

export async function calibrateKeys(options: CalibrateKeysOptions): Promise<CalibrationResult> {
  const { board, channel, say } = options;
  // One ADC step of a 10-bit converter is 3.2 mV at 3.3 V: a steady line still wobbles by a step or two.
  const tolerance = Math.max(2 * options.hysteresisVolts, (2 * board.referenceVolts) / 1023);
  // A reading this far from idle is a key down (one too close to idle still counts, and the table says so).
  const pressVolts = Math.max(2 * tolerance, 0.02);
  const pin = `A${channel}`;

  // One watch for the whole run: each phase takes the samples in turn (a watch per phase would
  // add a johnny-five analog-read listener per phase, which unwatching does not remove).
  const samples: Samples = { listener: undefined };
  const unwatch = board.watchAnalog(channel, (v) => samples.listener?.(v));
  try {
    say(`measuring the idle level on ${pin}: keep every key released…`);
    const idle = await steady(options, samples, tolerance, () => true, 'a steady idle level (no key pressed)');
    const idleMean = measureLevel(idle).mean;
    say(`idle: ${described(idle)}`);
    const away = (v: number) => Math.abs(v - idleMean) > pressVolts;

    const keys: { key: string; samples: number[] }[] = [];
    for (const key of options.keys) {
      const name = key.toUpperCase();
      say(`press ${name} and hold it…`);
      const held = await steady(options, samples, tolerance, away, `${name} to be pressed (the line stayed near idle, ${volts(idleMean)}: check the key's wiring to ${pin})`);
      say(`got ${described(held)}; release`);
      await steady(options, samples, tolerance, (v) => !away(v), `${name} to be released (the line stayed away from idle: a stuck key, or a key shorted to GND)`);
      keys.push({ key, samples: held });
    }
    return buildLadder({ idle, keys, hysteresisVolts: options.hysteresisVolts, maxVolts: board.referenceVolts });
  } finally {
    unwatch();
  }
}

interface Samples {
  listener: ((volts: number | undefined) => void) | undefined;
}

/** Waits for `samples` readings that agree and pass `accept` (one that fails `accept` starts over). */
function steady(options: CalibrateKeysOptions, samples: Samples, tolerance: number, accept: (volts: number) => boolean, what: string): Promise<number[]> {
  const level = new SteadyLevel(options.samples, tolerance);
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return; // a Ctrl-C after this phase ended belongs to a later one
      settled = true;
      clearTimeout(timer);
      samples.listener = undefined;
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new ReplyTimeoutError(options.board.path, 0, 'ADKEY level', 1, options.timeoutMs, `waited ${options.timeoutMs / 1000} s for ${what}`))), options.timeoutMs);
    samples.listener = (volts) => {
      if (volts === undefined) return finish(() => reject(new LineClosedError(options.board.path, `the GPIO board ${options.board.path} went away during calibration; plug it in and start again`)));
      if (!accept(volts)) return level.reset();
      const agreed = level.push(volts);
      if (agreed) finish(() => resolve(agreed));
    };
    void options.interrupted.then(() => finish(() => reject(new CancelledError('calibration cancelled; nothing was written'))));
  });
}
