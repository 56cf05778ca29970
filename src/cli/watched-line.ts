/**
 * A FrameLine that reports how each write ended. The scheduler settles only its queued
 * commands; a CLI that must say "the stop reached the wire" or "the camera may still be moving"
 * needs the outcome of the stop frame itself.
 */
import { EventEmitter } from 'node:events';
import type { ZoomsyncError } from '../../protocols/errors.js';
import type { FrameLine, FrameLineEvents } from '../../hardware/serial/frame-line.js';

export interface WriteOutcomeEvents {
  written: [bytes: Uint8Array];
  failed: [bytes: Uint8Array, error: unknown];
}

export class WatchedLine extends EventEmitter<FrameLineEvents> implements FrameLine {
  /** How writes ended, by their bytes. */
  readonly outcomes = new EventEmitter<WriteOutcomeEvents>();

  constructor(private readonly inner: FrameLine) {
    super();
    // Re-emit rather than delegate on/off: the scheduler attaches and detaches its own listeners here.
    inner.on('data', (chunk) => this.emit('data', chunk));
    inner.on('open', () => this.emit('open'));
    inner.on('close', (cause?: ZoomsyncError) => this.emit('close', cause));
    inner.on('reconnecting', (info) => this.emit('reconnecting', info));
    inner.on('error', (error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
  }

  get name(): string {
    return this.inner.name;
  }

  get baudRate(): number {
    return this.inner.baudRate;
  }

  get turnaroundMs(): number {
    return this.inner.turnaroundMs;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  write(bytes: Uint8Array): Promise<void> {
    let result: Promise<void>;
    try {
      result = this.inner.write(bytes);
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      () => this.outcomes.emit('written', bytes),
      (error: unknown) => this.outcomes.emit('failed', bytes, error),
    );
    return result;
  }

  /**
   * Resolves when a write of exactly these bytes succeeds; rejects with the error of the first
   * one that fails, or with `lost` once the line closes before any was written.
   */
  whenWritten(bytes: Uint8Array, lost: () => unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) return reject(lost());
      const same = (other: Uint8Array) => other.length === bytes.length && other.every((b, i) => b === bytes[i]);
      const onWritten = (other: Uint8Array) => same(other) && done(resolve);
      const onFailed = (other: Uint8Array, error: unknown) => same(other) && done(() => reject(error));
      const onClose = () => done(() => reject(lost()));
      const done = (settle: () => void) => {
        this.outcomes.off('written', onWritten);
        this.outcomes.off('failed', onFailed);
        this.off('close', onClose);
        settle();
      };
      this.outcomes.on('written', onWritten);
      this.outcomes.on('failed', onFailed);
      this.on('close', onClose);
    });
  }
}
