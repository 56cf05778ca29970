/**
 * Rules as the rig config carries them once checked (RigConfig.rules), and the events the rule
 * engine feeds them. Plain frozen data: the matcher (match.ts) is a pure function of the two.
 */
import type { FocusDirection, ZoomDirection } from '../../protocols/pelco/commands.js';

export type AlarmState = 'active' | 'inactive';
export type KeyState = 'pressed' | 'held' | 'released';
export type LightState = 'day' | 'night';

/** What fires a rule. */
export type RuleTrigger =
  | { readonly source: 'alarm'; readonly alarm: string; readonly is: AlarmState }
  | { readonly source: 'key'; readonly key: string; readonly is: KeyState }
  | { readonly source: 'light'; readonly is: LightState };

export type BlockTarget = { readonly block: string };
export type GroupTarget = { readonly group: string };
export type RuleTarget = BlockTarget | GroupTarget;

/** Continuous motion while a key is held. */
export interface HeldMove {
  readonly zoom?: ZoomDirection;
  readonly focus?: FocusDirection;
}

/** One action of a rule; every one goes through the target's public API (ZoomBlock, SyncGroup, the bridge's outputs). */
export type RuleAction =
  /** Moves while the key that fired the rule is held; a stop when it is released, the board is lost or the engine closes. */
  | { readonly kind: 'hold'; readonly target: RuleTarget; readonly move: HeldMove }
  | { readonly kind: 'stop'; readonly target: RuleTarget }
  | { readonly kind: 'zoom-to'; readonly target: RuleTarget; readonly raw: number }
  | { readonly kind: 'magnification'; readonly target: GroupTarget; readonly magnification: number }
  | { readonly kind: 'goto-preset'; readonly target: RuleTarget; readonly preset: number }
  | { readonly kind: 'recall-preset'; readonly target: GroupTarget; readonly preset: string }
  | { readonly kind: 'backlight'; readonly target: BlockTarget; readonly on: boolean }
  | { readonly kind: 'ir-pwm'; readonly percent: number }
  | { readonly kind: 'alarm-out'; readonly on: boolean }
  | { readonly kind: 'alarm-out-pulse'; readonly ms: number };

export interface RuleConfig {
  /** The rule's name, or its place in the file (rules.0) when it has none. */
  readonly name: string;
  /** Its place in the rig file, e.g. rules.0. */
  readonly at: string;
  readonly when: RuleTrigger;
  readonly then: readonly RuleAction[];
}

/** An input event as the engine hands it to the matcher. */
export type RuleEvent =
  | { readonly source: 'alarm'; readonly alarm: string; readonly is: AlarmState; readonly at: Date }
  | {
      readonly source: 'key';
      readonly key: string;
      readonly is: KeyState;
      readonly at: Date;
      /** held: 1 for the first hold, 2 for the first repeat, … */
      readonly count?: number;
      /** released: the board vanished with the key down. */
      readonly lost?: boolean;
    }
  | { readonly source: 'light'; readonly is: LightState; readonly at: Date };

/** An event in words, for errors and logs: `alarm door active`, `key up released (board lost)`. */
export function describeEvent(event: RuleEvent): string {
  switch (event.source) {
    case 'alarm':
      return `alarm ${event.alarm} ${event.is}`;
    case 'key':
      return `key ${event.key} ${event.is}${event.lost ? ' (board lost)' : ''}`;
    case 'light':
      return `light ${event.is}`;
  }
}

/** An action in words: `group rig: recall preset door`, `irPwm 80 %`. */
export function describeAction(action: RuleAction): string {
  const on = 'target' in action ? ('block' in action.target ? `block ${action.target.block}: ` : `group ${action.target.group}: `) : '';
  switch (action.kind) {
    case 'hold':
      return `${on}move ${[action.move.zoom && `zoom ${action.move.zoom}`, action.move.focus && `focus ${action.move.focus}`].filter(Boolean).join(', ')} while held`;
    case 'stop':
      return `${on}stop`;
    case 'zoom-to':
      return `${on}zoom to raw ${action.raw}`;
    case 'magnification':
      return `${on}zoom to ${action.magnification}x`;
    case 'goto-preset':
      return `${on}camera preset ${action.preset}`;
    case 'recall-preset':
      return `${on}recall preset ${action.preset}`;
    case 'backlight':
      return `${on}backlight ${action.on ? 'on' : 'off'}`;
    case 'ir-pwm':
      return `IR PWM ${action.percent} %`;
    case 'alarm-out':
      return `ALARM OUT ${action.on ? 'on' : 'off'}`;
    case 'alarm-out-pulse':
      return `ALARM OUT pulse ${action.ms} ms`;
  }
}
