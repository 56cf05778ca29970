import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CgiActionSimulator, SIM_JPEG, type CgiActionSimOptions } from '../../../hardware/sim/http/cgi-action-sim.js';
import { SimulatedLens, ZOOM_MAX } from '../../../hardware/sim/lens-model.js';
import { HttpTimeoutError, ZoomsyncError } from '../../../protocols/errors.js';
import { CgiActionStatusError } from '../../../protocols/http/cgi-action/errors.js';
import { CgiActionClient, type CgiActionClientOptions } from '../../../src/devices/http/cgi-action-client.js';
import { openCamera } from '../../../src/devices/http/registry.js';
import { rejection } from './support/rejection.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const PATH = '/action/cgi_action';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const fastLens = () => new SimulatedLens({ zoomTravelMs: [400, 300, 200, 100], focusTravelMs: [400, 300, 200, 100] });

async function setup(sim: CgiActionSimOptions = {}, client: Partial<CgiActionClientOptions> = {}) {
  const s = await CgiActionSimulator.start({ lens: fastLens(), ...sim });
  const c = new CgiActionClient({ url: s.url, user: 'admin', password: '123456', retryDelayMs: 5, ...client });
  cleanup.push(() => s.close(), () => c.close());
  return { sim: s, client: c };
}


describe('cgi-action client against the simulator: calls', () => {
  it('is what openCamera returns for the cgi-action dialect', async () => {
    const { sim } = await setup();
    const camera = openCamera({ dialect: 'cgi-action', url: sim.url, user: 'admin', password: '123456' });
    cleanup.push(() => camera.close());
    expect(camera).toBeInstanceOf(CgiActionClient);
    expect((await camera.identity()).firmware).toBe('14.030.19.3_MAIN_V3(221114)');
  });

  it('reads the identity from getSysConfig, the MAC and IDs from its envelope', async () => {
    const { client } = await setup({ devName: 'Gate-3' });
    expect(await client.identity()).toMatchObject({ model: 'Gate-3', firmware: '14.030.19.3_MAIN_V3(221114)', mac: '88:07:CB:00:02:BE', extra: { deviceId: 'CBT000114010100010238', ip: '192.168.1.89', webPort: 80 } });
  });

  it('sends json percent-encoded by default (a + stays a +), and raw as printed when asked', async () => {
    const { sim, client } = await setup();
    await client.action('setSysConfig', { dev_name: 'a+b c' });
    expect(sim.sys.dev_name).toBe('a+b c');
    expect(sim.rawJson.at(-1)!.startsWith('%7B')).toBe(true);
    const raw = new CgiActionClient({ url: sim.url, user: 'admin', password: '123456', jsonEncoding: 'raw' });
    cleanup.push(() => raw.close());
    await raw.action('setSysConfig', { language: 1 });
    expect(sim.rawJson.at(-1)).toBe('{"language":1}');
    expect(sim.sys.language).toBe(1);
  });

  it('raw mode refuses a value the request line cannot carry, before sending', async () => {
    const { sim, client } = await setup({}, { jsonEncoding: 'raw' });
    const before = sim.server.stats.requests;
    expect((await rejection(client.action('setSysConfig', { dev_name: 'a b' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(before);
  });

  it('moves the shared lens continuously until stop, both speeds sent', async () => {
    const { sim, client } = await setup();
    await client.move('tele', 100);
    expect(sim.motion).toBe(9);
    expect(sim.lens.moving).toBe(true);
    await client.stop();
    expect(sim.motion).toBeUndefined();
    expect(sim.lens.moving).toBe(false);
    expect(sim.lens.zoom).toBeLessThan(ZOOM_MAX);
    expect(sim.ptzCommands).toEqual([9, 21]);
  });

  it('sends focus, iris and zoom-out commands; iris open is 7, or 9 when configured', async () => {
    const { sim, client } = await setup();
    for (const m of ['far', 'near', 'iris-open', 'iris-close', 'wide'] as const) await client.move(m);
    await client.stop();
    expect(sim.ptzCommands).toEqual([5, 6, 7, 8, 10, 21]);
    const printed = new CgiActionClient({ url: sim.url, user: 'admin', password: '123456', irisOpenCmd: 9 });
    cleanup.push(() => printed.close());
    await printed.move('iris-open');
    expect(sim.ptzCommands.at(-1)).toBe(9);
  });

  it('refuses pan/tilt on a zoom block (209 -> ZS_NOT_SUPPORTED) and still sends a stop', async () => {
    const { sim, client } = await setup();
    expect((await rejection(client.move('left'))).code).toBe('ZS_NOT_SUPPORTED');
    expect(sim.ptzCommands.at(-1)).toBe(21);
  });

  it('moves the head on a PTZ camera', async () => {
    const { sim, client } = await setup({ profile: 'ptz' });
    await client.move('right-up', 100);
    expect(sim.motion).toBe(73);
    await client.stop();
    expect(sim.motion).toBeUndefined();
  });

  it('a move whose connection is reset after sending is not sent again, and a stop follows', async () => {
    const { sim, client } = await setup();
    sim.server.fault(PATH, { kind: 'reset' }, 1);
    expect((await rejection(client.move('tele'))).code).toBe('ZS_HTTP_CONNECT');
    expect(sim.server.stats.requests).toBe(2); // the move once, then the stop
    expect(sim.ptzCommands).toEqual([21]);
  });

  it('a setting that times out says it may have acted, though it is a GET', async () => {
    const { sim, client } = await setup({}, { headersTimeoutMs: 100, retries: 0 });
    sim.server.fault(PATH, { kind: 'delay', ms: 2500 }, 1);
    const error = await rejection(client.setTime(new Date()));
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as HttpTimeoutError).mayHaveActed).toBe(true);
  });

  it('a read that times out is tried again and says it did not act', async () => {
    const { sim, client } = await setup({}, { headersTimeoutMs: 100, retries: 1 });
    sim.server.fault(PATH, { kind: 'delay', ms: 2500 }, 2);
    const error = await rejection(client.identity());
    expect((error as HttpTimeoutError).mayHaveActed).toBe(false);
    expect(sim.server.stats.requests).toBe(2);
  });

  it('stores and calls presets (19/20, the number in speed_v) on the shared lens', async () => {
    const { sim, client } = await setup();
    sim.lens.zoomTo(700, 3);
    await client.savePreset(3);
    sim.lens.zoomTo(0, 3);
    await client.gotoPreset(3);
    expect(sim.lens.moving).toBe(true);
    expect(sim.ptzCommands).toEqual([19, 20]);
    expect(sim.rawJson.map((j) => JSON.parse(decodeURIComponent(j)))).toEqual([
      { speed_v: 3, channel: 0, ptz_cmd: 19 },
      { speed_v: 3, channel: 0, ptz_cmd: 20 },
    ]);
  });

  it('calling a preset never stored is the camera refusing a value (205)', async () => {
    const { client } = await setup();
    const error = await rejection(client.gotoPreset(42));
    expect(error).toBeInstanceOf(CgiActionStatusError);
    expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 200, deviceCode: 205 });
  });

  it('refuses presets outside 1–100 before sending', async () => {
    const { sim, client } = await setup();
    const before = sim.server.stats.requests;
    for (const n of [0, 101, 2.5]) expect((await rejection(client.gotoPreset(n))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.savePreset(-1))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(before);
  });

  it('reads and sets the RS-485 port (serial get|set)', async () => {
    const { sim, client } = await setup();
    expect(await client.ptzSerial()).toEqual({ baud: 9600, dataBits: 8, stopBits: 1, parity: 'none', ptzLock: false, flowControl: 0 });
    await client.setPtzSerial({ baud: 2400, parity: 'even' });
    expect(sim.peripheral).toMatchObject({ baudrate: 2400, parity: 2, dataBits: 8 });
    expect(sim.rawJson.at(-1)).toBe(encodeURIComponent('{"baudrate":2400,"parity":2}'));
  });

  it('says where the camera port differs from the line zoomsync drives', async () => {
    const { client } = await setup();
    expect(await client.serialMismatches({ baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none' })).toEqual([]);
    expect(await client.serialMismatches({ baudRate: 2400, dataBits: 8, stopBits: 1, parity: 'none' })).toEqual(['baud 9600 on the camera, 2400 on the line']);
  });

  it("action('getGb28181') keeps the GB device_id the envelope's shadows", async () => {
    const { sim, client } = await setup();
    sim.server.fault(PATH, { kind: 'malform', body: '{"server_id": "", "device_id": "34020000001320000111", "code": 0, "deviceID": "CBT", "device_id": "CBT", "log": ""}' }, 1);
    expect(await client.action('getGb28181')).toEqual({ server_id: '', device_id: '34020000001320000111' });
  });

  it('refuses a bad baud, or a protocol or address the port has no field for, before sending', async () => {
    const { sim, client } = await setup();
    const before = sim.server.stats.requests;
    expect((await rejection(client.setPtzSerial({ baud: 19200 }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.setPtzSerial({ protocol: 'pelco-d' }))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.setPtzSerial({ address: 2 }))).code).toBe('ZS_NOT_SUPPORTED');
    expect(sim.server.stats.requests).toBe(before);
  });

  it('a PTZ lock set through the serial port makes PTZ control answer 204', async () => {
    const { client } = await setup();
    await client.setPtzSerial({ ptzLock: true });
    expect(await client.ptzSerial()).toMatchObject({ ptzLock: true });
    expect(await rejection(client.move('tele'))).toMatchObject({ code: 'ZS_HTTP_STATUS', deviceCode: 204 });
  });

  it('reads the network (with the RTSP port) and writes it', async () => {
    const { sim, client } = await setup();
    const net = await client.network();
    expect(net).toEqual({ ipv4: { dhcp: false, address: '192.168.1.89', gateway: '192.168.1.1', subnet: '255.255.255.0', dns: { primary: '1.2.4.8', secondary: '8.8.8.8' } }, ports: { http: 80, https: 0, rtsp: 554 } });
    await client.setNetwork({ ...net, ipv4: { ...net.ipv4, address: '192.168.1.86' }, ports: { ...net.ports, rtsp: 8554 } });
    expect(sim.wired.IP).toBe('192.168.1.86');
    expect(sim.rtsp.rtsp_port).toBe(8554);
    expect(sim.count('setWiredNetwork')).toBe(1);
  });

  it('refuses a bad address before changing anything', async () => {
    const { sim, client } = await setup();
    const net = await client.network();
    await rejection(client.setNetwork({ ...net, ipv4: { ...net.ipv4, gateway: 'gw' } }));
    expect(sim.count('setWiredNetwork')).toBe(0);
    expect(sim.count('setRtspConf')).toBe(0);
  });

  it('sets the clock (NTP off) and reads it back (a variant-B answer)', async () => {
    const { sim, client } = await setup();
    const when = new Date('2030-05-06T07:08:09Z');
    await client.setTime(when);
    expect(sim.time.ntp_enable).toBe(0);
    const read = await client.time();
    expect(Math.abs(read.getTime() - when.getTime())).toBeLessThan(5000);
  });

  it('reads and sets the basic image settings; bad values refused before sending', async () => {
    const { sim, client } = await setup();
    expect(await client.image()).toMatchObject({ brightness: 128, gamma: 137 });
    await client.setImage({ brightness: 90, max_exposure: 100 });
    expect(sim.image).toMatchObject({ brightness: 90, max_exposure: 100, contrast: 128 });
    const before = sim.server.stats.requests;
    expect((await rejection(client.setImage({ brightness: 300 }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(before);
  });

  it('reads the OSD by region and writes it whole (four titles)', async () => {
    const { sim, client } = await setup();
    expect(await client.osd()).toEqual({ time: 'top-left', title: 'bottom-right' });
    expect(await client.setOsd({ time: 'bottom-left', title: 'hidden' })).toEqual({ time: 'bottom-left', title: 'hidden' });
    expect(await client.osd()).toEqual({ time: 'bottom-left', title: 'hidden' });
    expect((sim.osd.title_list as unknown[]).length).toBe(4);
  });

  it('reads the alarm input and pulses the one output; off and other outputs are refused', async () => {
    const { sim, client } = await setup();
    expect(await client.alarmInput()).toEqual({ active: false, status: 0 });
    sim.alarmInStatus = 1;
    expect(await client.alarmInput()).toEqual({ active: true, status: 1 });
    await client.alarmOutput(0, true);
    expect(sim.counters.doorPulses).toBe(1);
    expect((await rejection(client.alarmOutput(0, false))).code).toBe('ZS_NOT_SUPPORTED');
    expect((await rejection(client.alarmOutput(1, true))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.counters.doorPulses).toBe(1);
  });

  it('takes a snapshot from cgi_images (no credentials) or getFmtSnap (base64)', async () => {
    const { sim, client } = await setup();
    expect(Buffer.from(await client.snapshot()).equals(SIM_JPEG)).toBe(true);
    expect(sim.count('cgi_images')).toBe(1);
    const b64 = new CgiActionClient({ url: sim.url, user: 'admin', password: '123456', snapshot: 'fmt-snap' });
    cleanup.push(() => b64.close());
    expect(Buffer.from(await b64.snapshot()).equals(SIM_JPEG)).toBe(true);
    expect(sim.count('getFmtSnap')).toBe(1);
  });

  it('a getFmtSnap whose base64 is not a JPEG is a bad response', async () => {
    const { sim } = await setup();
    const b64 = new CgiActionClient({ url: sim.url, user: 'admin', password: '123456', snapshot: 'fmt-snap' });
    cleanup.push(() => b64.close());
    sim.server.fault(PATH, { kind: 'malform', body: '{"image_base64":"QUJD","image_length":3,"code":0}' }, 1);
    expect((await rejection(b64.snapshot())).code).toBe('ZS_HTTP_BAD_RESPONSE');
  });

  it("a snapshot answered 'failed' is a bad response", async () => {
    const { sim, client } = await setup();
    sim.server.fault('/action/cgi_images', { kind: 'malform', body: 'failed' });
    expect((await rejection(client.snapshot())).code).toBe('ZS_HTTP_BAD_RESPONSE');
  });

  it('reboots (restart) and works again once the camera is back', async () => {
    const { sim, client } = await setup({ restartMs: 50 }, { retries: 6, retryDelayMs: 20 });
    await client.reboot();
    expect(sim.counters.restarts).toBe(1);
    expect((await client.identity()).firmware.length).toBeGreaterThan(0);
  });

  it('factory default resets everything, or keeps network and users when asked', async () => {
    const { sim, client } = await setup();
    sim.wired.IP = '10.0.0.9';
    await client.factoryDefault({ reset: ['system', 'event', 'camera', 'onvif', 'action'] });
    expect(sim.wired.IP).toBe('10.0.0.9');
    await client.factoryDefault();
    expect(sim.wired.IP).toBe('192.168.1.89');
    expect(sim.counters.resets).toBe(2);
  });

  it('refuses a factory-default selection it cannot honour, before sending', async () => {
    const { sim, client } = await setup();
    expect((await rejection(client.factoryDefault({ reset: ['network'] }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.factoryDefault({ reset: [] }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.counters.resets).toBe(0);
  });

  it('reaches any documented action: action() gives the data, raw() the whole answer', async () => {
    const { client } = await setup();
    expect(await client.action('getPeripheralConf')).toEqual({ PTZ_Lock: 0, baudrate: 9600, dataBits: 8, stopBits: 1, parity: 0, flowControl: 0 });
    const raw = await client.raw({ method: 'GET', path: 'getRtspConf' });
    expect(raw.body).toMatchObject({ rtsp_port: 554, code: 0, device_mac: '88-07-cb-00-02-be' });
  });

  it('refuses an undocumented action or a method other than GET before sending', async () => {
    const { sim, client } = await setup();
    const before = sim.server.stats.requests;
    expect((await rejection(client.action('getZoomPosition'))).code).toBe('ZS_INVALID_ARGUMENT');
    expect((await rejection(client.raw({ method: 'POST', path: 'getSysConfig' }))).code).toBe('ZS_INVALID_ARGUMENT');
    expect(sim.server.stats.requests).toBe(before);
  });

  it('close() stops a move still running', async () => {
    const { sim, client } = await setup();
    await client.move('wide');
    await client.close();
    expect(sim.ptzCommands).toEqual([10, 21]);
    expect(sim.motion).toBeUndefined();
  });
});

describe('cgi-action client: auth and errors', () => {
  it('sends the lower-case MD5 of the password, never the password', async () => {
    const lines: string[] = [];
    const { client } = await setup({ password: 'S3cret!' }, { password: 'S3cret!', log: (l) => lines.push(l) });
    await client.identity();
    const text = lines.join('\n');
    expect(text).not.toContain(md5('S3cret!'));
    expect(text).not.toContain('S3cret!');
  });

  it('changes the password (old as MD5, new in plain text) and keeps working with the new one', async () => {
    const { sim, client } = await setup();
    await client.changePassword('N3w-Pass');
    expect(sim.rawJson.at(-1)).toBe(encodeURIComponent(JSON.stringify({ oldPassword: md5('123456'), newPassword: 'N3w-Pass' })));
    expect((await client.identity()).firmware.length).toBeGreaterThan(0);
    expect(sim.counters.authFailures).toBe(0);
  });

  it('never shows a credential sent inside a call (a new password) in log lines or errors', async () => {
    const lines: string[] = [];
    const { sim, client } = await setup({}, { log: (l) => lines.push(l), retries: 0 });
    sim.server.fault(PATH, { kind: 'malform', body: '{"code":205,"log":"newPassword N3w-Pass"}' }, 1);
    const error = await rejection(client.action('setPasswd', { oldPassword: md5('123456'), newPassword: 'N3w-Pass' }));
    for (const text of [...lines, error.message]) {
      expect(text).not.toContain('N3w-Pass');
      expect(text).not.toContain(encodeURIComponent('"N3w-Pass"'));
    }
    expect(lines.length).toBeGreaterThan(0);
  });

  it('a refused password is sent once, then answered from the latch until new credentials', async () => {
    const { sim, client } = await setup({}, { password: 'wrong' });
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_AUTH');
    await expect(client.ptzSerial()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    await expect(client.snapshot()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    await expect(client.stop()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
    expect(sim.counters.authChecks).toBe(1);
    client.setCredentials('admin', '123456');
    await client.identity();
    expect(sim.counters.authFailures).toBe(1);
  });

  it("'error json' (an action this firmware does not know) is ZS_NOT_SUPPORTED", async () => {
    const { sim, client } = await setup();
    sim.server.fault(PATH, { kind: 'malform', body: 'error json\r\n' }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_NOT_SUPPORTED');
  });

  it('a documented action the model lacks (209) is ZS_NOT_SUPPORTED', async () => {
    const { client } = await setup({ lacks: ['getIOAlarmIn'] });
    expect((await rejection(client.alarmInput())).code).toBe('ZS_NOT_SUPPORTED');
  });

  it('a code from the camera carries its number, its log, and HTTP status 200', async () => {
    const { sim, client } = await setup();
    sim.server.fault(PATH, { kind: 'malform', body: '{"code":28,"log":"timeout","device_mac":"x"}' }, 1);
    const error = await rejection(client.identity());
    expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 200, deviceCode: 28, detail: 'timeout' });
  });

  it('masks the hash and password when the camera echoes them in an answer', async () => {
    const { sim, client } = await setup();
    sim.server.fault(PATH, { kind: 'malform', body: `{"code":205,"log":"pwd ${md5('123456').toUpperCase()} 123456"}` }, 1);
    const error = await rejection(client.identity());
    for (const text of [error.message, inspect(error, { depth: 5 }), inspect(client, { depth: 5, showHidden: true })]) {
      expect(text.toLowerCase()).not.toContain(md5('123456'));
      expect(text).not.toContain('123456');
    }
  });

  it('malformed, truncated, wrong-status and slow answers are typed errors', async () => {
    const { sim, client } = await setup({}, { retries: 0, bodyTimeoutMs: 200, answerTimeoutMs: 300 });
    sim.server.fault(PATH, { kind: 'malform' }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_BAD_RESPONSE');
    sim.server.fault(PATH, { kind: 'truncate' }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_BAD_RESPONSE');
    sim.server.fault(PATH, { kind: 'status', status: 404, body: 'not here' }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_BAD_RESPONSE');
    sim.server.fault(PATH, { kind: 'malform', body: '{"version":"x"}' }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_BAD_RESPONSE');
    sim.server.fault(PATH, { kind: 'stall', ms: 1500 }, 1);
    expect((await rejection(client.identity())).code).toBe('ZS_HTTP_TIMEOUT');
  });

  it('validates its options per field', () => {
    const base = { url: 'http://127.0.0.1:1', user: 'admin', password: 'x' };
    expect(() => new CgiActionClient({ ...base, speed: 0 })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'option speed' }));
    expect(() => new CgiActionClient({ ...base, irisOpenCmd: 8 as 7 })).toThrow(expect.objectContaining({ field: 'option irisOpenCmd' }));
    expect(() => new CgiActionClient({ ...base, jsonEncoding: 'json' as 'raw' })).toThrow(expect.objectContaining({ field: 'option jsonEncoding' }));
    expect(() => new CgiActionClient({ ...base, snapshot: 'rtsp' as 'images' })).toThrow(expect.objectContaining({ field: 'option snapshot' }));
    expect(() => new CgiActionClient({ ...base, user: 'a b' })).toThrow(expect.objectContaining({ field: 'option user' }));
    expect(() => new CgiActionClient({ ...base, password: '' })).toThrow(expect.objectContaining({ field: 'option password' }));
    expect(new CgiActionClient({ ...base, speed: undefined }).supports('ptz-serial')).toBe(true);
  });
});
