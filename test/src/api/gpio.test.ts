/**
 * The GPIO and rules routes and the live feed, against a rig opened by openRig with a gpio:
 * section: the Firmata board simulator on a pty (real johnny-five) and a simulated block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputChange } from '../../../hardware/sim/firmata-board.js';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import { nextEvent, outputBecomes } from '../../hardware/gpio/rig.js';
import { call, connect, openApiRig, TOKENS } from './support/api-rig.js';
import { type GpioApiRig, openGpioApiRig } from './support/gpio-api-rig.js';

let g: GpioApiRig;
beforeAll(async () => {
  g = await openGpioApiRig();
  const door = g.rig.gpio!.signals.alarmInputs[0]!;
  if (door.state !== 'inactive') await nextEvent(door, 'inactive');
});
afterAll(() => g?.close());

describe('GPIO routes', () => {
  it('a read-only token can GET the inputs (alarm states with the time of their last change) but not PUT the outputs', async () => {
    const inputs = await call(g, 'GET', '/api/gpio/inputs', { token: TOKENS.read });
    expect(inputs.status, inputs.text).toBe(200);
    expect(inputs.json).toMatchObject({ board: 'connected', alarms: [{ name: 'door', state: 'inactive' }] });
    expect(Date.parse(inputs.json.alarms[0].changedAt)).not.toBeNaN();

    const put = await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.read, body: { irPwm: 40 } });
    expect(put.status).toBe(403);
    expect(put.json.error.code).toBe('ZS_FORBIDDEN');
    expect(g.board.output(9).value ?? 0).toBe(0);
  });

  it('an operator sets the IR PWM and ALARM OUT: the simulated board\'s pins follow, GET outputs says so', async () => {
    const pwm = nextEvent<OutputChange>(g.board, 'output', (c) => c.pin === 9 && c.value === 102);
    const alarmOn = outputBecomes(g.board, 4, 1);
    const put = await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body: { irPwm: 40, alarmOut: 'on' } });
    expect(put.status, put.text).toBe(200);
    await Promise.all([pwm, alarmOn]);
    expect((await call(g, 'GET', '/api/gpio/outputs', { token: TOKENS.read })).json).toMatchObject({ alarmOut: { on: true }, irPwm: { percent: 40 }, factoryReset: { block: 'left' } });
    const off = outputBecomes(g.board, 4, 0);
    expect((await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body: { alarmOut: 'off' } })).status).toBe(200);
    await off;
  });

  it('a WebSocket client is told of output changes as they happen, a pulse ending by itself included', async () => {
    const ws = await connect(g, TOKENS.read);
    const on = ws.next((m) => m.type === 'gpio-outputs' && m.outputs.alarmOut?.on === true);
    const pwm = ws.next((m) => m.type === 'gpio-outputs' && m.outputs.irPwm?.percent === 15);
    // messages are matched in the order they came: "off" counts only after the pulse's "on"
    let pulseOn = false;
    const ended = ws.next((m) => {
      if (m.type !== 'gpio-outputs') return false;
      if (m.outputs.alarmOut?.on === true) pulseOn = true;
      return pulseOn && m.outputs.alarmOut?.on === false;
    });
    expect((await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body: { alarmOut: { pulseMs: 100 }, irPwm: 15 } })).status).toBe(200);
    expect((await on).outputs).toMatchObject({ board: 'connected', alarmOut: { on: true } });
    await pwm;
    expect((await ended).outputs.irPwm).toEqual({ percent: 15 }); // nobody asked: the pulse ended by itself
    ws.socket.close();
    expect((await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body: { irPwm: 0 } })).status).toBe(200);
  });

  it('outputs out of range or unknown are 400 naming the field', async () => {
    for (const body of [{ irPwm: 101 }, { alarmOut: 'blink' }, { alarmOut: { pulseMs: 0 } }, {}, { relay: 1 }]) {
      const r = await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.code).toBe('ZS_INVALID_ARGUMENT');
    }
  });

  it('factory reset is refused to an operator, and to an admin without the block named; with both it pulses the line, logged', async () => {
    const pulses: (number | undefined)[] = [];
    const record = (c: OutputChange) => c.pin === 8 && pulses.push(c.value);
    g.board.on('output', record);
    try {
      const op = await call(g, 'POST', '/api/gpio/factory-reset', { token: TOKENS.op, body: { confirm: 'left' } });
      expect(op.status).toBe(403);
      const none = await call(g, 'POST', '/api/gpio/factory-reset', { token: TOKENS.admin, body: {} });
      expect(none.status).toBe(400);
      const wrong = await call(g, 'POST', '/api/gpio/factory-reset', { token: TOKENS.admin, body: { confirm: 'yes' } });
      expect(wrong.status).toBe(400);
      expect(wrong.json.error.message).toMatch(/"left"/);
      expect(pulses).toEqual([]);

      const released = nextEvent<OutputChange>(g.board, 'output', (c) => c.pin === 8 && c.value === 0); // the end of the pulse
      const ok = await call(g, 'POST', '/api/gpio/factory-reset', { token: TOKENS.admin, body: { confirm: 'left' } });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.json).toMatchObject({ reset: 'done', block: 'left', pulseMs: 100 });
      // the answer comes once the release is written; the simulated board reads it a moment later
      await released;
      expect(pulses).toEqual([1, 0]);
    } finally {
      g.board.off('output', record);
    }
    expect(g.logText()).toMatch(/factory reset refused: not an admin token/);
    expect(g.logText()).toMatch(/factory reset refused: no confirmation/);
    expect(g.rigLog.join('\n')).toMatch(/factory reset START .*by API token admin/);
  });

  it('a WebSocket client gets the alarm event and the rule firing when the simulator raises the alarm; GET /api/rules and /metrics count it', async () => {
    const ws = await connect(g, TOKENS.read);
    const alarm = ws.next((m) => m.type === 'gpio' && m.input.signal === 'alarm' && m.input.state === 'active');
    const fired = ws.next((m) => m.type === 'rule' && m.rule === 'door');
    const frame = nextEvent<ReceivedFrame>(g.bench.lines[0]!.sim, 'frame', (f) => f.command.kind === 'set-zoom' && f.command.position === 400);
    g.board.setDigitalInput(2, 0);
    expect((await alarm).input).toMatchObject({ name: 'door', state: 'active' });
    expect((await fired).event).toBe('alarm door active');
    await frame;
    ws.socket.close();

    const rules = await call(g, 'GET', '/api/rules', { token: TOKENS.read });
    expect(rules.json.rules).toEqual([expect.objectContaining({ name: 'door', when: 'alarm door active', then: ['block left: zoom to raw 400'], firings: 1, errors: 0, lastError: null })]);
    const metrics = (await call(g, 'GET', '/metrics', { token: TOKENS.read })).text;
    expect(metrics).toMatch(/zoomsync_rule_firings_total\{rule="door"\} 1/);
    expect(metrics).toMatch(/zoomsync_gpio_input_changes_total\{signal="alarm",name="door",state="active"\} 1/);
    expect(metrics).toMatch(/zoomsync_gpio_board_connected 1/);
  });

  it('while the board is gone the inputs read unknown and the feed says the board was lost', async () => {
    const ws = await connect(g, TOKENS.read);
    const lost = ws.next((m) => m.type === 'gpio-board' && m.state === 'lost');
    await g.pair.unplug();
    await g.board.detach();
    await lost;
    const inputs = await call(g, 'GET', '/api/gpio/inputs', { token: TOKENS.read });
    expect(inputs.json).toMatchObject({ board: 'lost', alarms: [{ name: 'door', state: 'unknown' }] });
    const put = await call(g, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body: { alarmOut: { pulseMs: 100 } } });
    expect(put.status).toBe(503);
    expect(put.json.error.code).toBe('ZS_LINE_CLOSED');
    ws.socket.close();
  });
});

describe('GPIO routes on a rig without a gpio: section', () => {
  it('answer 404 saying the rig file has no gpio: section', async () => {
    const rig = await openApiRig();
    try {
      for (const [method, path] of [['GET', '/api/gpio/inputs'], ['GET', '/api/gpio/outputs'], ['GET', '/api/rules']] as const) {
        const r = await call(rig, method, path, { token: TOKENS.read });
        expect(r.status, path).toBe(404);
        expect(r.json.error.message).toMatch(/gpio: section/);
      }
      const put = await call(rig, 'PUT', '/api/gpio/outputs', { token: TOKENS.op, body: { irPwm: 10 } });
      expect(put.status).toBe(404);
    } finally {
      await rig.close();
    }
  });
});
