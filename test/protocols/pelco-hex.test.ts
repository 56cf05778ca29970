import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHex, toHex } from '../../protocols/pelco/index.js';

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
