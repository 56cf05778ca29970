/**
 * A streaming frame reader for one serial line.
 *
 * Bytes arrive in any chunking; frames come out. The reader looks for a sync byte, checks the
 * whole frame (checksum, and ETX for PELCO-P) and on any failure slides forward one byte, so a
 * lost or corrupted byte costs at most the frames it touched. It never throws on any input.
 *
 * The push API is the core (used by the bus scheduler and the benchmarks); FrameReaderStream in
 * stream.ts fits it into Node streams the way serialport's parsers are.
 *
 * @example
 *   const reader = new FrameReader({ dialect: 'auto', onFrame: (frame) => console.log(frame.command) });
 *   port.on('data', (chunk) => reader.push(chunk));
 */
import { type DecodeFailureReason, decodeChecked, type PelcoFrame } from './codec.js';
import { type Dialect, PELCO_D_SYNC, PELCO_P_ETX, PELCO_P_STX, pelcoDChecksum, pelcoDChecksumOkAt, pelcoPChecksum, pelcoPChecksumOkAt } from './frame.js';
import { DEFAULT_PROFILE, type DeviceProfile } from './profile.js';

export type ReaderDialect = Dialect | 'auto';

export type ReaderEvent =
  /** Bytes that were not part of any valid frame (garbage, or the rest of a cut frame). */
  | { kind: 'discarded'; bytes: Uint8Array }
  /**
   * A frame-shaped window (sync, and ETX for PELCO-P, in place) that failed only its checksum
   * and overlaps no valid frame: most likely a frame a byte of which was corrupted. Its bytes
   * count as discarded.
   */
  | { kind: 'bad-checksum'; bytes: Uint8Array; dialect: Dialect; expected: number; got: number }
  /** A well-formed frame with a valid checksum whose content is not a valid command. */
  | { kind: 'invalid-frame'; bytes: Uint8Array; reason: DecodeFailureReason; message: string }
  /** The start of a frame whose rest never came (reported by flush()). */
  | { kind: 'partial'; bytes: Uint8Array };

export interface FrameReaderOptions {
  /** 'D', 'P', or 'auto' to read both on one line. Default 'auto'. */
  dialect?: ReaderDialect;
  /** Default SZ_G10_PROFILE (DEFAULT_PROFILE). */
  profile?: DeviceProfile;
  /** Called for each valid frame. `raw` is a view of the frame's bytes, valid during the call: copy it to keep it. */
  onFrame: (frame: PelcoFrame, raw: Uint8Array) => void;
  /** Called for discarded bytes and invalid frames; left out, they are only counted. */
  onProblem?: (event: ReaderEvent) => void;
}

export interface ReaderCounters {
  /** Bytes pushed in. */
  bytes: number;
  /** Valid frames delivered to onFrame. */
  frames: number;
  /** Candidate frames (right sync) whose checksum (or PELCO-P ETX) was wrong. */
  checksumErrors: number;
  /** Frames with a valid checksum but meaningless content. */
  invalidFrames: number;
  /** Bytes skipped while resynchronising. */
  discardedBytes: number;
}

export class FrameReader {
  readonly counters: ReaderCounters = { bytes: 0, frames: 0, checksumErrors: 0, invalidFrames: 0, discardedBytes: 0 };
  private readonly acceptD: boolean;
  private readonly acceptP: boolean;
  private readonly profile: DeviceProfile;
  private readonly onFrame: FrameReaderOptions['onFrame'];
  private readonly onProblem: FrameReaderOptions['onProblem'];
  /** Bytes of an incomplete frame carried over to the next push (at most 7). */
  private readonly pending = new Uint8Array(8);
  private pendingLength = 0;
  /** Reused to join the carried-over bytes with the next chunk: small reads allocate nothing. */
  private scratch = new Uint8Array(256);
  /** Starts of windows in the current discarded run that failed only their checksum (in order). */
  private readonly badWindows: number[] = [];

  constructor(options: FrameReaderOptions) {
    const dialect = options.dialect ?? 'auto';
    if (dialect !== 'D' && dialect !== 'P' && dialect !== 'auto') {
      throw new TypeError(`FrameReader: dialect must be "D", "P" or "auto", got ${JSON.stringify(dialect)}`);
    }
    if (typeof options.onFrame !== 'function') throw new TypeError('FrameReader: onFrame must be a function');
    this.acceptD = dialect !== 'P';
    this.acceptP = dialect !== 'D';
    this.profile = options.profile ?? DEFAULT_PROFILE;
    this.onFrame = options.onFrame;
    this.onProblem = options.onProblem;
  }

  push(chunk: Uint8Array): void {
    this.counters.bytes += chunk.length;
    const carried = this.pendingLength;
    if (carried === 0) {
      this.scan(chunk, chunk.length, false);
      return;
    }
    const length = carried + chunk.length;
    // A huge chunk gets a buffer of its own rather than growing the kept one for good.
    const buf = length <= SCRATCH_MAX ? this.scratchFor(length) : new Uint8Array(length);
    // At most 7 carried bytes: a plain loop is cheaper than a subarray view for set().
    for (let k = 0; k < carried; k++) buf[k] = this.pending[k]!;
    buf.set(chunk, carried);
    // Forgotten before the scan: should a callback throw, these bytes are not replayed next push.
    this.pendingLength = 0;
    this.scan(buf, length, false);
  }

  /** Scans buf[0, n) (buf may be longer: the reused scratch buffer). */
  private scan(buf: Uint8Array, n: number, atEnd: boolean): void {
    this.badWindows.length = 0; // offsets into an earlier buffer, should a callback have thrown
    let i = 0;
    let discardStart = -1;
    while (i < n) {
      const sync = buf[i]!;
      let length = 0;
      if (sync === PELCO_D_SYNC && this.acceptD) {
        if (i + 7 > n) break; // wait for the rest
        if (pelcoDChecksumOkAt(buf, i)) {
          if (buf[i + 1] !== PELCO_D_SYNC) length = 7;
          else {
            const stray = this.straySync(buf, i, n, atEnd);
            if (stray === WAIT) break;
            if (!stray) length = 7;
          }
        } else {
          this.counters.checksumErrors++;
          if (this.onProblem) this.badWindows.push(i);
        }
      } else if (sync === PELCO_P_STX && this.acceptP) {
        if (i + 8 > n) break;
        if (pelcoPChecksumOkAt(buf, i)) length = 8;
        else {
          this.counters.checksumErrors++;
          if (this.onProblem && buf[i + 6] === PELCO_P_ETX) this.badWindows.push(i);
        }
      }
      if (length === 0) {
        if (discardStart < 0) discardStart = i;
        i++;
        continue;
      }
      if (discardStart >= 0) {
        this.reportDiscarded(buf, discardStart, i);
        discardStart = -1;
      }
      this.deliver(length === 7 ? 'D' : 'P', buf, i, length);
      i += length;
    }
    if (discardStart >= 0) this.reportDiscarded(buf, discardStart, i);
    // The loop stops early only when fewer bytes than a frame remain: at most 7 carried over.
    for (let k = i; k < n; k++) this.pending[k - i] = buf[k]!;
    this.pendingLength = n - i;
  }

  private scratchFor(length: number): Uint8Array {
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(length, this.scratch.length * 2)));
    return this.scratch;
  }

  /**
   * A checksum-valid PELCO-D candidate at i whose address byte is 0xFF may be a stray 0xFF (a
   * line glitch on an idle-high UART reads as 0xFF) glued to a real frame at i + 1:
   * `FF | FF 01 00 00 00 00 01` checks out as "camera 255 focus near" and would eat the stop to
   * camera 1. True when the frame at i + 1 is valid too (so byte i is the stray), WAIT when its
   * checksum byte has not arrived yet but its content would be a valid command, false otherwise
   * (a genuine address-0xFF frame: most have cmd1 0, which makes the alternative address 0).
   */
  private straySync(buf: Uint8Array, i: number, n: number, atEnd: boolean): boolean | typeof WAIT {
    const alt = decodeChecked('D', buf[i + 2]!, buf[i + 3]!, buf[i + 4]!, buf[i + 5]!, buf[i + 6]!, this.profile);
    if (!alt.ok) return false;
    if (i + 8 > n) return atEnd ? false : WAIT;
    return pelcoDChecksumOkAt(buf, i + 1);
  }

  /** Returns the bytes of an unfinished frame and forgets them (end of stream). */
  flush(): Uint8Array {
    // A frame held back only to tell it from a stray sync byte is delivered now.
    if (this.pendingLength > 0) {
      const held = this.pending.slice(0, this.pendingLength);
      this.pendingLength = 0;
      this.scan(held, held.length, true);
    }
    const rest = this.pending.slice(0, this.pendingLength);
    this.pendingLength = 0;
    if (rest.length > 0) {
      this.counters.discardedBytes += rest.length;
      this.onProblem?.({ kind: 'partial', bytes: rest });
    }
    return rest;
  }

  /** Bytes waiting for the rest of their frame. */
  get pendingBytes(): number {
    return this.pendingLength;
  }

  private deliver(dialect: Dialect, buf: Uint8Array, i: number, length: number): void {
    const result = decodeChecked(dialect, buf[i + 1]!, buf[i + 2]!, buf[i + 3]!, buf[i + 4]!, buf[i + 5]!, this.profile);
    const raw = buf.subarray(i, i + length);
    if (result.ok) {
      this.counters.frames++;
      this.onFrame(result.frame, raw);
    } else {
      this.counters.invalidFrames++;
      this.onProblem?.({ kind: 'invalid-frame', bytes: raw.slice(), reason: result.reason, message: result.message });
    }
  }

  /** Reports buf[from, to) as discarded, naming the windows in it that failed only their checksum. */
  private reportDiscarded(buf: Uint8Array, from: number, to: number): void {
    this.counters.discardedBytes += to - from;
    if (!this.onProblem) return;
    let cursor = from;
    for (const start of this.badWindows) {
      const dialect: Dialect = buf[start] === PELCO_D_SYNC ? 'D' : 'P';
      const end = start + (dialect === 'D' ? 7 : 8);
      // A window overlapping the next valid frame (or bytes still to come) is not a lone bad frame.
      if (start < cursor || end > to) continue;
      if (start > cursor) this.onProblem({ kind: 'discarded', bytes: buf.slice(cursor, start) });
      const [a, p0, p1, p2, p3] = [buf[start + 1]!, buf[start + 2]!, buf[start + 3]!, buf[start + 4]!, buf[start + 5]!];
      const expected = dialect === 'D' ? pelcoDChecksum(a, p0, p1, p2, p3) : pelcoPChecksum(a, p0, p1, p2, p3);
      this.onProblem({ kind: 'bad-checksum', bytes: buf.slice(start, end), dialect, expected, got: buf[end - 1]! });
      cursor = end;
    }
    this.badWindows.length = 0;
    if (to > cursor) this.onProblem({ kind: 'discarded', bytes: buf.slice(cursor, to) });
  }
}

const SCRATCH_MAX = 65536;
const WAIT = 'wait';
