import { describe, expect, it } from 'vitest';
import { ReplyWaitress, type ReplyWaiter } from '../../hardware/serial/reply-waitress.js';
import { CancelledError, LineClosedError, ReplyTimeoutError } from '../../protocols/errors.js';
import { ManualClock } from './support/scheduler-doubles.js';

/** A waitress whose timeouts retry while `retries` lasts, recording each timeout. */
function waitress(clock: ManualClock, retries = 0) {
  const timeouts: ReplyWaiter[] = [];
  let left = retries;
  const w = new ReplyWaitress({
    line: '/dev/ttyTEST',
    timeoutMs: 100,
    timers: clock,
    hint: 'check the wiring',
    onTimeout: (waiter) => {
      timeouts.push(waiter);
      return left-- > 0;
    },
  });
  return { w, timeouts };
}

const settled = <T>(p: Promise<T>) => p.then((v) => ({ value: v }), (e: unknown) => ({ error: e }));

describe('ReplyWaitress', () => {
  it('answers every wait for the same (address, reply kind) with one reply, and no other', async () => {
    const clock = new ManualClock();
    const { w } = waitress(clock);
    const a = w.waitFor(1, 'query-zoom');
    const b = w.waitFor(1, 'query-zoom');
    const other = w.waitFor(2, 'query-zoom');
    expect([a.created, b.created, other.created]).toEqual([true, false, true]);
    expect(b.waiter).toBe(a.waiter);
    expect(w.resolve(1, { kind: 'magnification', value: 300 })).toBe(false); // another kind
    expect(w.resolve(3, { kind: 'zoom-position', position: 9 })).toBe(false); // another address
    expect(w.resolve(1, { kind: 'zoom-position', position: 420 })).toBe(true);
    expect(await Promise.all([a.promise, b.promise])).toEqual([420, 420]);
    expect(w.isWaiting(a.waiter)).toBe(false);
    expect(w.isWaiting(other.waiter)).toBe(true);
    expect(w.resolve(1, { kind: 'zoom-position', position: 421 })).toBe(false); // answered already
    expect(w.size).toBe(1);
  });

  it('does not time a waiter out before its frame has left', async () => {
    const clock = new ManualClock();
    const { w, timeouts } = waitress(clock);
    const { waiter } = w.waitFor(1, 'query-pan');
    await clock.advanceTo(10_000);
    expect(timeouts).toEqual([]);
    expect(w.isWaiting(waiter)).toBe(true);
  });

  it('times out each attempt after its wire time plus timeoutMs, retries while told to, then fails with a typed error', async () => {
    const clock = new ManualClock();
    const { w, timeouts } = waitress(clock, 1);
    const { promise, waiter } = w.waitFor(4, 'query-tilt');
    const result = settled(promise);
    w.attemptSent(waiter, 20); // reply due by 20 + 100
    await clock.advanceTo(119);
    expect(timeouts).toHaveLength(0);
    await clock.advanceTo(120);
    expect(timeouts).toHaveLength(1); // told to retry: still waiting
    expect(w.isWaiting(waiter)).toBe(true);
    w.attemptSent(waiter, 20);
    await clock.advanceTo(500);
    const { error } = (await result) as { error: ReplyTimeoutError };
    expect(error).toBeInstanceOf(ReplyTimeoutError);
    expect(error).toMatchObject({ code: 'ZS_REPLY_TIMEOUT', line: '/dev/ttyTEST', address: 4, query: 'query-tilt', attempts: 2, timeoutMs: 100 });
    expect(error.message).toMatch(/device 4 on \/dev\/ttyTEST did not answer query-tilt within 100 ms \(2 attempts\); check the wiring/);
    expect(w.size).toBe(0);
  });

  it('cancels one waiter (CancelledError by default) or all of them with a given error, and clears their timers', async () => {
    const clock = new ManualClock();
    const { w, timeouts } = waitress(clock);
    const one = w.waitFor(1, 'query-zoom');
    const two = w.waitFor(2, 'query-zoom');
    const three = w.waitFor(3, 'query-magnification');
    w.attemptSent(one.waiter, 0);
    w.attemptSent(two.waiter, 0);
    const results = [settled(one.promise), settled(two.promise), settled(three.promise)];
    expect(w.cancel(one.waiter)).toBe(true);
    expect(w.cancel(one.waiter)).toBe(false);
    const closed = new LineClosedError('/dev/ttyTEST', 'closed');
    w.cancelAll(closed);
    const [r1, r2, r3] = (await Promise.all(results)) as { error: unknown }[];
    expect(r1!.error).toBeInstanceOf(CancelledError);
    expect(r1!.error).toMatchObject({ code: 'ZS_CANCELLED' });
    expect([r2!.error, r3!.error]).toEqual([closed, closed]);
    expect(clock.pendingTimers).toBe(0);
    await clock.advanceTo(1000);
    expect(timeouts).toEqual([]);
  });

  it('withdraws only the caller whose signal aborts; the waiter goes with its last caller', async () => {
    const clock = new ManualClock();
    const { w } = waitress(clock);
    const first = new AbortController();
    const a = w.waitFor(1, 'query-zoom', first.signal);
    const b = w.waitFor(1, 'query-zoom');
    const aResult = settled(a.promise);
    first.abort(new Error('Ctrl-C'));
    expect(await aResult).toEqual({ error: expect.objectContaining({ code: 'ZS_CANCELLED', cause: expect.objectContaining({ message: 'Ctrl-C' }) }) });
    expect(w.isWaiting(a.waiter)).toBe(true); // b still waits
    expect(w.resolve(1, { kind: 'zoom-position', position: 5 })).toBe(true);
    expect(await b.promise).toBe(5);

    const last = new AbortController();
    const c = w.waitFor(2, 'query-pan', last.signal);
    w.attemptSent(c.waiter, 0);
    const cResult = settled(c.promise);
    last.abort();
    expect(await cResult).toEqual({ error: expect.any(CancelledError) });
    expect(w.isWaiting(c.waiter)).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    const already = w.waitFor(3, 'query-tilt', AbortSignal.abort());
    await expect(already.promise).rejects.toBeInstanceOf(CancelledError);
    expect(w.size).toBe(0);
  });

  it('rejects a timeout outside 1–600000 ms, and one that is not a number', () => {
    for (const timeoutMs of [0, -1, Number.NaN, 600_001, '100' as never]) {
      expect(() => new ReplyWaitress({ line: 'x', timeoutMs, timers: new ManualClock(), onTimeout: () => false })).toThrow(
        expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'timeoutMs' }),
      );
    }
  });
});
