import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exitWhenFlushed } from '../../../src/cli/exit.js';

/** A stream that takes 5 ms to hand each write on, like a pipe whose reader is slower than us. */
function slowSink() {
  const delivered: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        if (chunk.length > 0) delivered.push(chunk.toString());
        callback();
      }, 5);
    },
  });
  return { stream, delivered };
}

describe('exitWhenFlushed', () => {
  it('exits only after every line written before it is delivered', async () => {
    const out = slowSink();
    const err = slowSink();
    for (let i = 0; i < 10; i++) out.stream.write(`line ${i}\n`);
    err.stream.write('warning\n');
    let exitedWith: number | undefined;
    let deliveredAtExit = -1;
    await exitWhenFlushed(1, [out.stream, err.stream], (code) => {
      exitedWith = code;
      deliveredAtExit = out.delivered.length + err.delivered.length;
    });
    expect(exitedWith).toBe(1);
    expect(deliveredAtExit).toBe(11);
  });
});
