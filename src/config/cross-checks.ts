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
import { gpioAndRuleProblems, normalPort } from '../rules/rule-checks.js';

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

type Report = (path: PathSegment[], message: string) => void;

/** name -> index of the first entry that has it. */
type Names = Map<string, number>;

export function crossCheckProblems(doc: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report: Report = (path, message) => problems.push({ path: dottedPath(path), message });
  const lineNames = checkLines(listAt(doc, 'lines'), report);
  const blockNames = checkBlocks(listAt(doc, 'blocks'), lineNames, report);
  const tracking = checkGroups(listAt(doc, 'groups'), blockNames, report);
  checkTracking(tracking, report);
  // the gpio: and rules: sections refer to the rest of the file by name
  const groupNames = listAt(doc, 'groups').map((entry) => field(GROUP_SCHEMA, entry, 'name'));
  const linePorts = new Map<string, string>();
  listAt(doc, 'lines').forEach((entry, i) => {
    const port = field(LINE_SCHEMA, entry, 'port');
    if (port !== undefined) linePorts.set(normalPort(port), `${quote(field(LINE_SCHEMA, entry, 'name') ?? `#${i}`)} (lines.${i})`);
  });
  gpioAndRuleProblems(doc, { blocks: new Set(blockNames.keys()), groups: new Set(groupNames.filter((n) => n !== undefined)), linePorts }, report);
  return problems;
}

/** Records a name, or reports it when an earlier entry of the same list has it. */
function claimName(names: Names, name: string | undefined, list: 'lines' | 'blocks' | 'groups', index: number, report: Report): void {
  if (name === undefined) return;
  const first = names.get(name);
  if (first === undefined) names.set(name, index);
  else report([list, index, 'name'], `duplicate ${list.slice(0, -1)} name (got ${quote(name)}, expected a name no other ${list.slice(0, -1)} has; ${list}.${first} has it)`);
}

const known = (names: Names, list: string) => [...names.keys()].join(', ') || `none: define one under ${list}:`;

function checkLines(lines: unknown[], report: Report): Names {
  const names: Names = new Map();
  const ports = new Map<string, { name: string; index: number }>();
  lines.forEach((entry, i) => {
    const name = field(LINE_SCHEMA, entry, 'name');
    claimName(names, name, 'lines', i, report);
    const port = field(LINE_SCHEMA, entry, 'port');
    if (port !== undefined) {
      const key = port.replace(/\/+/g, '/').replace(/\/$/, '');
      const other = ports.get(key);
      if (other) {
        report(['lines', i, 'port'], `port already used by ${party('line', other.name, `lines.${other.index}`)} (got ${quote(port)}, expected one line per port: put blocks that share a port on one line)`);
      } else ports.set(key, { name: name ?? `#${i}`, index: i });
    }
    const turnaroundMs = field(LINE_SCHEMA, entry, 'turnaroundMs');
    // direction left out is auto; a wrong direction is its own problem, not this one
    const direction = isMapping(entry) && entry.direction === undefined ? 'auto' : field(LINE_SCHEMA, entry, 'direction');
    if (turnaroundMs !== undefined && direction === 'auto') {
      report(['lines', i, 'turnaroundMs'], `has no effect with direction auto (got ${turnaroundMs}, expected it only with direction: rts or gpio)`);
    }
    // the rest is SerialLine's to judge, once the entry has the right shape
    const parsed = LINE_SCHEMA.safeParse(entry);
    if (!parsed.success) return;
    const settings = lineSettings(parsed.data);
    if (!settings.ok) report(['lines', i, settings.key], `refused by the serial line (got ${quote(settings.value)}, expected ${settings.expected})`);
  });
  return names;
}

function checkBlocks(blocks: unknown[], lineNames: Names, report: Report): Names {
  const names: Names = new Map();
  const addresses = new Map<string, { name: string; index: number }>();
  blocks.forEach((entry, i) => {
    const name = field(BLOCK_SCHEMA, entry, 'name');
    claimName(names, name, 'blocks', i, report);
    const line = field(BLOCK_SCHEMA, entry, 'line');
    if (line !== undefined && !lineNames.has(line)) report(['blocks', i, 'line'], `unknown line (got ${quote(line)}, expected one of: ${known(lineNames, 'lines')})`);

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
          report(['blocks', i, 'address'], `255 is the broadcast address with profile ${profile.name}: every block on the line obeys it (got 255, expected 1–254)`);
          addressValid = false;
        }
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        report(['blocks', i, 'address'], `out of range for PELCO-${dialect} with profile ${profile.name} (got ${address}, expected ${error.range})`);
        addressValid = false;
      }
    }
    if (addressValid && line !== undefined) {
      const key = `${line}\u0000${address}`;
      const other = addresses.get(key);
      if (other) {
        report(['blocks', i, 'address'], `address taken on line ${quote(line)} by ${party('block', other.name, `blocks.${other.index}`)} (got ${address}, expected an address no other block on ${quote(line)} has)`);
      } else addresses.set(key, { name: name ?? `#${i}`, index: i });
    }

    if (profile) {
      const zoomMax = profile.zoomPositionMax;
      field(BLOCK_SCHEMA, entry, 'limits')?.zoom?.forEach((end, k) => {
        if (end > zoomMax) report(['blocks', i, 'limits', 'zoom', k], `outside the ${profile.name} zoom range (got ${end}, expected 0–${zoomMax})`);
      });
      field(BLOCK_SCHEMA, entry, 'calibration')?.forEach(([raw], k) => {
        if (raw > zoomMax) report(['blocks', i, 'calibration', k, 0], `raw zoom outside the ${profile.name} zoom range (got ${raw}, expected 0–${zoomMax})`);
      });
    }
  });
  return names;
}

/** A group whose followers track its leader, with where each member is written in the file. */
interface TrackingGroup {
  index: number;
  leader: string;
  leaderPath: PathSegment[];
  /** Each member once, with the index of its first mention in members:. */
  members: Map<string, number>;
}

function checkGroups(groups: unknown[], blockNames: Names, report: Report): TrackingGroup[] {
  const names: Names = new Map();
  const tracking: TrackingGroup[] = [];
  groups.forEach((entry, i) => {
    const name = field(GROUP_SCHEMA, entry, 'name');
    const block = name === undefined ? undefined : blockNames.get(name);
    if (block !== undefined) {
      report(['groups', i, 'name'], `name already used by block (got ${quote(name)}, expected a name no block has: the CLI and the API address blocks and groups by name; blocks.${block} has it)`);
    } else claimName(names, name, 'groups', i, report);

    const members = field(GROUP_SCHEMA, entry, 'members');
    if (members === undefined) return;
    const firstMention = new Map<string, number>();
    let allKnown = true;
    members.forEach((member, j) => {
      if (!blockNames.has(member)) {
        report(['groups', i, 'members', j], `unknown block (got ${quote(member)}, expected one of: ${known(blockNames, 'blocks')})`);
        allKnown = false;
      } else if (firstMention.has(member)) {
        report(['groups', i, 'members', j], `listed twice (got ${quote(member)}, expected each block once)`);
      } else firstMention.set(member, j);
    });
    const leader = field(GROUP_SCHEMA, entry, 'leader');
    if (leader !== undefined && !members.includes(leader)) {
      report(['groups', i, 'leader'], `not a member of the group (got ${quote(leader)}, expected one of: ${[...firstMention.keys()].join(', ')})`);
      return;
    }
    const leaderWritten = isMapping(entry) && entry.leader !== undefined;
    if (isMapping(entry) && entry.track !== undefined && allKnown && (leader !== undefined || !leaderWritten)) {
      tracking.push({ index: i, leader: leader ?? members[0]!, leaderPath: leaderWritten ? ['groups', i, 'leader'] : ['groups', i, 'members', 0], members: firstMention });
    }
  });
  return tracking;
}

/**
 * A block follows at most one leader, and a follower leads no tracking group of its own (no
 * chains, no loops): two leaders would steer one lens against each other.
 */
function checkTracking(tracking: TrackingGroup[], report: Report): void {
  const followerOf = new Map<string, { group: number; leader: string }>();
  for (const group of tracking) {
    for (const [member, j] of group.members) {
      if (member === group.leader) continue;
      const earlier = followerOf.get(member);
      if (earlier) {
        report(
          ['groups', group.index, 'members', j],
          `${quote(member)} already follows ${quote(earlier.leader)} in groups.${earlier.group} (got a second leader ${quote(group.leader)}, expected each block to follow one leader: two would steer it against each other)`,
        );
      } else followerOf.set(member, { group: group.index, leader: group.leader });
    }
  }
  for (const group of tracking) {
    const follows = followerOf.get(group.leader);
    if (follows && follows.group !== group.index) {
      report(
        group.leaderPath,
        `leader follows another block (got ${quote(group.leader)}, which follows ${quote(follows.leader)} in groups.${follows.group}; expected a leader that follows nobody: put these blocks in groups.${follows.group} instead)`,
      );
    }
  }
}
