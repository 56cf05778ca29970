/**
 * The live feed behind /ws: block and group state as it changes, dead-man stops, GPIO input
 * changes and rule firings/errors (with a gpio: section), and the line counters every
 * `countersEveryMs` while anyone listens. Listeners are plain functions (one per
 * authenticated WebSocket); nothing is sent to a connection that has not authenticated.
 */
import type { MotionControl } from './motion.js';
import type { RigHandle } from './rig-handle.js';
import { blockView, groupView, lineView } from './views.js';

export type LiveMessage = { type: string } & Record<string, unknown>;
export type LiveListener = (message: LiveMessage) => void;

export class LiveEvents {
  private readonly listeners = new Set<LiveListener>();
  private readonly detach: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly rig: RigHandle,
    private readonly motion: MotionControl,
    private readonly options: { countersEveryMs: number; blockLines?: ReadonlyMap<string, string> },
  ) {
    for (const block of rig.devices.all) {
      const onState = () => this.publish({ type: 'block', block: this.blockMessage(block.name) });
      block.on('state', onState);
      this.detach.push(() => block.off('state', onState));
    }
    for (const group of rig.groups.values()) {
      const onState = () => this.publish({ type: 'group', group: groupView(group) });
      group.on('state', onState);
      this.detach.push(() => group.off('state', onState));
    }
    const onMoved = ({ block }: { block: string }) => this.publish({ type: 'block', block: this.blockMessage(block) });
    const onDeadman = (event: { target: string; by: string; reason: string }) => this.publish({ type: 'deadman', ...event });
    const gpio = rig.gpio;
    if (gpio) {
      const onInput = (input: object) => this.publish({ type: 'gpio', input });
      const onBoard = (board: object) => this.publish({ type: 'gpio-board', ...board });
      const onFired = (firing: object) => this.publish({ type: 'rule', ...firing });
      const onRuleError = (failure: object) => this.publish({ type: 'rule-error', ...failure });
      const onOutputs = (outputs: object) => this.publish({ type: 'gpio-outputs', outputs });
      gpio.on('input', onInput);
      gpio.on('board', onBoard);
      gpio.on('fired', onFired);
      gpio.on('rule-error', onRuleError);
      gpio.on('outputs', onOutputs);
      this.detach.push(() => {
        gpio.off('input', onInput);
        gpio.off('board', onBoard);
        gpio.off('fired', onFired);
        gpio.off('rule-error', onRuleError);
        gpio.off('outputs', onOutputs);
      });
    }
    motion.on('moved', onMoved);
    motion.on('deadman', onDeadman);
    this.detach.push(() => motion.off('moved', onMoved), () => motion.off('deadman', onDeadman));
  }

  /** Everything as it is now, for a connection that just authenticated. */
  snapshot(): LiveMessage {
    return {
      type: 'snapshot',
      blocks: this.rig.devices.names.map((name) => this.blockMessage(name)),
      groups: [...this.rig.groups.values()].map(groupView),
      lines: this.rig.lines.lines.map(lineView),
      ...(this.rig.gpio ? { gpio: this.rig.gpio.inputs() } : {}),
    };
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => this.publish({ type: 'lines', lines: this.rig.lines.lines.map(lineView) }), this.options.countersEveryMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const off of this.detach) off();
    this.listeners.clear();
  }

  private blockMessage(name: string) {
    return blockView(this.rig.devices.get(name), this.motion, this.options.blockLines?.get(name));
  }

  private publish(message: LiveMessage): void {
    for (const listener of this.listeners) listener(message);
  }
}
