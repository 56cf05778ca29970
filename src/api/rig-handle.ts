/**
 * What the API server needs of an open rig: its lines (counters), blocks and groups, and a way
 * to close it. src/rig.ts `openRig(config)` returns this shape; the server is written against
 * this interface only, so tests build a handle from LineRegistry/DeviceRegistry/SyncGroup over
 * ptys, and `serve` gets one from whatever opens the rig (openRigHandle below until openRig is wired).
 */
import type { BusScheduler } from '../../hardware/serial/bus-scheduler.js';
import type { SerialLine } from '../../hardware/serial/serial-line.js';
import type { RigConfig } from '../config/types.js';
import { resolvePassword } from '../config/password.js';
import { DeviceRegistry, type HttpSpec } from '../devices/device-registry.js';
import type { ZoomBlock } from '../devices/zoom-block.js';
import { PresetFile, stateFileFor } from '../sync/preset-file.js';
import { SyncGroup } from '../sync/sync-group.js';

/** One open port: its rig names, its line and its scheduler (LineRegistry's LineHandle). */
export interface RigLine {
  readonly names: readonly string[];
  readonly realPath: string;
  readonly line: Pick<SerialLine, 'isOpen' | 'name'>;
  readonly bus: Pick<BusScheduler, 'lineCounters' | 'deviceCounters' | 'stopAll' | 'stop'>;
}

export interface RigHandle {
  readonly lines: { readonly lines: readonly RigLine[] };
  readonly devices: { readonly names: string[]; readonly all: readonly ZoomBlock[]; get(name: string): ZoomBlock };
  readonly groups: ReadonlyMap<string, SyncGroup>;
  /** Stops every block (stops on the wire), then closes lines and HTTP sides. */
  close(): Promise<void>;
}

export interface OpenRigOptions {
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens the rig a config describes: every password read, every line and block opened, every
 * group made. A stand-in for src/rig.ts `openRig` (the coordinator wires that one in at merge).
 */
export async function openRigHandle(config: RigConfig, options: OpenRigOptions = {}): Promise<RigHandle> {
  const env = options.env ?? process.env;
  const http = new Map<string, HttpSpec>();
  for (const block of config.blocks) {
    if (!block.http) continue;
    const password = await resolvePassword(block.http.password, env, config.file);
    http.set(block.name, { url: block.http.url, dialect: block.http.dialect, user: block.http.user, password });
  }
  const devices = await DeviceRegistry.open({
    lines: config.lines.map((l) => ({ name: l.name, port: l.port, baud: l.baudRate, direction: l.direction, turnaroundMs: l.turnaroundMs })),
    blocks: config.blocks.map((b) => ({
      name: b.name,
      line: b.line,
      address: b.address,
      dialect: b.pelcoDialect,
      profile: b.profile.name,
      http: http.get(b.name),
      limits: { zoom: b.limits.zoom },
      calibration: b.calibration,
    })),
  });
  const presets = config.file ? new PresetFile(stateFileFor(config.file)) : undefined;
  const groups = new Map<string, SyncGroup>();
  for (const g of config.groups) {
    groups.set(g.name, new SyncGroup({ name: g.name, members: g.members.map((m) => devices.get(m)), leader: g.leader, track: g.track, presets }));
  }
  return {
    lines: devices.lines,
    devices,
    groups,
    async close() {
      for (const group of groups.values()) group.close();
      await devices.close();
    },
  };
}
