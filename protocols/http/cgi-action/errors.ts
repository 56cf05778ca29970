/**
 * cgi_action's error forms and the one mapping from them to zoomsync's typed errors. Every
 * answer is HTTP 200: a wrong user or password is the plain line `error user/pwd`, unreadable
 * JSON or an unknown action `error json`, and anything else a JSON object whose `code` is not 0
 * (the table of §1.3, texts verbatim).
 */
import { HttpAuthError, HttpStatusError, NotSupportedError, type ZoomsyncError } from '../../errors.js';

export const CODE_TEXT: Readonly<Record<number, string>> = {
  [-101]: 'The file name ID ID is the same', [-102]: 'Libraries full', [-103]: 'Adding a timeout', [-104]: 'Parameter error',
  [-105]: 'File is too large', [-106]: 'Insufficient storage space', [-107]: 'File open failed', [-108]: 'No database',
  [-109]: 'Image reading failed', [-110]: 'Database file is damaged', [-111]: 'Picture quality is poor',
  [-112]: 'Image size is wrong, width and height cannot be odd numbers', [-113]: 'Face detection failed', [-114]: 'Picture format error',
  [-115]: 'Face area error', [-116]: 'Algorithm creates a handle error', [-117]: 'Device is busy', [-118]: 'File writing failed',
  [-119]: 'Deletion failed', [-120]: 'Failed to allocate memory', [-121]: 'The number of people in the list is NULL',
  [-122]: 'Valid time error', [-123]: 'Failed to write characteristic value',
  201: 'Parameter does not exist', 202: 'User id already exists', 203: 'User id does not exist', 204: 'Device is busy',
  205: 'The parameter is invalid', 206: 'Administrator password error', 207: 'Picture name does not meet the rules',
  208: 'No new information', 209: 'Device not supported', 210: 'The file format is not supported', 299: 'No reaction',
};

/** The camera refused the values sent. */
export const BAD_VALUE: ReadonlySet<number> = new Set([201, 205, -104]);
export const BUSY: ReadonlySet<number> = new Set([204, -117]);

export function codeText(code: number): string {
  if (code >= 1 && code <= 100) return `libcurl error ${code}`;
  return CODE_TEXT[code] ?? 'undocumented code';
}

/** A JSON answer with a non-zero code: an HttpStatusError (status 200, as the camera sends) with the code. */
export class CgiActionStatusError extends HttpStatusError {
  constructor(
    status: number,
    readonly action: string,
    readonly deviceCode: number,
    readonly detail: string,
    message: string,
  ) {
    super(status, message);
    this.name = 'CgiActionStatusError';
  }
}

export type CgiFailure = { kind: 'auth' } | { kind: 'json-error' } | { kind: 'code'; code: number; log: string | undefined };

export interface CgiErrorContext {
  action: string;
  user: string;
  /** The HTTP status (200 on a real camera). */
  status: number;
  /** Set when the JSON went raw (unencoded) in the query. */
  rawJson: boolean;
}

/** The typed error for a refused call. `log` is the camera's text, already masked of secrets. */
export function cgiActionError(f: CgiFailure, c: CgiErrorContext): ZoomsyncError {
  if (f.kind === 'auth') {
    return new HttpAuthError(c.user, `cgi_action ${c.action}: the camera answered "error user/pwd": wrong user or password for "${c.user}". zoomsync does not send a refused password again; fix it and run again`);
  }
  if (f.kind === 'json-error') {
    const encoding = c.rawJson ? '' : "; if every action with JSON fails this way, the firmware may not URL-decode: try jsonEncoding 'raw'";
    return new NotSupportedError(`action ${c.action}`, 'this camera (it answered "error json": an action its firmware does not know, or JSON it could not read)', `features vary by model${encoding}`);
  }
  const detail = f.log?.trim() || codeText(f.code);
  const head = `cgi_action ${c.action}: the camera answered code ${f.code} ("${detail}")`;
  if (f.code === 209) return new NotSupportedError(`${c.action} (code 209 "${detail}")`, 'this camera', 'the model lacks the feature');
  if (f.code === 206) return new CgiActionStatusError(c.status, c.action, f.code, detail, `${head}: the old password given is wrong`);
  if (BAD_VALUE.has(f.code)) return new CgiActionStatusError(c.status, c.action, f.code, detail, `${head}: the camera refused the values sent; check them against the manual's ranges`);
  if (BUSY.has(f.code)) {
    const ptz = c.action === 'setPtzControl' ? ' (PTZ control may be locked: check PTZ_Lock with `serial get`)' : '';
    return new CgiActionStatusError(c.status, c.action, f.code, detail, `${head}: the camera is busy${ptz}; try again in a moment`);
  }
  if (f.code >= 1 && f.code <= 100) return new CgiActionStatusError(c.status, c.action, f.code, detail, `${head}: an outbound call of the camera failed; check the server it was configured to reach`);
  return new CgiActionStatusError(c.status, c.action, f.code, detail, `${head}; try again, and reboot the camera if it persists`);
}
