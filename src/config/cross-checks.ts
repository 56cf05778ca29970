/**
 * Checks that need more than one place of the rig file: names that must exist or be unique,
 * addresses that must not collide, values that depend on the block's profile, and how groups
 * may share blocks. The schema has checked each value on its own; these checks read each value
 * through its own schema and run whenever the values they need are valid, so one wrong key
 * does not hide a problem elsewhere and does not cause a second, invented one.
 *
 * Groups sharing blocks (decided here): a block may be in any number of groups that only move
 * together on command. A group with `track:` steers its followers, so a block follows at most one
 * leader, and a follower leads no tracking group of its own (no chains, no loops): put the blocks
 * in one group instead.
 */
import { z } from 'zod';
import { InvalidArgumentError, type ConfigProblem } from '../../protocols/errors.js';
import { addressByte, profileByName } from '../../protocols/pelco/index.js';
import { lineSettings } from './line-settings.js';
import { dottedPath, type PathSegment, quote } from './problems.js';
import { BLOCK_SCHEMA, GROUP_SCHEMA, LINE_SCHEMA } from './schema.js';

type Shape = z.ZodRawShape;

/** The value of `key` in a list entry, through its own schema (defaults filled); undefined when it is not valid. */
function field<S extends Shape, K extends keyof S & string>(schema: z.ZodObject<S>, entry: unknown, key: K): z.output<S[K]> | undefined {
  if (!isMapping(entry)) return undefined;
  const result = (schema.shape[key] as z.ZodType).safeParse(entry[key]);
  return result.success ? (result.data as z.output<S[K]>) : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listAt(doc: unknown, key: string): unknown[] {
  if (typeof doc !== 'object' || doc === null) return [];
  const list = (doc as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : [];
}

/** `block "left" (blocks.0)`: how a problem names the other party of a clash. */
const party = (what: string, name: string, path: string) => `${what} ${quote(name)} (${path})`;

export function crossCheckProblems(doc: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: PathSegment[], message: string) => problems.push({ path: dottedPath(path), message });

  // ---- lines
  const lines = listAt(doc, 'lines');
  const lineNames = new Map<string, number>();
  const ports = new Map<string, { name: string; index: number }>();
  lines.forEach((entry, i) => {
    const name = field(LINE_SCHEMA, entry, 'name');
    if (name !== undefined) {
      const first = lineNames.get(name);
      if (first !== undefined) add(['lines', i, 'name'], `duplicate line name (got ${quote(name)}, expected a name no other line has; lines.${first} has it)`);
      else lineNames.set(name, i);
    }
    const port = field(LINE_SCHEMA, entry, 'port');
    if (port !== undefined) {
      const key = port.replace(/\/+/g, '/').replace(/\/$/, '');
      const other = ports.get(key);
      if (other) {
        add(['lines', i, 'port'], `port already used by ${party('line', other.name, `lines.${other.index}`)} (got ${quote(port)}, expected one line per port: put blocks that share a port on one line)`);
      } else ports.set(key, { name: name ?? `#${i}`, index: i });
    }
    const turnaroundMs = field(LINE_SCHEMA, entry, 'turnaroundMs');
    // direction left out is auto; a wrong direction is its own problem, not this one
    const direction = isMapping(entry) && entry.direction === undefined ? 'auto' : field(LINE_SCHEMA, entry, 'direction');
    if (turnaroundMs !== undefined && direction === 'auto') {
      add(['lines', i, 'turnaroundMs'], `has no effect with direction auto (got ${turnaroundMs}, expected it only with direction: rts or gpio)`);
    }
    // the rest is SerialLine's to judge, once the entry has the right shape
    const parsed = LINE_SCHEMA.safeParse(entry);
    if (!parsed.success) return;
    const settings = lineSettings(parsed.data);
    if (!settings.ok) add(['lines', i, settings.key], `refused by the serial line (got ${quote(settings.value)}, expected ${settings.expected})`);
  });
  const knownLines = () => [...lineNames.keys()].join(', ') || 'none: define the line under lines:';

  // ---- blocks
  const blocks = listAt(doc, 'blocks');
  const blockNames = new Map<string, number>();
  const addresses = new Map<string, { name: string; index: number }>();
  blocks.forEach((entry, i) => {
    const name = field(BLOCK_SCHEMA, entry, 'name');
    if (name !== undefined) {
      const first = blockNames.get(name);
      if (first !== undefined) add(['blocks', i, 'name'], `duplicate block name (got ${quote(name)}, expected a name no other block has; blocks.${first} has it)`);
      else blockNames.set(name, i);
    }
    const line = field(BLOCK_SCHEMA, entry, 'line');
    if (line !== undefined && !lineNames.has(line)) add(['blocks', i, 'line'], `unknown line (got ${quote(line)}, expected one of: ${knownLines()})`);

    const address = field(BLOCK_SCHEMA, entry, 'address');
    const dialect = field(BLOCK_SCHEMA, entry, 'dialect');
    const profileName = field(BLOCK_SCHEMA, entry, 'profile');
    const profile = profileName === undefined ? undefined : profileByName(profileName);
    // an address is judged against its dialect and profile when both are known, and then (or
    // when they are not) against the other addresses on its line
    let addressValid = address !== undefined;
    if (address !== undefined && dialect !== undefined && profile) {
      try {
        addressByte(dialect, address, profile);
        if (dialect === 'D' && profile.broadcastAddress && address === 255) {
          add(['blocks', i, 'address'], `255 is the broadcast address with profile ${profile.name}: every block on the line obeys it (got 255, expected 1–254)`);
          addressValid = false;
        }
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        add(['blocks', i, 'address'], `out of range for PELCO-${dialect} with profile ${profile.name} (got ${address}, expected ${error.range})`);
        addressValid = false;
      }
    }
    if (addressValid && line !== undefined) {
      const key = `${line}\u0000${address}`;
      const other = addresses.get(key);
      if (other) {
        add(['blocks', i, 'address'], `address taken on line ${quote(line)} by ${party('block', other.name, `blocks.${other.index}`)} (got ${address}, expected an address no other block on ${quote(line)} has)`);
      } else addresses.set(key, { name: name ?? `#${i}`, index: i });
    }

    if (profile) {
      const zoomMax = profile.zoomPositionMax;
      const limits = field(BLOCK_SCHEMA, entry, 'limits');
      limits?.zoom?.forEach((end, k) => {
        if (end > zoomMax) add(['blocks', i, 'limits', 'zoom', k], `outside the ${profile.name} zoom range (got ${end}, expected 0–${zoomMax})`);
      });
      const calibration = field(BLOCK_SCHEMA, entry, 'calibration');
      calibration?.forEach(([raw], k) => {
        if (raw > zoomMax) add(['blocks', i, 'calibration', k, 0], `raw zoom outside the ${profile.name} zoom range (got ${raw}, expected 0–${zoomMax})`);
      });
    }
  });
  const knownBlocks = () => [...blockNames.keys()].join(', ') || 'none: define the block under blocks:';

  // ---- groups
  const groups = listAt(doc, 'groups');
  const groupNames = new Map<string, number>();
  const tracking: { index: number; members: string[]; leader: string; leaderPath: PathSegment[] }[] = [];
  groups.forEach((entry, i) => {
    const name = field(GROUP_SCHEMA, entry, 'name');
    if (name !== undefined) {
      const first = groupNames.get(name);
      const block = blockNames.get(name);
      if (first !== undefined) add(['groups', i, 'name'], `duplicate group name (got ${quote(name)}, expected a name no other group has; groups.${first} has it)`);
      else if (block !== undefined) {
        add(['groups', i, 'name'], `name already used by block (got ${quote(name)}, expected a name no block has: the CLI and the API address blocks and groups by name; blocks.${block} has it)`);
      } else groupNames.set(name, i);
    }
    const members = field(GROUP_SCHEMA, entry, 'members');
    if (members === undefined) return;
    const seen = new Set<string>();
    let allKnown = true;
    members.forEach((member, j) => {
      if (!blockNames.has(member)) {
        add(['groups', i, 'members', j], `unknown block (got ${quote(member)}, expected one of: ${knownBlocks()})`);
        allKnown = false;
      } else if (seen.has(member)) {
        add(['groups', i, 'members', j], `listed twice (got ${quote(member)}, expected each block once)`);
      }
      seen.add(member);
    });
    const leader = field(GROUP_SCHEMA, entry, 'leader');
    if (leader !== undefined && !seen.has(leader)) {
      add(['groups', i, 'leader'], `not a member of the group (got ${quote(leader)}, expected one of: ${[...seen].filter((member) => blockNames.has(member)).join(', ')})`);
      return;
    }
    const hasTrack = isMapping(entry) && entry.track !== undefined;
    if (hasTrack && allKnown && (leader !== undefined || entry.leader === undefined)) {
      tracking.push({ index: i, members: [...seen], leader: leader ?? members[0]!, leaderPath: leader !== undefined ? ['groups', i, 'leader'] : ['groups', i, 'members', 0] });
    }
  });

  // a block follows at most one leader ...
  const followerOf = new Map<string, { group: number; leader: string }>();
  for (const group of tracking) {
    for (const member of group.members) {
      if (member === group.leader) continue;
      const earlier = followerOf.get(member);
      const j = group.members.indexOf(member);
      if (earlier) {
        add(
          ['groups', group.index, 'members', j],
          `${quote(member)} already follows ${quote(earlier.leader)} in groups.${earlier.group} (got a second leader ${quote(group.leader)}, expected each block to follow one leader: two would steer it against each other)`,
        );
      } else followerOf.set(member, { group: group.index, leader: group.leader });
    }
  }
  // ... and a follower leads nobody (no chains, no loops)
  for (const group of tracking) {
    const follows = followerOf.get(group.leader);
    if (follows && follows.group !== group.index) {
      add(
        group.leaderPath,
        `leader follows another block (got ${quote(group.leader)}, which follows ${quote(follows.leader)} in groups.${follows.group}; expected a leader that follows nobody: put these blocks in groups.${follows.group} instead)`,
      );
    }
  }
  return problems;
}
