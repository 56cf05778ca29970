/**
 * Builds the bridge's objects from a parsed pin map: one GpioBoard and, for each signal the map
 * names, its input or output. The one place that knows which class serves which signal.
 */
import { ConfigError } from '../../protocols/errors.js';
import { AdKey } from './adkey.js';
import { AlarmInput } from './alarm-input.js';
import { GpioBoard, type GpioBoardOptions } from './gpio-board.js';
import { LightSensor } from './light-sensor.js';
import { DigitalOutput, DirectionPin, FactoryResetLine, PwmOutput } from './outputs.js';
import { type GpioPinMap, type GpioPinMapInput, gpioPinMapSchema } from './pin-map.js';

export { DEFAULT_PIN_MAP } from './pin-map.js';

export interface GpioSignals {
  board: GpioBoard;
  alarmInputs: AlarmInput[];
  alarmOut: DigitalOutput | undefined;
  adkey: AdKey | undefined;
  light: LightSensor | undefined;
  irPwm: PwmOutput | undefined;
  factoryReset: FactoryResetLine | undefined;
  rs485Direction: DirectionPin | undefined;
}

/** Makes the board and every signal of the map (not opened: call signals.board.open()). */
export function createGpioSignals(
  map: GpioPinMap | GpioPinMapInput,
  options: Omit<GpioBoardOptions, 'path' | 'referenceVolts'> & { log?: (message: string) => void } = {},
): GpioSignals {
  const parsed = gpioPinMapSchema.safeParse(map);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })), 'the GPIO pin map');
  }
  const m = parsed.data;
  const { log, ...boardOptions } = options;
  const board = new GpioBoard({ ...boardOptions, path: m.port, referenceVolts: m.referenceVolts });
  return {
    board,
    alarmInputs: m.alarmInputs.map((input) => new AlarmInput(board, input)),
    alarmOut: m.alarmOut && new DigitalOutput(board, m.alarmOut),
    adkey: m.adkey && new AdKey(board, { ...m.adkey, channel: m.adkey.pin }),
    light: m.light && new LightSensor(board, { ...m.light, channel: m.light.pin }),
    irPwm: m.irPwm && new PwmOutput(board, m.irPwm),
    factoryReset: m.factoryReset && new FactoryResetLine(board, { ...m.factoryReset, ...(log ? { log } : {}) }),
    rs485Direction: m.rs485Direction && new DirectionPin(board, m.rs485Direction),
  };
}
