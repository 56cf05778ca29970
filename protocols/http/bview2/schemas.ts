/**
 * B-View 2 blocks (the digest of seeds/001): the value vocabularies, the answer schemas the
 * client reads (tolerant: values trimmed and compared case-insensitively, fields the client does
 * not need optional, unknown elements ignored) and the strict request schemas the simulator
 * enforces on every body (partial updates allowed, as §6.1.1 says; an unknown element or a value
 * out of its range refused; read-only fields ignored). Every leaf arrives as text (xml.ts).
 */
import { z } from 'zod';

export const DAY_NIGHT_MODES = ['initiative', 'passivity', 'day', 'night', 'time'] as const;
export const IRIS_TYPES = ['manual', 'DC-Iris'] as const;
/** The manual's list, trimmed (it prints irregular spaces and a trailing comma). */
export const SHUTTERS = ['auto', '1/1', '1/3', '1/8', '1/12', '1/15', '1/25', '1/30', '1/50', '1/60', '1/100', '1/120', '1/240', '1/480', '1/960', '1/1000', '1/2000', '1/4000', '1/8000', '1/10000'] as const;
export const GAINS = ['auto', '6dB', '12dB', '18dB', '24dB', '30dB', '36dB', '42dB'] as const;
export const WHITE_BALANCE_MODES = ['auto', 'incandescent', 'warm', 'fluorescent', 'natural', 'manual', 'locked'] as const;
export type DayNightMode = (typeof DAY_NIGHT_MODES)[number];
export type IrisType = (typeof IRIS_TYPES)[number];
export type Shutter = (typeof SHUTTERS)[number];
export type Gain = (typeof GAINS)[number];
export type WhiteBalanceMode = (typeof WHITE_BALANCE_MODES)[number];

/** OSD coordinates live in a 704×576 (D1 PAL) space. */
export const OSD_WIDTH = 704;
export const OSD_HEIGHT = 576;

/** One of `values`, matched trimmed and case-insensitively, returned in the manual's spelling. */
export function enumText<T extends string>(values: readonly T[]) {
  return z.string().transform((text, ctx): T => {
    const hit = values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
    if (hit === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text.trim()}" is not one of ${values.join(', ')}` });
      return z.NEVER;
    }
    return hit;
  });
}

/** A decimal integer in [min, max]. */
export function intText(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/, 'expected a decimal integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** xs:boolean: true/false (and 1/0, which xs:boolean allows). */
export const boolText = z.string().transform((text, ctx): boolean => {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  ctx.addIssue({ code: 'custom', message: `"${text.trim()}" is not true or false` });
  return z.NEVER;
});

/** xs:time hh:mm:ss (the manual's example carries a leading space). */
export const timeText = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'expected hh:mm:ss');

/** SwitchTime: 3–15 seconds, "5" or "5s" (the manual annotates "3s-15s"). */
export const switchTimeText = z
  .string()
  .trim()
  .regex(/^\d+s?$/i, 'expected 3–15 seconds')
  .transform((t) => Number(t.replace(/s$/i, '')))
  .pipe(z.number().int().min(3).max(15));

const anyText = z.string();
/** An element present but empty means "not given" (dep fields, placeholders). */
const optional = <S extends z.ZodType>(s: S) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

// ---- answers (the client) ----

export const responseStatus = z.looseObject({
  requestURL: anyText.optional(),
  statusCode: z.string().trim().regex(/^[+-]?\d+$/, 'expected an integer').transform(Number),
});
export type ResponseStatus = z.infer<typeof responseStatus>;

export const deviceInfo = z.looseObject({
  DeviceName: anyText.optional(),
  BoardType: optional(intText(-(2 ** 31), 2 ** 31)),
  DeviceTypeName: z.string().trim().min(1),
  SerialNum: optional(anyText),
  HardWareVersion: optional(anyText),
  SoftWareVersion: z.string().trim().min(1),
  VideoInputChannels: optional(intText(0, 255)),
  AudioChannels: optional(intText(0, 255)),
  AlarmInputChannels: optional(intText(0, 255)),
  AlarmOutputChannels: optional(intText(0, 255)),
  MonitorCount: optional(intText(0, 255)),
  SpotOutChannels: optional(intText(0, 255)),
  TwoWayAudio: optional(boolText),
});
export type DeviceInfo = z.infer<typeof deviceInfo>;

export const exposure = z.looseObject({
  IrisType: enumText(IRIS_TYPES),
  shutter: enumText(SHUTTERS),
  Gain: enumText(GAINS),
});
export type Exposure = z.infer<typeof exposure>;

export const whiteBalance = z.looseObject({
  Mode: enumText(WHITE_BALANCE_MODES),
  GainRed: optional(intText(0, 100)),
  GainBlue: optional(intText(0, 100)),
});
export type WhiteBalance = z.infer<typeof whiteBalance>;

export const irCutFilter = z.looseObject({
  Mode: enumText(DAY_NIGHT_MODES),
  DayStartTime: optional(timeText),
  DayEndTime: optional(timeText),
  Sensitivity: optional(intText(0, 100)),
  SwitchTime: optional(switchTimeText),
});
export type IrCutFilter = z.infer<typeof irCutFilter>;

/** /Images/1: the blocks the client reads (the others ignored); WhiteBlance / IrCutFillter arrive canonicalised. */
export const image = z.looseObject({
  ID: optional(intText(1, 1)),
  Exposure: exposure,
  WhiteBalance: whiteBalance,
  IrCutFilter: irCutFilter,
});
export type ImageBlock = z.infer<typeof image>;

const osdTime = z.looseObject({ Enable: boolText, PosX: intText(0, OSD_WIDTH - 1), PosY: intText(0, OSD_HEIGHT - 1) });
export const osd = z.looseObject({
  DisplayTime: osdTime,
  DisplayName: osdTime.extend({ Name: z.string().optional().default('') }),
});
export type Osd = z.infer<typeof osd>;

// ---- requests (the simulator's border: strict, partial) ----

/** DeviceInfo PUT: only DeviceName is written; the read-only fields may come along and are ignored (§6.1.2 `ro`). */
export const deviceInfoRequest = z.strictObject({
  DeviceName: z.string().trim().min(1, 'DeviceName must not be empty').max(32, 'DeviceName is at most 32 characters').optional(),
  BoardType: anyText.optional(),
  DeviceTypeName: anyText.optional(),
  SerialNum: anyText.optional(),
  HardWareVersion: anyText.optional(),
  SoftWareVersion: anyText.optional(),
  VideoInputChannels: anyText.optional(),
  AudioChannels: anyText.optional(),
  AlarmInputChannels: anyText.optional(),
  AlarmOutputChannels: anyText.optional(),
  MonitorCount: anyText.optional(),
  SpotOutChannels: anyText.optional(),
  TwoWayAudio: anyText.optional(),
});

export const exposureRequest = z.strictObject({
  IrisType: enumText(IRIS_TYPES).optional(),
  shutter: enumText(SHUTTERS).optional(),
  Gain: enumText(GAINS).optional(),
});

export const whiteBalanceRequest = z.strictObject({
  Mode: enumText(WHITE_BALANCE_MODES).optional(),
  GainRed: optional(intText(0, 100)),
  GainBlue: optional(intText(0, 100)),
});

export const irCutFilterRequest = z.strictObject({
  Mode: enumText(DAY_NIGHT_MODES).optional(),
  DayStartTime: optional(timeText),
  DayEndTime: optional(timeText),
  Sensitivity: optional(intText(0, 100)),
  SwitchTime: optional(switchTimeText),
});

const osdElementRequest = z.strictObject({
  Enable: boolText.optional(),
  PosX: intText(0, OSD_WIDTH - 1).optional(),
  PosY: intText(0, OSD_HEIGHT - 1).optional(),
});
export const osdRequest = z.strictObject({
  DisplayTime: osdElementRequest.optional(),
  DisplayName: osdElementRequest.extend({ Name: z.string().max(32, 'Name is at most 32 characters').optional() }).optional(),
});
