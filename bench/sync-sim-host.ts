/**
 * One simulated bus in its own process, for bench/sync. The bench forks one of these per line,
 * so the simulators' receive timestamps come from their own event loops, not from the loop that
 * runs the schedulers under test (nor from each other's). Times sent back are on the machine's
 * monotonic clock (process.hrtime), which every process shares, in ms.
 *
 * Messages (IPC, from the bench):
 *   { type: 'open', path, baudRate, blocks: [{ address, optics, travelMs }] } -> { type: 'ready' }
 *   { type: 'take', n }   -> { type: 'frames', frames } once n set-zoom frames arrived since the last take
 *   { type: 'lens' }      -> { type: 'lens', zoom: { [address]: zoom }, moving: boolean }
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
  | { type: 'open'; path: string; baudRate: number; blocks: HostBlock[] }
  | { type: 'take'; n: number }
  | { type: 'lens' }
  | { type: 'close' };

export interface HostFrame {
  address: number;
  /** Monotonic ms when the frame's last bytes were read. */
  at: number;
  /** Monotonic ms when a real UART at the baud rate would have finished receiving it. */
  wireEndAt: number;
}

export type HostReply = { type: 'ready' } | { type: 'frames'; frames: HostFrame[] } | { type: 'lens'; zoom: Record<number, number>; moving: boolean };

/** performance.now() -> monotonic ms shared between processes. */
const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();

let sim: SimulatedBus | undefined;
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
      void SimulatedBus.open(message.path, { baudRate: message.baudRate, emulateWireTime: true }).then((bus) => {
        sim = bus;
        for (const b of message.blocks) {
          const travel = b.travelMs ?? 1500;
          bus.addBlock({ address: b.address, lens: new SimulatedLens({ optics: b.optics, zoomTravelMs: [travel * 4, travel * 3, travel * 2, travel] }) });
        }
        bus.on('frame', (frame) => {
          if (frame.command.kind !== 'set-zoom') return;
          frames.push({ address: frame.address, at: frame.at + offset, wireEndAt: frame.wireEndAt + offset });
          // Answer on a later turn, so a reply never delays reading the next frame of this command.
          if (wanted !== undefined && frames.length >= wanted) setImmediate(deliver);
        });
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
        const block = sim?.block(address);
        if (!block) continue;
        zoom[address] = block.lens.zoom;
        moving ||= block.lens.moving;
      }
      reply({ type: 'lens', zoom, moving });
      return;
    }
    case 'close':
      void (sim?.close() ?? Promise.resolve()).then(() => process.exit(0));
      return;
  }
});
