import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HexStreamParser, HexSyntaxError, parseHex, toHex } from '../../protocols/pelco/index.js';

describe('parseHex', () => {
  it.each([
    ['FF 01 00 04 20 00 25', [0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x25]],
    ['ff0100042000 25', [0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x25]],
    ['0xFF,0x01, 0x0', [0xff, 0x01, 0x00]],
    ['FF 1 0 4 20 0 25', [0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x25]],
    ['ff:01-a0\n', [0xff, 0x01, 0xa0]],
    ['', []],
  ])('reads %j', (text, bytes) => {
    expect([...parseHex(text)!]).toEqual(bytes);
  });

  it.each(['F F01', 'FF 1 0 4 200 0 25', 'FF 01 0G', '0x', 'FF010'])('refuses %j instead of pairing digits across tokens', (text) => {
    // "FF 1 0 4 20 0 25" used to read as FF 10 42 00 25: digits were glued before being paired.
    expect(parseHex(text)).toBeUndefined();
  });

  it('reads back what toHex writes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      expect([...parseHex(toHex(bytes))!]).toEqual([...bytes]);
    }));
  });
});

/** HexStreamParser over text cut into pieces; undefined where it throws HexSyntaxError. */
function streamParse(text: string, cuts: number[]): number[] | undefined {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parser = new HexStreamParser();
  const out: number[] = [];
  let from = 0;
  try {
    for (const at of [...points, text.length]) {
      out.push(...parser.push(text.slice(from, at)));
      from = at;
    }
    out.push(...parser.end());
  } catch (error) {
    if (error instanceof HexSyntaxError) return undefined;
    throw error;
  }
  return out;
}

describe('HexStreamParser (parseHex for text that arrives in pieces)', () => {
  it.each(['F F01', 'FF 1 0 4 200 0 25', 'FF 01 0G', '0x', 'FF010', '0x0x12', '00x1'])('refuses %j, as parseHex does', (text) => {
    expect(streamParse(text, [])).toBeUndefined();
  });

  it('property: in any cutting, reads exactly what parseHex reads, and refuses what it refuses', () => {
    const token = fc.oneof(
      fc.stringMatching(/^[0-9a-fA-F]{1,9}$/),
      fc.stringMatching(/^0[xX][0-9a-fA-F]{0,6}$/),
      fc.constantFrom('0', '00', '0x0', 'g', 'x1', '0xx'),
    );
    const separator = fc.constantFrom(' ', ',', ':', ';', '-', '\n', '\t', ', ', '  ');
    fc.assert(
      fc.property(fc.array(fc.tuple(token, separator), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
        const text = parts.map(([t, sep]) => t + sep).join('');
        const whole = parseHex(text);
        expect(streamParse(text, cuts)).toEqual(whole ? [...whole] : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a packed run far longer than any one piece, holding no more than a piece', () => {
    const frame = 'FF010004200025';
    const parser = new HexStreamParser();
    let bytes = 0;
    for (let i = 0; i < 1000; i++) {
      // one token across all 2000 pieces, each cut mid-pair: completed pairs come out at once
      expect([...parser.push(frame.slice(0, 5))]).toEqual([0xff, 0x01]);
      expect([...parser.push(frame.slice(5))]).toEqual([0x00, 0x04, 0x20, 0x00, 0x25]);
      bytes += 7;
    }
    expect(bytes + parser.end().length).toBe(7000);
  });
});
