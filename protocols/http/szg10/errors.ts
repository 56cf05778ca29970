/**
 * The SZ-G10's error forms (an HTTP status, a short JSON or text body) as typed errors: the
 * one place that maps what the camera answered to what zoomsync throws.
 */
import { HttpAuthError, HttpLockedError, HttpStatusError } from '../../errors.js';
import { snippet } from '../common/parse.js';
import type { Szg10Request } from './api.js';

export interface Szg10Answer {
  status: number;
  text: string;
}

/** A refused login: 401/400 wrong credentials, 403 locked; undefined for any other status. */
export function szg10LoginError(user: string, status: number): HttpAuthError | HttpLockedError | undefined {
  if (status === 401 || status === 400) {
    return new HttpAuthError(
      user,
      `the camera refused the login of user "${user}" (HTTP ${status}): wrong user or password. zoomsync does not retry a failed login by itself (5 failures lock the account); fix the password and run again`,
    );
  }
  if (status === 403) {
    return new HttpLockedError(user, `login for user "${user}" is locked after too many failed attempts (HTTP 403): wait several minutes before trying again, and check the password first so the next try succeeds`);
  }
  return undefined;
}

/** A call refused even right after a fresh login: a permission the user lacks. */
export function szg10PermissionError(user: string, req: Pick<Szg10Request, 'method' | 'path' | 'permission'>): HttpAuthError {
  return new HttpAuthError(
    user,
    `${req.method} ${req.path}: refused (HTTP 401) even right after a fresh login; user "${user}" probably lacks the "${req.permission}" permission — use an account that has it (an administrator can do everything)`,
  );
}

/** Any answer that is not the call's documented success, as a typed error (bodies quoted with secrets masked). */
export function szg10StatusError(req: Pick<Szg10Request, 'method' | 'path' | 'success'>, res: Szg10Answer, user: string, secrets: readonly string[]): HttpStatusError | HttpLockedError {
  const where = `${req.method} ${req.path}`;
  const body = res.text ? `: ${snippet(res.text, secrets)}` : '';
  const { status } = res;
  if (status === 403) return new HttpLockedError(user, `${where}: the account is locked (HTTP 403); wait several minutes before trying again`);
  if (status === 400) return new HttpStatusError(status, `${where}: the camera rejected the request as invalid (HTTP 400)${body}; check the values against the camera's ranges`);
  if (status >= 500) return new HttpStatusError(status, `${where}: the camera failed to process the request (HTTP ${status})${body}; try again, and reboot the camera if it persists`);
  if (status >= 200 && status < 300) {
    return new HttpStatusError(status, `${where}: answered HTTP ${status} where the API documents ${req.success.join(' or ')}${body}; check the dialect and the camera's firmware version`);
  }
  return new HttpStatusError(status, `${where}: unexpected HTTP ${status}${body}`);
}
