/**
 * The GPIO pin map as a zod schema: which board pin carries which signal, and each signal's
 * options. It stands alone so the rig config can embed it (`gpio: gpioPinMapSchema`), and
 * `openGpioSignals` turns a parsed map into the bridge's objects.
 */
import { z } from 'zod';
import { DEFAULT_ADKEY_LADDER, DEFAULT_LADDER_HYSTERESIS_VOLTS, validateLadder } from './ladder.js';

const digitalPin = z.number().int().min(2, 'pins 0 and 1 carry the board’s USB serial link').max(127);
const analogChannel = z
  .union([z.number().int().min(0).max(15), z.string().regex(/^A\d{1,2}$/i, 'an analog pin name such as A0')])
  .transform((value) => (typeof value === 'number' ? value : Number(value.slice(1))));
const activeLevel = z.enum(['low', 'high']);
const ms = (max: number) => z.number().int().min(0).max(max);
/** Which zoom block's connector the signal is wired to (the rig file checks the name against its blocks). */
const block = z.string().min(1).optional();

export const ladderWindowSchema = z.strictObject({
  key: z.string().min(1),
  minVolts: z.number().min(0),
  maxVolts: z.number().min(0),
});

export const alarmInputSchema = z.strictObject({
  name: z.string().min(1),
  pin: digitalPin,
  block,
  activeLevel: activeLevel.default('low'),
  pullUp: z.boolean().default(true),
  debounceMs: ms(10_000).default(50),
});

export const adkeySchema = z
  .strictObject({
    pin: analogChannel,
    block,
    ladder: z.array(ladderWindowSchema).min(1).default(() => DEFAULT_ADKEY_LADDER.map((w) => ({ ...w }))),
    hysteresisVolts: z.number().min(0).max(0.5).default(DEFAULT_LADDER_HYSTERESIS_VOLTS),
    debounceMs: ms(1000).default(30),
    holdDelayMs: z.number().int().min(1).max(10_000).default(800),
    repeatMs: ms(10_000).default(200),
  })
  .superRefine((value, ctx) => {
    try {
      validateLadder(value.ladder, value.hysteresisVolts);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['ladder'], message: (error as Error).message });
    }
  });

export const lightSensorSchema = z
  .strictObject({
    pin: analogChannel,
    block,
    dayVolts: z.number().min(0).max(5),
    nightVolts: z.number().min(0).max(5),
    dwellMs: ms(3_600_000).default(10_000),
  })
  .refine((value) => value.dayVolts !== value.nightVolts, { path: ['nightVolts'], message: 'must differ from dayVolts (the gap is the hysteresis)' });

export const gpioPinMapSchema = z
  .strictObject({
    /** The board's serial device. */
    port: z.string().min(1),
    /** The board's ADC reference: 3.3 for a 3.3 V board. */
    referenceVolts: z.number().positive().max(5).default(3.3),
    alarmInputs: z.array(alarmInputSchema).default([]),
    alarmOut: z.strictObject({ pin: digitalPin, block, activeLevel: activeLevel.default('high') }).optional(),
    adkey: adkeySchema.optional(),
    light: lightSensorSchema.optional(),
    irPwm: z.strictObject({ pin: digitalPin, block }).optional(),
    factoryReset: z.strictObject({ pin: digitalPin, block, activeLevel: activeLevel.default('high'), pulseMs: z.number().int().min(100).max(60_000).default(5000) }).optional(),
    rs485Direction: z.strictObject({ pin: digitalPin, activeLevel: activeLevel.default('high') }).optional(),
  })
  .superRefine((map, ctx) => {
    // One pin, one signal: two signals on a pin fight each other.
    const used = new Map<number, string>();
    const claim = (pin: number | undefined, what: string, path: (string | number)[]) => {
      if (pin === undefined) return;
      const other = used.get(pin);
      if (other) ctx.addIssue({ code: 'custom', path, message: `pin ${pin} is already ${other}` });
      else used.set(pin, what);
    };
    map.alarmInputs.forEach((input, i) => claim(input.pin, `alarm input "${input.name}"`, ['alarmInputs', i, 'pin']));
    claim(map.alarmOut?.pin, 'ALARM OUT', ['alarmOut', 'pin']);
    claim(map.irPwm?.pin, 'the IR PWM', ['irPwm', 'pin']);
    claim(map.factoryReset?.pin, 'FACTORY RESET', ['factoryReset', 'pin']);
    claim(map.rs485Direction?.pin, 'the RS-485 direction', ['rs485Direction', 'pin']);
    const names = new Set<string>();
    map.alarmInputs.forEach((input, i) => {
      if (names.has(input.name)) ctx.addIssue({ code: 'custom', path: ['alarmInputs', i, 'name'], message: `alarm input name "${input.name}" is used twice` });
      names.add(input.name);
    });
    if (map.adkey && map.light && map.adkey.pin === map.light.pin) {
      ctx.addIssue({ code: 'custom', path: ['light', 'pin'], message: `A${map.light.pin} is already the ADKEY input` });
    }
  });

export type GpioPinMap = z.output<typeof gpioPinMapSchema>;
export type GpioPinMapInput = z.input<typeof gpioPinMapSchema>;

/** The pins docs/gpio.md wires: a 3.3 V board, inputs on D2 and A0/A1, outputs on D4, D7, D8, D9. */
export const DEFAULT_PIN_MAP: Omit<GpioPinMapInput, 'port'> = {
  referenceVolts: 3.3,
  alarmInputs: [{ name: 'alarm-in', pin: 2 }],
  alarmOut: { pin: 4 },
  rs485Direction: { pin: 7 },
  factoryReset: { pin: 8 },
  irPwm: { pin: 9 },
  adkey: { pin: 'A0' },
  light: { pin: 'A1', dayVolts: 1.2, nightVolts: 0.8 },
};
