/**
 * Simulated SZ-G10 blocks on the device end of a pty: one block, or several sharing the pty as
 * an RS-485 bus (each acts only on its own address). Every frame that arrives is recorded with
 * a high-resolution receive timestamp, so tests and benchmarks can measure what really arrived
 * and when.
 *
 * @example
 *   const pair = await PtyPair.open();
 *   const bus = await SimulatedBus.open(pair.devicePath, { baudRate: 9600 });
 *   const block = bus.addBlock({ address: 1 });
 *   // ... a controller drives pair.controllerPath ...
 *   bus.received; block.lens.zoom; block.faults.silent = true;
 *   await bus.close();
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { InvalidArgumentError, PortOpenFailedError } from '../../protocols/errors.js';
import {
  cameraNumber,
  DEFAULT_PROFILE,
  type DecodeFailureReason,
  type DeviceProfile,
  type Dialect,
  FrameReader,
  frameTimeMs,
  PELCO_D_SYNC,
  type PelcoCommand,
  type ReaderEvent,
  toHex,
} from '../../protocols/pelco/index.js';
import { SimulatedZoomBlock, type ZoomBlockOptions } from './zoom-block.js';

export interface ReceivedFrame {
  /**
   * performance.now() when the bytes completing the frame reached the simulator: when the event
   * loop learned the port was readable (see ReceiveClock), not when serialport's read on the
   * threadpool got round to them.
   */
  at: number;
  /**
   * When a real UART at the bus's baud rate would have finished receiving the frame: frames
   * cannot arrive closer together than their wire time, however fast a pty delivers them.
   */
  wireEndAt: number;
  dialect: Dialect;
  address: number;
  broadcast: boolean;
  command: PelcoCommand;
  hex: string;
  /** Whether a block on this bus acted on it. */
  handled: boolean;
}

/**
 * A checksum-valid frame whose content the bus's profile refuses (a value out of range, a mode
 * its table lacks, an unknown opcode): recorded, counted by the blocks it was addressed to, never
 * acted on — as strict as the profile it stands for.
 */
export interface RefusedFrame {
  at: number;
  dialect: Dialect;
  /** Camera number, or undefined when the address byte is no camera under the profile. */
  address: number | undefined;
  broadcast: boolean;
  hex: string;
  reason: DecodeFailureReason;
  message: string;
  /** Addresses of the blocks on this bus the frame was meant for. */
  blocks: number[];
}

export interface SimulatedBusOptions {
  /**
   * The profile frames are decoded with: its blocks' profile. Default: the profile of the first
   * block added, or DEFAULT_PROFILE (sz-g10). Every block on one bus shares it.
   */
  profile?: DeviceProfile;
  /** Baud rate the pty is opened at and the UART timeline is computed for. Default 9600. */
  baudRate?: number;
  /** Keep at most this many received frames, and as many problems (the oldest half is dropped when full). Default 200_000. */
  maxRecords?: number;
  /**
   * Hold each reply until a real wire would have delivered it: after the query's UART end plus
   * the reply's own wire time. A pty delivers instantly; this makes round trips honest. Default false.
   */
  emulateWireTime?: boolean;
}

export interface SimulatedBusEvents {
  frame: [frame: ReceivedFrame];
  problem: [event: ReaderEvent];
  refused: [frame: RefusedFrame];
  reply: [address: number, bytes: Uint8Array];
}

export class SimulatedBus extends EventEmitter<SimulatedBusEvents> {
  readonly received: ReceivedFrame[] = [];
  readonly problems: ReaderEvent[] = [];
  readonly refused: RefusedFrame[] = [];
  private readonly blocks: SimulatedZoomBlock[] = [];
  private reader: FrameReader;
  private profileValue: DeviceProfile;
  /** Whether the profile was given to open(); otherwise the first block's profile is taken. */
  private readonly profileFixed: boolean;
  private readonly maxRecords: number;
  private lastWireEnd = -Infinity;
  private chunkAt = 0;
  private readonly receiveClock: ReceiveClock;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    readonly path: string,
    private readonly port: SerialPort,
    readonly baudRate: number,
    maxRecords: number,
    private readonly emulateWireTime: boolean,
    profile: DeviceProfile | undefined,
  ) {
    super();
    this.maxRecords = maxRecords;
    this.profileFixed = profile !== undefined;
    this.profileValue = profile ?? DEFAULT_PROFILE;
    this.reader = this.makeReader();
    this.receiveClock = new ReceiveClock(port);
    port.on('data', (chunk: Buffer) => {
      this.chunkAt = this.receiveClock.take();
      this.reader.push(chunk);
    });
    port.on('error', () => {}); // a vanished pty surfaces as 'close'; nothing to do here
  }

  /** The profile this bus decodes with (its blocks' profile). */
  get profile(): DeviceProfile {
    return this.profileValue;
  }

  private makeReader(): FrameReader {
    return new FrameReader({
      dialect: 'auto',
      profile: this.profileValue,
      onFrame: (frame, raw) => {
        const handlers = this.blocks.filter((block) => block.accepts(frame));
        const wireEndAt = Math.max(this.chunkAt, this.lastWireEnd + frameTimeMs(frame.dialect, this.baudRate));
        this.lastWireEnd = wireEndAt;
        const record: ReceivedFrame = { ...frame, at: this.chunkAt, wireEndAt, hex: toHex(raw), handled: handlers.some((block) => !block.faults.silent) };
        keepBounded(this.received, this.maxRecords, record);
        this.emit('frame', record);
        for (const block of handlers) {
          const reply = block.handle(frame);
          if (!reply) continue;
          const wireDelay = this.emulateWireTime ? wireEndAt - performance.now() + frameTimeMs(block.dialect, this.baudRate) : 0;
          this.sendReply(block.address, reply.bytes, reply.delayMs + Math.max(0, wireDelay));
        }
      },
      onProblem: (event) => {
        keepBounded(this.problems, this.maxRecords, event);
        if (event.kind === 'invalid-frame') this.refuse(event);
        this.emit('problem', event);
      },
    });
  }

  /** Records a checksum-valid frame the profile refuses, and counts it on the blocks it was meant for. */
  private refuse(event: Extract<ReaderEvent, { kind: 'invalid-frame' }>): void {
    const dialect: Dialect = event.bytes[0] === PELCO_D_SYNC ? 'D' : 'P';
    const address = cameraNumber(dialect, event.bytes[1]!, this.profileValue);
    const broadcast = dialect === 'D' && event.bytes[1] === 0xff && this.profileValue.broadcastAddress;
    const blocks = this.blocks.filter((block) => block.countRefused({ dialect, address, broadcast }));
    const record: RefusedFrame = {
      at: this.chunkAt,
      dialect,
      address,
      broadcast,
      hex: toHex(event.bytes),
      reason: event.reason,
      message: event.message,
      blocks: blocks.map((block) => block.address),
    };
    keepBounded(this.refused, this.maxRecords, record);
    this.emit('refused', record);
  }

  /** Opens the device end of a pty (or any serial port) and listens. */
  static async open(path: string, options: SimulatedBusOptions = {}): Promise<SimulatedBus> {
    const baudRate = options.baudRate ?? 9600;
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path, baudRate, autoOpen: false });
      p.open((error) =>
        error ? reject(new PortOpenFailedError(path, `simulator cannot open ${path}: ${error.message}`, { cause: error })) : resolve(p),
      );
    });
    return new SimulatedBus(path, port, baudRate, options.maxRecords ?? 200_000, options.emulateWireTime ?? false, options.profile);
  }

  /** Adds a block on this bus. Throws if its address is taken (in its dialect). */
  /**
   * Adds a block on this bus, with the bus's profile unless it names one. Throws if its address
   * is taken (in its dialect) or its profile is not the one the bus decodes with.
   */
  addBlock(options: ZoomBlockOptions): SimulatedZoomBlock {
    const adopt = !this.profileFixed && this.blocks.length === 0 && options.profile !== undefined;
    const block = new SimulatedZoomBlock({
      address: options.address,
      dialect: options.dialect,
      profile: options.profile ?? this.profileValue,
      lens: options.lens,
      panTilt: options.panTilt,
    });
    if (this.blocks.some((b) => b.address === block.address && b.dialect === block.dialect)) {
      throw new InvalidArgumentError('address', block.address, `an address no other PELCO-${block.dialect} block on ${this.path} has`);
    }
    if (adopt && block.profile !== this.profileValue) {
      this.profileValue = block.profile; // the bus decodes with its blocks' profile
      this.reader = this.makeReader();
    } else if (block.profile !== this.profileValue) {
      throw new InvalidArgumentError('profile', block.profile.name, `the profile of the blocks already on ${this.path} ("${this.profileValue.name}")`, 'a bus decodes every frame with one profile');
    }
    this.blocks.push(block);
    return block;
  }

  block(address: number): SimulatedZoomBlock | undefined {
    return this.blocks.find((b) => b.address === address);
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  /** Checksum errors and other reader counters of what arrived. */
  get readerCounters(): FrameReader['counters'] {
    return this.reader.counters;
  }

  /** Sends raw bytes to the controller (for tests of unsolicited or malformed input). */
  inject(bytes: Uint8Array): void {
    if (this.port.isOpen) this.port.write(Buffer.from(bytes));
  }

  /** Forgets what was recorded. */
  clearRecords(): void {
    this.received.length = 0;
    this.problems.length = 0;
    this.refused.length = 0;
    this.lastWireEnd = -Infinity;
  }

  /** Closes the simulator's end (the "close the port" fault, and shutdown). */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private sendReply(address: number, bytes: Uint8Array, delayMs: number): void {
    const write = (): void => {
      if (!this.port.isOpen) return;
      this.port.write(Buffer.from(bytes));
      this.emit('reply', address, bytes);
    };
    if (delayMs <= 0) return write();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      write();
    }, delayMs);
    this.timers.add(timer);
  }
}

/**
 * When a chunk's bytes reached us. serialport reads a port in two steps: the binding's poller
 * (on the event loop thread) reports the descriptor readable, then fs.read runs on libuv's
 * threadpool and 'data' follows. With several ports readable at once their reads queue for the
 * pool's 4 threads, and a clock read at 'data' would stamp each frame a pool round trip late, by a
 * different amount per port. So the time is taken when the poller reports readable; a read that
 * found its bytes without waiting (they were already there) is stamped at 'data'. A binding
 * without a poller (mock, Windows) is stamped at 'data' too.
 */
class ReceiveClock {
  private readableAt: number | undefined;

  constructor(port: SerialPort) {
    const poller = (port.port as { poller?: unknown } | undefined)?.poller;
    if (poller instanceof EventEmitter) {
      // 'readable' with an error is the poller being stopped, not bytes.
      poller.on('readable', (error: unknown) => {
        if (!error) this.readableAt ??= performance.now();
      });
    }
  }

  /** The time for the chunk 'data' just delivered. */
  take(): number {
    const at = this.readableAt ?? performance.now();
    this.readableAt = undefined;
    return at;
  }
}

/** Appends to a log that drops its oldest half when full, so a long-running simulator stays small. */
function keepBounded<T>(log: T[], max: number, item: T): void {
  if (log.length >= max) log.splice(0, Math.ceil(max / 2));
  log.push(item);
}
