/**
 * api.cgi shapes (the JSON api.cgi digest, seeds/003): the answer envelope and each value the
 * client reads (tolerant where the manual's examples drift: `initial`/`range` optional,
 * `leaseTime` or `leastTime`), and the strict request params the simulator enforces (a key the
 * manual does not list is refused, every range checked).
 */
import { z } from 'zod';

const int = z.number().int();
const bool01 = z.union([z.literal(0), z.literal(1)]);

/** One answer element: `value` on success, `error` (with code 1, or 0 in the manual's §4.1 example) on failure. */
export const entry = z.object({
  cmd: z.string(),
  code: int,
  value: z.unknown().optional(),
  initial: z.unknown().optional(),
  range: z.unknown().optional(),
  error: z.object({ rspCode: int, detail: z.string().optional() }).optional(),
});
export type JsonApiEntry = z.infer<typeof entry>;
export const envelope = z.array(entry);

export const rspOk = z.object({ rspCode: int });

export const token = z.object({
  Token: z.object({ name: z.string().min(1).max(31), leaseTime: int.positive().optional(), leastTime: int.positive().optional() }),
});

const ability = z.object({ permit: int, ver: int });
export type AbilityEntry = z.infer<typeof ability>;
/** GetAbility: global abilities by key, and per channel (abilityChn). */
export const abilityValue = z.object({
  Ability: z.record(z.string(), z.unknown()).and(z.object({ abilityChn: z.array(z.record(z.string(), ability)) })),
});
export const abilityEntry = ability;

export const devInfo = z.object({
  DevInfo: z.object({
    B485: bool01,
    IOInputNum: int,
    IOOutputNum: int,
    audioNum: int,
    buildDay: z.string(),
    cfgVer: z.string(),
    channelNum: int,
    detail: z.string(),
    diskNum: int,
    exactType: z.string(),
    firmVer: z.string(),
    frameworkVer: int,
    hardVer: z.string(),
    model: z.string(),
    name: z.string(),
    pakSuffix: z.string(),
    serial: z.string(),
    type: z.string(),
    wifi: bool01,
  }),
});
export type DevInfo = z.infer<typeof devInfo>['DevInfo'];

export const localLink = z.object({
  LocalLink: z.object({
    activeLink: z.string(),
    mac: z.string(),
    type: z.enum(['DHCP', 'Static']),
    static: z.object({ ip: z.string(), mask: z.string(), gateway: z.string() }),
    dns: z.object({ auto: bool01, dns1: z.string(), dns2: z.string() }),
  }),
});
export type LocalLink = z.infer<typeof localLink>['LocalLink'];

export const netPort = z.object({
  NetPort: z.object({
    httpEnable: bool01.optional(),
    httpPort: int,
    httpsEnable: bool01.optional(),
    httpsPort: int,
    mediaPort: int.optional(),
    onvifEnable: bool01.optional(),
    onvifPort: int.optional(),
    rtmpEnable: bool01.optional(),
    rtmpPort: int.optional(),
    rtspEnable: bool01.optional(),
    rtspPort: int,
  }),
});
export type NetPort = z.infer<typeof netPort>['NetPort'];

const timeFields = {
  year: int.min(1900).max(2100),
  mon: int.min(1).max(12),
  day: int.min(1).max(31),
  hour: int.min(0).max(23),
  min: int.min(0).max(59),
  sec: int.min(0).max(59),
};
export const TIME_FORMATS = ['MM/DD/YYYY', 'YYYY/MM/DD', 'DD/MM/YYYY'] as const;
export const time = z.object({
  Time: z.object({ ...timeFields, hourFmt: bool01, timeFmt: z.enum(TIME_FORMATS), timeZone: int.min(-46800).max(43200) }),
  Dst: z.record(z.string(), z.unknown()).optional(),
});
export type JsonApiTime = z.infer<typeof time>['Time'];

const byte = int.min(0).max(255);
export const IMAGE_FIELDS = ['bright', 'contrast', 'saturation', 'hue', 'sharpen'] as const;
export const image = z.object({ Image: z.object({ channel: int, bright: byte, contrast: byte, saturation: byte, hue: byte, sharpen: byte }) });
export type JsonApiImage = z.infer<typeof image>['Image'];

export const OSD_POSITIONS = ['Upper Left', 'Top Center', 'Upper Right', 'Lower Left', 'Bottom Center', 'Lower Right', 'Other Configuration'] as const;
export type OsdPosition = (typeof OSD_POSITIONS)[number];
const osdPos = z.enum(OSD_POSITIONS);
export const osd = z.object({
  Osd: z.object({
    channel: int,
    bgcolor: bool01.optional(),
    osdChannel: z.object({ enable: bool01, name: z.string().max(31), pos: osdPos }),
    osdTime: z.object({ enable: bool01, pos: osdPos }),
    watermark: bool01.optional(),
  }),
});
export type JsonApiOsd = z.infer<typeof osd>['Osd'];

export const zoomFocus = z.object({ ZoomFocus: z.object({ channel: int.optional(), focus: z.object({ pos: int }), zoom: z.object({ pos: int }) }) });
export const autoFocus = z.object({ AutoFocus: z.object({ channel: int.optional(), disable: bool01 }) });

export const PRESET_MAX = 64;
export const ptzPresets = z.object({
  PtzPreset: z.array(z.object({ channel: int, enable: bool01, id: int.min(1).max(PRESET_MAX), name: z.string().max(31) })),
});

export const BAUD_RATES = [1200, 2400, 4800, 9600] as const;
export const SERIAL_PROTOCOLS = ['PELCO_D', 'PELCO_P'] as const;
export const DATA_BITS = ['CS8', 'CS7', 'CS6', 'CS5'] as const;
export const PARITIES = ['none', 'odd', 'even'] as const;
export const FLOW_CONTROLS = ['none', 'hard', 'xon', 'xoff'] as const;
const baud = z.union(BAUD_RATES.map((b) => z.literal(b)) as [z.ZodLiteral<1200>, z.ZodLiteral<2400>, z.ZodLiteral<4800>, z.ZodLiteral<9600>]);
const serialFields = {
  baudRate: baud,
  // The manual's own initial value is 0, outside its 1–64 range: read tolerantly.
  ctrlAddr: int.min(0).max(64),
  ctrlProtocol: z.enum(SERIAL_PROTOCOLS),
  dataBit: z.enum(DATA_BITS),
  flowCtrl: z.enum(FLOW_CONTROLS),
  parity: z.enum(PARITIES),
  stopBit: z.union([z.literal(1), z.literal(2)]),
};
export const ptzSerial = z.object({ PtzSerial: z.object({ channel: int, ...serialFields }) });
export type JsonApiPtzSerial = z.infer<typeof ptzSerial>['PtzSerial'];

// ---- request params, strict (the simulator's checks; -23 missing, -4 out of range or unknown) ----

const channel = int.min(0).max(255);
export const PTZ_OPS = [
  'Stop', 'Left', 'Right', 'Up', 'Down', 'LeftUp', 'LeftDown', 'RightUp', 'RightDown',
  'IrisDec', 'IrisInc', 'ZoomDec', 'ZoomInc', 'FocusDec', 'FocusInc', 'Auto', 'StartPatrol', 'StopPatrol', 'ToPos',
] as const;
export type PtzOp = (typeof PTZ_OPS)[number];
export const SPEED_MAX = 64;

export const requestParams = {
  Login: z.strictObject({ User: z.strictObject({ Version: z.enum(['0', '1']).optional(), userName: z.string().min(1).max(31), password: z.string().min(1).max(31).optional() }) }),
  Logout: z.strictObject({}),
  GetAbility: z.strictObject({ User: z.strictObject({ userName: z.string().max(31) }) }),
  GetDevInfo: z.strictObject({}).optional(),
  GetLocalLink: z.strictObject({}).optional(),
  GetNetPort: z.strictObject({}).optional(),
  GetTime: z.strictObject({}).optional(),
  SetTime: z.strictObject({ Time: z.strictObject({ ...timeFields, hourFmt: bool01, timeFmt: z.enum(TIME_FORMATS), timeZone: int.min(-46800).max(43200) }).partial() }),
  GetImage: z.strictObject({ channel }),
  SetImage: z.strictObject({ Image: z.strictObject({ channel, bright: byte, contrast: byte, saturation: byte, hue: byte, sharpen: byte }) }),
  GetOsd: z.strictObject({ channel }),
  SetOsd: z.strictObject({
    Osd: z.strictObject({
      channel,
      osdChannel: z.strictObject({ enable: bool01, name: z.string().min(1).max(31), pos: osdPos }),
      osdTime: z.strictObject({ enable: bool01, pos: osdPos }),
      bgcolor: bool01.optional(),
      watermark: bool01.optional(),
    }),
  }),
  GetZoomFocus: z.strictObject({ channel }),
  StartZoomFocus: z.strictObject({ ZoomFocus: z.strictObject({ channel, pos: int.min(0), op: z.enum(['ZoomPos', 'FocusPos']) }) }),
  GetAutoFocus: z.strictObject({ channel }),
  SetAutoFocus: z.strictObject({ AutoFocus: z.strictObject({ channel, disable: bool01 }) }),
  PtzCtrl: z.strictObject({ channel, op: z.enum(PTZ_OPS), id: int.min(0).max(PRESET_MAX).optional(), speed: int.min(0).max(SPEED_MAX).optional() }),
  GetPtzPreset: z.strictObject({ channel }),
  SetPtzPreset: z.strictObject({ PtzPreset: z.strictObject({ channel, enable: bool01.optional(), id: int.min(1).max(PRESET_MAX), name: z.string().min(1).max(31) }) }),
  GetPtzSerial: z.strictObject({ channel }),
  SetPtzSerial: z.strictObject({ PtzSerial: z.strictObject({ channel, ...serialFields, ctrlAddr: int.min(1).max(64) }).partial().required({ channel: true }) }),
  Reboot: z.strictObject({}).optional(),
  Restore: z.strictObject({}).optional(),
} as const;
export type JsonApiCmd = keyof typeof requestParams;
