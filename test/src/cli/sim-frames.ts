/** Waiting on what a simulated bus received: events, never sleeps. */
import type { ReceivedFrame, SimulatedBus } from '../../../hardware/sim/sim-bus.js';

/** Resolves with the first frame (already received or still to come) that matches. */
export function frameAt(sim: SimulatedBus, match: (frame: ReceivedFrame) => boolean): Promise<ReceivedFrame> {
  const seen = sim.received.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const onFrame = (frame: ReceivedFrame) => {
      if (!match(frame)) return;
      sim.off('frame', onFrame);
      resolve(frame);
    };
    sim.on('frame', onFrame);
  });
}

export const isMove = (address: number) => (f: ReceivedFrame) => f.address === address && f.command.kind === 'move';
export const isStop = (address: number) => (f: ReceivedFrame) => f.address === address && f.command.kind === 'stop';
