/**
 * The rig file's `rules:` section as a zod schema: each value on its own. Which names exist,
 * whether an action fits its target and whether a hold action has a key to be held by needs the
 * rest of the file (or the rest of the rule) and is checked in rule-checks.ts.
 *
 * A rule:
 *   - name: door                                    # optional; default its path (rules.0)
 *     when: { alarm: door, is: active }             # or { key: up, is: held } or { light: night }
 *     then:
 *       - { group: rig, recallPreset: door }
 *
 * An action entry names at most one target (block: or group:) and exactly one verb. The verbs
 * are the targets' public operations (ZoomBlock / SyncGroup) and the board's outputs.
 */
import { z } from 'zod';

const expected = (text: string) => ({ error: `expected ${text}` });

/** Rule names: usable in log lines and the 'rule-error' event as they are (the rig file's name form). */
export const RULE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

export const ALARM_STATES = ['active', 'inactive'] as const;
export const KEY_STATES = ['pressed', 'held', 'released'] as const;
export const LIGHT_STATES = ['day', 'night'] as const;

const signalName = (what: string) => z.string(expected(`the name of ${what}`)).min(1, expected(`the name of ${what}`));

export const TRIGGER_SCHEMA = z
  .strictObject(
    {
      alarm: signalName('an alarm input (gpio.alarmInputs)').optional().describe('An alarm input by name (gpio.alarmInputs[].name).'),
      key: signalName('an ADKEY key (gpio.adkey.ladder)').optional().describe('An ADKEY key by name (gpio.adkey.ladder[].key; default K1–K5).'),
      light: z
        .enum(LIGHT_STATES, expected('"day" or "night"'))
        .optional()
        .describe('Day/night from the light sensor (gpio.light): the rule fires when it becomes this.'),
      is: z
        .enum([...ALARM_STATES, ...KEY_STATES], expected('"active" or "inactive" for an alarm; "pressed", "held" or "released" for a key'))
        .optional()
        .describe('alarm: active (default) or inactive. key: pressed (default), held (once, after the hold delay) or released.'),
    },
    expected('a mapping such as { alarm: door, is: active }, { key: up, is: held } or { light: night }'),
  )
  .describe('The event that fires the rule: an alarm input, an ADKEY key or day/night.');

const onOff = z
  .union([z.boolean(), z.enum(['on', 'off'])], expected('on or off'))
  .transform((value) => value === true || value === 'on');

const MOVE_SCHEMA = z
  .strictObject(
    {
      zoom: z.enum(['tele', 'wide'], expected('"tele" or "wide"')).optional(),
      focus: z.enum(['near', 'far'], expected('"near" or "far"')).optional(),
    },
    expected('a mapping such as { zoom: tele }'),
  )
  .refine((move) => move.zoom !== undefined || move.focus !== undefined, { error: 'moves nothing (expected zoom: tele|wide and/or focus: near|far)' })
  .describe('Continuous zoom and/or focus while the key is held; a stop on release.');

export const ACTION_SCHEMA = z
  .strictObject(
    {
      block: z.string(expected('the name of a block')).optional().describe('The block the action goes to.'),
      group: z.string(expected('the name of a group')).optional().describe('The group the action goes to.'),
      whileHeld: MOVE_SCHEMA.optional(),
      stop: z.literal(true, expected('true')).optional().describe('Stop the block or group.'),
      zoomTo: z.number(expected('a raw zoom position')).int(expected('an integer raw zoom position')).min(0, expected('a raw zoom position of 0 or more')).optional().describe("Absolute zoom, raw (the block's soft limits apply)."),
      magnification: z.number(expected('a magnification such as 4')).positive(expected('a magnification above 0')).optional().describe('A group: every member to this magnification through its calibration table.'),
      gotoPreset: z.number(expected('a camera preset number 1–255')).int(expected('a camera preset number 1–255')).min(1, expected('a camera preset number 1–255')).max(255, expected('a camera preset number 1–255')).optional().describe('A camera (PELCO) preset.'),
      recallPreset: z.string(expected('the name of a group preset')).optional().describe('A group preset (saved with savePreset).'),
      backlight: onOff.optional().describe('A block: PELCO backlight compensation on or off.'),
      irPwm: z.number(expected('a percentage 0–100')).min(0, expected('a percentage 0–100')).max(100, expected('a percentage 0–100')).optional().describe('The IR illuminator PWM (gpio.irPwm), percent.'),
      alarmOut: z
        .union([onOff, z.strictObject({ pulseMs: z.number().int().min(1).max(3_600_000) })], expected('on, off or { pulseMs: N }'))
        .optional()
        .describe('ALARM OUT (gpio.alarmOut): on, off, or { pulseMs: N }.'),
    },
    expected('a mapping such as { group: rig, recallPreset: door }'),
  )
  .describe('One action: a target (block: or group:, none for the board outputs) and one verb.');

export const RULE_SCHEMA = z
  .strictObject(
    {
      name: z
        .string(expected('a rule name'))
        .regex(RULE_NAME_PATTERN, expected('a rule name: a letter, then up to 31 letters, digits, - or _'))
        .optional()
        .describe('How errors and logs name the rule. Default: its place in the file (rules.0).'),
      when: TRIGGER_SCHEMA,
      then: z.array(ACTION_SCHEMA, expected('a list of actions')).min(1, expected('at least one action')).describe('What the rule does, in order.'),
    },
    expected('a mapping with when: and then:'),
  )
  .describe('When an input event happens, do these actions.');

export const RULES_SCHEMA = z.array(RULE_SCHEMA, expected('a list of rules')).describe('Rules: input events (alarms, keys, day/night) -> actions on blocks, groups and the board outputs.');

export type RuleEntry = z.output<typeof RULE_SCHEMA>;
export type TriggerEntry = z.output<typeof TRIGGER_SCHEMA>;
export type ActionEntry = z.output<typeof ACTION_SCHEMA>;

/** The verbs of an action entry, in the order the schema lists them. */
export const ACTION_VERBS = ['whileHeld', 'stop', 'zoomTo', 'magnification', 'gotoPreset', 'recallPreset', 'backlight', 'irPwm', 'alarmOut'] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];
