import { describe, expect, it } from 'vitest';
import {
  capabilitiesFromAbilities,
  commands,
  moveAllowed,
  osdFromWire,
  osdToWire,
  ptzOpFor,
  ptzSerialToWire,
  timeFromWire,
  timeToWire,
  type JsonApiAbilities,
} from '../../../protocols/http/json-api/api.js';
import { jsonApiError, JsonApiStatusError, RSP_DETAILS } from '../../../protocols/http/json-api/errors.js';
import { requestParams, type JsonApiOsd } from '../../../protocols/http/json-api/schemas.js';

const ctx = (rspCode: number, detail?: string) => ({ cmd: 'GetOsd', rspCode, detail, user: 'admin', status: 200, url: 'http://cam/cgi-bin/api.cgi' });

describe('api.cgi rspCode -> typed error', () => {
  it.each([
    [-6, 'ZS_HTTP_AUTH'], [-21, 'ZS_HTTP_AUTH'], [-7, 'ZS_HTTP_AUTH'], [-27, 'ZS_HTTP_AUTH'], [-501, 'ZS_HTTP_AUTH'], [-502, 'ZS_HTTP_AUTH'],
    [-506, 'ZS_HTTP_LOCKED'], [-105, 'ZS_HTTP_LOCKED'], [-503, 'ZS_HTTP_LOCKED'], [-507, 'ZS_HTTP_LOCKED'],
    [-9, 'ZS_NOT_SUPPORTED'], [-26, 'ZS_NOT_SUPPORTED'], [-8, 'ZS_HTTP_TIMEOUT'],
    [-4, 'ZS_HTTP_STATUS'], [-23, 'ZS_HTTP_STATUS'], [-49, 'ZS_HTTP_STATUS'], [-5, 'ZS_HTTP_STATUS'], [-25, 'ZS_HTTP_STATUS'], [-999, 'ZS_HTTP_STATUS'],
  ])('rspCode %i is %s', (rspCode, code) => {
    const error = jsonApiError(ctx(rspCode));
    expect(error.code).toBe(code);
    expect(error.message).toContain(`rspCode ${rspCode}`);
  });

  it('every documented rspCode maps to a typed error with its detail, and the status ones carry the rspCode', () => {
    for (const code of Object.keys(RSP_DETAILS).map(Number)) {
      const error = jsonApiError(ctx(code));
      expect(error.message).toContain(RSP_DETAILS[code]!);
      if (error.code === 'ZS_HTTP_STATUS') expect(error).toMatchObject({ rspCode: code, cmd: 'GetOsd', status: 200 });
    }
    expect(jsonApiError(ctx(-4, 'range'))).toBeInstanceOf(JsonApiStatusError);
  });

  it('an -8 timeout says the camera may have acted', () => {
    expect(jsonApiError(ctx(-8))).toMatchObject({ mayHaveActed: true });
  });
});

describe('api.cgi commands', () => {
  it('login is never resent; moves are marked as moving the lens; Stop is not', () => {
    expect(commands.login('admin', 'x').idempotent).toBe(false);
    expect(commands.login('admin', 'x').command).toEqual({ cmd: 'Login', param: { User: { Version: '0', userName: 'admin', password: 'x' } } });
    expect(commands.startZoomFocus(0, 'ZoomPos', 3, 32).movesLens).toBe(true);
    expect(commands.ptzMove(0, 'ZoomDec', 32).movesLens).toBe(true);
    expect(commands.gotoPreset(0, 1, 32).movesLens).toBe(true);
    expect(commands.ptzStop(0).movesLens).toBeUndefined();
    expect(commands.reboot().idempotent).toBe(false);
  });

  it('checks arguments before building', () => {
    expect(() => commands.login('', 'x')).toThrow(/user name/);
    expect(() => commands.login('admin', 'x'.repeat(32))).toThrow(/password/);
    expect(() => commands.startZoomFocus(0, 'FocusPos', 249, 248)).toThrow(/focus position/);
    expect(() => commands.ptzMove(0, 'Left', 65)).toThrow(/speed/);
    expect(() => commands.ptzMove(0, 'Left', 1.5)).toThrow(/speed/);
    expect(() => commands.setPtzPreset(0, 1, '', true)).toThrow(/preset name/);
  });

  it('every command built fits the strict request params the simulator enforces', () => {
    const built = [
      commands.login('admin', 'pw'), commands.logout(), commands.getAbility('admin'), commands.getDevInfo(), commands.getLocalLink(), commands.getNetPort(),
      commands.getTime(), commands.setTime({ year: 2030, mon: 1, day: 2, hour: 3, min: 4, sec: 5 }), commands.getImage(0),
      commands.setImage({ channel: 0, bright: 1, contrast: 2, saturation: 3, hue: 4, sharpen: 5 }), commands.getOsd(0),
      commands.setOsd({ channel: 0, bgcolor: 0, osdChannel: { enable: 1, name: 'cam', pos: 'Upper Left' }, osdTime: { enable: 0, pos: 'Lower Right' }, watermark: 1 }),
      commands.getZoomFocus(0), commands.startZoomFocus(0, 'ZoomPos', 3, 32), commands.getAutoFocus(0), commands.setAutoFocus(0, true),
      commands.ptzMove(0, 'ZoomInc', 32), commands.ptzStop(0), commands.gotoPreset(0, 2, 10), commands.getPtzPreset(0), commands.setPtzPreset(0, 2, 'door', true),
      commands.getPtzSerial(0), commands.setPtzSerial(0, { baudRate: 9600, ctrlProtocol: 'PELCO_P', ctrlAddr: 2 }), commands.reboot(), commands.restore(),
    ];
    for (const { command } of built) {
      const s = requestParams[command.cmd as keyof typeof requestParams];
      expect(s.safeParse(command.param).success, command.cmd).toBe(true);
    }
  });
});

describe('api.cgi wire <-> common', () => {
  it('maps zoom moves with the documented direction by default, swapped per camera', () => {
    expect(ptzOpFor('tele', 'ZoomDec')).toBe('ZoomDec');
    expect(ptzOpFor('wide', 'ZoomDec')).toBe('ZoomInc');
    expect(ptzOpFor('tele', 'ZoomInc')).toBe('ZoomInc');
    expect(ptzOpFor('far', 'ZoomDec')).toBe('FocusInc');
  });

  it('reads the clock with timeZone as seconds west of UTC, and writes it back the same way', () => {
    const t = { year: 2030, mon: 6, day: 1, hour: 14, min: 0, sec: 0, hourFmt: 0 as const, timeFmt: 'DD/MM/YYYY' as const, timeZone: -7200 };
    expect(timeFromWire(t).toISOString()).toBe('2030-06-01T12:00:00.000Z'); // UTC+2
    expect(timeToWire(new Date('2030-06-01T12:00:00Z'), -7200)).toEqual({ year: 2030, mon: 6, day: 1, hour: 14, min: 0, sec: 0 });
    expect(() => timeToWire(new Date('nonsense'), 0)).toThrow(/valid date/);
  });

  it('OSD: hidden turns an element off and keeps its place; centre places exist; custom is read-only', () => {
    const osd: JsonApiOsd = { channel: 0, osdChannel: { enable: 1, name: 'cam', pos: 'Other Configuration' }, osdTime: { enable: 0, pos: 'Upper Right' } };
    expect(osdFromWire(osd)).toEqual({ title: 'custom', time: 'hidden' });
    const next = osdToWire(osd, { title: 'hidden', time: 'top-center' });
    expect(next.osdChannel).toEqual({ enable: 0, name: 'cam', pos: 'Other Configuration' });
    expect(next.osdTime).toEqual({ enable: 1, pos: 'Top Center' });
    expect(() => osdToWire(osd, { resolution: 'top-left' })).toThrow(/osd element/);
    expect(() => osdToWire(osd, { time: 'custom' })).toThrow(/osd time/);
  });

  it('PTZ serial settings are checked field by field and sent as a partial update', () => {
    expect(ptzSerialToWire({ baud: 4800, protocol: 'PELCO_D', address: 64, dataBits: 7, stopBits: 2, parity: 'even', flowControl: 'xon' })).toEqual({
      baudRate: 4800, ctrlProtocol: 'PELCO_D', ctrlAddr: 64, dataBit: 'CS7', stopBit: 2, parity: 'even', flowCtrl: 'xon',
    });
    expect(() => ptzSerialToWire({})).toThrow(/at least one/);
    expect(() => ptzSerialToWire({ address: 65 })).toThrow(/address/);
    expect(() => ptzSerialToWire({ stopBits: 3 })).toThrow(/stop bits/);
  });

  it('abilities decide the capabilities and the moves', () => {
    const a: JsonApiAbilities = {
      global: { localLink: { permit: 6, ver: 1 }, time: { permit: 6, ver: 2 }, reboot: { permit: 0, ver: 1 }, restore: { permit: 1, ver: 1 } },
      channel: { ptzType: { permit: 6, ver: 1 }, ptzCtrl: { permit: 6, ver: 1 }, osd: { permit: 6, ver: 1 }, ptzPreset: { permit: 6, ver: 0 } },
      rs485: false,
    };
    const caps = capabilitiesFromAbilities(a);
    expect([...caps].sort()).toEqual(['factory-default', 'identity', 'network', 'osd', 'time']); // ptzCtrl 1: no absolute lens; reboot permit 0
    expect(moveAllowed(a, 'tele')).toBe(true);
    expect(moveAllowed(a, 'far')).toBe(false); // focus needs ptzCtrl 2
    expect(moveAllowed(a, 'left')).toBe(false); // ptzType 1: a lens, no head
  });
});
