/** The options every CLI command that opens a serial line shares: --port, --baud, --direction, --turnaround (and --wait, see held-line.ts). */
import { SerialLine } from '../../hardware/serial/serial-line.js';
import { type DirectionControl, MAX_BAUD, MIN_BAUD, type SerialLineOptions } from '../../hardware/serial/line-options.js';
import { type CliIO, type ParsedArgs, parseInteger, stringOption, UsageError, writeLine } from './command.js';

export const SERIAL_OPTIONS = {
  port: { type: 'string' },
  baud: { type: 'string' },
  direction: { type: 'string' },
  turnaround: { type: 'string' },
} as const;

export const SERIAL_OPTIONS_HELP = `  --port PATH         serial device, e.g. /dev/ttyUSB0 or /dev/serial/by-id/usb-FTDI_...
  --baud N            ${MIN_BAUD}–${MAX_BAUD} (default 9600; PELCO devices use 2400, 4800 or 9600)
  --direction auto|rts  RS-485 direction: auto for a USB-RS485 adapter (default),
                      rts when the UART's RTS pin drives the transceiver's DE/RE
  --turnaround MS     with --direction rts: wait after each frame before releasing the bus (default 1)`;

/**
 * Opens the line the options describe, failing fast (ZS_PORT_NOT_FOUND lists the ports that
 * exist). A one-shot command does not reconnect (a port lost midway fails the command); a
 * long-running one (monitor) passes `reconnect: true` and rides out a pulled adapter.
 */
export async function openLineFromOptions(parsed: ParsedArgs, io: CliIO, { reconnect = false } = {}): Promise<SerialLine> {
  const line = new SerialLine({ ...lineOptionsFrom(parsed, io), reconnect: { enabled: reconnect } });
  await line.open();
  return line;
}

/** The SerialLine options --port, --baud, --direction and --turnaround describe (validated; nothing opened). */
export function lineOptionsFrom(parsed: ParsedArgs, io: CliIO): SerialLineOptions {
  const path = stringOption(parsed, 'port');
  if (!path) throw new UsageError('--port PATH is required (e.g. /dev/ttyUSB0)');
  const baudRate = parseInteger('--baud', stringOption(parsed, 'baud') ?? '9600', MIN_BAUD, MAX_BAUD);
  return { path, baudRate, direction: directionOption(parsed), onWarning: (message) => writeLine(io.stderr, `zoomsync: warning: ${message}`) };
}

function directionOption(parsed: ParsedArgs): DirectionControl {
  const mode = stringOption(parsed, 'direction') ?? 'auto';
  const turnaround = stringOption(parsed, 'turnaround');
  if (mode === 'auto') {
    if (turnaround !== undefined) throw new UsageError('--turnaround goes with --direction rts');
    return { mode: 'auto' };
  }
  if (mode === 'rts') return { mode: 'rts', turnaroundMs: parseInteger('--turnaround', turnaround ?? '1', 0, 1000) };
  throw new UsageError(`--direction must be auto or rts, got "${mode}" (gpio direction control is configured in the service's config file)`);
}
