/** The control routes do what they say, seen at the simulated blocks and the camera. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRig, call, openApiRig, TOKENS } from './support/api-rig.js';
import { frameAfter, kindOf } from './support/frames.js';

describe('API control routes', () => {
  let rig: ApiRig;
  beforeAll(async () => {
    rig = await openApiRig();
  });
  afterAll(() => rig?.close());
  const op = (path: string, body?: unknown) => call(rig, 'POST', path, { token: TOKENS.op, body });

  it('GET /api/lines shows the port with its counters', async () => {
    const r = await call(rig, 'GET', '/api/lines', { token: TOKENS.read });
    expect(r.json.lines).toEqual([expect.objectContaining({ names: ['bus1'], open: true, counters: expect.objectContaining({ sent: expect.any(Number), checksumErrors: 0 }) })]);
  });

  it('absolute positions put set-zoom and set-pan on the wire and read back', async () => {
    const from = rig.sim.received.length;
    const r = await op('/api/blocks/right/position', { zoom: 400, pan: 9000 });
    expect(r.status, r.text).toBe(200);
    expect(r.json.zoom).toMatchObject({ block: 'right', path: 'serial', value: 400 });
    await Promise.all([frameAfter(rig.sim, from, kindOf(2, 'set-zoom')), frameAfter(rig.sim, from, kindOf(2, 'set-pan'))]);
    const read = await call(rig, 'GET', '/api/blocks/right/position?axes=zoom,pan', { token: TOKENS.read });
    expect(read.status, read.text).toBe(200);
    expect(read.json).toMatchObject({ zoom: { path: 'serial', value: expect.any(Number) }, pan: { value: expect.any(Number) } });
  });

  it('presets and modes become their PELCO frames', async () => {
    const from = rig.sim.received.length;
    expect((await op('/api/blocks/right/preset', { action: 'set', preset: 5 })).status).toBe(200);
    expect((await op('/api/blocks/right/mode', { focus: 'auto', zoomSpeed: 2 })).status).toBe(200);
    await Promise.all([frameAfter(rig.sim, from, kindOf(2, 'preset-set')), frameAfter(rig.sim, from, kindOf(2, 'auto-focus')), frameAfter(rig.sim, from, kindOf(2, 'zoom-speed'))]);
  });

  it('camera reads and calls go through the HTTP dialect', async () => {
    const identity = await call(rig, 'GET', '/api/blocks/left/camera/identity', { token: TOKENS.read });
    expect(identity.status, identity.text).toBe(200);
    expect(identity.json.identity).toBeTypeOf('object');
    const readOsd = async () => (await call(rig, 'GET', '/api/blocks/left/camera/osd', { token: TOKENS.read })).json.osd;
    expect((await readOsd()).time).not.toBe('hidden');
    const osd = await op('/api/blocks/left/camera', { call: 'osd', changes: { time: 'hidden' } });
    expect(osd.status, osd.text).toBe(200);
    expect((await readOsd()).time).toBe('hidden');
    const reboot = await op('/api/blocks/left/camera', { call: 'reboot' });
    expect(reboot.status).toBe(403);
  });

  it('group: follow on and off, save and recall a preset, camera preset on every member', async () => {
    const on = await op('/api/groups/stage/follow', { on: true });
    expect(on.json).toMatchObject({ name: 'stage', following: true, leader: 'left', members: ['left', 'right'] });
    expect((await op('/api/groups/stage/follow', { on: false })).json.following).toBe(false);

    const saved = await op('/api/groups/stage/presets', { name: 'opening' });
    expect(saved.status, saved.text).toBe(200);
    expect(Object.keys(saved.json.positions)).toEqual(['left', 'right']);
    expect((await call(rig, 'GET', '/api/groups/stage/presets', { token: TOKENS.read })).json.presets).toEqual(['opening']);
    const recalled = await op('/api/groups/stage/presets/opening/recall');
    expect(recalled.status, recalled.text).toBe(200);
    expect(recalled.json.report).toMatchObject({ preset: 'opening', arrived: true, late: [] });
    const unknown = await op('/api/groups/stage/presets/closing/recall');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(/opening/);

    const from = rig.sim.received.length;
    const preset = await op('/api/groups/stage/camera-preset', { preset: 3 });
    expect(preset.json.report.members).toHaveLength(2);
    await Promise.all([frameAfter(rig.sim, from, kindOf(1, 'preset-goto')), frameAfter(rig.sim, from, kindOf(2, 'preset-goto'))]);
    expect((await call(rig, 'GET', '/api/groups/stage', { token: TOKENS.read })).json).toMatchObject({ state: 'moving', presets: ['opening'] });
  });

  it('a group zoom by magnification without calibration tables is refused before anything is sent', async () => {
    const r = await op('/api/groups/stage/zoom', { magnification: 2 });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('ZS_NOT_SUPPORTED');
  });
});
