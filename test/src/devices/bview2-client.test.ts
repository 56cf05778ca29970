import { afterEach, describe, expect, it } from 'vitest';
import { Bview2Simulator, type Bview2SimOptions } from '../../../hardware/sim/http/bview2-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { ZoomsyncError } from '../../../protocols/errors.js';
import { Bview2LensError, Bview2StatusError } from '../../../protocols/http/bview2/errors.js';
import { Bview2Client, type Bview2ClientOptions } from '../../../src/devices/http/bview2-client.js';
import { openCamera } from '../../../src/devices/http/registry.js';
import { rejection } from './support/rejection.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!().catch(() => {});
});

/** A lens slow enough that a move is still running when the test looks; manual focus, so a stopped zoom is a still lens. */
function slowLens(): SimulatedLens {
  const lens = new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000], focusTravelMs: [60_000, 60_000, 60_000, 60_000] });
  lens.setFocusMode('manual');
  lens.setZoomAf(false);
  return lens;
}

async function setup(sim: Bview2SimOptions = {}, client: Partial<Bview2ClientOptions> = {}) {
  const s = await Bview2Simulator.start({ lens: slowLens(), ...sim });
  const c = new Bview2Client({ url: s.url, user: 'admin', password: 'admin', retryDelayMs: 5, firmwarePollMs: 20, ...client });
  cleanup.push(() => s.close(), () => c.close());
  return { sim: s, client: c };
}


describe('bview2 client: calls', () => {
  it('is what openCamera returns for the bview2 dialect, and reads the identity from DeviceInfo', async () => {
    const { sim } = await setup({ model: 'BV-TEST', firmware: 'V9.9' });
    const camera = openCamera({ dialect: 'bview2', url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => camera.close());
    expect(camera).toBeInstanceOf(Bview2Client);
    expect(await camera.identity()).toMatchObject({ model: 'BV-TEST', firmware: 'V9.9', extra: { serial: 'BV2000000001', videoInputs: 1, alarmOutputs: 1, twoWayAudio: true } });
  });

  it('sends Basic credentials with every call and needs no login request', async () => {
    const { sim, client } = await setup();
    await client.identity();
    await client.osd();
    await client.image();
    expect(sim.server.stats.requests).toBe(3);
    expect(sim.counters.authChecks).toBe(3);
    expect(sim.counters.failedAuth).toBe(0);
  });

  it('sets the device name (the one writable DeviceInfo field)', async () => {
    const { sim, client } = await setup();
    await client.setDeviceName('Gate 3');
    expect(sim.deviceName).toBe('Gate 3');
    expect((await client.identity()).extra).toMatchObject({ name: 'Gate 3' });
  });

  for (const spelling of ['manual', 'correct'] as const) {
    it(`reads day/night, exposure and white balance from /Images/1 (${spelling === 'manual' ? 'WhiteBlance / IrCutFillter as printed' : 'WhiteBalance / IrCutFilter'})`, async () => {
      const { client } = await setup({ imageSpelling: spelling });
      expect(await client.image()).toEqual({
        dayNight: { mode: 'initiative', dayStart: '07:00:00', dayEnd: '19:00:00', sensitivity: 50, switchSeconds: 5 },
        exposure: { iris: 'DC-Iris', shutter: 'auto', gain: 'auto' },
        whiteBalance: { mode: 'auto', red: 50, blue: 50 },
      });
    });
  }

  it('sets image settings block by block, only the fields given', async () => {
    const { sim, client } = await setup();
    await client.setImage({ dayNight: { mode: 'night' }, exposure: { shutter: '1/100', gain: '12dB' }, whiteBalance: { mode: 'manual', red: 70, blue: 30 } });
    expect(sim.irCut).toMatchObject({ Mode: 'night', SwitchTime: 5 });
    expect(sim.exposure).toEqual({ IrisType: 'DC-Iris', shutter: '1/100', Gain: '12dB' });
    expect(sim.whiteBalance).toEqual({ Mode: 'manual', GainRed: 70, GainBlue: 30 });
    expect(sim.lastRefusal).toBeUndefined();
    expect((await client.image()).exposure).toEqual({ iris: 'DC-Iris', shutter: '1/100', gain: '12dB' });
  });

  it('refuses an image value out of range or an unknown setting before sending anything', async () => {
    const { sim, client } = await setup();
    for (const bad of [{ exposure: { shutter: '1/7' } }, { whiteBalance: { red: 101 } }, { dayNight: { switchSeconds: 2 } }, { dayNight: { dayStart: '25:00:00' } }, { colour: {} }, { exposure: { iso: 100 } }, {}]) {
      expect((await rejection(client.setImage(bad))).code).toBe('ZS_INVALID_ARGUMENT');
    }
    expect(sim.server.stats.requests).toBe(0);
  });

  it('reads and places the OSD time and name in the corners, and refuses both in one corner', async () => {
    const { sim, client } = await setup();
    expect(await client.osd()).toEqual({ time: 'top-left', name: 'bottom-left' });
    expect(await client.setOsd({ name: 'top-right', time: 'hidden' })).toEqual({ time: 'hidden', name: 'top-right' });
    expect(sim.osd.name).toMatchObject({ Enable: true, PosX: 480, PosY: 16, Name: 'B-View 2' });
    expect(sim.osd.time.Enable).toBe(false);
    expect((await rejection(client.setOsd({ time: 'top-right' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.setOsd({ name: 'top-center' }))).code).toBe('ZS_INVALID_ARGUMENT');
    sim.osd.time = { Enable: true, PosX: 100, PosY: 200 };
    expect((await client.osd()).time).toBe('custom');
  });

  it('takes a snapshot: the JPEG, or the camera ResponseStatus error, or a bad response for anything else', async () => {
    const { sim, client } = await setup();
    const jpeg = await client.snapshot();
    expect([jpeg[0], jpeg[1], jpeg.at(-2), jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    const path = '/Snapshot/1/RemoteImageCapture';
    sim.server.fault(path, { kind: 'status', status: 200, body: `<ResponseStatus><requestURL>${path}</requestURL><statusCode>-8</statusCode></ResponseStatus>` }, 1);
    expect(await rejection(client.snapshot())).toMatchObject({ code: 'ZS_HTTP_STATUS', statusCode: -8 });
    sim.server.fault(path, { kind: 'status', status: 200, body: '<DeviceInfo/>' }, 1);
    expect((await rejection(client.snapshot())).code).toBe('ZS_HTTP_BAD_RESPONSE');
  });

  it('resets to factory defaults (everything: a category selection is refused before sending)', async () => {
    const { sim, client } = await setup();
    await client.setImage({ exposure: { gain: '42dB' } });
    expect((await rejection(client.factoryDefault({ reset: ['user'] }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.factoryDefaultCount).toBe(0);
    await client.factoryDefault();
    expect(sim.factoryDefaultCount).toBe(1);
    expect(sim.exposure.Gain).toBe('auto');
  });

  it('reboots: the camera answers, then closes connections while it restarts', async () => {
    const { sim, client } = await setup({ restartMs: 60_000 }, { retries: 0 });
    await client.reboot();
    expect(sim.rebootCount).toBe(1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_CONNECT');
  });
});

describe('bview2 client: the lens', () => {
  it('starts a continuous zoom with Param1=1 and the speed, and stops it with Param1=2', async () => {
    const { sim, client } = await setup();
    await client.move('tele', 7);
    expect(sim.motion.zoom).toBe('tele');
    expect(sim.lens.moving).toBe(true);
    expect(client.movingAxes.get('zoom')).toBe('tele');
    await client.stop('zoom');
    expect(sim.motion.zoom).toBeUndefined();
    expect(sim.lens.moving).toBe(false);
    expect(client.movingAxes.size).toBe(0);
    expect(sim.ptzCount('ZoomIn')).toBe(2);
  });

  it('moves at the speed option (default 5; an explicit undefined takes the default) unless the call gives one', async () => {
    const { sim, client } = await setup({}, { speed: undefined });
    await client.move('tele');
    expect(sim.lastMoveSpeed).toBe(5);
    const { sim: sim2, client: fast } = await setup({}, { speed: 9 });
    await fast.move('wide');
    expect(sim2.lastMoveSpeed).toBe(9);
    await fast.move('wide', 1);
    expect(sim2.lastMoveSpeed).toBe(1);
  });

  it('refuses options that make no sense in the constructor', () => {
    const base = { url: 'http://127.0.0.1:1', user: 'admin', password: 'admin' };
    for (const bad of [{ speed: 0 }, { speed: 11 }, { speed: 2.5 }, { firmwarePollMs: 0 }, { user: 'ad:min' }, { user: '' }, { retries: 11 }]) {
      expect(() => new Bview2Client({ ...base, ...bad })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    }
  });

  it('moves the focus near and far on its own resources', async () => {
    const { sim, client } = await setup();
    await client.move('near');
    expect(sim.motion.focus).toBe('near');
    await client.move('far');
    expect(sim.motion.focus).toBe('far');
    await client.stop();
    expect(sim.motion).toEqual({ zoom: undefined, focus: undefined });
    expect(sim.ptzCount('FocusNear')).toBe(1);
    expect(sim.ptzCount('FocusFar')).toBe(2);
  });

  it('refuses a speed outside 1–10 or an unknown direction before sending anything', async () => {
    const { sim, client } = await setup();
    for (const [direction, speed] of [['tele', 0], ['tele', 11], ['wide', 2.5], ['left', 3]] as const) {
      expect((await rejection(client.move(direction as 'tele', speed))).code).toBe('ZS_INVALID_ARGUMENT');
    }
    expect(sim.server.stats.requests).toBe(0);
  });

  it('a start whose answer is cut off is not sent again, is followed by a stop, and says the lens was stopped', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/PTZ/1/ZoomIn', { kind: 'truncate' }, 1);
    const error = await rejection(client.move('tele'));
    expect(error).toBeInstanceOf(Bview2LensError);
    expect(error).toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE', axis: 'zoom', lensMayBeMoving: false });
    expect(sim.ptzCount('ZoomIn')).toBe(2); // the start once, then the stop
    expect(sim.motion.zoom).toBeUndefined();
    expect(sim.lens.moving).toBe(false);
  });

  it('a start whose answer stalls is followed by a stop; when that stop stalls too, the error says the lens may still be moving', async () => {
    const { sim, client } = await setup({}, { bodyTimeoutMs: 150, retries: 1 });
    sim.server.fault('/PTZ/1/ZoomOut', { kind: 'stall', ms: 3_000 });
    const error = await rejection(client.move('wide'));
    expect(error).toBeInstanceOf(Bview2LensError);
    expect(error).toMatchObject({ code: 'ZS_HTTP_TIMEOUT', lensMayBeMoving: true });
    expect((error as Bview2LensError).stopFailure?.code).toBe('ZS_HTTP_TIMEOUT');
    expect(error.message).toMatch(/may still be moving/);
    expect(sim.ptzCount('ZoomOut')).toBe(3); // the start once (never resent), the stop twice (resent)
    expect(client.movingAxes.get('zoom')).toBe('wide');
  }, 20_000);

  it('a stop that does not get through says the lens may still be moving, and the next stop can still be sent', async () => {
    const { sim, client } = await setup({}, { retries: 1 });
    await client.move('tele');
    sim.server.fault('/PTZ/1/ZoomIn', { kind: 'reset' }, 2);
    const error = await rejection(client.stop('zoom'));
    expect(error).toMatchObject({ code: 'ZS_HTTP_CONNECT', lensMayBeMoving: true, axis: 'zoom' });
    expect(error.message).toMatch(/may still be moving/);
    expect(sim.motion.zoom).toBe('tele');
    await client.stop('zoom');
    expect(sim.motion.zoom).toBeUndefined();
  });

  it('a stop does not wait behind a slow call: it travels on its own connection', async () => {
    const { sim, client } = await setup();
    await client.move('tele');
    sim.server.fault('/Images/1/Exposure', { kind: 'delay', ms: 2000 }, 1); // far longer than a stop takes, even on a loaded machine
    const order: string[] = [];
    const slow = client.setImage({ exposure: { gain: '6dB' } }).then(() => order.push('image'));
    await new Promise<void>((resolve) => {
      const poll = () => (sim.server.stats.requests >= 2 ? resolve() : setImmediate(poll));
      poll();
    });
    await client.stop('zoom').then(() => order.push('stop'));
    await slow;
    expect(order).toEqual(['stop', 'image']);
    expect(sim.motion.zoom).toBeUndefined();
  });

  it('a start the camera refuses (busy calibrating, -14) sends no stop and leaves nothing marked moving', async () => {
    const { sim, client } = await setup({ calibrationMs: 60_000 });
    await client.reinitialiseAutofocus('full');
    const error = await rejection(client.move('tele'));
    expect(error).toBeInstanceOf(Bview2StatusError);
    expect((error as Bview2StatusError).statusCode).toBe(-14);
    expect(error.message).toMatch(/autofocus/);
    expect(sim.ptzCount('ZoomIn')).toBe(1);
    expect(client.movingAxes.size).toBe(0);
  });

  it('a second start the camera refuses leaves the move already running on that axis tracked, so close() still stops it', async () => {
    const { sim, client } = await setup();
    await client.move('tele');
    sim.server.fault('/PTZ/1/ZoomOut', { kind: 'status', status: 200, body: '<ResponseStatus><requestURL>/PTZ/1/ZoomOut</requestURL><statusCode>-8</statusCode></ResponseStatus>' }, 1);
    expect(await rejection(client.move('wide'))).toMatchObject({ statusCode: -8 });
    expect(client.movingAxes.get('zoom')).toBe('tele');
    await client.close();
    expect(sim.motion.zoom).toBeUndefined();
  });

  it('another call failing while a move runs says the lens may still be moving', async () => {
    const { sim, client } = await setup({}, { retries: 0 });
    await client.move('tele');
    sim.server.fault('/System/DeviceInfo', { kind: 'reset' }, 1);
    const error = await rejection(client.identity());
    expect(error).toMatchObject({ code: 'ZS_HTTP_CONNECT', lensMayBeMoving: true, axis: 'zoom' });
    expect(error.message).toMatch(/still running/);
  });

  it('close() stops a move this client started', async () => {
    const { sim, client } = await setup();
    await client.move('tele');
    await client.move('far');
    await client.close();
    expect(sim.motion).toEqual({ zoom: undefined, focus: undefined });
    expect(sim.lens.moving).toBe(false);
  });

  it('close() rejects, saying the lens may still be moving, when its stop fails', async () => {
    const { sim, client } = await setup({}, { retries: 0 });
    await client.move('wide');
    sim.server.fault('/PTZ/1/ZoomOut', { kind: 'reset' });
    const error = await rejection(client.close());
    expect(error).toMatchObject({ lensMayBeMoving: true, axis: 'zoom' });
    expect(sim.motion.zoom).toBe('wide');
  });

  it('re-initialises the autofocus with Param1=103 (full) or 85 (override manual); image changes are then refused busy (-14)', async () => {
    const { sim, client } = await setup({ calibrationMs: 60_000 });
    await client.reinitialiseAutofocus('override-manual');
    expect(sim.autofocusInits).toEqual([85]);
    expect(sim.calibrating).toBe(true);
    expect(await rejection(client.setImage({ exposure: { gain: '6dB' } }))).toMatchObject({ code: 'ZS_HTTP_STATUS', statusCode: -14 });
    expect((await rejection(client.reinitialiseAutofocus('partial' as 'full'))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('a stop is sent even after the password was refused, while a move of this client may run', async () => {
    const { sim, client } = await setup();
    await client.move('tele');
    sim.server.fault('/System/DeviceInfo', { kind: 'status', status: 401 }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_AUTH');
    await client.stop('zoom');
    expect(sim.motion.zoom).toBeUndefined();
  });
});

describe('bview2 client: firmware', () => {
  it('uploads the package as multipart and polls DeviceInfo through the restart, reporting progress', async () => {
    let now = 1_000;
    const { sim, client } = await setup({ restartMs: 60_000, clock: () => now });
    const stages: string[] = [];
    const onProgress = (p: { stage: string; percent: number }) => {
      stages.push(`${p.stage}:${p.percent}`);
      if (p.percent === 50) now += 60_000; // the client saw the camera away: let it come back
    };
    const result = await client.upgradeFirmware(new Uint8Array(200_000).fill(7), { fileName: 'bv-b-20200503.pkg', onProgress });
    expect(result).toEqual({ version: 'bv-b-20200503' });
    expect(sim.counters.firmwareUploads).toBe(1);
    expect(stages[0]).toBe('upload:0');
    expect(stages).toContain('upload:100');
    expect(stages.indexOf('upgrade:0')).toBeGreaterThan(stages.indexOf('upload:100'));
    expect(stages.indexOf('upgrade:50')).toBeGreaterThan(stages.indexOf('upgrade:0')); // seen going away
    expect(stages.at(-1)).toBe('done:100');
  });

  it('a positive statusCode is an update failure, thrown without polling', async () => {
    const { sim, client } = await setup({ firmwareVerdict: () => 3 });
    const before = sim.server.stats.requests;
    const error = await rejection(client.upgradeFirmware(new Uint8Array(16), { fileName: 'x.pkg' }));
    expect(error).toBeInstanceOf(Bview2StatusError);
    expect(error).toMatchObject({ statusCode: 3 });
    expect(error.message).toMatch(/update failed/);
    expect(sim.server.stats.requests - before).toBe(2); // DeviceInfo, the upload
  });

  it('refuses a file name that is not .pkg, an empty image, or a factory reset with it, before sending anything', async () => {
    const { sim, client } = await setup();
    expect((await rejection(client.upgradeFirmware(new Uint8Array(4), { withFactoryReset: true }))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.upgradeFirmware(new Uint8Array(4), { fileName: 'fw.bin' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.upgradeFirmware(new Uint8Array(0)))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(0);
  });

  it('gives up at the deadline when the camera never comes back', async () => {
    const { client } = await setup({ restartMs: 60_000 }, { retries: 0, connectTimeoutMs: 100 });
    const error = await rejection(client.upgradeFirmware(new Uint8Array(16), { timeoutMs: 200 }));
    expect(error.message).toMatch(/did not restart with it/);
  });
});

describe('bview2 client: authentication and error forms', () => {
  it('a refused password is sent once; later calls answer from the latch; new credentials clear it', async () => {
    const { sim, client } = await setup({}, { password: 'wrong' });
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_AUTH');
    expect((await rejection(client.image())).code).toBe('ZS_HTTP_AUTH');
    expect((await rejection(client.move('tele'))).code).toBe('ZS_HTTP_AUTH');
    expect(sim.counters.failedAuth).toBe(1);
    expect(sim.server.stats.requests).toBe(1);
    client.setCredentials('admin', 'admin');
    await client.identity();
    expect(sim.counters.failedAuth).toBe(1);
  });

  it('maps a statusCode answered with HTTP 400 as it maps one answered with 200', async () => {
    const { client } = await setup({ errorStatus: 400 });
    const error = await rejection(client.raw({ method: 'PUT', path: '/Images/1/Exposure', body: { Exposure: { Gain: '99dB' } } }));
    expect(error).toBeInstanceOf(Bview2StatusError);
    expect(error).toMatchObject({ status: 400, statusCode: -5 });
  });

  it('a 500 without a ResponseStatus is an HttpStatusError with the status', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/Pictures/1/OSD', { kind: 'status', status: 500, body: 'internal error' });
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 500 });
  });

  it('a malformed XML answer is a bad response quoting it', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/System/DeviceInfo', { kind: 'malform', body: '<DeviceInfo><DeviceName>x</DeviceInfo>' });
    const error = await rejection(client.identity());
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(error.message).toMatch(/not well-formed/);
  });

  it('an answer missing a required field, or the wrong block, is a bad response', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/System/DeviceInfo', { kind: 'malform', body: '<DeviceInfo><DeviceName>x</DeviceName></DeviceInfo>' }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_BAD_RESPONSE');
    sim.server.fault('/Pictures/1/OSD', { kind: 'malform', body: '<Exposure><Gain>auto</Gain></Exposure>' }, 1);
    expect((await rejection(client.osd())).message).toMatch(/Exposure where a OSD/);
  });

  it('a truncated answer to a read is tried again, and a slow one times out', async () => {
    const { sim, client } = await setup({}, { headersTimeoutMs: 200, retries: 1 });
    sim.server.fault('/System/DeviceInfo', { kind: 'truncate' }, 1);
    expect((await client.identity()).model).toBe('BV-ZB30');
    expect(client.http.stats.retries).toBe(1);
    sim.server.fault('/Pictures/1/OSD', { kind: 'delay', ms: 2500 }); // undici fires a 200 ms timeout after ~1 s
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_TIMEOUT', mayHaveActed: false });
  }, 15_000);
});

describe('bview2 client: raw calls', () => {
  it('reads a documented resource as { root, body }, and sends an XML object body', async () => {
    const { sim, client } = await setup();
    const info = await client.raw({ method: 'GET', path: '/System/DeviceInfo' });
    expect(info.body).toMatchObject({ root: 'DeviceInfo', body: { DeviceTypeName: 'BV-ZB30' } });
    const put = await client.raw({ method: 'PUT', path: '/Images/1/IrCutFilter', body: { IrCutFilter: { Mode: 'time', DayStartTime: '06:30:00' } } });
    expect(put.body).toMatchObject({ root: 'ResponseStatus', statusCode: 0 });
    expect(sim.irCut).toMatchObject({ Mode: 'time', DayStartTime: '06:30:00' });
  });

  it('refuses /PTZ (moves go through move and stop), undocumented paths and methods, before sending', async () => {
    const { sim, client } = await setup();
    expect((await rejection(client.raw({ method: 'PUT', path: '/PTZ/1/ZoomIn', body: 'Param1=1&Param2=3' }))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.raw({ method: 'GET', path: '/ISAPI/System/deviceInfo' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.raw({ method: 'DELETE', path: '/System/DeviceInfo' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(0);
  });

  it('a documented resource the camera does not offer (-3) is NotSupported', async () => {
    const { client } = await setup();
    expect((await rejection(client.raw({ method: 'GET', path: '/System/DeviceStatus/1' }))).code).toBe('ZS_NOT_SUPPORTED');
  });
});
