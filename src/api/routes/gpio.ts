/**
 * /api/gpio and /api/rules: the Firmata board's inputs and outputs, the guarded factory-reset
 * pulse, and the rig file's rules with their last firing and error. Every route answers 404
 * when the rig file has no gpio: section.
 */
import { NotSupportedError } from '../../../protocols/errors.js';
import type { RigGpio } from '../../rig/rig-gpio.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { GPIO_FACTORY_RESET_BODY, GPIO_OUTPUTS_BODY } from '../schemas.js';
import type { ApiContext, ZodApp } from '../server.js';
import { callerOf } from './blocks.js';

/** What `confirm` must say when the pin map does not name the block the reset line goes to. */
export const FACTORY_RESET_CONFIRM_WITHOUT_BLOCK = 'factory-reset';

export function gpioRoutes(app: ZodApp, { rig }: ApiContext): void {
  const gpioOf = (): RigGpio => {
    if (!rig.gpio) throw notFound('this rig has no GPIO board: add a gpio: section to the rig file (docs/gpio.md) to use /api/gpio and /api/rules');
    return rig.gpio;
  };
  const tags = ['gpio'];

  app.get('/gpio/inputs', { schema: { summary: 'Alarm inputs (with the time of their last change), the ADKEY key held now, day/night; "unknown" while the board is gone', tags } }, async () => gpioOf().inputs());

  app.get('/gpio/outputs', { schema: { summary: 'ALARM OUT, the IR PWM and the factory-reset line as last set', tags } }, async () => gpioOf().outputs());

  app.put('/gpio/outputs', { schema: { summary: 'Set ALARM OUT (on, off, pulse) and/or the IR PWM (0–100 %)', tags, body: GPIO_OUTPUTS_BODY } }, async (request) => {
    const gpio = gpioOf();
    const { alarmOut, irPwm } = request.body;
    const out = gpio.signals.alarmOut;
    const pwm = gpio.signals.irPwm;
    // everything checked before anything is set
    if (alarmOut !== undefined && !out) throw new NotSupportedError('alarmOut', 'this rig\'s GPIO board', 'give the pin map an alarmOut pin');
    if (irPwm !== undefined && !pwm) throw new NotSupportedError('irPwm', 'this rig\'s GPIO board', 'give the pin map an irPwm pin');
    if (irPwm !== undefined) await pwm!.set(irPwm);
    if (alarmOut === 'on') await out!.on();
    else if (alarmOut === 'off') await out!.off();
    else if (alarmOut !== undefined) gpio.startAlarmPulse(alarmOut.pulseMs);
    request.log.info({ caller: callerOf(request).name, alarmOut, irPwm }, 'gpio outputs set');
    return gpio.outputs();
  });

  app.post('/gpio/factory-reset', { schema: { summary: 'Pulse the block\'s FACTORY RESET line (admin token; `confirm` names the block)', tags, body: GPIO_FACTORY_RESET_BODY } }, async (request) => {
    const gpio = gpioOf();
    const caller = callerOf(request);
    const line = gpio.signals.factoryReset;
    if (!line) throw new NotSupportedError('factory reset', 'this rig\'s GPIO board', 'give the pin map a factoryReset pin');
    const block = gpio.map.factoryReset?.block;
    const expected = block ?? FACTORY_RESET_CONFIRM_WITHOUT_BLOCK;
    if (caller.role !== 'admin') {
      request.log.warn({ caller: caller.name, role: caller.role }, 'gpio factory reset refused: not an admin token');
      throw forbidden(`token "${caller.name}" is ${caller.role}; a factory reset needs an admin token`);
    }
    if (request.body.confirm !== expected) {
      request.log.warn({ caller: caller.name }, 'gpio factory reset refused: no confirmation');
      throw badRequest(`a factory reset erases every setting of the block: set "confirm" to ${block ? `the block's name ("${block}")` : `"${expected}" (the pin map names no block for factoryReset)`} to go ahead`);
    }
    request.log.warn({ caller: caller.name, block: expected, pulseMs: line.pulseMs }, 'gpio factory reset START');
    await line.reset({ confirm: true, by: `API token ${caller.name}` });
    request.log.warn({ caller: caller.name, block: expected }, 'gpio factory reset END');
    return { reset: 'done', block: block ?? null, pulseMs: line.pulseMs };
  });

  app.get('/rules', { schema: { summary: 'The rig file\'s rules, each with its firings, errors, last firing and last error', tags: ['rules'] } }, async () => ({
    rules: gpioOf().rulesStatus(),
  }));
}
