/**
 * Keeps the blocks' positions fresh for the console: reads each block's zoom (and focus, where
 * its HTTP side has a lens read) on a slow beat, faster while it moves. Each reading reaches
 * the WebSocket through the block's own 'state' event. One read in flight per block; a failed
 * read only waits for the next beat (the block itself marks itself offline).
 *
 * @example
 *   const poller = new PositionPoller(rig.devices.all, { idleMs: 1500, movingMs: 250 });
 *   ...
 *   poller.close();
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import type { ZoomBlock } from '../devices/zoom-block.js';

export interface PositionPollerOptions {
  /** Between reads of a still block, ms. Default 1500. */
  idleMs?: number;
  /** Between reads of a moving block, ms. Default 250. */
  movingMs?: number;
  /** Read the focus (HTTP) every this many zoom reads, on blocks whose HTTP side reads the lens. Default 4. */
  focusEvery?: number;
}

export class PositionPoller {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly idleMs: number;
  private readonly movingMs: number;
  private readonly focusEvery: number;

  constructor(blocks: readonly ZoomBlock[], options: PositionPollerOptions = {}) {
    this.idleMs = checkMs('idleMs', options.idleMs ?? 1500);
    this.movingMs = checkMs('movingMs', options.movingMs ?? 250);
    this.focusEvery = options.focusEvery ?? 4;
    if (!Number.isInteger(this.focusEvery) || this.focusEvery < 1) throw new InvalidArgumentError('focusEvery', this.focusEvery, 'an integer ≥ 1');
    for (const block of blocks) this.loop(block, 0);
  }

  private loop(block: ZoomBlock, count: number): void {
    if (this.closed) return;
    const withFocus = count % this.focusEvery === 0 && block.config?.supports('lens') === true;
    const read = withFocus ? block.readFocus() : block.readZoom(); // the lens read carries zoom and focus
    void read
      .catch(() => {})
      .finally(() => {
        if (this.closed) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.loop(block, count + 1);
        }, block.moving ? this.movingMs : this.idleMs);
        timer.unref();
        this.timers.add(timer);
      });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function checkMs(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 20 || value > 60_000) throw new InvalidArgumentError(field, value, 'an integer 20–60000 ms');
  return value;
}
