/**
 * The rig's default group factory: one SyncGroup per group of the rig file, its presets kept in
 * the state file beside the rig file (`rig.yaml` -> `rig.state.json`).
 */
import { PresetFile, stateFileFor } from '../sync/preset-file.js';
import { SyncGroup } from '../sync/sync-group.js';
import type { GroupFactory } from './group-control.js';

export const buildSyncGroups: GroupFactory = (groups, devices, { configFile }) => {
  const presets = configFile === undefined ? undefined : new PresetFile(stateFileFor(configFile));
  return groups.map(
    (group) =>
      new SyncGroup({
        name: group.name,
        members: group.members.map((name) => devices.get(name)),
        leader: group.leader,
        ...(group.track && { track: group.track }),
        ...(presets && { presets }),
      }),
  );
};
