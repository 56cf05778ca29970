/**
 * The smallest FrameLine over a serialport: open, write with drain, data/close/open events, and
 * reopen() on demand. No reconnect policy and no RS-485 direction control (SerialLine in
 * hardware/serial has those); tests and benchmarks use this one to drive a BusScheduler against
 * the simulator over a real pty.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { ZoomsyncError } from '../../protocols/errors.js';
import type { FrameLine, FrameLineEvents } from '../serial/frame-line.js';

export class PortFrameLine extends EventEmitter<FrameLineEvents> implements FrameLine {
  private port: SerialPort | undefined;

  private constructor(
    readonly name: string,
    readonly baudRate: number,
    readonly turnaroundMs: number,
  ) {
    super();
  }

  static async open(path: string, options: { baudRate?: number; turnaroundMs?: number } = {}): Promise<PortFrameLine> {
    const line = new PortFrameLine(path, options.baudRate ?? 9600, options.turnaroundMs ?? 0);
    await line.reopen();
    return line;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  /** Opens the port (again); emits 'open'. */
  async reopen(): Promise<void> {
    if (this.isOpen) return;
    const port = new SerialPort({ path: this.name, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(new ZoomsyncError('ZS_PORT_OPEN_FAILED', `cannot open ${this.name}: ${error.message}`, { cause: error })) : resolve())),
    );
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('error', () => {}); // followed by 'close' when fatal
    port.on('close', () => {
      if (this.port === port) this.port = undefined;
      this.emit('close', new ZoomsyncError('ZS_LINE_CLOSED', `${this.name} closed`));
    });
    this.port = port;
    this.emit('open');
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return Promise.reject(new ZoomsyncError('ZS_LINE_CLOSED', `${this.name} is closed`));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (error) => {
        if (error) return reject(new ZoomsyncError('ZS_LINE_WRITE_FAILED', `writing to ${this.name} failed: ${error.message}`, { cause: error }));
        port.drain(() => resolve());
      });
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}
