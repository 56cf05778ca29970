/**
 * The rig's groups are sync groups (src/sync/SyncGroup): every command goes to all members in one
 * synchronous loop (one tick), resolves with what each member did and the skew of their frames,
 * and rejects (after stopping the members it set moving) when any member refused. This module
 * names them for the rig and `zoomsync do`, and says how a rig builds them (GroupFactory).
 */
import type { GroupConfig } from '../config/types.js';
import type { DeviceRegistry } from '../devices/device-registry.js';
import type { GroupReport, GroupState, GroupStateEvent, RecallReport as GroupRecallReport, SyncGroup } from '../sync/sync-group.js';
import type { ZoomTarget as GroupZoomTarget } from '../sync/plan.js';
export type { GroupRecallReport, GroupReport, GroupState, GroupStateEvent, GroupZoomTarget };

/** The group the rig and `zoomsync do` drive: a sync group (src/sync). */
export type GroupControl = SyncGroup;

/**
 * Builds the groups of a rig from the rig file's groups and the open blocks (`devices.get(name)`
 * is a ZoomBlock, a BlockControl). Called by openRig once the blocks exist; `configFile` is where
 * the rig file lives (group presets keep their state beside it).
 */
export type GroupFactory = (groups: readonly GroupConfig[], devices: DeviceRegistry, context: { configFile: string | undefined }) => GroupControl[] | Promise<GroupControl[]>;
