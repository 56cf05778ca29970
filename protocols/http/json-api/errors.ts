/**
 * api.cgi's error form: every answer element that carries an `error` object (or a non-zero
 * `code`) holds an rspCode; this is the one mapping from an rspCode to the typed error
 * zoomsync throws. The detail strings are the manual's (§4.1).
 */
import { HttpAuthError, HttpLockedError, HttpStatusError, HttpTimeoutError, NotSupportedError, type ZoomsyncError } from '../../errors.js';

export const RSP_DETAILS: Readonly<Record<number, string>> = {
  [-1]: 'not exist', [-2]: 'out of mem', [-3]: 'check err', [-4]: 'param error', [-5]: 'max session', [-6]: 'please login first',
  [-7]: 'login failed', [-8]: 'timeout', [-9]: 'not support', [-10]: 'protocol', [-11]: 'fcgi read failed', [-12]: 'get config failed',
  [-13]: 'set config failed', [-14]: 'malloc failed', [-15]: 'create socket failed', [-16]: 'send failed', [-17]: 'rcv failed',
  [-18]: 'open file failed', [-19]: 'read file failed', [-20]: 'write file failed', [-21]: 'error token',
  [-22]: 'The length of the string exceeds the limit', [-23]: 'missing param', [-24]: 'error command', [-25]: 'internal error',
  [-26]: 'ability error', [-27]: 'invalid user', [-28]: 'user already exist', [-29]: 'maximum number of users', [-30]: 'same version',
  [-31]: 'busy', [-32]: 'ip conflict', [-34]: 'need bing email', [-35]: 'unbind', [-36]: 'network timeout', [-37]: 'password err',
  [-38]: 'uid err', [-39]: 'user not exist', [-40]: 'unbind failed', [-41]: 'cloud not support', [-42]: 'login cloud server failed',
  [-43]: 'bind failed', [-44]: 'cloud unknown err', [-45]: 'need verify code', [-46]: 'Digest authentication failed',
  [-47]: 'Digest authentication Nonce expires', [-48]: 'Fetching a picture failed', [-49]: 'Channel invalid', [-99]: 'Device offline',
  [-100]: 'test failed', [-101]: 'check firmware failed', [-102]: 'download online failed', [-103]: 'get upgrade status failed',
  [-105]: 'Frequent logins, please try again later!', [-220]: 'Error downloading video file', [-221]: 'Busy video recording task',
  [-222]: 'The video file does not exist', [-301]: 'Digest Authentication nonce error', [-310]: 'Aes decryption failure',
  [-451]: 'ftp login failed', [-452]: 'ftp create dir failed', [-453]: 'ftp upload failed', [-454]: 'ftp connect failed',
  [-480]: 'email undefined failed', [-481]: 'email connect failed', [-482]: 'email auth failed', [-483]: 'email network err',
  [-484]: 'email server err', [-485]: 'email memory err', [-500]: 'The number of IP addresses reaches the upper limit',
  [-501]: 'The user does not exist', [-502]: 'Password err', [-503]: 'Login deny', [-505]: 'Login not init', [-506]: 'Login locked',
  [-507]: 'Login reach max',
};

/** The token is missing, unknown or expired: one fresh login, then a clear error. */
export const SESSION_REFUSED: ReadonlySet<number> = new Set([-6, -21]);
/** Wrong user or password: latched, never sent again by zoomsync. */
export const LOGIN_REFUSED: ReadonlySet<number> = new Set([-7, -27, -46, -501, -502, -505]);
/** Locked or throttled: latched too, with advice to wait. */
export const LOGIN_LOCKED: ReadonlySet<number> = new Set([-105, -500, -503, -506, -507]);
/** The camera (or the user's abilities) lacks the command. */
export const NOT_SUPPORTED: ReadonlySet<number> = new Set([-9, -24, -26]);
/** The camera refused a value it was sent. */
export const BAD_VALUE: ReadonlySet<number> = new Set([-1, -3, -4, -22, -23, -49]);

/** Any other rspCode: an HttpStatusError (the HTTP status of the answer) carrying the rspCode. */
export class JsonApiStatusError extends HttpStatusError {
  constructor(
    status: number,
    readonly cmd: string,
    readonly rspCode: number,
    readonly detail: string,
    message: string,
  ) {
    super(status, message);
    this.name = 'JsonApiStatusError';
  }
}

export interface JsonApiErrorContext {
  /** The command that failed. */
  cmd: string;
  rspCode: number;
  /** The camera's detail text (already masked of secrets). */
  detail: string | undefined;
  user: string;
  /** The HTTP status the answer came with (200 on a real camera). */
  status: number;
  /** The URL without secrets, for errors that name it. */
  url: string;
}

/** The typed error for an rspCode. */
export function jsonApiError(c: JsonApiErrorContext): ZoomsyncError {
  const detail = c.detail?.trim() || RSP_DETAILS[c.rspCode] || 'no detail';
  const head = `api.cgi ${c.cmd}: the camera answered rspCode ${c.rspCode} ("${detail}")`;
  if (SESSION_REFUSED.has(c.rspCode)) {
    return new HttpAuthError(c.user, `${head} even right after a fresh login; user "${c.user}" may lack the permission for ${c.cmd} — check the user's abilities (GetAbility) or use an administrator`);
  }
  if (LOGIN_REFUSED.has(c.rspCode)) {
    return new HttpAuthError(c.user, `${head}: wrong user or password for "${c.user}". zoomsync does not retry a failed login by itself (the camera locks the login after 5 failures); fix the password and run again`);
  }
  if (LOGIN_LOCKED.has(c.rspCode)) {
    return new HttpLockedError(c.user, `${head}: logins for "${c.user}" are locked or throttled; wait several minutes (the lock lasts up to 300 s) and check the password first so the next try succeeds`);
  }
  if (c.rspCode === -5) {
    return new JsonApiStatusError(c.status, c.cmd, c.rspCode, detail, `${head}: every session of the camera is in use; close other clients (or their sessions: zoomsync logs out on close) and try again`);
  }
  if (NOT_SUPPORTED.has(c.rspCode)) {
    return new NotSupportedError(`${c.cmd} (rspCode ${c.rspCode} "${detail}")`, 'this camera', "the camera's abilities do not include it for this user or model");
  }
  if (c.rspCode === -8) {
    return new HttpTimeoutError(c.url, 0, true, `${head}: the camera timed out doing it and may have acted; read the state back before trying again`);
  }
  if (BAD_VALUE.has(c.rspCode)) {
    return new JsonApiStatusError(c.status, c.cmd, c.rspCode, detail, `${head}: the camera refused the values sent; check them against its ranges (GetXxx with action 1 lists them)`);
  }
  return new JsonApiStatusError(c.status, c.cmd, c.rspCode, detail, `${head}; try again, and reboot the camera if it persists`);
}
