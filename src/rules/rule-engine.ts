/**
 * RuleEngine: listens to the GPIO bridge's inputs, asks the pure matcher (match.ts) which
 * actions an event fires, and carries them out through the targets' public API (ZoomBlock,
 * SyncGroup, the bridge's outputs), so soft limits, bus priorities and stops apply as for any
 * other caller.
 *
 * Safety: a `hold` action's motion is recorded before it is sent, and a stop is sent to its
 * target when the key is released, when the board is lost (AdKey releases the key with
 * `lost: true`; the board's own 'lost' is a second net), and when the engine is closed.
 *
 * A failing action is reported as 'rule-error' { rule, event, action, error }; the other
 * actions and rules carry on.
 *
 * @example
 *   const engine = new RuleEngine({ rules: rig.config.rules, signals, targets: rig });
 *   engine.on('rule-error', ({ rule, event, error }) => log(`rule ${rule} (${describeEvent(event)}): ${error.message}`));
 *   …
 *   await engine.close(); // held motions stopped
 */
import { EventEmitter } from 'node:events';
import type { GpioSignals } from '../../hardware/gpio/signals.js';
import { InvalidArgumentError } from '../../protocols/errors.js';
import type { MoveCommand } from '../../protocols/pelco/commands.js';
import { HeldMotions, type HeldMotion, matchEvent, type PlannedAction } from './match.js';
import { describeAction, describeEvent, type RuleAction, type RuleConfig, type RuleEvent, type RuleTarget } from './types.js';

type Move = Omit<MoveCommand, 'kind'>;

/** The part of a block (ZoomBlock) rules drive. */
export interface RuleBlock {
  readonly name: string;
  move(command: Move): Promise<unknown>;
  stop(): Promise<unknown>;
  zoomTo(raw: number): Promise<unknown>;
  gotoPreset(preset: number): Promise<unknown>;
  backlight(on: boolean): Promise<unknown>;
}

/** The part of a group (SyncGroup) rules drive. */
export interface RuleGroup {
  readonly name: string;
  move(command: Move): Promise<unknown>;
  stop(): Promise<unknown>;
  zoomTo(target: { raw: number } | { magnification: number }): Promise<unknown>;
  gotoPreset(preset: number): Promise<unknown>;
  recallPreset(name: string): Promise<unknown>;
}

/** Where rules find their targets by name (a Rig, or a registry and a group list). Each throws for an unknown name. */
export interface RuleTargets {
  block(name: string): RuleBlock;
  group(name: string): RuleGroup;
}

export type RuleSignals = Pick<GpioSignals, 'board' | 'alarmInputs' | 'adkey' | 'light' | 'irPwm' | 'alarmOut'>;

export interface RuleEngineOptions {
  rules: readonly RuleConfig[];
  signals: RuleSignals;
  targets: RuleTargets;
}

export interface RuleErrorEvent {
  /** The rule's name (its place in the file when it has none). */
  rule: string;
  event: RuleEvent;
  action: RuleAction | { kind: 'stop-held'; target: RuleTarget };
  error: unknown;
}

export interface RuleEngineEvents {
  /** A rule fired: its actions have been started. */
  fired: [{ rule: string; event: RuleEvent }];
  'rule-error': [RuleErrorEvent];
}

export class RuleEngine extends EventEmitter<RuleEngineEvents> {
  readonly rules: readonly RuleConfig[];
  private readonly signals: RuleSignals;
  private readonly targets: RuleTargets;
  private readonly blocks = new Map<string, RuleBlock>();
  private readonly groups = new Map<string, RuleGroup>();
  private readonly held = new HeldMotions();
  private readonly detach: (() => void)[] = [];
  private closing: Promise<void> | undefined;

  /** Resolves every target and signal the rules name; throws InvalidArgumentError for the first one missing. */
  constructor(options: RuleEngineOptions) {
    super();
    if (!Array.isArray(options?.rules)) throw new InvalidArgumentError('rules', options?.rules, 'a list of rules (RigConfig.rules)');
    this.rules = options.rules;
    this.signals = options.signals;
    if (!this.signals?.board) throw new InvalidArgumentError('signals', this.signals, 'the GPIO signals (createGpioSignals)');
    this.targets = options.targets;
    if (typeof this.targets?.block !== 'function' || typeof this.targets.group !== 'function') {
      throw new InvalidArgumentError('targets', this.targets, 'an object with block(name) and group(name), such as a Rig');
    }
    for (const rule of this.rules) this.resolve(rule);
    this.listen();
  }

  /** Held motions not yet stopped. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Feeds one event (the inputs call this; tests and other sources may too). Ignored once closed. */
  handle(event: RuleEvent): void {
    if (this.closing) return;
    if (event.source === 'key' && event.is === 'released') this.stopHeld(this.held.end(event.key), event);
    const planned = matchEvent(this.rules, event);
    let rule: RuleConfig | undefined;
    for (const step of planned) {
      if (rule && step.rule !== rule) this.emit('fired', { rule: rule.name, event });
      rule = step.rule;
      this.run(step, event);
    }
    if (rule) this.emit('fired', { rule: rule.name, event });
  }

  /** Stops listening and stops every held motion; resolves once the stops are sent (or failed, reported). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const off of this.detach.splice(0)) off();
      const at = new Date();
      await this.stopHeld(this.held.endAll(), (motion) => ({ source: 'key', key: motion.key, is: 'released', at }));
    })();
    return this.closing;
  }

  // ---- carrying out ---------------------------------------------------------------------

  private run({ rule, action }: PlannedAction, event: RuleEvent): void {
    if (action.kind === 'hold') {
      // only a key's release can end it (the constructor made sure the rule has one)
      if (event.source !== 'key') return;
      // recorded before it is sent: whatever happens to the move, its stop is owed
      this.held.start({ key: event.key, rule: rule.name, target: action.target });
    }
    this.settle(this.perform(action), (error) => this.report({ rule: rule.name, event, action, error }));
  }

  /** 'rule-error' to its listeners; with none, a process warning (never silence). */
  private report(failure: RuleErrorEvent): void {
    if (this.listenerCount('rule-error') > 0) {
      this.emit('rule-error', failure);
      return;
    }
    const what = failure.action.kind === 'stop-held' ? 'the stop of a held motion' : describeAction(failure.action);
    process.emitWarning(`rule ${failure.rule} (${describeEvent(failure.event)}): ${what} failed: ${failure.error instanceof Error ? failure.error.message : String(failure.error)}`);
  }

  private perform(action: RuleAction): Promise<unknown> {
    try {
      switch (action.kind) {
        case 'hold': {
          const move: Move = { panSpeed: 0, tiltSpeed: 0, ...action.move };
          return this.onTarget(action.target, (b) => b.move(move), (g) => g.move(move));
        }
        case 'stop':
          return this.onTarget(action.target, (b) => b.stop(), (g) => g.stop());
        case 'zoom-to':
          return this.onTarget(action.target, (b) => b.zoomTo(action.raw), (g) => g.zoomTo({ raw: action.raw }));
        case 'magnification':
          return this.groups.get(action.target.group)!.zoomTo({ magnification: action.magnification });
        case 'goto-preset':
          return this.onTarget(action.target, (b) => b.gotoPreset(action.preset), (g) => g.gotoPreset(action.preset));
        case 'recall-preset':
          return this.groups.get(action.target.group)!.recallPreset(action.preset);
        case 'backlight':
          return this.blocks.get(action.target.block)!.backlight(action.on);
        case 'ir-pwm':
          return this.signals.irPwm!.set(action.percent);
        case 'alarm-out':
          return action.on ? this.signals.alarmOut!.on() : this.signals.alarmOut!.off();
        case 'alarm-out-pulse':
          return this.signals.alarmOut!.pulse(action.ms);
      }
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private onTarget<T>(target: RuleTarget, onBlock: (block: RuleBlock) => Promise<T>, onGroup: (group: RuleGroup) => Promise<T>): Promise<T> {
    return 'block' in target ? onBlock(this.blocks.get(target.block)!) : onGroup(this.groups.get(target.group)!);
  }

  /** Sends a stop to each motion's target (all in one loop), reporting a failed stop against the rule that started the motion. */
  private stopHeld(motions: HeldMotion[], event: RuleEvent | ((motion: HeldMotion) => RuleEvent)): Promise<void> {
    const sent = motions.map((motion) => {
      const stop = this.perform({ kind: 'stop', target: motion.target });
      const cause = typeof event === 'function' ? event(motion) : event;
      return this.settle(stop, (error) => this.report({ rule: motion.rule, event: cause, action: { kind: 'stop-held', target: motion.target }, error }));
    });
    return Promise.all(sent).then(() => {});
  }

  private settle(pending: Promise<unknown>, onError: (error: unknown) => void): Promise<void> {
    return pending.then(
      () => {},
      (error: unknown) => {
        // a listener that throws must not turn into an unhandled rejection
        try {
          onError(error);
        } catch {
          /* reported already: the listener's own problem */
        }
      },
    );
  }

  // ---- wiring ---------------------------------------------------------------------------

  private resolve(rule: RuleConfig): void {
    const when = rule.when;
    const s = this.signals;
    if (when.source === 'alarm' && !s.alarmInputs.some((input) => input.name === when.alarm)) {
      throw new InvalidArgumentError(`alarm of rule ${rule.name}`, when.alarm, `one of the board's alarm inputs (${s.alarmInputs.map((i) => i.name).join(', ') || 'none'})`);
    }
    if (when.source === 'key' && !s.adkey) throw new InvalidArgumentError(`key of rule ${rule.name}`, when.key, 'a key of the board’s ADKEY (the board has none)');
    if (when.source === 'light' && !s.light) throw new InvalidArgumentError(`light of rule ${rule.name}`, when.is, 'a light sensor on the board (it has none)');
    for (const action of rule.then) {
      if (action.kind === 'hold' && !(when.source === 'key' && when.is !== 'released')) {
        // nothing would ever end the motion (the config check refuses this too)
        throw new InvalidArgumentError(`hold action of rule ${rule.name}`, describeAction(action), 'a rule fired by a key that is pressed or held: its release stops the motion');
      }
      if (action.kind === 'ir-pwm' && !s.irPwm) throw new InvalidArgumentError(`irPwm of rule ${rule.name}`, action.percent, 'an IR PWM pin on the board (it has none)');
      if ((action.kind === 'alarm-out' || action.kind === 'alarm-out-pulse') && !s.alarmOut) throw new InvalidArgumentError(`alarmOut of rule ${rule.name}`, action.kind, 'an ALARM OUT pin on the board (it has none)');
      if (!('target' in action)) continue;
      if ('block' in action.target) {
        if (!this.blocks.has(action.target.block)) this.blocks.set(action.target.block, this.targets.block(action.target.block));
      } else if (!this.groups.has(action.target.group)) this.groups.set(action.target.group, this.targets.group(action.target.group));
    }
  }

  private listen(): void {
    const s = this.signals;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each listener below names its own payload
    const on = (emitter: NodeJS.EventEmitter, name: string, listener: (payload: any) => void) => {
      emitter.on(name, listener);
      this.detach.push(() => emitter.off(name, listener));
    };
    for (const input of s.alarmInputs) {
      on(input, 'active', ({ name, at }: { name: string; at: Date }) => this.handle({ source: 'alarm', alarm: name, is: 'active', at }));
      on(input, 'inactive', ({ name, at }: { name: string; at: Date }) => this.handle({ source: 'alarm', alarm: name, is: 'inactive', at }));
    }
    if (s.adkey) {
      on(s.adkey, 'press', ({ key, at }: { key: string; at: Date }) => this.handle({ source: 'key', key, is: 'pressed', at }));
      on(s.adkey, 'hold', ({ key, at, count }: { key: string; at: Date; count: number }) => this.handle({ source: 'key', key, is: 'held', at, count }));
      on(s.adkey, 'release', ({ key, at, lost }: { key: string; at: Date; lost: boolean }) => this.handle({ source: 'key', key, is: 'released', at, lost }));
    }
    if (s.light) {
      on(s.light, 'day', ({ at }: { at: Date }) => this.handle({ source: 'light', is: 'day', at }));
      on(s.light, 'night', ({ at }: { at: Date }) => this.handle({ source: 'light', is: 'night', at }));
    }
    // A second net under AdKey's release { lost: true }: no held motion outlives the board.
    on(s.board, 'lost', () => {
      const at = new Date();
      void this.stopHeld(this.held.endAll(), (motion) => ({ source: 'key', key: motion.key, is: 'released', at, lost: true }));
    });
  }
}
