import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BusScheduler } from '../../hardware/serial/bus-scheduler.js';
import type { FrameLine, FrameLineEvents } from '../../hardware/serial/frame-line.js';
import { LineWriteFailedError } from '../../protocols/errors.js';
import { toHex } from '../../protocols/pelco/index.js';

/**
 * A FrameLine whose writes fail on demand while it stays open: a USB adapter hiccup that a real
 * pty cannot produce (a pty write either works or closes the port).
 */
class FlakyLine extends EventEmitter<FrameLineEvents> implements FrameLine {
  readonly name = 'flaky';
  constructor(readonly baudRate = 115200) {
    super();
  }
  readonly turnaroundMs = 0;
  readonly isOpen = true;
  failNext = 0;
  written: string[] = [];
  async write(bytes: Uint8Array): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new LineWriteFailedError(this.name, 'adapter hiccup');
    }
    this.written.push(toHex(bytes));
  }
}

describe('BusScheduler write failures', () => {
  it('sends a stop again when its write failed, so the device ends stopped, and reports a failed move', async () => {
    const line = new FlakyLine();
    const bus = new BusScheduler(line, { dialect: 'D' });
    const problems: string[] = [];
    bus.on('problem', (e) => problems.push(e.code));
    line.failNext = 2;
    bus.move(1, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }); // fails, reported
    bus.stop(1); // fails once, then goes again
    bus.move(1, { kind: 'move', pan: 'right', panSpeed: 5, tiltSpeed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The move issued after the stop left before the stop's failure was known; the retried stop
    // then follows it, so the device ends stopped (the safe side) rather than left moving.
    expect(line.written).toEqual(['FF 01 00 02 05 00 08', 'FF 01 00 00 00 00 01']);
    expect(problems).toEqual(['ZS_LINE_WRITE_FAILED']);
    expect(bus.deviceCounters(1).writeFailures).toBe(2);
    bus.close();
  });

  it('never writes motion again after its write failed: a stop accepted meanwhile is the last frame', async () => {
    const line = new FlakyLine();
    const bus = new BusScheduler(line, { dialect: 'D' });
    const problems: unknown[] = [];
    bus.on('problem', (e) => problems.push(e));
    const stopSent = new Promise<void>((resolve) => bus.on('sent', (f) => f.command.kind === 'stop' && resolve()));
    line.failNext = 2;
    bus.move(1, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }); // handed to the line at once; fails
    const zoom = bus.send(2, { kind: 'set-zoom', position: 700 }); // handed to the line behind it; fails
    bus.stop(0xff); // accepted while both writes are in flight
    await expect(zoom).rejects.toBeInstanceOf(LineWriteFailedError);
    await stopSent;
    await bus.close(); // nothing left to send: a retried motion frame would have shown up before or at close
    expect(line.written).toEqual(['FF FF 00 00 00 00 FF']);
    expect(problems).toEqual([expect.objectContaining({ code: 'ZS_LINE_WRITE_FAILED' })]);
  });

  it('fails everything waiting when closed, and refuses work afterwards', async () => {
    const line = new FlakyLine(1200);
    const bus = new BusScheduler(line, { dialect: 'D' });
    bus.move(1, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 }); // takes the wire
    const waiting = bus.send(1, { kind: 'preset-set', preset: 1 });
    const asking = bus.query(1, 'query-zoom');
    bus.close();
    await expect(waiting).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await expect(asking).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    await expect(bus.send(1, { kind: 'preset-goto', preset: 1 })).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
    expect(() => bus.stop(1)).toThrow(/scheduler .* was closed/);
    expect(line.listenerCount('data')).toBe(0);
  });
});
