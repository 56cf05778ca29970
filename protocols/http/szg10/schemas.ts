/**
 * zod schemas of the SZ-G10 REST API (Appendix A, API 1.0.1): the answers the client accepts
 * and the request bodies the simulator accepts. Unknown extra fields are tolerated (stripped);
 * missing or mistyped documented fields are not.
 */
import { z } from 'zod';
import { FOCUS_MAX, ROI_MAX, ZOOM_MAX } from './api.js';

const int = z.number().int();
const uint = int.min(0);

export const loginResponse = z.object({ token: z.string().min(1) });

export const rebootResponse = z.object({ result: int });

const dnsPair = z.object({ primary: z.string(), secondary: z.string() });

export const deviceInformation = z.object({
  network: z.object({
    httpActivation: z.boolean(),
    httpPort: int,
    httpsActivation: z.boolean(),
    httpsPort: int,
    rtspPort: int,
    ipv4: z.object({
      dhcpActivation: z.boolean(),
      dnsDhcpActivation: z.boolean(),
      ip: z.string(),
      linklocal: z.string(),
      gateway: z.string(),
      subnetmask: z.string(),
      dns: dnsPair,
    }),
    ipv6: z.object({
      useType: int,
      dnsDhcpActivation: z.boolean(),
      dns: dnsPair,
      gateway: z.string(),
      ip: z.string(),
      linklocal: z.string(),
      prefixLength: int,
    }),
  }),
  system: z.object({
    version: z.object({ firmware: z.string() }),
    modelName: z.string(),
    mac: z.string(),
    // osdString is free text: the manual's own example prints a date that disagrees with the fields.
    time: z.object({ year: int, month: int, day: int, hour: int, min: int, sec: int, isDst: z.boolean(), osdString: z.string() }),
    // Added in a later revision of the API: older firmware may not send it.
    health: z.object({ cpu: z.object({ temperatureC: int, temperatureF: int }) }).optional(),
  }),
  stream: z.array(
    z.object({
      activation: z.boolean(),
      rtspUrl: z.string(),
      resolution: z.object({ width: int, height: int }),
      fps: int,
    }),
  ),
});
export type DeviceInformation = z.infer<typeof deviceInformation>;

const showType = uint.max(4);
export const osd = z.object({
  system: z.object({ systemTitleShowType: showType, videoResolutionShowType: showType, videoTimeShowType: showType }),
});
export type Szg10Osd = z.infer<typeof osd>;

const str = (max: number) => z.string().max(max);
const port = uint.max(65535);
export const ipSetup = z.object({
  ipv4: z.object({
    dhcp: z.boolean(),
    ipAddr: str(16),
    gateway: str(16),
    subnet: str(16),
    dns: z.object({ primary: str(16), secondary: str(16) }),
    linklocal: str(16).optional(),
  }),
  ipv6: z.object({
    useType: uint.max(2),
    ipAddr: str(64),
    prefixLength: uint.max(128),
    gateway: str(64),
    dns: z.object({ primary: str(64), secondary: str(64) }),
    linklocal: str(64).optional(),
  }),
  port: z.object({ http: port, https: port, rtsp: port }),
});
export type Szg10IpSetup = z.infer<typeof ipSetup>;

const roi = z.object({ left: int, top: int, right: int, bottom: int });
export const lens = z.object({
  focus: z.object({
    position: int,
    // Not validated as a rectangle: the manual's own example (left 8, right 8) is degenerate.
    roi,
    mode: int,
    afInterval: int,
    enableManualZoomAF: z.boolean(),
  }),
  zoom: z.object({ position: int }),
  iris: z.object({ position: int }),
});
export type Szg10Lens = z.infer<typeof lens>;

export const focusPositionResponse = z.object({ focus: z.object({ position: int }) });
export const homeResponse = z.object({ zoom: z.object({ position: int }), focus: z.object({ position: int }) });
export const firmwareVersion = z.object({ version: z.string() });
export const upgradeState = z.object({
  result: z.union([z.literal(0), z.literal(-1), z.literal(1), z.literal(2)]),
  resultCaption: z.string(),
  rate: int.optional(),
});
export type UpgradeState = z.infer<typeof upgradeState>;

// ---- request bodies (the simulator validates with these; 400 when they fail) ----
// Strict: a key the manual does not list is refused, as an exacting camera would.
export const loginRequest = z.strictObject({ userId: str(16), userPassword: str(256) });
export const factoryDefaultRequest = z.strictObject({
  dbSelection: z
    .strictObject({
      user: z.boolean().optional(),
      system: z.boolean().optional(),
      network: z.boolean().optional(),
      event: z.boolean().optional(),
      camera: z.boolean().optional(),
      onvif: z.boolean().optional(),
      action: z.boolean().optional(),
    })
    .optional(),
});
/** reboot and focus/home: the manual lists a JSON request with no fields. */
export const emptyRequest = z.strictObject({});
export const osdRequest = z.strictObject({
  system: z.strictObject({ systemTitleShowType: showType, videoResolutionShowType: showType, videoTimeShowType: showType }),
});
const dnsRequest = (max: number) => z.strictObject({ primary: str(max), secondary: str(max) });
export const ipSetupRequest = z.strictObject({
  ipv4: z.strictObject({
    dhcp: z.boolean(),
    ipAddr: str(16),
    gateway: str(16),
    subnet: str(16),
    dns: dnsRequest(16),
    linklocal: str(16).optional(), // read-only: accepted (the GET shape) and ignored
  }),
  ipv6: z.strictObject({
    useType: uint.max(2),
    ipAddr: str(64),
    prefixLength: uint.max(128),
    gateway: str(64),
    dns: dnsRequest(64),
    linklocal: str(64).optional(),
  }),
  port: z.strictObject({ http: port, https: port, rtsp: port }),
});
export const focusModeRequest = z.strictObject({ mode: uint.max(2) });
export const enableZoomAfRequest = z.strictObject({ enable: z.boolean() });
export const zoomPositionRequest = z.strictObject({ position: uint.max(ZOOM_MAX) });
export const focusPositionRequest = z.strictObject({ position: uint.max(FOCUS_MAX) });
const cell = uint.max(ROI_MAX);
export const onePushRequest = z.strictObject({ left: cell, top: cell, right: cell, bottom: cell });
export const upgradeRequest = z.strictObject({ withFactoryReset: z.boolean().optional() });
