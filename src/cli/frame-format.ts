/** How `decode` and `monitor` print frames and reader problems, as text or as JSON lines. */
import { describeCommand, type PelcoFrame, type ReaderEvent, toHex } from '../../protocols/pelco/index.js';

/** A frame with the bytes it was read from (raw bytes, or already as hex). */
export function formatFrame(frame: PelcoFrame, raw: Uint8Array | string, json: boolean, prefix: Record<string, unknown> = {}): string {
  const hex = typeof raw === 'string' ? raw : toHex(raw);
  if (json) {
    return JSON.stringify({ ...prefix, type: 'frame', dialect: frame.dialect, address: frame.address, broadcast: frame.broadcast, hex, command: frame.command });
  }
  const who = frame.broadcast ? 'all cameras' : `camera ${frame.address}`;
  return `${textPrefix(prefix)}PELCO-${frame.dialect}  ${who.padEnd(11)}  ${describeCommand(frame.command).padEnd(36)}  [${hex}]`;
}

export function formatProblem(event: ReaderEvent, json: boolean, prefix: Record<string, unknown> = {}): string {
  if (json) {
    const detail =
      event.kind === 'invalid-frame'
        ? { reason: event.reason, message: event.message }
        : event.kind === 'bad-checksum'
          ? { dialect: event.dialect, expected: event.expected, got: event.got, message: checksumText(event) }
          : {};
    return JSON.stringify({ ...prefix, type: event.kind, hex: toHex(event.bytes), ...detail });
  }
  switch (event.kind) {
    case 'discarded':
      return `${textPrefix(prefix)}discarded ${event.bytes.length} byte${event.bytes.length === 1 ? '' : 's'} (no valid frame)  [${toHex(event.bytes)}]`;
    case 'invalid-frame':
      return `${textPrefix(prefix)}invalid frame (${event.reason}): ${event.message}  [${toHex(event.bytes)}]`;
    case 'bad-checksum':
      return `${textPrefix(prefix)}PELCO-${event.dialect} frame with ${checksumText(event)}  [${toHex(event.bytes)}]`;
    case 'partial':
      return `${textPrefix(prefix)}partial frame: ${event.bytes.length} byte${event.bytes.length === 1 ? '' : 's'} without the rest  [${toHex(event.bytes)}]`;
  }
}

/** "bad checksum: expected 25, got 26", in hex like the frame bytes printed beside it. */
function checksumText(event: Extract<ReaderEvent, { kind: 'bad-checksum' }>): string {
  return `bad checksum: expected ${toHex([event.expected])}, got ${toHex([event.got])}`;
}

function textPrefix(prefix: Record<string, unknown>): string {
  return Object.values(prefix).map((v) => `${String(v)}  `).join('');
}
