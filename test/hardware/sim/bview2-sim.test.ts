import { afterEach, describe, expect, it } from 'vitest';
import { Bview2Simulator, type Bview2SimOptions } from '../../../hardware/sim/http/bview2-sim.js';
import { buildFirmwareBody } from '../../../protocols/http/bview2/multipart.js';
import { readXml } from '../../../protocols/http/bview2/xml.js';

const sims: Bview2Simulator[] = [];
afterEach(async () => {
  while (sims.length) await sims.pop()!.close();
});

async function start(options: Bview2SimOptions = {}): Promise<Bview2Simulator> {
  const sim = await Bview2Simulator.start(options);
  sims.push(sim);
  return sim;
}

const BASIC = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const XML = 'application/xml; charset=UTF-8';

async function call(sim: Bview2Simulator, method: string, path: string, body?: string | Uint8Array, type?: string, auth: string | undefined = BASIC) {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = auth;
  if (type) headers['content-type'] = type;
  const res = await fetch(sim.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  const xml = readXml(text);
  const status = xml.ok && xml.root === 'ResponseStatus' ? Number((xml.body as Record<string, string>).statusCode) : undefined;
  return { http: res.status, text, statusCode: status, headers: res.headers };
}

const exposure = (inner: string, root = 'Exposure') => `<?xml version="1.0" encoding="UTF-8"?><${root}>${inner}</${root}>`;

describe('bview2 simulator: authentication', () => {
  it('answers 401 with a Basic challenge without credentials or with wrong ones, and counts the checks', async () => {
    const sim = await start({ realm: 'cam' });
    const none = await call(sim, 'GET', '/System/DeviceInfo', undefined, undefined, '');
    expect(none.http).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="cam"');
    const wrong = await call(sim, 'GET', '/System/DeviceInfo', undefined, undefined, `Basic ${Buffer.from('admin:nope').toString('base64')}`);
    expect(wrong.http).toBe(401);
    expect(sim.counters).toMatchObject({ authChecks: 1, failedAuth: 1 });
    expect((await call(sim, 'GET', '/System/DeviceInfo')).http).toBe(200);
  });
});

describe('bview2 simulator: XML bodies', () => {
  it('answers XML with the §7 root attributes, or none when told', async () => {
    const sim = await start();
    const res = await call(sim, 'GET', '/System/DeviceInfo');
    expect(res.headers.get('content-type')).toBe(XML);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\s*<DeviceInfo Version="1.0" xmlns="http:\/\/www.zwcloud.wang\/ver10\/XMLSchema">/);
    const bare = await start({ rootAttributes: 'none' });
    expect((await call(bare, 'GET', '/System/DeviceInfo')).text).toMatch(/<DeviceInfo>/);
  });

  it('writes the Image block as the manual prints it (WhiteBlance, IrCutFillter), or correctly when told', async () => {
    expect((await call(await start(), 'GET', '/Images/1')).text).toMatch(/<WhiteBlance>[\s\S]*<IrCutFillter>/);
    expect((await call(await start({ imageSpelling: 'correct' }), 'GET', '/Images/1')).text).toMatch(/<WhiteBalance>[\s\S]*<IrCutFilter>/);
  });

  it('refuses a body that is not application/xml in UTF-8 (-1), and takes the charset quoted as the manual prints it', async () => {
    const sim = await start();
    const body = exposure('<Gain>6dB</Gain>');
    for (const type of [undefined, 'text/xml', 'application/json', 'application/xml; charset=ISO-8859-1']) {
      expect((await call(sim, 'PUT', '/Images/1/Exposure', body, type)).statusCode).toBe(-1);
    }
    expect(sim.exposure.Gain).toBe('auto');
    expect((await call(sim, 'PUT', '/Images/1/Exposure', body, "application/xml;charset='UTF-8'")).statusCode).toBe(0);
    expect(sim.exposure.Gain).toBe('6dB');
  });

  it('refuses XML that is not well-formed, several roots, or the root of another resource (-1)', async () => {
    const sim = await start();
    for (const body of ['<Exposure><Gain>6dB</Exposure>', '<Exposure/><Exposure/>', exposure('<Gain>6dB</Gain>', 'WhiteBalance'), '']) {
      const res = await call(sim, 'PUT', '/Images/1/Exposure', body, XML);
      expect(res.statusCode).toBe(-1);
    }
    expect(sim.lastRefusal?.reason).toMatch(/empty/);
  });

  it('refuses an unknown element or a value out of range (-5); takes enums trimmed and in any case, and both spellings of a root', async () => {
    const sim = await start();
    expect((await call(sim, 'PUT', '/Images/1/Exposure', exposure('<Iso>100</Iso>'), XML)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/Images/1/Exposure', exposure('<shutter>1/7</shutter>'), XML)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/Images/1/WhiteBalance', '<WhiteBalance><GainRed>101</GainRed></WhiteBalance>', XML)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/Images/1/IrCutFilter', '<IrCutFilter><SwitchTime>2s</SwitchTime></IrCutFilter>', XML)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/Pictures/1/OSD', '<OSD><DisplayTime><PosX>704</PosX></DisplayTime></OSD>', XML)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/System/DeviceInfo', '<DeviceInfo><DeviceName></DeviceName></DeviceInfo>', XML)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/Images/1/Exposure', exposure('<IrisType> manual </IrisType><SHUTTER>1/100</SHUTTER>'), XML)).statusCode).toBe(0);
    expect(sim.exposure).toMatchObject({ IrisType: 'manual', shutter: '1/100' });
    expect((await call(sim, 'PUT', '/Images/1/WhiteBalance', '<WhiteBlance><Mode>warm</Mode></WhiteBlance>', XML)).statusCode).toBe(0);
    expect(sim.whiteBalance.Mode).toBe('warm');
  });

  it('ignores the read-only DeviceInfo fields (either spelling) and writes DeviceName only', async () => {
    const sim = await start();
    const res = await call(sim, 'PUT', '/System/DeviceInfo', '<DeviceInfo><DeviceName>Yard</DeviceName><SoftWareVersion>V0</SoftWareVersion><VideoChannels>4</VideoChannels></DeviceInfo>', XML);
    expect(res.statusCode).toBe(0);
    expect(sim.deviceName).toBe('Yard');
    expect(sim.firmware).not.toBe('V0');
  });

  it('answers an unknown URL -10, a method the resource lacks -3, channel 2 -4, and a documented resource it does not model -3', async () => {
    const sim = await start();
    expect((await call(sim, 'GET', '/ISAPI/System/deviceInfo')).statusCode).toBe(-10);
    expect((await call(sim, 'DELETE', '/System/DeviceInfo')).statusCode).toBe(-3);
    expect((await call(sim, 'GET', '/Images/2/Exposure')).statusCode).toBe(-4);
    expect((await call(sim, 'GET', '/System/Time')).statusCode).toBe(-3);
  });

  it('answers a refusal with the configured HTTP status', async () => {
    const sim = await start({ errorStatus: 400 });
    const res = await call(sim, 'PUT', '/Images/1/Exposure', exposure('<Gain>99dB</Gain>'), XML);
    expect(res).toMatchObject({ http: 400, statusCode: -5 });
  });
});

describe('bview2 simulator: the lens', () => {
  it('checks the key=value bodies: Param1 required (-2), 1 or 2 (-5), Param2 1–10 (-5), no other key (-5), not XML (-1)', async () => {
    const sim = await start();
    const form = 'application/x-www-form-urlencoded';
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomIn', 'Param2=3', form)).statusCode).toBe(-2);
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomIn', 'Param1=3', form)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomIn', 'Param1=1&Param2=11', form)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomIn', 'Param1=1&Speed=3', form)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomIn', 'Param1=1', XML)).statusCode).toBe(-1);
    expect((await call(sim, 'PUT', '/PTZ/1/Presets/Goto', 'Param1=50', form)).statusCode).toBe(-5);
    expect(sim.motion.zoom).toBeUndefined();
    // The manual's examples send no content type; the query carries the same keys.
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomIn', 'Param1=1&Param2=3')).statusCode).toBe(0);
    expect(sim.motion.zoom).toBe('tele');
    expect((await call(sim, 'PUT', '/PTZ/1/ZoomOut?Param1=2', '')).statusCode).toBe(0);
    expect(sim.motion.zoom).toBeUndefined();
  });

  it('is busy (-14) for lens and image PUTs while the autofocus calibrates, and free again after', async () => {
    let now = 1_000;
    const sim = await start({ calibrationMs: 180_000, clock: () => now });
    expect((await call(sim, 'PUT', '/PTZ/1/Presets/Goto', 'Param1=103')).statusCode).toBe(0);
    expect(sim.autofocusInits).toEqual([103]);
    expect((await call(sim, 'PUT', '/PTZ/1/FocusFar', 'Param1=1&Param2=2')).statusCode).toBe(-14);
    expect((await call(sim, 'PUT', '/Images/1/Exposure', exposure('<Gain>6dB</Gain>'), XML)).statusCode).toBe(-14);
    expect((await call(sim, 'GET', '/Images/1')).http).toBe(200);
    now += 180_000;
    expect((await call(sim, 'PUT', '/PTZ/1/FocusFar', 'Param1=1&Param2=2')).statusCode).toBe(0);
  });
});

describe('bview2 simulator: reboot and firmware', () => {
  it('closes connections unanswered while it restarts after a reboot', async () => {
    let now = 1_000;
    const sim = await start({ restartMs: 30_000, clock: () => now });
    expect((await call(sim, 'PUT', '/System/Reboot', '')).statusCode).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(sim.restarting).toBe(true);
    await expect(call(sim, 'GET', '/System/DeviceInfo')).rejects.toThrow();
    now += 30_000;
    expect((await call(sim, 'GET', '/System/DeviceInfo')).http).toBe(200);
    expect(sim.rebootCount).toBe(1);
  });

  it('takes one multipart part named setting_file with a .pkg file of application/octet-stream, and nothing else', async () => {
    const sim = await start({ restartMs: 1 });
    const image = new Uint8Array([1, 2, 3]);
    const good = buildFirmwareBody(image, 'bv-b-1.pkg', 'XyZ');
    const bad = [
      { body: good.body, type: 'application/octet-stream' },
      { body: Buffer.from(Buffer.from(good.body).toString('latin1').replace('setting_file', 'firmware_file'), 'latin1'), type: good.contentType },
      { body: Buffer.from(Buffer.from(good.body).toString('latin1').replace('bv-b-1.pkg', 'bv-b-1.bin'), 'latin1'), type: good.contentType },
      { body: Buffer.from(Buffer.from(good.body).toString('latin1').replace('application/octet-stream', 'text/plain'), 'latin1'), type: good.contentType },
      { body: Buffer.from(good.body).subarray(0, 60), type: good.contentType },
    ];
    for (const b of bad) expect((await call(sim, 'PUT', '/System/FirmwareUpgrade', b.body, b.type)).statusCode).toBe(-5);
    expect((await call(sim, 'PUT', '/System/FirmwareUpgrade', good.body, good.contentType)).statusCode).toBe(0);
    expect(sim.firmware).toBe('bv-b-1');
  });

  it('refuses an empty package with a positive code (an update failure)', async () => {
    const sim = await start();
    const empty = buildFirmwareBody(new Uint8Array(0), 'x.pkg', 'b');
    expect((await call(sim, 'PUT', '/System/FirmwareUpgrade', empty.body, empty.contentType)).statusCode).toBe(1);
  });
});
