import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encode,
  FrameReader,
  FrameReaderStream,
  GENERIC_PROFILE,
  SZ_G10_PROFILE,
  type PelcoCommand,
  type PelcoFrame,
  type ReadFrame,
  type ReaderDialect,
  type ReaderEvent,
} from '../../protocols/pelco/index.js';
import { arbitraryCommand } from './pelco-arbitraries.js';

type Sent = { dialect: 'D' | 'P'; address: number; command: PelcoCommand; bytes: Uint8Array };

function collect(dialect: ReaderDialect = 'auto') {
  const frames: PelcoFrame[] = [];
  const problems: ReaderEvent[] = [];
  const reader = new FrameReader({ dialect, onFrame: (f) => frames.push(f), onProblem: (e) => problems.push(e) });
  return { reader, frames, problems };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Splits bytes at the given cut points (any chunking, including empty and one-byte chunks). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const at of points) {
    chunks.push(bytes.subarray(from, at));
    from = at;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

const arbitrarySent = (dialects: ('D' | 'P')[]) =>
  fc.tuple(fc.constantFrom(...dialects), fc.integer({ min: 1, max: 32 }), arbitraryCommand(SZ_G10_PROFILE)).filter(([dialect, , command]) => !(dialect === 'P' && command.kind === 'move' && command.scan === 'manual')).map(
    ([dialect, address, command]): Sent => ({ dialect, address, command, bytes: encode(command, { dialect, address }) }),
  );

const expected = (sent: Sent[]) => sent.map(({ dialect, address, command }) => ({ dialect, address, broadcast: false, command }));

describe('FrameReader', () => {
  it('finds frames in any chunking: one byte at a time, many frames per chunk, frames split anywhere', () => {
    fc.assert(
      fc.property(fc.constantFrom<ReaderDialect>('D', 'P', 'auto'), fc.array(arbitrarySent(['D', 'P']), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 40 }), (dialect, all, cuts) => {
        const sent = dialect === 'auto' ? all : all.filter((s) => s.dialect === dialect);
        const { reader, frames, problems } = collect(dialect);
        for (const part of chunk(concat(sent.map((s) => s.bytes)), cuts)) reader.push(part);
        expect(frames).toEqual(expected(sent));
        expect(problems).toEqual([]);
        expect(reader.counters.frames).toBe(sent.length);
        expect(reader.pendingBytes).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('one byte at a time gives the same frames as one chunk', () => {
    const sent = [encode({ kind: 'stop' }, { address: 1 }), encode({ kind: 'preset-goto', preset: 9 }, { dialect: 'P', address: 4 })];
    const whole = collect();
    whole.reader.push(concat(sent));
    const single = collect();
    for (const byte of concat(sent)) single.reader.push(Uint8Array.of(byte));
    expect(single.frames).toEqual(whole.frames);
    expect(single.frames).toHaveLength(2);
  });

  it('after garbage, never yields a bad frame and is back in sync within one frame', () => {
    // The frames after the garbage carry no sync byte inside them (turbo 0xFF excluded), so the
    // reader can lose at most the first of them to a false frame that starts in the garbage.
    const clean = arbitrarySent(['D', 'P']).filter((s) => ![...s.bytes.subarray(1)].some((b) => b === 0xff || b === 0xa0));
    fc.assert(
      fc.property(fc.array(clean, { maxLength: 5 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.array(clean, { minLength: 2, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (before, garbage, after, cuts) => {
        const { reader, frames } = collect('auto');
        const stream = concat([...before.map((s) => s.bytes), garbage, ...after.map((s) => s.bytes)]);
        for (const part of chunk(stream, cuts)) reader.push(part);
        // every frame out is one whose checksum was valid: it re-encodes to bytes that decode again
        for (const frame of frames) expect(() => encode(frame.command, { dialect: frame.dialect, address: frame.address })).not.toThrow();
        // the frames before the garbage all arrive, and all frames after the first one after it
        expect(frames.slice(0, before.length)).toEqual(expected(before));
        expect(frames.slice(-(after.length - 1))).toEqual(expected(after.slice(1)));
      }),
      { numRuns: 1000 },
    );
  });

  it('a stray 0xFF before a frame is discarded, not read as an address-255 frame that eats the real one', () => {
    // FF | FF 01 00 00 00 00 01 also checks out as "camera 255 focus near" (FF 01 00 00 00, sum 00):
    // a stop to camera 1 was lost that way, in any chunking.
    const stop = encode({ kind: 'stop' }, { address: 1 });
    const zoom = encode({ kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }, { address: 1 });
    const stream = concat([zoom, Uint8Array.of(0xff), stop, Uint8Array.of(0xff, 0xff), stop]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const { reader, frames, problems } = collect('D');
      reader.push(stream.subarray(0, cut));
      reader.push(stream.subarray(cut));
      expect(frames.map((f) => [f.address, f.command.kind])).toEqual([
        [1, 'move'],
        [1, 'stop'],
        [1, 'stop'],
      ]);
      expect(problems.every((p) => p.kind === 'discarded' && p.bytes.every((b) => b === 0xff))).toBe(true);
      expect(reader.counters.discardedBytes).toBe(3);
      expect(reader.pendingBytes).toBe(0);
    }
  });

  it('a stray 0xFF before any PELCO-D frame never costs that frame', () => {
    fc.assert(
      fc.property(fc.array(arbitrarySent(['D']), { minLength: 1, maxLength: 10 }), fc.nat(), (sent, cut) => {
        const { reader, frames } = collect('D');
        const stream = concat(sent.flatMap((s) => [Uint8Array.of(0xff), s.bytes]));
        for (const part of chunk(stream, [cut])) reader.push(part);
        expect(frames).toEqual(expected(sent));
      }),
      { numRuns: 500 },
    );
  });

  it('delivers genuine address-255 frames: at once when cmd1 is 0, at the next byte or flush() otherwise', () => {
    const broadcastStop = encode({ kind: 'stop' }, { address: 255, profile: SZ_G10_PROFILE });
    const a = collect('D');
    a.reader.push(broadcastStop);
    expect(a.frames.map((f) => [f.address, f.command.kind])).toEqual([[255, 'stop']]);
    // FF FF 01 02 10 00 12 (focus near + pan right): its bytes 2-6 also read as a command, so
    // the reader needs the next byte to know there is no frame at offset 1.
    const near = encode({ kind: 'move', focus: 'near', pan: 'right', panSpeed: 0x10, tiltSpeed: 0 }, { address: 255 });
    const b = collect('D');
    b.reader.push(near);
    expect(b.frames).toHaveLength(0);
    b.reader.push(encode({ kind: 'stop' }, { address: 3 }));
    expect(b.frames.map((f) => [f.address, f.command.kind])).toEqual([
      [255, 'move'],
      [3, 'stop'],
    ]);
    const c = collect('D');
    c.reader.push(near);
    expect(c.reader.flush()).toEqual(new Uint8Array(0));
    expect(c.frames.map((f) => f.address)).toEqual([255]);
    expect(c.problems).toEqual([]);
  });

  it('counts checksum failures and discarded bytes, and reports them', () => {
    const { reader, frames, problems } = collect('D');
    const good = encode({ kind: 'stop' }, { address: 1 });
    const corrupt = Uint8Array.from(good);
    corrupt[4] = 0x10; // payload changed, checksum not
    reader.push(concat([corrupt, good]));
    expect(frames).toHaveLength(1);
    expect(reader.counters.checksumErrors).toBe(1);
    expect(reader.counters.discardedBytes).toBe(7);
    expect(problems).toEqual([{ kind: 'bad-checksum', bytes: corrupt, dialect: 'D', expected: 0x11, got: 0x01 }]);
  });

  it('names a frame-shaped window that failed only its checksum, in both dialects, and resyncs after it', () => {
    const { reader, frames, problems } = collect('auto');
    const d = Uint8Array.of(0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x26);
    const p = Uint8Array.of(0xa0, 0x00, 0x00, 0x04, 0x20, 0x00, 0xaf, 0x2c);
    const good = encode({ kind: 'stop' }, { address: 2 });
    reader.push(concat([Uint8Array.of(0x12), d, good, p, good]));
    expect(frames.map((f) => f.address)).toEqual([2, 2]);
    expect(problems).toEqual([
      { kind: 'discarded', bytes: Uint8Array.of(0x12) },
      { kind: 'bad-checksum', bytes: d, dialect: 'D', expected: 0x25, got: 0x26 },
      { kind: 'bad-checksum', bytes: p, dialect: 'P', expected: 0x2b, got: 0x2c },
    ]);
    expect(reader.counters.discardedBytes).toBe(1 + 7 + 8);
  });

  it('does not call a window that overlaps a valid frame a bad checksum: its bytes are plain garbage', () => {
    const { reader, frames, problems } = collect('D');
    const good = encode({ kind: 'stop' }, { address: 2 });
    reader.push(concat([Uint8Array.of(0xff, 0x12, 0x34), good])); // FF 12 34 FF 02 00 00 fails, but holds the stop's start
    expect(frames).toHaveLength(1);
    expect(problems).toEqual([{ kind: 'discarded', bytes: Uint8Array.of(0xff, 0x12, 0x34) }]);
  });

  it('reports a checksum-valid frame with a meaningless command as invalid, and goes on', () => {
    const { reader, frames, problems } = collect('D');
    reader.push(Uint8Array.of(0xff, 0x01, 0x00, 0x45, 0x00, 0x00, 0x46, ...encode({ kind: 'stop' }, { address: 2 })));
    expect(frames.map((f) => f.address)).toEqual([2]);
    expect(problems).toMatchObject([{ kind: 'invalid-frame', reason: 'unknown-opcode' }]);
    expect(reader.counters.invalidFrames).toBe(1);
  });

  it('carries a split frame into a chunk bigger than its join buffer, and into many small ones after', () => {
    const stop = encode({ kind: 'stop' }, { address: 7 });
    const many = concat(Array.from({ length: 12_000 }, () => stop)); // 84 000 bytes, over the 64 KiB scratch cap
    const { reader, frames } = collect('D');
    reader.push(many.subarray(0, 3));
    reader.push(many.subarray(3, many.length - 2));
    for (let i = many.length - 2; i < many.length; i++) reader.push(many.subarray(i, i + 1));
    expect(frames).toHaveLength(12_000);
    expect(frames.every((f) => f.address === 7 && f.command.kind === 'stop')).toBe(true);
    expect(reader.pendingBytes).toBe(0);
  });

  it('an onFrame that throws does not make the reader replay old bytes into the next frame', () => {
    const frames: PelcoFrame[] = [];
    const problems: ReaderEvent[] = [];
    let fail = true;
    const reader = new FrameReader({
      dialect: 'D',
      onProblem: (e) => problems.push(e),
      onFrame: (f) => {
        if (fail) throw new Error('consumer bug');
        frames.push(f);
      },
    });
    const a = encode({ kind: 'preset-goto', preset: 3 }, { address: 1 });
    const b = encode({ kind: 'stop' }, { address: 2 });
    reader.push(a.subarray(0, 3));
    expect(() => reader.push(a.subarray(3))).toThrow('consumer bug');
    fail = false;
    reader.push(b);
    expect(frames.map((f) => [f.address, f.command.kind])).toEqual([[2, 'stop']]);
    expect(problems).toEqual([]); // FF 01 00 again in front of the stop would be reported as discarded
    expect(reader.pendingBytes).toBe(0);
  });

  it('keeps an unfinished frame until the rest comes, and flush() reports it as partial', () => {
    const { reader, frames, problems } = collect();
    const bytes = encode({ kind: 'query-zoom' }, { address: 1 });
    reader.push(bytes.subarray(0, 4));
    expect(frames).toHaveLength(0);
    expect(reader.pendingBytes).toBe(4);
    expect(reader.flush()).toEqual(bytes.subarray(0, 4));
    expect(problems).toEqual([{ kind: 'partial', bytes: bytes.subarray(0, 4) }]);
    reader.push(bytes.subarray(4));
    expect(frames).toHaveLength(0);
  });

  it('never throws on 10 million random bytes, in random chunk sizes, in every dialect mode', () => {
    let seed = 0x12345678;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const data = new Uint8Array(10_000_000);
    for (let i = 0; i < data.length; i++) data[i] = random();
    for (const dialect of ['D', 'P', 'auto'] as const) {
      let frameBytes = 0;
      let invalidFrameBytes = 0;
      let reportedDiscards = 0;
      const reader = new FrameReader({
        dialect,
        onFrame: (frame) => (frameBytes += frame.dialect === 'D' ? 7 : 8),
        onProblem: (event) => {
          if (event.kind === 'invalid-frame') invalidFrameBytes += event.bytes.length;
          else reportedDiscards += event.bytes.length; // discarded, bad-checksum and partial
        },
      });
      let offset = 0;
      while (offset < data.length) {
        const size = 1 + ((random() << 4) | (random() & 0xf));
        reader.push(data.subarray(offset, offset + size));
        offset += size;
      }
      reader.flush();
      const c = reader.counters;
      expect(c.bytes).toBe(data.length);
      // every byte is accounted for, once: in a valid frame, in a checksum-valid frame refused
      // as invalid, or discarded (nothing is pending after flush)
      expect(frameBytes + invalidFrameBytes + c.discardedBytes).toBe(data.length);
      // the events split the discarded runs (bad-checksum windows named inside them) without loss or overlap
      expect(reportedDiscards).toBe(c.discardedBytes);
      expect(reader.pendingBytes).toBe(0);
    }
  }, 60_000);

  it('rejects bad options with a precise TypeError', () => {
    expect(() => new FrameReader({ dialect: 'X' as ReaderDialect, onFrame: () => {} })).toThrow(/dialect must be "D", "P" or "auto", got "X"/);
    expect(() => new FrameReader({} as never)).toThrow(/onFrame must be a function/);
  });
});

describe('FrameReaderStream', () => {
  it('turns a byte stream into frame objects with their raw bytes, like a serialport parser', async () => {
    const a = encode({ kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }, { address: 1 });
    const b = encode({ kind: 'stop' }, { dialect: 'P', address: 2 });
    const bytes = Buffer.from(concat([a, Uint8Array.of(0x00, 0x13), b]));
    const source = Readable.from([bytes.subarray(0, 3), bytes.subarray(3, 10), bytes.subarray(10)]);
    const parser = source.pipe(new FrameReaderStream({ dialect: 'auto' }));
    const problems: ReaderEvent[] = [];
    parser.on('problem', (e) => problems.push(e));
    const frames: ReadFrame[] = [];
    for await (const frame of parser) frames.push(frame as ReadFrame);
    expect(frames.map((f) => [f.address, f.command.kind, [...f.raw]])).toEqual([
      [1, 'move', [...a]],
      [2, 'stop', [...b]],
    ]);
    expect(problems).toEqual([{ kind: 'discarded', bytes: Uint8Array.of(0x00, 0x13) }]);
    expect(parser.counters.frames).toBe(2);
  });
});
