/** `zoomsync gpio calibrate-keys` against the simulated Firmata board on a pty, with the real johnny-five. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GpioBoard } from '../../../hardware/gpio/gpio-board.js';
import { LadderClassifier, type LadderWindow } from '../../../hardware/gpio/ladder.js';
import { FirmataBoardSim } from '../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { calibrateKeys, type CalibrateKeysOptions } from '../../../src/cli/gpio-calibrate-keys.js';
import { parseRigConfig } from '../../../src/config/loader.js';
import { type RunningCli, startCli } from '../../helpers/cli.js';

const IDLE_VOLTS = 1.8;

let pair: PtyPair;
let sim: FirmataBoardSim;
let dir: string;

beforeEach(async () => {
  pair = await PtyPair.open();
  sim = await FirmataBoardSim.open(pair.devicePath);
  sim.setVoltage('A0', IDLE_VOLTS);
  dir = await mkdtemp(join(tmpdir(), 'zs-calibrate-'));
});

afterEach(async () => {
  await sim.close();
  await pair.close();
  await rm(dir, { recursive: true, force: true });
});

/** Plays the technician: presses each key (sets its voltage on A0) when asked, releases when told. */
async function pressWhenAsked(cli: RunningCli, presses: [string, number][]): Promise<void> {
  await cli.waitForLines(/^idle: 1\.80 V \(25 samples, spread 0\.00 V\)$/);
  for (const [i, [key, volts]] of presses.entries()) {
    await cli.waitForLines(new RegExp(`^press ${key.toUpperCase()} and hold it`));
    sim.setVoltage('A0', volts);
    await cli.waitForLines(/^got .*; release$/, i + 1);
    sim.setVoltage('A0', IDLE_VOLTS);
  }
}

const classify = (ladder: LadderWindow[], h: number, volts: number) => new LadderClassifier(ladder, h).classify(volts);

describe('zoomsync gpio calibrate-keys', () => {
  it('prints a table that classifies each key at the voltage it was pressed at, and idle as no key', async () => {
    const presses: [string, number][] = [['up', 0.62], ['down', 0.16], ['left', 0.38], ['right', 1.08], ['enter', 0.0]];
    const cli = startCli(['gpio', '--port', pair.controllerPath, 'calibrate-keys']);
    await pressWhenAsked(cli, presses);
    const { code, stdout } = await cli.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^got 0\.62 V \(25 samples, spread 0\.00 V\); release$/m);
    const { gpio } = parse(stdout.slice(stdout.indexOf('gpio:'))) as { gpio: { adkey: { pin: string; hysteresisVolts: number; ladder: LadderWindow[] } } };
    expect(gpio.adkey.pin).toBe('A0');
    expect(gpio.adkey.ladder.map((w) => w.key)).toEqual(['enter', 'down', 'left', 'up', 'right']); // low to high
    for (const [key, volts] of presses) expect(classify(gpio.adkey.ladder, gpio.adkey.hysteresisVolts, volts)).toBe(key);
    expect(classify(gpio.adkey.ladder, gpio.adkey.hysteresisVolts, IDLE_VOLTS)).toBeNull();
  });

  it('refuses keys too close to tell apart (exit 1), naming both and what to check', async () => {
    const cli = startCli(['gpio', '--port', pair.controllerPath, 'calibrate-keys', '--keys', 'up,down']);
    await pressWhenAsked(cli, [['up', 0.62], ['down', 0.65]]);
    const { code, stdout, stderr } = await cli.done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/up \(0\.62 V\) and down \(0\.65 V\) are too close to tell apart.*check the resistor values and the wiring/);
    expect(stdout).not.toMatch(/ladder:/);
  });

  it('--write sets gpio.adkey in a rig file, keeping its comments and other settings, and the file still loads', async () => {
    const file = join(dir, 'rig.yaml');
    await writeFile(
      file,
      [
        '# the test rig',
        'lines: [{ name: bus1, port: /dev/ttyUSB0 }]',
        'blocks:',
        '  - { name: left, line: bus1, address: 1 }',
        'gpio:',
        '  port: /dev/ttyACM9     # the Firmata board',
        '  adkey:',
        '    pin: A0',
        '    block: left',
        '    ladder:',
        '      - { key: old, minVolts: 0.1, maxVolts: 0.25 }',
        '',
      ].join('\n'),
    );
    const cli = startCli(['gpio', '--port', pair.controllerPath, 'calibrate-keys', '--keys', 'tele,wide', '--write', file]);
    await pressWhenAsked(cli, [['tele', 0.16], ['wide', 0.69]]);
    const { code, stdout } = await cli.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/wrote gpio\.adkey \(A0, 2 keys\)/);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# the test rig$/m);
    expect(text).toMatch(/port: \/dev\/ttyACM9 +# the Firmata board/);
    expect(text).toMatch(/- \{ key: tele, minVolts: [\d.]+, maxVolts: [\d.]+ \}/);
    const rig = parseRigConfig(text, file);
    const adkey = rig.gpio!.adkey!;
    expect(adkey.block).toBe('left');
    expect(adkey.ladder.map((w) => w.key)).toEqual(['tele', 'wide']);
    expect(classify(adkey.ladder, adkey.hysteresisVolts, 0.16)).toBe('tele');
    expect(classify(adkey.ladder, adkey.hysteresisVolts, 0.69)).toBe('wide');
  });

  it('bad --keys are one-line usage errors before the board is opened', async () => {
    const twice = await startCli(['gpio', '--port', '/nonexistent', 'calibrate-keys', '--keys', 'up,up']).done;
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--keys names "up" twice/);
    const misplaced = await startCli(['gpio', '--port', '/nonexistent', 'watch', '--keys', 'up']).done;
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/--keys goes with calibrate-keys/);
  });
});

describe('calibrateKeys (the interactive part, on GpioBoard)', () => {
  async function openBoard() {
    const board = new GpioBoard({ path: pair.controllerPath, referenceVolts: 3.3, reconnect: { enabled: false }, onWarning: () => {} });
    await board.open();
    return board;
  }
  const run = (board: GpioBoard, said: string[], overrides: Partial<CalibrateKeysOptions> = {}) =>
    calibrateKeys({ board, channel: 0, keys: ['up'], hysteresisVolts: 0.015, samples: 5, timeoutMs: 60_000, say: (line) => said.push(line), interrupted: new Promise(() => {}), ...overrides });

  it('a key never pressed ends the run with ZS_REPLY_TIMEOUT naming the key', async () => {
    const board = await openBoard();
    try {
      await expect(run(board, [], { timeoutMs: 300 })).rejects.toMatchObject({ code: 'ZS_REPLY_TIMEOUT', message: expect.stringMatching(/for UP to be pressed \(the line stayed near idle, 1\.80 V/) });
    } finally {
      await board.close();
    }
  });

  it('Ctrl-C while waiting for a key ends it with ZS_CANCELLED', async () => {
    const board = await openBoard();
    let interrupt!: () => void;
    const said: string[] = [];
    const calibration = run(board, said, { interrupted: new Promise<void>((resolve) => (interrupt = resolve)) }).catch((error: unknown) => error);
    try {
      while (!said.some((line) => line.startsWith('press UP'))) await new Promise((resolve) => setTimeout(resolve, 20));
      interrupt();
      expect(await calibration).toMatchObject({ code: 'ZS_CANCELLED' });
    } finally {
      await board.close();
    }
  });

  it('a board pulled during calibration ends it with ZS_LINE_CLOSED', async () => {
    const board = await openBoard();
    const said: string[] = [];
    const calibration = run(board, said).catch((error: unknown) => error);
    try {
      while (!said.some((line) => line.startsWith('press UP'))) await new Promise((resolve) => setTimeout(resolve, 20));
      await pair.unplug();
      await sim.detach();
      expect(await calibration).toMatchObject({ code: 'ZS_LINE_CLOSED' });
    } finally {
      await board.close();
    }
  });
});
