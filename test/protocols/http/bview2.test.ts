import { describe, expect, it } from 'vitest';
import { checkImageChanges, osdFromWire, osdToWire, requests } from '../../../protocols/http/bview2/api.js';
import { Bview2StatusError, bview2Error, STATUS_TEXT } from '../../../protocols/http/bview2/errors.js';
import { buildFirmwareBody, checkFirmwareFileName, readFirmwareBody } from '../../../protocols/http/bview2/multipart.js';
import { findResource } from '../../../protocols/http/bview2/resources.js';
import * as schema from '../../../protocols/http/bview2/schemas.js';
import { buildXml, readXml, type XmlNode } from '../../../protocols/http/bview2/xml.js';

function body(text: string): XmlNode {
  const xml = readXml(text);
  if (!xml.ok) throw new Error(xml.problem);
  return xml.body;
}

describe('bview2 XML reading', () => {
  it('ignores namespaces, prefixes and Version/version attributes', () => {
    const hik = readXml('<?xml version="1.0" encoding="UTF-8"?><ResponseStatus version="1.0" xmlns="http://www.hikvision.com/ver10/XMLSchema"><requestURL>/x</requestURL><statusCode>-5</statusCode></ResponseStatus>');
    const prefixed = readXml('<ns:ResponseStatus xmlns:ns="urn:x" Version="1.0"><ns:requestURL>/x</ns:requestURL><ns:statusCode> -5 </ns:statusCode></ns:ResponseStatus>');
    for (const xml of [hik, prefixed]) {
      expect(xml).toMatchObject({ ok: true, root: 'ResponseStatus' });
      expect(schema.responseStatus.parse((xml as { body: XmlNode }).body)).toMatchObject({ requestURL: '/x', statusCode: -5 });
    }
  });

  it('reads the misspellings the manual prints under their canonical names, in any case', () => {
    const info = body(
      '<DeviceInfo><DeviceName>a</DeviceName><DeviceTypeName>m</DeviceTypeName><SoftWareVersion>v</SoftWareVersion><VideoChannels>1</VideoChannels><AlarmChannel>2</AlarmChannel><AlarmOutputChannel>3</AlarmOutputChannel><twowayaudio>TRUE</twowayaudio></DeviceInfo>',
    );
    expect(schema.deviceInfo.parse(info)).toMatchObject({ VideoInputChannels: 1, AlarmInputChannels: 2, AlarmOutputChannels: 3, TwoWayAudio: true });
    const image = body(
      '<Image><ID>1</ID><Exposure><IrisType>DC-IRIS</IrisType><Shutter> 1/25 </Shutter><Gain>AUTO</Gain></Exposure><WhiteBlance><Mode>auto</Mode><GainRed></GainRed></WhiteBlance><IrCutFillter><Mode>day</Mode><SwitchTime>5s</SwitchTime></IrCutFillter></Image>',
    );
    expect(schema.image.parse(image)).toMatchObject({ Exposure: { IrisType: 'DC-Iris', shutter: '1/25', Gain: 'auto' }, WhiteBalance: { Mode: 'auto', GainRed: undefined }, IrCutFilter: { Mode: 'day', SwitchTime: 5 } });
    expect(readXml('<Color><Bright>5</Bright></Color>')).toMatchObject({ ok: true, body: { Brightness: '5' } });
  });

  it('an element sent under both spellings is ambiguous and refused by the schema', () => {
    const info = body('<DeviceInfo><DeviceTypeName>m</DeviceTypeName><SoftWareVersion>v</SoftWareVersion><VideoInputChannels>1</VideoInputChannels><VideoChannels>2</VideoChannels></DeviceInfo>');
    expect(schema.deviceInfo.safeParse(info).success).toBe(false);
  });

  it('refuses what is not one well-formed document, saying where', () => {
    expect(readXml('<DeviceInfo><SerialNum>1</SerialNumber></DeviceInfo>')).toMatchObject({ ok: false, problem: expect.stringMatching(/not well-formed.*line 1/) });
    expect(readXml('<A/><B/>')).toMatchObject({ ok: false, problem: expect.stringMatching(/2 root elements/) });
    expect(readXml('  ')).toMatchObject({ ok: false, problem: 'the body is empty' });
    expect(readXml('<A>text')).toMatchObject({ ok: false });
  });

  it('writes a declaration, the canonical root, escaped text and no undefined fields', () => {
    const xml = buildXml('OSD', { DisplayName: { Enable: true, PosX: 16, Name: 'a<b & "c"' }, DisplayTime: undefined }, { Version: '1.0' });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('<OSD Version="1.0">');
    expect(xml).not.toContain('DisplayTime');
    expect(body(xml)).toEqual({ DisplayName: { Enable: 'true', PosX: '16', Name: 'a<b & "c"' } });
  });
});

describe('bview2 requests', () => {
  it('a move is PUT /PTZ/1/<resource> Param1=1&Param2=speed, never resent; a stop is Param1=2, resendable', () => {
    expect(requests.startMove('tele', 3)).toMatchObject({ method: 'PUT', path: '/PTZ/1/ZoomIn', body: 'Param1=1&Param2=3', idempotent: false, movesLens: true });
    expect(requests.startMove('wide', 10).path).toBe('/PTZ/1/ZoomOut');
    expect(requests.startMove('near', 1).path).toBe('/PTZ/1/FocusNear');
    expect(requests.startMove('far', 1).path).toBe('/PTZ/1/FocusFar');
    const stop = requests.stopMove('wide');
    expect(stop).toMatchObject({ path: '/PTZ/1/ZoomOut', body: 'Param1=2', idempotent: true });
    expect(stop.movesLens).toBeUndefined();
    expect(() => requests.startMove('tele', 0)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(() => requests.startMove('tele', 11)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });

  it('the autofocus initialisations are Presets/Goto with Param1=103 (full) and 85 (override manual), never resent', () => {
    expect(requests.autofocusInit('full')).toMatchObject({ path: '/PTZ/1/Presets/Goto', body: 'Param1=103', idempotent: false, movesLens: true });
    expect(requests.autofocusInit('override-manual').body).toBe('Param1=85');
  });

  it('every XML body the client builds fits the strict schema the simulator enforces', () => {
    const cases = [
      [requests.setDeviceName('Gate'), 'DeviceInfo', schema.deviceInfoRequest],
      [requests.setExposure({ iris: 'manual', shutter: '1/10000', gain: '42dB' }), 'Exposure', schema.exposureRequest],
      [requests.setWhiteBalance({ mode: 'manual', red: 0, blue: 100 }), 'WhiteBalance', schema.whiteBalanceRequest],
      [requests.setIrCutFilter({ mode: 'time', dayStart: '06:00:00', dayEnd: '20:00:00', sensitivity: 100, switchSeconds: 15 }), 'IrCutFilter', schema.irCutFilterRequest],
      [requests.setOsd({ DisplayTime: { Enable: false }, DisplayName: { Enable: true, PosX: 480, PosY: 528 } }), 'OSD', schema.osdRequest],
    ] as const;
    for (const [req, root, s] of cases) {
      expect(req.contentType).toBe('application/xml; charset=UTF-8');
      const xml = readXml(req.body as string);
      expect(xml).toMatchObject({ ok: true, root });
      expect(s.safeParse((xml as { body: XmlNode }).body).success).toBe(true);
    }
  });

  it('checks image changes before anything is built', () => {
    expect(checkImageChanges({ exposure: { gain: '6dB' }, dayNight: { mode: 'night', sensitivity: undefined } })).toEqual({ exposure: { gain: '6dB' }, dayNight: { mode: 'night' } });
    for (const bad of [{ exposure: { gain: '6 dB' } }, { whiteBalance: { mode: 'daylight' } }, { dayNight: { sensitivity: -1 } }, { exposure: 'auto' }, { iris: {} }, { exposure: {} }]) {
      expect(() => checkImageChanges(bad)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    }
  });

  it('maps OSD corners to coordinates and back; other coordinates read as custom; refuses one corner for both', () => {
    const current = { DisplayTime: { Enable: true, PosX: 16, PosY: 16 }, DisplayName: { Enable: true, PosX: 300, PosY: 300, Name: 'n' } };
    expect(osdFromWire(current)).toEqual({ time: 'top-left', name: 'custom' });
    expect(osdToWire(current, { name: 'bottom-right' })).toEqual({ wire: { DisplayName: { Enable: true, PosX: 480, PosY: 528 } }, next: { time: 'top-left', name: 'bottom-right' } });
    expect(() => osdToWire(current, { name: 'top-left' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(() => osdToWire(current, { title: 'top-left' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(() => osdToWire(current, { time: 'custom' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});

describe('bview2 errors', () => {
  const f = { call: 'PUT /x', status: 200, user: 'admin' };

  it('maps every documented statusCode: -3 and -10 to NotSupported, the others to a Bview2StatusError carrying the code', () => {
    for (const code of Object.keys(STATUS_TEXT).map(Number).filter((c) => c !== 0)) {
      const error = bview2Error({ ...f, statusCode: code });
      if (code === -3 || code === -10) expect(error.code).toBe('ZS_NOT_SUPPORTED');
      else {
        expect(error).toBeInstanceOf(Bview2StatusError);
        expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', statusCode: code, status: 200 });
        expect(error.message).toContain(STATUS_TEXT[code]);
      }
    }
    expect(bview2Error({ ...f, statusCode: -14 }).message).toMatch(/wait and try again/);
  });

  it('a positive statusCode of the firmware upload is an update failure; 401 an auth error; 403, 404 and 500 by status', () => {
    expect(bview2Error({ ...f, statusCode: 2, firmware: true }).message).toMatch(/firmware update failed/);
    expect(bview2Error({ ...f, statusCode: 2 }).message).toMatch(/undocumented/);
    expect(bview2Error({ ...f, status: 401 }).code).toBe('ZS_HTTP_AUTH');
    expect(bview2Error({ ...f, status: 403 })).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 403 });
    expect(bview2Error({ ...f, status: 404 }).code).toBe('ZS_NOT_SUPPORTED');
    expect(bview2Error({ ...f, status: 500, statusCode: 0 })).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 500 });
  });
});

describe('bview2 firmware body and resources', () => {
  it('builds one multipart part the reader gives back byte for byte', () => {
    const image = new Uint8Array([0, 13, 10, 45, 45, 255]);
    const { body: b, contentType } = buildFirmwareBody(image, 'bv-b-20200503.pkg', 'BOUND');
    expect(contentType).toBe('multipart/form-data; boundary=BOUND');
    const part = readFirmwareBody(contentType, Buffer.from(b));
    expect(part).toMatchObject({ ok: true, fileName: 'bv-b-20200503.pkg' });
    expect([...(part as { bytes: Buffer }).bytes]).toEqual([...image]);
    for (const name of ['fw.bin', 'a"b.pkg', 'dir/fw.pkg', '.pkg']) expect(() => checkFirmwareFileName(name)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });

  it('knows the documented resources and their methods, in any casing', () => {
    expect(findResource('/twowayaudio/senddata')?.pattern).toBe('/TwowayAudio/SendData');
    expect(findResource('/System/Users/1')?.methods).toEqual(['GET', 'PUT', 'POST', 'DELETE']);
    expect(findResource('/System/Users/7')?.methods).toEqual(['GET']);
    expect(findResource('/Streams/1/4/ReceiveData')?.pattern).toBe('/Streams/{Ch}/{St}/ReceiveData');
    expect(findResource('/ISAPI/System/deviceInfo')).toBeUndefined();
  });
});
