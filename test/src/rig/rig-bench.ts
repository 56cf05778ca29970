/**
 * Simulated blocks on real ptys (one pty per line, blocks on a line share it as on one RS-485
 * pair), optionally each with its HTTP face on the same lens, and a rig file for them written
 * into a temp folder — what `zoomsync do` and `calibrate` are pointed at in tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { type LensOptions, SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import type { SimulatedZoomBlock } from '../../../hardware/sim/zoom-block.js';
import type { Dialect } from '../../../protocols/pelco/index.js';

export interface SimBlockSpec {
  name: string;
  /** Which simulated line (pty) it is on, by index. */
  line: number;
  address: number;
  dialect?: Dialect;
  http?: boolean;
  lens?: LensOptions;
}

export interface SimLine {
  pair: PtyPair;
  sim: SimulatedBus;
}

export interface RigBench {
  dir: string;
  lines: SimLine[];
  /** The simulated block of a rig block name. */
  block(name: string): SimulatedZoomBlock;
  /** Its HTTP face (url), when it has one. */
  http(name: string): Szg10Simulator | undefined;
  /** Writes a rig file into the bench's folder; `$LINE0`, `$URL_left` … are replaced by the real paths and URLs. */
  writeRig(yaml: string, name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Lens travel fast enough for tests (a full wide-to-tele at speed 3 in 100 ms). */
export const FAST_TRAVEL = { zoomTravelMs: [400, 300, 200, 100], focusTravelMs: [400, 300, 200, 100] } as const satisfies LensOptions;

export async function openRigBench(lineCount: number, blocks: SimBlockSpec[]): Promise<RigBench> {
  const dir = await mkdtemp(join(tmpdir(), 'zoomsync-rig-'));
  const lines: SimLine[] = [];
  const sims = new Map<string, SimulatedZoomBlock>();
  const faces = new Map<string, Szg10Simulator>();
  const close = async () => {
    for (const face of faces.values()) await face.close();
    for (const line of lines) {
      await line.sim.close();
      await line.pair.close();
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < lineCount; i++) {
      const pair = await PtyPair.open();
      lines.push({ pair, sim: await SimulatedBus.open(pair.devicePath) });
    }
    for (const spec of blocks) {
      const lens = new SimulatedLens({ ...FAST_TRAVEL, ...spec.lens });
      sims.set(spec.name, lines[spec.line]!.sim.addBlock({ address: spec.address, dialect: spec.dialect, lens }));
      if (spec.http) faces.set(spec.name, await Szg10Simulator.start({ lens }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    dir,
    lines,
    block: (name) => sims.get(name)!,
    http: (name) => faces.get(name),
    async writeRig(yaml, name = 'rig.yaml') {
      let text = yaml;
      lines.forEach((line, i) => (text = text.replaceAll(`$LINE${i}`, line.pair.controllerPath)));
      for (const [block, face] of faces) text = text.replaceAll(`$URL_${block}`, face.url);
      const file = join(dir, name);
      await writeFile(file, text);
      return file;
    },
    close,
  };
}
