/**
 * The common configuration surface every camera HTTP dialect maps onto.
 *
 * A dialect declares which capabilities it has; calling a method of a capability it lacks
 * raises a NotSupportedError naming the dialect and the capability. Types here are the
 * dialect-neutral shapes (a dialect translates its own wire fields to and from them).
 */

/** Every capability a dialect may declare. Five dialects share this list. */
export const CAPABILITIES = [
  'identity', // model, firmware, MAC
  'lens', // zoom / focus positions (the lens operations a serial block can fall back to)
  'focus', // focus mode, one-push AF, zoom-triggered AF
  'presets', // zoom/focus presets stored in the camera
  'image', // exposure, white balance, day/night ...
  'osd', // on-screen display elements
  'network', // IP address, DNS, ports
  'time', // clock, NTP
  'events', // alarm inputs / outputs, motion
  'snapshot', // a JPEG
  'reboot',
  'factory-default',
  'firmware', // firmware upgrade
  'ptz-serial', // the camera's own PTZ serial-port settings (baud, protocol, address)
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export const DIALECTS = ['szg10', 'bview2', 'cgi-control', 'json-api', 'cgi-action'] as const;
export type DialectName = (typeof DIALECTS)[number];

export interface DeviceIdentity {
  model: string;
  firmware: string;
  mac?: string;
  /** Dialect-specific extra facts (serial number, hardware version, time ...). */
  extra?: Record<string, unknown>;
}

export type FocusMode = 'auto' | 'manual' | 'macro';

/** A rectangle of focus-area cells (the SZ-G10 uses a 16x16 grid, 0-15 each side). */
export interface FocusRoi {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LensState {
  /** Zoom position in the dialect's own scale (SZ-G10: 0-1000). */
  zoom: number;
  /** Focus position in the dialect's own scale (SZ-G10: 0-10000). */
  focus: number;
  focusMode?: FocusMode;
  focusRoi?: FocusRoi;
  zoomAf?: boolean;
  /** The auto-focus interval (timer-triggered AF), in the dialect's own unit (SZ-G10: as the camera reports it). */
  afInterval?: number;
  iris?: number;
  /** The scales, so a caller can map between dialects. */
  zoomMax: number;
  focusMax: number;
}

/**
 * Where a lens move ended. A position is reported only once read back from a lens that stopped:
 * the requested value is never passed off as reached, nor a reading taken mid-travel.
 */
export interface LensMoveResult {
  /** The position asked for. */
  requested: number;
  /** Where the axis ended, read back after it settled; undefined when that is not known. */
  reached: number | undefined;
  /** The lens stopped (at the target or short of it) within the wait, and `reached` is where. */
  settled: boolean;
  /** The whole lens as read back once settled (focus follows a zoom); undefined when unknown. */
  lens: LensState | undefined;
  /** Why the position is unknown (still moving at the end of the wait, the read-back failed). */
  problem?: string;
}

/**
 * Where an OSD element is drawn. The centre places exist on api.cgi cameras only; 'custom' is
 * read-only (api.cgi's "Other Configuration", a position set elsewhere).
 */
export type OsdPlacement = 'hidden' | 'top-left' | 'top-center' | 'top-right' | 'bottom-left' | 'bottom-center' | 'bottom-right' | 'custom';

/** OSD elements by name (SZ-G10: title, resolution, time). */
export type OsdSettings = Record<string, OsdPlacement>;

export interface NetworkSettings {
  ipv4: {
    dhcp: boolean;
    address: string;
    gateway: string;
    subnet: string;
    dns: { primary: string; secondary: string };
    linkLocal?: string;
  };
  ipv6?: {
    enabled: boolean;
    address: string;
    prefixLength: number;
    gateway: string;
    dns: { primary: string; secondary: string };
    linkLocal?: string;
  };
  ports: { http: number; https: number; rtsp: number };
}

/** Factory-default categories; an undefined selection means everything (an empty one is refused). */
export type FactoryDefaultCategory = 'user' | 'system' | 'network' | 'event' | 'camera' | 'onvif' | 'action';
export const FACTORY_DEFAULT_CATEGORIES: readonly FactoryDefaultCategory[] = [
  'user',
  'system',
  'network',
  'event',
  'camera',
  'onvif',
  'action',
];

export interface FactoryDefaultOptions {
  /** Categories to reset; undefined = all; an empty list is refused (it would reset nothing). */
  reset?: readonly FactoryDefaultCategory[];
}

export type FirmwareStage = 'upload' | 'upgrade' | 'done';
export interface FirmwareProgress {
  stage: FirmwareStage;
  /** 0-100 */
  percent: number;
  detail?: string;
}

/** A request outside the common surface, in the dialect's own terms. */
export interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** JSON-serialisable body, a string, or bytes. */
  body?: unknown;
  /** Send credentials (default true). */
  auth?: boolean;
}

export interface RawResponse {
  status: number;
  contentType: string | undefined;
  /** Parsed JSON when the body is JSON, else the text. */
  body: unknown;
}
