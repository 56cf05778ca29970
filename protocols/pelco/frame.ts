/**
 * Frame layouts and checksums of PELCO-D and PELCO-P.
 *
 * Both dialects carry the same four payload bytes after the address:
 *   PELCO-D  FF   addr p0 p1 p2 p3 sum      sum = (addr + p0..p3) mod 256, sync not summed
 *   PELCO-P  A0   addr p0 p1 p2 p3 AF xor   xor = XOR of the first seven bytes, STX and ETX included
 * p1 bit 0 set marks an extended command (p1 is then the opcode) in both dialects.
 */

export type Dialect = 'D' | 'P';

export const PELCO_D_SYNC = 0xff;
export const PELCO_D_LENGTH = 7;
export const PELCO_P_STX = 0xa0;
export const PELCO_P_ETX = 0xaf;
export const PELCO_P_LENGTH = 8;

export function frameLength(dialect: Dialect): number {
  return dialect === 'D' ? PELCO_D_LENGTH : PELCO_P_LENGTH;
}

/** Bits a frame costs on a UART with 8N1 framing (start + 8 data + stop per byte). */
export function frameBits(dialect: Dialect): number {
  return frameLength(dialect) * 10;
}

/** Milliseconds a frame of the dialect occupies a wire at this baud rate. */
export function frameTimeMs(dialect: Dialect, baudRate: number): number {
  return (frameBits(dialect) * 1000) / baudRate;
}

/** PELCO-D checksum: the low byte of the sum of address and payload (never `% 100`). */
export function pelcoDChecksum(addr: number, p0: number, p1: number, p2: number, p3: number): number {
  return (addr + p0 + p1 + p2 + p3) & 0xff;
}

/** PELCO-P checksum: XOR over STX, address, payload and ETX. */
export function pelcoPChecksum(addr: number, p0: number, p1: number, p2: number, p3: number): number {
  return PELCO_P_STX ^ addr ^ p0 ^ p1 ^ p2 ^ p3 ^ PELCO_P_ETX;
}

/** Whether buf[i, i + 7) is a PELCO-D frame with a valid checksum (the sync byte is the caller's to check). */
export function pelcoDChecksumOkAt(buf: Uint8Array, i: number): boolean {
  return pelcoDChecksum(buf[i + 1]!, buf[i + 2]!, buf[i + 3]!, buf[i + 4]!, buf[i + 5]!) === buf[i + 6];
}

/** Whether buf[i, i + 8) ends like a PELCO-P frame: ETX in place and a valid XOR. */
export function pelcoPChecksumOkAt(buf: Uint8Array, i: number): boolean {
  return buf[i + 6] === PELCO_P_ETX && pelcoPChecksum(buf[i + 1]!, buf[i + 2]!, buf[i + 3]!, buf[i + 4]!, buf[i + 5]!) === buf[i + 7];
}

export function buildFrame(dialect: Dialect, addr: number, p0: number, p1: number, p2: number, p3: number): Uint8Array {
  if (dialect === 'D') {
    return Uint8Array.of(PELCO_D_SYNC, addr, p0, p1, p2, p3, pelcoDChecksum(addr, p0, p1, p2, p3));
  }
  return Uint8Array.of(PELCO_P_STX, addr, p0, p1, p2, p3, PELCO_P_ETX, pelcoPChecksum(addr, p0, p1, p2, p3));
}

/** Upper-case, space-separated hex, the way technicians write frames: `FF 01 00 04 20 00 25`. */
export function toHex(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += ' ';
    out += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16).toUpperCase();
  }
  return out;
}

/**
 * Parses hex written as technicians write it: `FF 01 00 04`, `ff0100`, `0xFF,0x01`, `FF 1 0 4`.
 * Each separated token is one byte (1–2 digits) or a packed run of whole bytes (an even number
 * of digits). Returns undefined when the text is not hex or a token of 3, 5, ... digits leaves a
 * nibble that could belong to either neighbour (`F F01` is a typo, not FF 01).
 */
export function parseHex(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (const token of text.split(/[\s,:;-]+/)) {
    if (token === '') continue;
    const digits = /^0x/i.test(token) ? token.slice(2) : token;
    if (!/^[0-9a-fA-F]+$/.test(digits)) return undefined;
    if (digits.length <= 2) out.push(parseInt(digits, 16));
    else if (digits.length % 2 !== 0) return undefined;
    else for (let i = 0; i < digits.length; i += 2) out.push(parseInt(digits.slice(i, i + 2), 16));
  }
  return Uint8Array.from(out);
}
