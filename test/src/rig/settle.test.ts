/** waitSettled: rest is two equal read-backs, but not before a block with a known target has moved. */
import { describe, expect, it } from 'vitest';
import type { PositionReading } from '../../../src/devices/block-api.js';
import { waitSettled } from '../../../src/rig/settle.js';

/** Read-backs in order (the last one repeats), as a block would answer them. */
function readings(...values: number[]): () => Promise<PositionReading> {
  let i = 0;
  return async () => ({ value: values[Math.min(i++, values.length - 1)]!, at: performance.now(), path: 'serial' });
}

describe('waitSettled', () => {
  it('is at rest after two equal readings', async () => {
    expect(await waitSettled(readings(10, 40, 70, 70), { pollMs: 1 })).toEqual({ settled: true, position: 70 });
  });

  it('with a known target, two equal readings before the lens started are not rest', async () => {
    expect(await waitSettled(readings(0, 0, 0, 250, 500, 500), { target: 500, pollMs: 1 })).toEqual({ settled: true, position: 500 });
  });

  it('a lens that stopped short of its target after moving is at rest where it stopped', async () => {
    expect(await waitSettled(readings(0, 200, 300, 300), { target: 500, pollMs: 1 })).toEqual({ settled: true, position: 300 });
  });

  it('an aborted wait says so with the last reading', async () => {
    const controller = new AbortController();
    const read = readings(0, 100, 200, 300, 400);
    const waiting = waitSettled(async () => {
      const r = await read();
      if (r.value === 200) controller.abort();
      return r;
    }, { pollMs: 1, signal: controller.signal });
    expect(await waiting).toEqual({ settled: false, position: 200, problem: 'interrupted' });
  });

  it('refuses a poll period that is not a positive number', async () => {
    await expect(waitSettled(readings(1), { pollMs: 0 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
  });
});
