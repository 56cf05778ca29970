import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../../../protocols/errors.js';
import { PresetFile, stateFileFor, writeFileAtomic } from '../../../src/sync/preset-file.js';
import { PresetStore } from '../../../src/sync/preset-store.js';

describe('PresetStore', () => {
  it('keeps each member position under a name per group, and round-trips through JSON', () => {
    const store = new PresetStore();
    store.set('stage', 'wide', { cam1: 0, cam2: 12 });
    store.set('stage', 'tight', { cam1: 800, cam2: 790 });
    store.set('lobby', 'wide', { cam3: 5 });
    const copy = PresetStore.fromJSON(JSON.parse(JSON.stringify(store.toJSON())));
    expect(copy.get('stage', 'tight')).toEqual({ cam1: 800, cam2: 790 });
    expect(copy.names('stage')).toEqual(['tight', 'wide']);
    expect(copy.get('lobby', 'tight')).toBeUndefined();
  });

  it('refuses a bad preset name and a non-numeric position', () => {
    const store = new PresetStore();
    expect(() => store.set('g', '', { a: 1 })).toThrow(InvalidArgumentError);
    expect(() => store.set('g', 'ok', { a: Number.NaN })).toThrow(/position of a/);
  });

  it('lists every problem of a bad document with where it is', () => {
    const error = (() => {
      try {
        PresetStore.fromJSON({ version: 2, groups: { g: { wide: { a: 'x' }, '': { a: 1 } } } }, 'rig.state.json');
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.path)).toEqual(['version', 'groups.g.wide.a', 'groups.g.']);
  });
});

describe('PresetFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-presets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lives next to the configuration file', () => {
    expect(stateFileFor('/etc/zoomsync/rig.yaml')).toBe('/etc/zoomsync/rig.state.json');
  });

  it('loads an empty store when the file does not exist yet, and reads back what it saved', async () => {
    const file = new PresetFile(join(dir, 'rig.state.json'));
    const store = await file.load();
    expect(store.names('stage')).toEqual([]);
    store.set('stage', 'wide', { cam1: 1 });
    await file.save(store);
    expect((await file.load()).get('stage', 'wide')).toEqual({ cam1: 1 });
  });

  it('replaces the file whole and leaves no temp file behind', async () => {
    const path = join(dir, 'rig.state.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, '{"new":true}');
    expect(await readFile(path, 'utf8')).toBe('{"new":true}');
    expect(await readdir(dir)).toEqual(['rig.state.json']);
  });

  it('reports a file that is not JSON as a ConfigError naming the file', async () => {
    const path = join(dir, 'rig.state.json');
    await writeFile(path, '{ nope');
    await expect(new PresetFile(path).load()).rejects.toMatchObject({ code: 'ZS_CONFIG', file: path });
  });
});
