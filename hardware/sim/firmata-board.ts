/**
 * A Firmata board on a pty that answers as an Arduino Uno running StandardFirmata 2.5 does:
 * it announces its protocol version and firmware at power-on and on request, answers the
 * capability, analog-mapping and pin-state queries, takes pin modes (ignoring a mode the pin
 * cannot do, as the firmware does), reports a digital port when one of its inputs changes and
 * every enabled analog channel at the sampling interval, and drives outputs and PWM.
 *
 * Tests stand for the world outside the board: they set input levels and voltages, and read the
 * outputs (an 'output' event fires when one changes). A pulled USB cable is `detach()` (the pty
 * vanishes) and a replug is `attach(path)`: the board powers up afresh (modes and reporting reset),
 * the outside world (levels, voltages) stays as it was.
 *
 * @example
 *   const pair = await PtyPair.open();
 *   const sim = await FirmataBoardSim.open(pair.devicePath);
 *   sim.setVoltage('A0', 0.4);               // press an ADKEY key
 *   sim.setDigitalInput(2, 0);               // close an alarm contact
 *   sim.on('output', ({ pin, value }) => …); // ALARM OUT, IR PWM, FACTORY RESET
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { InvalidArgumentError, PortOpenFailedError } from '../../protocols/errors.js';

/** Firmata pin modes (firmata protocol, "pin modes"). */
export const PIN_MODE = { INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, SERVO: 0x04, PULLUP: 0x0b } as const;
export type PinModeName = keyof typeof PIN_MODE;

const DIGITAL_MESSAGE = 0x90;
const ANALOG_MESSAGE = 0xe0;
const REPORT_ANALOG = 0xc0;
const REPORT_DIGITAL = 0xd0;
const SET_PIN_MODE = 0xf4;
const SET_DIGITAL_PIN_VALUE = 0xf5;
const REPORT_VERSION = 0xf9;
const SYSTEM_RESET = 0xff;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const PIN_STATE_QUERY = 0x6d;
const PIN_STATE_RESPONSE = 0x6e;
const EXTENDED_ANALOG = 0x6f;
const STRING_DATA = 0x71;
const REPORT_FIRMWARE = 0x79;
const SAMPLING_INTERVAL = 0x7a;

const PROTOCOL_VERSION = [2, 5] as const;
const FIRMWARE_NAME = 'StandardFirmata.ino';
const ADC_BITS = 10;
const ADC_MAX = (1 << ADC_BITS) - 1;
const PWM_BITS = 8;
const MINIMUM_SAMPLING_INTERVAL_MS = 1;
const DEFAULT_SAMPLING_INTERVAL_MS = 19;

interface PinSpec {
  modes: Map<number, number>; // mode -> resolution
  analogChannel: number | undefined;
}

/** The Uno's pins as StandardFirmata describes them: 0 and 1 are the serial link, 14–19 are A0–A5. */
function unoPins(): PinSpec[] {
  const pwm = new Set([3, 5, 6, 9, 10, 11]);
  return Array.from({ length: 20 }, (_, pin) => {
    const modes = new Map<number, number>();
    if (pin >= 2) {
      modes.set(PIN_MODE.INPUT, 1).set(PIN_MODE.OUTPUT, 1).set(PIN_MODE.PULLUP, 1);
      if (pwm.has(pin)) modes.set(PIN_MODE.PWM, PWM_BITS);
      if (pin < 14) modes.set(PIN_MODE.SERVO, 14);
      if (pin >= 14) modes.set(PIN_MODE.ANALOG, ADC_BITS);
    }
    return { modes, analogChannel: pin >= 14 ? pin - 14 : undefined };
  });
}

export interface FirmataBoardSimOptions {
  /** The ADC's reference (and the board's logic) voltage: 3.3 for a 3.3 V board, 5 for an Uno. Default 3.3. */
  referenceVolts?: number;
}

export interface OutputChange {
  pin: number;
  mode: PinModeName;
  /** OUTPUT: 0 or 1. PWM: duty 0–255. INPUT/PULLUP: undefined (the pin is not driven). */
  value: number | undefined;
}

export interface FirmataBoardSimEvents {
  output: [OutputChange];
  attached: [];
  detached: [];
}

interface PinState {
  mode: number;
  /** Output level, PWM duty, or for INPUT the pull-up flag StandardFirmata keeps in the pin state. */
  state: number;
}

export class FirmataBoardSim extends EventEmitter<FirmataBoardSimEvents> {
  readonly referenceVolts: number;
  /** Messages the firmware would not act on (a mode the pin lacks, an unknown command), for strictness tests. */
  readonly problems: string[] = [];
  private readonly spec = unoPins();
  private pins: PinState[] = [];
  private reportPorts = new Set<number>();
  private reportChannels = new Set<number>();
  private lastPortValue = new Map<number, number>();
  private samplingIntervalMs = DEFAULT_SAMPLING_INTERVAL_MS;
  private sampler: NodeJS.Timeout | undefined;
  private port: SerialPort | undefined;
  private parser: number[] = [];
  // The world outside the board: what is wired to the pins.
  private readonly externalLevels = new Map<number, 0 | 1>();
  private readonly voltages = new Map<number, number>();

  private constructor(options: FirmataBoardSimOptions) {
    super();
    const volts = options.referenceVolts ?? 3.3;
    if (!Number.isFinite(volts) || volts <= 0 || volts > 5) throw new InvalidArgumentError('referenceVolts', volts, 'a voltage above 0 and at most 5');
    this.referenceVolts = volts;
    this.powerUp();
  }

  /** A board powered up and plugged in at `devicePath` (the simulator end of a PtyPair). */
  static async open(devicePath: string, options: FirmataBoardSimOptions = {}): Promise<FirmataBoardSim> {
    const sim = new FirmataBoardSim(options);
    await sim.attach(devicePath);
    return sim;
  }

  get attached(): boolean {
    return this.port !== undefined;
  }

  /** Plugs the board in (again): it powers up afresh and announces itself, as StandardFirmata's setup() does. */
  async attach(devicePath: string): Promise<void> {
    if (this.port) return;
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path: devicePath, baudRate: 57600, autoOpen: false });
      p.open((error) => (error ? reject(new PortOpenFailedError(devicePath, `simulated Firmata board cannot open ${devicePath}: ${error.message}`, { cause: error })) : resolve(p)));
    });
    port.on('error', () => {}); // a vanished pty surfaces as 'close'
    port.on('close', () => this.detach());
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    this.port = port;
    this.powerUp();
    this.startSampling();
    this.sendVersion();
    this.sendFirmware();
    this.emit('attached');
  }

  /** Unplugs the board: its end of the pty closes and it stops reporting. */
  async detach(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.port = undefined;
    clearInterval(this.sampler);
    this.sampler = undefined;
    port.removeAllListeners('data');
    port.removeAllListeners('close');
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.emit('detached');
  }

  async close(): Promise<void> {
    await this.detach();
  }

  // ---- the outside world ----

  /** Drives a digital input from outside (a contact to GND is 0). */
  setDigitalInput(pin: number, level: 0 | 1): void {
    this.digitalPin(pin);
    this.externalLevels.set(pin, level);
    this.checkDigitalInputs();
  }

  /** Leaves the input undriven: it reads 1 with the pull-up on, 0 without. */
  releaseDigitalInput(pin: number): void {
    this.digitalPin(pin);
    this.externalLevels.delete(pin);
    this.checkDigitalInputs();
  }

  /** A contact that bounces: `toggles` level changes `intervalMs` apart, ending at `level`. */
  async bounce(pin: number, level: 0 | 1, toggles = 6, intervalMs = 2): Promise<void> {
    let current: 0 | 1 = toggles % 2 === 0 ? level : level === 1 ? 0 : 1;
    for (let i = 0; i < toggles; i++) {
      this.setDigitalInput(pin, current);
      current = current === 1 ? 0 : 1;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    this.setDigitalInput(pin, level);
  }

  /** Sets the voltage on an analog pin ('A0' or its pin number 14); clamped to 0–referenceVolts by the ADC. */
  setVoltage(pin: number | string, volts: number): void {
    if (!Number.isFinite(volts)) throw new InvalidArgumentError('volts', volts, 'a finite voltage');
    this.voltages.set(this.analogChannelOf(pin), volts);
  }

  /** What the ADC reads on a channel, 0–1023. */
  adcReading(channel: number): number {
    const volts = this.voltages.get(channel) ?? 0;
    return Math.max(0, Math.min(ADC_MAX, Math.round((volts / this.referenceVolts) * ADC_MAX)));
  }

  /** A pin as the outside world sees it. */
  output(pin: number): OutputChange {
    const state = this.pins[this.digitalPin(pin)]!;
    return { pin, mode: modeName(state.mode), value: drivenValue(state) };
  }

  get samplingInterval(): number {
    return this.samplingIntervalMs;
  }

  // ---- the firmware ----

  private powerUp(): void {
    this.pins = this.spec.map((spec) => ({ mode: spec.analogChannel !== undefined ? PIN_MODE.ANALOG : PIN_MODE.OUTPUT, state: 0 }));
    this.reportPorts.clear();
    this.reportChannels.clear();
    this.lastPortValue.clear();
    this.parser = [];
  }

  private startSampling(): void {
    clearInterval(this.sampler);
    this.sampler = setInterval(() => {
      for (const channel of this.reportChannels) {
        const pin = this.pinOfChannel(channel);
        if (pin !== undefined && this.pins[pin]!.mode === PIN_MODE.ANALOG) this.sendAnalog(channel);
      }
    }, this.samplingIntervalMs);
  }

  private receive(chunk: Buffer): void {
    for (const byte of chunk) {
      if (this.parser.length === 0 && byte < 0x80) {
        this.problems.push(`stray data byte 0x${byte.toString(16)}`);
        continue;
      }
      if (byte >= 0x80 && byte !== END_SYSEX && this.parser.length > 0 && this.parser[0] !== START_SYSEX) {
        this.problems.push(`message 0x${this.parser[0]!.toString(16)} cut short`);
        this.parser = [];
      }
      this.parser.push(byte);
      this.tryMessage();
    }
  }

  private tryMessage(): void {
    const p = this.parser;
    const command = p[0]!;
    if (command === START_SYSEX) {
      if (p[p.length - 1] === END_SYSEX) {
        this.parser = [];
        this.sysex(p[1], p.slice(2, -1));
      }
      return;
    }
    const type = command < 0xf0 ? command & 0xf0 : command;
    const channel = command & 0x0f;
    const need = type === REPORT_VERSION || type === SYSTEM_RESET ? 1 : type === REPORT_ANALOG || type === REPORT_DIGITAL ? 2 : 3;
    if (p.length < need) return;
    this.parser = [];
    switch (type) {
      case REPORT_VERSION:
        return this.sendVersion();
      case SYSTEM_RESET:
        return this.systemReset();
      case REPORT_ANALOG:
        return this.reportAnalog(channel, p[1]!);
      case REPORT_DIGITAL:
        return this.reportDigital(channel, p[1]!);
      case SET_PIN_MODE:
        return this.setPinMode(p[1]!, p[2]!);
      case SET_DIGITAL_PIN_VALUE:
        return this.writeDigitalPin(p[1]!, p[2]! ? 1 : 0);
      case DIGITAL_MESSAGE:
        return this.digitalMessage(channel, p[1]! | (p[2]! << 7));
      case ANALOG_MESSAGE:
        return this.analogWrite(channel, p[1]! | (p[2]! << 7));
      default:
        this.problems.push(`unknown command 0x${command.toString(16)}`);
    }
  }

  private sysex(command: number | undefined, data: number[]): void {
    switch (command) {
      case REPORT_FIRMWARE:
        return this.sendFirmware();
      case CAPABILITY_QUERY:
        return this.send([START_SYSEX, CAPABILITY_RESPONSE, ...this.spec.flatMap((pin) => [...[...pin.modes].flat(), 0x7f]), END_SYSEX]);
      case ANALOG_MAPPING_QUERY:
        return this.send([START_SYSEX, ANALOG_MAPPING_RESPONSE, ...this.spec.map((pin) => pin.analogChannel ?? 0x7f), END_SYSEX]);
      case PIN_STATE_QUERY: {
        const pin = data[0];
        if (pin === undefined || pin >= this.pins.length) return; // the firmware answers only for pins it has
        const state = this.pins[pin]!;
        return this.send([START_SYSEX, PIN_STATE_RESPONSE, pin, state.mode, ...sevenBitChunks(state.state), END_SYSEX]);
      }
      case SAMPLING_INTERVAL: {
        const interval = (data[0] ?? 0) | ((data[1] ?? 0) << 7);
        this.samplingIntervalMs = Math.max(MINIMUM_SAMPLING_INTERVAL_MS, interval);
        if (this.port) this.startSampling();
        return;
      }
      case EXTENDED_ANALOG: {
        const [pin = 0, ...bytes] = data;
        return this.analogWrite(pin, bytes.reduce((value, b, i) => value | (b << (7 * i)), 0));
      }
      default:
        this.problems.push(`unsupported sysex 0x${(command ?? 0).toString(16)}`);
    }
  }

  private setPinMode(pin: number, mode: number): void {
    const spec = this.spec[pin];
    if (!spec || !spec.modes.has(mode)) {
      // StandardFirmata's setPinModeCallback checks IS_PIN_* per mode and does nothing otherwise.
      this.problems.push(`pin ${pin} cannot be put in mode 0x${mode.toString(16)}`);
      if (![...Object.values(PIN_MODE)].includes(mode as never)) this.sendString('Unknown pin mode');
      return;
    }
    const state = this.pins[pin]!;
    if (state.mode === PIN_MODE.ANALOG && mode !== PIN_MODE.ANALOG && spec.analogChannel !== undefined) {
      this.reportChannels.delete(spec.analogChannel); // the firmware stops reporting a pin that is no longer analog
    }
    if (state.mode === mode) return; // setting the mode a pin already has changes nothing
    state.mode = mode;
    if (mode === PIN_MODE.PWM) state.state = 0;
    if (mode === PIN_MODE.PULLUP) state.state = 1;
    if (mode === PIN_MODE.INPUT) state.state = 0;
    this.emitOutput(pin); // the pin starts or stops driving, or changes how
    this.checkDigitalInputs();
  }

  private digitalMessage(port: number, bits: number): void {
    for (let i = 0; i < 8; i++) {
      const pin = port * 8 + i;
      const state = this.pins[pin];
      if (!state || !this.spec[pin]!.modes.has(PIN_MODE.INPUT)) continue;
      const value = (bits >> i) & 1;
      if (state.mode === PIN_MODE.OUTPUT) this.setOutput(pin, value);
      else if (state.mode === PIN_MODE.INPUT && value === 1 && state.state !== 1) {
        // StandardFirmata keeps writing 1 to an INPUT pin as the old way to turn its pull-up on.
        state.mode = PIN_MODE.PULLUP;
        state.state = 1;
        this.checkDigitalInputs();
      }
    }
  }

  private writeDigitalPin(pin: number, value: number): void {
    const state = this.pins[pin];
    if (!state) return;
    if (state.mode === PIN_MODE.OUTPUT) this.setOutput(pin, value);
    else if (state.mode === PIN_MODE.INPUT || state.mode === PIN_MODE.PULLUP) {
      state.mode = value ? PIN_MODE.PULLUP : PIN_MODE.INPUT;
      state.state = value;
      this.checkDigitalInputs();
    }
  }

  private setOutput(pin: number, value: number): void {
    const state = this.pins[pin]!;
    if (state.state === value) return;
    state.state = value;
    this.emitOutput(pin);
  }

  private analogWrite(pin: number, value: number): void {
    const state = this.pins[pin];
    if (!state || (state.mode !== PIN_MODE.PWM && state.mode !== PIN_MODE.SERVO)) {
      this.problems.push(`analog write to pin ${pin}, which is not in PWM or SERVO mode`);
      return;
    }
    const duty = state.mode === PIN_MODE.PWM ? Math.min(value, (1 << PWM_BITS) - 1) : value;
    if (state.state === duty) return;
    state.state = duty;
    this.emitOutput(pin);
  }

  private reportAnalog(channel: number, enable: number): void {
    if (this.pinOfChannel(channel) === undefined) return;
    if (enable) {
      this.reportChannels.add(channel);
      this.sendAnalog(channel); // StandardFirmata sends the value at once when reporting is switched on
    } else {
      this.reportChannels.delete(channel);
    }
  }

  private reportDigital(port: number, enable: number): void {
    if (enable) {
      this.reportPorts.add(port);
      this.sendPort(port, true);
    } else {
      this.reportPorts.delete(port);
    }
  }

  /** StandardFirmata checks its inputs every loop: a changed port is sent at once. */
  private checkDigitalInputs(): void {
    for (const port of this.reportPorts) this.sendPort(port, false);
  }

  private sendPort(port: number, force: boolean): void {
    let bits = 0;
    for (let i = 0; i < 8; i++) {
      const pin = port * 8 + i;
      const state = this.pins[pin];
      if (!state || (state.mode !== PIN_MODE.INPUT && state.mode !== PIN_MODE.PULLUP)) continue;
      const level = this.externalLevels.get(pin) ?? (state.mode === PIN_MODE.PULLUP ? 1 : 0);
      bits |= level << i;
    }
    if (!force && this.lastPortValue.get(port) === bits) return;
    this.lastPortValue.set(port, bits);
    this.send([DIGITAL_MESSAGE | port, bits & 0x7f, (bits >> 7) & 0x7f]);
  }

  private sendAnalog(channel: number): void {
    const value = this.adcReading(channel);
    this.send([ANALOG_MESSAGE | channel, value & 0x7f, (value >> 7) & 0x7f]);
  }

  private systemReset(): void {
    const before = this.pins.map(drivenValue);
    this.powerUp();
    this.pins.forEach((state, pin) => {
      if (drivenValue(state) !== before[pin]) this.emitOutput(pin);
    });
  }

  private sendVersion(): void {
    this.send([REPORT_VERSION, PROTOCOL_VERSION[0], PROTOCOL_VERSION[1]]);
  }

  private sendFirmware(): void {
    const name = [...Buffer.from(FIRMWARE_NAME, 'ascii')].flatMap((c) => [c & 0x7f, (c >> 7) & 0x7f]);
    this.send([START_SYSEX, REPORT_FIRMWARE, PROTOCOL_VERSION[0], PROTOCOL_VERSION[1], ...name, END_SYSEX]);
  }

  private sendString(text: string): void {
    const bytes = [...Buffer.from(text, 'ascii')].flatMap((c) => [c & 0x7f, (c >> 7) & 0x7f]);
    this.send([START_SYSEX, STRING_DATA, ...bytes, END_SYSEX]);
  }

  private send(bytes: number[]): void {
    this.port?.write(Buffer.from(bytes));
  }

  private emitOutput(pin: number): void {
    this.emit('output', this.output(pin));
  }

  private digitalPin(pin: number): number {
    if (!Number.isInteger(pin) || pin < 2 || pin >= this.spec.length) throw new InvalidArgumentError('pin', pin, `a pin 2–${this.spec.length - 1} (0 and 1 carry the serial link)`);
    return pin;
  }

  private analogChannelOf(pin: number | string): number {
    const match = typeof pin === 'string' ? /^A(\d+)$/i.exec(pin) : null;
    const channel = match ? Number(match[1]) : typeof pin === 'number' ? this.spec[pin]?.analogChannel : undefined;
    if (channel === undefined || this.pinOfChannel(channel) === undefined) throw new InvalidArgumentError('analog pin', pin, 'A0–A5 (pins 14–19)');
    return channel;
  }

  private pinOfChannel(channel: number): number | undefined {
    const pin = this.spec.findIndex((spec) => spec.analogChannel === channel);
    return pin < 0 ? undefined : pin;
  }
}

function drivenValue(state: PinState): number | undefined {
  return state.mode === PIN_MODE.OUTPUT || state.mode === PIN_MODE.PWM || state.mode === PIN_MODE.SERVO ? state.state : undefined;
}

function modeName(mode: number): PinModeName {
  return (Object.keys(PIN_MODE) as PinModeName[]).find((name) => PIN_MODE[name] === mode) ?? 'INPUT';
}

function sevenBitChunks(value: number): number[] {
  const bytes = [value & 0x7f];
  for (let rest = value >> 7; rest > 0; rest >>= 7) bytes.push(rest & 0x7f);
  return bytes;
}
