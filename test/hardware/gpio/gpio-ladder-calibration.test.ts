/** The pure half of calibrate-keys: measured samples -> ladder windows (or problems), and the steady-level detector. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LadderClassifier } from '../../../hardware/gpio/ladder.js';
import { buildLadder, requiredGapVolts } from '../../../src/cli/gpio-ladder-calibration.js';
import { SteadyLevel } from '../../../src/cli/gpio-steady-level.js';

const REFERENCE = 3.3;
const steadySamples = (volts: number, count = 10) => Array.from({ length: count }, () => volts);

/** Levels low to high, each apart from the next by more than the required gap plus both noise bands; one of them is idle. */
const separatedLevels = fc
  .record({
    h: fc.double({ min: 0.001, max: 0.03, noNaN: true }),
    base: fc.double({ min: 0, max: 0.5, noNaN: true }),
    steps: fc.array(fc.double({ min: 0, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 7 }),
    idleAt: fc.nat(),
    noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
  })
  .map(({ h, base, steps, idleAt, noise }) => {
    const amplitude = h * 0.9; // spread below 2 x hysteresis: steady enough for a window
    let at = base;
    const means = steps.map((step, i) => (i === 0 ? at : (at += requiredGapVolts(h) + 2 * amplitude + 0.002 + step)));
    const idleIndex = idleAt % means.length;
    const levels = means.map((mean, i) => ({ key: i === idleIndex ? null : `k${i}`, samples: noise.map((n) => mean + n * amplitude) }));
    return { h, levels };
  })
  .filter(({ levels }) => levels.every((level) => Math.max(...level.samples) < REFERENCE - 0.1));

function calibrate(h: number, levels: { key: string | null; samples: number[] }[]) {
  return buildLadder({
    idle: levels.find((level) => level.key === null)!.samples,
    // pressed in an order other than by voltage
    keys: levels.filter((level) => level.key !== null).reverse().map((level) => ({ key: level.key!, samples: level.samples })),
    hysteresisVolts: h,
    maxVolts: REFERENCE,
  });
}

describe('buildLadder', () => {
  it('for well-separated levels, every sample of a key reads as that key and every idle sample as no key', () => {
    fc.assert(
      fc.property(separatedLevels, ({ h, levels }) => {
        const result = calibrate(h, levels);
        if (!result.ok) throw new Error(result.problems.join('\n'));
        for (const level of levels) {
          for (const volts of level.samples) expect(new LadderClassifier(result.ladder, h).classify(volts)).toBe(level.key);
        }
      }),
    );
  });

  it('one classifier going press, release, press through all keys (hysteresis carried over) names each key and idle right', () => {
    fc.assert(
      fc.property(separatedLevels, ({ h, levels }) => {
        const result = calibrate(h, levels);
        if (!result.ok) throw new Error(result.problems.join('\n'));
        const classifier = new LadderClassifier(result.ladder, h);
        const idle = levels.find((level) => level.key === null)!;
        for (const level of levels) {
          for (const volts of level.samples) expect(classifier.classify(volts)).toBe(level.key);
          for (const volts of idle.samples) expect(classifier.classify(volts)).toBeNull();
        }
      }),
    );
  });

  it('two keys closer than the required gap are refused, naming both keys and what to check', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.03, noNaN: true }), fc.double({ min: 0.1, max: 1.2, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }), (h, mean, fraction) => {
        const result = buildLadder({
          idle: steadySamples(1.8),
          keys: [{ key: 'up', samples: steadySamples(mean) }, { key: 'down', samples: steadySamples(mean + fraction * requiredGapVolts(h)) }],
          hysteresisVolts: h,
          maxVolts: REFERENCE,
        });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.problems).toHaveLength(1);
        expect(result.problems[0]).toMatch(/^(up|down) \([\d.]+ V\) and (up|down) \([\d.]+ V\) are too close to tell apart/);
        expect(result.problems[0]).toMatch(/check the resistor values and the wiring/);
      }),
    );
  });

  it('a key too close to the idle level is refused, saying it is the idle level it cannot be told from', () => {
    const result = buildLadder({ idle: steadySamples(1.8), keys: [{ key: 'enter', samples: steadySamples(1.76) }], hysteresisVolts: 0.015, maxVolts: REFERENCE });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^enter \(1\.76 V\) and no key \(idle, 1\.80 V\) are too close.*pull-up/);
  });

  it('a key that read unsteadily is refused with what to check', () => {
    const result = buildLadder({ idle: steadySamples(1.8), keys: [{ key: 'up', samples: [0.6, 0.7, 0.65] }], hysteresisVolts: 0.015, maxVolts: REFERENCE });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/^up read unsteadily \(0\.60 V to 0\.70 V, spread 0\.10 V.*loose wire or a dirty key contact/);
  });

  it('a key named twice, no keys, and no idle samples are each a problem', () => {
    const twice = buildLadder({ idle: [1.8], keys: [{ key: 'up', samples: [0.2] }, { key: 'up', samples: [0.6] }], hysteresisVolts: 0.015, maxVolts: REFERENCE });
    expect(twice).toEqual({ ok: false, problems: ['key "up" is listed twice; name each key once'] });
    const nothing = buildLadder({ idle: [], keys: [], hysteresisVolts: 0.015, maxVolts: REFERENCE });
    expect(nothing.ok ? [] : nothing.problems).toEqual(['no samples of the idle level (no key pressed)', 'no keys to calibrate']);
  });

  it('the default 5-key ladder’s nominal levels give windows split at the midpoints, less the hysteresis, the lowest from 0 V', () => {
    const nominal = [['K1', 0], ['K2', 0.16], ['K3', 0.38], ['K4', 0.69], ['K5', 1.08]] as const;
    const result = buildLadder({ idle: steadySamples(1.8), keys: nominal.map(([key, volts]) => ({ key, samples: steadySamples(volts) })), hysteresisVolts: 0.015, maxVolts: REFERENCE });
    expect(result.ok && result.ladder).toEqual([
      { key: 'K1', minVolts: 0, maxVolts: 0.065 },
      { key: 'K2', minVolts: 0.095, maxVolts: 0.255 },
      { key: 'K3', minVolts: 0.285, maxVolts: 0.52 },
      { key: 'K4', minVolts: 0.55, maxVolts: 0.87 },
      { key: 'K5', minVolts: 0.9, maxVolts: 1.425 },
    ]);
  });
});

describe('SteadyLevel', () => {
  it('gives the samples once `count` in a row agree within the tolerance, and starts over after one that does not', () => {
    const level = new SteadyLevel(3, 0.02);
    expect(level.push(0.6)).toBeUndefined();
    expect(level.push(0.61)).toBeUndefined();
    expect(level.push(0.9)).toBeUndefined(); // a sweep through another level
    expect(level.push(0.6)).toBeUndefined();
    expect(level.push(0.61)).toBeUndefined();
    expect(level.push(0.6)).toEqual([0.6, 0.61, 0.6]);
  });

  it('refuses a count below 2 and a tolerance that is not above 0', () => {
    expect(() => new SteadyLevel(1, 0.02)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(() => new SteadyLevel(5, 0)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});
