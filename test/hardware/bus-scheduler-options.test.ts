import { describe, expect, it } from 'vitest';
import { BusScheduler, type BusSchedulerOptions } from '../../hardware/serial/bus-scheduler.js';
import { SerialLine } from '../../hardware/serial/serial-line.js';
import { InvalidArgumentError, ReplyTimeoutError } from '../../protocols/errors.js';
import { ManualClock, RecordingLine } from './support/scheduler-doubles.js';

/** A real SerialLine, never opened: the constructor only reads its baud rate and listens. */
const unopened = () => new SerialLine({ path: '/dev/ttyNOPE0', onWarning: () => {} });

describe('BusScheduler options', () => {
  const bad: Array<[string, BusSchedulerOptions]> = [
    ['moveBurst', { moveBurst: 0 }],
    ['moveBurst', { moveBurst: 1.5 }],
    ['moveBurst', { moveBurst: -3 }],
    ['queryRetries', { queryRetries: 1.5 }],
    ['queryRetries', { queryRetries: -1 }],
    ['queryRetries', { queryRetries: 11 }],
    ['queryTimeoutMs', { queryTimeoutMs: 0 }],
    ['queryTimeoutMs', { queryTimeoutMs: Number.POSITIVE_INFINITY }],
    ['queryTimeoutMs', { queryTimeoutMs: '250' as never }],
    ['interFrameGapMs', { interFrameGapMs: -1 }],
    ['interFrameGapMs', { interFrameGapMs: Number.NaN }],
    ['leadMs', { leadMs: -0.5 }],
    ['leadMs', { leadMs: 1000 }],
    ['dialect', { dialect: 'X' as never }],
    ['profile', { profile: {} as never }],
    ['clock', { clock: { now: () => 0 } as never }],
  ];
  it.each(bad)('rejects a bad %s with an error naming the option, the value and the range (%o)', (field, options) => {
    let error: unknown;
    try {
      new BusScheduler(unopened(), options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field });
    expect((error as Error).message).toMatch(new RegExp(`^${field} .* expected `));
  });

  it('rejects options that are not an object', () => {
    expect(() => new BusScheduler(unopened(), null as never)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'options' }));
  });

  it('takes an explicit undefined as the default, field by field', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    const explicit = new BusScheduler(line, {
      dialect: undefined,
      profile: undefined,
      interFrameGapMs: undefined,
      queryTimeoutMs: undefined,
      queryRetries: undefined,
      moveBurst: undefined,
      leadMs: undefined,
      clock,
    });
    const defaults = new BusScheduler(unopened());
    expect([explicit.dialect, explicit.profile, explicit.slotMs]).toEqual([defaults.dialect, defaults.profile, defaults.slotMs]);
    // queryTimeoutMs 250 and queryRetries 1: an unanswered query fails after 2 attempts of 250 ms.
    const error = await Promise.all([explicit.query(1, 'query-zoom').catch((e: unknown) => e), clock.advanceTo(5000)]).then(([e]) => e);
    expect(error).toBeInstanceOf(ReplyTimeoutError);
    expect(error).toMatchObject({ code: 'ZS_REPLY_TIMEOUT', line: 'recording', address: 1, query: 'query-zoom', attempts: 2, timeoutMs: 250 });
    await explicit.close();
    await defaults.close();
  });
});
