import { describe, expect, it } from 'vitest';
import {
  actionQuery,
  calls,
  imageToWire,
  macFromWire,
  osdFromWire,
  osdToWire,
  ptzCmdFor,
  PTZ_MOVES,
  readAnswer,
  serialFromWire,
  serialToWire,
  stripEnvelope,
  networkToWire,
  shadowedDataKeys,
  lineMismatches,
  jsonSecrets,
} from '../../../protocols/http/cgi-action/api.js';
import { CgiActionStatusError, cgiActionError, CODE_TEXT } from '../../../protocols/http/cgi-action/errors.js';
import type { OsdConf } from '../../../protocols/http/cgi-action/schemas.js';
import { ZoomsyncError } from '../../../protocols/errors.js';

const ctx = { action: 'setPtzControl', user: 'admin', status: 200, rawJson: false };

function thrown(fn: () => unknown): ZoomsyncError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZoomsyncError);
    return error as ZoomsyncError;
  }
  throw new Error('expected a throw');
}

describe('cgi_action answers', () => {
  it('reads the two plain-text error lines (with their CRLF) and JSON', () => {
    expect(readAnswer('error user/pwd\r\n')).toEqual({ kind: 'auth' });
    expect(readAnswer('\r\nerror json\r\n')).toEqual({ kind: 'json-error' });
    expect(readAnswer('{"code":0}')).toEqual({ kind: 'json', value: { code: 0 } });
    expect(readAnswer('<html>')).toEqual({ kind: 'unreadable' });
  });

  it('strips every envelope key of the three variants, keeping the data', () => {
    const data = stripEnvelope({ PTZ_Lock: 0, code: 0, device_mac: 'm', deviceID: 'd', device_id: 'd', log: '', device_ip: 'i', message: 'NULL', sign_tby: 'x' });
    expect(data).toEqual({ PTZ_Lock: 0 });
  });

  it('maps each error form to its typed error', () => {
    expect(cgiActionError({ kind: 'auth' }, ctx).code).toBe('ZS_HTTP_AUTH');
    expect(cgiActionError({ kind: 'json-error' }, ctx).code).toBe('ZS_NOT_SUPPORTED');
    expect(cgiActionError({ kind: 'code', code: 209, log: undefined }, ctx).code).toBe('ZS_NOT_SUPPORTED');
    for (const code of [201, 204, 205, 206, -104, -117, 7, 299, 12345]) {
      const error = cgiActionError({ kind: 'code', code, log: undefined }, ctx);
      expect(error).toBeInstanceOf(CgiActionStatusError);
      expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 200, deviceCode: code, action: 'setPtzControl' });
    }
  });

  it("gives the manual's text for a code when the camera's log is empty, the log when it has one", () => {
    expect((cgiActionError({ kind: 'code', code: 205, log: undefined }, ctx) as CgiActionStatusError).detail).toBe(CODE_TEXT[205]);
    expect((cgiActionError({ kind: 'code', code: 205, log: 'speed_v' }, ctx) as CgiActionStatusError).detail).toBe('speed_v');
    expect((cgiActionError({ kind: 'code', code: 28, log: undefined }, ctx) as CgiActionStatusError).detail).toBe('libcurl error 28');
  });
});

describe('cgi_action calls', () => {
  it('puts user, pwd, action, json in that order; json percent-encoded, or raw as printed', () => {
    const call = { action: 'setSysConfig' as const, json: { dev_name: 'a+b' } };
    expect(actionQuery('admin', 'e10adc3949ba59abbe56e057f20f883e', call, 'encoded')).toBe('user=admin&pwd=e10adc3949ba59abbe56e057f20f883e&action=setSysConfig&json=%7B%22dev_name%22%3A%22a%2Bb%22%7D');
    expect(actionQuery('admin', 'h', { action: 'setSysConfig', json: { language: 1 } }, 'raw')).toBe('user=admin&pwd=h&action=setSysConfig&json={"language":1}');
    expect(actionQuery('admin', 'h', { action: 'getSysConfig' }, 'encoded')).toBe('user=admin&pwd=h&action=getSysConfig');
  });

  it('refuses, in raw mode, JSON a request line cannot carry as it is', () => {
    expect(thrown(() => actionQuery('admin', 'h', call('a b'), 'raw')).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => actionQuery('admin', 'h', call('a&b'), 'raw')).code).toBe('ZS_INVALID_ARGUMENT');
    function call(name: string) {
      return { action: 'setSysConfig' as const, json: { dev_name: name } };
    }
  });

  it('says what a resend means: reads and stops repeatable, moves and recalls never replayed, pulses and restarts sent once', () => {
    expect(calls.getSysConfig()).toMatchObject({ idempotent: true, acts: false });
    expect(calls.ptzMove(9, 50)).toMatchObject({ idempotent: true, movesLens: true, acts: true, json: { speed_h: 50, speed_v: 50, channel: 0, ptz_cmd: 9 } });
    expect(calls.ptzStop(50)).toMatchObject({ idempotent: true, acts: true, json: { ptz_cmd: 21 } });
    expect(calls.ptzStop(50).movesLens).toBeUndefined();
    expect(calls.preset('call', 10)).toMatchObject({ movesLens: true, json: { speed_v: 10, channel: 0, ptz_cmd: 20 } });
    expect(calls.preset('set', 10).json).toEqual({ speed_v: 10, channel: 0, ptz_cmd: 19 });
    for (const c of [calls.openDoor(), calls.restart(), calls.reset(true, true), calls.setWiredNetwork({})]) expect(c).toMatchObject({ idempotent: false, acts: true });
    expect(calls.any('setWifiScan')).toMatchObject({ idempotent: true, acts: false });
    expect(calls.any('getVencConf', { channel: 1 })).toMatchObject({ idempotent: true, json: { channel: 1 } });
    expect(calls.any('ioSendData', { data: 'x' })).toMatchObject({ idempotent: false });
  });

  it('checks speeds, presets and action names before anything is built', () => {
    expect(thrown(() => calls.ptzMove(9, 0)).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => calls.ptzMove(9, 101)).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => calls.preset('call', 0)).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => calls.preset('set', 101)).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => calls.any('getsysconfig')).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => calls.any('getVencConf', [1])).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => calls.setTime(new Date(Number.NaN))).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('maps every move to its ptz_cmd; iris open is 7 unless the printed 9 is chosen', () => {
    const cmds = PTZ_MOVES.map((m) => ptzCmdFor(m, 7));
    expect(cmds).toEqual([9, 10, 6, 5, 7, 8, 3, 4, 1, 2, 71, 72, 73, 74]);
    expect(ptzCmdFor('iris-open', 9)).toBe(9);
  });
});

describe('cgi_action wire <-> common', () => {
  it('normalises the MAC to the colon form the other dialects report', () => {
    expect(macFromWire('88-07-cb-00-02-be')).toBe('88:07:CB:00:02:BE');
    expect(macFromWire('odd')).toBe('odd');
  });

  it('reads the RS-485 port and writes only the fields given, each checked', () => {
    expect(serialFromWire({ PTZ_Lock: 1, baudrate: 9600, dataBits: 8, stopBits: 1, parity: 3, flowControl: 0 })).toEqual({ baud: 9600, dataBits: 8, stopBits: 1, parity: 'mark', ptzLock: true, flowControl: 0 });
    expect(serialToWire({ baud: 2400, parity: 'even', ptzLock: false })).toEqual({ baudrate: 2400, parity: 2, PTZ_Lock: 0 });
    expect(serialToWire({ dataBits: 7, stopBits: 2 })).toEqual({ dataBits: 7, stopBits: 2 });
  });

  it('refuses a bad baud, parity, bit count, an unknown key or nothing at all', () => {
    for (const bad of [{ baud: 19200 }, { baud: '9600' }, { parity: 'N' }, { dataBits: 9 }, { stopBits: 1.5 }, { ptzLock: 1 }, { speed: 1 }, {}]) {
      expect(thrown(() => serialToWire(bad)).code).toBe('ZS_INVALID_ARGUMENT');
    }
  });

  it('refuses protocol, address and flow control: setPeripheralConf has no such fields', () => {
    for (const key of ['protocol', 'address', 'flowControl']) expect(thrown(() => serialToWire({ baud: 9600, [key]: 1 })).code).toBe('ZS_NOT_SUPPORTED');
  });

  it('checks image keys and values against the basic table', () => {
    expect(imageToWire({ brightness: 10, max_exposure: 100, rotate: 3 })).toEqual({ brightness: 10, max_exposure: 100, rotate: 3 });
    for (const bad of [{ brightness: 256 }, { max_exposure: 99 }, { rotate: 4 }, { zoom: 1 }, { hue: 1.5 }, {}]) expect(thrown(() => imageToWire(bad)).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('places OSD elements by region of the 704×576 canvas, and a written place reads back the same', () => {
    const osd: OsdConf = {
      show_date: 1, show_time: 1, date_pos_x: 0, date_pos_y: 0,
      title_list: [{ title: 'xxx', title_pos_x: 556, title_pos_y: 546, show_title: 1 }, { title: ' ', title_pos_x: 556, title_pos_y: 506, show_title: 0 }],
    };
    expect(osdFromWire(osd)).toEqual({ time: 'top-left', title: 'bottom-right' });
    for (const place of ['top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'] as const) {
      expect(osdFromWire(osdToWire(osd, { time: place, title: place }))).toEqual({ time: place, title: place });
    }
    const hidden = osdToWire(osd, { time: 'hidden', title: 'hidden' });
    expect(osdFromWire(hidden)).toEqual({ time: 'hidden', title: 'hidden' });
    expect(hidden.date_pos_x).toBe(0); // the place is kept
    expect(thrown(() => osdToWire(osd, { resolution: 'top-left' })).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => osdToWire(osd, { time: 'custom' })).code).toBe('ZS_INVALID_ARGUMENT');
  });

  it('writes network settings with the example keys, refusing IPv6, HTTPS and bad addresses', () => {
    const s = { ipv4: { dhcp: false, address: '192.168.1.86', gateway: '192.168.1.1', subnet: '255.255.255.0', dns: { primary: '1.2.4.8', secondary: '8.8.8.8' } }, ports: { http: 80, https: 0, rtsp: 554 } };
    expect(networkToWire(s, 0)).toEqual({ DHCP: 0, IP: '192.168.1.86', subnet_mask: '255.255.255.0', gateway: '192.168.1.1', DNS: '1.2.4.8', DNS2: '8.8.8.8', webPort: 80, manual_dns: 0 });
    expect(thrown(() => networkToWire({ ...s, ports: { ...s.ports, https: 443 } }, 0)).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => networkToWire({ ...s, ipv4: { ...s.ipv4, address: '192.168.1.300' } }, 0)).code).toBe('ZS_INVALID_ARGUMENT');
    expect(thrown(() => networkToWire({ ...s, ipv6: { enabled: true, address: '', prefixLength: 64, gateway: '', dns: { primary: '', secondary: '' } } }, 0)).code).toBe('ZS_NOT_SUPPORTED');
  });
});

describe('cgi_action quirks', () => {
  it("keeps getGb28181's own device_id, which the envelope's shadows under JSON.parse", () => {
    const text = '{"server_id": "", "device_id": "3402000000132\\"0", "device_port": 5060, "code": 0, "deviceID": "CBT", "device_id": "CBT", "log": ""}';
    expect(shadowedDataKeys(text)).toEqual({ device_id: '3402000000132"0' });
    expect(shadowedDataKeys('{"code":0,"device_id":"CBT"}')).toEqual({});
  });

  it('lists where the camera RS-485 port differs from the line zoomsync drives', () => {
    const port = { baud: 9600, dataBits: 8, stopBits: 1, parity: 'none' as const, ptzLock: false };
    expect(lineMismatches(port, { baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none' })).toEqual([]);
    expect(lineMismatches(port, { baudRate: 2400, dataBits: 8, stopBits: 1, parity: 'even' })).toEqual(['baud 9600 on the camera, 2400 on the line', 'parity none on the camera, even on the line']);
  });
});

describe('cgi_action credentials inside JSON', () => {
  it('finds every credential value, at any depth, in the forms it travels in', () => {
    const secrets = jsonSecrets({ ftpPasswd: 'f p', mqtt_passwd: 'mq', nested: [{ gat_pwd: 'g' }], dev_name: 'cam', newPassword: 'n' });
    expect(secrets).toEqual(expect.arrayContaining(['"f p"', encodeURIComponent('"f p"'), 'f p', '"mq"', '"g"', '"n"']));
    expect(secrets.join()).not.toContain('cam');
    expect(jsonSecrets(undefined)).toEqual([]);
  });
});
