/**
 * SyncGroup against blocks that drive real simulated lenses (LensBackedBlock, a stand-in for
 * ZoomBlock until it is merged: then these run over ptys against real ZoomBlocks).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../protocols/errors.js';
import { PresetFile } from '../../../src/sync/preset-file.js';
import { type GroupStateEvent, SyncGroup } from '../../../src/sync/sync-group.js';
import { LensBackedBlock, nextState } from './support/lens-backed-block.js';

const LINEAR = [[0, 1], [1000, 10]] as const;
const BENT = [[0, 1], [400, 3], [1000, 20]] as const;
const SHORT = [[0, 1], [1000, 5]] as const;
const still = { panSpeed: 0, tiltSpeed: 0 };

async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const groups: SyncGroup[] = [];
function group(...args: ConstructorParameters<typeof SyncGroup>): SyncGroup {
  const g = new SyncGroup(...args);
  groups.push(g);
  return g;
}
afterEach(() => {
  for (const g of groups.splice(0)) g.close();
});

describe('SyncGroup construction', () => {
  it('refuses an empty group, a member listed twice and a leader that is not a member', () => {
    const a = new LensBackedBlock({ name: 'a' });
    expect(() => new SyncGroup({ name: 'g', members: [] })).toThrow(InvalidArgumentError);
    expect(() => new SyncGroup({ name: 'g', members: [a, a] })).toThrow(/listed twice/);
    expect(() => new SyncGroup({ name: 'g', members: [a], leader: 'zz' })).toThrow(/leader of group g/);
    expect(() => new SyncGroup({ name: 'g', members: [a], track: { hz: -1 } })).toThrow(/track.hz/);
  });
});

describe('SyncGroup fan-out', () => {
  it('reaches every member with a move and a stop, and reports the skew from their sentAt', async () => {
    const members = ['a', 'b', 'c'].map((name) => new LensBackedBlock({ name, initialZoom: 500 }));
    const g = group({ name: 'rig', members });
    const report = await g.move({ ...still, zoom: 'tele' });
    expect(report.members.map((r) => r.block)).toEqual(['a', 'b', 'c']);
    const times = members.map((m) => m.log[0]!.at);
    expect(report.skewMs).toBe(Math.max(...times) - Math.min(...times));
    expect(members.every((m) => m.lens.moving)).toBe(true);
    expect(g.state).toBe('moving');
    await g.stop();
    expect(members.every((m) => !m.lens.moving)).toBe(true);
    expect(g.state).toBe('ok');
  });

  it('stops every member and reports degraded naming the member when one refuses a motion command', async () => {
    const members = ['a', 'b'].map((name) => new LensBackedBlock({ name, initialZoom: 500 }));
    members[1]!.faults.lineDown = true;
    const g = group({ name: 'rig', members });
    const degraded = nextState<GroupStateEvent>(g, (e) => e.state === 'degraded');
    await expect(g.move({ ...still, zoom: 'wide' })).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    expect((await degraded).reason).toMatch(/^move: b: /);
    expect(members[0]!.log.map((l) => l.kind)).toEqual(['move', 'stop']);
    expect(members[0]!.lens.moving).toBe(false);
  });
});

describe('SyncGroup calibration', () => {
  it('zoomTo a magnification gives the same picture scale on different lens tables', async () => {
    const members = [new LensBackedBlock({ name: 'linear', optics: LINEAR }), new LensBackedBlock({ name: 'bent', optics: BENT })];
    const g = group({ name: 'rig', members });
    const report = await g.zoomTo({ magnification: 4 });
    expect(report.members.map((r) => r.value)).toEqual([333, 435]);
    await until(() => members.every((m) => !m.lens.moving), 'lenses to arrive');
    for (const m of members) expect(m.magnification).toBeCloseTo(4, 1);
  });

  it('zoomTo a raw value sends the same raw value to every member', async () => {
    const members = [new LensBackedBlock({ name: 'linear', optics: LINEAR }), new LensBackedBlock({ name: 'bent', optics: BENT })];
    const report = await group({ name: 'rig', members }).zoomTo({ raw: 500 });
    expect(report.members.map((r) => r.value)).toEqual([500, 500]);
  });

  it('refuses a magnification outside one member table before anything is sent, naming the member and its range', async () => {
    const members = [new LensBackedBlock({ name: 'long', optics: LINEAR }), new LensBackedBlock({ name: 'short', optics: SHORT })];
    const error = await group({ name: 'rig', members }).zoomTo({ magnification: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toContain('short');
    expect((error as InvalidArgumentError).range).toContain('1–5x');
    expect(members.map((m) => m.log.length)).toEqual([0, 0]);
  });
});

describe('SyncGroup leader / follower', () => {
  it('followers track the leader through calibration and the group reports settled once they converge after it stops', async () => {
    const leader = new LensBackedBlock({ name: 'lead', optics: LINEAR, travelMs: 1500 });
    const follower = new LensBackedBlock({ name: 'follow', optics: BENT, travelMs: 600 });
    const g = group({ name: 'rig', members: [leader, follower], track: { hz: 50, deadband: 2, stillPolls: 3 } });
    g.follow(true);
    await leader.move({ ...still, zoom: 'tele' });
    await until(() => leader.lens.zoom >= 400, 'leader to zoom in');
    // Followers are sent targets while the leader is still moving, not only once it stops.
    expect(follower.log.filter((l) => l.kind === 'zoomTo').length).toBeGreaterThan(1);
    const settled = nextState<GroupStateEvent>(g, (e) => e.state === 'settled');
    await leader.stop();
    await settled;
    expect(Math.abs(follower.magnification - leader.magnification)).toBeLessThan(0.1);
  });

  it('a silent leader stops the followers and degrades the group with the reason; it recovers when the leader answers', async () => {
    const leader = new LensBackedBlock({ name: 'lead', travelMs: 3000 });
    const follower = new LensBackedBlock({ name: 'follow', travelMs: 3000 });
    const g = group({ name: 'rig', members: [leader, follower], track: { hz: 50 } });
    const moving = nextState<GroupStateEvent>(g, (e) => e.state === 'moving');
    g.follow(true);
    await leader.move({ ...still, zoom: 'tele' });
    await moving;
    await until(() => follower.lens.moving, 'follower to move');
    const degraded = nextState<GroupStateEvent>(g, (e) => e.state === 'degraded');
    leader.faults.silent = true;
    const event = await degraded;
    expect(event.reason).toMatch(/leader lead does not answer/);
    expect(follower.log.at(-1)!.kind).toBe('stop');
    expect(follower.lens.moving).toBe(false);
    const recovered = nextState<GroupStateEvent>(g, (e) => e.state !== 'degraded');
    leader.faults.silent = false;
    expect((await recovered).state).toMatch(/moving|settled/);
    await until(() => follower.lens.moving, 'follower to track again');
    await leader.stop();
  });

  it('follow(false) ends the polling: the leader is no longer read', async () => {
    const leader = new LensBackedBlock({ name: 'lead' });
    const follower = new LensBackedBlock({ name: 'follow' });
    const g = group({ name: 'rig', members: [leader, follower], track: { hz: 100 } });
    const settled = nextState<GroupStateEvent>(g, (e) => e.state === 'settled');
    g.follow(true);
    await settled;
    g.follow(false);
    const sent = follower.log.length;
    await leader.zoomTo(800);
    await until(() => !leader.lens.moving, 'leader to arrive');
    expect(follower.log.length).toBe(sent);
  });
});

describe('SyncGroup presets', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('saves every member position to the state file and recall brings all of them back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-group-'));
    const path = join(dir, 'rig.state.json');
    const members = [new LensBackedBlock({ name: 'a', initialZoom: 200 }), new LensBackedBlock({ name: 'b', initialZoom: 700 })];
    const g = group({ name: 'stage', members, presets: new PresetFile(path) });
    expect(await g.savePreset('opening')).toEqual({ a: 200, b: 700 });
    expect(JSON.parse(await readFile(path, 'utf8')).groups.stage.opening).toEqual({ a: 200, b: 700 });
    await g.zoomTo({ raw: 0 });
    // A fresh group on the same file: the preset came from disk.
    const again = group({ name: 'stage', members, presets: new PresetFile(path) });
    const report = await again.recallPreset('opening');
    expect(report.arrived).toBe(true);
    expect(report.late).toEqual([]);
    expect(members.map((m) => m.lens.zoom)).toEqual([200, 700]);
    expect(again.state).toBe('settled');
  });

  it('recall reports by name the member that did not arrive within the timeout', async () => {
    const members = ['a', 'b', 'c'].map((name) => new LensBackedBlock({ name, initialZoom: 600 }));
    const g = group({ name: 'stage', members });
    await g.savePreset('tight');
    await g.zoomTo({ raw: 100 });
    await until(() => members.every((m) => !m.lens.moving), 'lenses to arrive');
    members[2]!.faults.stuck = true;
    const degraded = nextState<GroupStateEvent>(g, (e) => e.state === 'degraded');
    const report = await g.recallPreset('tight', { timeoutMs: 800 });
    expect(report.arrived).toBe(false);
    expect(report.late).toEqual([{ block: 'c', target: 600, position: 100 }]);
    expect((await degraded).reason).toMatch(/c did not arrive/);
  });

  it('refuses to recall a preset that was never saved, listing the saved ones', async () => {
    const g = group({ name: 'stage', members: [new LensBackedBlock({ name: 'a' })] });
    await g.savePreset('wide');
    await expect(g.recallPreset('nope')).rejects.toThrow(/a saved preset \(wide\)/);
  });
});
