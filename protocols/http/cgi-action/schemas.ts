/**
 * cgi_action shapes (the digest of seeds/004): the answer envelope in its three variants, the
 * values the client reads (tolerant: unknown keys kept, undocumented ones optional), the action
 * names, and the strict request JSON the simulator enforces for the actions it models.
 */
import { z } from 'zod';

const int = z.number().int();
const num = z.number();
const bool01 = z.union([z.literal(0), z.literal(1)]);

/** Every documented action, exactly as printed (case-sensitive: Get4GConfig, Set4GConfig). */
export const ACTIONS = [
  'setPasswd', 'getSysConfig', 'setSysConfig', 'reset', 'restart', 'getRebootConf', 'setRebootConf', 'setPtzControl',
  'getDeviceTime', 'setTime', 'getWiredNetwork', 'setWiredNetwork', 'getPlatformServer', 'setPlatformServer',
  'Get4GConfig', 'Set4GConfig', 'getWifiConfig', 'setWifiConfig', 'getWifiStatus', 'setWifiScan', 'getMailConf', 'setMailConf',
  'getGb28181', 'setGb28181', 'setGb28181Logout', 'setGb28181Register', 'getRtspConf', 'setRtspConf', 'getVencConf', 'setVencConf',
  'getAencConf', 'setAencConf', 'getImageAdjustment', 'setImageAdjustment', 'getImageAdjustmentEx', 'setImageAdjustmentEx',
  'getOsdConf', 'setOsdConf', 'getViMask', 'setViMask', 'getAlarmInConf', 'setAlarmInConf', 'getODAlarmConf', 'setODAlarmConf',
  'getScheSnap', 'setScheSnap', 'getMotionDetConf', 'setMotionDetConf', 'getRegInvConf', 'setRegInvConf', 'getIVSConf', 'setIVSConf',
  'getStorageInfo', 'devsFormat', 'getStorageRule', 'setStorageRule', 'getRecSchedule', 'setRecSchedule', 'getExposureInfo',
  'getRtmpConf', 'setRtmpConf', 'getFmtSnap', 'getSmartAudioConf', 'setSmartAudioConf', 'getIOAlarmIn', 'getPlatformConfFile',
  'setPlatformConfFile', 'getPeripheralConf', 'setPeripheralConf', 'openDoor', 'ioSendData',
] as const;
export type CgiActionName = (typeof ACTIONS)[number];

/**
 * Reads with no effect: safe to send twice. setWifiScan is a read despite its name; every other
 * action changes something (or captures, as getFmtSnap does, which is harmless to repeat).
 */
export const READ_ACTIONS: ReadonlySet<CgiActionName> = new Set(ACTIONS.filter((a) => /^get|^Get/.test(a) || a === 'setWifiScan'));

/** The envelope keys appended after an action's data (variants A, B and C). */
export const ENVELOPE_KEYS = ['code', 'device_mac', 'deviceID', 'device_id', 'log', 'device_ip', 'message', 'sign_tby'] as const;

/** Any JSON answer: an object with a numeric code; everything else is optional (three variants). */
export const envelope = z
  .object({
    code: num,
    device_mac: z.string().optional(),
    deviceID: z.string().optional(),
    device_id: z.string().optional(),
    device_ip: z.string().optional(),
    log: z.string().optional(),
    message: z.string().optional(),
    sign_tby: z.string().optional(),
  })
  .passthrough();
export type CgiEnvelope = z.infer<typeof envelope>;

export const sysConfig = z
  .object({
    version: z.string(),
    dev_name: z.string(),
    language: int.optional(),
    webPort: int.optional(),
    pf_version: z.string().optional(),
    ai_version: z.string().optional(),
    ui_version: z.string().optional(),
    kernel_version: z.string().optional(),
    dev_type: int.optional(),
  })
  .passthrough();

export const deviceTime = z.object({ deviceTime: int, ntp_enable: bool01.optional(), ntpServer: z.string().optional(), timeInterval: int.optional(), timeZone: int.min(0).max(32).optional() }).passthrough();

export const wiredNetwork = z
  .object({
    DHCP: bool01,
    // The example's key; the table says device_ip (it is also the envelope's).
    IP: z.string().optional(),
    subnet_mask: z.string(),
    gateway: z.string(),
    DNS: z.string(),
    DNS2: z.string().optional(),
    webPort: int,
    manual_dns: bool01.optional(),
    networktype: int.optional(),
  })
  .passthrough();
export type WiredNetwork = z.infer<typeof wiredNetwork>;

export const rtspConf = z.object({ rtsp_port: int, enable: bool01.optional(), audio_main: bool01.optional(), audio_sub: bool01.optional() }).passthrough();

export const MAX_EXPOSURE = [12, 25, 30, 50, 60, 100, 200, 400, 800, 1000, 2000, 4000, 8000] as const;
export const EXPOSURE_TIME = [...MAX_EXPOSURE, 10000, 34464] as const;
export type ImageRule = { min: number; max: number } | { values: readonly number[] };
const r = (min: number, max: number): ImageRule => ({ min, max });
/** The basic image settings (§23.1/23.2) and what each accepts. */
export const IMAGE_RULES: Readonly<Record<string, ImageRule>> = {
  hue: r(0, 255), brightness: r(0, 255), sharpness: r(0, 255), contrast: r(0, 255), saturation: r(0, 255), gamma: r(0, 255), blc_level: r(0, 255),
  max_exposure: { values: MAX_EXPOSURE }, antiFog: r(0, 1), frameTurbo: r(0, 2), sceneMode: r(1, 2), AE_strategy_mode: r(0, 1), auto_exposureEx: r(0, 1),
  exposure_time: { values: EXPOSURE_TIME }, auto_awb: r(0, 1), awb_red: r(0, 255), awb_green: r(0, 255), awb_blue: r(0, 255), awb_auto_mode: r(0, 5),
  awb_style_red: r(0, 255), awb_style_green: r(0, 255), awb_style_blue: r(0, 255), auto_gain_mode: r(0, 1), auto_DGain_max: r(0, 255),
  auto_AGain_max: r(0, 255), max_sys_gain: r(0, 255), manual_AGain_enable: r(0, 1), manual_AGain: r(0, 255), manual_DGain_enable: r(0, 1),
  manual_DGain: r(0, 255), rotate: r(0, 3),
};
export function imageValueAllowed(key: string, value: unknown): boolean {
  const rule = IMAGE_RULES[key];
  if (!rule || typeof value !== 'number' || !Number.isInteger(value)) return false;
  return 'values' in rule ? rule.values.includes(value) : value >= rule.min && value <= rule.max;
}
export function describeImageRule(rule: ImageRule): string {
  return 'values' in rule ? rule.values.join(' | ') : `an integer ${rule.min}–${rule.max}`;
}

const osdTitle = z.object({ title: z.string(), title_pos_x: num, title_pos_y: num, show_title: bool01 }).passthrough();
export const osdConf = z
  .object({
    show_date: bool01,
    show_time: bool01,
    show_week: bool01.optional(),
    show_bitrate: bool01.optional(),
    date_format: int.optional(),
    date_pos_x: num,
    date_pos_y: num,
    font_size: int.optional(),
    osd_color: int.optional(),
    title_list: z.array(osdTitle),
  })
  .passthrough();
export type OsdConf = z.infer<typeof osdConf>;
export const OSD_CANVAS = { width: 704, height: 576 } as const;

export const BAUD_RATES = [2400, 4800, 9600, 115200] as const;
export const DATA_BITS = [5, 6, 7, 8] as const;
export const STOP_BITS = [1, 2] as const;
/** parity 0–4 on the wire, by common name (3 "Constant 1" is mark, 4 "Constant 0" space). */
export const PARITIES = ['none', 'odd', 'even', 'mark', 'space'] as const;
export const peripheralConf = z
  .object({
    PTZ_Lock: bool01,
    baudrate: int,
    dataBits: int,
    stopBits: int,
    parity: int.min(0).max(4),
    flowControl: int.optional(),
  })
  .passthrough();
export type PeripheralConf = z.infer<typeof peripheralConf>;

export const ioAlarmIn = z.object({ status: int }).passthrough();
export const fmtSnap = z.object({ image_base64: z.string().min(1), image_length: int.optional() }).passthrough();

// ---- requests (strict: the simulator's checks; 201 for an unknown key, 205 for a bad value) ----

const range = (min: number, max: number) => int.min(min).max(max);
/** setPtzControl: §9 marks all four necessary; the preset examples (§9.1/9.2) omit speed_h. */
export const ptzControl = z.strictObject({
  channel: z.literal(0),
  speed_h: range(1, 100).optional(),
  speed_v: range(1, 100),
  ptz_cmd: int,
});
export const peripheralSet = z.strictObject({
  PTZ_Lock: bool01.optional(),
  baudrate: z.union(BAUD_RATES.map((b) => z.literal(b)) as [z.ZodLiteral<2400>, z.ZodLiteral<4800>, z.ZodLiteral<9600>, z.ZodLiteral<115200>]),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]),
  stopBits: z.union([z.literal(1), z.literal(2)]),
  parity: range(0, 4),
}).partial();
export const sysConfigSet = z.strictObject({ language: z.union([z.literal(0), z.literal(1), z.literal(4)]), dev_name: z.string().min(1).max(63) }).partial();
export const timeSet = z.strictObject({
  ntp_enable: bool01,
  CurTime: int.min(0).optional(),
  ntpServer: z.string().optional(),
  timeInterval: int.min(1).optional(),
  timeZone: range(0, 32).optional(),
});
const ipv4 = z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/);
export const wiredSet = z.strictObject({
  DHCP: bool01,
  IP: ipv4.optional(),
  device_ip: ipv4.optional(),
  subnet_mask: ipv4,
  gateway: ipv4,
  DNS: ipv4,
  DNS2: ipv4.optional(),
  webPort: range(1, 65535).optional(),
  manual_dns: bool01.optional(),
  networktype: range(0, 4).optional(),
});
export const rtspSet = z.strictObject({ enable: bool01.optional(), rtsp_port: range(1, 65535), audio_main: bool01.optional(), audio_sub: bool01.optional() });
export const osdSet = z.strictObject({
  show_date: bool01.optional(),
  show_time: bool01.optional(),
  show_week: bool01.optional(),
  show_bitrate: bool01.optional(),
  date_format: range(0, 2).optional(),
  date_pos_x: z.number().min(0).max(704).optional(),
  date_pos_y: z.number().min(0).max(576).optional(),
  font_size: range(0, 2).optional(),
  osd_color: range(0, 5).optional(),
  title_list: z.array(z.strictObject({ title: z.string().max(63), title_pos_x: z.number().min(0).max(704), title_pos_y: z.number().min(0).max(576), show_title: bool01 })).length(4).optional(),
});
export const resetSet = z.strictObject({ netReset: bool01, userReset: bool01 });
export const passwdSet = z.strictObject({ oldPassword: z.string().regex(/^[0-9a-fA-F]{32}$/), newPassword: z.string().min(1).max(31) });
export const ioSendDataSet = z.strictObject({ data: z.string().optional() });
export const empty = z.strictObject({});
