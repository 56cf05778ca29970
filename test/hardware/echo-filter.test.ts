import { describe, expect, it } from 'vitest';
import { EchoFilter } from '../../hardware/serial/echo-filter.js';

function setup() {
  let now = 1000;
  const out: number[] = [];
  const filter = new EchoFilter((bytes) => out.push(...bytes), () => now);
  return { filter, out, advance: (ms: number) => (now += ms) };
}

const FRAME = [0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01];

describe('EchoFilter', () => {
  it('drops an exact echo split across chunks and passes what follows', () => {
    const { filter, out } = setup();
    filter.expect(Uint8Array.from(FRAME)).closeAfter(50);
    filter.push(Uint8Array.from(FRAME.slice(0, 3)));
    expect(out).toEqual([]);
    filter.push(Uint8Array.from([...FRAME.slice(3), 0xaa]));
    expect(out).toEqual([0xaa]);
    expect(filter.dropped).toBe(7);
  });

  it('hands on bytes that only began like our frame, in order', () => {
    const { filter, out } = setup();
    filter.expect(Uint8Array.from(FRAME)).closeAfter(50);
    // No echo (transceiver receiver disabled): the reply shares sync and address with our frame.
    const reply = [0xff, 0x01, 0x00, 0x5d, 0x02, 0x00, 0x60];
    filter.push(Uint8Array.from(reply));
    expect(out).toEqual(reply);
    expect(filter.dropped).toBe(0);
  });

  it('finds the echo after stray bytes', () => {
    const { filter, out } = setup();
    filter.expect(Uint8Array.from(FRAME)).closeAfter(50);
    filter.push(Uint8Array.from([0xff, 0xff, ...FRAME, 0x42]));
    expect(out).toEqual([0xff, 0xff, 0x42]);
    expect(filter.dropped).toBe(7);
  });

  it('stops expecting once the window has closed, releasing held bytes', () => {
    const { filter, out, advance } = setup();
    filter.expect(Uint8Array.from(FRAME)).closeAfter(50);
    filter.push(Uint8Array.from([0xff, 0x01]));
    expect(out).toEqual([]);
    advance(51);
    filter.push(Uint8Array.from(FRAME.slice(2)));
    expect(out).toEqual(FRAME);
    expect(filter.dropped).toBe(0);
  });

  it('keeps expecting while the transmission is still going on', () => {
    const { filter, out, advance } = setup();
    filter.expect(Uint8Array.from(FRAME)); // not closed yet
    advance(10_000);
    filter.push(Uint8Array.from(FRAME));
    expect(out).toEqual([]);
    expect(filter.dropped).toBe(7);
  });

  it('drops back-to-back echoes of two frames', () => {
    const { filter, out } = setup();
    const second = [0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
    filter.expect(Uint8Array.from(FRAME)).closeAfter(50);
    filter.expect(Uint8Array.from(second)).closeAfter(50);
    filter.push(Uint8Array.from([...FRAME, ...second]));
    expect(out).toEqual([]);
    expect(filter.dropped).toBe(14);
  });
});
