/**
 * A sync group: several zoom blocks driven as one rig. The thin timed layer over the pure
 * modules — plan.ts decides what each member gets, fan-out.ts sends it with the least skew,
 * tracker.ts decides what followers do, preset-store.ts keeps named group positions.
 *
 * @example
 *   const group = new SyncGroup({ name: 'stage', members: [cam1, cam2], leader: 'cam1', presets: new PresetFile(stateFileFor(configPath)) });
 *   group.on('state', ({ state, reason }) => console.log(state, reason));
 *   await group.zoomTo({ magnification: 4 });    // each lens to 4.0x through its own table
 *   group.follow(true);                          // cam2 tracks cam1 while the operator drives cam1
 */
import { EventEmitter } from 'node:events';
import { asOneBurst } from '../../hardware/serial/wire-burst.js';
import { InvalidArgumentError } from '../../protocols/errors.js';
import type { MoveCommand } from '../../protocols/pelco/commands.js';
import type { BlockControl, CommandReport } from '../devices/block-api.js';
import { fanOut, type MemberFailure } from './fan-out.js';
import { followerRaw, planZoom, type ZoomTarget } from './plan.js';
import type { PresetFile } from './preset-file.js';
import { checkPresetName, type MemberPositions, PresetStore } from './preset-store.js';
import { type Follower, initialTrackerState, resolveTrackOptions, type TrackAction, type TrackInput, type TrackOptions, trackStep, type TrackerState, wantsFollowerPositions } from './tracker.js';

export type GroupState = 'ok' | 'moving' | 'settled' | 'degraded';

export interface GroupStateEvent {
  group: string;
  state: GroupState;
  reason: string;
}

export interface SyncGroupOptions {
  name: string;
  members: readonly BlockControl[];
  /** The member the operator drives while following; default the first. */
  leader?: string;
  track?: Partial<TrackOptions>;
  /** Where group presets are kept; without it presets live in memory only. */
  presets?: PresetFile;
  /** How long a preset recall waits for every member to arrive, in ms. Default 10000. */
  arriveTimeoutMs?: number;
}

/** What a group command did: per member what was sent and on which path, and the skew achieved. */
export interface GroupReport {
  command: string;
  members: CommandReport[];
  /** max − min of the members' sentAt, ms; undefined when no member has a timed frame (all http). */
  skewMs: number | undefined;
}

export interface RecallReport extends GroupReport {
  preset: string;
  /** Every member reached its position (within the deadband) before the timeout. */
  arrived: boolean;
  /** Members that did not, with where they were last seen (undefined: never answered). */
  late: { block: string; target: number; position: number | undefined }[];
}

const MAX_MEMBERS = 64;

export class SyncGroup extends EventEmitter<{ state: [event: GroupStateEvent] }> {
  readonly name: string;
  readonly members: readonly BlockControl[];
  readonly leader: BlockControl;
  readonly track: TrackOptions;
  private readonly presetFile: PresetFile | undefined;
  private readonly arriveTimeoutMs: number;
  private stateValue: GroupState = 'ok';
  private reasonValue = 'created';
  private tracker: TrackerState = initialTrackerState();
  private following = false;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by follow(): a poll still in flight from an earlier follow(true) ends quietly. */
  private generation = 0;
  private presetStore: Promise<PresetStore> | undefined;

  constructor(options: SyncGroupOptions) {
    super();
    if (typeof options.name !== 'string' || options.name.trim() === '') throw new InvalidArgumentError('group name', options.name, 'a non-empty name');
    this.name = options.name;
    const members = options.members;
    if (!Array.isArray(members) || members.length === 0 || members.length > MAX_MEMBERS) {
      throw new InvalidArgumentError(`members of group ${this.name}`, Array.isArray(members) ? members.length : members, `a list of 1–${MAX_MEMBERS} blocks`);
    }
    const names = members.map((m) => m.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new InvalidArgumentError(`members of group ${this.name}`, twice, 'each block once', `${twice} is listed twice`);
    this.members = Object.freeze([...members]);
    const leaderName = options.leader ?? names[0]!;
    const leader = members.find((m) => m.name === leaderName);
    if (!leader) throw new InvalidArgumentError(`leader of group ${this.name}`, leaderName, `one of its members (${names.join(', ')})`);
    this.leader = leader;
    this.track = resolveTrackOptions(options.track);
    this.presetFile = options.presets;
    const timeout = options.arriveTimeoutMs ?? 10_000;
    if (!(typeof timeout === 'number' && timeout > 0 && Number.isFinite(timeout))) throw new InvalidArgumentError('arriveTimeoutMs', timeout, 'milliseconds, more than 0');
    this.arriveTimeoutMs = timeout;
  }

  get state(): GroupState {
    return this.stateValue;
  }

  get reason(): string {
    return this.reasonValue;
  }

  get followers(): BlockControl[] {
    return this.members.filter((m) => m !== this.leader);
  }

  // ---- group commands: every member in one synchronous loop --------------------------------

  /** Continuous motion on every member. */
  move(command: Omit<MoveCommand, 'kind'>): Promise<GroupReport> {
    return this.command('move', true, (m) => m.move(command));
  }

  /** Stops every member (also ends a group move; does not switch following off). */
  stop(): Promise<GroupReport> {
    return this.command('stop', false, (m) => m.stop());
  }

  /**
   * Absolute zoom: `{ raw }` sends the same raw value to everyone; `{ magnification }` sends each
   * member the raw position that gives it on that member. Refused before anything is sent when
   * any member cannot reach it (the error names the member and its range).
   */
  zoomTo(target: ZoomTarget): Promise<GroupReport> {
    let plan: Map<string, number>;
    try {
      plan = new Map(planZoom(this.members, target).map((s) => [s.block, s.raw]));
    } catch (error) {
      return Promise.reject(error);
    }
    const label = 'raw' in target ? `zoom to raw ${target.raw}` : `zoom to ${target.magnification}x`;
    return this.command(label, true, (m) => m.zoomTo(plan.get(m.name)!));
  }

  /** A camera preset (PELCO preset number) on every member. */
  gotoPreset(preset: number): Promise<GroupReport> {
    return this.command(`preset ${preset}`, true, (m) => m.gotoPreset(preset));
  }

  // ---- group presets ----------------------------------------------------------------------

  /** Stores every member's current zoom position under `name` (and writes the state file). */
  async savePreset(name: string): Promise<MemberPositions> {
    checkPresetName(name);
    const readings = await Promise.all(this.members.map((m) => m.readZoom()));
    const positions = Object.fromEntries(this.members.map((m, i) => [m.name, readings[i]!.value]));
    const store = await this.store();
    store.set(this.name, name, positions);
    if (this.presetFile) await this.presetFile.save(store);
    return positions;
  }

  async presetNames(): Promise<string[]> {
    return (await this.store()).names(this.name);
  }

  /**
   * Moves every member to its stored position together and resolves once each has arrived
   * (its readZoom within the deadband), or after the timeout with `late` naming who had not.
   */
  async recallPreset(name: string, options: { timeoutMs?: number } = {}): Promise<RecallReport> {
    checkPresetName(name);
    const stored = (await this.store()).get(this.name, name);
    if (!stored) {
      const known = (await this.presetNames()).join(', ') || 'none saved yet';
      throw new InvalidArgumentError(`preset of group ${this.name}`, name, `a saved preset (${known})`);
    }
    const missing = this.members.filter((m) => stored[m.name] === undefined).map((m) => m.name);
    if (missing.length > 0) {
      throw new InvalidArgumentError(`preset ${name} of group ${this.name}`, name, `a position for every member`, `no position stored for ${missing.join(', ')}; save it again`);
    }
    const timeoutMs = options.timeoutMs ?? this.arriveTimeoutMs;
    const report = await this.command(`recall ${name}`, true, (m) => m.zoomTo(stored[m.name]!));
    const late = await this.waitArrival(new Map(this.members.map((m) => [m, stored[m.name]!])), timeoutMs);
    if (late.length === 0) this.setState('settled', `preset ${name}: every member arrived`);
    else this.setState('degraded', `preset ${name}: ${late.map((l) => l.block).join(', ')} did not arrive within ${timeoutMs} ms`);
    return { ...report, preset: name, arrived: late.length === 0, late };
  }

  // ---- leader / follower -------------------------------------------------------------------

  /** Followers track the leader's zoom (on) or stop tracking (off; they stay where they are). */
  follow(on: boolean): void {
    if (on === this.following) return;
    this.following = on;
    this.generation++;
    if (on) {
      this.tracker = initialTrackerState();
      this.scheduleTick(0);
    } else {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.stateValue === 'moving' || this.stateValue === 'degraded') this.setState('ok', 'following switched off');
    }
  }

  get isFollowing(): boolean {
    return this.following;
  }

  /** Ends following. Does not stop the members: call stop() for that. */
  close(): void {
    this.follow(false);
  }

  private scheduleTick(delayMs: number): void {
    const generation = this.generation;
    this.timer = setTimeout(() => void this.tick(generation), delayMs);
  }

  private async tick(generation: number): Promise<void> {
    const started = performance.now();
    const input = await this.readForTracking();
    if (generation !== this.generation) return;
    const followers = this.followerMaps();
    const step = trackStep(this.tracker, input, followers, this.track);
    this.tracker = step.state;
    const failure = this.apply(step.actions);
    if (failure) {
      // A follower that refused its target: stop them all, and let the next poll start over.
      this.tracker = trackStep(this.tracker, { failure, source: 'follower' }, followers, this.track).state;
      for (const f of this.followers) void f.stop().catch(() => {});
    }
    this.reportTracking();
    // Fixed cadence: the next poll is due one period after this one started.
    if (generation === this.generation) this.scheduleTick(Math.max(0, 1000 / this.track.hz - (performance.now() - started)));
  }

  private async readForTracking(): Promise<TrackInput> {
    let leader: number;
    try {
      leader = (await this.leader.readZoom()).value;
    } catch (error) {
      return { failure: `leader ${this.leader.name} does not answer: ${messageOf(error)}`, source: 'leader' };
    }
    if (!wantsFollowerPositions(this.tracker)) return { leader };
    const followers = this.followers;
    const readings = await Promise.allSettled(followers.map((f) => f.readZoom()));
    const positions = new Map<string, number>();
    for (const [i, r] of readings.entries()) {
      if (r.status === 'rejected') return { failure: `follower ${followers[i]!.name} does not answer: ${messageOf(r.reason)}`, source: 'follower' };
      positions.set(followers[i]!.name, r.value.value);
    }
    return { leader, followers: positions };
  }

  /** Carries out the tracker's actions, every follower in one loop (one wire burst, see fan-out.ts); returns a failure reason, if any. */
  private apply(actions: readonly TrackAction[]): string | undefined {
    return asOneBurst(() => this.applyEach(actions));
  }

  private applyEach(actions: readonly TrackAction[]): string | undefined {
    let failure: string | undefined;
    for (const action of actions) {
      const block = this.members.find((m) => m.name === action.block)!;
      try {
        const sent = action.kind === 'stop' ? block.stop() : block.zoomTo(action.raw);
        sent.catch((error: unknown) => {
          if (action.kind === 'stop' || !this.following) return;
          this.tracker = trackStep(this.tracker, { failure: `follower ${block.name} refused its target: ${messageOf(error)}`, source: 'follower' }, this.followerMaps(), this.track).state;
          for (const f of this.followers) void f.stop().catch(() => {});
          this.reportTracking();
        });
      } catch (error) {
        failure ??= `follower ${block.name} refused its target: ${messageOf(error)}`;
      }
    }
    return failure;
  }

  private followerMaps(): Follower[] {
    return this.followers.map((f) => ({ name: f.name, rawFor: (leaderRaw: number) => followerRaw(this.leader, f, leaderRaw) }));
  }

  private reportTracking(): void {
    const t = this.tracker;
    switch (t.phase) {
      case 'idle':
        return;
      case 'tracking':
        return this.setState('moving', `followers tracking leader ${this.leader.name}`);
      case 'converging':
        return this.setState('moving', `leader ${this.leader.name} stopped; followers converging`);
      case 'settled':
        return this.setState('settled', t.reason ?? 'settled');
      case 'degraded':
        return this.setState('degraded', t.reason ?? 'degraded');
    }
  }

  // ---- shared ------------------------------------------------------------------------------

  private async command(label: string, moves: boolean, send: (member: BlockControl) => Promise<CommandReport>): Promise<GroupReport> {
    const result = await fanOut(this.members, send);
    if (result.failures.length > 0) {
      // A rig half in motion is worse than a rig at rest: stop everyone who took a motion command.
      if (moves) for (const m of this.members) void m.stop().catch(() => {});
      this.setState('degraded', `${label}: ${describeFailures(result.failures)}`);
      throw result.failures[0]!.error;
    }
    if (label === 'stop') this.setState('ok', 'stopped');
    else if (moves) this.setState('moving', label);
    return { command: label, members: result.reports, skewMs: result.skewMs };
  }

  /** Polls each member's readZoom until it is within the deadband of its target; returns who was not by the deadline. */
  private async waitArrival(targets: Map<BlockControl, number>, timeoutMs: number): Promise<RecallReport['late']> {
    const deadline = performance.now() + timeoutMs;
    const last = new Map<BlockControl, number | undefined>();
    const waiting = new Set(targets.keys());
    const period = 1000 / this.track.hz;
    while (waiting.size > 0) {
      const members = [...waiting];
      const readings = await Promise.allSettled(members.map((m) => m.readZoom()));
      readings.forEach((r, i) => {
        const m = members[i]!;
        if (r.status !== 'fulfilled') return;
        last.set(m, r.value.value);
        if (Math.abs(r.value.value - targets.get(m)!) <= this.track.deadband) waiting.delete(m);
      });
      if (waiting.size === 0 || performance.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(period, Math.max(0, deadline - performance.now()))));
    }
    return [...waiting].map((m) => ({ block: m.name, target: targets.get(m)!, position: last.get(m) }));
  }

  private store(): Promise<PresetStore> {
    this.presetStore ??= this.presetFile ? this.presetFile.load() : Promise.resolve(new PresetStore());
    // A file that failed to load is tried again next time (it may have been fixed).
    this.presetStore.catch(() => (this.presetStore = undefined));
    return this.presetStore;
  }

  private setState(state: GroupState, reason: string): void {
    if (state === this.stateValue && reason === this.reasonValue) return;
    const changed = state !== this.stateValue;
    this.stateValue = state;
    this.reasonValue = reason;
    // Reason-only changes inside one state (e.g. tracking -> converging) are not news.
    if (changed || state === 'degraded') this.emit('state', { group: this.name, state, reason });
  }
}

function describeFailures(failures: readonly MemberFailure[]): string {
  return failures.map((f) => `${f.block}: ${messageOf(f.error)}`).join('; ');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
