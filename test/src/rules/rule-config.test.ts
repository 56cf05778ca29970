/** The rig file's gpio: and rules: sections: what loads, and every bad rule as a problem with its path. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocols/errors.js';
import { parseRigConfig, type RigProblem } from '../../../src/config/index.js';
import { runCli } from '../../helpers/cli.js';

const HEAD = `
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks:
  - { name: left, line: bus1, address: 1 }
  - { name: right, line: bus1, address: 2 }
groups: [{ name: rig, members: [left, right] }]
gpio:
  port: /dev/ttyACM0
  alarmInputs: [{ name: door, pin: 2 }]
  alarmOut: { pin: 4 }
  irPwm: { pin: 9 }
  adkey:
    pin: A0
    ladder:
      - { key: up, minVolts: 0.0, maxVolts: 0.07 }
      - { key: down, minVolts: 0.1, maxVolts: 0.25 }
  light: { pin: A1, dayVolts: 1.2, nightVolts: 0.8 }
`;

function problemsOf(text: string): RigProblem[] {
  try {
    parseRigConfig(text, 'rig.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('the file loaded, but problems were expected');
}

/** `path: message` of each problem of HEAD plus these rules. */
function ruleProblems(rules: string): string[] {
  return problemsOf(`${HEAD}rules:\n${rules}`).map((p) => `${p.path}: ${p.message}`);
}

describe('the gpio: and rules: sections', () => {
  it('load into RigConfig.gpio (pin map, defaults filled) and RigConfig.rules (triggers with their defaults, one tagged action per entry)', () => {
    const rig = parseRigConfig(`${HEAD}rules:
  - name: door
    when: { alarm: door }
    then: [{ group: rig, recallPreset: door }]
  - when: { key: up, is: held }
    then: [{ block: left, whileHeld: { zoom: tele } }]
  - name: night
    when: { light: night }
    then:
      - { irPwm: 80 }
      - { block: left, backlight: on }
      - { alarmOut: { pulseMs: 2000 } }
`);
    expect(rig.gpio).toMatchObject({ port: '/dev/ttyACM0', referenceVolts: 3.3, alarmInputs: [{ name: 'door', pin: 2, activeLevel: 'low', pullUp: true, debounceMs: 50 }], adkey: { pin: 0 } });
    expect(Object.isFrozen(rig.gpio!.alarmInputs[0])).toBe(true); // frozen all the way down, like the rest of RigConfig
    expect(rig.rules).toEqual([
      { name: 'door', at: 'rules.0', when: { source: 'alarm', alarm: 'door', is: 'active' }, then: [{ kind: 'recall-preset', target: { group: 'rig' }, preset: 'door' }] },
      { name: 'rules.1', at: 'rules.1', when: { source: 'key', key: 'up', is: 'held' }, then: [{ kind: 'hold', target: { block: 'left' }, move: { zoom: 'tele' } }] },
      {
        name: 'night',
        at: 'rules.2',
        when: { source: 'light', is: 'night' },
        then: [
          { kind: 'ir-pwm', percent: 80 },
          { kind: 'backlight', target: { block: 'left' }, on: true },
          { kind: 'alarm-out-pulse', ms: 2000 },
        ],
      },
    ]);
  });

  it('a file without them has no gpio and no rules', () => {
    const rig = parseRigConfig('lines: [{ name: bus1, port: /dev/ttyUSB0 }]\nblocks: [{ name: left, line: bus1, address: 1 }]\n');
    expect(rig.gpio).toBeUndefined();
    expect(rig.rules).toEqual([]);
  });

  it('the example in docs/gpio.md loads', async () => {
    const doc = await readFile('docs/gpio.md', 'utf8');
    const example = /## The rig file's gpio: and rules:[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const rig = parseRigConfig(example!);
    expect(rig.rules.length).toBeGreaterThanOrEqual(3);
    expect(rig.gpio?.port).toBe('/dev/ttyACM0');
  });

  it('names a rule refers to must exist: block, group, alarm input, ADKEY key', () => {
    expect(
      ruleProblems(`
  - { when: { alarm: window }, then: [{ block: centre, stop: true }] }
  - { when: { key: left }, then: [{ group: stage, gotoPreset: 3 }] }
`),
    ).toEqual([
      'rules.0.when.alarm: unknown alarm input (got "window", expected one of: "door")',
      'rules.0.then.0.block: unknown block (got "centre", expected one of: "left", "right")',
      'rules.1.when.key: unknown ADKEY key (got "left", expected one of: "up", "down"; keys are named in gpio.adkey.ladder)',
      'rules.1.then.0.group: unknown group (got "stage", expected one of: "rig")',
    ]);
  });

  it('an action that does not fit its target is refused, saying what fits', () => {
    expect(
      ruleProblems(`
  - when: { alarm: door }
    then:
      - { group: rig, backlight: on }
      - { block: left, recallPreset: door }
      - { block: left, magnification: 4 }
      - { block: left, irPwm: 50 }
      - { zoomTo: 500 }
      - { block: left, group: rig, stop: true }
`),
    ).toEqual([
      'rules.0.then.0.group: backlight does not fit a group (got group "rig", expected block: NAME: a PELCO backlight command goes to one block)',
      'rules.0.then.1.block: recallPreset does not fit a block (got block "left", expected group: NAME: group presets belong to groups; a block has camera presets (gotoPreset))',
      'rules.0.then.2.block: magnification does not fit a block (got block "left", expected group: NAME: each member reaches it through its own calibration table; for one block use zoomTo with a raw position)',
      'rules.0.then.3.block: irPwm drives the GPIO board\'s own pin and takes no target (got block "left", expected irPwm alone)',
      'rules.0.then.4: zoomTo needs a target (expected block: NAME or group: NAME)',
      'rules.0.then.5.group: two targets (expected block: or group:, not both)',
    ]);
  });

  it('a hold action needs a key that is pressed or held: not an alarm, day/night or a release', () => {
    expect(
      ruleProblems(`
  - { when: { alarm: door }, then: [{ group: rig, whileHeld: { zoom: tele } }] }
  - { when: { light: night }, then: [{ block: left, whileHeld: { focus: far } }] }
  - { when: { key: up, is: released }, then: [{ block: left, whileHeld: { zoom: wide } }] }
  - { when: { key: up, is: pressed }, then: [{ block: left, whileHeld: { zoom: wide } }] }
  - { when: { key: down, is: held }, then: [{ group: rig, whileHeld: { zoom: wide } }] }
`),
    ).toEqual([
      'rules.0.then.0.whileHeld: a hold action needs a key that is held (got when: alarm "door", expected when: { key: NAME, is: pressed or held }: a release is what stops it)',
      'rules.1.then.0.whileHeld: a hold action needs a key that is held (got when: light night, expected when: { key: NAME, is: pressed or held }: a release is what stops it)',
      'rules.2.then.0.whileHeld: a hold action needs a key that is held (got when: key "up" released, expected when: { key: NAME, is: pressed or held }: a release is what stops it)',
    ]);
  });

  it('a trigger names one event, with a state that fits it', () => {
    expect(
      ruleProblems(`
  - { when: { alarm: door, key: up }, then: [{ irPwm: 10 }] }
  - { when: { alarm: door, is: held }, then: [{ irPwm: 10 }] }
  - { when: { key: up, is: active }, then: [{ irPwm: 10 }] }
  - { when: { light: day, is: active }, then: [{ irPwm: 10 }] }
  - { when: {}, then: [{ irPwm: 10 }] }
  - { when: { key: up, is: bounced }, then: [{ irPwm: 10 }] }
`),
    ).toEqual([
      'rules.0.when.key: a second event in one rule (got alarm and key, expected one event per rule: write another rule)',
      'rules.1.when.is: does not fit an alarm (got "held", expected "active" or "inactive")',
      'rules.2.when.is: does not fit a key (got "active", expected "pressed", "held" or "released")',
      'rules.3.when.is: light takes no is: (got "active", expected light: day or light: night alone)',
      'rules.4.when: names no event (expected alarm: NAME, key: NAME or light: day|night)',
      'rules.5.when.is: not one of the choices (got "bounced", expected "active" or "inactive" for an alarm; "pressed", "held" or "released" for a key)',
    ]);
  });

  it('an entry has one verb: none, or two, is a problem', () => {
    expect(
      ruleProblems(`
  - when: { alarm: door }
    then:
      - { block: left }
      - { group: rig, recallPreset: door, zoomTo: 10 }
      - { group: rig, whileHeld: {} }
      - { block: left, fly: true }
`),
    ).toEqual([
      'rules.0.then.0: no action (expected one of: whileHeld, stop, zoomTo, magnification, gotoPreset, recallPreset, backlight, irPwm, alarmOut)',
      'rules.0.then.1.recallPreset: a second action in one entry (got zoomTo and recallPreset, expected one per list entry: write another entry)',
      'rules.0.then.2.whileHeld: moves nothing (expected zoom: tele|wide and/or focus: near|far)',
      'rules.0.then.3.fly: unknown key (got "fly", expected one of: block, group, whileHeld, stop, zoomTo, magnification, gotoPreset, recallPreset, backlight, irPwm, alarmOut)',
    ]);
  });

  it('rules need the gpio signals they use, and rule names are unique', () => {
    const problems = problemsOf(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
gpio: { port: /dev/ttyACM0, alarmInputs: [{ name: door, pin: 2 }] }
rules:
  - { name: a, when: { key: up }, then: [{ irPwm: 80 }] }
  - { name: a, when: { light: night }, then: [{ alarmOut: on }] }
`).map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual([
      'rules.0.when.key: no ADKEY on the board (got key "up", expected gpio.adkey: { pin: A0, ladder: ... })',
      'rules.0.then.0.irPwm: no IR PWM pin on the board (expected gpio.irPwm: { pin: 9 })',
      'rules.1.name: duplicate rule name (got "a", expected a name no other rule has; rules.0 has it)',
      'rules.1.when.light: no light sensor on the board (expected gpio.light: { pin: A1, dayVolts, nightVolts })',
      'rules.1.then.0.alarmOut: no ALARM OUT pin on the board (expected gpio.alarmOut: { pin: 4 })',
    ]);
  });

  it('rules without a gpio: section say so, and the board cannot sit on a serial line’s port', () => {
    expect(
      problemsOf(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
rules: [{ when: { alarm: door }, then: [{ block: left, stop: true }] }]
`).map((p) => `${p.path}: ${p.message}`),
    ).toEqual(['rules.0.when.alarm: no gpio: section (expected a gpio: section with the board port and its signals)']);
    expect(
      problemsOf(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
gpio: { port: /dev/ttyUSB0/ }
`).map((p) => `${p.path}: ${p.message}`),
    ).toEqual(['gpio.port: port already used by serial line "bus1" (lines.0) (got "/dev/ttyUSB0/", expected the GPIO board\'s own port, e.g. /dev/ttyACM0)']);
  });

  it('a mistake inside the pin map is a problem at its path (the pin map is gpioPinMapSchema)', () => {
    const problems = problemsOf(`${HEAD.replace('alarmInputs: [{ name: door, pin: 2 }]', 'alarmInputs: [{ name: door, pin: 1 }]')}`);
    expect(problems.map((p) => p.path)).toEqual(['gpio.alarmInputs.0.pin']);
  });

  it('a signal says which block it is wired to, and that block must exist', () => {
    const wired = HEAD.replace('alarmInputs: [{ name: door, pin: 2 }]', 'alarmInputs: [{ name: door, pin: 2, block: left }]').replace('irPwm: { pin: 9 }', 'irPwm: { pin: 9, block: centre }');
    expect(problemsOf(wired).map((p) => `${p.path}: ${p.message}`)).toEqual(['gpio.irPwm.block: unknown block (got "centre", expected one of: "left", "right")']);
    expect(parseRigConfig(wired.replace('block: centre', 'block: right')).gpio?.alarmInputs[0]).toMatchObject({ name: 'door', pin: 2, block: 'left' });
  });

  it('a misspelt key in the gpio: section is a problem at its path, not silently dropped', () => {
    const problems = problemsOf(HEAD.replace('irPwm: { pin: 9 }', 'irPWM: { pin: 9 }').replace('alarmOut: { pin: 4 }', 'alarmOut: { pin: 4, level: high }'));
    expect(problems.map((p) => p.path)).toEqual(['gpio.alarmOut.level', 'gpio.irPWM']);
  });

  it('zoomsync config check lists a bad rule as FILE:LINE:COLUMN: path: message and exits 2', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'zs-rules-'));
    try {
      const file = join(dir, 'rig.yaml');
      await writeFile(file, `${HEAD}rules:\n  - { when: { alarm: door }, then: [{ group: rig, backlight: on }] }\n`);
      const run = await runCli(['config', 'check', file]);
      expect(run.code).toBe(2);
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        `${file} has 1 problem:`,
        `  ${file}:19:39: rules.0.then.0.group: backlight does not fit a group (got group "rig", expected block: NAME: a PELCO backlight command goes to one block)`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
