/** `zoomsync sim --gpio`: a simulated Firmata board on a pty, driven from sim's stdin, seen by `zoomsync gpio` and GpioBoard. */
import { existsSync, lstatSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { GpioBoard } from '../../../hardware/gpio/gpio-board.js';
import { parseSimGpioCommand } from '../../../src/cli/gpio-sim-commands.js';
import { type RunningCli, runCli, startCli } from '../../helpers/cli.js';

const running: { cli: RunningCli; stdin: PassThrough }[] = [];
const boards: GpioBoard[] = [];

afterEach(async () => {
  for (const board of boards.splice(0)) await board.close();
  for (const { cli } of running.splice(0)) {
    cli.interrupt();
    await cli.done;
  }
});

/** `zoomsync sim --gpio ARGS` in-process with a stdin the test types into; resolves with the board's path. */
async function startSim(args: string[] = []) {
  const stdin = new PassThrough();
  const cli = startCli(['sim', '--gpio', ...args], { stdin });
  running.push({ cli, stdin });
  const [line] = await cli.waitForLines(/^gpio  Firmata board/);
  const path = /open: (\S+)$/.exec(line!)![1]!;
  return { cli, path, type: (line: string) => stdin.write(`${line}\n`) };
}

describe('zoomsync sim --gpio', () => {
  it('"alarm 1 on" and "key left" on its stdin reach `zoomsync gpio watch` as an alarm and a K3 press', async () => {
    const sim = await startSim();
    const watch = startCli(['gpio', '--port', sim.path, 'watch']);
    running.push({ cli: watch, stdin: new PassThrough() });
    await watch.waitForLines(/alarm alarm-in inactive/);
    sim.type('alarm 1 on');
    await watch.waitForLines(/alarm alarm-in active/);
    sim.type('key left');
    await watch.waitForLines(/key K3 press/);
    sim.type('key none');
    await watch.waitForLines(/key K3 release/);
    sim.type('alarm 1 off');
    await watch.waitForLines(/alarm alarm-in inactive/, 2);
    expect(sim.cli.stdout()).toMatch(/alarm 1 \(D2\) on/);
  });

  it('"light 0.4" sets A1 to 0.4 V as GpioBoard reads it', async () => {
    const sim = await startSim();
    const board = new GpioBoard({ path: sim.path, referenceVolts: 3.3, onWarning: () => {} });
    boards.push(board);
    await board.open();
    const readings: number[] = [];
    const reached = new Promise<void>((resolve) => {
      board.watchAnalog(1, (volts) => {
        if (volts === undefined) return;
        readings.push(volts);
        if (Math.abs(volts - 0.4) < 0.005) resolve();
      });
    });
    await new Promise<void>((resolve) => board.watchAnalog(1, (volts) => volts !== undefined && resolve()));
    expect(readings.at(-1)).toBeCloseTo(1.5, 2); // the day-bright level sim starts at
    sim.type('light 0.4');
    await reached;
  });

  it('prints output changes as they happen, and all outputs on "outputs"', async () => {
    const sim = await startSim();
    expect(await runCli(['gpio', '--port', sim.path, 'set', 'ir', '40'])).toMatchObject({ code: 0 });
    await sim.cli.waitForLines(/output D9 ir PWM 102 \(40 %\)$/);
    const outputLine = /^\S+  output D\d+ /;
    const changes = sim.cli.stdout().split('\n').filter((line) => outputLine.test(line)).length;
    sim.type('outputs');
    const listed = (await sim.cli.waitForLines(outputLine, changes + 4)).slice(changes);
    expect(listed.map((line) => line.replace(/^\S+  /, ''))).toEqual([
      expect.stringMatching(/^output D4 alarm-out /),
      expect.stringMatching(/^output D7 rs485-dir /),
      expect.stringMatching(/^output D8 factory-reset /),
      'output D9 ir PWM 102 (40 %)',
    ]);
  });

  it('with --json prints the board and each output change as JSON objects', async () => {
    const stdin = new PassThrough();
    const cli = startCli(['sim', '--gpio', '--json'], { stdin });
    running.push({ cli, stdin });
    const [line] = await cli.waitForLines(/"type":"gpio"/);
    const board = JSON.parse(line!) as { path: string; referenceVolts: number };
    expect(board.referenceVolts).toBe(3.3);
    expect(await runCli(['gpio', '--port', board.path, 'set', 'alarm-out', 'on'])).toMatchObject({ code: 0 });
    const changes = (await cli.waitForLines(/"type":"output".*"value":1/)).map((l) => JSON.parse(l));
    expect(changes[0]).toMatchObject({ type: 'output', pin: 4, mode: 'OUTPUT', value: 1, signal: 'alarm-out' });
  });

  it('a bad command is a one-line error on stderr and the sim goes on', async () => {
    const sim = await startSim();
    sim.type('alarm 2 on');
    sim.type('siren on');
    sim.type('light 9');
    sim.type('outputs');
    await sim.cli.waitForLines(/output D9 ir /); // answered after the three bad lines
    const errors = sim.cli.stderr().split('\n').filter((line) => line.startsWith('zoomsync sim: '));
    expect(errors).toEqual([
      'zoomsync sim: no alarm 2: the simulated board has alarm input 1 (D2)',
      expect.stringMatching(/^zoomsync sim: unknown command "siren"; commands: /),
      expect.stringMatching(/^zoomsync sim: light takes a voltage 0–3\.3 /),
    ]);
    const { cli } = running.pop()!;
    cli.interrupt();
    expect((await cli.done).code).toBe(0);
  });

  it('with --link DIR the board is DIR/gpio, a link removed on exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sim-gpio-'));
    try {
      const sim = await startSim(['--link', dir]);
      expect(sim.path).toBe(join(dir, 'gpio'));
      expect(lstatSync(sim.path).isSymbolicLink()).toBe(true);
      const { cli } = running.pop()!;
      cli.interrupt();
      expect((await cli.done).code).toBe(0);
      expect(existsSync(join(dir, 'gpio'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sim --gpio commands (parsing)', () => {
  it.each([
    ['alarm 1 on', { kind: 'alarm', input: 1, closed: true }],
    ['alarm 1 off', { kind: 'alarm', input: 1, closed: false }],
    ['key UP', { kind: 'key', key: 'up', volts: 0 }],
    ['key k3', { kind: 'key', key: 'left', volts: expect.closeTo(0.383, 3) }],
    ['key none', { kind: 'key', key: null, volts: 1.8 }],
    ['light 0.4', { kind: 'light', volts: 0.4 }],
    ['  outputs ', { kind: 'outputs' }],
    ['', { kind: 'blank' }],
  ])('"%s" is %o', (line, command) => {
    expect(parseSimGpioCommand(line, 3.3)).toEqual({ ok: true, command });
  });

  it.each(['alarm 0 on', 'alarm 1 maybe', 'alarm', 'key', 'key up down', 'key siren', 'light', 'light -1', 'light 3.4', 'outputs now', 'zoom 1'])('"%s" is refused with a message', (line) => {
    const result = parseSimGpioCommand(line, 3.3);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toMatch(/\n/);
  });
});
