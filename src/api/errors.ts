/**
 * Every API failure as `{ error: { code, message } }` with an HTTP status. Codes are the
 * ZoomsyncError codes where one fits (a camera timeout through the API is still ZS_REPLY_TIMEOUT),
 * plus the few that only an API has (no token, wrong role, no such route or name). Messages say
 * what was wrong and what to do.
 */
import { isZoomsyncError, type ZoomsyncErrorCode } from '../../protocols/errors.js';

/** Codes only the API has (protocols/errors.ts has no auth or routing failures). */
export type ApiOnlyCode = 'ZS_UNAUTHORIZED' | 'ZS_FORBIDDEN' | 'ZS_NOT_FOUND' | 'ZS_INTERNAL';
export type ApiErrorCode = ZoomsyncErrorCode | ApiOnlyCode;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthorized = (message = 'no valid token: send "Authorization: Bearer <token>" (tokens are in the tokens file next to the rig file)') =>
  new ApiError(401, 'ZS_UNAUTHORIZED', message);
export const forbidden = (message: string) => new ApiError(403, 'ZS_FORBIDDEN', message);
export const notFound = (message: string) => new ApiError(404, 'ZS_NOT_FOUND', message);
export const badRequest = (message: string) => new ApiError(400, 'ZS_INVALID_ARGUMENT', message);

const STATUS: Partial<Record<ZoomsyncErrorCode, number>> = {
  ZS_INVALID_ARGUMENT: 400,
  ZS_USAGE: 400,
  ZS_CONFIG: 500, // only the service's own files (the preset state file) raise it here: not the client's mistake
  ZS_NOT_SUPPORTED: 422,
  ZS_CANCELLED: 409,
  ZS_PORT_NOT_FOUND: 503,
  ZS_PORT_OPEN_FAILED: 503,
  ZS_PORT_BUSY: 503,
  ZS_LINE_CLOSED: 503,
  ZS_LINE_WRITE_FAILED: 503,
  ZS_INTERRUPTED: 503,
  ZS_HTTP_LOCKED: 503,
  ZS_REPLY_TIMEOUT: 504,
  ZS_HTTP_TIMEOUT: 504,
  ZS_HTTP_CONNECT: 502,
  ZS_HTTP_AUTH: 502,
  ZS_HTTP_STATUS: 502,
  ZS_HTTP_BAD_RESPONSE: 502,
  ZS_HTTP_TLS: 502,
};

/** The status and body for anything a handler threw; unknown errors are 500 ZS_INTERNAL. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isZoomsyncError(error)) return new ApiError(STATUS[error.code] ?? 500, error.code, error.message);
  return new ApiError(500, 'ZS_INTERNAL', 'internal error (see the service log); the request may not have been carried out');
}

export function errorBody(error: ApiError): ApiErrorBody {
  return { error: { code: error.code, message: error.message } };
}
