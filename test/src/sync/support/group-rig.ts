/**
 * A rig of REAL ZoomBlocks (DeviceRegistry + LineRegistry) over real ptys to simulated SZ-G10s:
 * one PtyPair + SimulatedBus per line, any number of blocks per line, each simulator with its own
 * lens optics, and optionally an HTTP face (Szg10Simulator) on the same simulated lens.
 * The blocks are calibrated with their simulator's true optics, as a correctly calibrated rig is.
 */
import { Szg10Simulator } from '../../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../../hardware/sim/lens-model.js';
import { PtyPair } from '../../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../../hardware/sim/sim-bus.js';
import type { SimulatedZoomBlock } from '../../../../hardware/sim/zoom-block.js';
import { encode, type PelcoCommand, SZ_G10_PROFILE, toHex } from '../../../../protocols/pelco/index.js';
import { DeviceRegistry } from '../../../../src/devices/device-registry.js';
import { Szg10Client } from '../../../../src/devices/http/index.js';
import type { LimitMode } from '../../../../src/devices/soft-limits.js';
import type { ZoomBlock } from '../../../../src/devices/zoom-block.js';

export { until } from '../../../hardware/support/sim-rig.js';

export type Optics = readonly (readonly [number, number])[];

export const LINEAR: Optics = [[0, 1], [1000, 10]];
export const BENT: Optics = [[0, 1], [400, 3], [1000, 20]];
export const SHORT: Optics = [[0, 1], [1000, 5]];

export interface SimBlockSpec {
  name: string;
  address: number;
  /** The simulated lens's true optics, also given to the ZoomBlock as its calibration. Default LINEAR. */
  optics?: Optics;
  /** Full zoom travel at the fastest speed, ms. Default 200. */
  travelMs?: number;
  initialZoom?: number;
  /** Give the block an HTTP face (Szg10Simulator on the same lens). */
  http?: boolean;
  limits?: { zoom?: readonly [number, number] };
  limitMode?: LimitMode;
}

export interface SimLineSpec {
  name: string;
  blocks: SimBlockSpec[];
}

export interface SimLine {
  name: string;
  pair: PtyPair;
  /** The simulator on the device end now (a new one after replug). */
  sim: SimulatedBus;
  specs: SimBlockSpec[];
}

export class GroupRig {
  private constructor(
    readonly registry: DeviceRegistry,
    readonly simLines: Map<string, SimLine>,
    private readonly lenses: Map<string, SimulatedLens>,
    private readonly https: Szg10Simulator[],
  ) {}

  static async open(lines: SimLineSpec[]): Promise<GroupRig> {
    const simLines = new Map<string, SimLine>();
    const lenses = new Map<string, SimulatedLens>();
    const https: Szg10Simulator[] = [];
    const httpUrls = new Map<string, string>();
    for (const spec of lines) {
      const pair = await PtyPair.open();
      for (const b of spec.blocks) {
        const travel = b.travelMs ?? 200;
        lenses.set(b.name, new SimulatedLens({ optics: b.optics ?? LINEAR, initialZoom: b.initialZoom, zoomTravelMs: [travel * 4, travel * 3, travel * 2, travel] }));
        if (b.http) {
          const server = await Szg10Simulator.start({ lens: lenses.get(b.name)! });
          https.push(server);
          httpUrls.set(b.name, server.url);
        }
      }
      simLines.set(spec.name, { name: spec.name, pair, sim: await openSim(pair.devicePath, spec.blocks, lenses), specs: spec.blocks });
    }
    const registry = await DeviceRegistry.open(
      {
        lines: lines.map((l) => ({ name: l.name, port: simLines.get(l.name)!.pair.controllerPath })),
        blocks: lines.flatMap((l) =>
          l.blocks.map((b) => ({
            name: b.name,
            line: l.name,
            address: b.address,
            calibration: b.optics ?? LINEAR,
            limits: b.limits,
            limitMode: b.limitMode,
            http: b.http ? { url: httpUrls.get(b.name)!, user: 'admin', password: 'admin' } : undefined,
          })),
        ),
      },
      {
        line: { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} },
        scheduler: { queryTimeoutMs: 150, queryRetries: 0 },
        fallback: { probeIntervalMs: 50 },
        openHttp: (spec) => new Szg10Client({ url: spec.url, user: spec.user, password: spec.password, settlePollMs: 20 }),
      },
    );
    return new GroupRig(registry, simLines, lenses, https);
  }

  block(name: string): ZoomBlock {
    return this.registry.get(name);
  }

  get blocks(): ZoomBlock[] {
    return [...this.registry.all];
  }

  /** The simulated lens of a block (the physical truth). */
  lens(name: string): SimulatedLens {
    return this.lenses.get(name)!;
  }

  /** The line a block is on. */
  lineOf(name: string): SimLine {
    return [...this.simLines.values()].find((l) => l.specs.some((b) => b.name === name))!;
  }

  /** The simulator of a block, on its line's current SimulatedBus. */
  simBlock(name: string): SimulatedZoomBlock {
    const line = this.lineOf(name);
    return line.sim.block(line.specs.find((b) => b.name === name)!.address)!;
  }

  /** Frames the simulator of a block received (addressed to it), as hex, in order. */
  received(name: string): string[] {
    const line = this.lineOf(name);
    const address = line.specs.find((b) => b.name === name)!.address;
    return line.sim.received.filter((f) => f.address === address).map((f) => f.hex);
  }

  /** The USB adapter of a line is pulled: its simulator and both pty ends vanish. */
  async unplug(line: string): Promise<void> {
    const l = this.simLines.get(line)!;
    await l.sim.close();
    await l.pair.unplug();
  }

  /** The adapter returns: a new simulator on the same lenses opens the device end before the controller can reconnect. */
  async replug(line: string): Promise<void> {
    const l = this.simLines.get(line)!;
    await l.pair.replug(async (path) => {
      l.sim = await openSim(path, l.specs, this.lenses);
    });
  }

  async close(): Promise<void> {
    await this.registry.close();
    for (const l of this.simLines.values()) {
      await l.sim.close();
      await l.pair.close();
    }
    await Promise.all(this.https.map((h) => h.close()));
  }
}

async function openSim(path: string, blocks: SimBlockSpec[], lenses: Map<string, SimulatedLens>): Promise<SimulatedBus> {
  const sim = await SimulatedBus.open(path, { baudRate: 9600 });
  for (const b of blocks) sim.addBlock({ address: b.address, lens: lenses.get(b.name) });
  return sim;
}

/** The hex of a command's frame for an address on an sz-g10 PELCO-D line. */
export function frameHex(command: PelcoCommand, address: number): string {
  return toHex(encode(command, { dialect: 'D', address, profile: SZ_G10_PROFILE }));
}

/** Resolves with the next 'state' event of a group whose state satisfies `match`. */
export function nextState<E extends { state: string }>(
  emitter: { on(event: 'state', l: (e: E) => void): unknown; off(event: 'state', l: (e: E) => void): unknown },
  match: (e: E) => boolean,
): Promise<E> {
  return new Promise((resolve) => {
    const listener = (e: E) => {
      if (!match(e)) return;
      emitter.off('state', listener);
      resolve(e);
    };
    emitter.on('state', listener);
  });
}
