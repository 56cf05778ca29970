import { createHash } from 'node:crypto';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CgiActionSimulator, parseLenientJson, parseQuery, pelcoFor, SIM_JPEG, type CgiActionSimOptions } from '../../../hardware/sim/http/cgi-action-sim.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { FrameReader, type PelcoFrame } from '../../../protocols/pelco/index.js';
import { closeFarEnd, openFarEnd } from '../far-end.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

const PWD = 'e10adc3949ba59abbe56e057f20f883e'; // md5("123456"), the manual's

async function start(options: CgiActionSimOptions = {}) {
  const sim = await CgiActionSimulator.start(options);
  cleanup.push(() => sim.close());
  return sim;
}

async function get(sim: CgiActionSimulator, pathAndQuery: string) {
  const res = await request(sim.url + pathAndQuery);
  const bytes = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, text: bytes.toString('utf8'), bytes };
}

const action = (name: string, json?: string, pwd = PWD, user = 'admin') => `/action/cgi_action?user=${user}&pwd=${pwd}&action=${name}${json === undefined ? '' : `&json=${json}`}`;

describe('cgi_action simulator: the manual, strictly', () => {
  it("answers the manual's getSysConfig example with the data first and the standard envelope", async () => {
    const sim = await start();
    const res = await get(sim, action('getSysConfig'));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(Object.keys(body).slice(-6)).toEqual(['code', 'device_mac', 'deviceID', 'device_id', 'log', 'device_ip']);
    expect(body).toMatchObject({ version: '14.030.19.3_MAIN_V3(221114)', dev_name: 'IPCamera', code: 0, device_mac: '88-07-cb-00-02-be' });
  });

  it('sends the headers as printed: chunked, keep-alive, X-Frame-Options, an asctime Date, no Content-Type', async () => {
    const sim = await start();
    const res = await get(sim, action('getSysConfig'));
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers.date).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d\d:\d\d:\d\d \d{4}$/);
  });

  it('checks auth first: a wrong hash on an unknown action is still "error user/pwd"', async () => {
    const sim = await start();
    expect((await get(sim, action('noSuchAction', undefined, '0'.repeat(32)))).text).toBe('error user/pwd\r\n');
    expect((await get(sim, action('getSysConfig', undefined, PWD, 'root'))).text).toBe('error user/pwd\r\n');
    expect(sim.counters.authFailures).toBe(2);
  });

  it('takes only the lower-case hash unless told to accept any case', async () => {
    expect((await get(await start(), action('getSysConfig', undefined, PWD.toUpperCase()))).text).toBe('error user/pwd\r\n');
    expect(JSON.parse((await get(await start({ acceptUpperCaseHash: true }), action('getSysConfig', undefined, PWD.toUpperCase()))).text).code).toBe(0);
  });

  it('answers "error json" for an unknown or wrongly cased action and for unreadable JSON', async () => {
    const sim = await start();
    expect((await get(sim, action('getsysconfig'))).text).toBe('error json\r\n');
    expect((await get(sim, action('setSysConfig', '{"language":'))).text).toBe('error json\r\n');
    expect((await get(sim, action('setSysConfig', '[1]'))).text).toBe('error json\r\n');
  });

  it("accepts the manual's own setPeripheralConf example, trailing comma and all, raw in the query", async () => {
    const sim = await start();
    const res = await get(sim, action('setPeripheralConf', '{"PTZ_Lock":0,"baudrate":2400,"dataBits":8,"stopBits":1,"parity":0,}'));
    expect(JSON.parse(res.text).code).toBe(0);
    expect(sim.peripheral.baudrate).toBe(2400);
  });

  it('answers getPeripheralConf in the signed variant (sign_tby) and getDeviceTime in the message variant', async () => {
    const sim = await start();
    const peripheral = JSON.parse((await get(sim, action('getPeripheralConf'))).text);
    expect(peripheral.sign_tby).toMatch(/^[0-9a-f]{32}$/);
    const time = JSON.parse((await get(sim, action('getDeviceTime'))).text);
    expect(time).toMatchObject({ message: 'NULL', code: 0 });
    expect(time.device_id).toBeUndefined();
    expect(time.log).toBeUndefined();
  });

  it('refuses an unknown key with 201 and a value out of range with 205', async () => {
    const sim = await start();
    expect(JSON.parse((await get(sim, action('setPeripheralConf', encodeURIComponent('{"baudrate":9600,"protocol":1}')))).text).code).toBe(201);
    expect(JSON.parse((await get(sim, action('setPeripheralConf', encodeURIComponent('{"baudrate":19200}')))).text).code).toBe(205);
    expect(JSON.parse((await get(sim, action('setPtzControl', '{"speed_h":50,"speed_v":101,"channel":0,"ptz_cmd":9}'))).text).code).toBe(205);
    expect(JSON.parse((await get(sim, action('setPtzControl', '{"speed_h":50,"speed_v":50,"channel":1,"ptz_cmd":9}'))).text).code).toBe(205);
    expect(JSON.parse((await get(sim, action('setPtzControl', '{"speed_h":50,"speed_v":50,"channel":0,"ptz_cmd":12}'))).text).code).toBe(205);
    expect(sim.peripheral.baudrate).toBe(9600);
  });

  it('needs speed_h for a move (§9) but not for a preset (the §9.1 example omits it)', async () => {
    const sim = await start();
    expect(JSON.parse((await get(sim, action('setPtzControl', '{"speed_v":50,"channel":0,"ptz_cmd":9}'))).text).code).toBe(205);
    expect(JSON.parse((await get(sim, action('setPtzControl', '{"speed_v":10,"channel":0,"ptz_cmd":19}'))).text).code).toBe(0);
    expect(JSON.parse((await get(sim, action('setPtzControl', '{"speed_v":10,"channel":0,"ptz_cmd":20}'))).text).code).toBe(0);
  });

  it('keeps moving until ptz_cmd 21: the manual defines no timeout', async () => {
    const sim = await start();
    await get(sim, action('setPtzControl', '{"speed_h":1,"speed_v":1,"channel":0,"ptz_cmd":10}'));
    sim.lens.zoomTo(500, 0);
    await get(sim, action('setPtzControl', '{"speed_h":1,"speed_v":1,"channel":0,"ptz_cmd":9}'));
    expect(sim.motion).toBe(9);
    expect(sim.lens.moving).toBe(true);
    await get(sim, action('setPtzControl', '{"speed_h":1,"speed_v":1,"channel":0,"ptz_cmd":21}'));
    expect(sim.motion).toBeUndefined();
    expect(sim.lens.moving).toBe(false);
  });

  it('reads json percent-encoded or raw, never turning + into a space', async () => {
    const sim = await start();
    await get(sim, action('setSysConfig', encodeURIComponent('{"dev_name":"a+b"}')));
    expect(sim.sys.dev_name).toBe('a+b');
    await get(sim, action('setSysConfig', '{"dev_name":"c+d"}'));
    expect(sim.sys.dev_name).toBe('c+d');
  });

  it('changes the accepted hash on setPasswd (old MD5, new plain text); a wrong old one is 206', async () => {
    const sim = await start();
    expect(JSON.parse((await get(sim, action('setPasswd', '{"oldPassword":"00000000000000000000000000000000","newPassword":"1234567"}'))).text).code).toBe(206);
    expect(JSON.parse((await get(sim, action('setPasswd', `{"oldPassword":"${PWD}","newPassword":"1234567"}`))).text).code).toBe(0);
    expect((await get(sim, action('getSysConfig'))).text).toBe('error user/pwd\r\n');
    const next = createHash('md5').update('1234567').digest('hex');
    expect(JSON.parse((await get(sim, action('getSysConfig', undefined, next))).text).code).toBe(0);
  });

  it('answers 209 for a documented action the model lacks', async () => {
    const sim = await start({ lacks: ['getIOAlarmIn'] });
    expect(JSON.parse((await get(sim, action('getIOAlarmIn'))).text).code).toBe(209);
  });

  it('serves cgi_images without credentials: a JPEG, BMP or YUV, "failed" for another format', async () => {
    const sim = await start();
    const jpeg = await get(sim, '/action/cgi_images');
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    expect(jpeg.bytes.equals(SIM_JPEG)).toBe(true);
    expect((await get(sim, '/action/cgi_images?fmt=bmp')).headers['content-type']).toBe('image/bmp');
    expect((await get(sim, '/action/cgi_images?fmt=yuv')).headers['content-type']).toBe('application/octet-stream');
    expect((await get(sim, '/action/cgi_images?fmt=gif')).text).toBe('failed');
  });

  it('answers the telnet switch as printed', async () => {
    const sim = await start();
    expect((await get(sim, '/action/telnet?action=open')).text).toBe('<html><body><h2> oper: open</h2></body></html>\nOK');
  });

  it('acknowledges restart, then refuses connections for restartMs', async () => {
    const sim = await start({ restartMs: 60_000 });
    expect(JSON.parse((await get(sim, action('restart'))).text).code).toBe(0);
    await expect(get(sim, action('getSysConfig'))).rejects.toThrow();
    expect(sim.counters.restarts).toBe(1);
  });

  it('parses the query with json last (an unencoded & stays inside it)', () => {
    expect(parseQuery('user=admin&pwd=x&action=setOsdConf&json={"t":"a&b"}')).toMatchObject({ user: 'admin', pwd: 'x', action: 'setOsdConf', json: '{"t":"a&b"}' });
    expect(parseLenientJson('{"a":[1,2,],"s":",}",}')).toEqual({ a: [1, 2], s: ',}' });
    expect(parseLenientJson('{a:1}')).toBeUndefined();
  });
});

describe('cgi_action simulator: the RS-485 port', () => {
  it('puts each accepted PTZ command on a real pty as PELCO-D, at the port settings of the moment', async () => {
    const pair = await PtyPair.open();
    const camera = await openFarEnd(pair.devicePath, 9600);
    const line = await openFarEnd(pair.controllerPath, 9600);
    cleanup.push(async () => {
      await closeFarEnd(camera);
      await closeFarEnd(line);
      await pair.close();
    });
    const bauds: unknown[] = [];
    const sim = await start({ rs485: (frame, port) => (bauds.push(port.baudrate), camera.write(Buffer.from(frame))), rs485Address: 2 });
    const frames: PelcoFrame[] = [];
    const reader = new FrameReader({ dialect: 'D', onFrame: (f) => frames.push(f) });
    const three = new Promise<void>((resolve) => line.on('data', (chunk: Buffer) => (reader.push(chunk), frames.length >= 3 && resolve())));
    await get(sim, action('setPtzControl', '{"speed_h":100,"speed_v":100,"channel":0,"ptz_cmd":9}'));
    await get(sim, action('setPtzControl', '{"speed_h":50,"speed_v":50,"channel":0,"ptz_cmd":3}')); // refused (209): nothing sent
    await get(sim, action('setPeripheralConf', '{"baudrate":2400}'));
    await get(sim, action('setPtzControl', '{"speed_h":100,"speed_v":100,"channel":0,"ptz_cmd":21}'));
    await get(sim, action('setPtzControl', '{"speed_v":7,"channel":0,"ptz_cmd":20}')); // never stored (205): nothing sent
    await get(sim, action('setPtzControl', '{"speed_v":7,"channel":0,"ptz_cmd":19}'));
    await three;
    expect(frames.map((f) => [f.address, f.command])).toEqual([
      [2, { kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 }],
      [2, { kind: 'stop' }],
      [2, { kind: 'preset-set', preset: 7 }],
    ]);
    expect(bauds).toEqual([9600, 2400, 2400]);
  });

  it('maps every documented motion command onto a PELCO-D command', () => {
    expect(pelcoFor(71, 100, 50)).toEqual({ kind: 'move', pan: 'left', tilt: 'up', panSpeed: 63, tiltSpeed: 32 });
    expect(pelcoFor(5, 50, 50)).toMatchObject({ kind: 'move', focus: 'far' });
    expect(pelcoFor(8, 50, 50)).toMatchObject({ kind: 'move', iris: 'close' });
    expect(pelcoFor(20, 1, 12)).toEqual({ kind: 'preset-goto', preset: 12 });
    expect(pelcoFor(13, 1, 1)).toBeUndefined();
  });
});
