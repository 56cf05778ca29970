/**
 * GroupControl: the part of a sync group that the rig and the CLI's `zoomsync do` drive. It is
 * written to the shape of src/sync's SyncGroup (name, members, leader, move/stop/zoomTo/
 * gotoPreset with a GroupReport, savePreset/recallPreset, follow), so a SyncGroup is a
 * GroupControl as it stands and `buildGroups` can return SyncGroups directly.
 *
 * Every command method sends to all members in one synchronous loop (one tick), resolves with
 * what each member did and the skew of their frames, and rejects (after stopping the members
 * it set moving) when any member refused.
 */
import type { MoveCommand } from '../../protocols/pelco/commands.js';
import type { GroupConfig } from '../config/types.js';
import type { BlockControl } from '../devices/block-api.js';
import type { DeviceRegistry } from '../devices/device-registry.js';

// The report and state types are the sync groups' own: a SyncGroup is a GroupControl as it stands.
import type { GroupReport, GroupState, GroupStateEvent, RecallReport as GroupRecallReport } from '../sync/sync-group.js';
import type { ZoomTarget as GroupZoomTarget } from '../sync/plan.js';
export type { GroupRecallReport, GroupReport, GroupState, GroupStateEvent, GroupZoomTarget };

export interface GroupControl {
  readonly name: string;
  readonly members: readonly BlockControl[];
  /** The member followers track while following. */
  readonly leader: BlockControl;
  /** Continuous motion on every member (ends with stop()). */
  move(command: Omit<MoveCommand, 'kind'>): Promise<GroupReport>;
  /** Stops every member; never refused. */
  stop(): Promise<GroupReport>;
  /** Absolute zoom on every member; refused before anything is sent when a member cannot reach it. */
  zoomTo(target: GroupZoomTarget): Promise<GroupReport>;
  /** A camera preset (PELCO preset number) on every member. */
  gotoPreset(preset: number): Promise<GroupReport>;
  /** Stores every member's current zoom under `name`; resolves with the stored raw positions by member. */
  savePreset(name: string): Promise<Readonly<Record<string, number>>>;
  /** Moves every member to its stored position and resolves once each arrived (or the timeout passed). */
  recallPreset(name: string, options?: { timeoutMs?: number }): Promise<GroupRecallReport>;
  /** Followers track the leader's zoom (on) or stop tracking (off). */
  follow(on: boolean): void;
  readonly isFollowing: boolean;
  on(event: 'state', listener: (event: GroupStateEvent) => void): this;
  /** Ends following and timers; does not stop the members (the rig's close does that). */
  close(): void;
}

/**
 * Builds the groups of a rig from the rig file's groups and the open blocks (`devices.get(name)`
 * is a ZoomBlock, a BlockControl). Called by openRig once the blocks exist; `configFile` is where
 * the rig file lives (group presets keep their state beside it).
 */
export type GroupFactory = (groups: readonly GroupConfig[], devices: DeviceRegistry, context: { configFile: string | undefined }) => GroupControl[] | Promise<GroupControl[]>;
