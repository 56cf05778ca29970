import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADKEY_LADDER, DEFAULT_LADDER_HYSTERESIS_VOLTS, LadderClassifier, validateLadder, windowCentre } from '../../../hardware/gpio/ladder.js';

const h = DEFAULT_LADDER_HYSTERESIS_VOLTS;

describe('ADKEY ladder classification', () => {
  it('the default ladder has 5 keys, all under the 1.8 V ADKEY maximum, and is valid', () => {
    expect(DEFAULT_ADKEY_LADDER).toHaveLength(5);
    expect(Math.max(...DEFAULT_ADKEY_LADDER.map((w) => w.maxVolts))).toBeLessThan(1.8);
    expect(() => validateLadder(DEFAULT_ADKEY_LADDER, h)).not.toThrow();
  });

  it.each(DEFAULT_ADKEY_LADDER.map((w) => [w.key]))('%s: its window centre, with noise, reads as %s', (key) => {
    const centre = windowCentre(DEFAULT_ADKEY_LADDER, key);
    const w = DEFAULT_ADKEY_LADDER.find((entry) => entry.key === key)!;
    const room = Math.min(centre - w.minVolts, w.maxVolts - centre) - h;
    fc.assert(
      fc.property(fc.array(fc.double({ min: -room, max: room, noNaN: true }), { minLength: 1, maxLength: 50 }), (noise) => {
        const classifier = new LadderClassifier();
        for (const n of noise) expect(classifier.classify(centre + n)).toBe(key);
      }),
    );
  });

  it('no key reads at the idle level (1.8 V through the pull-up) nor between windows', () => {
    const classifier = new LadderClassifier();
    expect(classifier.classify(1.8)).toBeNull();
    for (let i = 1; i < DEFAULT_ADKEY_LADDER.length; i++) {
      const gap = (DEFAULT_ADKEY_LADDER[i - 1]!.maxVolts + DEFAULT_ADKEY_LADDER[i]!.minVolts) / 2;
      expect(new LadderClassifier().classify(gap)).toBeNull();
    }
  });

  // Noise smaller than the hysteresis band on either side of an edge never changes the answer.
  const edges = DEFAULT_ADKEY_LADDER.flatMap((w) => [
    ...(w.minVolts > 0 ? [{ key: w.key, edge: w.minVolts, inside: +1 }] : []),
    { key: w.key, edge: w.maxVolts, inside: -1 },
  ]);

  it.each(edges.map((e) => [e.key, e.edge, e]))('%s near its edge at %s V: noise never makes it flicker, pressed or not', (_key, _edge, e) => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.double({ min: -h * 0.999, max: h * 0.999, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (startPressed, noise) => {
          const classifier = new LadderClassifier();
          // Start either well inside the window (pressed) or well outside it (not pressed).
          const start = startPressed ? e.edge + e.inside * 2 * h : e.edge - e.inside * 2 * h;
          const first = classifier.classify(start);
          if (startPressed) expect(first).toBe(e.key);
          else expect(first).not.toBe(e.key);
          for (const n of noise) expect(classifier.classify(e.edge + n)).toBe(first);
        },
      ),
    );
  });

  it('a key held while the voltage moves straight into another window changes to that key', () => {
    const classifier = new LadderClassifier();
    expect(classifier.classify(windowCentre(DEFAULT_ADKEY_LADDER, 'K2'))).toBe('K2');
    expect(classifier.classify(windowCentre(DEFAULT_ADKEY_LADDER, 'K3'))).toBe('K3');
    expect(classifier.classify(1.8)).toBeNull();
  });

  it('rejects overlapping windows, duplicate keys and windows narrower than the hysteresis band, naming the entry', () => {
    expect(() => validateLadder([{ key: 'a', minVolts: 0, maxVolts: 0.5 }, { key: 'b', minVolts: 0.4, maxVolts: 0.9 }], h)).toThrow(/ladder\[1\]\.minVolts/);
    expect(() => validateLadder([{ key: 'a', minVolts: 0, maxVolts: 0.5 }, { key: 'a', minVolts: 0.6, maxVolts: 0.9 }], h)).toThrow(/ladder\[1\]\.key/);
    expect(() => validateLadder([{ key: 'a', minVolts: 0.5, maxVolts: 0.52 }], h)).toThrow(/wider than 2 × hysteresis/);
    expect(() => validateLadder([], h)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});
