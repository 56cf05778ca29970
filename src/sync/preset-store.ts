/**
 * Group presets: under a name, each member's raw zoom position. Pure data with its own
 * validation; PresetFile (preset-file.ts) keeps it on disk.
 *
 * Document shape (JSON), one entry per group:
 *   { "version": 1, "groups": { "stage": { "wide": { "cam1": 0, "cam2": 12 } } } }
 */
import { ConfigError, type ConfigProblem, InvalidArgumentError } from '../../protocols/errors.js';

export type MemberPositions = Readonly<Record<string, number>>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

export function checkPresetName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InvalidArgumentError('preset name', name, 'a name of 1–64 letters, digits, space, _ . or - (starting with a letter or digit)');
  }
  return name;
}

export class PresetStore {
  private readonly groups = new Map<string, Map<string, MemberPositions>>();

  get(group: string, name: string): MemberPositions | undefined {
    return this.groups.get(group)?.get(name);
  }

  names(group: string): string[] {
    return [...(this.groups.get(group)?.keys() ?? [])].sort();
  }

  set(group: string, name: string, positions: MemberPositions): void {
    checkPresetName(name);
    for (const [member, raw] of Object.entries(positions)) {
      if (!Number.isFinite(raw)) throw new InvalidArgumentError(`position of ${member} in preset ${name}`, raw, 'a finite raw zoom value');
    }
    let presets = this.groups.get(group);
    if (!presets) this.groups.set(group, (presets = new Map()));
    presets.set(name, Object.freeze({ ...positions }));
  }

  delete(group: string, name: string): boolean {
    return this.groups.get(group)?.delete(name) ?? false;
  }

  toJSON(): { version: 1; groups: Record<string, Record<string, MemberPositions>> } {
    const groups: Record<string, Record<string, MemberPositions>> = {};
    for (const [group, presets] of [...this.groups].sort(([a], [b]) => a.localeCompare(b))) {
      if (presets.size === 0) continue;
      groups[group] = Object.fromEntries([...presets].sort(([a], [b]) => a.localeCompare(b)));
    }
    return { version: 1, groups };
  }

  /** Reads a parsed document; throws ConfigError listing every problem (with `file` in its message). */
  static fromJSON(document: unknown, file?: string): PresetStore {
    const problems: ConfigProblem[] = [];
    const store = new PresetStore();
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObject(document)) throw new ConfigError([{ path: '', message: 'expected an object { "version": 1, "groups": { ... } }' }], file);
    if (document.version !== 1) problems.push({ path: 'version', message: `expected 1 (got ${JSON.stringify(document.version)})` });
    const groups = document.groups ?? {};
    if (!isObject(groups)) problems.push({ path: 'groups', message: 'expected an object of groups, each an object of presets' });
    else {
      for (const [group, presets] of Object.entries(groups)) {
        if (!isObject(presets)) {
          problems.push({ path: `groups.${group}`, message: 'expected an object of presets' });
          continue;
        }
        for (const [name, positions] of Object.entries(presets)) {
          const path = `groups.${group}.${name}`;
          if (!NAME.test(name)) problems.push({ path, message: 'not a valid preset name (1–64 letters, digits, space, _ . -)' });
          if (!isObject(positions)) {
            problems.push({ path, message: 'expected { "member": rawZoom, ... }' });
            continue;
          }
          const bad = Object.entries(positions).filter(([, raw]) => typeof raw !== 'number' || !Number.isFinite(raw));
          for (const [member, raw] of bad) problems.push({ path: `${path}.${member}`, message: `expected a raw zoom number (got ${JSON.stringify(raw)})` });
          if (bad.length === 0 && NAME.test(name)) store.set(group, name, positions as Record<string, number>);
        }
      }
    }
    if (problems.length > 0) throw new ConfigError(problems, file);
    return store;
  }
}
