/**
 * SerialLine: one physical serial line (a USB-RS485 adapter or a UART) as a FrameLine.
 *
 * It owns the serialport instance and everything that makes a line dependable: RS-485 direction
 * switching around each write, dropping the echo of our own frames, and reopening a port that
 * errors, closes or vanishes with capped exponential backoff. Callers get typed errors, never a
 * hang and never a crash: serialport errors always have a listener, and 'error' is only emitted
 * when someone listens.
 *
 * @example
 *   const line = new SerialLine({ path: '/dev/ttyUSB0', baudRate: 9600, direction: { mode: 'auto' } });
 *   line.on('data', (chunk) => reader.push(chunk));
 *   line.on('reconnecting', ({ attempt, delayMs }) => log(`retry ${attempt} in ${delayMs} ms`));
 *   await line.open();
 *   await line.write(encode({ kind: 'stop' }, { address: 1 }));
 *   await line.close();
 */
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { InvalidArgumentError, isZoomsyncError, LineClosedError, LineWriteFailedError, type ZoomsyncError } from '../../protocols/errors.js';
import { type DirectionSwitch, directionSwitch } from './direction.js';
import { EchoFilter } from './echo-filter.js';
import type { FrameLine, FrameLineEvents } from './frame-line.js';
import { resolveLineOptions, type ResolvedLineOptions, type SerialLineOptions } from './line-options.js';
import { openFailed, portNotFound } from './open-errors.js';
import { writeNow } from './write-now.js';

export type { DirectionControl, ReconnectPolicy, SerialLineOptions } from './line-options.js';

export interface SerialLineCounters {
  bytesWritten: number;
  /** Every byte read from the port, echo included. */
  bytesReceived: number;
  /** Received bytes dropped as the echo of our own frames. */
  echoBytesDropped: number;
  /** Successful reopens after a loss. */
  reconnects: number;
  /** Writes the port's buffer could not take whole at once: the rest waited for room (a far end that does not keep up). */
  writesDeferred: number;
}

type State = 'idle' | 'opening' | 'open' | 'waiting' | 'closed';

interface Waiter {
  resolve: () => void;
  reject: (error: ZoomsyncError) => void;
}

export class SerialLine extends EventEmitter<FrameLineEvents> implements FrameLine {
  readonly name: string;
  readonly baudRate: number;
  readonly turnaroundMs: number;
  readonly options: Readonly<ResolvedLineOptions>;
  private readonly counts = { bytesWritten: 0, bytesReceived: 0, reconnects: 0, writesDeferred: 0 };
  private readonly echo: EchoFilter;
  private readonly direction: DirectionSwitch | undefined;
  private state: State = 'idle';
  private port: SerialPort | undefined;
  /** The device number the path pointed to when opened; a different one means the device was swapped. */
  private deviceId = 0;
  /** Rejects when the open port is lost or closed, so a write in flight never waits on a dead port. */
  private lost: LossSignal | undefined;
  private attempt = 0;
  private everOpened = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private presenceTimer: NodeJS.Timeout | undefined;
  private waiters: Waiter[] = [];
  private writeChain: Promise<void> = Promise.resolve();
  /** write() calls not yet settled; with none, a write starts at once instead of behind the chain. */
  private writesPending = 0;

  /** Throws InvalidArgumentError naming the first bad option. Does not open the port: call open(). */
  constructor(options: SerialLineOptions) {
    super();
    this.options = resolveLineOptions(options);
    this.name = this.options.path;
    this.baudRate = this.options.baudRate;
    this.turnaroundMs = this.options.turnaroundMs;
    this.echo = new EchoFilter((bytes) => this.emit('data', bytes));
    this.direction = directionSwitch(
      this.options.direction,
      (on) => this.setRts(on),
      (message) => this.options.onWarning(`${this.name}: ${message}`),
    );
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get counters(): SerialLineCounters {
    return { ...this.counts, echoBytesDropped: this.echo.dropped };
  }

  /**
   * Opens the port. By default a failure rejects at once (ZS_PORT_NOT_FOUND, ZS_PORT_OPEN_FAILED)
   * and the line stays closed; with { retry: true } it keeps trying with backoff, as after a loss,
   * and resolves on the first success (rejects with ZS_LINE_CLOSED if close() comes first).
   * Once open, a lost port is reopened automatically until close().
   */
  async open(options: { retry?: boolean } = {}): Promise<void> {
    if (this.state === 'open') return;
    if (this.state === 'opening' || this.state === 'waiting') return this.whenOpen();
    this.state = 'opening';
    try {
      await this.openPort();
    } catch (error) {
      const failure = error as ZoomsyncError;
      // close() may have run meanwhile (TypeScript cannot see that state changed across the await)
      const closed = (this.state as State) === 'closed';
      if (!options.retry || closed) {
        if (!closed) this.state = 'idle';
        this.settleWaiters(failure);
        throw failure;
      }
      const opened = this.whenOpen();
      this.emitError(failure);
      this.scheduleReconnect(failure);
      return opened;
    }
  }

  /** Sends bytes; see FrameLine.write. Writes go out one at a time, in call order. */
  write(bytes: Uint8Array): Promise<void> {
    if (!(bytes instanceof Uint8Array)) {
      return Promise.reject(new InvalidArgumentError('bytes', typeof bytes, 'a Uint8Array or Buffer', `${this.name}: write() takes the encoded frame`));
    }
    if (this.state !== 'open') return Promise.reject(this.closedError());
    const copy = Uint8Array.from(bytes); // the caller may reuse its buffer
    // Nothing ahead of it: start now, so (without direction switching) the bytes reach the port
    // before write() returns. Behind others: wait for them, in call order.
    const run = this.writesPending === 0 ? this.transmit(copy) : this.writeChain.then(() => this.transmit(copy));
    this.writesPending++;
    const settled = (): void => void this.writesPending--;
    this.writeChain = run.then(settled, settled);
    return run;
  }

  /** Closes the port and ends reconnecting for good (open() may start again later). */
  async close(): Promise<void> {
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.settleWaiters(this.closedError());
    await this.releasePort(this.closedError());
    if (wasOpen) this.emit('close');
  }

  private async openPort(): Promise<void> {
    const { path } = this.options;
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      if (info.code === 'ENOENT' || info.code === 'ENOTDIR') throw await portNotFound(path);
      throw openFailed(path, info);
    }
    const port = new SerialPort({
      path,
      baudRate: this.options.baudRate,
      dataBits: this.options.dataBits,
      parity: this.options.parity,
      stopBits: this.options.stopBits,
      autoOpen: false,
    });
    port.on('error', () => {}); // every failure also reaches a callback or 'close'; never crash
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(openFailed(path, error)) : resolve())));
    if (this.state === 'closed') {
      // close() was called while we were opening
      await closePort(port);
      throw this.closedError();
    }
    this.port = port;
    this.deviceId = info.rdev;
    this.lost = lossSignal();
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.on('error', (error: Error) => this.lose(new LineClosedError(this.name, `${path} failed: ${error.message}`, { cause: error })));
    port.on('close', (error?: Error) => this.lose(new LineClosedError(this.name, `${path} closed${error ? `: ${error.message}` : ''}`, { cause: error })));
    this.state = 'open';
    if (this.everOpened) this.counts.reconnects++;
    this.everOpened = true;
    this.attempt = 0;
    this.watchPresence();
    this.emit('open');
    this.settleWaiters();
  }

  private receive(chunk: Buffer): void {
    this.counts.bytesReceived += chunk.length;
    if (this.options.suppressEcho) this.echo.push(chunk);
    else this.emit('data', chunk);
  }

  private async transmit(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    const lost = this.lost;
    if (this.state !== 'open' || !port || !lost) throw this.closedError();
    const expected = this.options.suppressEcho ? this.echo.expect(bytes) : undefined;
    let switched = false;
    try {
      if (this.direction) {
        await this.direction.transmit(true).catch((error: unknown) => {
          throw new LineWriteFailedError(this.name, `${this.name}: could not switch the RS-485 transceiver to transmit: ${(error as Error).message}`, { cause: error });
        });
        switched = true;
      }
      await this.sendAndDrain(port, bytes, lost);
      this.counts.bytesWritten += bytes.length;
      if (this.direction && this.turnaroundMs > 0) await delay(this.turnaroundMs);
    } finally {
      expected?.closeAfter(this.options.echoWindowMs);
      if (switched) await this.receiveMode();
    }
  }

  private async sendAndDrain(port: SerialPort, bytes: Uint8Array, lost: LossSignal): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LineWriteFailedError(this.name, `${this.name}: write did not drain within ${this.options.writeTimeoutMs} ms; reopening the port`)),
        this.options.writeTimeoutMs,
      );
    });
    const written = this.writeAndDrain(port, bytes);
    written.catch(() => {});
    const portLost = lost.watch();
    try {
      await Promise.race([written, portLost.promise, timeout]);
    } catch (error) {
      // Bytes may have been partly sent: whatever stopped them, the write failed.
      const failure = isZoomsyncError(error, 'ZS_LINE_WRITE_FAILED')
        ? error
        : new LineWriteFailedError(this.name, `${this.name}: write failed: ${(error as Error).message}`, { cause: error });
      this.lose(new LineClosedError(this.name, failure.message, { cause: failure }));
      throw failure;
    } finally {
      portLost.stop();
      clearTimeout(timer);
    }
  }

  /**
   * Writes the bytes and resolves once they have drained (tcdrain: out of the UART). The kernel
   * takes what it has room for at once, from this thread (writeNow); serialport's write() sends
   * the rest, or all of it where there is no direct path.
   */
  private writeAndDrain(port: SerialPort, bytes: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const drain = (): void => port.drain((error) => (error ? reject(error) : resolve()));
      const taken = writeNow(port, bytes); // a failed write(2) throws: this promise rejects
      if (taken === bytes.length) return drain();
      if (taken !== undefined) this.counts.writesDeferred++;
      const rest = Buffer.from(bytes.buffer, bytes.byteOffset + (taken ?? 0), bytes.byteLength - (taken ?? 0));
      port.write(rest, (error) => (error ? reject(error) : drain()));
    });
  }

  /** Back to receive. A transceiver left in transmit blocks the whole bus, so a failure is loud. */
  private async receiveMode(): Promise<void> {
    try {
      await this.direction?.transmit(false);
    } catch (error) {
      const failure = new LineWriteFailedError(this.name, `${this.name}: could not switch the RS-485 transceiver back to receive: ${(error as Error).message}`, { cause: error });
      this.emitError(failure);
      throw failure;
    }
  }

  private setRts(on: boolean): Promise<void> {
    const port = this.port;
    // A closed port has no RTS to drop (and must not count as "RTS unavailable").
    if (!port) return on ? Promise.reject(this.closedError()) : Promise.resolve();
    return new Promise((resolve, reject) => port.set({ rts: on }, (error) => (error ? reject(error) : resolve())));
  }

  /** The open port is gone (error, close, vanished path, failed write): tell everyone and reopen. */
  private lose(cause: ZoomsyncError): void {
    if (this.state !== 'open') return;
    const reconnect = this.options.reconnect.enabled;
    this.state = reconnect ? 'waiting' : 'idle';
    const released = this.releasePort(cause);
    this.emit('close', cause);
    this.emitError(cause);
    if (!reconnect) return this.settleWaiters(cause);
    // Reopen only once the old descriptor is closed, or its lock would fail the first attempt.
    void released.then(() => {
      if (this.state === 'waiting' && !this.retryTimer) this.scheduleReconnect(cause);
    });
  }

  private scheduleReconnect(cause: ZoomsyncError): void {
    this.attempt++;
    const { initialDelayMs, factor, maxDelayMs } = this.options.reconnect;
    const delayMs = Math.min(maxDelayMs, Math.round(initialDelayMs * factor ** (this.attempt - 1)));
    this.state = 'waiting';
    this.emit('reconnecting', { attempt: this.attempt, delayMs, cause });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state !== 'waiting') return;
      this.state = 'opening';
      this.openPort().catch((error: ZoomsyncError) => {
        if (this.state === 'closed') return;
        this.emitError(error);
        this.scheduleReconnect(error);
      });
    }, delayMs);
  }

  /** A pty (or an unplugged adapter) may not report the loss on its read side: check the path. */
  private watchPresence(): void {
    const every = this.options.presenceCheckMs;
    if (every === 0) return;
    const check = (): void => {
      this.presenceTimer = setTimeout(() => {
        if (this.state !== 'open') return;
        stat(this.options.path).then(
          (info) => {
            if (this.state !== 'open') return;
            if (info.rdev !== this.deviceId) this.lose(new LineClosedError(this.name, `${this.name} now points to a different device`));
            else check();
          },
          (error: Error) => this.lose(new LineClosedError(this.name, `${this.name} vanished (unplugged?)`, { cause: error })),
        );
      }, every);
      this.presenceTimer.unref();
    };
    check();
  }

  private async releasePort(cause: ZoomsyncError): Promise<void> {
    clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    this.lost?.reject(cause);
    this.lost = undefined;
    this.echo.reset();
    const port = this.port;
    this.port = undefined;
    if (!port) return;
    port.removeAllListeners('data');
    port.removeAllListeners('close');
    port.removeAllListeners('error');
    port.on('error', () => {});
    await closePort(port);
  }

  private whenOpen(): Promise<void> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private settleWaiters(error?: ZoomsyncError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private emitError(error: ZoomsyncError): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  private closedError(): ZoomsyncError {
    const why =
      this.state === 'waiting' || this.state === 'opening'
        ? `is reconnecting (attempt ${this.attempt})`
        : this.state === 'closed'
          ? 'was closed'
          : 'is not open';
    return new LineClosedError(this.name, `serial line ${this.name} ${why}; the frame was not sent`);
  }
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    port.close(() => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

type LossSignal = ReturnType<typeof lossSignal>;

/**
 * An open port's "lost" signal, for the writes in flight on it. Each write watches it with a
 * promise of its own and stops watching when it settles: racing every write against one
 * promise that lives as long as the port kept a reaction per write alive until the port closed
 * (about 1 KB a frame; bench/soak found it).
 */
function lossSignal() {
  const watchers = new Set<(error: ZoomsyncError) => void>();
  let failure: ZoomsyncError | undefined;
  return {
    reject(error: ZoomsyncError): void {
      failure ??= error;
      for (const fail of watchers) fail(error);
      watchers.clear();
    },
    /** A promise that rejects once the port is lost (at once if it already is), and how to stop watching. */
    watch(): { promise: Promise<never>; stop(): void } {
      let stop = (): void => {};
      const promise = new Promise<never>((_, reject) => {
        if (failure) return reject(failure);
        watchers.add(reject);
        stop = () => watchers.delete(reject);
      });
      promise.catch(() => {});
      return { promise, stop };
    },
  };
}
