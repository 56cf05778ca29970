/**
 * examples/rig.yaml runs as its comments say: two simulated blocks at /tmp/zoomsync-sim/block1
 * and block2 (addresses 1 and 2) with their HTTP faces on 127.0.0.1:8080 and :8081, password
 * from ZOOMSYNC_SIM_PASSWORD. The simulators are started in-process at those fixed paths, as
 * `zoomsync sim --blocks 2 --link /tmp/zoomsync-sim --http --http-port 8080` makes them.
 */
import { lstat, mkdir, rm, rmdir, symlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { encode, SZ_G10_PROFILE, toHex } from '../../../protocols/pelco/index.js';
import { loadRigConfig } from '../../../src/config/index.js';
import { openRig } from '../../../src/rig/open-rig.js';
import { runCli } from '../../helpers/cli.js';
import { until } from '../devices/block-rig.js';

const EXAMPLE = resolve(import.meta.dirname, '../../../examples/rig.yaml');
const LINK_DIR = '/tmp/zoomsync-sim';

interface SimBlock {
  pair: PtyPair;
  bus: SimulatedBus;
  lens: SimulatedLens;
  face: Szg10Simulator;
  link: string;
}

const blocks: SimBlock[] = [];
let madeDir = false;

beforeAll(async () => {
  madeDir = (await mkdir(LINK_DIR, { recursive: true })) !== undefined;
  for (const address of [1, 2]) {
    const link = `${LINK_DIR}/block${address}`;
    const taken = await lstat(link).then(() => true, () => false);
    if (taken) throw new Error(`${link} is taken (is a 'zoomsync sim --link ${LINK_DIR}' running?); stop it to run this test`);
    const pair = await PtyPair.open();
    const bus = await SimulatedBus.open(pair.devicePath);
    const lens = new SimulatedLens();
    bus.addBlock({ address, lens });
    const face = new Szg10Simulator({ lens });
    blocks.push({ pair, bus, lens, face, link });
    await face.server.listen(8079 + address);
    await symlink(pair.controllerPath, link);
  }
});

afterAll(async () => {
  for (const block of blocks) {
    await rm(block.link, { force: true });
    await block.face.close();
    await block.bus.close();
    await block.pair.close();
  }
  if (madeDir) await rmdir(LINK_DIR).catch(() => {});
});

describe('examples/rig.yaml against the simulators at its paths', () => {
  it('zoomsync config check --passwords finds every line, block, group and password', async () => {
    const { code, stdout, stderr } = await runCli(['config', 'check', '--passwords', EXAMPLE], { env: { ZOOMSYNC_SIM_PASSWORD: 'admin' } });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/OK, 2 lines, 2 blocks, 1 group/);
  });

  it('zoomsync do --config examples/rig.yaml left set-zoom 500 moves block 1 on /tmp/zoomsync-sim/block1 to 500', async () => {
    const { code, stdout, stderr } = await runCli(['do', '--config', EXAMPLE, 'left', 'set-zoom', '500'], { env: { ZOOMSYNC_SIM_PASSWORD: 'admin' } });
    expect(code, stderr).toBe(0);
    const frame = toHex(encode({ kind: 'set-zoom', position: 500 }, { dialect: 'D', address: 1, profile: SZ_G10_PROFILE }));
    expect(stdout).toContain(`left  serial  ${frame}`);
    expect(stdout).toContain('left  at 500');
    expect(blocks[0]!.bus.received.map((f) => f.hex)).toContain(frame);
    expect(blocks[0]!.lens.zoom).toBe(500);
    expect(blocks[1]!.bus.received).toHaveLength(0); // right's line was not even opened
  });

  it("the example's HTTP faces answer with the example's user and password", async () => {
    const rig = await openRig(await loadRigConfig(EXAMPLE), { env: { ZOOMSYNC_SIM_PASSWORD: 'admin' } });
    try {
      blocks[1]!.lens.zoomTo(250);
      await until(() => !blocks[1]!.lens.moving, 5000, 'right at rest');
      expect((await rig.block('right').config!.lens()).zoom).toBe(250);
    } finally {
      await rig.close();
    }
  });
});
