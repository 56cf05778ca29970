/**
 * The one registry of HTTP dialects: name, one-line summary, the capabilities it can offer
 * and how to open a client. openCamera, the CLI's help and the capability table in
 * docs/http.md all read it, so a new dialect is added here once.
 */
import { NotSupportedError } from '../../../protocols/errors.js';
import { CAPABILITIES, DIALECTS, type Capability, type DialectName } from '../../../protocols/http/common/capabilities.js';
import type { CameraClientOptions } from './camera-client.js';
import { CGI_ACTION_CAPABILITIES, CgiActionClient } from './cgi-action-client.js';
import type { CameraConfig } from './dialect.js';
import { probeBview2, probeCgiAction, probeCgiControl, probeJsonApi, probeSzg10, type DialectProbe } from './dialect-probes.js';
import { BVIEW2_CAPABILITIES, Bview2Client } from './bview2-client.js';
import { CGI_CONTROL_CAPABILITIES, CgiControlClient } from './cgi-control-client.js';
import { JSON_API_CAPABILITIES, JsonApiClient } from './json-api-client.js';
import { serialToWire as cgiActionSerialToWire } from '../../../protocols/http/cgi-action/api.js';
import { ptzSerialToWire as jsonApiSerialToWire } from '../../../protocols/http/json-api/api.js';
import { SZG10_CAPABILITIES, Szg10Client } from './szg10-client.js';

export interface CameraConnectOptions extends CameraClientOptions {
  dialect: DialectName;
  user: string;
  password: string;
}

export interface DialectEntry {
  name: DialectName;
  summary: string;
  /** What the dialect can offer; a camera may offer less (api.cgi asks GetAbility). */
  capabilities: readonly Capability[];
  open(options: Omit<CameraConnectOptions, 'dialect'>): CameraConfig;
  /** Recognises the dialect from harmless, credential-free questions (see dialect-probes.ts). */
  probe?: DialectProbe;
  /** Checks a ptz-serial change (the setPtzSerial argument) without sending it, so the CLI refuses it before the password; throws what setPtzSerial would. */
  checkPtzSerial?: (settings: Record<string, unknown>) => void;
}

export const DIALECT_REGISTRY: readonly DialectEntry[] = [
  {
    name: 'szg10',
    summary: 'SZ-G10 REST API (JSON under /app/v1, bearer JWT login with the SHA-256 of the password)',
    capabilities: SZG10_CAPABILITIES,
    open: (options) => new Szg10Client(options),
    probe: probeSzg10,
  },
  {
    name: 'json-api',
    summary: 'JSON api.cgi (batched [{cmd, action, param}] POSTs, leased token in the URL, rspCode errors)',
    capabilities: JSON_API_CAPABILITIES,
    open: (options) => new JsonApiClient(options),
    probe: probeJsonApi,
    checkPtzSerial: (settings) => void jsonApiSerialToWire(settings),
  },
  {
    name: 'cgi-action',
    summary: 'cgi_action smart-IPC (GET /action/cgi_action with the MD5 of the password per call, plain-text and code errors)',
    capabilities: CGI_ACTION_CAPABILITIES,
    open: (options) => new CgiActionClient(options),
    probe: probeCgiAction,
    checkPtzSerial: (settings) => void cgiActionSerialToWire(settings),
  },
  {
    name: 'bview2',
    summary: 'B-View 2 XML REST (XML at the server root, HTTP Basic, ResponseStatus statusCode errors)',
    capabilities: BVIEW2_CAPABILITIES,
    open: (options) => new Bview2Client(options),
    probe: probeBview2,
  },
  {
    name: 'cgi-control',
    summary: 'CGI control (GET /cgi-bin/control/<name>.cgi with id/passwd, key = value answers, Error: bodies with 200)',
    capabilities: CGI_CONTROL_CAPABILITIES,
    open: (options) => new CgiControlClient(options),
    probe: probeCgiControl,
  },
];

export function isDialectName(name: string): name is DialectName {
  return (DIALECTS as readonly string[]).includes(name);
}

export function dialectEntry(name: DialectName): DialectEntry | undefined {
  return DIALECT_REGISTRY.find((d) => d.name === name);
}

/** A client for the camera's dialect. */
export function openCamera(options: CameraConnectOptions): CameraConfig {
  const { dialect, ...rest } = options;
  const entry = dialectEntry(dialect);
  if (!entry) throw new NotSupportedError(`the ${dialect} dialect`, 'this version of zoomsync', `available: ${DIALECT_REGISTRY.map((d) => d.name).join(', ')}`);
  return entry.open(rest);
}

/** Rows of dialect × capability ('yes' / ''), for help texts and docs. */
export function capabilityTable(): { header: string[]; rows: string[][] } {
  return {
    header: ['capability', ...DIALECT_REGISTRY.map((d) => d.name)],
    rows: CAPABILITIES.map((c) => [c, ...DIALECT_REGISTRY.map((d) => (d.capabilities.includes(c) ? 'yes' : ''))]),
  };
}
