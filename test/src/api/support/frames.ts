/** Waiting on what a simulated bus received after a point: events, never sleeps. */
import type { ReceivedFrame, SimulatedBus } from '../../../../hardware/sim/sim-bus.js';

/** The first frame received after the first `from` frames that matches (already there or still to come). */
export function frameAfter(sim: SimulatedBus, from: number, match: (f: ReceivedFrame) => boolean): Promise<ReceivedFrame> {
  const seen = sim.received.slice(from).find(match);
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

export const kindOf = (address: number, kind: string) => (f: ReceivedFrame) => f.address === address && f.command.kind === kind;
