/**
 * A plain GroupControl over real blocks for tests of the rig and `zoomsync do`, standing in for
 * src/sync's SyncGroup (which the coordinator plugs in through the same interface). Members are
 * called in one synchronous loop, as the interface requires; following copies the leader's
 * magnification to the followers every `periodMs`.
 */
import { EventEmitter } from 'node:events';
import type { MoveCommand } from '../../../protocols/pelco/index.js';
import type { GroupConfig } from '../../../src/config/types.js';
import type { BlockControl, CommandReport } from '../../../src/devices/block-api.js';
import type { DeviceRegistry } from '../../../src/devices/device-registry.js';
import type { GroupControl, GroupFactory, GroupRecallReport, GroupReport, GroupStateEvent, GroupZoomTarget } from '../../../src/rig/group-control.js';
import { waitSettled } from '../../../src/rig/settle.js';
import { ZoomCalibration } from '../../../src/sync/calibration.js';

export class FanOutGroup extends EventEmitter<{ state: [GroupStateEvent] }> implements GroupControl {
  readonly leader: BlockControl;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly members: readonly BlockControl[],
    leader: string,
    /** Presets by name; pass one map to several runs to keep them, as SyncGroup's state file does. */
    private readonly presets = new Map<string, Record<string, number>>(),
    private readonly periodMs = 20,
  ) {
    super();
    this.leader = members.find((m) => m.name === leader)!;
  }

  move(command: Omit<MoveCommand, 'kind'>): Promise<GroupReport> {
    return this.all('move', (m) => m.move(command));
  }

  stop(): Promise<GroupReport> {
    return this.all('stop', (m) => m.stop());
  }

  zoomTo(target: GroupZoomTarget): Promise<GroupReport> {
    const raws = new Map(this.members.map((m) => [m.name, 'raw' in target ? target.raw : Math.round(new ZoomCalibration(m.calibration!).rawFor(target.magnification))]));
    return this.all('zoom', (m) => m.zoomTo(raws.get(m.name)!));
  }

  gotoPreset(preset: number): Promise<GroupReport> {
    return this.all(`preset ${preset}`, (m) => m.gotoPreset(preset));
  }

  async savePreset(name: string): Promise<Readonly<Record<string, number>>> {
    const readings = await Promise.all(this.members.map((m) => m.readZoom()));
    const positions = Object.fromEntries(this.members.map((m, i) => [m.name, readings[i]!.value]));
    this.presets.set(name, positions);
    return positions;
  }

  async recallPreset(name: string, options: { timeoutMs?: number } = {}): Promise<GroupRecallReport> {
    const stored = this.presets.get(name)!;
    const report = await this.all(`recall ${name}`, (m) => m.zoomTo(stored[m.name]!));
    const results = await Promise.all(this.members.map((m) => waitSettled(() => m.readZoom(), { target: stored[m.name], pollMs: 20, timeoutMs: options.timeoutMs })));
    const late = this.members.flatMap((m, i) => (results[i]!.position === stored[m.name] ? [] : [{ block: m.name, target: stored[m.name]!, position: results[i]!.position }]));
    return { ...report, preset: name, arrived: late.length === 0, late };
  }

  follow(on: boolean): void {
    if (on === this.isFollowing) return;
    clearInterval(this.timer);
    this.timer = on ? setInterval(() => void this.track(), this.periodMs) : undefined;
    this.emit('state', { group: this.name, state: on ? 'moving' : 'ok', reason: on ? 'following' : 'following off' });
  }

  get isFollowing(): boolean {
    return this.timer !== undefined;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async track(): Promise<void> {
    const leaderRaw = (await this.leader.readZoom().catch(() => undefined))?.value;
    if (leaderRaw === undefined || !this.timer) return;
    const magnification = new ZoomCalibration(this.leader.calibration!).magnificationAt(leaderRaw);
    for (const f of this.members) if (f !== this.leader) void f.zoomTo(Math.round(new ZoomCalibration(f.calibration!).rawFor(magnification))).catch(() => {});
  }

  private async all(command: string, send: (m: BlockControl) => Promise<CommandReport>): Promise<GroupReport> {
    const pending = this.members.map((m) => send(m));
    const members = await Promise.all(pending);
    const times = members.flatMap((r) => (r.sentAt === undefined ? [] : [r.sentAt]));
    return { command, members, skewMs: times.length ? Math.max(...times) - Math.min(...times) : undefined };
  }
}

/** The factory openRig gets in tests: a FanOutGroup per group of the file. */
export const fanOutGroups: GroupFactory = (groups, devices) => fanOutGroupsKeeping(new Map())(groups, devices, { configFile: undefined });

/** A factory whose groups keep their presets in `presets` from one run to the next. */
export function fanOutGroupsKeeping(presets: Map<string, Map<string, Record<string, number>>>): GroupFactory {
  return (groups: readonly GroupConfig[], devices: DeviceRegistry) =>
    groups.map((g) => {
      if (!presets.has(g.name)) presets.set(g.name, new Map());
      return new FanOutGroup(g.name, g.members.map((n) => devices.get(n)), g.leader, presets.get(g.name));
    });
}
