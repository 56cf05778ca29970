/** `zoomsync calibrate` against simulated blocks with different lenses, from a rig file written in the test. */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { encode, SZ_G10_PROFILE, toHex } from '../../../protocols/pelco/index.js';
import { createCalibrateCommand } from '../../../src/cli/commands/calibrate.js';
import { stopCommand } from '../../../src/cli/commands/stop.js';
import { loadRigConfig } from '../../../src/config/index.js';
import { runCli } from '../../helpers/cli.js';
import { until } from '../devices/block-rig.js';
import { openRigBench, type RigBench } from './rig-bench.js';
import { startCommand } from './run-command.js';

// left has a lens that is slow to magnify and then fast; right is the SZ-G10's own x1-x10.
const LEFT_OPTICS = [[0, 1], [500, 2], [1000, 20]] as const;

const RIG = `# the test rig
lines:
  - { name: bus1, port: $LINE0 }   # both blocks on one pair
blocks:
  - name: left
    line: bus1
    address: 1        # camera 1
  - { name: right, line: bus1, address: 2, limits: { zoom: [100, 900] } }
groups:
  - { name: pair, members: [left, right] }
`;

const calibrate = createCalibrateCommand({ settlePollMs: 20 });

let bench: RigBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

async function twoLenses(leftTravel?: number): Promise<string> {
  bench = await openRigBench(1, [
    { name: 'left', line: 0, address: 1, lens: { optics: LEFT_OPTICS, ...(leftTravel && { zoomTravelMs: [leftTravel, leftTravel, leftTravel, leftTravel] }) } },
    { name: 'right', line: 0, address: 2 },
  ]);
  return bench.writeRig(RIG);
}

describe('zoomsync calibrate', () => {
  it('measures each lens through its own optics: the same steps give different tables', async () => {
    const file = await twoLenses();
    const left = await runCli(['calibrate', '--config', file, 'left', '--steps', '5']);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout.trim()).toBe('calibration: [[0, 1], [250, 1.5], [500, 2], [750, 11], [1000, 20]]');
    expect(left.stderr).toContain('left: raw 750 -> 11x (pelco)');
    const right = await startCommand(calibrate, ['--config', file, 'right', '--steps', '3']).done;
    expect(right.stdout.trim()).toBe('calibration: [[100, 1.9], [500, 5.5], [900, 9.1]]'); // its soft limits are the range
  });

  it('asks the block for its magnification over PELCO (query 0x61) at every step', async () => {
    const file = await twoLenses();
    await startCommand(calibrate, ['--config', file, 'left', '--steps', '3']).done;
    const query = toHex(encode({ kind: 'query-magnification' }, { dialect: 'D', address: 1, profile: SZ_G10_PROFILE }));
    expect(bench!.lines[0]!.sim.received.filter((f) => f.hex === query)).toHaveLength(3);
  });

  it('--magnification-at values are the table at those positions (read off a chart), other steps are asked', async () => {
    const file = await twoLenses();
    const { code, stdout } = await startCommand(calibrate, ['--config', file, '--json', 'left', '--magnification-at', '0=1.1', '--magnification-at', '1000=21']).done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout).points).toEqual([
      { raw: 0, magnification: 1.1, source: 'given' },
      { raw: 1000, magnification: 21, source: 'given' },
    ]);
  });

  it('--write puts the table into the block entry and changes nothing else in the file', async () => {
    const file = await twoLenses();
    const before = await readFile(file, 'utf8');
    const { code, stderr } = await startCommand(calibrate, ['--config', file, 'left', '--steps', '3', '--write']).done;
    expect(code, stderr).toBe(0);
    const after = await readFile(file, 'utf8');
    expect(after).toBe(before.replace('    address: 1        # camera 1\n', '    address: 1        # camera 1\n    calibration: [[0, 1], [500, 2], [1000, 20]]\n'));
    expect((await loadRigConfig(file)).blocks[0]!.calibration).toEqual([[0, 1], [500, 2], [1000, 20]]);
    // again, into a flow entry: the existing key's value is replaced in place
    await startCommand(calibrate, ['--config', file, 'right', '--steps', '2', '--write']).done;
    expect(await readFile(file, 'utf8')).toContain('{ name: right, line: bus1, address: 2, limits: { zoom: [100, 900] }, calibration: [[100, 1.9], [900, 9.1]] }');
    await startCommand(calibrate, ['--config', file, 'left', '--steps', '2', '--write']).done;
    expect((await loadRigConfig(file)).blocks[0]!.calibration).toEqual([[0, 1], [1000, 20]]);
    expect(await readFile(file, 'utf8')).toContain('# the test rig\n');
  });

  it('leaves the block where it found it', async () => {
    const file = await twoLenses();
    bench!.block('left').lens.zoomTo(300);
    await until(() => !bench!.block('left').lens.moving, 2000, 'left at 300');
    await startCommand(calibrate, ['--config', file, 'left', '--steps', '2']).done;
    expect(bench!.block('left').lens.zoom).toBe(300);
  });

  it('Ctrl-C mid-step stops the block and writes nothing (exit 130)', async () => {
    const file = await twoLenses(60_000);
    const before = await readFile(file, 'utf8');
    const run = startCommand(calibrate, ['--config', file, 'left', '--write']);
    await until(() => run.stderr().includes('left: raw 0 ->'), 5000, 'the first step');
    await until(() => bench!.block('left').lens.zoom > 0, 5000, 'left on its way to the next step');
    run.interrupt();
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: sent a stop to block left; nothing was written/);
    await until(() => !bench!.block('left').lens.moving, 2000, 'the stop on the wire');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('zoomsync stop from another shell mid-step goes through calibrate: the block stops and nothing is written (ZS_CANCELLED)', async () => {
    const file = await twoLenses(60_000);
    const before = await readFile(file, 'utf8');
    const run = startCommand(calibrate, ['--config', file, 'left', '--write']);
    await until(() => bench!.block('left').lens.moving, 5000, 'left on its way to a step');
    const other = await startCommand(stopCommand, ['--port', bench!.lines[0]!.pair.controllerPath, '--address', '1']).done;
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toMatch(/stop sent through pid \d+ \(zoomsync calibrate\)/);
    const { code, error } = await run.done;
    expect(code).toBe(1);
    expect(error).toMatchObject({ code: 'ZS_CANCELLED' });
    expect((error as Error).message).toMatch(/nothing was written/);
    await until(() => !bench!.block('left').lens.moving, 2000, 'the stop on the wire');
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it.each([
    [['pair'], /pair is a group; calibrate one block at a time \(left, right\)/],
    [['left', '--magnification-at', '500'], /--magnification-at must be RAW=X/],
    [['left', '--steps', '1'], /--steps must be 2–1001/],
    [['left', '--magnification-at', '1200=3'], /calibration position of block left 1200 .*is out of range: expected an integer 0–1000/],
  ])('refuses %j before moving anything', async (args, message) => {
    const file = await twoLenses();
    const { code, stderr } = await runCli(['calibrate', '--config', file, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(bench!.lines[0]!.sim.received.filter((f) => f.command.kind === 'set-zoom')).toHaveLength(0);
  });
});
