/**
 * The GPIO bridge end to end: real johnny-five, real firmata-io, real serialport over a pty, to
 * the simulated StandardFirmata board. No mock of johnny-five.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmEvent } from '../../../hardware/gpio/alarm-input.js';
import { DEFAULT_ADKEY_LADDER, windowCentre } from '../../../hardware/gpio/ladder.js';
import { analogSamples, type GpioRig, nextEvent, openGpioRig, outputBecomes } from './rig.js';

let rig: GpioRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('alarm inputs', () => {
  it('a bouncing contact gives one active event, and one inactive when it opens again (debounced)', async () => {
    rig = await openGpioRig({ alarmInputs: [{ name: 'door', pin: 2, debounceMs: 100 }] });
    const door = rig.alarmInputs[0]!;
    const events: string[] = [];
    door.on('active', () => events.push('active'));
    door.on('inactive', () => events.push('inactive'));
    if (door.state === 'unknown') await nextEvent(door, 'inactive'); // the pull-up holds an open contact high
    events.length = 0;

    const active = nextEvent<AlarmEvent>(door, 'active');
    await rig.sim.bounce(2, 0, 8, 1); // 8 flips about 1 ms apart, well inside the 100 ms debounce
    const event = await active;
    expect(event.name).toBe('door');
    expect(event.since.getTime()).toBeLessThanOrEqual(event.at.getTime());
    const inactive = nextEvent(door, 'inactive');
    await rig.sim.bounce(2, 1, 8, 1);
    await inactive;
    expect(events).toEqual(['active', 'inactive']);
    expect(door.state).toBe('inactive');
  });

  it('an active-high input without pull-up reads inactive when undriven and active when driven high', async () => {
    rig = await openGpioRig({ alarmInputs: [{ name: 'pir', pin: 3, activeLevel: 'high', pullUp: false, debounceMs: 0 }] });
    const pir = rig.alarmInputs[0]!;
    if (pir.state === 'unknown') await nextEvent(pir, 'inactive');
    expect(pir.state).toBe('inactive');
    expect(rig.sim.output(3).mode).toBe('INPUT');
    const active = nextEvent(pir, 'active');
    rig.sim.setDigitalInput(3, 1);
    await active;
  });
});

describe('ADKEY', () => {
  it('every key of the default ladder, pressed at its window centre, gives press and release of that key', async () => {
    rig = await openGpioRig({ adkey: { pin: 'A0', debounceMs: 20 } });
    const keys = rig.adkey!;
    rig.sim.setVoltage('A0', 1.8);
    await analogSamples(rig.board, 0, 2);
    for (const { key } of DEFAULT_ADKEY_LADDER) {
      const press = nextEvent<{ key: string }>(keys, 'press');
      rig.sim.setVoltage('A0', windowCentre(DEFAULT_ADKEY_LADDER, key));
      expect((await press).key).toBe(key);
      const release = nextEvent<{ key: string; lost: boolean }>(keys, 'release');
      rig.sim.setVoltage('A0', 1.8);
      expect(await release).toMatchObject({ key, lost: false });
    }
  });

  it('a held key gives hold events counting 1, 2, 3…, and none after its release', async () => {
    rig = await openGpioRig({ adkey: { pin: 'A0', debounceMs: 20, holdDelayMs: 100, repeatMs: 40 } });
    const keys = rig.adkey!;
    const holds: { key: string; count: number }[] = [];
    const order: string[] = [];
    keys.on('hold', (event) => {
      holds.push(event);
      order.push('hold');
    });
    keys.on('press', () => order.push('press'));
    keys.on('release', () => order.push('release'));
    rig.sim.setVoltage('A0', 1.8);
    await analogSamples(rig.board, 0, 2);

    rig.sim.setVoltage('A0', windowCentre(DEFAULT_ADKEY_LADDER, 'K4'));
    await nextEvent<{ count: number }>(keys, 'hold', (event) => event.count === 3);
    const release = nextEvent(keys, 'release');
    rig.sim.setVoltage('A0', 1.8);
    await release;
    const holdsAtRelease = holds.length;
    // Another full press and release: the first key's holds have had every chance to leak by then.
    rig.sim.setVoltage('A0', windowCentre(DEFAULT_ADKEY_LADDER, 'K1'));
    await nextEvent(keys, 'press');
    rig.sim.setVoltage('A0', 1.8);
    await nextEvent(keys, 'release');

    expect(holds.slice(0, 3)).toEqual([expect.objectContaining({ key: 'K4', count: 1 }), expect.objectContaining({ key: 'K4', count: 2 }), expect.objectContaining({ key: 'K4', count: 3 })]);
    expect(holds.filter((h) => h.key === 'K4').length).toBe(holdsAtRelease);
    expect(order.slice(0, 4)).toEqual(['press', 'hold', 'hold', 'hold']);
  });
});

describe('day/night', () => {
  it('switches to day above dayVolts, holds through the hysteresis band, and to night below nightVolts', async () => {
    rig = await openGpioRig({ light: { pin: 'A1', dayVolts: 1.2, nightVolts: 0.8, dwellMs: 40 } });
    const light = rig.light!;
    const events: string[] = [];
    light.on('day', () => events.push('day'));
    light.on('night', () => events.push('night'));

    rig.sim.setVoltage('A1', 2.0);
    await nextEvent(light, 'day');
    rig.sim.setVoltage('A1', 1.0); // dusk: in the band, still day
    await analogSamples(rig.board, 1, 10); // ~200 ms of readings, five dwell times
    expect(light.state).toBe('day');
    rig.sim.setVoltage('A1', 0.5);
    await nextEvent(light, 'night');
    rig.sim.setVoltage('A1', 1.1); // dawn: in the band, still night
    await analogSamples(rig.board, 1, 10);
    expect(events).toEqual(['day', 'night']);
  });
});

describe('outputs', () => {
  it('ALARM OUT on, off and pulse drive the pin; the IR PWM sets the duty in percent', async () => {
    rig = await openGpioRig();
    await rig.alarmOut!.on();
    await outputBecomes(rig.sim, 4, 1);
    await rig.alarmOut!.off();
    await outputBecomes(rig.sim, 4, 0);
    const seen: number[] = [];
    rig.sim.on('output', (change) => change.pin === 4 && seen.push(change.value!));
    await rig.alarmOut!.pulse(30);
    await outputBecomes(rig.sim, 4, 0);
    expect(seen).toEqual([1, 0]);

    await rig.irPwm!.set(50);
    expect((await outputBecomes(rig.sim, 9, 128)).mode).toBe('PWM');
    await rig.irPwm!.set(100);
    await outputBecomes(rig.sim, 9, 255);
    await expect(rig.irPwm!.set(101)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
  });

  it('FACTORY RESET is refused without an explicit confirmation (and logged), and pulses with one', async () => {
    rig = await openGpioRig({ factoryReset: { pin: 8, pulseMs: 100 } });
    const levels: (number | undefined)[] = [];
    rig.sim.on('output', (change) => change.pin === 8 && levels.push(change.value));
    await expect(rig.factoryReset!.reset()).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    await expect(rig.factoryReset!.reset({ confirm: 'yes' } as never)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    expect(rig.log.filter((line) => line.includes('REFUSED'))).toHaveLength(2);

    await rig.factoryReset!.reset({ confirm: true, by: 'test' });
    await outputBecomes(rig.sim, 8, 0);
    expect(levels).toEqual([1, 0]); // nothing before the confirmed pulse
    expect(rig.log.some((line) => /factory reset START \(pin 8, 100 ms, by test\)/.test(line))).toBe(true);
    expect(rig.log.some((line) => line.includes('factory reset END'))).toBe(true);
  });
});

describe('GpioBoard watches', () => {
  let rig: GpioRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('watching and unwatching a channel again and again keeps one johnny-five reader (no stacked listeners)', async () => {
    rig = await openGpioRig();
    const io = (rig.board as unknown as { current: { io: NodeJS.EventEmitter } }).current.io;
    for (let i = 0; i < 20; i++) await analogSamples(rig.board, 1, 1);
    // firmata-io emits analog-read-N for channel N; johnny-five adds one listener per analogRead call
    expect(io.listenerCount('analog-read-1')).toBe(1);
    // and a new watch still hears samples
    await analogSamples(rig.board, 1, 2);
  });
});
