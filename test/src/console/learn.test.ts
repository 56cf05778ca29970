import { describe, expect, it } from 'vitest';
import { assign, describeBinding, type LearnAction, learnActions, startLearning } from '../../../src/console/web/learn.js';
import { DEFAULT_MAPPING, parseMapping } from '../../../src/console/web/mapping.js';

const pad = (axes: number[], pressed: number[] = []) => ({ axes, buttons: Array.from({ length: 17 }, (_, i) => ({ pressed: pressed.includes(i) })) });
const pads = (...states: ReturnType<typeof pad>[]) => new Map(states.map((s, i) => [i, s]));
const ZOOM: LearnAction = { kind: 'axis', axis: 'zoom' };
const STOP: LearnAction = { kind: 'button', action: 'stop' };

describe('gamepad mapping learn', () => {
  it('an axis action takes the first axis pushed past 0.5; nothing before that', () => {
    const learning = startLearning(ZOOM, pads(pad([0, 0, 0, 0])));
    expect(learning.detect(pads(pad([0.4, -0.5, 0, 0], [3])))).toBeUndefined();
    expect(learning.detect(pads(pad([0.4, 0, -0.7, 0.9])))).toEqual({ kind: 'axis', index: 2, value: -0.7 });
  });

  it('an axis already past 0.5 when learning began (a resting trigger) is ignored until it comes back', () => {
    const learning = startLearning(ZOOM, pads(pad([0, 0, -1, 0])));
    expect(learning.detect(pads(pad([0, 0, -1, 0])))).toBeUndefined();
    expect(learning.detect(pads(pad([0, 0, 0, 0])))).toBeUndefined();
    expect(learning.detect(pads(pad([0, 0, 0.8, 0])))).toEqual({ kind: 'axis', index: 2, value: 0.8 });
  });

  it('a button action takes the first button pressed; one held when learning began counts only after a release', () => {
    const learning = startLearning(STOP, pads(pad([0, 0], [4])));
    expect(learning.detect(pads(pad([1, 1], [4])))).toBeUndefined(); // axes do not answer a button action
    expect(learning.detect(pads(pad([0, 0], [])))).toBeUndefined();
    expect(learning.detect(pads(pad([0, 0], [4])))).toEqual({ kind: 'button', index: 4 });
  });

  it('watches every pad, including one plugged in after learning began', () => {
    const learning = startLearning(STOP, pads(pad([0, 0])));
    expect(learning.detect(pads(pad([0, 0]), pad([0, 0], [7])))).toEqual({ kind: 'button', index: 7 });
  });

  it('an axis pushed the negative way is bound inverted, and takes the axis from whatever had it', () => {
    const mapping = assign(DEFAULT_MAPPING, { kind: 'axis', axis: 'pan' }, { kind: 'axis', index: 1, value: -0.9 });
    expect(mapping.axes.pan).toEqual({ index: 1, invert: true });
    expect(mapping.axes).not.toHaveProperty('tilt'); // tilt was axis 1
    expect(DEFAULT_MAPPING.axes.tilt).toEqual({ index: 1, invert: true }); // the old mapping is untouched
    expect(assign(DEFAULT_MAPPING, ZOOM, { kind: 'axis', index: 2, value: 0.6 }).axes.zoom).toEqual({ index: 2, invert: false });
  });

  it('a button takes the action from its old button, and the learnt mapping is one parseMapping accepts (what Save stores)', () => {
    const mapping = assign(DEFAULT_MAPPING, STOP, { kind: 'button', index: 0 });
    expect(mapping.buttons).toEqual({ '0': 'stop', '1': 'preset:2', '2': 'preset:3', '3': 'preset:4' });
    expect(describeBinding(mapping, STOP)).toBe('button 0');
    expect(describeBinding(mapping, { kind: 'button', action: 'preset:1' })).toBe('—');
    expect(parseMapping(JSON.parse(JSON.stringify(mapping)))).toEqual(mapping);
  });

  it('refuses a button for an axis action and an axis for a button action', () => {
    expect(() => assign(DEFAULT_MAPPING, ZOOM, { kind: 'button', index: 1 })).toThrow(/a button cannot drive zoom/);
    expect(() => assign(DEFAULT_MAPPING, STOP, { kind: 'axis', index: 1, value: 1 })).toThrow(/an axis cannot drive stop/);
  });

  it('lists the four axes, stop and the presets', () => {
    expect(learnActions(2).map((a) => (a.kind === 'axis' ? a.axis : a.action))).toEqual(['pan', 'tilt', 'zoom', 'focus', 'stop', 'preset:1', 'preset:2']);
    expect(describeBinding(DEFAULT_MAPPING, { kind: 'axis', axis: 'tilt' })).toBe('axis 1 inverted');
  });
});
