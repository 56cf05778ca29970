/** What the API shows of blocks, groups and lines: plain JSON, the same over REST and /ws. */
import type { ZoomBlock } from '../devices/zoom-block.js';
import type { SyncGroup } from '../sync/sync-group.js';
import type { MotionControl } from './motion.js';
import type { RigLine } from './rig-handle.js';

export function blockView(block: ZoomBlock, motion: MotionControl, line: string | undefined) {
  return {
    ...block.state,
    address: block.address,
    line,
    zoomRange: block.zoomRange,
    camera: block.config ? { dialect: block.config.dialect } : null,
    movedBy: motion.movedBy(block.name) ?? null,
  };
}

export function groupView(group: SyncGroup) {
  return {
    name: group.name,
    members: group.members.map((m) => m.name),
    leader: group.leader.name,
    state: group.state,
    reason: group.reason,
    following: group.isFollowing,
  };
}

export function lineView(line: RigLine) {
  return { names: line.names, port: line.realPath, open: line.line.isOpen, counters: line.bus.lineCounters };
}
