/**
 * A checked rig file -> the RigConfig later modules build from: defaults filled per field,
 * profiles looked up, the leader chosen, password paths made absolute. Only called once the
 * schema and the cross-checks found nothing, so every lookup here succeeds.
 */
import { dirname, resolve } from 'node:path';
import { profileByName } from '../../protocols/pelco/index.js';
import { buildRules } from '../rules/build-rules.js';
import { lineSettings } from './line-settings.js';
import type { BlockEntry, GroupEntry, RigFile } from './schema.js';
import type { BlockConfig, GroupConfig, HttpFaceConfig, LineConfig, RigConfig } from './types.js';

export function buildRigConfig(checked: RigFile, file: string | undefined): RigConfig {
  // a relative passwordFile is read from beside the rig file, wherever zoomsync was started
  const base = file === undefined ? process.cwd() : dirname(resolve(file));
  return Object.freeze({
    file,
    lines: Object.freeze(checked.lines.map(buildLine)),
    blocks: Object.freeze(checked.blocks.map((entry, i) => buildBlock(entry, i, base))),
    groups: Object.freeze((checked.groups ?? []).map(buildGroup)),
    gpio: checked.gpio && deepFreeze(checked.gpio),
    rules: buildRules(checked.rules ?? []),
  });
}

function buildLine(entry: RigFile['lines'][number]): LineConfig {
  const settings = lineSettings(entry);
  if (!settings.ok) throw new Error(`unreachable: line ${entry.name} passed the checks but not resolveLineOptions`);
  return settings.line;
}

function buildBlock(entry: BlockEntry, index: number, base: string): BlockConfig {
  const profile = profileByName(entry.profile)!;
  return Object.freeze({
    name: entry.name,
    line: entry.line,
    address: entry.address,
    pelcoDialect: entry.dialect,
    profile,
    http: entry.http && buildHttpFace(entry.http, `blocks.${index}.http`, base),
    limits: Object.freeze({ zoom: Object.freeze([entry.limits?.zoom?.[0] ?? 0, entry.limits?.zoom?.[1] ?? profile.zoomPositionMax] as const) }),
    calibration: entry.calibration && Object.freeze(entry.calibration.map(([raw, magnification]) => Object.freeze([raw, magnification] as const))),
  });
}

function buildHttpFace(face: NonNullable<BlockEntry['http']>, at: string, base: string): HttpFaceConfig {
  const password =
    face.passwordEnv !== undefined
      ? Object.freeze({ from: 'env' as const, variable: face.passwordEnv, at: `${at}.passwordEnv` })
      : Object.freeze({ from: 'file' as const, file: resolve(base, face.passwordFile!), at: `${at}.passwordFile` });
  return Object.freeze({ url: face.url, dialect: face.dialect, user: face.user, password });
}

function buildGroup(entry: GroupEntry): GroupConfig {
  return Object.freeze({
    name: entry.name,
    members: Object.freeze([...entry.members]),
    leader: entry.leader ?? entry.members[0]!,
    track: entry.track && Object.freeze({ hz: entry.track.hz, deadband: entry.track.deadband }),
  });
}

/** The pin map as zod returns it, frozen all the way down like the rest of the RigConfig. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
