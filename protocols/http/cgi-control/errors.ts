/**
 * The CGI control API's error forms, and the one mapping from an answer to the typed error
 * zoomsync throws. The spec shows every answer as 200 OK; a failure is a text body
 * `Error: <description>` whose descriptions it never lists (digest §2.3, §4). So the mapping
 * reads the description by meaning: credentials, a missing feature or action, the disabled
 * HTTP API, a refused value. Any other HTTP status is mapped by its number.
 */
import { HttpAuthError, HttpLockedError, HttpStatusError, NotSupportedError, type ZoomsyncError } from '../../errors.js';

/** Why the camera refused a call, when it is neither credentials nor a missing feature. */
export type CgiRefusal =
  /** `httpapi.cgi apictrlstatus=disable`: every control CGI refuses until it is enabled again. */
  | 'api-disabled'
  /** A move while ptzf_status says the pan/tilt or zoom/focus control is disabled. */
  | 'ptz-disabled'
  /** A value or a state the camera refused (an empty preset slot, a value out of range). */
  | 'refused';

/** An `Error:` body that is not about credentials or a missing feature (HTTP status as received, 200 on a camera). */
export class CgiControlError extends HttpStatusError {
  constructor(
    status: number,
    readonly script: string,
    readonly action: string | undefined,
    readonly description: string,
    readonly refusal: CgiRefusal,
    message: string,
  ) {
    super(status, message);
    this.name = 'CgiControlError';
  }
}

export interface CgiErrorContext {
  script: string;
  action: string | undefined;
  /** HTTP status of the answer. */
  status: number;
  /** The description after `Error:` (already masked of secrets); undefined when the status alone failed. */
  description: string | undefined;
  user: string;
}

const AUTH = /invalid id|\bid\b.*password|passw(or)?d|unauthori[sz]ed|authenticat|permission|not (an )?admin|login/i;
const LOCKED = /lock/i;
const MISSING = /not support|unsupported|invalid action|unknown action|no such|not found/i;
const API_OFF = /api.*disabl|disabl.*api/i;
const PTZ_OFF = /(pt|zf|ptz|zoom|focus|pan|tilt)\w*\s*(status\s*)?(is\s*)?disabl/i;

/** The typed error for a refused call. */
export function cgiControlError(c: CgiErrorContext): ZoomsyncError {
  const call = `${c.script}.cgi${c.action ? ` ${c.action}` : ''}`;
  if (c.description === undefined) {
    if (c.status === 401 || c.status === 403) return new HttpAuthError(c.user, `${call}: the camera answered HTTP ${c.status}: user "${c.user}" or its password was refused; only the administrator may use the CGI API (spec rev 1.03). zoomsync does not send a refused password again: fix it and run again`);
    if (c.status === 404) return new NotSupportedError(call, 'this camera (HTTP 404: the script is absent)', 'an older firmware or another API: check the dialect');
    return new HttpStatusError(c.status, `${call}: the camera answered HTTP ${c.status}; try again, and check the dialect if it persists`);
  }
  const said = `${call}: the camera answered "Error: ${c.description}"`;
  if (LOCKED.test(c.description)) return new HttpLockedError(c.user, `${said}: the account is locked; wait, check the password, then try again`);
  if (API_OFF.test(c.description)) return new CgiControlError(c.status, c.script, c.action, c.description, 'api-disabled', `${said}: the camera's HTTP control API is switched off; enable it in the camera's web page (or httpapi.cgi setapi apictrlstatus=enable)`);
  if (AUTH.test(c.description)) return new HttpAuthError(c.user, `${said}: user "${c.user}" or its password was refused; only the administrator may use the CGI API. zoomsync does not send a refused password again: fix it and run again`);
  if (MISSING.test(c.description)) return new NotSupportedError(`${call} ("${c.description}")`, 'this camera', 'its firmware or model lacks it (capabilityptz.cgi tells what PTZ it offers)');
  if (PTZ_OFF.test(c.description)) return new CgiControlError(c.status, c.script, c.action, c.description, 'ptz-disabled', `${said}: that control is disabled on the camera; enable it (ptzf_status.cgi setptzstatus) and try again`);
  return new CgiControlError(c.status, c.script, c.action, c.description, 'refused', `${said}: the camera refused the call; check the values against the documented ranges`);
}
