/**
 * Rules end to end: inputs change at the simulated Firmata board (real johnny-five and firmata-io
 * over a pty), the rule engine acts, and real ZoomBlocks (and a SyncGroup of them) send frames
 * over a second pty to simulated SZ-G10 blocks. Every assertion waits for a frame or an output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { windowCentre } from '../../../hardware/gpio/ladder.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import { SZ_G10_PROFILE } from '../../../protocols/pelco/index.js';
import { parseRigConfig } from '../../../src/config/index.js';
import { ZoomBlock } from '../../../src/devices/zoom-block.js';
import { RuleEngine, type RuleErrorEvent } from '../../../src/rules/index.js';
import { SyncGroup } from '../../../src/sync/sync-group.js';
import { openRig, type SimRig } from '../../hardware/support/sim-rig.js';
import { type GpioRig, nextEvent, openGpioRig, outputBecomes } from '../../hardware/gpio/rig.js';

const LADDER = [
  { key: 'up', minVolts: 0.1, maxVolts: 0.25 },
  { key: 'down', minVolts: 0.3, maxVolts: 0.5 },
];
const NO_KEY = 1.8;

interface Setup {
  gpio: GpioRig;
  blocks: SimRig;
  left: ZoomBlock;
  right: ZoomBlock;
  group: SyncGroup;
  engine: RuleEngine;
  errors: RuleErrorEvent[];
}

let setup: Setup | undefined;
afterEach(async () => {
  const s = setup;
  setup = undefined;
  if (!s) return;
  await s.engine.close();
  s.group.close();
  s.left.close();
  s.right.close();
  await s.blocks.close();
  await s.gpio.close();
});

/** The rules as a rig file gives them (the config pipeline, not hand-built objects). */
function rulesFrom(yaml: string) {
  return parseRigConfig(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1 }, { name: right, line: bus1, address: 2 }]
groups: [{ name: rig, members: [left, right] }]
gpio:
  port: /dev/ttyACM0
  alarmInputs: [{ name: door, pin: 2 }]
  alarmOut: { pin: 4 }
  irPwm: { pin: 9 }
  adkey: { pin: A0, ladder: ${JSON.stringify(LADDER)} }
  light: { pin: A1, dayVolts: 1.2, nightVolts: 0.8 }
rules:
${yaml}`).rules;
}

async function open(rulesYaml: string): Promise<Setup> {
  const gpio = await openGpioRig({
    alarmInputs: [{ name: 'door', pin: 2, debounceMs: 10 }],
    adkey: { pin: 'A0', ladder: LADDER, debounceMs: 10, holdDelayMs: 60, repeatMs: 30 },
    light: { pin: 'A1', dayVolts: 1.2, nightVolts: 0.8, dwellMs: 0 },
  });
  // the world starts quiet: door closed (pull-up), no key, daylight
  gpio.sim.setVoltage('A1', 2.0);
  const door = gpio.alarmInputs[0]!;
  if (door.state !== 'inactive') await nextEvent(door, 'inactive');
  if (gpio.light!.state !== 'day') await nextEvent(gpio.light!, 'day');
  if (gpio.adkey!.key !== null) await new Promise<void>((resolve) => { const t = setInterval(() => gpio.adkey!.key === null && (clearInterval(t), resolve()), 5); });

  const lenses = { 1: new SimulatedLens({ initialZoom: 300 }), 2: new SimulatedLens({ initialZoom: 700 }) };
  const blocks = await openRig({ profile: SZ_G10_PROFILE, addresses: [1, 2], lenses, queryTimeoutMs: 200, queryRetries: 1 });
  const left = new ZoomBlock({ name: 'left', address: 1, bus: blocks.bus, line: blocks.line });
  const right = new ZoomBlock({ name: 'right', address: 2, bus: blocks.bus, line: blocks.line });
  const group = new SyncGroup({ name: 'rig', members: [left, right], arriveTimeoutMs: 3000 });
  const byName = { left, right } as Record<string, ZoomBlock>;
  const engine = new RuleEngine({
    rules: rulesFrom(rulesYaml),
    signals: gpio,
    targets: {
      block: (name) => byName[name]!,
      group: (name) => {
        if (name !== 'rig') throw new Error(`no group ${name}`);
        return group;
      },
    },
  });
  const errors: RuleErrorEvent[] = [];
  engine.on('rule-error', (error) => errors.push(error));
  blocks.sim.clearRecords();
  setup = { gpio, blocks, left, right, group, engine, errors };
  return setup;
}

/** The next frame the simulated blocks receive that passes `test`. */
function frame(s: Setup, test: (f: ReceivedFrame) => boolean): Promise<ReceivedFrame> {
  return nextEvent<ReceivedFrame>(s.blocks.sim, 'frame', test);
}

const isMove = (address: number, zoom: 'tele' | 'wide') => (f: ReceivedFrame) => f.address === address && f.command.kind === 'move' && f.command.zoom === zoom;
const isStop = (address: number) => (f: ReceivedFrame) => f.address === address && f.command.kind === 'stop';
const kinds = (s: Setup, address: number) => s.blocks.sim.received.filter((f) => f.address === address && !f.command.kind.startsWith('query')).map((f) => f.command.kind);

describe('rules over the GPIO board and the blocks', () => {
  it('alarm door active -> group rig recalls preset "door": a set-zoom reaches both blocks, each with its stored position', async () => {
    const s = await open(`
  - { name: door, when: { alarm: door }, then: [{ group: rig, recallPreset: door }] }`);
    expect(await s.group.savePreset('door')).toEqual({ left: 300, right: 700 });
    await s.group.zoomTo({ raw: 500 });

    const leftFrame = frame(s, (f) => f.address === 1 && f.command.kind === 'set-zoom' && f.command.position === 300);
    const rightFrame = frame(s, (f) => f.address === 2 && f.command.kind === 'set-zoom' && f.command.position === 700);
    const fired = nextEvent<{ rule: string }>(s.engine, 'fired');
    s.gpio.sim.setDigitalInput(2, 0); // the contact closes against the pull-up: active (low)
    expect((await fired).rule).toBe('door');
    await Promise.all([leftFrame, rightFrame]);
    expect(s.errors).toEqual([]);
  });

  it('key up pressed -> zoom tele on block left while held; the release sends a stop', async () => {
    const s = await open(`
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }`);
    const tele = frame(s, isMove(1, 'tele'));
    s.gpio.sim.setVoltage('A0', windowCentre(LADDER, 'up'));
    await tele;
    expect(s.engine.heldCount).toBe(1);

    const stop = frame(s, isStop(1));
    s.gpio.sim.setVoltage('A0', NO_KEY);
    await stop;
    expect(kinds(s, 1)).toEqual(['move', 'stop']);
    expect(s.engine.heldCount).toBe(0);
  });

  it('key down held (after the hold delay) -> the group zooms wide, once, not at every repeat; the release stops both blocks', async () => {
    const s = await open(`
  - { name: wide, when: { key: down, is: held }, then: [{ group: rig, whileHeld: { zoom: wide } }] }`);
    const press = nextEvent(s.gpio.adkey!, 'press');
    const wide = Promise.all([frame(s, isMove(1, 'wide')), frame(s, isMove(2, 'wide'))]);
    s.gpio.sim.setVoltage('A0', windowCentre(LADDER, 'down'));
    await press;
    expect(kinds(s, 1)).toEqual([]); // pressed is not held
    await wide;
    await nextEvent(s.gpio.adkey!, 'hold', (h: { count: number }) => h.count >= 3); // repeats come and go

    const stops = Promise.all([frame(s, isStop(1)), frame(s, isStop(2))]);
    s.gpio.sim.setVoltage('A0', NO_KEY);
    await stops;
    expect(kinds(s, 1)).toEqual(['move', 'stop']);
    expect(kinds(s, 2)).toEqual(['move', 'stop']);
  });

  it('the board lost while the key is held -> a stop reaches the block (the key is released as lost)', async () => {
    const s = await open(`
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }`);
    const tele = frame(s, isMove(1, 'tele'));
    s.gpio.sim.setVoltage('A0', windowCentre(LADDER, 'up'));
    await tele;

    const released = nextEvent<{ lost: boolean }>(s.gpio.adkey!, 'release');
    const stop = frame(s, isStop(1));
    await s.gpio.pair.unplug();
    await s.gpio.sim.detach();
    expect(await released).toMatchObject({ lost: true });
    await stop;
    expect(s.engine.heldCount).toBe(0);
    expect(kinds(s, 1)).toEqual(['move', 'stop']); // one stop: the board's own 'lost' found nothing left to stop
  });

  it('the engine closed while the key is held -> a stop reaches the block, and later inputs do nothing', async () => {
    const s = await open(`
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }
  - { name: door, when: { alarm: door }, then: [{ block: right, gotoPreset: 4 }] }`);
    const tele = frame(s, isMove(1, 'tele'));
    s.gpio.sim.setVoltage('A0', windowCentre(LADDER, 'up'));
    await tele;

    const stop = frame(s, isStop(1));
    await s.engine.close();
    await stop;
    const doorActive = nextEvent(s.gpio.alarmInputs[0]!, 'active');
    s.gpio.sim.setDigitalInput(2, 0);
    await doorActive;
    s.gpio.sim.setVoltage('A0', NO_KEY);
    await nextEvent(s.gpio.adkey!, 'release');
    await s.right.readZoom(); // a round trip on the bus after the events: anything they sent is in by now
    expect(kinds(s, 1)).toEqual(['move', 'stop']);
    expect(kinds(s, 2)).toEqual([]);
  });

  it('a failing rule reports the rule, the event and the error; the other rule on the event and later rules still run', async () => {
    const s = await open(`
  - { name: recall-missing, when: { alarm: door }, then: [{ group: rig, recallPreset: nowhere }] }
  - { name: preset, when: { alarm: door }, then: [{ block: right, gotoPreset: 7 }] }
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }`);
    const error = nextEvent<RuleErrorEvent>(s.engine, 'rule-error');
    const preset = frame(s, (f) => f.address === 2 && f.command.kind === 'preset-goto' && f.command.preset === 7);
    s.gpio.sim.setDigitalInput(2, 0);
    const failure = await error;
    expect(failure).toMatchObject({ rule: 'recall-missing', event: { source: 'alarm', alarm: 'door', is: 'active' }, action: { kind: 'recall-preset', preset: 'nowhere' } });
    expect((failure.error as { code: string }).code).toBe('ZS_INVALID_ARGUMENT');
    await preset;

    const tele = frame(s, isMove(1, 'tele'));
    s.gpio.sim.setVoltage('A0', windowCentre(LADDER, 'up'));
    await tele;
    expect(s.errors.map((e) => e.rule)).toEqual(['recall-missing']);
  });

  it('a failing rule with nobody listening for rule-error becomes a process warning naming the rule and the event', async () => {
    const s = await open(`
  - { name: recall-missing, when: { alarm: door }, then: [{ group: rig, recallPreset: nowhere }] }`);
    s.engine.removeAllListeners('rule-error');
    const warning = nextEvent<Error>(process, 'warning', (w) => w.message.includes('recall-missing'));
    s.gpio.sim.setDigitalInput(2, 0);
    expect((await warning).message).toMatch(/^rule recall-missing \(alarm door active\): group rig: recall preset nowhere failed: /);
  });

  it('night -> IR PWM 80 % on the board and a PELCO backlight-on frame to block left', async () => {
    const s = await open(`
  - name: night
    when: { light: night }
    then:
      - { irPwm: 80 }
      - { block: left, backlight: on }`);
    const backlight = frame(s, (f) => f.address === 1 && f.command.kind === 'backlight' && f.command.on === true);
    s.gpio.sim.setVoltage('A1', 0.5);
    await outputBecomes(s.gpio.sim, 9, 204); // 80 % of 255
    await backlight;
    expect(s.errors).toEqual([]);
  });

  it('refuses, when built, rules whose signals or targets the rig does not have (naming the rule)', async () => {
    const s = await open(`
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }`);
    const rules = rulesFrom(`
  - { name: window, when: { alarm: door }, then: [{ block: left, stop: true }] }`);
    const targets = { block: (name: string) => (name === 'left' ? s.left : s.right), group: () => s.group };
    expect(() => new RuleEngine({ rules, signals: { ...s.gpio, alarmInputs: [] }, targets })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'alarm of rule window' }));
    const holdOnAlarm = [{ name: 'runaway', at: 'rules.0', when: { source: 'alarm' as const, alarm: 'door', is: 'active' as const }, then: [{ kind: 'hold' as const, target: { block: 'left' }, move: { zoom: 'tele' as const } }] }];
    expect(() => new RuleEngine({ rules: holdOnAlarm, signals: s.gpio, targets })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'hold action of rule runaway' }));
    const unknownBlock = { ...targets, block: (name: string): ZoomBlock => { throw new Error(`no block ${name}`); } };
    expect(() => new RuleEngine({ rules, signals: s.gpio, targets: unknownBlock })).toThrow('no block left');
  });
});
