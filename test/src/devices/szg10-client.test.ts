import { afterEach, describe, expect, it } from 'vitest';
import { isZoomsyncError, ZoomsyncError } from '../../../protocols/errors.js';
import { makeFirmwareImage, Szg10Simulator, type Szg10SimOptions } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { Szg10Client, type Szg10ClientOptions } from '../../../src/devices/http/szg10-client.js';
import { rejection } from './support/rejection.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function setup(sim: Szg10SimOptions = {}, client: Partial<Szg10ClientOptions> = {}) {
  const s = await Szg10Simulator.start(sim);
  const c = new Szg10Client({ url: s.url, user: 'admin', password: 'admin', retryDelayMs: 10, ...client });
  cleanup.push(() => s.close(), () => c.close());
  return { sim: s, client: c };
}


describe('SZ-G10 client against the simulator: endpoints', () => {
  it('logs in once with the SHA-256 of the password and reuses the JWT', async () => {
    const { sim, client } = await setup();
    const token = await client.login();
    expect(token.split('.')).toHaveLength(3);
    await client.identity();
    await client.lens();
    await client.osd();
    expect(sim.counters.logins).toBe(1);
  });

  it('reads device information as the common identity', async () => {
    const { client } = await setup({ firmwareVersion: '2.3.4', modelName: 'SZ-G10', mac: 'AABBCCDDEEFF' });
    const id = await client.identity();
    expect(id).toMatchObject({ model: 'SZ-G10', firmware: '2.3.4', mac: 'AABBCCDDEEFF' });
    const info = await client.deviceInformation();
    expect(info.stream[0]!.resolution).toEqual({ width: 1920, height: 1080 });
    expect(info.system.health?.cpu.temperatureC).toBeTypeOf('number');
  });

  it('serves the SDP without authentication', async () => {
    const { client, sim } = await setup();
    expect(await client.sdp()).toContain('a=rtpmap:98 H265/90000');
    const raw = await client.raw({ method: 'GET', path: '/app/v1/stream/sdp', auth: false });
    expect(raw.body).toMatch(/^v=0/);
    expect(sim.counters.logins).toBe(0);
    sim.server.fault('/app/v1/stream/sdp', { kind: 'malform', body: '<html>login</html>' });
    await expect(client.sdp()).rejects.toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE' });
  });

  it('moves zoom and focus on the shared lens and reports where each ended, read back once settled', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });
    const { client } = await setup({ lens }, { settlePollMs: 5 });
    const zoomed = await client.zoomTo(600);
    expect(zoomed).toMatchObject({ requested: 600, reached: 600, settled: true });
    expect(zoomed.lens?.focus).toBe(lens.inFocusPosition(600)); // auto mode: focus follows zoom
    await client.setFocusMode('manual');
    expect(lens.focusMode).toBe('manual');
    expect(await client.focusTo(7000)).toMatchObject({ requested: 7000, reached: 7000, settled: true });
    const state = await client.lens();
    expect(state).toMatchObject({ zoom: 600, focus: 7000, focusMode: 'manual', zoomMax: 1000, focusMax: 10000, afInterval: 5 });
    expect(lens.zoom).toBe(600);
  });

  it('zoomTo never reports the requested position as reached: a lens still moving at the end of the wait is unknown', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000] });
    const { client } = await setup({ lens }, { settlePollMs: 5, settleTimeoutMs: 50 });
    const result = await client.zoomTo(900);
    expect(result).toMatchObject({ requested: 900, reached: undefined, settled: false, lens: undefined });
    expect(result.problem).toMatch(/still moving/);
  });

  it('zoomTo reports a lens stopped short of the target where it stopped (another controller stopped it)', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000] });
    const { client } = await setup({ lens }, { settlePollMs: 5 });
    lens.zoomTo(200);
    // The move is stopped the moment it starts, as a PELCO stop on the other face would.
    const start = lens.zoomTo.bind(lens);
    lens.zoomTo = (target, speed) => {
      const ms = start(target, speed);
      lens.stop();
      return ms;
    };
    const result = await client.zoomTo(900);
    expect(result.settled).toBe(true);
    expect(result.reached).toBe(lens.zoom);
    expect(result.reached).toBeLessThan(900);
  });

  it('a read-back cut off after the move leaves the position unknown instead of reporting an in-flight reading', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10] });
    const { client, sim } = await setup({ lens }, { settlePollMs: 5, retries: 0 });
    await client.login();
    sim.server.fault('/app/v1/camera/lens', { kind: 'truncate' }, Infinity, 'GET');
    const result = await client.zoomTo(300);
    expect(result).toMatchObject({ requested: 300, reached: undefined, settled: false });
    expect(result.problem).toMatch(/could not be read back/);
  });

  it('says focus position needs manual mode when the camera is in auto', async () => {
    const { client } = await setup();
    const error = await rejection(client.focusTo(5000));
    expect(error.code).toBe('ZS_HTTP_STATUS');
    expect(error.message).toMatch(/manual focus mode.*auto mode/);
  });

  it('validates ranges before sending, and the simulator answers 400 to out-of-range bodies', async () => {
    const { client, sim } = await setup();
    await expect(client.zoomTo(1001)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    await expect(client.onePush({ left: 0, top: 0, right: 16, bottom: 15 })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    const before = sim.server.stats.requests;
    await expect(client.focusTo(-1)).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    expect(sim.server.stats.requests).toBe(before); // nothing sent
    // Straight to the camera, past the client's checks:
    const res = await client.raw({ method: 'PUT', path: '/app/v1/camera/lens/zoom/position', body: { position: 5000 } }).catch((e: unknown) => e);
    expect(res).toMatchObject({ code: 'ZS_HTTP_STATUS' });
    expect((res as Error).message).toMatch(/HTTP 400/);
    await expect(client.raw({ method: 'POST', path: '/app/v1/media/video/osd', body: { system: { systemTitleShowType: 5, videoResolutionShowType: 0, videoTimeShowType: 0 } } })).rejects.toMatchObject({ code: 'ZS_HTTP_STATUS' });
  });

  it('one-push with a focus area, zoom-AF and home', async () => {
    const lens = new SimulatedLens();
    const { client, sim } = await setup({ lens });
    const roi = { left: 4, top: 4, right: 11, bottom: 11 };
    await client.zoomTo(400);
    expect((await client.onePush(roi)).focus).toBe(lens.inFocusPosition(400));
    expect((await client.lens()).focusRoi).toEqual(roi);
    expect(sim.roi).toEqual(roi);
    await client.setZoomAf(false);
    expect(lens.zoomAfEnabled).toBe(false);
    expect(await client.lensHome()).toEqual({ zoom: 0, focus: lens.inFocusPosition(0) });
  });

  it('matches each lens call to its own success code: focus/position 204 accepted, a 204 where the API documents 200 refused', async () => {
    const lens = new SimulatedLens({ zoomTravelMs: [0, 0, 0, 0], focusTravelMs: [0, 0, 0, 0] });
    const { client, sim } = await setup({ lens }, { settlePollMs: 5 });
    await client.setFocusMode('manual');
    expect(await client.focusTo(1234)).toMatchObject({ reached: 1234, settled: true }); // the simulator answers 204
    sim.server.fault('/app/v1/camera/lens/zoom/position', { kind: 'status', status: 204 }, 1);
    const error = await rejection(client.zoomTo(500));
    expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 204 });
    sim.server.fault('/app/v1/camera/lens/focus/mode', { kind: 'status', status: 200, body: '{}' }, 1);
    await expect(client.setFocusMode('auto')).rejects.toMatchObject({ code: 'ZS_HTTP_STATUS', status: 200 });
  });

  it('gets and sets the OSD by element name', async () => {
    const { client, sim } = await setup();
    expect(await client.osd()).toEqual({ title: 'top-left', resolution: 'top-left', time: 'top-left' });
    const next = await client.setOsd({ time: 'bottom-right', title: 'hidden' });
    expect(next).toEqual({ title: 'hidden', resolution: 'top-left', time: 'bottom-right' });
    expect(sim.osd.system).toEqual({ systemTitleShowType: 0, videoResolutionShowType: 1, videoTimeShowType: 4 });
    await expect(client.setOsd({ clock: 'hidden' })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
  });

  it('gets and sets the IP setup, checking the port rules before sending', async () => {
    const { client, sim } = await setup();
    const net = await client.network();
    expect(net.ports).toEqual({ http: 80, https: 443, rtsp: 554 });
    await client.setNetwork({ ...net, ipv4: { ...net.ipv4, address: '10.1.2.3' }, ports: { http: 8080, https: 443, rtsp: 8554 } });
    expect(sim.ipSetup.ipv4.ipAddr).toBe('10.1.2.3');
    expect(sim.ipSetup.port).toEqual({ http: 8080, https: 443, rtsp: 8554 });
    for (const ports of [{ http: 81, https: 443, rtsp: 554 }, { http: 8080, https: 8080, rtsp: 554 }, { http: 80, https: 1000, rtsp: 554 }]) {
      await expect(client.setNetwork({ ...net, ports })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
    }
    // What the common shape cannot say is kept: IPv6 use type 2, and the IPv6 block when ipv6 is left out.
    sim.ipSetup.ipv6 = { useType: 2, ipAddr: '2001:db8::5', prefixLength: 48, gateway: 'fe80::1', dns: { primary: '2001:db8::53', secondary: '' }, linklocal: 'fe80::1' };
    const withV6 = await client.network();
    await client.setNetwork({ ...withV6, ports: { http: 8080, https: 8443, rtsp: 8554 } });
    expect(sim.ipSetup.ipv6).toMatchObject({ useType: 2, ipAddr: '2001:db8::5', prefixLength: 48 });
    const { ipv6: _omitted, ...noV6 } = withV6;
    await client.setNetwork({ ...noV6, ports: { http: 8080, https: 443, rtsp: 8554 } });
    expect(sim.ipSetup.ipv6).toMatchObject({ useType: 2, ipAddr: '2001:db8::5', dns: { primary: '2001:db8::53', secondary: '' } });
    // A camera that moves drops the connection: no resend to the old address, and advice where to look.
    sim.server.fault('/app/v1/network/ipSetup', { kind: 'reset' }, 1, 'POST');
    const sent = sim.server.stats.requests;
    const moved = await rejection(client.setNetwork({ ...net, ipv4: { ...net.ipv4, address: '10.9.9.9' }, ports: { http: 8081, https: 443, rtsp: 554 } }));
    expect(moved.code).toBe('ZS_HTTP_CONNECT');
    expect(moved.message).toMatch(/probably applied them — look for it at 10\.9\.9\.9, HTTP port 8081/);
    expect(sim.server.stats.requests).toBe(sent + 2); // the GET of the current setup, one POST
    // the simulator enforces the same rules
    const body = { ipv4: { dhcp: true, ipAddr: '', gateway: '', subnet: '', dns: { primary: '', secondary: '' } }, ipv6: { useType: 0, ipAddr: '', prefixLength: 64, gateway: '', dns: { primary: '', secondary: '' } }, port: { http: 554, https: 443, rtsp: 554 } };
    await expect(client.raw({ method: 'POST', path: '/app/v1/network/ipSetup', body })).rejects.toThrow(/HTTP 400/);
  });

  it('reboots (sessions forgotten, re-login on the next call) and resets chosen categories', async () => {
    const { client, sim } = await setup();
    await client.setOsd({ title: 'hidden' });
    await client.reboot();
    expect(sim.rebootCount).toBe(1);
    await client.factoryDefault({ reset: ['camera', 'onvif'] });
    expect(sim.lastFactoryDefault).toEqual(['camera', 'onvif']);
    expect(sim.osd.system.systemTitleShowType).toBe(1);
    await client.factoryDefault();
    expect(sim.lastFactoryDefault).toEqual(['all']);
    expect(sim.counters.logins).toBe(2); // first, and after the reboot
    await client.lens();
    expect(sim.counters.logins).toBe(3); // the full reset included the users
  });

  it('upgrades firmware: upload with progress, upgrade with rate, result and new version', async () => {
    const { client, sim } = await setup({ firmwareMsPerPercent: 5 }, { firmwarePollMs: 20 }); // 0.5 s of upgrade: polls see it running even on a busy machine
    const seen: string[] = [];
    const result = await client.upgradeFirmware(makeFirmwareImage('9.9.9', 300 * 1024), { onProgress: (p) => seen.push(`${p.stage}:${p.percent}`) });
    expect(result.version).toBe('9.9.9');
    expect(sim.firmwareVersion).toBe('9.9.9');
    expect(seen.filter((s) => s.startsWith('upload')).length).toBeGreaterThan(2);
    expect(seen.some((s) => s.startsWith('upgrade:'))).toBe(true);
    expect(seen.at(-1)).toBe('done:100');
  });

  it('keeps polling while the camera restarts for the upgrade', async () => {
    const { client, sim } = await setup({ firmwareMsPerPercent: 1, restartMs: 300 }, { firmwarePollMs: 25, retries: 0 });
    const seen: string[] = [];
    const result = await client.upgradeFirmware(makeFirmwareImage('5.0.0', 1000), { onProgress: (p) => seen.push(p.stage) });
    expect(result.version).toBe('5.0.0');
    expect(seen.at(-1)).toBe('done');
    expect(sim.counters.logins).toBe(2); // before, and after the restart (for the version)
  });

  it('waits for the camera to save a firmware file longer than for a setting', async () => {
    const { client, sim } = await setup({ firmwareMsPerPercent: 1 }, { firmwarePollMs: 10, headersTimeoutMs: 200 });
    sim.server.fault('/app/v1/upload/firmware', { kind: 'delay', ms: 1600 }, 1); // writing to flash (undici fires a 200 ms timeout after ~1 s)
    expect((await client.upgradeFirmware(makeFirmwareImage('8.0.0', 1000))).version).toBe('8.0.0');
  });

  it('keeps polling through error pages while the restarted camera boots', async () => {
    const { client, sim } = await setup({ firmwareMsPerPercent: 1 }, { firmwarePollMs: 10 });
    sim.server.fault('/app/v1/system/firmware/upgradeState', { kind: 'status', status: 503, body: '<html>starting…</html>' }, 2);
    expect((await client.upgradeFirmware(makeFirmwareImage('6.0.0', 1000))).version).toBe('6.0.0');
    sim.server.fault('/app/v1/system/firmware/upgradeState', { kind: 'malform', body: '<html>loading</html>' }, 2);
    expect((await client.upgradeFirmware(makeFirmwareImage('6.0.1', 1000))).version).toBe('6.0.1');
  });

  it('an upgrade request whose answer is lost to the restart is followed through the state, not reported as failed', async () => {
    const { client } = await setup({ firmwareMsPerPercent: 1, upgradeAnswerLost: true }, { firmwarePollMs: 10 });
    expect((await client.upgradeFirmware(makeFirmwareImage('7.0.0', 1000))).version).toBe('7.0.0');
  });

  it('an upgrade request lost before the camera saw it ends with "none", saying the firmware is unchanged', async () => {
    const { client, sim } = await setup({}, { firmwarePollMs: 10 });
    sim.server.fault('/app/v1/system/firmware/upgrade', { kind: 'reset' }, 1);
    const error = await rejection(client.upgradeFirmware(makeFirmwareImage('7.0.0', 1000)));
    expect(error.message).toMatch(/reports no upgrade.*firmware is unchanged/);
    expect(sim.firmwareVersion).toBe('1.0.1');
  });

  it('a rebooting camera drops calls with advice to try again', async () => {
    const { client } = await setup({ restartMs: 400 }, { retries: 0 });
    await client.reboot();
    const error = await rejection(client.lens());
    expect(error.code).toBe('ZS_HTTP_CONNECT');
    await new Promise((r) => setTimeout(r, 450));
    expect((await client.lens()).zoomMax).toBe(1000);
  });

  it('reports a failed upgrade, an incorrect file (400) and a failed upload (500)', async () => {
    const { client, sim } = await setup({ firmwareMsPerPercent: 1, failUpgradeAt: 30, maxFirmwareBytes: 100_000 }, { firmwarePollMs: 10 });
    await expect(client.upgradeFirmware(makeFirmwareImage('2.0.0', 1000))).rejects.toThrow(/upgrade failed on the camera: Upgrade failed/);
    await expect(client.upgradeFirmware(new Uint8Array(1000).fill(1))).rejects.toThrow(/missing or not a valid firmware/);
    const tooBig = await rejection(client.upgradeFirmware(makeFirmwareImage('2.0.0', 200_000)));
    expect(tooBig.code).toBe('ZS_HTTP_STATUS');
    expect(tooBig.message).toMatch(/HTTP 500.*Fail to save the file/);
    sim.server.fault('/app/v1/upload/firmware', { kind: 'status', status: 500, body: 'Fail to save the file.' }, 1);
    await expect(client.upgradeFirmware(makeFirmwareImage('2.0.0', 1000))).rejects.toThrow(/HTTP 500/);
    // "a 500 error or failure message": a 200 whose text says Fail is a failure too
    sim.server.fault('/app/v1/upload/firmware', { kind: 'status', status: 200, body: 'Fail to save the file.\nREQUEST_URI:/app/v1/upload/firmware' }, 1);
    await expect(client.upgradeFirmware(makeFirmwareImage('2.0.0', 1000))).rejects.toThrow(/did not confirm saving the file: Fail to save/);
  });

  it('declares its capabilities; what it lacks is a typed not-supported error naming dialect and capability', async () => {
    const { client } = await setup();
    expect(client.supports('lens')).toBe(true);
    expect(client.supports('presets')).toBe(false);
    const error = await rejection(client.gotoPreset(1));
    expect(error.code).toBe('ZS_NOT_SUPPORTED');
    expect(error.message).toMatch(/presets/);
    expect(error.message).toMatch(/szg10/);
    await expect(client.snapshot()).rejects.toMatchObject({ code: 'ZS_NOT_SUPPORTED' });
    await expect(client.ptzSerial()).rejects.toThrow(/ptz-serial/);
  });
});

describe('SZ-G10 client: authentication errors', () => {
  it('a wrong password fails once and is never retried by zoomsync', async () => {
    const { client, sim } = await setup({}, { password: 'wrong' });
    const first = await rejection(client.lens());
    expect(first.code).toBe('ZS_HTTP_AUTH');
    expect(first.message).toMatch(/wrong user or password/);
    expect(first.message).not.toContain('wrong"'); // the password itself is never printed
    await expect(client.lens()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    await expect(client.osd()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    expect(sim.counters.logins).toBe(1);
  });

  it('tries again only after new credentials are given', async () => {
    const { client, sim } = await setup({}, { password: 'wrong' });
    await expect(client.lens()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    client.setCredentials('admin', 'admin');
    expect((await client.lens()).zoomMax).toBe(1000);
    expect(sim.counters.logins).toBe(2);
  });

  it('a login that times out is not sent again by the transport (each try may count toward the lockout)', async () => {
    const { client, sim } = await setup({}, { password: 'wrong', headersTimeoutMs: 200, retries: 2 });
    sim.server.fault('/app/v1/login', { kind: 'delay', ms: 2500 }, 1);
    const error = await rejection(client.lens());
    expect(error.code).toBe('ZS_HTTP_TIMEOUT');
    expect(sim.server.stats.requests).toBe(1); // one login arrived, no transport retries
    expect(client.http.stats.retries).toBe(0);
  });

  it('locks after 5 failures (403) even for the right password, with advice to wait', async () => {
    const sim = await Szg10Simulator.start({ lockoutMs: 60_000 });
    cleanup.push(() => sim.close());
    for (let i = 0; i < 5; i++) {
      const bad = new Szg10Client({ url: sim.url, user: 'admin', password: `guess${i}` });
      await expect(bad.login()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
      await bad.close();
    }
    const good = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => good.close());
    const locked = await rejection(good.lens());
    expect(locked.code).toBe('ZS_HTTP_LOCKED');
    expect(locked.message).toMatch(/wait/);
    await expect(good.lens()).rejects.toMatchObject({ code: 'ZS_HTTP_LOCKED' });
    expect(sim.counters.logins).toBe(6);
  });

  it('an expired token gets exactly one re-login', async () => {
    const { client, sim } = await setup({ tokenLifetimeMs: 150 });
    await client.lens();
    await new Promise((r) => setTimeout(r, 200));
    await client.lens();
    expect(sim.counters.logins).toBe(2);
  });

  it('a late 401 for the old token reuses the fresh one a concurrent call already got', async () => {
    const { client, sim } = await setup({ tokenLifetimeMs: 400 }, { connections: 2 });
    await client.lens();
    await new Promise((r) => setTimeout(r, 450));
    sim.server.fault('/app/v1/media/video/osd', { kind: 'delay', ms: 150 }, 1); // its 401 comes after the other call re-logged in
    await Promise.all([client.lens(), client.osd()]);
    expect(sim.counters.logins).toBe(2);
  });

  it('a 401 right after a fresh login is a clear permission error, not a loop', async () => {
    const { client, sim } = await setup({ users: [{ id: 'viewer', password: 'v', permissions: [] }] }, { user: 'viewer', password: 'v' });
    expect((await client.lens()).zoomMax).toBe(1000); // authentication is enough to read
    const error = await rejection(client.zoomTo(10));
    expect(error.code).toBe('ZS_HTTP_AUTH');
    expect(error.message).toMatch(/lacks the "setup" permission/);
    expect(sim.counters.logins).toBe(2);
  });

  it('checks the session after an idle spell and logs out', async () => {
    const { client, sim } = await setup({}, { sessionCheckAfterMs: 0 });
    await client.lens();
    await new Promise((r) => setTimeout(r, 5));
    await client.lens();
    expect(client.authStats.sessionChecks).toBeGreaterThan(0);
    await client.logout();
    expect(await client.checkSession()).toBe(false);
    expect(sim.counters.logins).toBe(1);
  });
});

describe('SZ-G10 client: broken answers and slow cameras', () => {
  it('a malformed body is a typed error carrying the snippet', async () => {
    const { client, sim } = await setup();
    sim.server.fault('/app/v1/camera/lens', { kind: 'malform', body: '{"focus": {"position": "near"}}' });
    const error = await rejection(client.lens());
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(error.message).toContain('"position": "near"');
    sim.server.fault('/app/v1/camera/lens', { kind: 'malform' });
    await expect(client.lens()).rejects.toThrow(/not valid JSON/);
  });

  it('a truncated body on an idempotent call is retried; when it persists it is a typed error', async () => {
    const { client, sim } = await setup();
    sim.server.fault('/app/v1/camera/lens', { kind: 'truncate' }, 1);
    expect((await client.lens()).zoomMax).toBe(1000);
    expect(client.http.stats.retries).toBe(1);
    sim.server.fault('/app/v1/camera/lens', { kind: 'truncate' });
    const error = await rejection(client.lens());
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(error.message).toMatch(/cut off/);
  });

  it('a huge answer is refused at the size limit, not buffered, and not retried', async () => {
    const { client, sim } = await setup({}, { maxResponseBytes: 64 * 1024 });
    await client.login();
    sim.server.fault('/app/v1/camera/lens', { kind: 'malform', body: 'x'.repeat(1024 * 1024) });
    const error = await rejection(client.lens());
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(error.message).toMatch(/over the 65536-byte limit/);
    expect(client.http.stats.retries).toBe(0);
    sim.server.clearFaults();
    expect((await client.lens()).zoomMax).toBe(1000); // the client is still usable
  });

  it('a non-idempotent call is never retried', async () => {
    const { client, sim } = await setup();
    await client.login();
    sim.server.fault('/app/v1/system/reboot', { kind: 'reset' });
    await expect(client.reboot()).rejects.toMatchObject({ code: 'ZS_HTTP_CONNECT' });
    expect(client.http.stats.retries).toBe(0);
    expect(sim.rebootCount).toBe(0);
  });

  it('a slow answer hits the headers timeout; a stalled body hits the body timeout', async () => {
    // undici's timers tick about every 0.5 s, so the faults outlast the timeouts by a margin.
    const { client, sim } = await setup({}, { headersTimeoutMs: 200, bodyTimeoutMs: 200, retries: 0 });
    await client.login();
    sim.server.fault('/app/v1/camera/lens', { kind: 'delay', ms: 2500 }, 1);
    const slow = await rejection(client.lens());
    expect(slow.code).toBe('ZS_HTTP_TIMEOUT');
    expect(slow.message).toMatch(/did not answer within 200 ms/);
    sim.server.fault('/app/v1/media/video/osd', { kind: 'stall', ms: 2500 }, 1);
    const stalled = await rejection(client.osd());
    expect(stalled.code).toBe('ZS_HTTP_TIMEOUT');
    expect(stalled.message).toMatch(/stalled/);
  });

  it('a camera that is not there is a connect error saying what to check', async () => {
    const sim = await Szg10Simulator.start();
    const url = sim.url;
    await sim.close();
    const client = new Szg10Client({ url, user: 'admin', password: 'admin', retries: 1, retryDelayMs: 5 });
    cleanup.push(() => client.close());
    const error = await rejection(client.lens());
    expect(error.code).toBe('ZS_HTTP_CONNECT');
    expect(error.message).toMatch(/check the address/);
    expect(isZoomsyncError(error)).toBe(true);
  });

  it('a camera that accepts TCP but never completes TLS hits the connect timeout', async () => {
    const { createServer } = await import('node:net');
    const accepted = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => {
      accepted.add(socket);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    const client = new Szg10Client({ url: `https://127.0.0.1:${port}`, user: 'admin', password: 'admin', connectTimeoutMs: 200, retries: 0 });
    cleanup.push(async () => {
      await client.close();
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    });
    const t0 = Date.now();
    const error = await client.lens().catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(error).toMatchObject({ code: 'ZS_HTTP_TIMEOUT', timeoutMs: 200, mayHaveActed: false }); // nothing was sent
  });

  it('keeps one connection for many requests', async () => {
    const { client, sim } = await setup();
    for (let i = 0; i < 20; i++) await client.lens();
    expect(sim.server.stats.connections).toBe(1);
    expect(client.http.stats.connections).toBe(1);
  });
});
