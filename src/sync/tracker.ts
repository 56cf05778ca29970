/**
 * The leader/follower controller as a pure step function: one leader reading (or the reason
 * there is none) in, the commands for the followers and the next state out. SyncGroup runs it
 * on a timer; tests run it directly.
 *
 *   tracking    the leader is moving: a follower gets a new absolute target whenever its
 *               target has drifted more than `deadband` from the one it was last sent
 *   converging  the leader has not changed for `stillPolls` polls: followers get their exact
 *               target and their positions are read until all are within the deadband
 *   settled     they are; stays so until the leader moves again
 *   degraded    the leader (or a follower) did not answer: followers were stopped once, and
 *               the next good reading starts over (targets sent afresh: nobody knows where a
 *               stopped follower ended up)
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export interface TrackOptions {
  /** Leader polls per second. */
  hz: number;
  /** Raw zoom units a follower may be off before it gets a new target. */
  deadband: number;
  /** Polls with an unchanged leader position after which the leader counts as stopped. */
  stillPolls: number;
}

export const DEFAULT_TRACK: TrackOptions = { hz: 20, deadband: 2, stillPolls: 3 };

export function resolveTrackOptions(options: Partial<TrackOptions> = {}): TrackOptions {
  const hz = options.hz ?? DEFAULT_TRACK.hz;
  const deadband = options.deadband ?? DEFAULT_TRACK.deadband;
  const stillPolls = options.stillPolls ?? DEFAULT_TRACK.stillPolls;
  if (typeof hz !== 'number' || !(hz > 0 && hz <= 200)) throw new InvalidArgumentError('track.hz', hz, 'polls per second, more than 0 and at most 200');
  if (typeof deadband !== 'number' || !(deadband >= 0 && Number.isFinite(deadband))) throw new InvalidArgumentError('track.deadband', deadband, 'raw zoom units, 0 or more');
  if (!Number.isInteger(stillPolls) || stillPolls < 1) throw new InvalidArgumentError('track.stillPolls', stillPolls, 'a whole number of polls, 1 or more');
  return { hz, deadband, stillPolls };
}

export type TrackPhase = 'idle' | 'tracking' | 'converging' | 'settled' | 'degraded';

export interface TrackerState {
  phase: TrackPhase;
  /** The last leader position read. */
  leader: number | undefined;
  /** Consecutive polls the leader position has not changed. */
  still: number;
  /** Last raw target sent to each follower. */
  sent: ReadonlyMap<string, number>;
  /** Polls spent converging (a follower still off after stillPolls of them is sent its target again). */
  convergingPolls: number;
  /** Why the phase is what it is (set for degraded and settled). */
  reason: string | undefined;
  /** In degraded: whose silence caused it, so only their answer clears it. */
  fault: 'leader' | 'follower' | undefined;
}

export interface Follower {
  name: string;
  /** The follower's raw target for a leader raw position (calibration applied). */
  rawFor(leaderRaw: number): number;
}

export type TrackInput =
  | { leader: number; followers?: ReadonlyMap<string, number> }
  | { failure: string; source: 'leader' | 'follower' };

export type TrackAction = { kind: 'zoomTo'; block: string; raw: number } | { kind: 'stop'; block: string };

export interface TrackStep {
  state: TrackerState;
  actions: TrackAction[];
}

export function initialTrackerState(): TrackerState {
  return { phase: 'idle', leader: undefined, still: 0, sent: new Map(), convergingPolls: 0, reason: undefined, fault: undefined };
}

/** Whether the next step wants the followers' positions read too. */
export function wantsFollowerPositions(state: TrackerState): boolean {
  return state.phase === 'converging' || (state.phase === 'degraded' && state.fault === 'follower');
}

export function trackStep(state: TrackerState, input: TrackInput, followers: readonly Follower[], options: TrackOptions): TrackStep {
  if ('failure' in input) {
    // Stop once on entering degraded (not on every failed poll: the bus has better uses).
    const actions: TrackAction[] = state.phase === 'degraded' ? [] : followers.map((f) => ({ kind: 'stop', block: f.name }));
    return { state: { ...initialTrackerState(), phase: 'degraded', reason: input.failure, fault: input.source }, actions };
  }
  if (state.phase === 'degraded' && state.fault === 'follower' && !input.followers) return { state, actions: [] };

  const leader = input.leader;
  const still = state.leader === leader ? state.still + 1 : 0;
  const leaderMoving = still < options.stillPolls;
  const targets = followers.map((f) => ({ name: f.name, raw: f.rawFor(leader) }));
  const sent = new Map(state.sent);
  const actions: TrackAction[] = [];
  const send = (name: string, raw: number) => {
    sent.set(name, raw);
    actions.push({ kind: 'zoomTo', block: name, raw });
  };

  if (leaderMoving) {
    for (const t of targets) {
      const last = sent.get(t.name);
      if (last === undefined || Math.abs(t.raw - last) > options.deadband) send(t.name, t.raw);
    }
    return { state: { ...state, phase: 'tracking', leader, still, sent, convergingPolls: 0, reason: undefined, fault: undefined }, actions };
  }

  if (state.phase === 'settled') return { state: { ...state, leader, still }, actions };

  // The leader has stopped: every follower gets its exact target once, then we watch them arrive.
  for (const t of targets) if (sent.get(t.name) !== t.raw) send(t.name, t.raw);
  const positions = input.followers;
  if (positions) {
    const off = targets.filter((t) => {
      const at = positions.get(t.name);
      return at === undefined || Math.abs(at - t.raw) > options.deadband;
    });
    if (off.length === 0) {
      return { state: { ...state, phase: 'settled', leader, still, sent, convergingPolls: 0, reason: 'followers within the deadband of the leader', fault: undefined }, actions };
    }
    const convergingPolls = state.convergingPolls + 1;
    // A follower that has not arrived after stillPolls checks may have lost its frame: send again.
    if (convergingPolls % options.stillPolls === 0) for (const t of off) if (!actions.some((a) => a.block === t.name)) send(t.name, t.raw);
    return { state: { ...state, phase: 'converging', leader, still, sent, convergingPolls, reason: undefined, fault: undefined }, actions };
  }
  return { state: { ...state, phase: 'converging', leader, still, sent, reason: undefined, fault: undefined }, actions };
}
