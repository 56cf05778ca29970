/**
 * Drops the echo of our own transmissions from the received byte stream.
 *
 * A half-duplex RS-485 transceiver whose receiver stays enabled hears every frame we send. The
 * filter remembers each transmitted frame until its window closes and removes it from the input
 * only when the whole frame comes back byte for byte. Bytes that merely start like our frame are
 * held, and handed on as soon as they stop matching (or the window closes), so a real reply is
 * never eaten - at worst delayed by the window.
 *
 * @example
 *   const filter = new EchoFilter((bytes) => emit('data', bytes));
 *   const echo = filter.expect(frame); await send(frame); echo.closeAfter(50);
 *   port.on('data', (chunk) => filter.push(chunk));
 */

interface Expected {
  bytes: Uint8Array;
  /** Date.now() after which the echo is no longer expected; Infinity while transmitting. */
  deadline: number;
}

export interface ExpectedEcho {
  /** The transmission is over: its echo may still arrive for windowMs. */
  closeAfter(windowMs: number): void;
}

export class EchoFilter {
  /** Bytes removed because they were our own echo. */
  dropped = 0;
  private readonly expected: Expected[] = [];
  /** Received bytes that so far match the start of expected[0]. */
  private readonly held: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (bytes: Buffer) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call before transmitting `bytes`. */
  expect(bytes: Uint8Array): ExpectedEcho {
    const entry: Expected = { bytes: Uint8Array.from(bytes), deadline: Infinity };
    this.expected.push(entry);
    return {
      closeAfter: (windowMs) => {
        entry.deadline = this.now() + windowMs;
        this.armTimer();
      },
    };
  }

  push(chunk: Uint8Array): void {
    this.expire();
    if (this.expected.length === 0) {
      // Nothing of ours to look for, so nothing held either: the chunk passes as it is.
      if (chunk.length > 0) this.deliver(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return;
    }
    const out: number[] = [];
    const held = this.held;
    for (const byte of chunk) {
      const entry = this.expected[0];
      if (!entry) {
        out.push(byte);
        continue;
      }
      held.push(byte);
      // Slide until the held bytes are a prefix of the expected frame again (frames are ~8 bytes).
      while (held.length > 0 && !isPrefix(held, entry.bytes)) out.push(held.shift()!);
      if (held.length === entry.bytes.length) {
        this.dropped += held.length;
        this.expected.shift();
        held.length = 0;
      }
    }
    if (out.length > 0) this.deliver(Buffer.from(out));
  }

  /** Forgets everything expected and hands on held bytes (the line closed or reopened). */
  reset(): void {
    this.expected.length = 0;
    this.releaseHeld();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Drops expectations whose window has closed, handing on any bytes held for them. */
  private expire(): void {
    const now = this.now();
    while (this.expected.length > 0 && this.expected[0]!.deadline <= now) {
      this.expected.shift();
      this.releaseHeld();
    }
  }

  private releaseHeld(): void {
    if (this.held.length === 0) return;
    const bytes = Buffer.from(this.held);
    this.held.length = 0;
    this.deliver(bytes);
  }

  private armTimer(): void {
    if (this.timer) return;
    const next = this.expected.find((e) => e.deadline !== Infinity);
    if (!next) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.expire();
      this.armTimer();
    }, Math.max(0, next.deadline - this.now()) + 1);
    this.timer.unref();
  }
}

function isPrefix(candidate: number[], bytes: Uint8Array): boolean {
  if (candidate.length > bytes.length) return false;
  for (let i = 0; i < candidate.length; i++) if (candidate[i] !== bytes[i]) return false;
  return true;
}
