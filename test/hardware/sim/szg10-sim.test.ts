import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { request } from 'undici';
import { hashPassword } from '../../../protocols/http/szg10/api.js';
import { makeFirmwareImage, Szg10Simulator, type Szg10SimOptions } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';

const sims: Szg10Simulator[] = [];
afterEach(async () => {
  while (sims.length) await sims.pop()!.close();
});

async function start(options: Szg10SimOptions = {}) {
  const sim = await Szg10Simulator.start(options);
  sims.push(sim);
  /** `body` a string: sent as it is, with `contentType` (default none); otherwise as JSON. */
  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, token?: string, contentType?: string) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (contentType !== undefined) headers['content-type'] = contentType;
    else if (body !== undefined && !(body instanceof Uint8Array) && typeof body !== 'string') headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : body instanceof Uint8Array || typeof body === 'string' ? body : JSON.stringify(body);
    const res = await request(sim.url + path, { method, headers, body: payload });
    const text = await res.body.text();
    return { status: res.statusCode, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const login = async (userId = 'admin', password = 'admin') => call('POST', '/app/v1/login', { userId, userPassword: hashPassword(password) });
  return { sim, call, login };
}

describe('SZ-G10 REST simulator (raw HTTP)', () => {
  it('answers 401 without a token, and 204 for session check and logout; a logged-out token is void', async () => {
    const { call, login } = await start();
    expect((await call('GET', '/app/v1/camera/lens')).status).toBe(401);
    const token = (await login()).json().token as string;
    expect((await call('PUT', '/app/v1/session/check', undefined, token)).status).toBe(204);
    expect((await call('POST', '/app/v1/logout', undefined, token)).status).toBe(204);
    expect((await call('PUT', '/app/v1/session/check', undefined, token)).status).toBe(401);
    expect((await call('PUT', '/app/v1/session/check', undefined, token + 'x')).status).toBe(401);
  });

  it('enforces permission levels: setup and reboot need their permission, an administrator has all', async () => {
    const { call, login } = await start({
      users: [
        { id: 'admin', password: 'a', permissions: ['admin'] },
        { id: 'op', password: 'o', permissions: ['setup'] },
        { id: 'viewer', password: 'v', permissions: [] },
      ],
    });
    const viewer = (await login('viewer', 'v')).json().token as string;
    const op = (await login('op', 'o')).json().token as string;
    const admin = (await login('admin', 'a')).json().token as string;
    expect((await call('GET', '/app/v1/media/video/osd', undefined, viewer)).status).toBe(200);
    expect((await call('PUT', '/app/v1/camera/lens/zoom/position', { position: 10 }, viewer)).status).toBe(401);
    expect((await call('PUT', '/app/v1/camera/lens/zoom/position', { position: 10 }, op)).status).toBe(200);
    expect((await call('PUT', '/app/v1/system/reboot', {}, op)).status).toBe(401);
    const reboot = await call('PUT', '/app/v1/system/reboot', {}, admin);
    expect(reboot.status).toBe(200);
    expect(reboot.json()).toEqual({ result: 1 });
    expect((await call('GET', '/app/v1/camera/lens', undefined, admin)).status).toBe(401); // the reboot forgot every session
  });

  it('locks a user after 5 failures until the lockout ends; other users are not affected', async () => {
    const { login } = await start({ lockoutMs: 200, users: [{ id: 'admin', password: 'admin', permissions: ['admin'] }, { id: 'b', password: 'b', permissions: [] }] });
    for (let i = 0; i < 5; i++) expect((await login('admin', 'nope')).status).toBe(401);
    expect((await login('admin', 'admin')).status).toBe(403);
    expect((await login('b', 'b')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 250));
    expect((await login('admin', 'admin')).status).toBe(200);
  });

  it('answers 400 for bad bodies and out-of-range values, 404 for unknown paths', async () => {
    const { call, login } = await start();
    const token = (await login()).json().token as string;
    expect((await call('POST', '/app/v1/login', { userId: 'x'.repeat(17), userPassword: '' })).status).toBe(400);
    expect((await call('PUT', '/app/v1/camera/lens/focus/mode', { mode: 3 }, token)).status).toBe(400);
    expect((await call('PUT', '/app/v1/camera/lens/focus/onepush', { left: 0, top: 0, right: 16, bottom: 1 }, token)).status).toBe(400);
    expect((await call('PUT', '/app/v1/camera/lens/focus/enableZoomAf', { enable: 1 }, token)).status).toBe(400);
    expect((await call('GET', '/app/v1/nothing', undefined, token)).status).toBe(404);
  });

  it('refuses a JSON body sent without the JSON content type, with the manual\'s 400 (it lists no 415)', async () => {
    const { call, login } = await start();
    const token = (await login()).json().token as string;
    const body = JSON.stringify({ position: 10 });
    expect((await call('PUT', '/app/v1/camera/lens/zoom/position', body, token)).status).toBe(400); // no content type
    const wrong = await call('PUT', '/app/v1/camera/lens/zoom/position', body, token, 'text/plain');
    expect(wrong.status).toBe(400);
    expect(wrong.json().error).toMatch(/application\/json/);
    expect((await call('PUT', '/app/v1/camera/lens/zoom/position', body, token, 'application/json; charset=utf-8')).status).toBe(200);
    const loginBody = JSON.stringify({ userId: 'admin', userPassword: hashPassword('admin') });
    expect((await call('POST', '/app/v1/login', loginBody, undefined, 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it('refuses a missing body where the manual lists a JSON request, and takes {} where it lists no fields (reboot, home)', async () => {
    const { call, login } = await start();
    const token = (await login()).json().token as string;
    for (const [method, path] of [
      ['PUT', '/app/v1/camera/lens/focus/home'],
      ['PUT', '/app/v1/camera/lens/zoom/position'],
      ['POST', '/app/v1/system/factoryDefault'],
      ['POST', '/app/v1/media/video/osd'],
      ['PUT', '/app/v1/system/reboot'],
    ] as const) {
      const res = await call(method, path, '', token, 'application/json');
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect((await call('PUT', '/app/v1/camera/lens/focus/home', {}, token)).status).toBe(200);
    expect((await call('PUT', '/app/v1/system/reboot', {}, token)).status).toBe(200); // forgets the session
    expect((await call('POST', '/app/v1/system/factoryDefault', {}, (await login()).json().token as string)).status).toBe(204);
  });

  it('refuses keys the manual does not list, at any depth', async () => {
    const { call, login } = await start();
    const token = (await login()).json().token as string;
    expect((await call('PUT', '/app/v1/camera/lens/zoom/position', { position: 10, speed: 3 }, token)).status).toBe(400);
    expect((await call('PUT', '/app/v1/camera/lens/focus/home', { now: true }, token)).status).toBe(400);
    expect((await call('POST', '/app/v1/login', { userId: 'admin', userPassword: hashPassword('admin'), remember: true })).status).toBe(400);
    const osd = { system: { systemTitleShowType: 1, videoResolutionShowType: 1, videoTimeShowType: 1 } };
    expect((await call('POST', '/app/v1/media/video/osd', { system: { ...osd.system, logoShowType: 1 } }, token)).status).toBe(400);
    expect((await call('POST', '/app/v1/system/factoryDefault', { dbSelection: { user: false, firmware: true } }, token)).status).toBe(400);
    expect((await call('POST', '/app/v1/media/video/osd', osd, token)).status).toBe(204);
  });

  it('takes an upper-case password hash as a wrong password (401, counted toward the lockout)', async () => {
    const { sim, call } = await start();
    const upper = await call('POST', '/app/v1/login', { userId: 'admin', userPassword: hashPassword('admin').toUpperCase() });
    expect(upper.status).toBe(401);
    expect(sim.counters.failedLogins).toBe(1);
  });

  it('answers each lens call with its own documented success code', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [0, 0, 0, 0], focusTravelMs: [0, 0, 0, 0] });
    const { call, login } = await start({ lens });
    const token = (await login()).json().token as string;
    expect((await call('PUT', '/app/v1/camera/lens/zoom/position', { position: 100 }, token)).status).toBe(200);
    expect((await call('PUT', '/app/v1/camera/lens/focus/home', {}, token)).status).toBe(200);
    expect((await call('PUT', '/app/v1/camera/lens/focus/onepush', { left: 0, top: 0, right: 15, bottom: 15 }, token)).status).toBe(200);
    expect((await call('PUT', '/app/v1/camera/lens/focus/mode', { mode: 1 }, token)).status).toBe(204);
    const focus = await call('PUT', '/app/v1/camera/lens/focus/position', { position: 2000 }, token);
    expect({ status: focus.status, body: focus.text }).toEqual({ status: 204, body: '' });
    expect((await call('GET', '/app/v1/camera/lens', undefined, token)).json()).toMatchObject({ focus: { position: 2000, afInterval: 5 } });
  });

  it('shares its lens with the other face of the block: a move made there shows in the REST lens', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [20, 20, 20, 20], focusTravelMs: [20, 20, 20, 20] });
    const { call, login } = await start({ lens });
    const token = (await login()).json().token as string;
    lens.zoomTo(800); // as a PELCO set-zoom on the UART face would
    await new Promise((r) => setTimeout(r, 40));
    const got = (await call('GET', '/app/v1/camera/lens', undefined, token)).json() as { zoom: { position: number }; focus: { position: number } };
    expect(got.zoom.position).toBe(800);
    expect(got.focus.position).toBe(lens.inFocusPosition(800));
    await call('PUT', '/app/v1/camera/lens/zoom/position', { position: 100 }, token);
    await new Promise((r) => setTimeout(r, 40));
    expect(lens.zoom).toBe(100); // and the REST move shows on the lens the UART face reads
  });

  it('runs the firmware state machine: none -> upgrading with rate -> succeeded, new version', async () => {
    const { sim, call, login } = await start({ firmwareMsPerPercent: 2 });
    const token = (await login()).json().token as string;
    expect((await call('GET', '/app/v1/system/firmware/upgradeState')).json()).toEqual({ result: 0, resultCaption: 'None state.' });
    expect((await call('POST', '/app/v1/system/firmware/upgrade', {}, token)).status).toBe(400); // nothing uploaded
    const upload = await call('POST', '/app/v1/upload/firmware', makeFirmwareImage('4.5.6', 4096));
    expect(upload.status).toBe(200);
    expect(upload.text).toMatch(/^Success to save the file\./);
    expect((await call('POST', '/app/v1/system/firmware/upgrade', { withFactoryReset: false }, token)).status).toBe(200);
    const during = (await call('GET', '/app/v1/system/firmware/upgradeState')).json();
    expect(during.result).toBe(2);
    expect(during.rate).toBeTypeOf('number');
    await new Promise((r) => setTimeout(r, 260));
    expect((await call('GET', '/app/v1/system/firmware/upgradeState')).json()).toEqual({ result: 1, resultCaption: 'Upgrade succeeded.' });
    expect(sim.firmwareVersion).toBe('4.5.6');
  });

  it('answers 500 "Fail" to an empty or oversized upload', async () => {
    const { call } = await start({ maxFirmwareBytes: 1000 });
    const tooBig = await call('POST', '/app/v1/upload/firmware', new Uint8Array(2000));
    expect(tooBig.status).toBe(500);
    expect(tooBig.text).toMatch(/^Fail to save the file\./);
    expect((await call('POST', '/app/v1/upload/firmware', new Uint8Array(0))).status).toBe(500);
  });

  it('survives a client that hangs up in the middle of an upload', async () => {
    const { sim, call } = await start();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(new URL(sim.url).port), '127.0.0.1', () => {
          socket.write('POST /app/v1/upload/firmware HTTP/1.1\r\nHost: cam\r\nContent-Length: 100000\r\n\r\nSZG10FW 1.0');
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 30);
        });
        socket.on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      expect((await call('GET', '/app/v1/system/firmware/upgradeState')).status).toBe(200);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('serves the SDP without a token', async () => {
    const { call } = await start();
    const sdp = await call('GET', '/app/v1/stream/sdp');
    expect(sdp.status).toBe(200);
    expect(sdp.text).toMatch(/^v=0\r\n/);
    expect(sdp.text).toContain('m=application 0 RTP/AVP 100');
  });
});
