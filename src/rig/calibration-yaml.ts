/**
 * A calibration table as YAML: printed for pasting (`calibration: [[0, 1], [250, 3.25], ...]`),
 * or written into the block's entry of the rig file. The yaml package's Document API finds the
 * block and the exact source range of its `calibration:` value (or the end of its entry), and
 * only that range of the text changes: comments, alignment and layout stay byte for byte.
 */
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, type Pair, parseDocument } from 'yaml';
import { ConfigError } from '../../protocols/errors.js';
import { parseRigConfig } from '../config/loader.js';
import type { CalibrationPoint } from '../sync/calibration.js';

/** `[[raw, magnification], ...]` as people write it in the rig file. */
export function flowTable(table: readonly CalibrationPoint[]): string {
  return `[${table.map(([raw, magnification]) => `[${raw}, ${magnification}]`).join(', ')}]`;
}

/** `calibration: [[raw, magnification], ...]` on one line. */
export function calibrationYaml(table: readonly CalibrationPoint[]): string {
  return `calibration: ${flowTable(table)}`;
}

/** The rig file's text with `calibration:` of one block set (or replaced). Throws ConfigError when the block is not there. */
export function withCalibration(text: string, block: string, table: readonly CalibrationPoint[], file?: string): string {
  const doc = parseDocument(text);
  const blocks = doc.get('blocks', true);
  const entry = isSeq(blocks) ? blocks.items.find((item) => isMap(item) && item.get('name') === block) : undefined;
  if (!isMap(entry) || entry.items.length === 0) throw new ConfigError([{ path: 'blocks', message: `no block named "${block}" to write the calibration into` }], file);
  const value = flowTable(table);
  const pairs = entry.items as Pair[];
  const existing = pairs.find((pair) => isScalar(pair.key) && pair.key.value === 'calibration');
  const splice = (at: number, end: number, insert: string) => text.slice(0, at) + insert + text.slice(end);
  const rangeOf = (node: unknown) => (node as { range?: [number, number, number] } | null)?.range;

  const old = rangeOf(existing?.value);
  if (old) return splice(old[0], old[1], value);
  const last = pairs[pairs.length - 1]!;
  const lastEnd = rangeOf(last.value)?.[1] ?? rangeOf(last.key)?.[1];
  if (lastEnd === undefined) throw new ConfigError([{ path: 'blocks', message: `cannot place the calibration in block "${block}"` }], file);
  if (entry.flow) return splice(lastEnd, lastEnd, `, calibration: ${value}`);
  // a block mapping: a new line after the entry's last line, indented like its keys
  const keyStart = rangeOf(pairs[0]!.key)![0];
  const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
  const lineEnd = text.indexOf('\n', lastEnd);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return splice(at, at, `\n${' '.repeat(indent)}calibration: ${value}`);
}

/**
 * Sets `calibration:` of one block in the rig file. The new text is checked as a whole rig file
 * (and the table read back) before it replaces the old one: written beside it, then renamed
 * over it, with the old file's mode.
 */
export async function writeCalibration(file: string, block: string, table: readonly CalibrationPoint[]): Promise<void> {
  const text = await readFile(file, 'utf8');
  const updated = withCalibration(text, block, table, file);
  const written = parseRigConfig(updated, file).blocks.find((b) => b.name === block)?.calibration; // throws ConfigError: the file is left as it was
  if (JSON.stringify(written) !== JSON.stringify(table)) {
    throw new ConfigError([{ path: 'blocks', message: `the calibration of "${block}" did not read back as written (got ${JSON.stringify(written)}); the file is left as it was` }], file);
  }
  const mode = (await stat(file)).mode & 0o777;
  const temporary = `${file}.zoomsync-${process.pid}.tmp`;
  await writeFile(temporary, updated);
  await chmod(temporary, mode);
  await rename(temporary, file);
}
