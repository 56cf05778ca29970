/** LineRegistry and DeviceRegistry over real ptys with simulated blocks. */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { ConfigError, InvalidArgumentError } from '../../../protocols/errors.js';
import { DeviceRegistry, type RigSpec } from '../../../src/devices/device-registry.js';
import { LineRegistry } from '../../../src/devices/line-registry.js';
import { frameHex, nextPath, until } from './block-rig.js';

const FAST_LINE = { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} };

interface Bench {
  pair: PtyPair;
  sim: SimulatedBus;
  /** A second name (a symlink) for the controller end, as /dev/serial/by-id is for /dev/ttyUSB0. */
  alias: string;
  close(): Promise<void>;
}

async function openBench(addresses: number[]): Promise<Bench> {
  const pair = await PtyPair.open();
  const sim = await SimulatedBus.open(pair.devicePath);
  for (const address of addresses) sim.addBlock({ address });
  const dir = await mkdtemp(join(tmpdir(), 'zoomsync-alias-'));
  const alias = join(dir, 'by-id-adapter');
  await symlink(pair.controllerPath, alias);
  return {
    pair,
    sim,
    alias,
    async close() {
      await sim.close();
      await pair.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let bench: Bench | undefined;
let registry: DeviceRegistry | undefined;
let lines: LineRegistry | undefined;
afterEach(async () => {
  await registry?.close();
  await lines?.close();
  await bench?.close();
  bench = registry = lines = undefined;
});

/** Block `left` at address 1 on the bench's port, with the simulated camera as its HTTP face. */
function leftWithCamera(b: Bench, camera: Szg10Simulator): RigSpec {
  return {
    lines: [{ name: 'bus1', port: b.pair.controllerPath }],
    blocks: [{ name: 'left', line: 'bus1', address: 1, http: { url: camera.url, user: 'admin', password: 'admin' } }],
  };
}

function twoBlocksOnOnePort(b: Bench): RigSpec {
  return {
    lines: [
      { name: 'bus1', port: b.pair.controllerPath, baud: 9600 },
      { name: 'bus1-by-id', port: b.alias, baud: 9600 },
    ],
    blocks: [
      { name: 'left', line: 'bus1', address: 1 },
      { name: 'right', line: 'bus1-by-id', address: 2, limits: { zoom: [0, 800] } },
    ],
  };
}

describe('DeviceRegistry', () => {
  it('two blocks on two names for one port share one line and one scheduler, and both reach the wire', async () => {
    bench = await openBench([1, 2]);
    registry = await DeviceRegistry.open(twoBlocksOnOnePort(bench), { line: FAST_LINE });
    expect(registry.lines.lines).toHaveLength(1);
    expect(registry.lines.get('bus1')).toBe(registry.lines.get('bus1-by-id'));
    expect(registry.lines.get('bus1').names).toEqual(['bus1', 'bus1-by-id']);
    const [l, r] = await Promise.all([registry.get('left').zoomTo(500), registry.get('right').zoomTo(900)]);
    expect(r).toMatchObject({ value: 800, limited: expect.any(String) });
    expect(r.sentAt! - l.sentAt!).toBeGreaterThan(0); // one timeline: the second frame left after the first
    const want = [frameHex({ kind: 'set-zoom', position: 500 }, 1), frameHex({ kind: 'set-zoom', position: 800 }, 2)];
    await until(() => want.every((hex) => bench!.sim.received.some((f) => f.hex === hex)), 2000, 'both frames on the wire');
    await until(() => bench!.sim.block(1)!.lens.zoom === 500 && bench!.sim.block(2)!.lens.zoom === 800, 3000, 'both lenses there');
  });

  it('a block with an http face gets its CameraConfig as block.config, closed with the registry', async () => {
    bench = await openBench([1]);
    const camera = await Szg10Simulator.start({ lens: bench.sim.block(1)!.lens });
    try {
      registry = await DeviceRegistry.open(leftWithCamera(bench, camera), { line: FAST_LINE });
      const block = registry.get('left');
      expect(block.config?.dialect).toBe('szg10');
      expect((await block.config!.lens()).zoomMax).toBe(1000);
      await registry.close();
      await expect(block.config!.lens()).rejects.toBeDefined(); // its client was closed
    } finally {
      await camera.close();
    }
  });

  it('get() of an unknown name says which names it knows', async () => {
    bench = await openBench([1, 2]);
    registry = await DeviceRegistry.open(twoBlocksOnOnePort(bench), { line: FAST_LINE });
    let error: unknown;
    try {
      registry.get('centre');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: 'ZS_INVALID_ARGUMENT', value: 'centre', range: 'one of: left, right' });
  });

  it('a spec with an unknown line, a duplicate name and a taken address is one ConfigError listing all three', async () => {
    const spec: RigSpec = {
      lines: [{ name: 'bus1', port: '/dev/null-nothing' }],
      blocks: [
        { name: 'a', line: 'bus1', address: 1 },
        { name: 'a', line: 'bus1', address: 1 },
        { name: 'b', line: 'bus9', address: 3 },
      ],
    };
    const failure = DeviceRegistry.open(spec);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    const problems = ((await failure.catch((e: unknown) => e)) as ConfigError).problems.map((p) => p.path);
    expect(problems).toEqual(['blocks.1.name', 'blocks.1.address', 'blocks.2.line']);
  });

  it('closing the registry while a block moves puts a stop on the wire before the line closes', async () => {
    bench = await openBench([1, 2]);
    registry = await DeviceRegistry.open(twoBlocksOnOnePort(bench), { line: FAST_LINE });
    await registry.get('left').move({ zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    await until(() => bench!.sim.received.some((f) => f.address === 1 && f.command.kind === 'move'), 2000, 'the move');
    const line = registry.lines.get('bus1').line;
    await registry.close();
    expect(line.isOpen).toBe(false);
    const stop = frameHex({ kind: 'stop' }, 1);
    await until(() => bench!.sim.received.some((f) => f.hex === stop), 2000, 'the stop of block left');
    expect(bench.sim.received.at(-1)?.command.kind).toBe('stop');
  });
});

describe('DeviceRegistry close while a block zooms over HTTP', () => {
  it('halts the lens over HTTP before closing the HTTP side: the lens stays short of the target', async () => {
    bench = await openBench([]);
    const lens = new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000] }); // a halted move is always far from its target
    bench.sim.addBlock({ address: 1, lens });
    const camera = await Szg10Simulator.start({ lens });
    try {
      registry = await DeviceRegistry.open(leftWithCamera(bench, camera), { line: FAST_LINE });
      const block = registry.get('left');
      const onHttp = nextPath(block, 'http');
      await bench.sim.close();
      await bench.pair.unplug();
      await onHttp;
      const zooming = block.zoomTo(1000);
      zooming.catch(() => {}); // ends ZS_CANCELLED (or with the closed block): not what this test is about
      await until(() => lens.zoom > 0, 5000, 'the lens on its way over HTTP');

      await registry.close();
      expect(camera.zoomRequests[0]).toBe(1000);
      expect(camera.zoomRequests.length).toBeGreaterThan(1); // the halt reached the camera
      expect(camera.zoomRequests.slice(1).every((p) => p < 1000)).toBe(true);
      await until(() => !lens.moving, 5000, 'the lens at rest');
      expect(lens.zoom).toBeLessThan(1000);
    } finally {
      await camera.close();
    }
  });
});

describe('LineRegistry', () => {
  it('refuses a second name for the same port at another baud rate', async () => {
    bench = await openBench([1]);
    lines = new LineRegistry({ line: FAST_LINE });
    await lines.open({ name: 'a', port: bench.pair.controllerPath, baud: 9600 });
    await expect(lines.open({ name: 'b', port: bench.alias, baud: 4800 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'baud of line b' });
  });

  it('a port that does not exist fails with ZS_PORT_NOT_FOUND', async () => {
    lines = new LineRegistry({ line: FAST_LINE });
    await expect(lines.open({ name: 'a', port: '/dev/zoomsync-no-such-port' })).rejects.toMatchObject({ code: 'ZS_PORT_NOT_FOUND' });
  });

  it('close() stops every device the scheduler addressed, on the wire, and is safe to call twice', async () => {
    bench = await openBench([1, 3]);
    lines = new LineRegistry({ line: FAST_LINE });
    const { bus } = await lines.open({ name: 'a', port: bench.pair.controllerPath });
    bus.move(3, { kind: 'move', pan: 'left', panSpeed: 5, tiltSpeed: 0 });
    await until(() => bench!.sim.received.length === 1, 2000, 'the move');
    await Promise.all([lines.close(), lines.close()]);
    await until(() => bench!.sim.received.some((f) => f.hex === frameHex({ kind: 'stop' }, 3)), 2000, 'the stop');
  });
});
