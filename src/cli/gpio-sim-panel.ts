/**
 * `zoomsync sim --gpio`'s board: a simulated Firmata board wired as the default pin map
 * (docs/gpio.md), with the world outside it set from standard-input commands and its outputs
 * reported as they change.
 */
import { DEFAULT_PIN_MAP, type GpioPinMap, gpioPinMapSchema } from '../../hardware/gpio/pin-map.js';
import type { FirmataBoardSim, OutputChange } from '../../hardware/sim/firmata-board.js';
import { ADKEY_PULL_UP_VOLTS, type SimGpioInput } from './gpio-sim-commands.js';

/** Day-bright light at start (above the default map's dayVolts). */
const START_LIGHT_VOLTS = 1.5;

export class SimGpioPanel {
  readonly map: GpioPinMap;
  private readonly signalOfPin: Map<number, string>;

  constructor(readonly sim: FirmataBoardSim) {
    this.map = gpioPinMapSchema.parse({ ...DEFAULT_PIN_MAP, port: 'sim', referenceVolts: sim.referenceVolts });
    const { alarmOut, rs485Direction, factoryReset, irPwm } = this.map;
    this.signalOfPin = new Map<number, string>([
      ...this.map.alarmInputs.map((input) => [input.pin, `alarm input ${input.name}`] as [number, string]),
      [alarmOut!.pin, 'alarm-out'],
      [rs485Direction!.pin, 'rs485-dir'],
      [factoryReset!.pin, 'factory-reset'],
      [irPwm!.pin, 'ir'],
    ]);
    sim.setVoltage(`A${this.map.adkey!.pin}`, ADKEY_PULL_UP_VOLTS);
    sim.setVoltage(`A${this.map.light!.pin}`, START_LIGHT_VOLTS);
  }

  /** The pins the default map drives, as they are now. */
  outputs(): OutputChange[] {
    const { alarmOut, rs485Direction, factoryReset, irPwm } = this.map;
    return [alarmOut!.pin, rs485Direction!.pin, factoryReset!.pin, irPwm!.pin].map((pin) => this.sim.output(pin));
  }

  signal(pin: number): string | undefined {
    return this.signalOfPin.get(pin);
  }

  /** Sets an input as the command says; returns what was done, or a one-line message when it cannot be. */
  apply(command: SimGpioInput): { ok: true; line: string } | { ok: false; message: string } {
    switch (command.kind) {
      case 'alarm': {
        const input = this.map.alarmInputs[command.input - 1];
        if (!input) return { ok: false, message: `no alarm ${command.input}: the simulated board has alarm input${this.map.alarmInputs.length === 1 ? '' : 's'} ${this.map.alarmInputs.map((a, i) => `${i + 1} (D${a.pin})`).join(', ')}` };
        // A contact to GND closes against the pull-up; open, the pin is left to it.
        const closedLevel = input.activeLevel === 'low' ? 0 : 1;
        if (command.closed) this.sim.setDigitalInput(input.pin, closedLevel);
        else this.sim.releaseDigitalInput(input.pin);
        return { ok: true, line: `alarm ${command.input} (D${input.pin}) ${command.closed ? 'on' : 'off'}` };
      }
      case 'key':
        this.sim.setVoltage(`A${this.map.adkey!.pin}`, command.volts);
        return { ok: true, line: `key ${command.key ?? 'none'} (A${this.map.adkey!.pin} ${command.volts.toFixed(2)} V)` };
      case 'light':
        this.sim.setVoltage(`A${this.map.light!.pin}`, command.volts);
        return { ok: true, line: `light A${this.map.light!.pin} ${command.volts.toFixed(2)} V` };
    }
  }

  /** "output D9 ir PWM 102 (40 %)" */
  describe(change: OutputChange): string {
    const signal = this.signal(change.pin);
    const value = change.value === undefined ? 'not driven' : change.mode === 'PWM' ? `${change.value} (${Math.round((change.value / 255) * 100)} %)` : String(change.value);
    return `output D${change.pin}${signal ? ` ${signal}` : ''} ${change.mode} ${value}`;
  }
}
