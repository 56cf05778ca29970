/**
 * The checks of the `gpio:` and `rules:` sections that need more than one value: the blocks
 * signals are wired to and the names a rule refers to must exist (blocks, groups, alarm inputs, ADKEY keys, the light sensor, the outputs),
 * an action must fit its target, a hold action needs a key to be held by, and the board's port
 * is no serial line's. Like the rest of the cross-checks, each value is read through its own
 * schema and judged only when it is valid, so one mistake is reported once.
 */
import { gpioPinMapSchema } from '../../hardware/gpio/pin-map.js';
import { checkPresetName } from '../sync/preset-store.js';
import { quote, type PathSegment } from '../config/problems.js';
import { ACTION_SCHEMA, ACTION_VERBS, type ActionEntry, type ActionVerb, ALARM_STATES, KEY_STATES, RULE_SCHEMA, TRIGGER_SCHEMA, type TriggerEntry } from './rule-schema.js';

export type Report = (path: PathSegment[], message: string) => void;

/** What the rest of the file names: each set undefined when that part is not valid (and so not judged). */
export interface RuleContext {
  blocks: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  /** The serial lines' ports, with the line's path in the file. */
  linePorts: ReadonlyMap<string, string>;
}

/** What the gpio: section provides; `undefined` for a part that is itself wrong (already reported). */
interface GpioNames {
  present: boolean;
  alarms: ReadonlySet<string> | undefined;
  /** Keys of the ADKEY ladder; null when there is no ADKEY. */
  keys: ReadonlySet<string> | null | undefined;
  light: boolean | undefined;
  irPwm: boolean | undefined;
  alarmOut: boolean | undefined;
}

const shape = gpioPinMapSchema.shape;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function part<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, value: unknown): { ok: true; value: T } | { ok: false } {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false };
}

function gpioNames(gpio: unknown): GpioNames {
  if (!isMapping(gpio)) return { present: gpio !== undefined, alarms: undefined, keys: undefined, light: undefined, irPwm: undefined, alarmOut: undefined };
  const alarms = part(shape.alarmInputs, gpio.alarmInputs);
  const adkey = part(shape.adkey, gpio.adkey);
  const has = (key: 'light' | 'irPwm' | 'alarmOut') => {
    const parsed = part(shape[key] as typeof shape.light, gpio[key]);
    return parsed.ok ? parsed.value !== undefined : undefined;
  };
  return {
    present: true,
    alarms: alarms.ok ? new Set(alarms.value.map((input) => input.name)) : undefined,
    keys: adkey.ok ? (adkey.value ? new Set(adkey.value.ladder.map((window) => window.key)) : null) : undefined,
    light: has('light'),
    irPwm: has('irPwm'),
    alarmOut: has('alarmOut'),
  };
}

const listOf = (names: Iterable<string>, none: string) => [...names].map((n) => quote(n)).join(', ') || none;

export function gpioAndRuleProblems(doc: unknown, context: RuleContext, report: Report): void {
  const file = isMapping(doc) ? doc : {};
  const gpio = gpioNames(file.gpio);
  if (isMapping(file.gpio)) {
    const port = part(shape.port, file.gpio.port);
    const line = port.ok ? context.linePorts.get(normalPort(port.value)) : undefined;
    if (line !== undefined) report(['gpio', 'port'], `port already used by serial line ${line} (got ${quote((file.gpio as { port: string }).port)}, expected the GPIO board's own port, e.g. /dev/ttyACM0)`);
    checkSignalBlocks(file.gpio, context.blocks, report);
  }
  const rules = Array.isArray(file.rules) ? file.rules : [];
  const names = new Map<string, number>();
  rules.forEach((entry, i) => {
    if (!isMapping(entry)) return;
    const name = part(RULE_SCHEMA.shape.name, entry.name);
    if (name.ok && name.value !== undefined) {
      const first = names.get(name.value);
      if (first === undefined) names.set(name.value, i);
      else report(['rules', i, 'name'], `duplicate rule name (got ${quote(name.value)}, expected a name no other rule has; rules.${first} has it)`);
    }
    const trigger = part(TRIGGER_SCHEMA, entry.when);
    const when = trigger.ok ? checkTrigger(trigger.value, gpio, ['rules', i, 'when'], report) : undefined;
    const then = Array.isArray(entry.then) ? entry.then : [];
    then.forEach((action, j) => {
      const parsed = part(ACTION_SCHEMA, action);
      if (parsed.ok) checkAction(parsed.value, when, gpio, context, ['rules', i, 'then', j], report);
    });
  });
}

/** A signal's `block:` (whose connector it is wired to) names a block of the file. */
function checkSignalBlocks(gpio: Record<string, unknown>, blocks: ReadonlySet<string>, report: Report): void {
  const check = (signal: unknown, path: PathSegment[]) => {
    if (!isMapping(signal) || typeof signal.block !== 'string' || signal.block === '' || blocks.has(signal.block)) return;
    report([...path, 'block'], `unknown block (got ${quote(signal.block)}, expected one of: ${listOf(blocks, 'none: define one under blocks:')})`);
  };
  if (Array.isArray(gpio.alarmInputs)) gpio.alarmInputs.forEach((input, i) => check(input, ['gpio', 'alarmInputs', i]));
  for (const key of ['alarmOut', 'adkey', 'light', 'irPwm', 'factoryReset'] as const) check(gpio[key], ['gpio', key]);
}

/** The same device written two ways (`/dev//ttyACM0/`) is one port. */
export function normalPort(port: string): string {
  return port.replace(/\/+/g, '/').replace(/\/$/, '');
}

/** The trigger's event source, when it is one that could fire; undefined when it is wrong (reported). */
function checkTrigger(when: TriggerEntry, gpio: GpioNames, path: PathSegment[], report: Report): TriggerEntry | undefined {
  const sources = (['alarm', 'key', 'light'] as const).filter((s) => when[s] !== undefined);
  if (sources.length === 0) {
    report(path, 'names no event (expected alarm: NAME, key: NAME or light: day|night)');
    return undefined;
  }
  if (sources.length > 1) {
    report([...path, sources[1]!], `a second event in one rule (got ${sources.join(' and ')}, expected one event per rule: write another rule)`);
    return undefined;
  }
  const noGpio = 'no gpio: section (expected a gpio: section with the board port and its signals)';
  let ok = true;
  const fail = (at: PathSegment[], message: string) => {
    report(at, message);
    ok = false;
  };
  switch (sources[0]) {
    case 'alarm':
      if (when.is !== undefined && !(ALARM_STATES as readonly string[]).includes(when.is)) fail([...path, 'is'], `does not fit an alarm (got ${quote(when.is)}, expected "active" or "inactive")`);
      if (!gpio.present) fail([...path, 'alarm'], noGpio);
      else if (gpio.alarms && !gpio.alarms.has(when.alarm!)) fail([...path, 'alarm'], `unknown alarm input (got ${quote(when.alarm)}, expected one of: ${listOf(gpio.alarms, 'none: define one under gpio.alarmInputs')})`);
      break;
    case 'key':
      if (when.is !== undefined && !(KEY_STATES as readonly string[]).includes(when.is)) fail([...path, 'is'], `does not fit a key (got ${quote(when.is)}, expected "pressed", "held" or "released")`);
      if (!gpio.present) fail([...path, 'key'], noGpio);
      else if (gpio.keys === null) fail([...path, 'key'], `no ADKEY on the board (got key ${quote(when.key)}, expected gpio.adkey: { pin: A0, ladder: ... })`);
      else if (gpio.keys && !gpio.keys.has(when.key!)) fail([...path, 'key'], `unknown ADKEY key (got ${quote(when.key)}, expected one of: ${listOf(gpio.keys, 'none')}; keys are named in gpio.adkey.ladder)`);
      break;
    case 'light':
      if (when.is !== undefined) fail([...path, 'is'], `light takes no is: (got ${quote(when.is)}, expected light: day or light: night alone)`);
      if (!gpio.present) fail([...path, 'light'], noGpio);
      else if (gpio.light === false) fail([...path, 'light'], 'no light sensor on the board (expected gpio.light: { pin: A1, dayVolts, nightVolts })');
      break;
  }
  return ok ? when : undefined;
}

type TargetNeed = 'block-or-group' | 'group' | 'block' | 'none';

const NEEDS: Record<ActionVerb, TargetNeed> = {
  whileHeld: 'block-or-group',
  stop: 'block-or-group',
  zoomTo: 'block-or-group',
  gotoPreset: 'block-or-group',
  magnification: 'group',
  recallPreset: 'group',
  backlight: 'block',
  irPwm: 'none',
  alarmOut: 'none',
};

/** Why a verb goes to one kind of target only (said when it is given the other). */
const WHY: Partial<Record<ActionVerb, string>> = {
  magnification: 'each member reaches it through its own calibration table; for one block use zoomTo with a raw position',
  recallPreset: 'group presets belong to groups; a block has camera presets (gotoPreset)',
  backlight: 'a PELCO backlight command goes to one block',
};

function checkAction(action: ActionEntry, when: TriggerEntry | undefined, gpio: GpioNames, context: RuleContext, path: PathSegment[], report: Report): void {
  const verbs = ACTION_VERBS.filter((verb) => action[verb] !== undefined);
  if (verbs.length === 0) {
    report(path, `no action (expected one of: ${ACTION_VERBS.join(', ')})`);
    return;
  }
  if (verbs.length > 1) {
    report([...path, verbs[1]!], `a second action in one entry (got ${verbs.join(' and ')}, expected one per list entry: write another entry)`);
    return;
  }
  const verb = verbs[0]!;
  const need = NEEDS[verb];
  if (action.block !== undefined && action.group !== undefined) {
    report([...path, 'group'], 'two targets (expected block: or group:, not both)');
    return;
  }
  const given = action.block !== undefined ? 'block' : action.group !== undefined ? 'group' : undefined;
  if (need === 'none' && given) {
    report([...path, given], `${verb} drives the GPIO board's own pin and takes no target (got ${given} ${quote(action[given])}, expected ${verb} alone)`);
  } else if (need !== 'none' && !given) {
    report(path, `${verb} needs a target (expected ${need === 'block-or-group' ? 'block: NAME or group: NAME' : `${need}: NAME`})`);
  } else if ((need === 'group' || need === 'block') && given !== need) {
    report([...path, given!], `${verb} does not fit a ${given} (got ${given} ${quote(action[given!])}, expected ${need}: NAME: ${WHY[verb]})`);
  } else if (given === 'block' && !context.blocks.has(action.block!)) {
    report([...path, 'block'], `unknown block (got ${quote(action.block)}, expected one of: ${listOf(context.blocks, 'none: define one under blocks:')})`);
  } else if (given === 'group' && !context.groups.has(action.group!)) {
    report([...path, 'group'], `unknown group (got ${quote(action.group)}, expected one of: ${listOf(context.groups, 'none: define one under groups:')})`);
  }

  switch (verb) {
    case 'whileHeld':
      if (when !== undefined && !(when.key !== undefined && (when.is === undefined || when.is === 'pressed' || when.is === 'held'))) {
        const got = when.key !== undefined ? `key ${quote(when.key)} ${when.is}` : when.alarm !== undefined ? `alarm ${quote(when.alarm)}` : `light ${when.light}`;
        report([...path, 'whileHeld'], `a hold action needs a key that is held (got when: ${got}, expected when: { key: NAME, is: pressed or held }: a release is what stops it)`);
      }
      break;
    case 'recallPreset':
      try {
        checkPresetName(action.recallPreset);
      } catch {
        report([...path, 'recallPreset'], `not a preset name (got ${quote(action.recallPreset)}, expected 1–64 letters, digits, space, _ . or -, starting with a letter or digit)`);
      }
      break;
    case 'irPwm':
      if (!gpio.present) report([...path, 'irPwm'], 'no gpio: section (expected a gpio: section with irPwm: { pin: N })');
      else if (gpio.irPwm === false) report([...path, 'irPwm'], 'no IR PWM pin on the board (expected gpio.irPwm: { pin: 9 })');
      break;
    case 'alarmOut':
      if (!gpio.present) report([...path, 'alarmOut'], 'no gpio: section (expected a gpio: section with alarmOut: { pin: N })');
      else if (gpio.alarmOut === false) report([...path, 'alarmOut'], 'no ALARM OUT pin on the board (expected gpio.alarmOut: { pin: 4 })');
      break;
    default:
      break;
  }
}
