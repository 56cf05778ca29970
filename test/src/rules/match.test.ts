/** The pure half of the rules: which actions an event fires, and which held motions a release owes a stop. */
import { describe, expect, it } from 'vitest';
import { fires, HeldMotions, matchEvent } from '../../../src/rules/match.js';
import { describeAction, describeEvent, type RuleConfig, type RuleEvent } from '../../../src/rules/types.js';

const at = new Date(0);

const RULES: RuleConfig[] = [
  { name: 'door', at: 'rules.0', when: { source: 'alarm', alarm: 'door', is: 'active' }, then: [{ kind: 'recall-preset', target: { group: 'rig' }, preset: 'door' }] },
  { name: 'door-closed', at: 'rules.1', when: { source: 'alarm', alarm: 'door', is: 'inactive' }, then: [{ kind: 'alarm-out', on: false }] },
  { name: 'tele', at: 'rules.2', when: { source: 'key', key: 'up', is: 'pressed' }, then: [{ kind: 'hold', target: { block: 'left' }, move: { zoom: 'tele' } }] },
  { name: 'wide-held', at: 'rules.3', when: { source: 'key', key: 'down', is: 'held' }, then: [{ kind: 'hold', target: { group: 'rig' }, move: { zoom: 'wide' } }] },
  {
    name: 'night',
    at: 'rules.4',
    when: { source: 'light', is: 'night' },
    then: [
      { kind: 'ir-pwm', percent: 80 },
      { kind: 'backlight', target: { block: 'left' }, on: true },
    ],
  },
  { name: 'door-too', at: 'rules.5', when: { source: 'alarm', alarm: 'door', is: 'active' }, then: [{ kind: 'alarm-out-pulse', ms: 2000 }] },
];

const names = (event: RuleEvent) => matchEvent(RULES, event).map((p) => `${p.rule.name}: ${describeAction(p.action)}`);

describe('matchEvent', () => {
  it('an alarm going active fires every rule for that alarm and state, in file order', () => {
    expect(names({ source: 'alarm', alarm: 'door', is: 'active', at })).toEqual(['door: group rig: recall preset door', 'door-too: ALARM OUT pulse 2000 ms']);
  });

  it('the other state of the same alarm fires only its own rules', () => {
    expect(names({ source: 'alarm', alarm: 'door', is: 'inactive', at })).toEqual(['door-closed: ALARM OUT off']);
  });

  it('an alarm no rule names fires nothing', () => {
    expect(matchEvent(RULES, { source: 'alarm', alarm: 'window', is: 'active', at })).toEqual([]);
  });

  it('a rule fires all its actions, in their order', () => {
    expect(names({ source: 'light', is: 'night', at })).toEqual(['night: IR PWM 80 %', 'night: block left: backlight on']);
    expect(names({ source: 'light', is: 'day', at })).toEqual([]);
  });

  it('a key press fires the pressed rules of that key only', () => {
    expect(names({ source: 'key', key: 'up', is: 'pressed', at })).toEqual(['tele: block left: move zoom tele while held']);
    expect(names({ source: 'key', key: 'down', is: 'pressed', at })).toEqual([]);
    expect(names({ source: 'key', key: 'up', is: 'released', at })).toEqual([]);
  });

  it('a held key fires its held rules at the first hold only, not at every repeat', () => {
    expect(names({ source: 'key', key: 'down', is: 'held', count: 1, at })).toEqual(['wide-held: group rig: move zoom wide while held']);
    expect(names({ source: 'key', key: 'down', is: 'held', count: 2, at })).toEqual([]);
    expect(fires(RULES[3]!, { source: 'key', key: 'down', is: 'held', count: 7, at })).toBe(false);
  });
});

describe('HeldMotions', () => {
  it('a release hands back the motions its key started, and only those', () => {
    const held = new HeldMotions();
    held.start({ key: 'up', rule: 'tele', target: { block: 'left' } });
    held.start({ key: 'down', rule: 'wide', target: { group: 'rig' } });
    expect(held.end('up')).toEqual([{ key: 'up', rule: 'tele', target: { block: 'left' } }]);
    expect(held.end('up')).toEqual([]);
    expect(held.size).toBe(1);
  });

  it('a target moved twice under one key gets one stop', () => {
    const held = new HeldMotions();
    held.start({ key: 'up', rule: 'a', target: { block: 'left' } });
    held.start({ key: 'up', rule: 'b', target: { block: 'left' } });
    held.start({ key: 'up', rule: 'b', target: { group: 'left' } }); // a group of the same name is another target
    expect(held.end('up').map((m) => [m.rule, m.target])).toEqual([
      ['a', { block: 'left' }],
      ['b', { group: 'left' }],
    ]);
  });

  it('endAll (board lost, engine closed) hands back every key’s motions and forgets them', () => {
    const held = new HeldMotions();
    held.start({ key: 'up', rule: 'tele', target: { block: 'left' } });
    held.start({ key: 'down', rule: 'wide', target: { group: 'rig' } });
    expect(held.endAll().map((m) => m.key)).toEqual(['up', 'down']);
    expect(held.size).toBe(0);
    expect(held.endAll()).toEqual([]);
  });
});

describe('describeEvent', () => {
  it('says a release from a lost board so', () => {
    expect(describeEvent({ source: 'key', key: 'up', is: 'released', lost: true, at })).toBe('key up released (board lost)');
    expect(describeEvent({ source: 'alarm', alarm: 'door', is: 'active', at })).toBe('alarm door active');
  });
});
