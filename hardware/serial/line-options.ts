/**
 * SerialLine options: what a caller may pass, the defaults, and the checks that turn a wrong
 * value into an InvalidArgumentError naming the field, the value and what is allowed.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import { integerIn, numberIn, oneOf } from './option-checks.js';

/**
 * How the line switches an RS-485 transceiver between transmit and receive.
 * - auto: the adapter does it by itself (USB-RS485 dongles); nothing to do.
 * - rts:  the UART's RTS pin drives the transceiver's DE/RE (raised around each write).
 * - gpio: a GPIO pin drives DE/RE through setTransmit (supplied by the GPIO bridge).
 */
export type DirectionControl =
  | { mode: 'auto' }
  | { mode: 'rts'; turnaroundMs?: number }
  | { mode: 'gpio'; setTransmit: (on: boolean) => void | Promise<void>; turnaroundMs?: number };

export interface ReconnectPolicy {
  /** Delay before the first reopen attempt, ms. Default 100. */
  initialDelayMs?: number;
  /** Each further attempt waits this many times longer. Default 2. */
  factor?: number;
  /** The longest wait between attempts, ms. Default 5000. */
  maxDelayMs?: number;
  /** Set false to stay closed after a loss instead of reopening. Default true. */
  enabled?: boolean;
}

export interface SerialLineOptions {
  /** Device path, e.g. /dev/ttyUSB0 or /dev/serial/by-id/usb-FTDI_... */
  path: string;
  /** 1200–115200. Default 9600. */
  baudRate?: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /** Default { mode: 'auto' }. */
  direction?: DirectionControl;
  reconnect?: ReconnectPolicy;
  /** How often the path is checked for a vanished device while open, ms. 0 turns it off. Default 250. */
  presenceCheckMs?: number;
  /**
   * Drop the echo of our own frames (half-duplex transceivers hear themselves).
   * Default: on for rts and gpio direction control, off for auto.
   */
  suppressEcho?: boolean;
  /** How long after a transmission its echo may still arrive, ms. Default 50. */
  echoWindowMs?: number;
  /** A write that has not drained after this long fails and the line is reopened, ms. Default 2000. */
  writeTimeoutMs?: number;
  /**
   * Told (once each) when the line works less well than configured, e.g. RTS cannot be driven on
   * this port. Default: process.emitWarning.
   */
  onWarning?: (message: string) => void;
}

export interface ResolvedLineOptions {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  direction: DirectionControl;
  turnaroundMs: number;
  reconnect: Required<ReconnectPolicy>;
  presenceCheckMs: number;
  suppressEcho: boolean;
  echoWindowMs: number;
  writeTimeoutMs: number;
  onWarning: (message: string) => void;
}

export const MIN_BAUD = 1200;
export const MAX_BAUD = 115200;

/** Checks every option and fills in the defaults. Throws InvalidArgumentError on the first bad field. */
export function resolveLineOptions(options: SerialLineOptions): ResolvedLineOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an object with at least a path');
  }
  const { path } = options;
  if (typeof path !== 'string' || path.trim() === '') {
    throw new InvalidArgumentError('path', path, 'a device path such as /dev/ttyUSB0');
  }
  const baudRate = options.baudRate ?? 9600;
  integerIn('baudRate', baudRate, MIN_BAUD, MAX_BAUD, 'PELCO devices use 2400, 4800 or 9600');
  const dataBits = options.dataBits ?? 8;
  oneOf('dataBits', dataBits, [7, 8]);
  const parity = options.parity ?? 'none';
  oneOf('parity', parity, ['none', 'even', 'odd']);
  const stopBits = options.stopBits ?? 1;
  oneOf('stopBits', stopBits, [1, 2]);

  const direction = options.direction ?? { mode: 'auto' };
  if (direction === null || typeof direction !== 'object') {
    throw new InvalidArgumentError('direction', direction, "{ mode: 'auto' | 'rts' | 'gpio' }");
  }
  oneOf('direction.mode', direction.mode, ['auto', 'rts', 'gpio']);
  let turnaroundMs = 0;
  if (direction.mode !== 'auto') {
    turnaroundMs = direction.turnaroundMs ?? 1;
    numberIn('direction.turnaroundMs', turnaroundMs, 0, 1000);
  }
  if (direction.mode === 'gpio' && typeof direction.setTransmit !== 'function') {
    throw new InvalidArgumentError('direction.setTransmit', direction.setTransmit, 'a function (on: boolean) => void | Promise<void>');
  }

  const policy = options.reconnect ?? {};
  const reconnect: Required<ReconnectPolicy> = {
    initialDelayMs: policy.initialDelayMs ?? 100,
    factor: policy.factor ?? 2,
    maxDelayMs: policy.maxDelayMs ?? 5000,
    enabled: policy.enabled ?? true,
  };
  numberIn('reconnect.initialDelayMs', reconnect.initialDelayMs, 1, 600_000);
  numberIn('reconnect.factor', reconnect.factor, 1, 10);
  numberIn('reconnect.maxDelayMs', reconnect.maxDelayMs, reconnect.initialDelayMs, 600_000, 'at least initialDelayMs');
  oneOf('reconnect.enabled', reconnect.enabled, [true, false]);

  const presenceCheckMs = options.presenceCheckMs ?? 250;
  if (presenceCheckMs !== 0) numberIn('presenceCheckMs', presenceCheckMs, 10, 60_000, '0 turns the check off');
  const suppressEcho = options.suppressEcho ?? direction.mode !== 'auto';
  oneOf('suppressEcho', suppressEcho, [true, false]);
  const echoWindowMs = options.echoWindowMs ?? 50;
  numberIn('echoWindowMs', echoWindowMs, 0, 10_000);
  const writeTimeoutMs = options.writeTimeoutMs ?? 2000;
  numberIn('writeTimeoutMs', writeTimeoutMs, 10, 600_000);

  const onWarning = options.onWarning ?? ((message: string) => process.emitWarning(message, 'ZoomsyncWarning'));
  if (typeof onWarning !== 'function') throw new InvalidArgumentError('onWarning', onWarning, 'a function (message: string) => void');

  return { onWarning, path, baudRate, dataBits, parity, stopBits, direction, turnaroundMs, reconnect, presenceCheckMs, suppressEcho, echoWindowMs, writeTimeoutMs };
}
