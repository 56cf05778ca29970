/**
 * Which rules an event fires, and which held motions a release ends: pure, no I/O, no timers.
 * The engine (rule-engine.ts) feeds events in and carries the answers out.
 *
 * A key's `held` fires a rule once, at the first hold (count 1): the repeats that follow while
 * the key stays down would otherwise fire it again every repeatMs.
 */
import type { RuleAction, RuleConfig, RuleEvent, RuleTarget } from './types.js';

export interface PlannedAction {
  rule: RuleConfig;
  action: RuleAction;
}

/** The actions the event fires, rule by rule in file order, each rule's actions in its order. */
export function matchEvent(rules: readonly RuleConfig[], event: RuleEvent): PlannedAction[] {
  return rules.filter((rule) => fires(rule, event)).flatMap((rule) => rule.then.map((action) => ({ rule, action })));
}

export function fires(rule: RuleConfig, event: RuleEvent): boolean {
  const when = rule.when;
  switch (event.source) {
    case 'alarm':
      return when.source === 'alarm' && when.alarm === event.alarm && when.is === event.is;
    case 'key':
      return when.source === 'key' && when.key === event.key && when.is === event.is && (event.is !== 'held' || (event.count ?? 1) === 1);
    case 'light':
      return when.source === 'light' && when.is === event.is;
  }
}

/** A motion started while a key is held, and owed a stop. */
export interface HeldMotion {
  key: string;
  rule: string;
  target: RuleTarget;
}

const targetId = (target: RuleTarget) => ('block' in target ? `block:${target.block}` : `group:${target.group}`);

/**
 * The motions started by held keys. Every motion started is recorded BEFORE it is sent, and a
 * release (or a lost board, or closing) hands back every target to stop, each target once.
 */
export class HeldMotions {
  private readonly byKey = new Map<string, HeldMotion[]>();

  start(motion: HeldMotion): void {
    const list = this.byKey.get(motion.key) ?? [];
    list.push(motion);
    this.byKey.set(motion.key, list);
  }

  /** The motions `key` started, each target once (the first rule that moved it names it); forgotten here. */
  end(key: string): HeldMotion[] {
    const list = this.byKey.get(key) ?? [];
    this.byKey.delete(key);
    return uniqueTargets(list);
  }

  /** Every held motion, for every key. */
  endAll(): HeldMotion[] {
    const all = [...this.byKey.values()].flat();
    this.byKey.clear();
    return uniqueTargets(all);
  }

  get size(): number {
    return [...this.byKey.values()].reduce((n, list) => n + list.length, 0);
  }
}

function uniqueTargets(motions: readonly HeldMotion[]): HeldMotion[] {
  const seen = new Set<string>();
  return motions.filter((motion) => {
    const id = targetId(motion.target);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
