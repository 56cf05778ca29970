/**
 * The zoomsync error family.
 *
 * Modelled on undici's `lib/core/errors.js`: every error has a stable `code` that programs
 * can switch on, a `name` for humans, a message that says what was wrong and what to do, and
 * the underlying cause attached (`error.cause`). It lives at the bottom of the layer stack
 * (protocols/) so that every layer can throw and recognise the same family.
 */

export type ZoomsyncErrorCode =
  // input validation (encode arguments, CLI arguments, config, API bodies)
  | 'ZS_INVALID_ARGUMENT'
  | 'ZS_USAGE'
  | 'ZS_CONFIG'
  | 'ZS_NOT_SUPPORTED'
  // serial side
  | 'ZS_PORT_NOT_FOUND'
  | 'ZS_PORT_OPEN_FAILED'
  | 'ZS_LINE_CLOSED'
  | 'ZS_LINE_WRITE_FAILED'
  | 'ZS_REPLY_TIMEOUT'
  | 'ZS_CANCELLED'
  | 'ZS_MISSING_TOOL'
  // http side
  | 'ZS_HTTP_CONNECT'
  | 'ZS_HTTP_TIMEOUT'
  | 'ZS_HTTP_AUTH'
  | 'ZS_HTTP_LOCKED'
  | 'ZS_HTTP_STATUS'
  | 'ZS_HTTP_BAD_RESPONSE'
  | 'ZS_HTTP_TLS';

export class ZoomsyncError extends Error {
  readonly code: ZoomsyncErrorCode;

  constructor(code: ZoomsyncErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZoomsyncError';
    this.code = code;
  }
}

/** A value outside what the protocol or the device allows. Names the field, the value and the range. */
export class InvalidArgumentError extends ZoomsyncError {
  readonly field: string;
  readonly value: unknown;
  readonly range: string;

  constructor(field: string, value: unknown, range: string, hint?: string) {
    super(
      'ZS_INVALID_ARGUMENT',
      `${field} ${formatValue(value)} is out of range: expected ${range}` + (hint ? ` (${hint})` : ''),
    );
    this.name = 'InvalidArgumentError';
    this.field = field;
    this.value = value;
    this.range = range;
  }
}

/** A capability the dialect or device does not have. */
export class NotSupportedError extends ZoomsyncError {
  constructor(what: string, by: string, hint?: string) {
    super('ZS_NOT_SUPPORTED', `${what} is not supported by ${by}` + (hint ? `; ${hint}` : ''));
    this.name = 'NotSupportedError';
  }
}

export function isZoomsyncError(error: unknown, code?: ZoomsyncErrorCode): error is ZoomsyncError {
  return error instanceof ZoomsyncError && (code === undefined || error.code === code);
}

function formatValue(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return `${value} (0x${value.toString(16).toUpperCase().padStart(2, '0')})`;
  }
  return JSON.stringify(value) ?? String(value);
}
