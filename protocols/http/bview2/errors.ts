/**
 * B-View 2's error forms as typed errors: the one mapping from what the camera answered (an
 * HTTP status, a ResponseStatus statusCode) to what zoomsync throws. The texts of the codes are
 * the manual's (§7).
 */
import { HttpAuthError, HttpStatusError, NotSupportedError, ZoomsyncError } from '../../errors.js';

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  0: 'Success',
  [-1]: 'Decode error, maybe the XML and URL are not corresponding',
  [-2]: 'Decode error, XML <req> tag may be missing',
  [-3]: 'Unsupported operation',
  [-4]: 'Decode error, wrong channel identifier',
  [-5]: 'Parameter error',
  [-6]: 'Query log busy',
  [-7]: 'Query log error',
  [-8]: 'SDK call failed',
  [-9]: 'Memory overflow',
  [-10]: 'URL Error',
  [-11]: 'User overflow',
  [-12]: 'Invalid operation',
  [-13]: 'User already exists',
  [-14]: 'Camera is busy with previous event handling',
};

/** A statusCode the camera refused a call with (any HTTP status); `statusCode` is the camera's. */
export class Bview2StatusError extends HttpStatusError {
  constructor(
    status: number,
    readonly call: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(status, message);
    this.name = 'Bview2StatusError';
  }
}

export interface Bview2Failure {
  /** "PUT /Images/1/Exposure" */
  call: string;
  /** The HTTP status of the answer. */
  status: number;
  /** The ResponseStatus statusCode, when the answer carried one. */
  statusCode?: number;
  user: string;
  /** The firmware upload, where a positive statusCode is a failure too. */
  firmware?: boolean;
  /** A redacted start of the body, for answers without a statusCode. */
  snippet?: string;
}

/** Advice for each statusCode a user can act on. */
const ADVICE: Readonly<Record<number, string>> = {
  [-1]: 'the camera could not decode the request for this URL; check the dialect and the camera firmware',
  [-2]: 'a required element is missing; check the dialect and the camera firmware',
  [-4]: 'the camera has one channel (1)',
  [-5]: "the camera refused a value; check it against the camera's ranges",
  [-6]: 'the log is busy; try again in a moment',
  [-8]: 'the camera failed internally; try again, and reboot the camera if it persists',
  [-9]: 'the camera ran out of memory; reboot it',
  [-11]: 'the camera has no room for another user',
  [-12]: `user level too low or the operation is not allowed now; use the admin account`,
  [-13]: 'choose another user name',
  [-14]: 'the camera is busy (after an autofocus initialisation it calibrates for 3 to 5 minutes); wait and try again',
};

/** The typed error for a failed call. */
export function bview2Error(f: Bview2Failure): ZoomsyncError {
  if (f.status === 401) {
    return new HttpAuthError(
      f.user,
      `${f.call}: the camera refused the credentials of user "${f.user}" (HTTP 401, Basic): wrong user or password. zoomsync does not send refused credentials again by itself; fix the password and run again`,
    );
  }
  if (f.statusCode === undefined) {
    const body = f.snippet ? `: ${f.snippet}` : '';
    if (f.status === 403) return new HttpStatusError(403, `${f.call}: the camera refused the call (HTTP 403)${body}; user "${f.user}" may lack the permission — use the admin account`);
    if (f.status === 404) return new NotSupportedError(`${f.call} (HTTP 404)`, 'this camera', "the camera does not know this resource; check the dialect and the camera's firmware");
    return new HttpStatusError(f.status, `${f.call}: unexpected HTTP ${f.status} without a ResponseStatus${body}; check the dialect and the camera's firmware`);
  }
  const code = f.statusCode;
  const text = STATUS_TEXT[code] ?? (code > 0 && f.firmware ? 'update failure' : 'undocumented code');
  const head = `${f.call}: the camera answered statusCode ${code} ("${text}")`;
  if (code === -3) return new NotSupportedError(`${f.call} (statusCode -3 "${text}")`, 'this camera', 'the camera does not offer this operation');
  if (code === -10) return new NotSupportedError(`${f.call} (statusCode -10 "${text}")`, 'this camera', "the camera does not know this URL; check the dialect and the camera's firmware");
  if (code > 0 && f.firmware) return new Bview2StatusError(f.status, f.call, code, `${head}: the firmware update failed; the previous firmware should still run — check that the file is a firmware package for this camera and try again`);
  if (code === 0) return new Bview2StatusError(f.status, f.call, code, `${head} but with HTTP ${f.status}; check the dialect and the camera's firmware`);
  return new Bview2StatusError(f.status, f.call, code, `${head}; ${ADVICE[code] ?? 'try again, and reboot the camera if it persists'}`);
}

/**
 * A failure while the lens may be moving: a move whose start failed after it may have reached
 * the camera, a stop that did not get through, or any call that failed while a move of this
 * client runs. The code is the underlying failure's (callers switch on it as usual);
 * `lensMayBeMoving` says whether a stop was confirmed since.
 */
export class Bview2LensError extends ZoomsyncError {
  constructor(
    readonly axis: 'zoom' | 'focus',
    readonly lensMayBeMoving: boolean,
    readonly failure: ZoomsyncError,
    message: string,
    readonly stopFailure?: ZoomsyncError,
  ) {
    super(failure.code, message, { cause: failure });
    this.name = 'Bview2LensError';
  }
}
