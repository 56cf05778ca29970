/** `zoomsync do` against simulated blocks on real ptys, from a rig file written in the test. */
import { afterEach, describe, expect, it } from 'vitest';
import { encode, type PelcoCommand, SZ_G10_PROFILE, toHex } from '../../../protocols/pelco/index.js';
import { createDoCommand } from '../../../src/cli/commands/do.js';
import { stopCommand } from '../../../src/cli/commands/stop.js';
import { runCli } from '../../helpers/cli.js';
import { until } from '../devices/block-rig.js';
import { openRigBench, type RigBench } from './rig-bench.js';
import { startCommand } from './run-command.js';

const RIG = `
lines:
  - { name: bus1, port: $LINE0 }
  - { name: bus2, port: $LINE1 }
blocks:
  - { name: left, line: bus1, address: 1, limits: { zoom: [0, 900] }, calibration: [[0, 1.0], [1000, 10.0]] }
  - { name: right, line: bus2, address: 2, calibration: [[0, 1.0], [1000, 8.0]] }
  - { name: plain, line: bus2, address: 3 }
groups:
  - { name: rig, members: [left, right], leader: left }
`;

const hex = (command: PelcoCommand, address: number) => toHex(encode(command, { dialect: 'D', address, profile: SZ_G10_PROFILE }));
const STOP_1 = hex({ kind: 'stop' }, 1);

const doBlocks = createDoCommand({ settlePollMs: 20 });
const doGroups = createDoCommand({ settlePollMs: 20 });

let bench: RigBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

async function threeBlocks(lens?: { left?: object }): Promise<string> {
  bench = await openRigBench(2, [
    { name: 'left', line: 0, address: 1, lens: lens?.left },
    { name: 'right', line: 1, address: 2 },
    { name: 'plain', line: 1, address: 3 },
  ]);
  return bench.writeRig(RIG);
}

describe('zoomsync do on a block', () => {
  it('set-zoom prints the frame and the serial path, and ends once the block reads back at rest', async () => {
    const file = await threeBlocks();
    const run = await runCli(['do', '--config', file, 'left', 'set-zoom', '500']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`left  serial  ${hex({ kind: 'set-zoom', position: 500 }, 1)}`);
    expect(run.stdout).toContain('left  at 500');
    expect(bench!.block('left').lens.zoom).toBe(500);
    expect(bench!.lines[0]!.sim.received.map((f) => f.hex)).toContain(hex({ kind: 'set-zoom', position: 500 }, 1));
  });

  it('--json prints one object with what was sent, the path and where the block came to rest', async () => {
    const file = await threeBlocks();
    const { code, stdout } = await startCommand(doBlocks, ['--config', file, '--json', 'left', 'set-zoom', '300']).done;
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ target: 'left', kind: 'block', command: 'set-zoom 300', ending: 'done', positions: { left: 300 } });
    expect(result.members).toEqual([{ block: 'left', path: 'serial', sent: hex({ kind: 'set-zoom', position: 300 }, 1), value: 300 }]);
  });

  it('a soft limit shows in the report: set-zoom 950 on a block limited to 900 sends 900 and says so', async () => {
    const file = await threeBlocks();
    const { code, stdout } = await startCommand(doBlocks, ['--config', file, '--json', 'left', 'set-zoom', '950']).done;
    expect(code).toBe(0);
    const [member] = JSON.parse(stdout).members;
    expect(member).toMatchObject({ value: 900, sent: hex({ kind: 'set-zoom', position: 900 }, 1), limited: expect.any(String) });
  });

  it('zoom-to --magnification goes through the block calibration table (5.5x on [[0,1],[1000,10]] is raw 500)', async () => {
    const file = await threeBlocks();
    const { code, stdout } = await startCommand(doBlocks, ['--config', file, 'left', 'zoom-to', '--magnification', '5.5']).done;
    expect(code).toBe(0);
    expect(stdout).toContain(hex({ kind: 'set-zoom', position: 500 }, 1));
    expect(bench!.block('left').lens.zoom).toBe(500);
  });

  it('zoom-to on a block without a calibration table is refused before anything is sent', async () => {
    const file = await threeBlocks();
    const run = await startCommand(doBlocks, ['--config', file, 'plain', 'zoom-to', '--magnification', '2']).done;
    expect(run.code).toBe(2);
    expect(run.error).toMatchObject({ code: 'ZS_NOT_SUPPORTED' });
    expect(bench!.lines[1]!.sim.received.filter((f) => f.command.kind === 'set-zoom')).toHaveLength(0);
  });

  it('a query prints the reading: query-magnification answers in times', async () => {
    const file = await threeBlocks();
    bench!.block('right').lens.zoomTo(1000);
    await until(() => !bench!.block('right').lens.moving, 2000, 'right at rest');
    const { code, stdout } = await startCommand(doBlocks, ['--config', file, 'right', 'query-magnification']).done;
    expect(code).toBe(0);
    expect(stdout).toContain('right  magnification 10x  (serial)');
  });

  it('a continuous move runs until Ctrl-C, then the stop reaches the wire (exit 130)', async () => {
    const file = await threeBlocks();
    const run = startCommand(doBlocks, ['--config', file, 'left', 'zoom-tele']);
    await run.line(/^left {2}serial/);
    await until(() => bench!.block('left').lens.moving, 2000, 'left moving');
    run.interrupt();
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/SIGINT: sent a stop to block left/);
    await until(() => bench!.lines[0]!.sim.received.some((f) => f.hex === STOP_1), 2000, 'the stop on the wire');
    expect(bench!.block('left').lens.moving).toBe(false);
  });

  it('--for MS ends a continuous move with a stop it prints', async () => {
    const file = await threeBlocks();
    const { code, stdout } = await startCommand(doBlocks, ['--config', file, 'left', 'zoom-wide', '--for', '30']).done;
    expect(code).toBe(0);
    expect(stdout).toContain(`left  serial  ${STOP_1}  (stop)`);
  });

  it('Ctrl-C during an absolute move stops the block short of its target', async () => {
    const file = await threeBlocks({ left: { zoomTravelMs: [60000, 60000, 60000, 60000] } });
    const run = startCommand(doBlocks, ['--config', file, 'left', 'set-zoom', '900']);
    await run.line(/^left {2}serial/);
    await until(() => bench!.block('left').lens.zoom > 0, 5000, 'left on its way');
    run.interrupt();
    expect((await run.done).code).toBe(130);
    await until(() => bench!.lines[0]!.sim.received.some((f) => f.hex === STOP_1), 2000, 'the stop on the wire');
    expect(bench!.block('left').lens.moving).toBe(false);
    expect(bench!.block('left').lens.zoom).toBeLessThan(900);
  });

  it('opens only the target lines: a block whose adapter is unplugged does not stand in the way', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1 }]);
    const file = await bench.writeRig(`
lines:
  - { name: bus1, port: $LINE0 }
  - { name: gone, port: /dev/zoomsync-no-such-port }
blocks:
  - { name: left, line: bus1, address: 1 }
  - { name: other, line: gone, address: 1 }
`);
    const { code, stderr } = await startCommand(doBlocks, ['--config', file, 'left', 'set-zoom', '20']).done;
    expect(code, stderr).toBe(0);
  });

  it('a missing camera password is refused naming the block and the variable (exit 2)', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1, http: true }]);
    const file = await bench.writeRig(`
lines: [{ name: bus1, port: $LINE0 }]
blocks: [{ name: left, line: bus1, address: 1, http: { url: $URL_left, user: admin, passwordEnv: LEFT_PW } }]
`);
    const { code, stderr } = await runCli(['do', '--config', file, 'left', 'stop'], { env: {} });
    expect(code).toBe(2);
    expect(stderr).toMatch(/blocks\.0\.http\.passwordEnv: block left: camera password: environment variable LEFT_PW is not set/);
  });

  it.each([
    [['left', 'group-preset', 'save', 'x'], /group-preset goes with a group/],
    [['nobody', 'stop'], /target "nobody".*left \(block\).*rig \(group\)/],
    [['left', 'magnification', '5'], /what a camera answers/],
    [['left', 'set-zoom', '5', '--for', '10'], /--for goes with a continuous move/],
  ])('refuses %j with a usage error before moving anything', async (args, message) => {
    const file = await threeBlocks();
    const { code, stderr } = await runCli(['do', '--config', file, ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(bench!.lines.flatMap((l) => l.sim.received)).toHaveLength(0);
  });

  it('without --config says it is required', async () => {
    const { code, stderr } = await runCli(['do', 'left', 'stop']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--config FILE is required/);
  });
});

describe('zoomsync do on a group', () => {
  it('set-zoom goes to every member in one tick: each member frame and the skew are printed', async () => {
    const file = await threeBlocks();
    const { code, stdout, stderr } = await startCommand(doGroups, ['--config', file, 'rig', 'set-zoom', '400']).done;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`left  serial  ${hex({ kind: 'set-zoom', position: 400 }, 1)}`);
    expect(stdout).toContain(`right  serial  ${hex({ kind: 'set-zoom', position: 400 }, 2)}`);
    expect(stdout).toMatch(/^skew \d+\.\d{3} ms$/m);
    expect([bench!.block('left').lens.zoom, bench!.block('right').lens.zoom]).toEqual([400, 400]);
  });

  it('zoom-to --magnification sends each member its own raw position from its table', async () => {
    const file = await threeBlocks();
    const { code, stdout } = await startCommand(doGroups, ['--config', file, '--json', 'rig', 'zoom-to', '--magnification', '4']).done;
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.members.map((m: { block: string; value: number }) => [m.block, m.value])).toEqual([
      ['left', 333],
      ['right', 429],
    ]);
    expect(typeof result.skewMs).toBe('number');
    expect(result.positions).toEqual({ left: 333, right: 429 });
  });

  it('group-preset save stores every member zoom, and recall brings them all back', async () => {
    const file = await threeBlocks();
    bench!.block('left').lens.zoomTo(120);
    bench!.block('right').lens.zoomTo(640);
    await until(() => !bench!.block('left').lens.moving && !bench!.block('right').lens.moving, 2000, 'lenses at rest');
    // one process: the stand-in group keeps presets in memory (SyncGroup keeps them in a state file)
    const group = createDoCommand({ settlePollMs: 20 }); // presets persist in the rig's state file between runs
    const saved = await startCommand(group, ['--config', file, 'rig', 'group-preset', 'save', 'wide']).done;
    expect(saved.stdout).toContain('saved wide: left 120, right 640');
    await startCommand(group, ['--config', file, 'rig', 'set-zoom', '800']).done;
    const recalled = await startCommand(group, ['--config', file, '--json', 'rig', 'group-preset', 'recall', 'wide']).done;
    expect(recalled.code, recalled.stderr).toBe(0);
    expect(JSON.parse(recalled.stdout).positions).toEqual({ left: 120, right: 640 });
    expect([bench!.block('left').lens.zoom, bench!.block('right').lens.zoom]).toEqual([120, 640]);
  });

  it('follow on tracks the leader until Ctrl-C, then stops every member', async () => {
    const file = await threeBlocks();
    const run = startCommand(doGroups, ['--config', file, 'rig', 'follow', 'on']);
    await run.line(/right follow left/);
    bench!.block('left').lens.zoomTo(1000); // 10x on left; right's table tops out at 8x -> its end, 1000
    bench!.block('left').lens.zoomTo(500); // 5.5x -> right at raw 643
    await until(() => bench!.block('right').lens.zoom === 643, 5000, 'right following left to 5.5x');
    run.interrupt();
    expect((await run.done).code).toBe(130);
    await until(() => bench!.lines[1]!.sim.received.some((f) => f.hex === hex({ kind: 'stop' }, 2)), 2000, 'the stop on the wire');
  });

  it('a continuous group move interrupted by Ctrl-C stops every member', async () => {
    const file = await threeBlocks();
    const run = startCommand(doGroups, ['--config', file, 'rig', 'zoom-tele']);
    await run.line(/^skew/);
    run.interrupt();
    const { code, stdout } = await run.done;
    expect(code).toBe(130);
    expect(stdout).toContain(`left  serial  ${STOP_1}  (stop)`);
    expect(stdout).toContain(`right  serial  ${hex({ kind: 'stop' }, 2)}  (stop)`);
    await until(() => !bench!.block('left').lens.moving && !bench!.block('right').lens.moving, 2000, 'both stopped');
  });

  it('zoomsync stop from another shell on one line ends a continuous group move: every member gets its stop (ZS_CANCELLED, exit 1)', async () => {
    const file = await threeBlocks();
    const run = startCommand(doGroups, ['--config', file, 'rig', 'zoom-tele']);
    await run.line(/^skew/);
    // a second shell: the port is held by `do`, so the stop goes through it
    const other = await startCommand(stopCommand, ['--port', bench!.lines[0]!.pair.controllerPath, '--all']).done;
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toMatch(new RegExp(`stop sent through pid ${process.pid} \\(zoomsync do\\), which holds .*: camera 1`));
    const { code, stdout, error } = await run.done;
    expect(code).toBe(1);
    expect(error).toMatchObject({ code: 'ZS_CANCELLED' });
    expect((error as Error).message).toMatch(/a stop from another shell .* group rig is stopped/);
    expect(stdout).toContain(`right  serial  ${hex({ kind: 'stop' }, 2)}  (stop)`); // on the line the other shell did not touch
    await until(() => !bench!.block('left').lens.moving && !bench!.block('right').lens.moving, 2000, 'both stopped');
  });

  it('once do has ended, its lines are free: zoomsync stop opens the port itself', async () => {
    const file = await threeBlocks();
    expect((await startCommand(doGroups, ['--config', file, 'rig', 'zoom-tele', '--for', '20']).done).code).toBe(0);
    const other = await startCommand(stopCommand, ['--port', bench!.lines[0]!.pair.controllerPath, '--address', '1']).done;
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toContain(`sent ${STOP_1} (stop) to`);
  });

  it('query-zoom on a group reads every member', async () => {
    const file = await threeBlocks();
    const { stdout } = await startCommand(doGroups, ['--config', file, 'rig', 'query-zoom']).done;
    expect(stdout).toContain('left  zoom 0  (serial)');
    expect(stdout).toContain('right  zoom 0  (serial)');
  });

  it('a word that goes to one block at a time is refused for a group, naming what a group takes', async () => {
    const file = await threeBlocks();
    const run = await startCommand(doGroups, ['--config', file, 'rig', 'preset-set', '3']).done;
    expect(run.code).toBe(2);
    expect(String(run.error)).toMatch(/preset-set goes to one block at a time/);
  });
});
