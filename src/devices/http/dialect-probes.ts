/**
 * Probes: how each dialect recognises its own cameras from harmless questions. A probe never
 * sends a credential and never calls a login endpoint, so nothing it asks can count toward a
 * camera's failed-login lockout; it only reads. Each dialect's entry in the registry points at
 * its probe, so a new dialect brings its own.
 */
import type { CameraClient, HttpResponse } from './camera-client.js';

export interface ProbeResult {
  /** 0: nothing of the dialect answered; 1: an answer only this dialect gives. */
  confidence: number;
  /** What was asked and what answered, one line. */
  evidence: string;
}

export type DialectProbe = (http: CameraClient) => Promise<ProbeResult>;

const none = (evidence: string): ProbeResult => ({ confidence: 0, evidence });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function answered(res: HttpResponse): string {
  return `HTTP ${res.status}${res.contentType ? ` ${res.contentType.split(';')[0]}` : ''}, ${res.bytes.length} bytes`;
}

/**
 * SZ-G10: GET /app/v1/system/firmware/upgradeState is a noAuth read (the firmware progress);
 * its {result: -1..2, resultCaption} shape is the dialect's own. The login endpoint is never
 * touched (a failed login counts toward its lock of 5).
 */
export const probeSzg10: DialectProbe = async (http) => {
  const path = '/app/v1/system/firmware/upgradeState';
  const res = await http.request({ method: 'GET', path, idempotent: true, acts: false });
  const body = res.status === 200 ? (parseJson(res.text) as { result?: unknown; resultCaption?: unknown } | undefined) : undefined;
  if (body && typeof body === 'object' && [-1, 0, 1, 2].includes(body.result as number) && typeof body.resultCaption === 'string') {
    return { confidence: 1, evidence: `GET ${path} answered {result: ${String(body.result)}, resultCaption} without credentials` };
  }
  return none(`GET ${path}: ${answered(res)}, not an SZ-G10 upgrade state`);
};

/**
 * api.cgi: a GetDevInfo POST with neither token nor user in the URL. It is no login (nothing to
 * check, so nothing to count); the camera answers rspCode -6 "please login first". The manual
 * shows the CGI at /cgi-bin/api.cgi and at /api.cgi: the second is asked when the first is 404.
 */
export const probeJsonApi: DialectProbe = async (http) => {
  const first = await probeJsonApiAt(http, '/cgi-bin/api.cgi');
  return first.notFound ? (await probeJsonApiAt(http, '/api.cgi')).result : first.result;
};

async function probeJsonApiAt(http: CameraClient, cgi: string): Promise<{ result: ProbeResult; notFound: boolean }> {
  const path = `${cgi}?cmd=GetDevInfo`;
  const res = await http.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ cmd: 'GetDevInfo', action: 0, param: {} }]),
    idempotent: true,
    acts: false,
  });
  const body = res.status === 200 ? parseJson(res.text) : undefined;
  const first = Array.isArray(body) ? (body[0] as { cmd?: unknown; error?: { rspCode?: unknown } } | undefined) : undefined;
  const rspCode = first?.error?.rspCode;
  const notFound = res.status === 404;
  if (typeof rspCode === 'number' && rspCode === -6) return { notFound, result: { confidence: 1, evidence: `POST ${path} without a token answered rspCode -6 (please login first)` } };
  if (typeof rspCode === 'number') return { notFound, result: { confidence: 0.8, evidence: `POST ${path} without a token answered rspCode ${rspCode}` } };
  return { notFound, result: none(`POST ${path}: ${answered(res)}, not an api.cgi answer`) };
}

/**
 * cgi_action: the snapshot CGI takes no credentials (so nothing is checked or counted) and
 * answers a format it does not know with the plain text `failed`. The action CGI is not asked:
 * every call there is a credential check.
 */
export const probeCgiAction: DialectProbe = async (http) => {
  const path = '/action/cgi_images?fmt=zoomsync-probe';
  const res = await http.request({ method: 'GET', path, idempotent: true, acts: false });
  if (res.status === 200 && res.text.trim() === 'failed') return { confidence: 1, evidence: `GET ${path} answered "failed" (the snapshot CGI refusing an unknown format)` };
  const jpeg = res.bytes[0] === 0xff && res.bytes[1] === 0xd8;
  if (res.status === 200 && jpeg) return { confidence: 0.6, evidence: `GET ${path} answered a JPEG without credentials` };
  return none(`GET ${path}: ${answered(res)}, not the cgi_images CGI`);
};

/**
 * B-View 2: Basic on every resource, and a request with no Authorization header is answered 401
 * before any check (§4.5.2), so nothing is counted. The challenge's realm is not in the spec and
 * the 401 body is the server's own, so a non-JSON 401 on /System/DeviceInfo is only half sure
 * (the SZ-G10's 401 is JSON; the other dialects have no such resource and answer 404).
 */
export const probeBview2: DialectProbe = async (http) => {
  const path = '/System/DeviceInfo';
  const res = await http.request({ method: 'GET', path, idempotent: true, acts: false });
  if (res.status === 401 && parseJson(res.text) === undefined) return { confidence: 0.5, evidence: `GET ${path} without credentials answered 401 (B-View 2's challenge, before any password check)` };
  return none(`GET ${path}: ${answered(res)}, not a B-View 2 challenge`);
};

/**
 * cgi-control: every GET of a control script checks id/passwd, so the script is never run. A
 * POST is no call the spec describes (GET only): the camera refuses the method (405) without
 * running the script, or runs it and refuses the missing pair with its `Error:` body (the spec
 * has no lockout). Either is told apart from a server without the CGI by a 404 for a script
 * name that does not exist.
 */
export const probeCgiControl: DialectProbe = async (http) => {
  const path = '/cgi-bin/control/servername.cgi';
  const res = await http.request({ method: 'POST', path, idempotent: true, acts: false });
  const refusedLogin = res.status === 200 && /^Error: ?Invalid ID or Password\r?\n?$/.test(res.text);
  if (!refusedLogin && res.status !== 405) return none(`POST ${path}: ${answered(res)}, not the control CGI`);
  const control = '/cgi-bin/control/zoomsyncprobe.cgi';
  const absent = await http.request({ method: 'POST', path: control, idempotent: true, acts: false });
  if (absent.status !== 404) return none(`POST ${path} answered ${res.status} but so did ${control} (${answered(absent)}): no sign of the control CGI`);
  if (refusedLogin) return { confidence: 1, evidence: `POST ${path} without id/passwd answered "Error: Invalid ID or Password"` };
  return { confidence: 0.6, evidence: `POST ${path} answered 405 (the control CGI takes GET only), ${control} 404` };
};
