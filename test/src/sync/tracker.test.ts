import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../protocols/errors.js';
import { type Follower, initialTrackerState, resolveTrackOptions, type TrackerState, type TrackInput, trackStep, wantsFollowerPositions } from '../../../src/sync/tracker.js';

const options = resolveTrackOptions({ hz: 20, deadband: 2, stillPolls: 3 });
// Follower b shows the leader's picture at twice its raw value; c at the same raw.
const followers: Follower[] = [
  { name: 'b', rawFor: (raw) => 2 * raw },
  { name: 'c', rawFor: (raw) => raw },
];

function run(inputs: TrackInput[], state: TrackerState = initialTrackerState()) {
  const steps = [];
  for (const input of inputs) {
    const step = trackStep(state, input, followers, options);
    steps.push(step);
    state = step.state;
  }
  return { steps, state };
}

describe('resolveTrackOptions', () => {
  it('defaults to 20 Hz, deadband 2, 3 still polls, and refuses nonsense per field', () => {
    expect(resolveTrackOptions()).toEqual({ hz: 20, deadband: 2, stillPolls: 3 });
    expect(() => resolveTrackOptions({ hz: 0 })).toThrow(InvalidArgumentError);
    expect(() => resolveTrackOptions({ deadband: -1 })).toThrow(/track.deadband/);
    expect(() => resolveTrackOptions({ stillPolls: 1.5 })).toThrow(/track.stillPolls/);
  });
});

describe('trackStep', () => {
  it('sends every follower its mapped target on the first reading', () => {
    const { steps } = run([{ leader: 100 }]);
    expect(steps[0]!.actions).toEqual([
      { kind: 'zoomTo', block: 'b', raw: 200 },
      { kind: 'zoomTo', block: 'c', raw: 100 },
    ]);
    expect(steps[0]!.state.phase).toBe('tracking');
  });

  it('sends a new target only when it drifts past the deadband from the last one sent', () => {
    const { steps } = run([{ leader: 100 }, { leader: 101 }, { leader: 103 }]);
    expect(steps[1]!.actions).toEqual([]); // b: 202 vs 200 and c: 101 vs 100 are within 2
    expect(steps[2]!.actions).toEqual([
      { kind: 'zoomTo', block: 'b', raw: 206 },
      { kind: 'zoomTo', block: 'c', raw: 103 },
    ]);
  });

  it('after stillPolls unchanged readings sends exact targets, asks for follower positions, and settles when they are within the deadband', () => {
    const { steps, state } = run([{ leader: 100 }, { leader: 101 }, { leader: 101 }, { leader: 101 }, { leader: 101 }]);
    expect(steps[3]!.state.phase).toBe('tracking'); // two unchanged polls are not yet three
    const converge = steps[4]!;
    expect(converge.state.phase).toBe('converging');
    expect(converge.actions).toEqual([
      { kind: 'zoomTo', block: 'b', raw: 202 },
      { kind: 'zoomTo', block: 'c', raw: 101 },
    ]);
    expect(wantsFollowerPositions(state)).toBe(true);
    const notYet = trackStep(state, { leader: 101, followers: new Map([['b', 150], ['c', 101]]) }, followers, options);
    expect(notYet.state.phase).toBe('converging');
    const done = trackStep(notYet.state, { leader: 101, followers: new Map([['b', 201], ['c', 102]]) }, followers, options);
    expect(done.state.phase).toBe('settled');
    expect(done.actions).toEqual([]);
  });

  it('sends a follower that has not arrived after stillPolls checks its target again', () => {
    let { state } = run([{ leader: 50 }, { leader: 50 }, { leader: 50 }, { leader: 50 }]);
    const stuck = new Map([['b', 0], ['c', 50]]);
    const resent: string[] = [];
    for (let i = 0; i < 3; i++) {
      const step = trackStep(state, { leader: 50, followers: stuck }, followers, options);
      resent.push(...step.actions.map((a) => a.block));
      state = step.state;
    }
    expect(resent).toEqual(['b']);
  });

  it('goes back to tracking when the settled leader moves again', () => {
    let { state } = run([{ leader: 10 }, { leader: 10 }, { leader: 10 }, { leader: 10 }]);
    state = trackStep(state, { leader: 10, followers: new Map([['b', 20], ['c', 10]]) }, followers, options).state;
    expect(state.phase).toBe('settled');
    const step = trackStep(state, { leader: 40 }, followers, options);
    expect(step.state.phase).toBe('tracking');
    expect(step.actions.map((a) => a.block)).toEqual(['b', 'c']);
  });

  it('stops every follower once when the leader goes silent, and starts over with fresh targets when it answers', () => {
    const { steps, state } = run([{ leader: 100 }, { failure: 'leader a does not answer', source: 'leader' }, { failure: 'leader a does not answer', source: 'leader' }]);
    expect(steps[1]!.actions).toEqual([
      { kind: 'stop', block: 'b' },
      { kind: 'stop', block: 'c' },
    ]);
    expect(steps[1]!.state).toMatchObject({ phase: 'degraded', reason: 'leader a does not answer', fault: 'leader' });
    expect(steps[2]!.actions).toEqual([]);
    const back = trackStep(state, { leader: 100 }, followers, options);
    expect(back.state.phase).toBe('tracking');
    expect(back.actions).toEqual([
      { kind: 'zoomTo', block: 'b', raw: 200 },
      { kind: 'zoomTo', block: 'c', raw: 100 },
    ]);
  });

  it('after a follower went silent stays degraded until follower positions come back', () => {
    const degraded = trackStep(initialTrackerState(), { failure: 'follower b does not answer', source: 'follower' }, followers, options).state;
    expect(wantsFollowerPositions(degraded)).toBe(true);
    expect(trackStep(degraded, { leader: 5 }, followers, options).state.phase).toBe('degraded');
    expect(trackStep(degraded, { leader: 5, followers: new Map([['b', 0], ['c', 0]]) }, followers, options).state.phase).toBe('tracking');
  });
});
