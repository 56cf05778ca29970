/** A GPIO board that is unplugged and comes back, over real ptys, real johnny-five and firmata-io. */
import { afterEach, describe, expect, it } from 'vitest';
import { windowCentre, DEFAULT_ADKEY_LADDER } from '../../../hardware/gpio/ladder.js';
import { SerialLine } from '../../../hardware/serial/serial-line.js';
import type { OutputChange } from '../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { type GpioRig, nextEvent, openGpioRig, outputBecomes } from './rig.js';

let rig: GpioRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a board that disappears and returns', () => {
  it('is reported lost, inputs read unknown (a held key is released as lost), and on return outputs are re-applied and inputs read again', async () => {
    rig = await openGpioRig({ alarmInputs: [{ name: 'door', pin: 2, debounceMs: 10 }], adkey: { pin: 'A0', debounceMs: 10 } });
    const { board, sim, pair, adkey } = rig;
    const door = rig.alarmInputs[0]!;
    sim.setDigitalInput(2, 0);
    if (door.state !== 'active') await nextEvent(door, 'active');
    const pressed = nextEvent(adkey!, 'press');
    sim.setVoltage('A0', windowCentre(DEFAULT_ADKEY_LADDER, 'K2'));
    await pressed;
    await rig.alarmOut!.on();
    await rig.irPwm!.set(40);
    await outputBecomes(sim, 9, 102);

    const lost = nextEvent(board, 'lost');
    const unknown = nextEvent(door, 'unknown');
    const released = nextEvent<{ key: string; lost: boolean }>(adkey!, 'release');
    await pair.unplug();
    await sim.detach();
    await lost;
    await unknown;
    expect(await released).toMatchObject({ key: 'K2', lost: true });
    expect(door.state).toBe('unknown');
    expect(adkey!.key).toBeUndefined();
    expect(board.isReady).toBe(false);
    // Asked for while the board is gone: refused now, applied when it returns.
    await expect(rig.irPwm!.set(60)).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    await expect(rig.factoryReset!.reset({ confirm: true })).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });

    // The board powers up afresh: every pin back to StandardFirmata's defaults.
    const ready = nextEvent<{ reconnected: boolean }>(board, 'ready');
    const doorBack = nextEvent(door, 'active');
    await pair.replug((path) => sim.attach(path));
    expect(sim.output(4).value).toBe(0);
    expect(await ready).toMatchObject({ reconnected: true });
    await outputBecomes(sim, 4, 1);
    await outputBecomes(sim, 9, 153); // 60 %, the latest asked for
    await doorBack;
    const pressedAgain = nextEvent<{ key: string }>(adkey!, 'press');
    expect((await pressedAgain).key).toBe('K2');
    expect(rig.log.filter((line) => line.includes('factory reset START'))).toEqual([]);
  });
});

describe('RS-485 direction pin', () => {
  it("drives SerialLine's gpio direction mode: transmit around each frame, receive after", async () => {
    rig = await openGpioRig({ rs485Direction: { pin: 7 } });
    const bus = await PtyPair.open();
    const line = new SerialLine({ path: bus.controllerPath, baudRate: 9600, direction: rig.rs485Direction!.control(0), suppressEcho: false });
    try {
      await line.open();
      const levels: (number | undefined)[] = [];
      rig.sim.on('output', (change) => change.pin === 7 && levels.push(change.value));
      const backToReceive = nextEvent<OutputChange>(rig.sim, 'output', (change) => change.pin === 7 && change.value === 0);
      await line.write(Uint8Array.from([0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01]));
      await backToReceive;
      expect(levels).toEqual([1, 0]);
    } finally {
      await line.close();
      await bus.close();
    }
  });
});

describe('opening a GPIO board', () => {
  it('fails with ZS_PORT_NOT_FOUND for a path that does not exist', async () => {
    const { GpioBoard } = await import('../../../hardware/gpio/gpio-board.js');
    await expect(new GpioBoard({ path: '/dev/zoomsync-no-such-board' }).open()).rejects.toMatchObject({ code: 'ZS_PORT_NOT_FOUND' });
  });

  it('fails with ZS_REPLY_TIMEOUT when nothing on the port speaks Firmata, and closes the port', async () => {
    const { GpioBoard } = await import('../../../hardware/gpio/gpio-board.js');
    const silent = await PtyPair.open();
    const board = new GpioBoard({ path: silent.controllerPath, handshakeTimeoutMs: 300 });
    try {
      await expect(board.open()).rejects.toMatchObject({ code: 'ZS_REPLY_TIMEOUT' });
      expect(board.isReady).toBe(false);
    } finally {
      await board.close();
      await silent.close();
    }
  });

  it('rejects a bad option in the constructor, naming it', async () => {
    const { GpioBoard } = await import('../../../hardware/gpio/gpio-board.js');
    expect(() => new GpioBoard({ path: '/dev/x', referenceVolts: 12 })).toThrow(/referenceVolts/);
    expect(() => new GpioBoard({ path: '/dev/x', samplingIntervalMs: 0 })).toThrow(/samplingIntervalMs/);
  });
});
