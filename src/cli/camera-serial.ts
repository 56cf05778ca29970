/**
 * `zoomsync camera … serial`: the camera's own RS-485 (PTZ) port. Command-line words become
 * the common ptz-serial shape (numbers, booleans) here; which fields and values a camera takes
 * is its dialect's business (the registry entry's checkPtzSerial), asked before anything is sent.
 */
import type { DialectName } from '../../protocols/http/common/capabilities.js';
import { dialectEntry } from '../devices/http/registry.js';
import { parseInteger, UsageError } from './command.js';

type Kind = 'integer' | 'boolean' | 'word';
/** Command-line key -> the common field and how its value is read. */
const SERIAL_FIELDS: Readonly<Record<string, { field: string; kind: Kind }>> = {
  baud: { field: 'baud', kind: 'integer' },
  protocol: { field: 'protocol', kind: 'word' },
  address: { field: 'address', kind: 'integer' },
  'data-bits': { field: 'dataBits', kind: 'integer' },
  'stop-bits': { field: 'stopBits', kind: 'integer' },
  parity: { field: 'parity', kind: 'word' },
  'flow-control': { field: 'flowControl', kind: 'word' },
  'ptz-lock': { field: 'ptzLock', kind: 'boolean' },
};

export const SERIAL_KEYS = Object.keys(SERIAL_FIELDS);

/** KEY=VALUE pairs -> the common shape ({baud: 9600, protocol: 'pelco-d', …}); `what` names them in errors. */
export function serialSettings(pairs: readonly (readonly [string, string])[], what: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of pairs) {
    const spec = SERIAL_FIELDS[key];
    if (!spec) throw new UsageError(`${what}: unknown key ${JSON.stringify(key)}; keys: ${SERIAL_KEYS.join(', ')}`);
    if (spec.field in out) throw new UsageError(`${what}: ${key} given twice`);
    if (spec.kind === 'integer') out[spec.field] = parseInteger(`${what} ${key}`, text, 0);
    else if (spec.kind === 'boolean') {
      if (text !== 'on' && text !== 'off') throw new UsageError(`${what} ${key} takes on or off, got ${JSON.stringify(text)}`);
      out[spec.field] = text === 'on';
    } else out[spec.field] = text.toLowerCase();
  }
  return out;
}

/**
 * Checks a change with the dialect's own rules, before the password is asked or anything sent.
 * A dialect whose entry has no check yet is checked by its client, still before any request.
 */
export function checkSerialChange(dialect: DialectName, settings: Record<string, unknown>): void {
  dialectEntry(dialect)?.checkPtzSerial?.(settings);
}

/** `--match-line baud=2400,protocol=pelco-d,address=1` -> the common shape of the line zoomsync drives. */
export function parseLineSpec(spec: string): Record<string, unknown> {
  const pairs = spec.split(',').filter(Boolean).map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--match-line takes KEY=VALUE,… (e.g. baud=2400,protocol=pelco-d,address=1), got ${JSON.stringify(pair)}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  if (!pairs.length) throw new UsageError('--match-line needs at least one KEY=VALUE, e.g. baud=2400');
  return serialSettings(pairs, '--match-line');
}

/**
 * Where the camera's port differs from the line: one line per difference ("baud 9600 on the
 * camera, 2400 on the line"), and a field the camera does not report said as such.
 */
export function serialMismatches(port: Record<string, unknown>, line: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [field, wanted] of Object.entries(line)) {
    const key = SERIAL_KEYS.find((k) => SERIAL_FIELDS[k]!.field === field) ?? field;
    if (!(field in port)) out.push(`${key}: the camera does not report it (wanted ${String(wanted)})`);
    else if (port[field] !== wanted) out.push(`${key} ${String(port[field])} on the camera, ${String(wanted)} on the line`);
  }
  return out;
}

/** The port as KEY: VALUE lines, in the command line's words. */
export function serialText(port: Record<string, unknown>): string[] {
  return Object.entries(port).map(([field, value]) => {
    const key = SERIAL_KEYS.find((k) => SERIAL_FIELDS[k]!.field === field) ?? field;
    return `${key}: ${typeof value === 'boolean' ? (value ? 'on' : 'off') : String(value)}`;
  });
}
