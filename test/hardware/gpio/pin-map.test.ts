import { describe, expect, it } from 'vitest';
import { DEFAULT_ADKEY_LADDER } from '../../../hardware/gpio/ladder.js';
import { DEFAULT_PIN_MAP, gpioPinMapSchema } from '../../../hardware/gpio/pin-map.js';
import { createGpioSignals } from '../../../hardware/gpio/signals.js';

describe('GPIO pin map schema', () => {
  it('fills in the defaults: pull-up alarm inputs active low, the default ladder, 5 s reset pulse', () => {
    const map = gpioPinMapSchema.parse({ ...DEFAULT_PIN_MAP, port: '/dev/ttyACM0' });
    expect(map.alarmInputs[0]).toEqual({ name: 'alarm-in', pin: 2, activeLevel: 'low', pullUp: true, debounceMs: 50 });
    expect(map.adkey?.pin).toBe(0);
    expect(map.adkey?.ladder).toEqual(DEFAULT_ADKEY_LADDER);
    expect(map.factoryReset).toEqual({ pin: 8, activeLevel: 'high', pulseMs: 5000 });
    expect(map.light?.pin).toBe(1);
  });

  it('lists every problem with its path: a pin used twice, a serial pin, overlapping ladder windows', () => {
    const result = gpioPinMapSchema.safeParse({
      port: '/dev/ttyACM0',
      alarmInputs: [{ name: 'a', pin: 1 }],
      alarmOut: { pin: 9 },
      irPwm: { pin: 9 },
      adkey: { pin: 'A0', ladder: [{ key: 'x', minVolts: 0, maxVolts: 0.5 }, { key: 'y', minVolts: 0.4, maxVolts: 1 }] },
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['alarmInputs.0.pin', 'adkey.ladder']));
    const parsed = gpioPinMapSchema.safeParse({ port: 'p', alarmOut: { pin: 9 }, irPwm: { pin: 9 } });
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['irPwm.pin', 'pin 9 is already ALARM OUT']]);
  });

  it('createGpioSignals turns a bad map into a ConfigError naming each problem', () => {
    expect(() => createGpioSignals({ port: 'p', light: { pin: 'A1', dayVolts: 1, nightVolts: 1 } })).toThrow(
      expect.objectContaining({ code: 'ZS_CONFIG', problems: [expect.objectContaining({ path: 'light.nightVolts' })] }),
    );
  });
});
