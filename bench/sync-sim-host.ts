/**
 * Simulated buses in their own process, for bench/sync: the simulators' receive timestamps come
 * from this event loop, not from the loop that runs the schedulers under test. The bench forks
 * one for all lines (one simulated rig, one clock) or one per line (each simulator on its own
 * loop). Times sent back are on the machine's monotonic clock (process.hrtime), which every
 * process shares, in ms.
 *
 * Messages (IPC, from the bench):
 *   { type: 'open', baudRate, lines: [{ path, blocks: [{ address, optics, travelMs }] }] } -> { type: 'ready' }
 *   { type: 'take', n }   -> { type: 'frames', frames } once n set-zoom frames arrived (on all its lines) since the last take
 *   { type: 'lens' }      -> { type: 'lens', zoom: { [address]: zoom } of its first line, moving: boolean }
 *   { type: 'close' }     -> exits
 */
import { SimulatedLens } from '../hardware/sim/lens-model.js';
import { SimulatedBus } from '../hardware/sim/sim-bus.js';

export interface HostBlock {
  address: number;
  optics?: readonly (readonly [number, number])[];
  /** Full zoom travel at speed 3, ms. */
  travelMs?: number;
}

export type HostRequest =
  | { type: 'open'; baudRate: number; lines: { path: string; blocks: HostBlock[] }[] }
  | { type: 'take'; n: number }
  | { type: 'lens' }
  | { type: 'close' };

export interface HostFrame {
  address: number;
  /** Monotonic ms when the frame's last bytes reached the simulator (its port turned readable; see SimulatedBus). */
  at: number;
  /** Monotonic ms when a real UART at the baud rate would have finished receiving it. */
  wireEndAt: number;
}

export type HostReply = { type: 'ready' } | { type: 'frames'; frames: HostFrame[] } | { type: 'lens'; zoom: Record<number, number>; moving: boolean };

/**
 * performance.now() -> monotonic ms shared between processes. Estimated from the tightest of 50
 * hrtime / now / hrtime readings: on a loaded machine one reading can be split by a preemption,
 * and the first calls of each clock are slow.
 */
function clockOffset(): number {
  let best = { width: Infinity, offset: 0 };
  for (let i = 0; i < 50; i++) {
    const before = Number(process.hrtime.bigint()) / 1e6;
    const now = performance.now();
    const after = Number(process.hrtime.bigint()) / 1e6;
    if (after - before < best.width) best = { width: after - before, offset: (before + after) / 2 - now };
  }
  return best.offset;
}
const offset = clockOffset();

const sims: SimulatedBus[] = [];
let frames: HostFrame[] = [];
let wanted: number | undefined;

function reply(message: HostReply): void {
  process.send!(message);
}

function deliver(): void {
  if (wanted === undefined || frames.length < wanted) return;
  const batch = frames.splice(0, wanted);
  wanted = undefined;
  reply({ type: 'frames', frames: batch });
}

process.on('message', (message: HostRequest) => {
  switch (message.type) {
    case 'open':
      void Promise.all(message.lines.map((line) => openBus(line.path, message.baudRate, line.blocks))).then((opened) => {
        sims.push(...opened);
        reply({ type: 'ready' });
      });
      return;
    case 'take':
      wanted = message.n;
      deliver();
      return;
    case 'lens': {
      const zoom: Record<number, number> = {};
      let moving = false;
      for (const address of [1, 2, 3, 4, 5, 6, 7, 8]) {
        const block = sims[0]?.block(address);
        if (!block) continue;
        zoom[address] = block.lens.zoom;
        moving ||= block.lens.moving;
      }
      reply({ type: 'lens', zoom, moving });
      return;
    }
    case 'close':
      void Promise.all(sims.map((sim) => sim.close())).then(() => process.exit(0));
      return;
  }
});

async function openBus(path: string, baudRate: number, blocks: HostBlock[]): Promise<SimulatedBus> {
  const bus = await SimulatedBus.open(path, { baudRate, emulateWireTime: true });
  for (const b of blocks) {
    const travel = b.travelMs ?? 1500;
    bus.addBlock({ address: b.address, lens: new SimulatedLens({ optics: b.optics, zoomTravelMs: [travel * 4, travel * 3, travel * 2, travel] }) });
  }
  bus.on('frame', (frame) => {
    if (frame.command.kind !== 'set-zoom') return;
    frames.push({ address: frame.address, at: frame.at + offset, wireEndAt: frame.wireEndAt + offset });
    // Answer on a later turn, so a reply never delays reading the next frame of this command.
    if (wanted !== undefined && frames.length >= wanted) setImmediate(deliver);
  });
  return bus;
}
