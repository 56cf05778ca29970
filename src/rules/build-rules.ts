/**
 * Checked `rules:` entries -> RuleConfig (the form the matcher and the engine read): each
 * trigger's defaults filled (an alarm is `active`, a key `pressed`), each action entry turned
 * into one tagged action. Only called once the schema and rule-checks.ts found nothing.
 */
import type { ActionEntry, RuleEntry, TriggerEntry } from './rule-schema.js';
import type { AlarmState, KeyState, RuleAction, RuleConfig, RuleTarget, RuleTrigger } from './types.js';

export function buildRules(entries: readonly RuleEntry[]): readonly RuleConfig[] {
  return Object.freeze(
    entries.map((entry, i) =>
      Object.freeze({
        name: entry.name ?? `rules.${i}`,
        at: `rules.${i}`,
        when: buildTrigger(entry.when),
        then: Object.freeze(entry.then.map(buildAction)),
      }),
    ),
  );
}

function buildTrigger(when: TriggerEntry): RuleTrigger {
  if (when.alarm !== undefined) return Object.freeze({ source: 'alarm', alarm: when.alarm, is: (when.is ?? 'active') as AlarmState });
  if (when.key !== undefined) return Object.freeze({ source: 'key', key: when.key, is: (when.is ?? 'pressed') as KeyState });
  return Object.freeze({ source: 'light', is: when.light! });
}

function buildAction(entry: ActionEntry): RuleAction {
  const target = (): RuleTarget => Object.freeze(entry.block !== undefined ? { block: entry.block } : { group: entry.group! });
  const group = () => Object.freeze({ group: entry.group! });
  let action: RuleAction;
  if (entry.whileHeld) action = { kind: 'hold', target: target(), move: Object.freeze({ ...entry.whileHeld }) };
  else if (entry.stop) action = { kind: 'stop', target: target() };
  else if (entry.zoomTo !== undefined) action = { kind: 'zoom-to', target: target(), raw: entry.zoomTo };
  else if (entry.magnification !== undefined) action = { kind: 'magnification', target: group(), magnification: entry.magnification };
  else if (entry.gotoPreset !== undefined) action = { kind: 'goto-preset', target: target(), preset: entry.gotoPreset };
  else if (entry.recallPreset !== undefined) action = { kind: 'recall-preset', target: group(), preset: entry.recallPreset };
  else if (entry.backlight !== undefined) action = { kind: 'backlight', target: { block: entry.block! }, on: entry.backlight };
  else if (entry.irPwm !== undefined) action = { kind: 'ir-pwm', percent: entry.irPwm };
  else if (typeof entry.alarmOut === 'boolean') action = { kind: 'alarm-out', on: entry.alarmOut };
  else if (entry.alarmOut !== undefined) action = { kind: 'alarm-out-pulse', ms: entry.alarmOut.pulseMs };
  else throw new Error('unreachable: an action entry without a verb passed the checks');
  return Object.freeze(action);
}
