import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonApiSimulator, SIM_MAC, type JsonApiSimOptions } from '../../../hardware/sim/http/json-api-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { ZoomsyncError } from '../../../protocols/errors.js';
import { JsonApiStatusError } from '../../../protocols/http/json-api/errors.js';
import { JsonApiClient, type JsonApiClientOptions } from '../../../src/devices/http/json-api-client.js';
import { openCamera } from '../../../src/devices/http/registry.js';
import { rejection } from './support/rejection.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const fastLens = () => new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
const PATH = '/cgi-bin/api.cgi';

async function setup(sim: JsonApiSimOptions = {}, client: Partial<JsonApiClientOptions> = {}) {
  const s = await JsonApiSimulator.start({ lens: fastLens(), ...sim });
  const c = new JsonApiClient({ url: s.url, user: 'admin', password: 'admin', retryDelayMs: 5, settlePollMs: 5, ...client });
  cleanup.push(() => s.close(), () => c.close());
  return { sim: s, client: c };
}


describe('json-api client against the simulator: calls', () => {
  it('logs in once, asks GetAbility and GetDevInfo once in one POST, and reuses the token', async () => {
    const { sim, client } = await setup();
    await client.identity();
    await client.osd();
    await client.lens();
    expect(sim.count('Login')).toBe(1);
    expect(sim.count('GetAbility')).toBe(1);
    // Login, the ability batch, identity (DevInfo + LocalLink), OSD, lens (ZoomFocus + AutoFocus): 5 requests.
    expect(sim.server.stats.requests).toBe(5);
  });

  it('is what openCamera returns for the json-api dialect', async () => {
    const { sim } = await setup();
    const camera = openCamera({ dialect: 'json-api', url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => camera.close());
    expect(camera).toBeInstanceOf(JsonApiClient);
    expect((await camera.identity()).mac).toBe(SIM_MAC);
  });

  it('reads the identity, with the MAC from LocalLink', async () => {
    const { client } = await setup({ model: 'RLC-TEST', firmware: 'v9.9' });
    expect(await client.identity()).toMatchObject({ model: 'RLC-TEST', firmware: 'v9.9', mac: SIM_MAC, extra: { rs485: true, channels: 1 } });
  });

  it('zoomTo and focusTo move the shared lens and report where each ended, read back once settled', async () => {
    const { client, sim } = await setup();
    expect(await client.zoomTo(20)).toMatchObject({ requested: 20, reached: 20, settled: true });
    expect(sim.lens.zoom).toBe(625); // 20 of 32 on the lens's 0–1000
    await client.setFocusMode('manual');
    expect(sim.lens.focusMode).toBe('manual');
    const focused = await client.focusTo(100);
    expect(focused).toMatchObject({ requested: 100, reached: 100, settled: true });
    expect(focused.lens).toMatchObject({ zoom: 20, focus: 100, focusMode: 'manual', zoomMax: 32, focusMax: 248 });
  });

  it('zoomTo never reports the target as reached while the lens still moves at the end of the wait', async () => {
    const slow = new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000] });
    const { client } = await setup({ lens: slow }, { settleTimeoutMs: 60 });
    const result = await client.zoomTo(30);
    expect(result).toMatchObject({ requested: 30, reached: undefined, settled: false, lens: undefined });
    expect(result.problem).toMatch(/still moving/);
  });

  it('checks every argument before sending anything', async () => {
    const { client, sim } = await setup();
    await client.identity();
    const before = sim.server.stats.requests;
    await expect(client.zoomTo(33)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'zoom position' });
    await expect(client.focusTo(-1)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    await expect(client.gotoPreset(65)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'preset' });
    await expect(client.move('tele', 0)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'PTZ speed' });
    await expect(client.move('sideways' as never)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    await expect(client.setPtzSerial({ baud: 19200 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'PTZ serial baud' });
    await expect(client.setPtzSerial({ protocol: 'visca' })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'PTZ serial protocol' });
    await expect(client.setPtzSerial({ address: 0 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'PTZ serial address' });
    await expect(client.setPtzSerial({ speed: 3 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'PTZ serial setting' });
    await expect(client.setFocusMode('macro')).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    await expect(client.setImage({ bright: 256 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    await expect(client.factoryDefault({ reset: ['network'] })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    expect(sim.server.stats.requests).toBe(before + 1); // only setImage's read of the current image went out
  });

  it('zooms continuously with the documented mapping (ZoomDec zooms in) by default, and stops', async () => {
    const { client, sim } = await setup({ lens: new SimulatedLens() });
    await client.move('tele');
    expect(sim.motion).toBe('ZoomDec');
    expect(sim.lens.moving).toBe(true);
    await client.stop();
    expect(sim.motion).toBeUndefined();
    expect(sim.lens.moving).toBe(false);
    await client.move('near', 8);
    expect(sim.motion).toBe('FocusDec');
    await client.stop();
  });

  it('a camera whose zoom ops are the other way round is configured per camera (zoomInOp)', async () => {
    const { client, sim } = await setup({ lens: new SimulatedLens(), zoomInOp: 'ZoomInc' }, { zoomInOp: 'ZoomInc' });
    await client.move('tele');
    expect(sim.motion).toBe('ZoomInc');
    await client.stop();
    expect(sim.lens.zoom).toBeGreaterThanOrEqual(0);
    expect(() => new JsonApiClient({ url: sim.url, user: 'admin', password: 'admin', zoomInOp: 'ZoomUp' as never })).toThrow(/zoomInOp/);
  });

  it('a move whose answer is lost sends a stop: the lens never runs away', async () => {
    const { client, sim } = await setup({ lens: new SimulatedLens() }, { retries: 2 });
    await client.identity();
    sim.server.fault(PATH, { kind: 'reset' }, 1);
    await expect(client.move('tele')).rejects.toMatchObject({ code: 'ZS_HTTP_CONNECT' });
    expect(sim.count('PtzCtrl')).toBe(1); // the move never arrived, was not resent; the stop did arrive
    expect(sim.motion).toBeUndefined();
  });

  it('close stops a move still running and logs out (sessions are limited)', async () => {
    const { client, sim } = await setup({ lens: new SimulatedLens() });
    await client.move('wide', 10);
    await client.move('tele', 10);
    expect(sim.openSessions).toBe(1);
    await client.close();
    expect(sim.motion).toBeUndefined();
    expect(sim.lens.moving).toBe(false);
    expect(sim.openSessions).toBe(0);
    expect(sim.counters.logouts).toBe(1);
  });

  it('pan and tilt are offered by a PTZ dome and refused by a zoom block before sending', async () => {
    const { client, sim } = await setup();
    await client.identity();
    const before = sim.server.stats.requests;
    await expect(client.move('left')).rejects.toMatchObject({ code: 'ZS_NOT_SUPPORTED' });
    expect(sim.server.stats.requests).toBe(before);
    const dome = await setup({ profile: 'ptz-dome' });
    await dome.client.move('left', 40);
    expect(dome.sim.motion).toBe('Left');
    await dome.client.stop();
  });

  it('GetAbility decides: a camera without PTZ offers no lens or presets', async () => {
    const { client, sim } = await setup({ profile: 'fixed', rs485: false });
    expect(client.supports('lens')).toBe(true); // before asking: everything api.cgi can do
    await expect(client.zoomTo(5)).rejects.toMatchObject({ code: 'ZS_NOT_SUPPORTED' });
    expect(sim.count('StartZoomFocus')).toBe(0);
    expect(client.supports('lens')).toBe(false);
    expect(client.supports('ptz-serial')).toBe(false);
    expect(client.supports('osd')).toBe(true);
    await expect(client.gotoPreset(1)).rejects.toThrow(/presets/);
    expect(sim.count('GetAbility')).toBe(1);
  });

  it('saves, lists and recalls presets; recalling an empty slot is the camera\'s rspCode -4', async () => {
    const { client, sim } = await setup();
    await client.zoomTo(10);
    await client.savePreset(3, 'door');
    await client.zoomTo(30);
    expect(await client.presets()).toEqual([{ id: 3, name: 'door' }]);
    await client.gotoPreset(3);
    await expect.poll(() => sim.lens.moving).toBe(false);
    expect((await client.lens()).zoom).toBe(10);
    const empty = await rejection(client.gotoPreset(4));
    expect(empty).toBeInstanceOf(JsonApiStatusError);
    expect(empty).toMatchObject({ code: 'ZS_HTTP_STATUS', rspCode: -4, cmd: 'PtzCtrl' });
  });

  it('reads and sets the PTZ serial port; the quirky echo " SetPtzSerial " is matched by position', async () => {
    const { client, sim } = await setup();
    expect(await client.ptzSerial()).toMatchObject({ baud: 1200, protocol: 'pelco-d', address: 1, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none' });
    await client.setPtzSerial({ baud: 9600, protocol: 'pelco-p', address: 2 });
    expect(sim.serial).toMatchObject({ baudRate: 9600, ctrlProtocol: 'PELCO_P', ctrlAddr: 2, dataBit: 'CS8' });
    const raw = await client.raw({ method: 'POST', path: PATH, body: { cmd: 'SetPtzSerial', action: 0, param: { PtzSerial: { channel: 0, stopBit: 2 } } } });
    expect(raw.body).toEqual([{ ok: true, cmd: 'SetPtzSerial', value: { rspCode: 200 } }]);
    expect(sim.serial.stopBit).toBe(2);
    const before = sim.server.stats.requests;
    await expect(client.raw({ method: 'GET', path: PATH, body: { cmd: 'GetDevInfo' } })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'raw method' });
    await expect(client.raw({ method: 'POST', path: '/cgi-bin/other.cgi', body: { cmd: 'GetDevInfo' } })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'raw path' });
    await expect(client.raw({ method: 'POST', path: '', body: 'GetDevInfo' })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'raw command' });
    expect(sim.server.stats.requests).toBe(before);
    expect((await client.raw({ method: 'POST', path: '/api.cgi', body: [{ cmd: 'GetDevInfo' }] })).body).toMatchObject([{ ok: true, cmd: 'GetDevInfo' }]);
  });

  it('image, OSD, clock and network', async () => {
    const { client, sim } = await setup();
    await client.setImage({ bright: 100, hue: 7 });
    expect(sim.image).toEqual({ bright: 100, contrast: 128, saturation: 128, hue: 7, sharpen: 128 });
    expect(await client.image()).toMatchObject({ bright: 100, hue: 7 });
    expect(await client.setOsd({ title: 'hidden', time: 'bottom-center' })).toEqual({ title: 'hidden', time: 'bottom-center' });
    expect(sim.osd.osdChannel).toMatchObject({ enable: 0, pos: 'Lower Right' }); // hidden keeps the place
    expect(sim.osd.osdTime).toMatchObject({ enable: 1, pos: 'Bottom Center' });
    await expect(client.setOsd({ time: 'custom' })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    const when = new Date('2030-06-01T12:00:00Z');
    await client.setTime(when);
    expect(Math.abs((await client.time()).getTime() - when.getTime())).toBeLessThan(5000);
    expect(await client.network()).toMatchObject({ ipv4: { dhcp: false, address: '192.168.1.58' }, ports: { http: 80, https: 443, rtsp: 554 } });
    await expect(client.setNetwork({} as never)).rejects.toMatchObject({ code: 'ZS_NOT_SUPPORTED' });
  });

  it('takes a snapshot (the JPEG bytes); a Snap refused in JSON is a typed error', async () => {
    const { client, sim } = await setup();
    const jpeg = await client.snapshot();
    expect([jpeg[0], jpeg[1], jpeg.at(-2), jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    sim.server.fault(PATH, { kind: 'status', status: 200, body: '[{"cmd":"Snap","code":1,"error":{"rspCode":-48,"detail":"Fetching a picture failed"}}]' }, 1);
    expect(await rejection(client.snapshot())).toMatchObject({ code: 'ZS_HTTP_STATUS', rspCode: -48 });
  });

  it('reboot and factory default: the camera forgets sessions, the next call logs in again', async () => {
    const { client, sim } = await setup();
    await client.reboot();
    expect(sim.rebootCount).toBe(1);
    await client.osd();
    await client.factoryDefault();
    expect(sim.restoreCount).toBe(1);
    await client.osd();
    expect(sim.count('Login')).toBe(3);
  });

  it('serves the other documented path (/api.cgi) and refuses a path it does not know', async () => {
    const { client } = await setup({}, { path: '/api.cgi' });
    expect((await client.identity()).mac).toBe(SIM_MAC);
    expect(() => new JsonApiClient({ url: 'http://127.0.0.1', user: 'admin', password: 'admin', path: '/cgi-bin/other.cgi' })).toThrow(/option path/);
  });

  it('talks HTTPS (the camera\'s default) to a self-signed camera whose certificate is pinned', async () => {
    const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
    const tls = { key: fixture('sim-camera.key'), cert: fixture('sim-camera.crt') };
    const { client, sim } = await setup({ tls }, { fingerprint256: new X509Certificate(tls.cert).fingerprint256 });
    expect(sim.url).toMatch(/^https:/);
    expect((await client.identity()).mac).toBe(SIM_MAC);
    const unpinned = new JsonApiClient({ url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => unpinned.close());
    await expect(unpinned.identity()).rejects.toMatchObject({ code: 'ZS_HTTP_TLS' });
  });

  it('keeps one connection for many requests', async () => {
    const { client, sim } = await setup();
    for (let i = 0; i < 15; i++) await client.lens();
    expect(sim.server.stats.connections).toBe(1);
  });
});

describe('json-api client: sessions and authentication', () => {
  it('renews the lease before it runs out: the old session logged out first, then one login', async () => {
    const { client, sim } = await setup({ leaseSeconds: 1 }, { renewBeforeMs: 400 });
    await client.identity();
    const renewed = once(client.session, 'renew');
    await renewed;
    expect(sim.count('Login')).toBe(2);
    expect(sim.counters.logouts).toBe(1);
    expect(sim.openSessions).toBe(1);
    await client.osd();
    expect(sim.count('Login')).toBe(2); // the renewed token is used
  });

  it('the token is never shown: not by util.inspect of the client, not in a log line', async () => {
    const lines: string[] = [];
    const { client } = await setup({}, { log: (l) => lines.push(l) });
    await client.osd();
    await client.snapshot();
    const token = client.session.current!;
    expect(token.length).toBeGreaterThan(0);
    expect(inspect(client, { depth: 8, showHidden: true })).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.some((l) => l.includes('token=***'))).toBe(true);
  });

  it('a token the camera no longer knows (-21) gets exactly one fresh login', async () => {
    const { client, sim } = await setup();
    await client.osd();
    sim.forgetSessions();
    await client.osd();
    expect(sim.count('Login')).toBe(2);
  });

  it('a token refused right after a fresh login is a clear error, not a loop', async () => {
    const { client, sim } = await setup();
    await client.identity();
    sim.refuseTokens = true;
    const error = await rejection(client.osd());
    expect(error.code).toBe('ZS_HTTP_AUTH');
    expect(error.message).toMatch(/right after a fresh login/);
    expect(sim.count('Login')).toBe(2);
  });

  it('all sessions in use (-5) says to close other sessions, and is not latched', async () => {
    const { client, sim } = await setup({ maxSessions: 1 });
    await client.osd();
    const second = new JsonApiClient({ url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => second.close());
    const full = await rejection(second.osd());
    expect(full).toMatchObject({ code: 'ZS_HTTP_STATUS', rspCode: -5 });
    expect(full.message).toMatch(/sessions/);
    await client.close(); // logs out: the session is free again
    expect((await second.osd()).time).toBeDefined();
  });

  it('closing one client logs out its own session only: another client of the same user keeps working', async () => {
    const { client, sim } = await setup();
    const other = new JsonApiClient({ url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => other.close());
    await client.osd();
    await other.osd();
    expect(sim.openSessions).toBe(2);
    await client.close();
    expect(sim.openSessions).toBe(1);
    await other.osd();
    expect(sim.count('Login')).toBe(2); // the other client's token still works
  });

  it('tries again only after new credentials are given', async () => {
    const { client, sim } = await setup({}, { password: 'wrong' });
    await expect(client.osd()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    await expect(client.osd()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    expect(() => client.setCredentials('admin', '')).toThrow(/password/);
    client.setCredentials('admin', 'admin');
    expect((await client.osd()).time).toBeDefined();
    expect(sim.count('Login')).toBe(2);
  });

  it('per-request credentials refused on a snapshot are latched too', async () => {
    const { client, sim } = await setup({}, { auth: 'per-request', password: 'nope1' });
    await expect(client.snapshot()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    const tries = sim.counters.logins;
    await expect(client.snapshot()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    expect(sim.counters.logins).toBe(tries);
  });

  it('locks after 5 failures (-506) even for the right password, and says to wait', async () => {
    const { sim } = await setup({ lockMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      const bad = new JsonApiClient({ url: sim.url, user: 'admin', password: `guess${i}` });
      await expect(bad.osd()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
      await bad.close();
    }
    const good = new JsonApiClient({ url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => good.close());
    const locked = await rejection(good.osd());
    expect(locked.code).toBe('ZS_HTTP_LOCKED');
    expect(locked.message).toMatch(/wait/);
    await expect(good.identity()).rejects.toMatchObject({ code: 'ZS_HTTP_LOCKED' });
    expect(sim.counters.logins).toBe(6);
  });

  it('a Login that times out is not sent again (it may have counted as a failure)', async () => {
    const { client, sim } = await setup({}, { headersTimeoutMs: 200, retries: 2 });
    sim.server.fault(PATH, { kind: 'delay', ms: 2500 }, 1);
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_TIMEOUT' });
    expect(sim.server.stats.requests).toBe(1);
  });

  it('per-request credentials: no Login, no session; the password rides every URL, masked in every message', async () => {
    const lines: string[] = [];
    const { client, sim } = await setup({}, { auth: 'per-request', password: 'p@ss word', log: (l) => lines.push(l) });
    sim.server.clearFaults();
    await expect(client.osd()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' }); // the simulator's admin password is "admin"
    expect(sim.count('Login')).toBe(0);
    expect(lines.join('\n')).not.toMatch(/p@ss|p%40ss/);
    const good = await setup({}, { auth: 'per-request' });
    await good.client.osd();
    await good.client.lens();
    expect(good.sim.count('Login')).toBe(0);
    expect(good.sim.openSessions).toBe(0);
    expect(good.sim.counters.logins).toBe(3); // the ability batch, the OSD and the lens, each checked
  });
});

describe('json-api client: error forms and broken answers', () => {
  it('an error with code 0 (the manual\'s §4.1 example) is an error too', async () => {
    const { client } = await setup({ errorsWithCode0: true, profile: 'fixed' });
    await expect(client.raw({ method: 'POST', path: PATH, body: [{ cmd: 'StartZoomFocus', action: 0, param: { ZoomFocus: { channel: 0, pos: 1, op: 'ZoomPos' } } }] })).resolves.toMatchObject({
      body: [{ ok: false, code: 'ZS_NOT_SUPPORTED' }],
    });
  });

  it('a non-zero code without an error object is an error carrying that code', async () => {
    const { client, sim } = await setup();
    await client.identity();
    sim.server.fault(PATH, { kind: 'status', status: 200, body: '[{"cmd":"GetOsd","code":-13}]' }, 1);
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_STATUS', rspCode: -13, detail: 'set config failed' });
  });

  it('a set answered with a value rspCode other than 200 is not taken as done', async () => {
    const { client, sim } = await setup();
    await client.identity();
    sim.server.fault(PATH, { kind: 'status', status: 200, body: '[{"cmd":"SetAutoFocus","code":0,"value":{"rspCode":-13}}]' }, 1);
    expect(await rejection(client.setFocusMode('manual'))).toMatchObject({ code: 'ZS_HTTP_STATUS', rspCode: -13, cmd: 'SetAutoFocus' });
  });

  it('the camera refusing a value sent past the client (raw) is rspCode -4, a missing field -23, a bad channel -49', async () => {
    const { client } = await setup();
    const res = await client.raw({
      method: 'POST',
      path: PATH,
      body: [
        { cmd: 'StartZoomFocus', action: 0, param: { ZoomFocus: { channel: 0, pos: 99, op: 'ZoomPos' } } },
        { cmd: 'GetOsd', action: 0, param: {} },
        { cmd: 'GetOsd', action: 0, param: { channel: 3 } },
        { cmd: 'NoSuchCmd' },
      ],
    });
    const codes = (res.body as { ok: boolean; message?: string }[]).map((r) => (r.ok ? 'ok' : /rspCode (-?\d+)/.exec(r.message!)?.[1]));
    expect(codes).toEqual(['-4', '-23', '-49', '-9']);
  });

  it('a body that is not JSON, or the wrong number of answers, is a bad response with the (masked) snippet', async () => {
    const { client, sim } = await setup();
    await client.identity();
    sim.server.fault(PATH, { kind: 'malform', body: '<html>busy</html>' }, 1);
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE' });
    sim.server.fault(PATH, { kind: 'malform', body: '[]' }, 1);
    const short = await rejection(client.osd());
    expect(short.message).toMatch(/0 answers to 1 commands/);
  });

  it('a wrong path (HTTP 404) says which path to try', async () => {
    const { client, sim } = await setup();
    sim.server.fault(PATH, { kind: 'status', status: 404, body: 'not found' });
    const error = await rejection(client.osd());
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(error.message).toMatch(/\/api\.cgi/);
  });

  it('a truncated answer to a read is retried; when it persists it is a typed error', async () => {
    const { client, sim } = await setup();
    await client.identity();
    sim.server.fault(PATH, { kind: 'truncate' }, 1);
    expect((await client.osd()).time).toBeDefined();
    expect(client.http.stats.retries).toBe(1);
    sim.server.fault(PATH, { kind: 'truncate' });
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE' });
  });

  it('a slow answer hits the headers timeout; a stalled body hits the body timeout', async () => {
    const { client, sim } = await setup({}, { headersTimeoutMs: 200, bodyTimeoutMs: 200, retries: 0 });
    await client.identity();
    sim.server.fault(PATH, { kind: 'delay', ms: 2500 }, 1);
    expect((await rejection(client.osd())).message).toMatch(/did not answer within 200 ms/);
    sim.server.fault(PATH, { kind: 'stall', ms: 2500 }, 1);
    expect((await rejection(client.osd())).message).toMatch(/stalled/);
  });
});
