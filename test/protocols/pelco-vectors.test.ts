import { describe, expect, it } from 'vitest';
import { decode, encode, toHex } from '../../protocols/pelco/index.js';

describe('pelco.md known vectors', () => {
  it('PELCO-D pan left speed 0x20 to camera 1', () => {
    expect(toHex(encode({ kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 }, { dialect: 'D', address: 1 }))).toBe('FF 01 00 04 20 00 25');
  });
  it('PELCO-D stop', () => {
    expect(toHex(encode({ kind: 'stop' }, { dialect: 'D', address: 1 }))).toBe('FF 01 00 00 00 00 01');
  });
  it('PELCO-P pan left speed 0x20 to camera 1', () => {
    expect(toHex(encode({ kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 }, { dialect: 'P', address: 1 }))).toBe('A0 00 00 04 20 00 AF 2B');
  });
  it('decodes the vectors back', () => {
    const result = decode([0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x25]);
    expect(result).toEqual({ ok: true, frame: { dialect: 'D', address: 1, broadcast: false, command: { kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 } } });
  });
});
