/**
 * SyncGroup over real ZoomBlocks (DeviceRegistry, LineRegistry, BusScheduler, SerialLine) on real
 * ptys to simulated SZ-G10 blocks whose lenses have different optics. What the group claims is
 * checked against what the simulators received and what their lenses did.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SentFrame } from '../../../hardware/serial/bus-scheduler.js';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import { frameTimeMs } from '../../../protocols/pelco/index.js';
import { InvalidArgumentError } from '../../../protocols/errors.js';
import { PresetFile } from '../../../src/sync/preset-file.js';
import { nextPath } from '../devices/block-rig.js';
import { type GroupReport, type GroupStateEvent, SyncGroup } from '../../../src/sync/sync-group.js';
import { BENT, frameHex, GroupRig, LINEAR, nextState, SHORT, type SimBlockSpec, type SimLineSpec, until } from './support/group-rig.js';

const still = { panSpeed: 0, tiltSpeed: 0 };
const tele = { ...still, zoom: 'tele' as const };

let rig: GroupRig | undefined;
const groups: SyncGroup[] = [];
afterEach(async () => {
  for (const g of groups.splice(0)) g.close();
  await rig?.close();
  rig = undefined;
});

async function openRig(lines: SimLineSpec[]): Promise<GroupRig> {
  rig = await GroupRig.open(lines);
  return rig;
}

/** One block per line, named after the block. */
function onOwnLines(blocks: SimBlockSpec[]): SimLineSpec[] {
  return blocks.map((b) => ({ name: `line-${b.name}`, blocks: [b] }));
}

function group(r: GroupRig, options: Omit<ConstructorParameters<typeof SyncGroup>[0], 'members'> & { members?: string[] }): SyncGroup {
  const members = options.members ? options.members.map((n) => r.block(n)) : r.blocks;
  const g = new SyncGroup({ ...options, members });
  groups.push(g);
  return g;
}

/** Every frame the schedulers hand to their lines, with the block's line. */
function recordSent(r: GroupRig): SentFrame[] {
  const sent: SentFrame[] = [];
  for (const handle of r.registry.lines.lines) handle.bus.on('sent', (frame) => sent.push(frame));
  return sent;
}


/** Waits until each member's simulated lens stands at the raw value the report says was sent. */
function lensesAt(r: GroupRig, report: GroupReport, what: string): Promise<void> {
  return until(() => report.members.every((m) => r.lens(m.block).zoom === m.value && !r.lens(m.block).moving), 3000, what);
}

describe('SyncGroup construction', () => {
  it('refuses an empty group, a member listed twice and a leader that is not a member', async () => {
    const r = await openRig(onOwnLines([{ name: 'a', address: 1 }]));
    const a = r.block('a');
    expect(() => new SyncGroup({ name: 'g', members: [] })).toThrow(InvalidArgumentError);
    expect(() => new SyncGroup({ name: 'g', members: [a, a] })).toThrow(/listed twice/);
    expect(() => new SyncGroup({ name: 'g', members: [a], leader: 'zz' })).toThrow(/leader of group g/);
    expect(() => new SyncGroup({ name: 'g', members: [a], track: { hz: -1 } })).toThrow(/track.hz/);
  });
});

describe('SyncGroup fan-out over ptys', () => {
  const four = ['c1', 'c2', 'c3', 'c4'];

  for (const wiring of ['4 blocks on 4 lines', '4 blocks sharing one bus'] as const) {
    it(`${wiring}: move and stop reach every simulator, and skewMs is the spread of the frames' wire start times (the scheduler's wireAt)`, async () => {
      const blocks = four.map((name, i) => ({ name, address: i + 1, initialZoom: 500 }));
      const r = await openRig(wiring === '4 blocks on 4 lines' ? onOwnLines(blocks) : [{ name: 'bus', blocks }]);
      const sent = recordSent(r);
      const g = group(r, { name: 'rig' });

      const report = await g.move(tele);
      expect(report.members.map((m) => [m.block, m.path])).toEqual(four.map((n) => [n, 'serial']));
      await until(() => four.every((n) => r.received(n).length === 1), 2000, 'every simulator to receive the move');
      four.forEach((n, i) => expect(r.received(n)).toEqual([frameHex({ kind: 'move', ...tele }, i + 1)]));
      const moveTimes = sent.filter((f) => f.command.kind === 'move').map((f) => f.wireAt);
      expect(moveTimes).toHaveLength(4);
      expect(report.members.map((m) => m.sentAt)).toEqual(expect.arrayContaining(moveTimes));
      expect(report.skewMs).toBe(Math.max(...moveTimes) - Math.min(...moveTimes));
      expect(four.every((n) => r.lens(n).moving)).toBe(true);
      expect(g.state).toBe('moving');

      const stopped = await g.stop();
      await until(() => four.every((n) => r.received(n).length === 2), 2000, 'every simulator to receive the stop');
      four.forEach((n, i) => expect(r.received(n)[1]).toBe(frameHex({ kind: 'stop' }, i + 1)));
      const stopTimes = sent.filter((f) => f.command.kind === 'stop').map((f) => f.wireAt);
      expect(stopped.skewMs).toBe(Math.max(...stopTimes) - Math.min(...stopTimes));
      expect(four.some((n) => r.lens(n).moving)).toBe(false);
      expect(g.state).toBe('ok');
    });
  }

  it('a group zoomTo to 4 members sharing one bus puts their 4 frames on the wire with no gap: wire ends exactly one frame time apart', async () => {
    const r = await openRig([{ name: 'bus', blocks: four.map((name, i) => ({ name, address: i + 1, initialZoom: 500 })) }]);
    const g = group(r, { name: 'rig' });
    const sim = r.lineOf('c1').sim;
    const arriving = new Promise<ReceivedFrame[]>((resolve) => {
      const frames: ReceivedFrame[] = [];
      sim.on('frame', (f) => f.command.kind === 'set-zoom' && frames.push(f) === 4 && resolve(frames));
    });
    const report = await g.zoomTo({ raw: 300 });
    const frames = await arriving;
    expect(frames.map((f) => f.hex)).toEqual(four.map((_, i) => frameHex({ kind: 'set-zoom', position: 300 }, i + 1)));
    frames.slice(1).forEach((f, i) => expect(f.wireEndAt - frames[i]!.wireEndAt).toBeCloseTo(frameTimeMs('D', 9600), 9));
    // handed to the line together, in one write: on the wire they start one frame time apart
    expect(report.skewMs).toBeCloseTo(3 * frameTimeMs('D', 9600), 9);
  });

  it('when one member refuses a motion command, the others are stopped and the group is degraded naming it', async () => {
    const r = await openRig(onOwnLines([{ name: 'a', address: 1, initialZoom: 500 }, { name: 'b', address: 1, initialZoom: 500 }]));
    const offline = new Promise<void>((resolve) => r.block('b').once('online', (o) => !o && resolve()));
    await r.unplug('line-b'); // b has no HTTP side: its moves are refused
    await offline;
    const g = group(r, { name: 'rig' });
    const degraded = nextState<GroupStateEvent>(g, (e) => e.state === 'degraded');
    await expect(g.move({ ...still, zoom: 'wide' })).rejects.toMatchObject({ code: 'ZS_LINE_CLOSED' });
    expect((await degraded).reason).toMatch(/^move: b: /);
    await until(() => r.received('a').length === 2, 2000, 'a to receive the move and the stop');
    expect(r.received('a')[1]).toBe(frameHex({ kind: 'stop' }, 1));
    expect(r.lens('a').moving).toBe(false);
  });
});

describe('SyncGroup calibration over ptys', () => {
  it('zoomTo a magnification gives the same picture scale on lenses with different optics', async () => {
    const r = await openRig(
      onOwnLines([
        { name: 'linear', address: 1, optics: LINEAR },
        { name: 'bent', address: 1, optics: BENT },
        { name: 'short', address: 1, optics: SHORT },
      ]),
    );
    const report = await group(r, { name: 'rig' }).zoomTo({ magnification: 4 });
    expect(report.members.map((m) => m.value)).toEqual([333, 435, 750]);
    await lensesAt(r, report, 'the lenses to arrive');
    for (const name of ['linear', 'bent', 'short']) expect(r.lens(name).magnification).toBeCloseTo(4, 1);
  });

  it('refuses a magnification outside one member table before any frame is sent, naming the member and its range', async () => {
    const r = await openRig(onOwnLines([{ name: 'long', address: 1, optics: LINEAR }, { name: 'short', address: 1, optics: SHORT }]));
    const sent = recordSent(r);
    const error = await group(r, { name: 'rig' }).zoomTo({ magnification: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).field).toContain('short');
    expect((error as InvalidArgumentError).range).toContain('1–5x');
    expect(sent).toEqual([]);
  });
});

describe('SyncGroup leader / follower over ptys', () => {
  it('followers track the leader through calibration while it moves and the group settles once they converge after it stops', async () => {
    const r = await openRig(
      onOwnLines([
        { name: 'lead', address: 1, optics: LINEAR, travelMs: 1500 },
        { name: 'follow', address: 1, optics: BENT, travelMs: 400 },
      ]),
    );
    const g = group(r, { name: 'rig', track: { hz: 50, deadband: 2, stillPolls: 3 } });
    const setZooms = () => r.lineOf('follow').sim.received.filter((f) => f.command.kind === 'set-zoom').length;
    g.follow(true);
    await r.block('lead').move(tele);
    await until(() => r.lens('lead').zoom >= 400, 3000, 'the leader to zoom in');
    // Targets go out while the leader is still moving, not only once it stops.
    expect(setZooms()).toBeGreaterThan(1);
    expect(r.lens('follow').zoom).toBeGreaterThan(0);
    const settled = nextState<GroupStateEvent>(g, (e) => e.state === 'settled');
    await r.block('lead').stop();
    await settled;
    expect(Math.abs(r.lens('follow').magnification - r.lens('lead').magnification)).toBeLessThan(0.1);
  });

  it("an unplugged leader stops the followers and degrades the group with the reason; it recovers by itself when the leader's line returns", async () => {
    const r = await openRig(
      onOwnLines([
        { name: 'lead', address: 1, travelMs: 3000 },
        { name: 'f1', address: 1, travelMs: 3000 },
        { name: 'f2', address: 1, travelMs: 3000, optics: BENT },
      ]),
    );
    const g = group(r, { name: 'rig', track: { hz: 50 } });
    const moving = nextState<GroupStateEvent>(g, (e) => e.state === 'moving');
    g.follow(true);
    await r.block('lead').move(tele);
    await moving;
    await until(() => r.lens('f1').moving && r.lens('f2').moving, 3000, 'the followers to move');

    const degraded = nextState<GroupStateEvent>(g, (e) => e.state === 'degraded');
    await r.unplug('line-lead');
    const event = await degraded;
    expect(event.reason).toMatch(/leader lead does not answer/);
    for (const [name, address] of [['f1', 1], ['f2', 1]] as const) {
      await until(() => r.received(name).at(-1) === frameHex({ kind: 'stop' }, address), 2000, `${name} to receive a stop`);
      expect(r.lens(name).moving).toBe(false);
    }

    const recovered = nextState<GroupStateEvent>(g, (e) => e.state !== 'degraded');
    const followerFrames = r.received('f1').length;
    await r.replug('line-lead');
    expect((await recovered).state).toMatch(/moving|settled/);
    await until(() => g.state === 'settled', 5000, 'the group to settle again');
    // Recovery sends the followers their targets afresh.
    expect(r.lineOf('f1').sim.received.slice(followerFrames).some((f) => f.command.kind === 'set-zoom')).toBe(true);
    expect(Math.abs(r.lens('f2').magnification - r.lens('lead').magnification)).toBeLessThan(0.1);
  });

  it('follow(false) ends the polling: the leader is no longer queried', async () => {
    const r = await openRig(onOwnLines([{ name: 'lead', address: 1 }, { name: 'follow', address: 1 }]));
    const g = group(r, { name: 'rig', track: { hz: 100 } });
    const settled = nextState<GroupStateEvent>(g, (e) => e.state === 'settled');
    g.follow(true);
    await settled;
    g.follow(false);
    const queries = () => r.lineOf('lead').sim.received.filter((f) => f.command.kind === 'query-zoom').length;
    const before = queries();
    const followerFrames = r.received('follow').length;
    await r.block('lead').zoomTo(800);
    await until(() => r.lens('lead').zoom === 800, 2000, 'the leader to arrive');
    await r.block('lead').readZoom(); // one query of our own, after which the count must not have grown otherwise
    expect(queries()).toBe(before + 1);
    expect(r.received('follow').length).toBe(followerFrames);
  });
});

describe('SyncGroup presets over ptys', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('saves every member position to the state file and recall brings all of them back', async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-group-'));
    const path = join(dir, 'rig.state.json');
    const r = await openRig([
      { name: 'bus', blocks: [{ name: 'a', address: 1, initialZoom: 200 }, { name: 'b', address: 2, initialZoom: 700 }] },
      { name: 'solo', blocks: [{ name: 'c', address: 1, initialZoom: 450, optics: BENT }] },
    ]);
    const g = group(r, { name: 'stage', presets: new PresetFile(path) });
    expect(await g.savePreset('opening')).toEqual({ a: 200, b: 700, c: 450 });
    expect(JSON.parse(await readFile(path, 'utf8')).groups.stage.opening).toEqual({ a: 200, b: 700, c: 450 });
    await lensesAt(r, await g.zoomTo({ raw: 0 }), 'the lenses at 0');
    // A fresh group on the same file: the preset comes from disk.
    const again = group(r, { name: 'stage', presets: new PresetFile(path) });
    const report = await again.recallPreset('opening');
    expect(report).toMatchObject({ arrived: true, late: [] }); // every member within the deadband
    expect(report.members.map((m) => [m.block, m.value])).toEqual([['a', 200], ['b', 700], ['c', 450]]);
    await lensesAt(r, report, 'the lenses at the stored positions'); // and then exactly there
    expect(again.state).toBe('settled');
  });

  it('recall names the member that never arrives (its soft limit now stops short of the stored position)', async () => {
    const r = await openRig(
      onOwnLines([
        { name: 'a', address: 1, initialZoom: 600 },
        { name: 'b', address: 1, initialZoom: 600 },
        { name: 'c', address: 1, initialZoom: 600, limits: { zoom: [0, 500] } },
      ]),
    );
    const g = group(r, { name: 'stage', track: { hz: 50 } });
    expect(await g.savePreset('tight')).toEqual({ a: 600, b: 600, c: 600 });
    await lensesAt(r, await g.zoomTo({ raw: 100 }), 'the lenses at 100');
    const degraded = nextState<GroupStateEvent>(g, (e) => e.state === 'degraded');
    const report = await g.recallPreset('tight', { timeoutMs: 800 });
    expect(report.arrived).toBe(false);
    expect(report.late).toEqual([{ block: 'c', target: 600, position: 500 }]);
    expect(report.members.find((m) => m.block === 'c')).toMatchObject({ value: 500, limited: expect.any(String) });
    expect((await degraded).reason).toMatch(/c did not arrive/);
    expect([r.lens('a').zoom, r.lens('b').zoom, r.lens('c').zoom]).toEqual([600, 600, 500]);
  });

  it('refuses to recall a preset that was never saved, listing the saved ones', async () => {
    const r = await openRig(onOwnLines([{ name: 'a', address: 1 }]));
    const g = group(r, { name: 'stage' });
    await g.savePreset('wide');
    await expect(g.recallPreset('nope')).rejects.toThrow(/a saved preset \(wide\)/);
  });
});

describe('SyncGroup with one serial line unplugged', () => {
  it('keeps zooming: the unplugged block goes over its HTTP face, the others over serial, every lens to the same magnification', async () => {
    const r = await openRig(
      onOwnLines([
        { name: 'a', address: 1, optics: LINEAR },
        { name: 'b', address: 1, optics: BENT },
        { name: 'c', address: 1, optics: SHORT, http: true },
      ]),
    );
    const g = group(r, { name: 'rig' });
    const onHttp = nextPath(r.block('c'), 'http');
    await r.unplug('line-c');
    await onHttp;

    const report = await g.zoomTo({ magnification: 3 });
    expect(report.members.map((m) => [m.block, m.path])).toEqual([
      ['a', 'serial'],
      ['b', 'serial'],
      ['c', 'http'],
    ]);
    expect(report.members[2]!.sentAt).toBeUndefined();
    expect(report.skewMs).toBe(Math.abs(report.members[0]!.sentAt! - report.members[1]!.sentAt!)); // http members have no sentAt
    await lensesAt(r, report, 'the lenses to arrive');
    for (const name of ['a', 'b', 'c']) expect(r.lens(name).magnification).toBeCloseTo(3, 1);
    expect(g.state).toBe('moving');

    // Tracking keeps going with the follower on HTTP.
    const settled = nextState<GroupStateEvent>(g, (e) => e.state === 'settled');
    g.follow(true);
    await r.block('a').zoomTo(900);
    await settled;
    expect(r.lens('c').magnification).toBeCloseTo(5, 1); // SHORT's end: clamped, not refused
    expect(r.lens('b').magnification).toBeCloseTo(r.lens('a').magnification, 1);
  });
});
