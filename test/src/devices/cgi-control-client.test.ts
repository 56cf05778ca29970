import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CgiControlSimulator, SIM_MAC, type CgiControlSimOptions } from '../../../hardware/sim/http/cgi-control-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { HttpTimeoutError, ZoomsyncError } from '../../../protocols/errors.js';
import { CgiControlError } from '../../../protocols/http/cgi-control/errors.js';
import { CgiControlClient, type CgiControlClientOptions } from '../../../src/devices/http/cgi-control-client.js';
import { openCamera } from '../../../src/devices/http/registry.js';
import { runCli } from '../../helpers/cli.js';
import { rejection } from './support/rejection.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const fastLens = () => new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] });

async function setup(sim: CgiControlSimOptions = {}, client: Partial<CgiControlClientOptions> = {}) {
  const s = await CgiControlSimulator.start({ lens: fastLens(), ...sim });
  const c = new CgiControlClient({ url: s.url, user: 'admin', password: 'admin', retryDelayMs: 5, ...client });
  cleanup.push(() => s.close(), () => c.close());
  return { sim: s, client: c };
}


describe('cgi-control client against the simulator: calls', () => {
  it('is what openCamera returns for the cgi-control dialect', async () => {
    const { sim } = await setup();
    const camera = openCamera({ dialect: 'cgi-control', url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => camera.close());
    expect(camera).toBeInstanceOf(CgiControlClient);
    expect((await camera.identity()).mac).toBe(SIM_MAC);
  });

  it('answers `zoomsync camera --dialect cgi-control info` through openCamera, and a wrong password in one line', async () => {
    const { sim } = await setup();
    const ok = await runCli(['camera', '--url', sim.url, '--dialect', 'cgi-control', '--user', 'admin', 'info'], { env: { ZOOMSYNC_PASSWORD: 'admin' } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`mac: ${SIM_MAC}`);
    const refused = await runCli(['camera', '--url', sim.url, '--dialect', 'cgi-control', '--user', 'admin', 'info'], { env: { ZOOMSYNC_PASSWORD: 'nope' } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('ZS_HTTP_AUTH');
    expect(refused.stderr).not.toContain('nope');
  });

  it('describes the model from capabilityptz and getmaxsize, and says the firmware is not reported', async () => {
    const { client } = await setup();
    const id = await client.identity();
    expect(id).toMatchObject({ model: 'CGI control zoom camera, 1280x1024', mac: SIM_MAC, extra: { name: 'welcome', maxVideoSize: '1280x1024', ptz: { zoom: true, pan: false, presets: 128 } } });
    expect(id.firmware).toContain('not reported');
  });

  it('asks capabilityptz once and offers focus and presets only on a camera that has them', async () => {
    const block = await setup();
    await block.client.identity();
    await block.client.identity();
    expect(block.sim.count('capabilityptz', 'getPTZ')).toBe(1);
    expect(block.client.supports('presets')).toBe(true);
    expect(block.client.supports('focus')).toBe(true);
    const fixed = await setup({ profile: 'fixed' });
    await fixed.client.ptzCapabilities();
    expect(fixed.client.supports('presets')).toBe(false);
    expect(fixed.client.supports('focus')).toBe(false);
  });

  it('falls back to getCapabilitiesPTZAll when getPTZ is unknown, reading its missing keys as No', async () => {
    const { sim, client } = await setup({ profile: 'ptz' });
    sim.server.fault('/cgi-bin/control/capabilityptz.cgi', { kind: 'malform', body: 'Error: Invalid action\r\n' }, 1);
    expect(await client.ptzCapabilities()).toMatchObject({ pan: true, zoom: true, presets: 128, autoFocus: false, autopanTurn: false });
    expect(sim.count('capabilityptz', 'getCapabilitiesPTZAll')).toBe(1);
    expect(client.supports('focus')).toBe(false); // one-push needs AutoFocusSupported, which the All form lacks
    expect(client.supports('presets')).toBe(true);
  });

  it('offers no PTZ on a camera without capabilityptz.cgi (before rev 1.18: 404)', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/cgi-bin/control/capabilityptz.cgi', { kind: 'status', status: 404 });
    expect(await client.ptzCapabilities()).toMatchObject({ zoom: false, presets: 0 });
    expect((await rejection(client.gotoPreset(1))).code).toBe('ZS_NOT_SUPPORTED');
    expect(sim.count('preset_control', 'gopreset')).toBe(0);
  });

  it('refuses PTZ the camera lacks before sending it: zoom on a fixed camera, pan on a zoom block, presets on a fixed camera', async () => {
    const fixed = await setup({ profile: 'fixed' });
    expect((await rejection(fixed.client.zoom('in'))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(fixed.client.gotoPreset(1))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(fixed.client.onePush())).code).toBe('ZS_NOT_SUPPORTED');
    expect(fixed.sim.count('zf_control', 'setzfmove') + fixed.sim.count('preset_control', 'gopreset') + fixed.sim.count('zf_control', 'onepush')).toBe(0);
    const block = await setup();
    expect((await rejection(block.client.panTilt({ pan: 'left' }))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(block.client.tour(1))).code).toBe('ZS_NOT_SUPPORTED');
    expect(block.sim.count('pt_control', 'setptmove') + block.sim.count('preset_control', 'tour')).toBe(0);
  });

  it('zooms in until stop(), driving the shared lens', async () => {
    let now = 0;
    const { sim, client } = await setup({ lens: new SimulatedLens({ clock: () => now }) });
    await client.zoom('in', 100);
    expect(sim.zoomMotion).toBe('in');
    now = 300;
    expect(sim.lens.zoom).toBeGreaterThan(0);
    await client.stop();
    expect(sim.zoomMotion).toBe('stop');
    const held = sim.lens.zoom;
    now = 10_000;
    expect(sim.lens.zoom).toBe(held);
  });

  it('focuses in (near) and out (far) at a speed, and refuses a speed outside 1–100 before sending', async () => {
    const { sim, client } = await setup();
    await client.focus('out', 10);
    expect(sim.focusMotion).toBe('out');
    expect(sim.lastSpeed).toBe(10);
    expect((await rejection(client.focus('in', 0))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.count('zf_control', 'setzfmove')).toBe(1);
  });

  it('pans and tilts on a PTZ camera, and stop() stops both kinds of axis', async () => {
    const { sim, client } = await setup({ profile: 'ptz' });
    await client.panTilt({ pan: 'right', tilt: 'down', speed: 50 });
    expect(sim.panTiltMotion).toEqual({ pan: 'right', tilt: 'down' });
    await client.stop();
    expect(sim.panTiltMotion).toEqual({ pan: 'stop', tilt: 'stop' });
    expect(sim.zoomMotion).toBe('stop');
  });

  it('saves, recalls and clears presets; recalling an empty slot is a refused CgiControlError', async () => {
    const { sim, client } = await setup();
    await client.savePreset(5);
    await client.gotoPreset(5);
    await client.clearPreset(5);
    const error = await rejection(client.gotoPreset(5));
    expect(error).toBeInstanceOf(CgiControlError);
    expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', refusal: 'refused', status: 200, script: 'preset_control', action: 'gopreset' });
    expect((await rejection(client.gotoPreset(129))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.count('preset_control', 'gopreset')).toBe(2);
  });

  it('runs and stops autopan, autopan cw and tours on a PTZ camera', async () => {
    const { sim, client } = await setup({ profile: 'ptz' });
    await client.autopan(2);
    expect(sim.sequence).toBe('autopan 2');
    await client.autopan('stop');
    expect(sim.sequence).toBeUndefined();
    await client.autopanTurn('cw', 30);
    expect(sim.sequence).toBe('autopan_cw 30');
    await client.tour(4);
    expect(sim.sequence).toBe('tour 4');
    expect((await rejection(client.tour(5))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('one-push AF sends onepush and refuses a focus area (the API has none)', async () => {
    const { sim, client } = await setup();
    expect(Number.isNaN((await client.onePush()).focus)).toBe(true);
    expect(sim.count('zf_control', 'onepush')).toBe(1);
    expect((await rejection(client.onePush({ left: 0, top: 0, right: 3, bottom: 3 }))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('reads and sets ptzf_status, and a move while zoom/focus is disabled is a ptz-disabled error followed by a stop', async () => {
    const { sim, client } = await setup();
    expect(await client.ptzStatus()).toEqual({ panTilt: false, zoomFocus: true });
    await client.setPtzStatus({ zoomFocus: false });
    const error = await rejection(client.zoom('in'));
    expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', refusal: 'ptz-disabled' });
    expect(sim.count('zf_control', 'setzfmove')).toBe(2); // the move, then the stop
  });

  it('reads the image groups under the request keys and sets day/night, refusing bad values before sending', async () => {
    const { sim, client } = await setup();
    const image = await client.image();
    expect(image).toMatchObject({ dayNight: { mode: 'auto', ptn: 500, ptd: 270 }, color: { bright: 52 }, whiteBalance: { mode: 'user' }, shutter: { shutmode: 'user', shutspeed: 9 } });
    await client.setImage({ dayNight: { mode: 'night' }, color: { hue: 40 } });
    expect(sim.state.image.dayNight.mode).toBe('night');
    expect(sim.state.image.color.hue).toBe(40);
    const before = sim.server.stats.requests;
    expect((await rejection(client.setImage({ color: { bright: 101 } }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.setImage({ wdr: { mode: 'dwdr' } }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(before);
  });

  it('checks a new ptn against the camera\'s current ptd', async () => {
    const { sim, client } = await setup();
    expect((await rejection(client.setImage({ dayNight: { ptn: 100 } }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.count('camdaynight', 'setdaynight')).toBe(0);
  });

  it('reads and hides OSD elements', async () => {
    const { sim, client } = await setup();
    expect(await client.osd()).toEqual({ title: 'custom', date: 'custom', time: 'custom' });
    expect(await client.setOsd({ time: 'hidden' })).toMatchObject({ time: 'hidden', title: 'custom' });
    expect(sim.state.osd.timeon).toBe('disable');
    expect((await rejection(client.setOsd({ time: 'top-left' }))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('reads the network (the HTTP port is the one reached) and sets the DNS', async () => {
    const { sim, client } = await setup();
    const net = await client.network();
    expect(net).toMatchObject({ ipv4: { dhcp: false, address: '192.168.1.30', subnet: '255.255.255.0', dns: { primary: '168.126.63.1', secondary: '' } }, ports: { http: Number(new URL(sim.url).port), https: 0, rtsp: 554 } });
    await client.setNetwork({ ...net, ipv4: { ...net.ipv4, dns: { primary: '9.9.9.9', secondary: '1.1.1.1' } } });
    expect(sim.state.dns).toEqual({ firstdns: '9.9.9.9', seconddns: '1.1.1.1' });
    expect(sim.count('netset', 'setip')).toBe(0);
    expect((await rejection(client.setNetwork({ ...net, ports: { ...net.ports, rtsp: 8554 } }))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.setNetwork({ ipv4: net.ipv4 } as never))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.setNetwork({ ...net, ipv4: { ...net.ipv4, dhcp: false, subnet: '255.255.0' } }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.count('netset', 'setip')).toBe(0);
  });

  it('sets and reads the clock in the configured UTC offset', async () => {
    const { sim, client } = await setup({}, { utcOffsetMinutes: 120 });
    const when = new Date(Date.UTC(2024, 5, 1, 10, 0, 0));
    await client.setTime(when);
    expect(sim.state.timeMode).toBe('user');
    expect(Math.abs((await client.time()).getTime() - when.getTime())).toBeLessThan(5000); // the camera clock runs on between the two calls
    expect((await rejection(client.setTime(new Date(Date.UTC(2040, 0, 1))))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('switches the relay (alarm output 1) and reads the alarm configuration', async () => {
    const { sim, client } = await setup();
    await client.alarmOutput(1, true);
    expect(sim.state.relay).toBe('on');
    await client.alarmOutput(1, false);
    expect(sim.state.relay).toBe('off');
    expect((await rejection(client.alarmOutput(0, true))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(await client.alarmInput(1)).toMatchObject({ maxno: '1', 'alarmin1.type': 'no' });
    expect(await client.alarmOutputConfig(0)).toMatchObject({ 'alarmout1.name': 'relay', 'alarmout1.time': '5' });
  });

  it('takes a JPEG snapshot', async () => {
    const { client } = await setup();
    const jpeg = await client.snapshot();
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
  });

  it('reboots, and resets to factory keeping the network (setfactoryexip) or not (setfactory)', async () => {
    const { sim, client } = await setup({ rebootMs: 0 }); // no restart window: the calls follow each other at once
    await client.reboot();
    expect(sim.rebootCount).toBe(1);
    await client.factoryDefault({ reset: ['user', 'system', 'event', 'camera', 'onvif', 'action'] });
    expect(sim.count('reboot', 'setfactoryexip')).toBe(1);
    await client.factoryDefault();
    expect(sim.count('reboot', 'setfactory')).toBe(1);
    expect((await rejection(client.factoryDefault({ reset: ['camera'] }))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('reaches any documented call through cgi() and raw(), credentials added', async () => {
    const { sim, client } = await setup();
    expect(await client.cgi('alarmin', 'getalarmin1')).toMatchObject({ values: { 'alarmin1.name': 'sensor' } });
    expect((await client.cgi('capabilityptz', 'getPTZ'))!.sections[0]!.name).toBe('Capabilities PTZ');
    expect(await client.raw({ method: 'GET', path: '/cgi-bin/control/servername.cgi?action=setservername&servername=dock' })).toMatchObject({ status: 200, body: { values: { servername: 'dock' } } });
    expect(sim.state.servername).toBe('dock');
    expect((await rejection(client.cgi('servername', 'getservername', { passwd: 'x' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.raw({ method: 'POST', path: '/cgi-bin/control/servername.cgi?action=getservername' }))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('maps an action the firmware lacks, and a script absent (404), to NotSupportedError', async () => {
    const { client } = await setup();
    expect((await rejection(client.cgi('camwdr', 'getwdr'))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.cgi('nosuchscript', 'getx'))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.cgi('servername', 'getServerName'))).code).toBe('ZS_NOT_SUPPORTED');
  });

  it('resets the lens (lensreset: the lens heads home)', async () => {
    let now = 0;
    const { sim, client } = await setup({ lens: new SimulatedLens({ clock: () => now, initialZoom: 800 }) });
    await client.lensReset();
    expect(sim.count('ptzf_status', 'lensreset')).toBe(1);
    now = 60_000;
    expect(sim.lens.zoom).toBe(0);
  });

  it('has no lens positions unless configured for the position CGIs of newer firmware', async () => {
    const { sim, client } = await setup({ extendedFirmware: true });
    expect(client.supports('lens')).toBe(false);
    expect((await rejection(client.zoomTo(10))).code).toBe('ZS_NOT_SUPPORTED');
    expect(sim.server.stats.requests).toBe(0);
  });

  it('reads positions, moves to one and reads it back (getptzfpos / goptzfpos), checking the scale first', async () => {
    const { sim, client } = await setup({ extendedFirmware: true }, { positions: { zoomMax: 1000, focusMax: 10000 }, settlePollMs: 5 });
    expect(await client.lens()).toMatchObject({ zoom: 0, zoomMax: 1000, focusMax: 10000 });
    expect(await client.zoomTo(600)).toMatchObject({ requested: 600, reached: 600, settled: true });
    expect(sim.lens.zoom).toBe(600);
    expect((await client.focusTo(2000)).reached).toBe(2000);
    expect(await client.lensHome()).toMatchObject({ zoom: 0 });
    expect((await rejection(client.zoomTo(1001))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.count('ptzf_status', 'goptzfpos')).toBe(2);
  });

  it('a camera without the position CGIs answers NotSupportedError', async () => {
    const { client } = await setup({}, { positions: { zoomMax: 1000, focusMax: 10000 } });
    expect((await rejection(client.lens())).code).toBe('ZS_NOT_SUPPORTED');
  });

  it('takes a 204 with no content as an action\'s success (reported for goptzfpos), and refuses it for a getter', async () => {
    const { sim, client } = await setup();
    await client.ptzCapabilities();
    sim.server.fault('/cgi-bin/control/ptzf_status.cgi', { kind: 'status', status: 204 });
    await client.lensReset();
    expect((await rejection(client.ptzStatus())).code).toBe('ZS_HTTP_STATUS');
  });

  it('does not offer lens positions on a camera without zoom or focus', async () => {
    const { sim, client } = await setup({ profile: 'fixed', extendedFirmware: true }, { positions: { zoomMax: 1000, focusMax: 10000 } });
    expect((await rejection(client.zoomTo(5))).code).toBe('ZS_NOT_SUPPORTED');
    expect(sim.count('ptzf_status', 'goptzfpos')).toBe(0);
  });

  it('close() stops a zoom that is still running', async () => {
    const { sim, client } = await setup();
    await client.zoom('out', 5);
    expect(sim.zoomMotion).toBe('out');
    await client.close();
    expect(sim.zoomMotion).toBe('stop');
  });
});

describe('cgi-control client: options', () => {
  it.each([
    ['speed 0', { speed: 0 }, 'option speed'],
    ['speed 101', { speed: 101 }, 'option speed'],
    ['a UTC offset of 20 hours', { utcOffsetMinutes: 1200 }, 'option utcOffsetMinutes'],
    ['an empty user', { user: '' }, 'option user'],
    ['an empty password', { password: '' }, 'option password'],
    ['a URL with a password in it', { url: 'http://admin:admin@127.0.0.1' }, 'camera URL'],
    ['a zoom scale of 0', { positions: { zoomMax: 0, focusMax: 10 } }, 'option positions.zoomMax'],
  ])('refuses %s in the constructor, naming the option', (_what, bad, field) => {
    expect(() => new CgiControlClient({ url: 'http://127.0.0.1:9', user: 'admin', password: 'admin', ...bad })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field }));
  });

  it('takes the default for an option given as undefined', async () => {
    const { sim } = await setup();
    const client = new CgiControlClient({ url: sim.url, user: 'admin', password: 'admin', speed: undefined });
    cleanup.push(() => client.close());
    await client.zoom('in');
    expect(sim.lastSpeed).toBe(50);
  });
});

describe('cgi-control client: credentials', () => {
  it('sends a wrong password once, then answers from the latch', async () => {
    const { sim, client } = await setup({}, { password: 'wrong' });
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_AUTH');
    expect((await rejection(client.image())).code).toBe('ZS_HTTP_AUTH');
    expect(sim.counters.authChecks).toBe(1);
  });

  it('sends a wrong password once even when many calls start together', async () => {
    const { sim, client } = await setup({}, { password: 'wrong' });
    const results = await Promise.allSettled([client.image(), client.network(), client.osd(), client.snapshot(), client.time()]);
    expect(results.every((r) => r.status === 'rejected' && (r.reason as ZoomsyncError).code === 'ZS_HTTP_AUTH')).toBe(true);
    expect(sim.counters.authChecks).toBe(1);
  });

  it('runs calls side by side once the camera has accepted the credentials', async () => {
    const { sim, client } = await setup();
    await client.osd();
    await Promise.all([client.image(), client.network(), client.time()]);
    expect(sim.counters.authFailures).toBe(0);
  });

  it('latches an HTTP 401 too, and new credentials clear the latch', async () => {
    const { sim, client } = await setup({ authFailure: 401 }, { password: 'wrong' });
    expect((await rejection(client.osd())).code).toBe('ZS_HTTP_AUTH');
    expect((await rejection(client.osd())).code).toBe('ZS_HTTP_AUTH');
    expect(sim.counters.authChecks).toBe(1);
    client.setCredentials('admin', 'admin');
    expect(await client.osd()).toMatchObject({ title: 'custom' });
  });

  it('keeps calls one at a time after a 404 (it says nothing of the credentials)', async () => {
    const { sim, client } = await setup({}, { password: 'wrong' });
    expect((await rejection(client.cgi('nosuchscript', 'getx'))).code).toBe('ZS_NOT_SUPPORTED');
    await Promise.allSettled([client.osd(), client.image(), client.time()]);
    expect(sim.counters.authChecks).toBe(1);
  });

  it('does not latch a refusal that is not about credentials', async () => {
    const { sim, client } = await setup();
    await rejection(client.gotoPreset(9));
    await client.osd();
    expect(sim.counters.authFailures).toBe(0);
  });

  it('reports the disabled HTTP API as its own refusal', async () => {
    const { sim, client } = await setup();
    sim.state.apictrlstatus = 'disable';
    expect(await rejection(client.osd())).toMatchObject({ code: 'ZS_HTTP_STATUS', refusal: 'api-disabled' });
  });

  it('never shows the password, in the URL or echoed in a body, in errors or inspect', async () => {
    const password = 'S3cr3t&Pw';
    const { sim, client } = await setup({ passwd: password }, { password });
    sim.server.fault('/cgi-bin/control/osd.cgi', { kind: 'malform', body: `<html>bad request id=admin&passwd=${encodeURIComponent(password)} (${password})</html>` });
    const error = await rejection(client.osd());
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    for (const text of [error.message, inspect(error, { depth: 6 }), inspect(client, { depth: 6, showHidden: true })]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
  });
});

describe('cgi-control client: malformed, truncated and slow answers', () => {
  it('refuses an HTML page where key = value lines belong', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/cgi-bin/control/servername.cgi', { kind: 'malform', body: '<html><body>Welcome</body></html>' });
    const error = await rejection(client.cgi('servername', 'getservername'));
    expect(error.code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(error.message).toContain('line 1');
  });

  it('refuses an empty answer to a getter', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/cgi-bin/control/osd.cgi', { kind: 'malform', body: '' });
    expect((await rejection(client.osd())).code).toBe('ZS_HTTP_BAD_RESPONSE');
  });

  it('refuses an answer without the key it needs', async () => {
    const { sim, client } = await setup();
    sim.server.fault('/cgi-bin/control/ctrl_alarmout.cgi', { kind: 'malform', body: 'relay = on\r\n' });
    expect((await rejection(client.alarmOutput(1, true))).code).toBe('ZS_HTTP_BAD_RESPONSE');
  });

  it('reports a cut-off answer as a bad response after the retries of a get', async () => {
    const { sim, client } = await setup();
    await client.osd();
    sim.server.fault('/cgi-bin/control/camcolor.cgi', { kind: 'truncate' });
    expect((await rejection(client.image())).code).toBe('ZS_HTTP_BAD_RESPONSE');
    expect(client.http.stats.retries).toBe(2);
  });

  it('times out a stalled answer', async () => {
    const { sim, client } = await setup({}, { bodyTimeoutMs: 100, retries: 0 });
    sim.server.fault('/cgi-bin/control/osd.cgi', { kind: 'stall', ms: 5000 });
    expect((await rejection(client.osd())).code).toBe('ZS_HTTP_TIMEOUT');
  });

  it('a move that times out says it may have acted, is not sent again, and is followed by a stop', async () => {
    const { sim, client } = await setup({}, { headersTimeoutMs: 150 });
    await client.ptzCapabilities();
    sim.server.fault('/cgi-bin/control/zf_control.cgi', { kind: 'delay', ms: 8000 }, 1);
    const error = await rejection(client.zoom('in', 50));
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as HttpTimeoutError).mayHaveActed).toBe(true);
    expect(client.http.stats.retries).toBe(0);
    expect(sim.zoomMotion).toBe('stop'); // the stop came through while the move still waited in the fault
  });

  it('a set that times out says it may have acted (a GET that changes things)', async () => {
    const { sim, client } = await setup({}, { headersTimeoutMs: 150, retries: 0 });
    await client.osd();
    sim.server.fault('/cgi-bin/control/ctrl_alarmout.cgi', { kind: 'delay', ms: 8000 }, 1);
    const error = await rejection(client.alarmOutput(1, true));
    expect(error).toMatchObject({ code: 'ZS_HTTP_TIMEOUT', mayHaveActed: true });
  });
});

describe('cgi-control client and simulator: properties', () => {
  const percent = fc.integer({ min: 1, max: 100 });

  it('any colour within the documented 1–100 is set, echoed and read back unchanged', async () => {
    const { client } = await setup();
    await fc.assert(
      fc.asyncProperty(fc.record({ bright: percent, contrast: percent, saturation: percent, sharp: percent }, { requiredKeys: [] }), async (changes) => {
        fc.pre(Object.keys(changes).length > 0);
        await client.setImage({ color: changes });
        expect((await client.image()).color).toMatchObject(changes);
      }),
      { numRuns: 25 },
    );
  });

  it('any speed outside 1–100 is refused before a request leaves', async () => {
    const { sim, client } = await setup();
    await client.ptzCapabilities();
    const before = sim.server.stats.requests;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 101 }), fc.double({ noInteger: true })), async (speed) => {
        expect((await rejection(client.zoom('in', speed))).code).toBe('ZS_INVALID_ARGUMENT');
      }),
      { numRuns: 50 },
    );
    expect(sim.server.stats.requests).toBe(before);
  });
});
