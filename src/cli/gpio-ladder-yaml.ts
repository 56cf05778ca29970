/**
 * A calibrated ADKEY ladder as YAML for the rig file's gpio: section: printed as a fragment, or
 * set into an existing rig file with the yaml Document API, so the file's comments, order and
 * everything outside gpio.adkey stay as they were.
 */
import { readFile } from 'node:fs/promises';
import { Document, isMap, parseDocument, type YAMLMap } from 'yaml';
import type { LadderWindow } from '../../hardware/gpio/ladder.js';
import { ConfigError } from '../../protocols/errors.js';
import { writeFileAtomic } from '../sync/preset-file.js';

export interface CalibratedLadder {
  /** The ADKEY analog channel (0 for A0). */
  channel: number;
  hysteresisVolts: number;
  ladder: readonly LadderWindow[];
}

/** The gpio: fragment to paste into a rig file. */
export function ladderYaml(calibrated: CalibratedLadder): string {
  const doc = new Document({});
  setLadder(doc, calibrated);
  return doc.toString();
}

/**
 * Sets gpio.adkey's pin, hysteresisVolts and ladder in the rig file `file` (its other adkey
 * settings and the rest of the file are kept). A file without a gpio: section gets one, with `port`.
 */
export async function writeLadderInto(file: string, port: string, calibrated: CalibratedLadder): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError([{ path: '', message: `--write: cannot be read: ${reason} (give an existing rig file, or leave --write out to print the table)` }], file, { cause: error });
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new ConfigError([{ path: '', message: `--write: not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); fix it first, nothing was written` }], file);
  if (doc.contents !== null && !isMap(doc.contents)) throw new ConfigError([{ path: '', message: '--write: the file is not a YAML mapping (a rig file is); nothing was written' }], file);
  for (const path of [['gpio'], ['gpio', 'adkey']]) {
    const node = doc.getIn(path, true);
    if (node !== undefined && !isMap(node)) throw new ConfigError([{ path: path.join('.'), message: '--write: is not a mapping; fix it first, nothing was written' }], file);
  }
  if (!doc.has('gpio')) doc.set('gpio', doc.createNode({ port }));
  setLadder(doc, calibrated);
  await writeFileAtomic(file, doc.toString());
}

function setLadder(doc: Document, { channel, hysteresisVolts, ladder }: CalibratedLadder): void {
  doc.setIn(['gpio', 'adkey', 'pin'], `A${channel}`);
  doc.setIn(['gpio', 'adkey', 'hysteresisVolts'], hysteresisVolts);
  const windows = doc.createNode(ladder.map((w) => ({ key: w.key, minVolts: w.minVolts, maxVolts: w.maxVolts })));
  // One line per key, as docs/gpio.md writes ladders: `- { key: up, minVolts: 0.1, maxVolts: 0.25 }`.
  for (const item of windows.items) (item as YAMLMap).flow = true;
  doc.setIn(['gpio', 'adkey', 'ladder'], windows);
}
