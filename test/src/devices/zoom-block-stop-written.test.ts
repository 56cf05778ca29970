/**
 * A block's stop() is reported only once the stop's bytes have left the process (the line's
 * write completed), not when the frame was merely handed to the line: a CLI that suspends
 * (Ctrl-Z) or exits right after `await block.stop()` must not leave the stop behind.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FrameLine, FrameLineEvents } from '../../../hardware/serial/frame-line.js';
import { BusScheduler } from '../../../hardware/serial/bus-scheduler.js';
import { encode, toHex } from '../../../protocols/pelco/index.js';
import { ZoomBlock } from '../../../src/devices/zoom-block.js';

/** An open line whose writes complete only when the test says so. */
class HeldWriteLine extends EventEmitter<FrameLineEvents> implements FrameLine {
  readonly name = 'held';
  readonly baudRate = 9600;
  readonly turnaroundMs = 0;
  readonly isOpen = true;
  readonly pending: { hex: string; done: () => void }[] = [];
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve) => this.pending.push({ hex: toHex(bytes), done: resolve }));
  }
}

describe('ZoomBlock.stop', () => {
  it('resolves only after the stop frame has been written, with the time it was handed to the line', async () => {
    const line = new HeldWriteLine();
    const bus = new BusScheduler(line, { dialect: 'D' });
    const block = new ZoomBlock({ name: 'left', address: 1, bus, line });
    let reported = false;
    const stopping = block.stop().then((report) => {
      reported = true;
      return report;
    });
    const stopHex = toHex(encode({ kind: 'stop' }, { dialect: 'D', address: 1 }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(line.pending.map((p) => p.hex)).toEqual([stopHex]); // handed to the line ...
    expect(reported).toBe(false); // ... but not written yet: not reported
    line.pending[0]!.done();
    const report = await stopping;
    expect(report.path).toBe('serial');
    expect(typeof report.sentAt).toBe('number');
    await bus.close();
  });
});
