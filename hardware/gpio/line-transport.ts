/**
 * A SerialLine seen as firmata-io's transport (an emitter with write() and 'data'/'open'
 * events, the shape of a SerialPort). One transport serves one connection of the board: when
 * the line is lost and reopens, the bridge makes a new transport and a new Firmata for the
 * freshly booted board, and the old transport goes quiet.
 */
import { EventEmitter } from 'node:events';
import type { SerialLine } from '../serial/serial-line.js';

export class LineTransport extends EventEmitter {
  private last: Promise<void> = Promise.resolve();
  private detached = false;
  private readonly forward = (chunk: Uint8Array): void => {
    this.emit('data', Buffer.from(chunk));
  };

  constructor(private readonly line: SerialLine) {
    super();
    line.on('data', this.forward);
    // firmata-io (and so johnny-five's "connect") learns of the open line from 'open'.
    process.nextTick(() => {
      if (!this.detached) this.emit('open');
    });
  }

  write(data: Buffer, callback?: (error?: Error | null) => void): boolean {
    if (this.detached) {
      callback?.(null); // a stale Firmata writing after the loss: its bytes have nowhere to go
      return false;
    }
    const sent = this.line.write(data);
    this.last = sent.catch(() => {});
    sent.then(
      () => callback?.(null),
      // A failed write means the line is lost; the bridge hears that from the line itself.
      (error: Error) => callback?.(error),
    );
    return true;
  }

  /** Resolves once every byte written so far has gone out (or failed). */
  flushed(): Promise<void> {
    return this.last;
  }

  /** Stops forwarding: the connection this transport stood for is over. */
  detach(): void {
    this.detached = true;
    this.line.off('data', this.forward);
  }
}
