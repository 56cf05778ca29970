/**
 * SZ-G10 REST API (Appendix A): request builders, argument validation and the translation
 * between the wire shapes and the common configuration types. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../../errors.js';
import {
  FACTORY_DEFAULT_CATEGORIES,
  type FactoryDefaultCategory,
  type FocusMode,
  type FocusRoi,
  type LensState,
  type NetworkSettings,
  type OsdPlacement,
  type OsdSettings,
} from '../common/capabilities.js';
import type { Szg10IpSetup, Szg10Lens, Szg10Osd } from './schemas.js';

export type Szg10Permission = 'noAuth' | 'authentication' | 'setup' | 'reboot';

export interface Szg10Request {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  permission: Szg10Permission;
  /** JSON text, or raw bytes for the firmware upload. */
  body?: string | Uint8Array;
  contentType?: string;
  /** Safe to send twice (a retry after a lost connection changes nothing). */
  idempotent: boolean;
  /**
   * Sets a lens moving. Never sent a second time once it may have reached the camera (a retry
   * after a timeout could replay a move the camera already made, or undo one made since).
   */
  movesLens?: true;
  /** The status codes the manual documents as this call's success (anything else is an error). */
  success: readonly number[];
  /** The camera works before it answers (saving a firmware file): wait this long for the headers. */
  headersTimeoutMs?: number;
}

/** Writing a firmware file to flash before the "Success" answer can take far longer than a setting. */
export const FIRMWARE_SAVE_TIMEOUT_MS = 120_000;

export const ZOOM_MAX = 1000;
export const FOCUS_MAX = 10000;
export const ROI_MAX = 15;
export const FOCUS_MODES: readonly FocusMode[] = ['auto', 'manual', 'macro'];
export const OSD_PLACEMENTS: readonly OsdPlacement[] = ['hidden', 'top-left', 'top-right', 'bottom-left', 'bottom-right'];
/** Common OSD element names and their SZ-G10 fields. */
export const OSD_ELEMENTS = {
  title: 'systemTitleShowType',
  resolution: 'videoResolutionShowType',
  time: 'videoTimeShowType',
} as const;
export type Szg10OsdElement = keyof typeof OSD_ELEMENTS;

const P = '/app/v1';
const OK200 = [200] as const;
const NO_CONTENT = [204] as const;
/**
 * The manual's focus/position page is interleaved with the next one in the PDF: 204 is the
 * likely reading, 200 with {focus{position}} the other. Both are accepted; neither is taken as
 * where the lens ended (the client reads the position back once it settles).
 */
const FOCUS_POSITION_SUCCESS = [204, 200] as const;
const json = (value: unknown): Pick<Szg10Request, 'body' | 'contentType'> => ({ body: JSON.stringify(value), contentType: 'application/json' });

/** The SHA-256 hex digest the login expects instead of the password. */
export function hashPassword(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('hex');
}

function checkInt(field: string, value: number, min: number, max: number, hint?: string): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(field, value, `${min}–${max}`, hint);
}

export const requests = {
  /**
   * Takes the SHA-256 hex of the password (hashPassword), never the password itself. Not
   * idempotent: a login that timed out may still have counted as a failure on the camera, and
   * resending it could be what reaches the 5-failure lockout.
   */
  login(userId: string, passwordSha256: string): Szg10Request {
    if (userId.length > 16) throw new InvalidArgumentError('user id', userId, 'at most 16 characters');
    return { method: 'POST', path: `${P}/login`, permission: 'noAuth', idempotent: false, success: OK200, ...json({ userId, userPassword: passwordSha256 }) };
  },
  logout: (): Szg10Request => ({ method: 'POST', path: `${P}/logout`, permission: 'authentication', idempotent: true, success: NO_CONTENT }),
  sessionCheck: (): Szg10Request => ({ method: 'PUT', path: `${P}/session/check`, permission: 'authentication', idempotent: true, success: NO_CONTENT }),
  sdp: (): Szg10Request => ({ method: 'GET', path: `${P}/stream/sdp`, permission: 'noAuth', idempotent: true, success: OK200 }),
  deviceInformation: (): Szg10Request => ({ method: 'GET', path: `${P}/deviceInformation`, permission: 'authentication', idempotent: true, success: OK200 }),
  reboot: (): Szg10Request => ({ method: 'PUT', path: `${P}/system/reboot`, permission: 'reboot', idempotent: false, success: OK200, ...json({}) }),
  factoryDefault(categories?: readonly FactoryDefaultCategory[]): Szg10Request {
    // Omitting dbSelection resets everything (the API's own rule). A selection names every
    // category, true or false: a camera that took a missing key as "reset" would otherwise wipe
    // the very settings (network, users) the caller meant to keep.
    let body = {};
    if (categories !== undefined) {
      for (const c of categories) {
        if (!FACTORY_DEFAULT_CATEGORIES.includes(c)) throw new InvalidArgumentError('factory-default category', c, FACTORY_DEFAULT_CATEGORIES.join(' | '));
      }
      if (categories.length === 0) throw new InvalidArgumentError('factory-default categories', [], 'at least one category', 'leave the selection out to reset everything');
      body = { dbSelection: Object.fromEntries(FACTORY_DEFAULT_CATEGORIES.map((c) => [c, categories.includes(c)])) };
    }
    return { method: 'POST', path: `${P}/system/factoryDefault`, permission: 'setup', idempotent: false, success: NO_CONTENT, ...json(body) };
  },
  getOsd: (): Szg10Request => ({ method: 'GET', path: `${P}/media/video/osd`, permission: 'authentication', idempotent: true, success: OK200 }),
  setOsd(osd: Szg10Osd): Szg10Request {
    for (const [k, v] of Object.entries(osd.system)) checkInt(`osd ${k}`, v, 0, 4, '0 hidden, 1 top-left, 2 top-right, 3 bottom-left, 4 bottom-right');
    return { method: 'POST', path: `${P}/media/video/osd`, permission: 'setup', idempotent: true, success: NO_CONTENT, ...json(osd) };
  },
  getIpSetup: (): Szg10Request => ({ method: 'GET', path: `${P}/network/ipSetup`, permission: 'authentication', idempotent: true, success: OK200 }),
  setIpSetup(setup: Szg10IpSetup): Szg10Request {
    validateIpSetup(setup);
    // Not resent: a camera that applied a new address or port drops this very connection, and
    // a retry could only knock on the old address.
    return { method: 'POST', path: `${P}/network/ipSetup`, permission: 'setup', idempotent: false, success: NO_CONTENT, ...json(setup) };
  },
  getLens: (): Szg10Request => ({ method: 'GET', path: `${P}/camera/lens`, permission: 'authentication', idempotent: true, success: OK200 }),
  setFocusMode(mode: FocusMode): Szg10Request {
    const index = FOCUS_MODES.indexOf(mode);
    if (index < 0) throw new InvalidArgumentError('focus mode', mode, FOCUS_MODES.join(' | '));
    return { method: 'PUT', path: `${P}/camera/lens/focus/mode`, permission: 'setup', idempotent: true, success: NO_CONTENT, ...json({ mode: index }) };
  },
  enableZoomAf: (enable: boolean): Szg10Request => ({
    method: 'PUT',
    path: `${P}/camera/lens/focus/enableZoomAf`,
    permission: 'setup',
    idempotent: true,
    success: NO_CONTENT,
    ...json({ enable }),
  }),
  zoomPosition(position: number): Szg10Request {
    checkInt('zoom position', position, 0, ZOOM_MAX);
    return { method: 'PUT', path: `${P}/camera/lens/zoom/position`, permission: 'setup', idempotent: true, movesLens: true, success: OK200, ...json({ position }) };
  },
  focusPosition(position: number): Szg10Request {
    checkInt('focus position', position, 0, FOCUS_MAX);
    return { method: 'PUT', path: `${P}/camera/lens/focus/position`, permission: 'setup', idempotent: true, movesLens: true, success: FOCUS_POSITION_SUCCESS, ...json({ position }) };
  },
  focusHome: (): Szg10Request => ({ method: 'PUT', path: `${P}/camera/lens/focus/home`, permission: 'setup', idempotent: true, movesLens: true, success: OK200, ...json({}) }),
  onePush(roi: FocusRoi = FULL_ROI): Szg10Request {
    validateRoi(roi);
    return { method: 'PUT', path: `${P}/camera/lens/focus/onepush`, permission: 'setup', idempotent: false, movesLens: true, success: OK200, ...json(roi) };
  },
  uploadFirmware: (image: Uint8Array): Szg10Request => ({
    method: 'POST',
    path: `${P}/upload/firmware`,
    permission: 'noAuth',
    idempotent: false,
    success: OK200,
    body: image,
    contentType: 'application/octet-stream',
    headersTimeoutMs: FIRMWARE_SAVE_TIMEOUT_MS,
  }),
  firmwareVersion: (): Szg10Request => ({ method: 'GET', path: `${P}/system/firmware`, permission: 'authentication', idempotent: true, success: OK200 }),
  upgrade: (withFactoryReset?: boolean): Szg10Request => ({
    method: 'POST',
    path: `${P}/system/firmware/upgrade`,
    permission: 'setup',
    idempotent: false,
    success: OK200,
    ...json(withFactoryReset === undefined ? {} : { withFactoryReset }),
  }),
  upgradeState: (): Szg10Request => ({ method: 'GET', path: `${P}/system/firmware/upgradeState`, permission: 'noAuth', idempotent: true, success: OK200 }),
};

export const FULL_ROI: FocusRoi = { left: 0, top: 0, right: ROI_MAX, bottom: ROI_MAX };

export function validateRoi(roi: FocusRoi): void {
  for (const side of ['left', 'top', 'right', 'bottom'] as const) checkInt(`roi ${side}`, roi[side], 0, ROI_MAX, 'focus-area cells of a 16x16 grid');
  if (roi.left > roi.right) throw new InvalidArgumentError('roi left', roi.left, `≤ right (${roi.right})`);
  if (roi.top > roi.bottom) throw new InvalidArgumentError('roi top', roi.top, `≤ bottom (${roi.bottom})`);
}

/** The port rules of POST ipSetup: http 80 or ≥1024, https 443 or ≥1024, rtsp 554 or ≥1024, no two equal. */
export function portProblems(ports: { http: number; https: number; rtsp: number }): string[] {
  const problems: string[] = [];
  const rule = { http: 80, https: 443, rtsp: 554 } as const;
  for (const name of ['http', 'https', 'rtsp'] as const) {
    const value = ports[name];
    if (!Number.isInteger(value) || value < 0 || value > 65535) problems.push(`${name} port ${value} is not 0–65535`);
    else if (value !== rule[name] && value < 1024) problems.push(`${name} port ${value} must be ${rule[name]} or ≥ 1024`);
  }
  if (ports.http === ports.https || ports.http === ports.rtsp) problems.push(`http port ${ports.http} overlaps another port`);
  else if (ports.https === ports.rtsp) problems.push(`https port ${ports.https} overlaps the rtsp port`);
  return problems;
}

export function validateIpSetup(setup: Szg10IpSetup): void {
  const problems = portProblems(setup.port);
  if (problems.length) throw new InvalidArgumentError('ports', setup.port, 'http 80 or ≥1024, https 443 or ≥1024, rtsp 554 or ≥1024, all different', problems.join('; '));
  const lengths: [string, string, number][] = [
    ['ipv4 address', setup.ipv4.ipAddr, 16],
    ['ipv4 gateway', setup.ipv4.gateway, 16],
    ['ipv4 subnet', setup.ipv4.subnet, 16],
    ['ipv4 dns primary', setup.ipv4.dns.primary, 16],
    ['ipv4 dns secondary', setup.ipv4.dns.secondary, 16],
    ['ipv6 address', setup.ipv6.ipAddr, 64],
    ['ipv6 gateway', setup.ipv6.gateway, 64],
    ['ipv6 dns primary', setup.ipv6.dns.primary, 64],
    ['ipv6 dns secondary', setup.ipv6.dns.secondary, 64],
  ];
  for (const [field, value, max] of lengths) if (value.length > max) throw new InvalidArgumentError(field, value, `at most ${max} characters`);
  checkInt('ipv6 prefix length', setup.ipv6.prefixLength, 0, 128);
  checkInt('ipv6 use type', setup.ipv6.useType, 0, 2);
}

// ---- wire <-> common ----

export function lensFromWire(lens: Szg10Lens): LensState {
  return {
    zoom: lens.zoom.position,
    focus: lens.focus.position,
    focusMode: FOCUS_MODES[lens.focus.mode],
    focusRoi: lens.focus.roi,
    zoomAf: lens.focus.enableManualZoomAF,
    iris: lens.iris.position,
    afInterval: lens.focus.afInterval,
    zoomMax: ZOOM_MAX,
    focusMax: FOCUS_MAX,
  };
}

export function osdFromWire(osd: Szg10Osd): OsdSettings {
  const out: OsdSettings = {};
  for (const [name, field] of Object.entries(OSD_ELEMENTS)) out[name] = OSD_PLACEMENTS[osd.system[field]] ?? 'hidden';
  return out;
}

/** Merge changes (by common element name) into the current wire OSD. */
export function osdToWire(current: Szg10Osd, changes: OsdSettings): Szg10Osd {
  const system = { ...current.system };
  for (const [name, placement] of Object.entries(changes)) {
    const field = OSD_ELEMENTS[name as Szg10OsdElement];
    if (!field) throw new InvalidArgumentError('osd element', name, Object.keys(OSD_ELEMENTS).join(' | '));
    const index = OSD_PLACEMENTS.indexOf(placement);
    if (index < 0) throw new InvalidArgumentError(`osd ${name}`, placement, OSD_PLACEMENTS.join(' | '));
    system[field] = index;
  }
  return { system };
}

export function networkFromWire(ip: Szg10IpSetup): NetworkSettings {
  return {
    ipv4: {
      dhcp: ip.ipv4.dhcp,
      address: ip.ipv4.ipAddr,
      gateway: ip.ipv4.gateway,
      subnet: ip.ipv4.subnet,
      dns: { ...ip.ipv4.dns },
      ...(ip.ipv4.linklocal !== undefined ? { linkLocal: ip.ipv4.linklocal } : {}),
    },
    ipv6: {
      enabled: ip.ipv6.useType !== 0,
      address: ip.ipv6.ipAddr,
      prefixLength: ip.ipv6.prefixLength,
      gateway: ip.ipv6.gateway,
      dns: { ...ip.ipv6.dns },
      ...(ip.ipv6.linklocal !== undefined ? { linkLocal: ip.ipv6.linklocal } : {}),
    },
    ports: { ...ip.port },
  };
}

/**
 * The POST body for a network setting (link-local addresses are read-only and not sent).
 * `current` is the camera's setup: what the common shape cannot express is kept from it (an
 * IPv6 use type other than 0/1 while IPv6 stays on; the whole IPv6 block when `net.ipv6` is
 * absent), so changing a port never rewrites the IPv6 configuration as a side effect.
 */
export function networkToWire(net: NetworkSettings, current?: Szg10IpSetup): Szg10IpSetup {
  const { linklocal: _v6LinkLocal, ...currentV6 } = current?.ipv6 ?? { useType: 0, ipAddr: '', prefixLength: 64, gateway: '', dns: { primary: '', secondary: '' } };
  const v6 = net.ipv6;
  const useType = v6 === undefined ? currentV6.useType : !v6.enabled ? 0 : currentV6.useType !== 0 ? currentV6.useType : 1;
  return {
    ipv4: { dhcp: net.ipv4.dhcp, ipAddr: net.ipv4.address, gateway: net.ipv4.gateway, subnet: net.ipv4.subnet, dns: { ...net.ipv4.dns } },
    ipv6: v6 === undefined ? { ...currentV6, dns: { ...currentV6.dns } } : { useType, ipAddr: v6.address, prefixLength: v6.prefixLength, gateway: v6.gateway, dns: { ...v6.dns } },
    port: { ...net.ports },
  };
}

export const UPGRADE_RESULT = { none: 0, failed: -1, succeeded: 1, upgrading: 2 } as const;
