/** openRig from a rig file written in the test, over real ptys to simulated blocks. */
import { SyncGroup } from '../../../src/sync/sync-group.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocols/errors.js';
import { encode, toHex } from '../../../protocols/pelco/index.js';
import { SZ_G10_PROFILE } from '../../../protocols/pelco/index.js';
import { loadRigConfig } from '../../../src/config/index.js';
import type { GroupConfig } from '../../../src/config/types.js';
import { openRig, type Rig } from '../../../src/rig/open-rig.js';
import { selectTarget } from '../../../src/rig/target.js';
import { until } from '../devices/block-rig.js';
import { buildSyncGroups } from '../../../src/rig/sync-groups.js';
import { openRigBench, type RigBench } from './rig-bench.js';
import { ROOT, runTraced } from '../../helpers/node-child.js';

const FAST_LINE = { line: { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} } };

const TWO_LINES = `
lines:
  - { name: bus1, port: $LINE0 }
  - { name: bus2, port: $LINE1 }
blocks:
  - { name: left, line: bus1, address: 1, dialect: D, calibration: [[0, 1.0], [1000, 10.0]] }
  - { name: right, line: bus2, address: 3, dialect: P, calibration: [[0, 1.0], [1000, 8.0]] }
groups:
  - { name: pair, members: [left, right], leader: left }
`;

let bench: RigBench | undefined;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  await bench?.close();
  bench = rig = undefined;
});

const hex = (command: Parameters<typeof encode>[0], dialect: 'D' | 'P', address: number) => toHex(encode(command, { dialect, address, profile: SZ_G10_PROFILE }));

describe('openRig', () => {
  it('builds each block with its PELCO dialect from the file: a P block gets 8-byte PELCO-P frames', async () => {
    bench = await openRigBench(2, [
      { name: 'left', line: 0, address: 1 },
      { name: 'right', line: 1, address: 3, dialect: 'P' },
    ]);
    rig = await openRig(await loadRigConfig(await bench.writeRig(TWO_LINES)), { devices: FAST_LINE });
    await rig.block('right').zoomTo(400);
    await until(() => bench!.lines[1]!.sim.received.some((f) => f.hex === hex({ kind: 'set-zoom', position: 400 }, 'P', 3)), 2000, 'the PELCO-P frame');
    await until(() => bench!.block('right').lens.zoom === 400, 2000, 'right at 400');
    expect(bench.lines[1]!.sim.received.every((f) => f.dialect === 'P')).toBe(true);
  });

  it('close() stops every block on the wire before the lines close', async () => {
    bench = await openRigBench(2, [
      { name: 'left', line: 0, address: 1 },
      { name: 'right', line: 1, address: 3, dialect: 'P' },
    ]);
    rig = await openRig(await loadRigConfig(await bench.writeRig(TWO_LINES)), { devices: FAST_LINE });
    await rig.block('left').move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    await rig.block('right').move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    await rig.close();
    await until(() => bench!.lines[0]!.sim.received.some((f) => f.hex === hex({ kind: 'stop' }, 'D', 1)), 2000, 'left stop');
    await until(() => bench!.lines[1]!.sim.received.some((f) => f.hex === hex({ kind: 'stop' }, 'P', 3)), 2000, 'right stop');
    expect(bench.block('left').lens.moving).toBe(false);
  });

  it('reads every camera password before opening anything: a missing one names the block and the variable', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1, http: true }]);
    const file = await bench.writeRig(`
lines: [{ name: bus1, port: $LINE0 }]
blocks:
  - { name: left, line: bus1, address: 1, http: { url: $URL_left, user: admin, passwordEnv: LEFT_PW } }
`);
    const error = await openRig(await loadRigConfig(file), { env: {}, devices: FAST_LINE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems[0]!;
    expect(problem.path).toBe('blocks.0.http.passwordEnv');
    expect(problem.message).toMatch(/block left.*LEFT_PW/);
    expect(bench.lines[0]!.sim.received).toHaveLength(0);
  });

  it('opens the HTTP side with the password read from the environment', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1, http: true }]);
    const file = await bench.writeRig(`
lines: [{ name: bus1, port: $LINE0 }]
blocks:
  - { name: left, line: bus1, address: 1, http: { url: $URL_left, user: admin, passwordEnv: LEFT_PW } }
`);
    rig = await openRig(await loadRigConfig(file), { env: { LEFT_PW: 'admin' }, devices: FAST_LINE });
    bench.block('left').lens.zoomTo(300);
    await until(() => !bench!.block('left').lens.moving, 2000, 'lens at rest');
    expect((await rig.block('left').config!.lens()).zoom).toBe(300);
  });

  it('a rig without an http: block never loads undici or a dialect client; one with it does', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1, http: true }]);
    const httpModules = (modules: string[]) => [...new Set(modules.map((url) => /\/node_modules\/(undici)\/|\/devices\/http\/(registry)\.ts$/.exec(url)).filter((m) => m).map((m) => m![1] ?? m![2]))];
    const openIn = async (yaml: string) =>
      runTraced([
        '--input-type=module',
        '-e',
        `const { loadRigConfig } = await import(${JSON.stringify(new URL('src/config/index.ts', ROOT).href)});
         const { openRig } = await import(${JSON.stringify(new URL('src/rig/open-rig.ts', ROOT).href)});
         const rig = await openRig(await loadRigConfig(${JSON.stringify(await bench!.writeRig(yaml, `rig-${Math.random()}.yaml`))}), { env: { PW: 'admin' } });
         console.log(rig.block('left').config ? 'http' : 'serial');
         await rig.close();`,
      ]);
    const serial = await openIn('lines: [{ name: bus1, port: $LINE0 }]\nblocks: [{ name: left, line: bus1, address: 1 }]\n');
    expect(serial.stdout, serial.stderr).toBe('serial\n');
    expect(httpModules(serial.modules)).toEqual([]);
    const http = await openIn('lines: [{ name: bus1, port: $LINE0 }]\nblocks: [{ name: left, line: bus1, address: 1, http: { url: $URL_left, user: admin, passwordEnv: PW } }]\n');
    expect(http.stdout, http.stderr).toBe('http\n');
    expect(httpModules(http.modules).sort()).toEqual(['registry', 'undici']);
  });

  it('hands the file groups and the open blocks to the group factory', async () => {
    bench = await openRigBench(2, [
      { name: 'left', line: 0, address: 1 },
      { name: 'right', line: 1, address: 3, dialect: 'P' },
    ]);
    let given: readonly GroupConfig[] = [];
    rig = await openRig(await loadRigConfig(await bench.writeRig(TWO_LINES)), {
      devices: FAST_LINE,
      buildGroups: (groups, devices, context) => {
        given = groups;
        expect(context.configFile).toMatch(/rig\.yaml$/);
        return buildSyncGroups(groups, devices, context);
      },
    });
    expect(given.map((g) => g.name)).toEqual(['pair']);
    const group = rig.group('pair');
    expect(group.members.map((m) => m.name)).toEqual(['left', 'right']);
    expect(group.members[0]).toBe(rig.block('left'));
  });

  it('without a group factory the groups are SyncGroups over the rig blocks', async () => {
    bench = await openRigBench(2, [
      { name: 'left', line: 0, address: 1 },
      { name: 'right', line: 1, address: 3, dialect: 'P' },
    ]);
    rig = await openRig(await loadRigConfig(await bench.writeRig(TWO_LINES)), { devices: FAST_LINE });
    const pair = rig.group('pair');
    expect(pair).toBeInstanceOf(SyncGroup);
    expect(pair.members.map((m) => m.name)).toEqual(['left', 'right']);
    expect((await pair.zoomTo({ raw: 10 })).members.map((m) => m.path)).toEqual(['serial', 'serial']);
  });

  it('a target opens only its own lines: a block whose port is missing does not stop another block', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1 }]);
    const config = await loadRigConfig(
      await bench.writeRig(`
lines:
  - { name: bus1, port: $LINE0 }
  - { name: gone, port: /dev/zoomsync-no-such-port }
blocks:
  - { name: left, line: bus1, address: 1 }
  - { name: other, line: gone, address: 1 }
`),
    );
    await expect(openRig(config, { devices: FAST_LINE })).rejects.toMatchObject({ code: 'ZS_PORT_NOT_FOUND' });
    const target = selectTarget(config, 'left');
    expect(target.config.lines.map((l) => l.name)).toEqual(['bus1']);
    rig = await openRig(target.config, { devices: FAST_LINE });
    expect(rig.devices.names).toEqual(['left']);
  });

  it('reads magnification over PELCO (query 0x61, reply 0x63) in times', async () => {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1 }]);
    rig = await openRig(await loadRigConfig(await bench.writeRig(`lines: [{ name: bus1, port: $LINE0 }]\nblocks: [{ name: left, line: bus1, address: 1 }]\n`)), { devices: FAST_LINE });
    bench.block('left').lens.zoomTo(500);
    await until(() => !bench!.block('left').lens.moving, 2000, 'lens at rest');
    expect(await rig.readMagnification('left')).toBe(5.5);
  });
});
