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
  | 'ZS_PORT_BUSY'
  | 'ZS_LINE_CLOSED'
  | 'ZS_LINE_WRITE_FAILED'
  | 'ZS_REPLY_TIMEOUT'
  | 'ZS_CANCELLED'
  | 'ZS_INTERRUPTED'
  | 'ZS_MISSING_TOOL'
  // http side
  | 'ZS_HTTP_CONNECT'
  | 'ZS_HTTP_TIMEOUT'
  | 'ZS_HTTP_AUTH'
  | 'ZS_HTTP_LOCKED'
  | 'ZS_HTTP_STATUS'
  | 'ZS_HTTP_BAD_RESPONSE'
  | 'ZS_HTTP_TLS';

/**
 * The base of the family. Throw one of the subclasses below (one per code, with typed fields);
 * catch by `code` (or `instanceof` the subclass), never by message text.
 */
export class ZoomsyncError extends Error {
  readonly code: ZoomsyncErrorCode;

  constructor(code: ZoomsyncErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ZoomsyncError';
    this.code = code;
  }
}

type ErrorOptions = { cause?: unknown };

/** A value outside what the protocol or the device allows. Names the field, the value and the range. */
export class InvalidArgumentError extends ZoomsyncError {
  readonly field: string;
  readonly value: unknown;
  readonly range: string;

  constructor(field: string, value: unknown, range: string, hint?: string) {
    super(
      'ZS_INVALID_ARGUMENT',
      `${field} ${formatValue(value)} is ${typeof value === 'number' ? 'out of range' : 'not valid'}: expected ${range}` + (hint ? ` (${hint})` : ''),
    );
    this.name = 'InvalidArgumentError';
    this.field = field;
    this.value = value;
    this.range = range;
  }
}

/** A capability the dialect or device does not have. */
export class NotSupportedError extends ZoomsyncError {
  constructor(
    readonly what: string,
    readonly by: string,
    hint?: string,
  ) {
    super('ZS_NOT_SUPPORTED', `${what} is not supported by ${by}` + (hint ? `; ${hint}` : ''));
    this.name = 'NotSupportedError';
  }
}

/** A command-line argument that makes no sense: printed as one line, exit code 2. */
export class UsageError extends ZoomsyncError {
  constructor(message: string, options?: ErrorOptions) {
    super('ZS_USAGE', message, options);
    this.name = 'UsageError';
  }
}

/** One problem in a configuration file: where it is and what is wrong there. */
export interface ConfigProblem {
  /** Dotted path into the document, e.g. `blocks.1.address`; '' for the whole file. */
  path: string;
  message: string;
}

/** A configuration that cannot be used; lists every problem found, not only the first. */
export class ConfigError extends ZoomsyncError {
  readonly problems: readonly ConfigProblem[];
  readonly file: string | undefined;

  constructor(problems: readonly ConfigProblem[], file?: string, options?: ErrorOptions) {
    const head = `${file ?? 'the configuration'} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super('ZS_CONFIG', [head + ':', ...problems.map((p) => `  ${p.path || '(file)'}: ${p.message}`)].join('\n'), options);
    this.name = 'ConfigError';
    this.problems = problems;
    this.file = file;
  }
}

/** A serial device path that does not exist. `available` lists the ports that do. */
export class PortNotFoundError extends ZoomsyncError {
  constructor(
    readonly path: string,
    readonly available: readonly string[],
    message: string,
  ) {
    super('ZS_PORT_NOT_FOUND', message);
    this.name = 'PortNotFoundError';
  }
}

/** A serial port that exists but could not be opened (permissions, a driver error). */
export class PortOpenFailedError extends ZoomsyncError {
  constructor(
    readonly path: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_PORT_OPEN_FAILED', message, options);
    this.name = 'PortOpenFailedError';
  }
}

/** A serial port that another zoomsync process (or program) holds. `holder` describes it when known. */
export class PortBusyError extends ZoomsyncError {
  constructor(
    readonly path: string,
    readonly holder: string | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_PORT_BUSY', message, options);
    this.name = 'PortBusyError';
  }
}

/** The line is closed (or went away): the frame was not sent. */
export class LineClosedError extends ZoomsyncError {
  constructor(
    readonly line: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_LINE_CLOSED', message, options);
    this.name = 'LineClosedError';
  }
}

/** A write to an open line failed or did not drain. */
export class LineWriteFailedError extends ZoomsyncError {
  constructor(
    readonly line: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_LINE_WRITE_FAILED', message, options);
    this.name = 'LineWriteFailedError';
  }
}

/** A device that did not answer a query in time, after every attempt. */
export class ReplyTimeoutError extends ZoomsyncError {
  constructor(
    readonly line: string,
    readonly address: number,
    readonly query: string,
    readonly attempts: number,
    readonly timeoutMs: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_REPLY_TIMEOUT', message, options);
    this.name = 'ReplyTimeoutError';
  }
}

/** A command that zoomsync withdrew before it was carried out (a stop overtook it, a close, a user's Ctrl-C). */
export class CancelledError extends ZoomsyncError {
  constructor(message: string, options?: ErrorOptions) {
    super('ZS_CANCELLED', message, options);
    this.name = 'CancelledError';
  }
}

/** The process was asked to end (a signal) while it was doing something. `signal` names it. */
export class InterruptedError extends ZoomsyncError {
  constructor(
    readonly signal: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_INTERRUPTED', message, options);
    this.name = 'InterruptedError';
  }
}

/** A system program zoomsync needs (socat for simulated ptys, …) is missing or failed. */
export class MissingToolError extends ZoomsyncError {
  constructor(
    readonly tool: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_MISSING_TOOL', message, options);
    this.name = 'MissingToolError';
  }
}

/** The camera could not be reached, or closed the connection before answering. */
export class HttpConnectError extends ZoomsyncError {
  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_HTTP_CONNECT', message, options);
    this.name = 'HttpConnectError';
  }
}

/**
 * The camera did not answer in time. `mayHaveActed` is true when the request may already have
 * reached the camera (so a lens may still be moving, a setting may have been applied).
 */
export class HttpTimeoutError extends ZoomsyncError {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
    readonly mayHaveActed: boolean,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_HTTP_TIMEOUT', message, options);
    this.name = 'HttpTimeoutError';
  }
}

/** The camera refused the credentials, or the user lacks a permission. */
export class HttpAuthError extends ZoomsyncError {
  constructor(
    readonly user: string | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_HTTP_AUTH', message, options);
    this.name = 'HttpAuthError';
  }
}

/** The camera locked the account after failed logins. */
export class HttpLockedError extends ZoomsyncError {
  constructor(
    readonly user: string | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_HTTP_LOCKED', message, options);
    this.name = 'HttpLockedError';
  }
}

/** The camera answered with an error status (or a dialect's error body). `status` is the HTTP status. */
export class HttpStatusError extends ZoomsyncError {
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_HTTP_STATUS', message, options);
    this.name = 'HttpStatusError';
  }
}

/** TLS failed: a certificate that does not match its pin, or a handshake error. */
export class HttpTlsError extends ZoomsyncError {
  constructor(
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super('ZS_HTTP_TLS', message, options);
    this.name = 'HttpTlsError';
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
