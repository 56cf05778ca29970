/**
 * `zoomsync gpio`: the Firmata GPIO board from the command line. `watch` prints input events
 * live (riding out a pulled USB cable); `set` drives one output and returns; `calibrate-keys`
 * records the ADKEY ladder table key by key.
 */
import { readFile } from 'node:fs/promises';
import type { GpioBoard } from '../../../hardware/gpio/gpio-board.js';
import { DEFAULT_PIN_MAP, type GpioPinMap, gpioPinMapSchema } from '../../../hardware/gpio/pin-map.js';
import { ConfigError } from '../../../protocols/errors.js';
import { type CliCommand, type CliIO, flag, parseCommandArgs, type ParsedArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';

const SIGNALS = 'alarm-out on|off|pulse:MS, ir PERCENT, rs485-dir tx|rx, factory-reset pulse (with --confirm)';

export const gpioCommand: CliCommand = {
  name: 'gpio',
  help: `Usage: zoomsync gpio --port PATH [--map FILE] [--json] watch
       zoomsync gpio --port PATH [--map FILE] set SIGNAL VALUE [--confirm]
       zoomsync gpio --port PATH [--map FILE] calibrate-keys [--keys up,down,left,right,enter] [--write FILE]

Talks to a Firmata board (an Arduino-class board running StandardFirmata, on USB) wired to the
J5/J6 connectors of an SZ-G10 as docs/gpio.md shows.

  watch   prints each input event with a timestamp: alarm inputs going active/inactive, ADKEY
          press/hold/release, day/night. A pulled cable is reported, inputs read unknown until the
          board is back, and watching goes on. Ctrl-C ends it.
  set     drives one output and returns: ${SIGNALS}.
          A factory reset erases every setting of the block: it is refused without --confirm.
          (A board that resets when its port opens, such as an Uno, drops the level at the next open.)
  calibrate-keys
          records the ADKEY ladder: measures the idle level, asks for each key in turn (press it and
          hold it until its level is read, then release), and prints the table of voltage windows
          as YAML for the rig file's gpio: section. Keys too close to tell apart are refused
          (exit 1) with what to check. The pin and hysteresis are the pin map's adkey ones.

Options:
  --port PATH         the board's serial device, e.g. /dev/ttyACM0 or /dev/serial/by-id/usb-Arduino_...
  --map FILE          a JSON pin map (see docs/gpio.md); default: the pins docs/gpio.md wires
                      (alarm in D2, ALARM OUT D4, RS-485 direction D7, FACTORY RESET D8, IR PWM D9,
                      ADKEY A0, light A1, a 3.3 V board)
  --confirm           with set factory-reset: yes, reset the block to its factory settings
  --json              one JSON object per line
  --keys K1,K2,...    calibrate-keys: the key names, in the order to press them
                      (default up,down,left,right,enter)
  --write FILE        calibrate-keys: set gpio.adkey (pin, hysteresisVolts, ladder) in the rig file
                      FILE instead of printing it; its comments and other settings are kept

Examples:
  zoomsync gpio --port /dev/ttyACM0 watch
  zoomsync gpio --port /dev/ttyACM0 set ir 40
  zoomsync gpio --port /dev/ttyACM0 set alarm-out pulse:2000
  zoomsync gpio --port /dev/ttyACM0 calibrate-keys --keys up,down,enter --write rig.yaml
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      port: { type: 'string' },
      map: { type: 'string' },
      confirm: { type: 'boolean' },
      json: { type: 'boolean' },
      keys: { type: 'string' },
      write: { type: 'string' },
    });
    const [action, ...rest] = parsed.positionals;
    if (action !== 'watch' && action !== 'set' && action !== 'calibrate-keys') {
      throw new UsageError(action === undefined ? 'say what to do: watch, set SIGNAL VALUE, or calibrate-keys' : `unknown action "${action}": use watch, set or calibrate-keys`);
    }
    if (action !== 'calibrate-keys') {
      for (const option of ['keys', 'write']) if (stringOption(parsed, option) !== undefined) throw new UsageError(`--${option} goes with calibrate-keys, not ${action}`);
    }
    const map = await pinMapOption(parsed);
    if (action === 'calibrate-keys') {
      if (rest.length > 0) throw new UsageError(`calibrate-keys takes no arguments, got "${rest.join(' ')}"`);
      if (flag(parsed, 'json')) throw new UsageError('calibrate-keys talks to a person and prints YAML: leave --json out');
      return calibrate(map, keysOption(parsed), stringOption(parsed, 'write'), io);
    }
    if (action === 'watch') {
      if (rest.length > 0) throw new UsageError(`watch takes no arguments, got "${rest.join(' ')}"`);
      return watch(map, io, flag(parsed, 'json'));
    }
    if (rest.length !== 2) throw new UsageError(`set takes SIGNAL VALUE: ${SIGNALS}`);
    return set(map, rest[0]!, rest[1]!, flag(parsed, 'confirm'), io, flag(parsed, 'json'));
  },
};

async function pinMapOption(parsed: ParsedArgs): Promise<GpioPinMap> {
  const port = stringOption(parsed, 'port');
  if (!port) throw new UsageError('--port PATH is required (the GPIO board, e.g. /dev/ttyACM0)');
  const file = stringOption(parsed, 'map');
  let document: Record<string, unknown> = { ...DEFAULT_PIN_MAP };
  if (file !== undefined) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--map ${file} cannot be read (${error.code ?? error.message})`);
    });
    try {
      document = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError([{ path: '', message: `not JSON: ${(error as Error).message}` }], file);
    }
  }
  const result = gpioPinMapSchema.safeParse({ ...document, port });
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })), file ?? 'the default pin map');
  return result.data;
}

const DEFAULT_KEYS = ['up', 'down', 'left', 'right', 'enter'];
/** Readings that must agree for a level to count: half a second at the board's 20 ms sampling. */
const CALIBRATION_SAMPLES = 25;
/** How long calibrate-keys waits for each press and release. */
const CALIBRATION_TIMEOUT_MS = 60_000;

function keysOption(parsed: ParsedArgs): string[] {
  const text = stringOption(parsed, 'keys');
  if (text === undefined) return DEFAULT_KEYS;
  const keys = text.split(',').map((key) => key.trim());
  const bad = keys.find((key) => !/^[A-Za-z0-9_-]{1,32}$/.test(key));
  if (bad !== undefined) throw new UsageError(`--keys: "${bad}" is not a key name (letters, digits, _ and -, separated by commas: --keys up,down,enter)`);
  const twice = keys.find((key, i) => keys.indexOf(key) !== i);
  if (twice !== undefined) throw new UsageError(`--keys names "${twice}" twice; name each key once`);
  if (keys.length > 16) throw new UsageError(`--keys names ${keys.length} keys; one ADKEY line tells at most 16 apart`);
  return keys;
}

async function calibrate(map: GpioPinMap, keys: string[], writeFile: string | undefined, io: CliIO): Promise<number> {
  if (!map.adkey) throw new UsageError('the pin map has no adkey; add it to the --map file');
  const channel = map.adkey.pin;
  const { hysteresisVolts } = map.adkey;
  const { GpioBoard } = await import('../../../hardware/gpio/gpio-board.js');
  const { calibrateKeys } = await import('../gpio-calibrate-keys.js');
  const { ladderYaml, writeLadderInto } = await import('../gpio-ladder-yaml.js');
  // No reconnecting: a board that goes away mid-calibration makes its samples worthless.
  const board = new GpioBoard({ path: map.port, referenceVolts: map.referenceVolts, reconnect: { enabled: false }, onWarning: (m) => writeLine(io.stderr, `zoomsync: warning: ${m}`) });
  board.on('warning', (error) => writeLine(io.stderr, `zoomsync: warning: ${error.message}`));
  await board.open();
  let result;
  try {
    result = await calibrateKeys({ board, channel, keys, hysteresisVolts, samples: CALIBRATION_SAMPLES, timeoutMs: CALIBRATION_TIMEOUT_MS, say: (line) => writeLine(io.stdout, line), interrupted: io.interrupted });
  } finally {
    await board.close();
  }
  if (!result.ok) {
    for (const problem of result.problems) writeLine(io.stderr, `zoomsync gpio: ${problem}`);
    writeLine(io.stderr, 'zoomsync gpio: no table made; fix the above and calibrate again');
    return 1;
  }
  const calibrated = { channel, hysteresisVolts, ladder: result.ladder };
  if (writeFile !== undefined) {
    await writeLadderInto(writeFile, map.port, calibrated);
    writeLine(io.stdout, `wrote gpio.adkey (A${channel}, ${result.ladder.length} keys) into ${writeFile}`);
  } else {
    writeLine(io.stdout, '# the ADKEY ladder for the rig file (docs/gpio.md):');
    io.stdout.write(ladderYaml(calibrated));
  }
  return 0;
}

function printer(io: CliIO, json: boolean) {
  return (type: string, text: string, fields: Record<string, unknown> = {}) => {
    const time = new Date().toISOString();
    writeLine(io.stdout, json ? JSON.stringify({ time, type, ...fields }) : `${time}  ${text}`);
  };
}

// johnny-five and firmata-io load only when a gpio command runs: the other commands start faster.
const loadBridge = async () => ({
  ...(await import('../../../hardware/gpio/gpio-board.js')),
  ...(await import('../../../hardware/gpio/alarm-input.js')),
  ...(await import('../../../hardware/gpio/adkey.js')),
  ...(await import('../../../hardware/gpio/light-sensor.js')),
  ...(await import('../../../hardware/gpio/outputs.js')),
});
type Bridge = Awaited<ReturnType<typeof loadBridge>>;

async function watch(map: GpioPinMap, io: CliIO, json: boolean): Promise<number> {
  const { GpioBoard, AlarmInput, AdKey, LightSensor } = await loadBridge();
  const print = printer(io, json);
  const board = new GpioBoard({ path: map.port, referenceVolts: map.referenceVolts, onWarning: (m) => writeLine(io.stderr, `zoomsync: warning: ${m}`) });
  board.on('warning', (error) => writeLine(io.stderr, `zoomsync: warning: ${error.message}`));
  board.on('lost', (cause) => print('lost', `board lost (${cause.message}); inputs unknown until it returns`, { message: cause.message }));
  board.on('reconnecting', ({ attempt, delayMs }) => print('reconnecting', `retry ${attempt} in ${delayMs} ms`, { attempt, delayMs }));
  board.on('ready', ({ firmware, reconnected }) => print('ready', `board ${reconnected ? 'back' : 'ready'} (${firmware})`, { firmware, reconnected }));

  const closers: (() => void)[] = [];
  for (const options of map.alarmInputs) {
    const input = new AlarmInput(board, options);
    for (const event of ['active', 'inactive'] as const) input.on(event, ({ name }) => print('alarm', `alarm ${name} ${event}`, { name, event }));
    input.on('unknown', ({ name }) => print('alarm', `alarm ${name} unknown`, { name, event: 'unknown' }));
    closers.push(() => input.close());
  }
  if (map.adkey) {
    const keys = new AdKey(board, { ...map.adkey, channel: map.adkey.pin });
    keys.on('press', ({ key }) => print('key', `key ${key} press`, { key, event: 'press' }));
    keys.on('hold', ({ key, count }) => print('key', `key ${key} hold ${count}`, { key, event: 'hold', count }));
    keys.on('release', ({ key, lost }) => print('key', `key ${key} release${lost ? ' (board lost)' : ''}`, { key, event: 'release', lost }));
    closers.push(() => keys.close());
  }
  if (map.light) {
    const light = new LightSensor(board, { ...map.light, channel: map.light.pin });
    for (const event of ['day', 'night'] as const) light.on(event, ({ volts }) => print('light', `${event} (${volts.toFixed(2)} V)`, { event, volts }));
    closers.push(() => light.close());
  }
  await board.open();
  if (!json) writeLine(io.stderr, `watching ${board.path}; Ctrl-C to stop`);
  await io.interrupted;
  for (const close of closers) close();
  await board.close();
  return 0;
}

async function set(map: GpioPinMap, signal: string, value: string, confirm: boolean, io: CliIO, json: boolean): Promise<number> {
  const print = printer(io, json);
  const bridge = await loadBridge();
  const { GpioBoard } = bridge;
  const board = new GpioBoard({ path: map.port, referenceVolts: map.referenceVolts, reconnect: { enabled: false }, onWarning: (m) => writeLine(io.stderr, `zoomsync: warning: ${m}`) });
  board.on('warning', (error) => writeLine(io.stderr, `zoomsync: warning: ${error.message}`));
  // Check the request before touching the board.
  const act = plan(bridge, map, board, signal, value, confirm, (line) => writeLine(io.stderr, line));
  await board.open();
  try {
    await act();
  } finally {
    await board.close();
  }
  print('set', `${signal} ${value}`, { signal, value });
  return 0;
}

function plan(bridge: Bridge, map: GpioPinMap, board: GpioBoard, signal: string, value: string, confirm: boolean, log: (line: string) => void): () => Promise<void> {
  const { DigitalOutput, PwmOutput, DirectionPin, FactoryResetLine } = bridge;
  const needs = <T>(entry: T | undefined, name: string): T => {
    if (entry === undefined) throw new UsageError(`the pin map has no ${name}; add it to the --map file`);
    return entry;
  };
  switch (signal) {
    case 'alarm-out': {
      const options = needs(map.alarmOut, 'alarmOut');
      const pulse = /^pulse:(\d+)$/.exec(value);
      if (value !== 'on' && value !== 'off' && !pulse) throw new UsageError(`alarm-out takes on, off or pulse:MS, got "${value}"`);
      const ms = pulse ? parseInteger('pulse', pulse[1], 1, 3_600_000) : 0;
      return async () => {
        const out = new DigitalOutput(board, options);
        await (value === 'on' ? out.on() : value === 'off' ? out.off() : out.pulse(ms));
      };
    }
    case 'ir': {
      const options = needs(map.irPwm, 'irPwm');
      const percent = parseInteger('ir PERCENT', value.replace(/%$/, ''), 0, 100);
      return async () => new PwmOutput(board, options).set(percent);
    }
    case 'rs485-dir': {
      const options = needs(map.rs485Direction, 'rs485Direction');
      if (value !== 'tx' && value !== 'rx') throw new UsageError(`rs485-dir takes tx or rx, got "${value}"`);
      return async () => new DirectionPin(board, options).setTransmit(value === 'tx');
    }
    case 'factory-reset': {
      const options = needs(map.factoryReset, 'factoryReset');
      if (value !== 'pulse') throw new UsageError(`factory-reset takes pulse, got "${value}"`);
      if (!confirm) {
        log(`${new Date().toISOString()} factory reset REFUSED (pin ${options.pin}, by zoomsync gpio): no --confirm`);
        throw new UsageError('a factory reset erases every setting of the block; add --confirm to mean it');
      }
      return async () => new FactoryResetLine(board, { ...options, log }).reset({ confirm: true, by: 'zoomsync gpio' });
    }
    default:
      throw new UsageError(`unknown signal "${signal}": ${SIGNALS}`);
  }
}
