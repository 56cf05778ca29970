/** Blocks over a real pty to simulated SZ-G10s; optionally each with its HTTP face on the same lens. */
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { encode, type PelcoCommand, SZ_G10_PROFILE, toHex } from '../../../protocols/pelco/index.js';
import { Szg10Client, type Szg10ClientOptions } from '../../../src/devices/http/index.js';
import type { LensPath } from '../../../src/devices/block-api.js';
import { ZoomBlock, type ZoomBlockOptions } from '../../../src/devices/zoom-block.js';
import { openRig, type RigOptions, type SimRig } from '../../hardware/support/sim-rig.js';

export { until } from '../../hardware/support/sim-rig.js';

export interface BlockRig {
  rig: SimRig;
  lens: SimulatedLens;
  http: Szg10Simulator | undefined;
  block: ZoomBlock;
  close(): Promise<void>;
}

export interface BlockRigOptions {
  withHttp?: boolean;
  block?: Partial<Omit<ZoomBlockOptions, 'bus' | 'line' | 'http'>>;
  rig?: RigOptions;
  /** The simulated lens (default fastLens()). */
  lens?: SimulatedLens;
  /** Options of the block's Szg10Client beyond url and credentials. */
  camera?: Partial<Szg10ClientOptions>;
}

export function fastLens(): SimulatedLens {
  return new SimulatedLens({ zoomTravelMs: [400, 300, 200, 100], focusTravelMs: [400, 300, 200, 100] });
}

export async function openBlockRig(options: BlockRigOptions = {}): Promise<BlockRig> {
  const lens = options.lens ?? fastLens();
  const rig = await openRig({ profile: SZ_G10_PROFILE, queryTimeoutMs: 60, queryRetries: 0, ...options.rig, lenses: { 1: lens } });
  const http = options.withHttp ? await Szg10Simulator.start({ lens }) : undefined;
  const camera = http && new Szg10Client({ url: http.url, user: 'admin', password: 'admin', settlePollMs: 20, ...options.camera });
  const block = new ZoomBlock({ name: 'left', address: 1, fallback: { probeIntervalMs: 50 }, ...options.block, bus: rig.bus, line: rig.line, http: camera });
  return {
    rig,
    lens,
    http,
    block,
    async close() {
      block.close();
      await rig.close();
      await camera?.close();
      await http?.close();
    },
  };
}

/** Resolves when the block's lens operations switch to `path`. */
export function nextPath(block: ZoomBlock, path: LensPath): Promise<void> {
  return new Promise((resolve) => {
    const check = (p: LensPath) => {
      if (p !== path) return;
      block.off('path', check);
      resolve();
    };
    block.on('path', check);
  });
}

/** Unplugs the pty; the device end is gone until the pair is replugged. */
export async function unplug(r: BlockRig): Promise<void> {
  await r.rig.sim.close();
  await r.rig.pair.unplug();
}

/** The hex of a command's frame as the block's line encodes it. */
export function frameHex(command: PelcoCommand, address = 1): string {
  return toHex(encode(command, { dialect: 'D', address, profile: SZ_G10_PROFILE }));
}
