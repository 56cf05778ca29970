/**
 * FrameReaderStream: the frame reader as a Transform stream, in the manner of serialport's
 * parsers. Bytes in; PelcoFrame objects out (object mode on the readable side).
 *
 * @example
 *   const frames = port.pipe(new FrameReaderStream({ dialect: 'D' }));
 *   frames.on('data', (frame) => console.log(frame.address, frame.command));
 *   frames.on('problem', (event) => console.warn(event));
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { PelcoFrame } from './codec.js';
import { FrameReader, type FrameReaderOptions, type ReaderCounters } from './reader.js';

export type FrameReaderStreamOptions = Omit<FrameReaderOptions, 'onFrame' | 'onProblem'>;

/** A frame with a copy of the bytes it was read from. */
export interface ReadFrame extends PelcoFrame {
  raw: Uint8Array;
}

export class FrameReaderStream extends Transform {
  private readonly reader: FrameReader;

  constructor(options: FrameReaderStreamOptions = {}) {
    super({ readableObjectMode: true });
    this.reader = new FrameReader({
      ...options,
      onFrame: (frame, raw) => this.push({ ...frame, raw: raw.slice() } satisfies ReadFrame),
      onProblem: (event) => this.emit('problem', event),
    });
  }

  get counters(): Readonly<ReaderCounters> {
    return this.reader.counters;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.reader.push(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.reader.flush();
    callback();
  }
}
