/**
 * The part of a rig one target needs: a block with its line, or a group with its members and
 * their lines. `zoomsync do left ...` opens only left's line and HTTP side, so a port another
 * program holds (or an adapter that is unplugged) for some other block does not stand in the way.
 */
import { InvalidArgumentError } from '../../protocols/errors.js';
import type { RigConfig } from '../config/types.js';

export interface RigTarget {
  kind: 'block' | 'group';
  name: string;
  /** The rig with only what the target uses: its blocks, their lines, and the group itself. */
  config: RigConfig;
}

/** The target of that name; InvalidArgumentError listing the blocks and groups otherwise. */
export function selectTarget(config: RigConfig, name: string): RigTarget {
  const group = config.groups.find((g) => g.name === name);
  const block = config.blocks.find((b) => b.name === name);
  if (!group && !block) {
    const known = [...config.blocks.map((b) => `${b.name} (block)`), ...config.groups.map((g) => `${g.name} (group)`)];
    throw new InvalidArgumentError('target', name, `a block or group of ${config.file ?? 'the rig'}: ${known.join(', ') || '(none defined)'}`);
  }
  const members = group ? new Set(group.members) : new Set([name]);
  const blocks = config.blocks.filter((b) => members.has(b.name));
  const lines = new Set(blocks.map((b) => b.line));
  return {
    kind: group ? 'group' : 'block',
    name,
    config: Object.freeze({
      ...config,
      // no GPIO board and no rules: `do` runs one command, it does not run the rig's automation
      rules: [],
      gpio: undefined,
      lines: config.lines.filter((l) => lines.has(l.name)),
      blocks,
      groups: group ? [group] : [],
    }),
  };
}
