/**
 * The serial ports that exist on this machine, for error messages and `--help`.
 *
 * Deliberately not SerialPort.list(): on Linux it spawns udevadm, and where udevadm is missing
 * the spawn error crashes the process. Looking at /dev is enough to tell a user which paths
 * they could have meant.
 */
import { readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/** Named device files worth listing, in the order a user most likely wants them. */
const PATTERNS: ReadonlyArray<{ prefix: RegExp; limit?: number }> = [
  { prefix: /^ttyUSB\d+$/ },
  { prefix: /^ttyACM\d+$/ },
  { prefix: /^ttyAMA\d+$/ },
  { prefix: /^serial[01]$/ },
  // Most PCs report many legacy ttyS ports whether or not a UART is behind them.
  { prefix: /^ttyS\d+$/, limit: 4 },
];

/**
 * Lists candidate serial ports: /dev/serial/by-id/* (shown with the device they point to),
 * then ttyUSB*, ttyACM*, ttyAMA*, serial0/1 and the first four ttyS*. Never throws.
 *
 * @param devDir the /dev folder (a test can point this at a temporary folder)
 */
export async function listSerialPorts(devDir = '/dev'): Promise<string[]> {
  const found: string[] = [];
  const byIdDir = join(devDir, 'serial', 'by-id');
  for (const name of sortNatural(await names(byIdDir))) {
    const path = join(byIdDir, name);
    const target = await realpath(path).catch(() => undefined);
    found.push(target ? `${path} -> ${target}` : path);
  }
  const entries = await names(devDir);
  for (const { prefix, limit } of PATTERNS) {
    const matching = sortNatural(entries.filter((name) => prefix.test(name)));
    found.push(...matching.slice(0, limit ?? matching.length).map((name) => join(devDir, name)));
  }
  return found;
}

/** One line for an error message: "serial ports here: a, b" or "no serial ports found". */
export function describePorts(ports: readonly string[]): string {
  return ports.length === 0
    ? 'no serial ports were found (is the USB-RS485 adapter plugged in, or the UART enabled?)'
    : `serial ports here: ${ports.join(', ')}`;
}

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

function sortNatural(list: string[]): string[] {
  return list.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
