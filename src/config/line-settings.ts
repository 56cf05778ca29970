/**
 * A line entry of the rig file <-> SerialLine's options. The checks and defaults are
 * SerialLine's own (resolveLineOptions); this module only renames the keys the file uses
 * (port, baud) to the option names (path, baudRate) and back for problem paths.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import { type DirectionControl, resolveLineOptions, type SerialLineOptions } from '../../hardware/serial/line-options.js';
import type { LineEntry } from './schema.js';
import type { LineConfig } from './types.js';

/** SerialLineOptions field -> the key the rig file uses for it. */
const FILE_KEY: Record<string, string> = {
  path: 'port',
  baudRate: 'baud',
  'direction.mode': 'direction',
  'direction.turnaroundMs': 'turnaroundMs',
};

export type LineSettingsResult = { ok: true; line: LineConfig } | { ok: false; key: string; value: unknown; expected: string };

/** Runs a line entry through resolveLineOptions: the filled-in line, or the key it refused. */
export function lineSettings(entry: LineEntry): LineSettingsResult {
  try {
    const resolved = resolveLineOptions(toSerialOptions(entry, entry.direction === 'gpio' ? CHECK_ONLY_SET_TRANSMIT : undefined));
    return {
      ok: true,
      line: Object.freeze({ name: entry.name, port: resolved.path, baudRate: resolved.baudRate, direction: resolved.direction.mode, turnaroundMs: resolved.turnaroundMs }),
    };
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    return { ok: false, key: FILE_KEY[error.field] ?? error.field, value: error.value, expected: error.range };
  }
}

/**
 * SerialLine options for a configured line. A gpio line needs the GPIO bridge's setTransmit
 * (the pin is not the rig file's business yet); without it this throws InvalidArgumentError.
 */
export function serialLineOptions(line: LineConfig, setTransmit?: (on: boolean) => void | Promise<void>): SerialLineOptions {
  return toSerialOptions({ port: line.port, baud: line.baudRate, direction: line.direction, turnaroundMs: line.turnaroundMs }, setTransmit);
}

function toSerialOptions(
  entry: Pick<LineEntry, 'port' | 'baud' | 'direction' | 'turnaroundMs'>,
  setTransmit: ((on: boolean) => void | Promise<void>) | undefined,
): SerialLineOptions {
  let direction: DirectionControl | undefined;
  if (entry.direction === 'auto') direction = { mode: 'auto' };
  else if (entry.direction === 'rts') direction = { mode: 'rts', turnaroundMs: entry.turnaroundMs };
  else if (entry.direction === 'gpio') direction = { mode: 'gpio', turnaroundMs: entry.turnaroundMs, setTransmit: setTransmit as (on: boolean) => void };
  return { path: entry.port, baudRate: entry.baud, direction };
}

// Checking a gpio line's settings needs a setTransmit to pass resolveLineOptions; the real one
// comes from the GPIO bridge when the line is opened (serialLineOptions).
const CHECK_ONLY_SET_TRANSMIT = (): void => {};
