/**
 * The group presets' state file, next to the configuration (`rig.yaml` -> `rig.state.json`).
 * Written atomically — temp file, fsync, rename, fsync of the directory — so a crash or power
 * cut leaves the old file or the new one, never half of one.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ConfigError } from '../../protocols/errors.js';
import { PresetStore } from './preset-store.js';

/** The state file that belongs to a configuration file. */
export function stateFileFor(configPath: string): string {
  return join(dirname(configPath), `${basename(configPath, extname(configPath))}.state.json`);
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename itself is durable only once the directory entry is.
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export class PresetFile {
  constructor(readonly path: string) {}

  /** The stored presets; an empty store when the file does not exist yet. Throws ConfigError for a bad file. */
  async load(): Promise<PresetStore> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new PresetStore();
      throw error;
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new ConfigError([{ path: '', message: `not valid JSON (${(error as Error).message}); fix or delete the file` }], this.path, { cause: error });
    }
    return PresetStore.fromJSON(document, this.path);
  }

  save(store: PresetStore): Promise<void> {
    return writeFileAtomic(this.path, `${JSON.stringify(store.toJSON(), null, 2)}\n`);
  }
}
