import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MotionStream } from '../../../src/console/web/motion-stream.js';

describe('MotionStream (the console joins its inputs into one stream of moves)', () => {
  let sent: object[];
  let stream: MotionStream;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    stream = new MotionStream((m) => sent.push(m), 100);
    stream.setTarget('block:a');
  });
  afterEach(() => {
    stream.stopNow();
    vi.useRealTimers();
  });

  it('sends a move at once, repeats it every 100 ms while held (renewing the lease), and one stop on release', () => {
    stream.set('stick', { pan: 0.5, tilt: 0 });
    expect(sent).toEqual([{ type: 'move', target: 'block:a', pan: 0.5 }]);
    vi.advanceTimersByTime(350);
    expect(sent).toHaveLength(4);
    stream.set('stick', { pan: 0, tilt: 0 });
    expect(sent.at(-1)).toEqual({ type: 'stop', target: 'block:a' });
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(5);
  });

  it('per axis the strongest input wins; releasing one input keeps the other moving', () => {
    stream.set('stick', { pan: 0.3 });
    stream.set('keys', { pan: -0.5, zoom: 1 });
    expect(sent.at(-1)).toEqual({ type: 'move', target: 'block:a', pan: -0.5, zoom: 1 });
    stream.set('keys', {});
    expect(sent.at(-1)).toEqual({ type: 'move', target: 'block:a', pan: 0.3 });
  });

  it('a new target stops the old one first', () => {
    stream.set('stick', { pan: 1 });
    stream.setTarget('group:g');
    expect(sent.slice(1)).toEqual([{ type: 'stop', target: 'block:a' }, { type: 'move', target: 'group:g', pan: 1 }]);
  });

  it('stopNow stops and forgets every held input', () => {
    stream.set('stick', { tilt: 1 });
    stream.stopNow();
    expect(sent.at(-1)).toEqual({ type: 'stop', target: 'block:a' });
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(2);
    expect(stream.moving).toBe(false);
  });

  it('an input still held at stopNow (a deflected gamepad stick, polled again) moves nothing until it is let go', () => {
    stream.set('pad0', { zoom: 0.8 });
    stream.stopNow();
    stream.set('pad0', { zoom: 0.8 }); // the next poll: the stick is still pushed
    stream.set('pad0', { zoom: 0.9 });
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([
      { type: 'move', target: 'block:a', zoom: 0.8 },
      { type: 'stop', target: 'block:a' },
    ]);
    stream.set('pad0', {}); // let go
    stream.set('pad0', { zoom: 0.5 }); // pushed again: moves
    expect(sent.at(-1)).toEqual({ type: 'move', target: 'block:a', zoom: 0.5 });
  });

  it('an input that was not held at stopNow moves at once afterwards', () => {
    stream.set('stick', { pan: 0.4 });
    stream.stopNow();
    stream.set('keys', { tilt: 1 });
    expect(sent.at(-1)).toEqual({ type: 'move', target: 'block:a', tilt: 1 });
  });
});
