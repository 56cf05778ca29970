/**
 * Bursts: the frames several devices on one bus get for the same reason (a sync group's command
 * to its members) go on the wire back to back, with no idle gap between them.
 *
 * A BusScheduler hands frames to its line one at a time, each just before the virtual wire is
 * free (its leadMs), and a timer that fires late leaves the wire idle between two members'
 * frames. Inside asOneBurst(), every frame a scheduler queues (except queries, whose reply needs
 * the wire right after them) is tagged with one WireBurst, and the scheduler holds its pacing
 * until the callback has returned. Then the tagged frames next in its queue go to the line in
 * one write, as soon as the wire is free. (Not to be confused with the queue's moveBurst, which
 * is about fairness between moves and other frames.)
 *
 * Only what is queued synchronously inside the callback belongs to the burst. A call inside
 * another joins the outer burst.
 *
 * @example
 *   asOneBurst(() => { for (const block of members) void block.zoomTo(500); });
 */

/** One burst: schedulers tag its frames with it and resume pacing when it is fully queued. */
export class WireBurst {
  private readonly resumes = new Set<() => void>();

  /** Runs `resume` once every frame of the burst is queued (once per distinct function). */
  whenQueued(resume: () => void): void {
    this.resumes.add(resume);
  }

  /** @internal asOneBurst() calls it when its callback has returned. */
  queued(): void {
    for (const resume of this.resumes) resume();
    this.resumes.clear();
  }
}

let queuing: WireBurst | undefined;

/** Runs `queue` (synchronously); the frames it queues on each scheduler leave as one burst. Returns what `queue` returns. */
export function asOneBurst<T>(queue: () => T): T {
  if (queuing) return queue();
  const burst = new WireBurst();
  queuing = burst;
  try {
    return queue();
  } finally {
    queuing = undefined;
    burst.queued();
  }
}

/** The burst being queued right now (inside asOneBurst), if any. */
export function burstBeingQueued(): WireBurst | undefined {
  return queuing;
}
