/**
 * GpioBoard: a Firmata board (an Arduino-class microcontroller running StandardFirmata on USB)
 * driven through johnny-five, whose IO is firmata-io over the project's own SerialLine. The
 * line brings reconnection: a pulled USB cable is reported ('lost'), reopened with backoff, and
 * when the board is back ('ready' again) every output is re-applied and every input watched
 * again. While the board is gone, watched inputs are told `undefined` (unknown), never a stale
 * level.
 *
 * johnny-five's Pin and Sensor components poll with setIntervals that nothing can stop, and a
 * board that comes back is a fresh johnny-five Board, so the wrappers in this folder (AlarmInput,
 * AdKey, LightSensor, outputs) talk to the Board's own pin methods through watchDigital /
 * watchAnalog / drive here and keep their logic in the pure modules beside them.
 *
 * @example
 *   const board = new GpioBoard({ path: '/dev/ttyACM0' });
 *   board.on('lost', (cause) => log(`GPIO board lost: ${cause.message}`));
 *   await board.open();
 *   board.watchDigital(2, { pullUp: true }, (level) => …);
 *   board.drive(9, { kind: 'pwm', duty: 0.5 });
 */
import { EventEmitter } from 'node:events';
import firmataIo, { type FirmataIO } from 'firmata-io';
import five, { type Board as FiveBoard } from 'johnny-five';
import { InvalidArgumentError, NotSupportedError, ReplyTimeoutError, type ZoomsyncError, LineClosedError } from '../../protocols/errors.js';
import type { ReconnectPolicy } from '../serial/line-options.js';
import { SerialLine } from '../serial/serial-line.js';
import { LineTransport } from './line-transport.js';

export interface GpioBoardOptions {
  /** The board's serial device, e.g. /dev/ttyACM0 or /dev/serial/by-id/usb-Arduino_... */
  path: string;
  /** StandardFirmata's baud rate. Default 57600. */
  baudRate?: number;
  /** The ADC reference voltage of the board: 3.3 for a 3.3 V board, 5 for a 5 V one. Default 3.3. */
  referenceVolts?: number;
  /** How often the board reports analog inputs, ms (Firmata's sampling interval). Default 20. */
  samplingIntervalMs?: number;
  /** How long open() waits for the board to answer the Firmata handshake, ms. Default 10000. */
  handshakeTimeoutMs?: number;
  reconnect?: ReconnectPolicy;
  /** How often the device path is checked while open, ms. Default 250. */
  presenceCheckMs?: number;
  onWarning?: (message: string) => void;
}

/** What an output pin should be doing; kept while the board is gone and re-applied when it returns. */
export type OutputDrive =
  | { kind: 'digital'; level: 0 | 1 }
  /** duty 0–1 */
  | { kind: 'pwm'; duty: number }
  /** Not driven (input, high impedance): an open-drain line left to its pull-up. */
  | { kind: 'release' };

export interface GpioBoardEvents {
  /** The board answered the handshake (first time and after each return). */
  ready: [{ firmware: string; reconnected: boolean }];
  /** The board went away; inputs are unknown until 'ready'. */
  lost: [ZoomsyncError];
  reconnecting: [{ attempt: number; delayMs: number }];
  /** A problem worth reporting that did not stop the board (a pin that cannot do what was asked). */
  warning: [ZoomsyncError];
}

type DigitalWatch = { pin: number; pullUp: boolean; listener: (level: 0 | 1 | undefined) => void };
type AnalogWatch = { channel: number; listener: (volts: number | undefined) => void };

const MODE = { INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, PULLUP: 0x0b } as const;
const Firmata = firmataIo.Firmata;

export class GpioBoard extends EventEmitter<GpioBoardEvents> {
  readonly path: string;
  readonly referenceVolts: number;
  readonly samplingIntervalMs: number;
  readonly handshakeTimeoutMs: number;
  private readonly line: SerialLine;
  private readonly digitalWatches = new Set<DigitalWatch>();
  private readonly analogWatches = new Set<AnalogWatch>();
  private readonly outputs = new Map<number, OutputDrive>();
  private current: { transport: LineTransport; io: FirmataIO; board: FiveBoard; ready: boolean } | undefined;
  private connections = 0;
  private closed = false;
  private readyWaiters: { resolve: () => void; reject: (error: ZoomsyncError) => void }[] = [];

  /** Throws InvalidArgumentError naming the first bad option. Does not open: call open(). */
  constructor(options: GpioBoardOptions) {
    super();
    this.referenceVolts = options.referenceVolts ?? 3.3;
    if (!Number.isFinite(this.referenceVolts) || this.referenceVolts <= 0 || this.referenceVolts > 5) {
      throw new InvalidArgumentError('referenceVolts', this.referenceVolts, 'the board’s ADC reference, above 0 and at most 5 V');
    }
    this.samplingIntervalMs = options.samplingIntervalMs ?? 20;
    if (!Number.isInteger(this.samplingIntervalMs) || this.samplingIntervalMs < 1 || this.samplingIntervalMs > 16383) {
      throw new InvalidArgumentError('samplingIntervalMs', this.samplingIntervalMs, 'an integer 1–16383 ms');
    }
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    if (!Number.isFinite(this.handshakeTimeoutMs) || this.handshakeTimeoutMs <= 0) {
      throw new InvalidArgumentError('handshakeTimeoutMs', this.handshakeTimeoutMs, 'a number of milliseconds > 0');
    }
    this.line = new SerialLine({
      path: options.path,
      baudRate: options.baudRate ?? 57600,
      reconnect: options.reconnect ?? {},
      presenceCheckMs: options.presenceCheckMs ?? 250,
      onWarning: options.onWarning ?? ((message) => process.emitWarning(message)),
    });
    this.path = this.line.name;
    this.line.on('error', () => {}); // every loss also arrives as 'close', handled below
    this.line.on('open', () => this.connect());
    this.line.on('close', (cause) => this.disconnect(cause ?? new LineClosedError(this.path, `GPIO board ${this.path} closed`)));
    this.line.on('reconnecting', ({ attempt, delayMs }) => this.emit('reconnecting', { attempt, delayMs }));
  }

  get isReady(): boolean {
    return this.current?.ready === true;
  }

  /**
   * Opens the port and resolves once the board has answered the Firmata handshake. Rejects with
   * ZS_PORT_NOT_FOUND / ZS_PORT_OPEN_FAILED, or ZS_REPLY_TIMEOUT when nothing on the port speaks Firmata.
   * With { retry: true } a port that is missing or will not open is tried again with backoff (as
   * after a loss) until it opens or close() is called (then ZS_LINE_CLOSED), and a board that does
   * not answer the handshake yet is waited for.
   */
  async open(options: { retry?: boolean } = {}): Promise<void> {
    this.closed = false;
    const ready = this.whenReady();
    ready.catch(() => {}); // a failed open rejects it unawaited; the open() caller hears the failure itself
    await this.line.open({ retry: options.retry ?? false }).catch((error: ZoomsyncError) => {
      this.settleReady(error);
      throw error;
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new ReplyTimeoutError(this.path, 0, 'Firmata version', 1, this.handshakeTimeoutMs,
            `${this.path} did not answer the Firmata handshake within ${this.handshakeTimeoutMs} ms; flash StandardFirmata onto the board (Arduino IDE: File > Examples > Firmata) and check the baud rate (57600)`),
        );
      }, this.handshakeTimeoutMs);
    });
    try {
      // with retry, a silent board is waited for (connect() keeps asking), not given up on
      await (options.retry ? ready : Promise.race([ready, timeout]));
    } catch (error) {
      await this.close();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.line.close();
    this.teardown();
    this.settleReady(new LineClosedError(this.path, `GPIO board ${this.path} was closed`));
  }

  /** Watches a digital input; the listener hears each reported level, and undefined while the board is gone. */
  watchDigital(pin: number, options: { pullUp: boolean }, listener: (level: 0 | 1 | undefined) => void): () => void {
    checkPin('pin', pin);
    const watch: DigitalWatch = { pin, pullUp: options.pullUp, listener };
    this.digitalWatches.add(watch);
    if (this.current?.ready) this.startDigital(this.current, watch);
    return () => this.digitalWatches.delete(watch);
  }

  /** Watches an analog channel (A0 = 0); the listener hears volts at each sample, and undefined while the board is gone. */
  watchAnalog(channel: number, listener: (volts: number | undefined) => void): () => void {
    checkPin('analog channel', channel);
    const watch: AnalogWatch = { channel, listener };
    this.analogWatches.add(watch);
    if (this.current?.ready) this.startAnalog(this.current, watch);
    return () => this.analogWatches.delete(watch);
  }

  /**
   * Sets what an output pin does. Applied now if the board is there, and again whenever it
   * returns. Resolves once the command has gone out on the wire; rejects with ZS_LINE_CLOSED
   * while the board is gone (the drive is still kept and applied on return).
   */
  async drive(pin: number, drive: OutputDrive): Promise<void> {
    checkPin('pin', pin);
    if (drive.kind === 'pwm' && !(drive.duty >= 0 && drive.duty <= 1)) throw new InvalidArgumentError('duty', drive.duty, '0–1 (0–100 %)');
    this.outputs.set(pin, drive);
    const connection = this.current;
    if (!connection?.ready) throw new LineClosedError(this.path, `GPIO board ${this.path} is not connected; pin ${pin} will be set when it returns`);
    this.applyOutput(connection, pin, drive);
    await connection.transport.flushed();
  }

  /** The drive last asked of a pin. */
  driveOf(pin: number): OutputDrive | undefined {
    return this.outputs.get(pin);
  }

  private connect(): void {
    this.teardown();
    const transport = new LineTransport(this.line);
    // Ask for the version soon: a board that does not reset when the port opens will not announce itself.
    const io = new Firmata(transport, { reportVersionTimeout: 100, samplingInterval: this.samplingIntervalMs });
    io.on('error', () => {}); // transport failures reach us as the line's 'close'
    const board = new five.Board({ io, repl: false, debug: false, sigint: false });
    board.on('error', () => {}); // johnny-five's own connect timeout; the handshake retry below covers it
    const connection = { transport, io, board, ready: false };
    this.current = connection;
    // A board in its bootloader drops the first request; ask again until it answers.
    const startedAt = Date.now();
    let warned = false;
    const retry = setInterval(() => {
      if (this.current !== connection || connection.ready) return clearInterval(retry);
      io.reportVersion(() => {});
      io.queryFirmware(() => {});
      if (!warned && this.connections > 0 && Date.now() - startedAt >= this.handshakeTimeoutMs) {
        warned = true; // a returning device that is not (yet) a Firmata board: say so once, keep asking
        this.warn(new ReplyTimeoutError(this.path, 0, 'Firmata version', Math.floor((Date.now() - startedAt) / 1000), this.handshakeTimeoutMs,
          `${this.path} is back but has not answered the Firmata handshake for ${this.handshakeTimeoutMs} ms; still asking (is StandardFirmata on it?)`));
      }
    }, 1000);
    retry.unref();
    board.once('ready', () => {
      clearInterval(retry);
      if (this.current !== connection) return;
      connection.ready = true;
      for (const [pin, drive] of this.outputs) this.applyOutput(connection, pin, drive);
      for (const watch of this.digitalWatches) this.startDigital(connection, watch);
      for (const watch of this.analogWatches) this.startAnalog(connection, watch);
      const firmware = `${io.firmware.name ?? 'Firmata'} ${io.firmware.version?.major ?? '?'}.${io.firmware.version?.minor ?? '?'}`;
      this.emit('ready', { firmware, reconnected: this.connections++ > 0 });
      this.settleReady();
    });
  }

  private disconnect(cause: ZoomsyncError): void {
    const wasThere = this.current !== undefined;
    this.teardown();
    if (!wasThere || this.closed) return;
    for (const watch of this.digitalWatches) watch.listener(undefined);
    for (const watch of this.analogWatches) watch.listener(undefined);
    this.emit('lost', cause);
  }

  private teardown(): void {
    const connection = this.current;
    if (!connection) return;
    this.current = undefined;
    connection.transport.detach();
    clearTimeout(connection.io.reportVersionTimeoutId);
    if (connection.board.timer) clearTimeout(connection.board.timer);
    connection.io.removeAllListeners();
    connection.io.on('error', () => {});
  }

  private startDigital(connection: NonNullable<GpioBoard['current']>, watch: DigitalWatch): void {
    const mode = watch.pullUp ? MODE.PULLUP : MODE.INPUT;
    if (!this.supports(connection, watch.pin, mode, watch.pullUp ? 'a pull-up input' : 'a digital input')) return;
    connection.board.pinMode(watch.pin, mode);
    // One johnny-five reader per pin and connection (its listeners cannot be removed): it serves
    // every watch of that pin, so unwatching and watching again never stacks readers.
    if (!firstReader(connection, `d${watch.pin}`)) return;
    connection.board.digitalRead(watch.pin, (value) => {
      if (this.current !== connection) return;
      for (const w of this.digitalWatches) if (w.pin === watch.pin) w.listener(value ? 1 : 0);
    });
  }

  private startAnalog(connection: NonNullable<GpioBoard['current']>, watch: AnalogWatch): void {
    const pin = connection.io.analogPins[watch.channel];
    if (pin === undefined) {
      this.warn(new NotSupportedError(`analog input A${watch.channel}`, `the board on ${this.path}`, `it has A0–A${connection.io.analogPins.length - 1}`));
      return;
    }
    const full = connection.board.RESOLUTION.ADC;
    connection.board.pinMode(watch.channel, MODE.ANALOG);
    if (!firstReader(connection, `a${watch.channel}`)) return;
    connection.board.analogRead(watch.channel, (raw) => {
      if (this.current !== connection) return;
      for (const w of this.analogWatches) if (w.channel === watch.channel) w.listener((raw / full) * this.referenceVolts);
    });
  }

  private applyOutput(connection: NonNullable<GpioBoard['current']>, pin: number, drive: OutputDrive): void {
    const board = connection.board;
    switch (drive.kind) {
      case 'digital':
        if (!this.supports(connection, pin, MODE.OUTPUT, 'a digital output')) return;
        board.pinMode(pin, MODE.OUTPUT);
        board.digitalWrite(pin, drive.level);
        return;
      case 'pwm':
        if (!this.supports(connection, pin, MODE.PWM, 'a PWM output')) return;
        board.pinMode(pin, MODE.PWM);
        board.pwmWrite(pin, Math.round(drive.duty * board.RESOLUTION.PWM));
        return;
      case 'release':
        if (!this.supports(connection, pin, MODE.INPUT, 'a released (input) pin')) return;
        board.pinMode(pin, MODE.INPUT);
        return;
    }
  }

  private supports(connection: NonNullable<GpioBoard['current']>, pin: number, mode: number, what: string): boolean {
    if (connection.io.pins[pin]?.supportedModes.includes(mode)) return true;
    this.warn(new NotSupportedError(`${what} on pin ${pin}`, `the board on ${this.path}`, 'pick a pin that can (docs/gpio.md lists them)'));
    return false;
  }

  private warn(error: ZoomsyncError): void {
    if (this.listenerCount('warning') > 0) this.emit('warning', error);
    else process.emitWarning(error.message);
  }

  private whenReady(): Promise<void> {
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  private settleReady(error?: ZoomsyncError): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}

function checkPin(field: string, pin: number): void {
  if (!Number.isInteger(pin) || pin < 0 || pin > 127) throw new InvalidArgumentError(field, pin, 'an integer 0–127');
}

/** Pins and channels that already have a johnny-five reader on a connection. */
const readers = new WeakMap<object, Set<string>>();

/** True the first time a reader for `key` is asked for on this connection. */
function firstReader(connection: object, key: string): boolean {
  let keys = readers.get(connection);
  if (!keys) readers.set(connection, (keys = new Set()));
  if (keys.has(key)) return false;
  keys.add(key);
  return true;
}
