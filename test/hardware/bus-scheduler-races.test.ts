import { describe, expect, it } from 'vitest';
import { BusScheduler } from '../../hardware/serial/bus-scheduler.js';
import { encode, toHex } from '../../protocols/pelco/index.js';
import { ManualClock, RecordingLine } from './support/scheduler-doubles.js';

const hex = (address: number, command: Parameters<typeof encode>[0], dialect: 'D' | 'P' = 'D') => toHex(encode(command, { dialect, address }));

describe('BusScheduler races, on a hand-driven clock', () => {
  it('does not send a queued retry of a query whose late reply already arrived', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(1200); // a slot is 58.3 ms
    const bus = new BusScheduler(line, { dialect: 'D', queryTimeoutMs: 10, queryRetries: 1, clock });
    const answer = bus.query(1, 'query-zoom'); // on the wire at 0, reply slot to 116.7, times out at 126.7
    bus.move(2, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }); // next on the wire (115.7 to 175)
    await clock.advanceTo(130); // timed out: the retry is queued behind the move
    expect(bus.deviceCounters(1).timeouts).toBe(1);
    line.reply(encode({ kind: 'zoom-position', position: 420 }, { dialect: 'D', address: 1 })); // late, but it is the answer
    expect(await answer).toBe(420);
    await clock.advanceTo(400);
    expect(line.written.filter((h) => h === hex(1, { kind: 'query-zoom' }))).toHaveLength(1);
    // A new query for the same value is its own attempt 1: it retries once before failing.
    const again = bus.query(1, 'query-zoom').catch((e: unknown) => e);
    await clock.advanceTo(1000);
    expect(await again).toMatchObject({ code: 'ZS_REPLY_TIMEOUT', message: expect.stringMatching(/2 attempts/) });
    expect(line.written.filter((h) => h === hex(1, { kind: 'query-zoom' }))).toHaveLength(3);
    bus.close();
  });

  it('does not send a query whose only caller aborted while it waited for the wire', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(1200);
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    bus.move(2, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }); // holds the wire for 58 ms
    const abort = new AbortController();
    const asked = bus.query(1, 'query-zoom', { signal: abort.signal }).catch((e: unknown) => e);
    abort.abort();
    expect(await asked).toMatchObject({ code: 'ZS_CANCELLED' });
    await clock.advanceTo(500);
    expect(line.written).toEqual([hex(2, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 })]);
    expect(bus.pending).toBe(0);
    await bus.close();
  });

  it('returns a rejected promise, never a synchronous throw, from send() for a bad stop or move', async () => {
    const line = new RecordingLine(9600);
    const bus = new BusScheduler(line, { dialect: 'D', clock: new ManualClock() });
    let result: Promise<void> | undefined;
    expect(() => (result = bus.send(256, { kind: 'stop' }))).not.toThrow();
    await expect(result).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    expect(() => (result = bus.send(1, { kind: 'move', pan: 'left', panSpeed: 999, tiltSpeed: 0 }))).not.toThrow();
    await expect(result).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    bus.close();
  });
});

describe('BusScheduler pacing per dialect and baud rate, on a hand-driven clock', () => {
  it.each([
    ['D', 2400, 70],
    ['P', 2400, 80],
    ['D', 115200, 70],
    ['P', 115200, 80],
  ] as const)('PELCO-%s at %i baud: %i bit times per frame, never faster', async (dialect, baudRate, bits) => {
    const clock = new ManualClock();
    const line = new RecordingLine(baudRate);
    const bus = new BusScheduler(line, { dialect, clock });
    const frameMs = (bits * 1000) / baudRate;
    expect(bus.frameTimeMs).toBeCloseTo(frameMs, 9);
    const at: number[] = [];
    bus.on('sent', (frame) => at.push(frame.at));
    // Settings are never coalesced: 200 frames' worth of demand.
    const sends = Array.from({ length: 200 }, (_, i) => bus.send(1, { kind: 'zoom-speed', speed: i % 4 }).catch(() => {}));
    const window = 100 * frameMs;
    await clock.advanceTo(window);
    // The virtual wire: frame n may be handed over at most leadMs (1 ms) before n frame times.
    at.forEach((t, n) => expect(t).toBeGreaterThanOrEqual(n * frameMs - 1 - 1e-9));
    // And the line is kept busy: within a frame (plus a 1 ms timer tick) of full capacity.
    expect(at.length).toBeGreaterThanOrEqual(100 - Math.ceil(1 / frameMs) - 1);
    expect(at.length).toBeLessThanOrEqual(100 + Math.ceil(1 / frameMs) + 1);
    bus.close();
    await Promise.all(sends);
  });
});

describe('BusScheduler on a shared bus with late timers', () => {
  /** Node's timers fire a little late on a busy machine; this clock's fire 0.2 ms late, 0 ms timers after 1.2 ms. */
  class LateClock extends ManualClock {
    override setTimeout(callback: () => void, ms: number): unknown {
      return super.setTimeout(callback, Math.max(1, ms) + 0.2);
    }
  }

  it('hands frames queued together to the line before the previous one leaves the wire: back to back, no gap', async () => {
    const clock = new LateClock();
    const line = new RecordingLine(9600); // a slot is 7.29 ms
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    const at: number[] = [];
    bus.on('sent', (frame) => at.push(frame.at));
    const sends = [1, 2, 3, 4].map((address) => bus.send(address, { kind: 'set-zoom', position: 500 }));
    await clock.advanceTo(40);
    await Promise.all(sends);
    expect(at).toHaveLength(4);
    // Frame k is handed over within the lead before frame k-1 leaves the virtual wire (k slots after the first).
    at.slice(1).forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(at[0]! + (i + 1) * bus.slotMs - 1);
      expect(t).toBeLessThan(at[0]! + (i + 1) * bus.slotMs);
    });
    bus.close();
  });
});

describe('BusScheduler and replies it must not take', () => {
  it('does not take a reply in the other dialect as an answer, and counts it', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    const bus = new BusScheduler(line, { dialect: 'D', queryTimeoutMs: 20, queryRetries: 0, clock });
    const frames: unknown[] = [];
    bus.on('frame', (f) => frames.push(f));
    const answer = bus.query(1, 'query-zoom').catch((e: unknown) => e);
    line.reply(encode({ kind: 'zoom-position', position: 7 }, { dialect: 'P', address: 1 }));
    await clock.advanceTo(100);
    expect(await answer).toMatchObject({ code: 'ZS_REPLY_TIMEOUT' });
    expect(frames).toEqual([]);
    expect(bus.lineCounters.discardedBytes).toBe(8); // the whole PELCO-P frame, visible to whoever debugs it
    expect(bus.lineCounters.unmatchedReplies).toBe(0);
    bus.close();
  });
});

describe('BusScheduler.close()', () => {
  it('still hands queued stops to the line, so shutting down never leaves a device moving', async () => {
    const line = new RecordingLine(1200);
    const bus = new BusScheduler(line, { dialect: 'D', clock: new ManualClock() });
    bus.move(1, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }); // takes the wire for 58 ms
    bus.move(2, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 });
    bus.stop(1); // waits for the wire
    const setting = bus.send(3, { kind: 'zoom-speed', speed: 1 });
    await bus.close();
    await expect(setting).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    expect(line.written).toEqual([
      hex(1, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }),
      hex(1, { kind: 'stop' }),
    ]);
    expect(bus.deviceCounters(1).sent).toBe(2);
  });
});

describe('BusScheduler over a FrameLine that throws', () => {
  it('treats a write that throws instead of rejecting as a failed write: no throw at the caller, the stop goes again', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600);
    let throwNext = 1;
    const write = line.write.bind(line);
    line.write = (bytes: Uint8Array) => {
      if (throwNext-- > 0) throw new Error('driver bug');
      return write(bytes);
    };
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    expect(() => bus.stop(1)).not.toThrow();
    await clock.advanceTo(50);
    expect(line.written).toEqual([hex(1, { kind: 'stop' })]);
    expect(bus.deviceCounters(1).writeFailures).toBe(1);
    await bus.close();
  });
});

describe('BusScheduler over a line slower than its baud rate', () => {
  it('keeps at most one frame waiting behind the one on the wire, so a stop is not queued behind a backlog of stale moves', async () => {
    const clock = new ManualClock();
    const line = new RecordingLine(9600); // the scheduler expects 7.3 ms per frame...
    let chain = Promise.resolve();
    let pending = 0;
    let maxPending = 0;
    const written: { hex: string; at: number }[] = [];
    line.write = (bytes: Uint8Array) => {
      pending++;
      maxPending = Math.max(maxPending, pending);
      // ...but each write takes 20 ms, one after another (a slow GPIO direction switch, say)
      chain = chain.then(() => new Promise<void>((resolve) => clock.setTimeout(resolve, 20))).then(() => {
        pending--;
        written.push({ hex: toHex(bytes), at: clock.now() });
      });
      return chain;
    };
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    for (let t = 0; t < 300; t++) {
      bus.move(1, { kind: 'move', pan: 'left', panSpeed: t % 64, tiltSpeed: 0 });
      await clock.advanceTo(t + 1);
    }
    bus.stop(1);
    const stopAt = clock.now();
    await clock.advanceTo(2000);
    expect(maxPending).toBeLessThanOrEqual(2);
    const stop = written.find((w) => w.hex === hex(1, { kind: 'stop' }));
    expect(stop!.at - stopAt).toBeLessThanOrEqual(3 * 20 + 2); // the frame on the wire, the one waiting, then the stop
    expect(written.at(-1)?.hex).toBe(hex(1, { kind: 'stop' }));
    await bus.close();
  });
});

describe('a stop whose write fails', () => {
  /** A FrameLine whose next write fails once, then works. */
  class FailOnceLine extends RecordingLine {
    failNext = false;
    override async write(bytes: Uint8Array): Promise<void> {
      if (this.failNext) {
        this.failNext = false;
        throw new Error('EIO');
      }
      return super.write(bytes);
    }
  }

  it('is sent again, and settles (rejects) the absolute motion it cancels instead of leaving it pending', async () => {
    const clock = new ManualClock();
    const line = new FailOnceLine(1200);
    const bus = new BusScheduler(line, { dialect: 'D', clock });
    line.failNext = true;
    bus.stop(1); // handed to the line at once; its write fails
    const goto = bus.send(1, { kind: 'preset-goto', preset: 3 }).then(() => 'sent', (e: unknown) => e);
    await clock.advanceTo(500);
    expect(await goto).toMatchObject({ code: 'ZS_CANCELLED' });
    expect(bus.deviceCounters(1).cancelled).toBe(1);
    expect(line.written).toEqual([hex(1, { kind: 'stop' })]);
    expect(bus.pending).toBe(0);
  });
});
