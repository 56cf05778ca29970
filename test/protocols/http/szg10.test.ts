import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../protocols/http/common/parse.js';
import { displayUrl, redact, redactSecrets } from '../../../protocols/http/common/redact.js';
import { FULL_ROI, hashPassword, lensFromWire, networkFromWire, networkToWire, osdFromWire, osdToWire, portProblems, requests } from '../../../protocols/http/szg10/api.js';
import * as schema from '../../../protocols/http/szg10/schemas.js';

// Verbatim from Appendix A (placeholders filled where the manual prints <IPv4>).
const DEVICE_INFORMATION_EXAMPLE = `{
 "network": { "httpActivation": true, "httpPort": 80, "httpsActivation": false, "httpsPort": 443, "rtspPort": 554,
  "ipv4": { "dhcpActivation": false, "dnsDhcpActivation": true, "ip": "10.0.0.2", "linklocal": "169.254.1.1", "gateway": "10.0.0.1", "subnetmask": "255.255.255.0", "dns": { "primary": "10.0.0.1", "secondary": "10.0.0.1" } },
  "ipv6": { "useType": 0, "dnsDhcpActivation": true, "dns": { "primary": "", "secondary": "" }, "gateway": "", "ip": "", "linklocal": "", "prefixLength": 64 } },
 "system": { "version": { "firmware": "firmware_version" }, "modelName": "modelname", "mac": "FFFFFFFFFFFF",
  "time": { "year": 2025, "month": 7, "day": 24, "hour": 9, "min": 10, "sec": 35, "isDst": true, "osdString": "24-07-2037 09:10:35" },
  "health": { "cpu": { "temperatureC": 0, "temperatureF": 0 } } },
 "stream": [ { "activation": true, "rtspUrl": "stream1", "resolution": { "width": 1920, "height": 1080 }, "fps": 30 } ] }`;
const LENS_EXAMPLE = `{ "focus": { "position": 0, "roi": { "left": 8, "top": 9, "right": 8, "bottom": 9 }, "mode": 0, "afInterval": 5, "enableManualZoomAF": true }, "zoom": { "position": 0 }, "iris": { "position": 0 } }`;

describe('SZ-G10 wire format', () => {
  it('hashes the password as the manual expects (SHA-256 hex)', () => {
    // the manual's example password; digest computed independently with sha256sum
    expect(hashPassword('asdfqwer')).toBe('2cbe13972c4067ebee6437e9bf8b0efa1d869357b4289c3b1b830bd2f602afcd');
    const req = requests.login('admin', hashPassword('asdfqwer'));
    expect(JSON.parse(req.body as string)).toEqual({ userId: 'admin', userPassword: hashPassword('asdfqwer') });
    expect(req.body).not.toContain('asdfqwer');
    expect(() => requests.login('x'.repeat(17), '')).toThrow(/at most 16/);
  });

  it("accepts the manual's own examples, quirks included", () => {
    const info = parseJson(schema.deviceInformation, DEVICE_INFORMATION_EXAMPLE, 'test');
    expect(info.system.time.osdString).toBe('24-07-2037 09:10:35'); // disagrees with year 2025: tolerated
    const lens = lensFromWire(parseJson(schema.lens, LENS_EXAMPLE, 'test'));
    expect(lens).toMatchObject({ zoom: 0, focus: 0, focusMode: 'auto', focusRoi: { left: 8, right: 8 } });
    // older firmware without system.health
    const old = JSON.parse(DEVICE_INFORMATION_EXAMPLE);
    delete old.system.health;
    expect(parseJson(schema.deviceInformation, JSON.stringify(old), 'test').system.health).toBeUndefined();
  });

  it('rejects answers that do not match, naming the field and quoting the body', () => {
    expect(() => parseJson(schema.lens, '{"focus":{"position":"x"}}', 'szg10 GET lens')).toThrow(/focus\.position.*"position":"x"/);
    expect(() => parseJson(schema.upgradeState, '{"result":7,"resultCaption":""}', 'state')).toThrow(/ZS_HTTP_BAD_RESPONSE|does not match/);
    expect(() => parseJson(schema.loginResponse, '<html>', 'login')).toThrow(/not valid JSON.*<html>/);
    expect(() => parseJson(schema.loginResponse, '', 'login')).toThrow(/\(empty body\)/);
  });

  it('keeps a secret in a body that is not JSON out of the error and its causes', () => {
    let error: unknown;
    try {
      parseJson(schema.loginResponse, 'token=Pa55word!', 'szg10 login');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE', snippet: 'token=***' });
    expect(inspect(error, { depth: 5 })).not.toContain('Pa55word!');
  });

  it('builds every lens request with its range checks', () => {
    expect(requests.zoomPosition(1000)).toMatchObject({ method: 'PUT', path: '/app/v1/camera/lens/zoom/position', body: '{"position":1000}' });
    expect(() => requests.zoomPosition(1001)).toThrow(/0–1000/);
    expect(() => requests.zoomPosition(1.5)).toThrow(/0–1000/);
    expect(requests.focusPosition(10000).body).toBe('{"position":10000}');
    expect(() => requests.focusPosition(10001)).toThrow(/0–10000/);
    expect(requests.setFocusMode('macro').body).toBe('{"mode":2}');
    expect(requests.onePush().body).toBe('{"left":0,"top":0,"right":15,"bottom":15}');
    expect(() => requests.onePush({ left: 9, top: 0, right: 8, bottom: 15 })).toThrow(/roi left/);
    expect(requests.enableZoomAf(true).body).toBe('{"enable":true}');
    expect(requests.factoryDefault().body).toBe('{}');
    // every category named, so a camera that defaults a missing key to "reset" keeps the rest
    expect(JSON.parse(requests.factoryDefault(['user', 'network']).body as string)).toEqual({
      dbSelection: { user: true, system: false, network: true, event: false, camera: false, onvif: false, action: false },
    });
    expect(() => requests.factoryDefault([])).toThrow(/at least one category/);
    expect(() => requests.factoryDefault(['users' as 'user'])).toThrow(/factory-default category "users"/);
    expect(requests.reboot().idempotent).toBe(false);
    expect(requests.getLens().idempotent).toBe(true);
  });

  it('applies the port rules of ipSetup', () => {
    expect(portProblems({ http: 80, https: 443, rtsp: 554 })).toEqual([]);
    expect(portProblems({ http: 1024, https: 1025, rtsp: 65535 })).toEqual([]);
    expect(portProblems({ http: 81, https: 443, rtsp: 554 })).toEqual(['http port 81 must be 80 or ≥ 1024']);
    expect(portProblems({ http: 80, https: 80, rtsp: 554 })).toHaveLength(2);
    expect(portProblems({ http: 8080, https: 443, rtsp: 8080 })).toEqual(['http port 8080 overlaps another port']);
    expect(portProblems({ http: 80, https: 70000, rtsp: 554 })[0]).toMatch(/not 0–65535/);
  });

  it('translates OSD and network between wire and common shapes', () => {
    const wire = { system: { systemTitleShowType: 0, videoResolutionShowType: 2, videoTimeShowType: 4 } };
    expect(osdFromWire(wire)).toEqual({ title: 'hidden', resolution: 'top-right', time: 'bottom-right' });
    expect(osdToWire(wire, { title: 'bottom-left' }).system.systemTitleShowType).toBe(3);
    expect(() => osdToWire(wire, { clock: 'hidden' })).toThrow(/osd element/);
    const ip = {
      ipv4: { dhcp: true, ipAddr: '10.0.0.2', gateway: '10.0.0.1', subnet: '255.0.0.0', dns: { primary: '1.1.1.1', secondary: '' }, linklocal: '169.254.0.1' },
      ipv6: { useType: 1, ipAddr: '2001:db8::1', prefixLength: 64, gateway: 'fe80::1', dns: { primary: '', secondary: '' }, linklocal: 'fe80::2' },
      port: { http: 80, https: 443, rtsp: 554 },
    };
    const back = networkToWire(networkFromWire(ip));
    expect(back.ipv4).toEqual({ ...ip.ipv4, linklocal: undefined } as never);
    expect(back.ipv6.useType).toBe(1);
    expect(back.port).toEqual(ip.port);
  });
});

describe('redaction', () => {
  it('hides passwords, tokens, Authorization values and URL userinfo', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl';
    const text = redact(`{"userPassword":"abc123","token":"${jwt}"} Authorization: Bearer ${jwt} http://admin:pw@10.0.0.1/x?password=hunter2 ${jwt}`);
    for (const secret of ['abc123', jwt, 'admin:pw', 'hunter2']) expect(text).not.toContain(secret);
    expect(text).toContain('http://***@10.0.0.1/x');
    expect(displayUrl('https://u:p@cam:8443/app')).toBe('https://cam:8443/app');
  });

  it('redactSecrets masks each secret wherever it stands, in any case, the longer first', () => {
    const hash = hashPassword('pw');
    const text = `echo pw and ${hash.toUpperCase()} then ${hash}`;
    expect(redactSecrets(text, ['pw', hash])).toBe('echo *** and *** then ***');
    expect(redactSecrets('a.b*c', ['.b*'])).toBe('a***c'); // regex characters are literal
    expect(redactSecrets('nothing here', ['', undefined])).toBe('nothing here');
  });

  it('every request with a body carries the JSON content type and fits the strict schema the simulator checks', () => {
    const bodies: [ReturnType<(typeof requests)['reboot']>, { safeParse(v: unknown): { success: boolean } }][] = [
      [requests.login('admin', hashPassword('x')), schema.loginRequest],
      [requests.reboot(), schema.emptyRequest],
      [requests.factoryDefault(), schema.factoryDefaultRequest],
      [requests.factoryDefault(['user', 'network']), schema.factoryDefaultRequest],
      [requests.setOsd({ system: { systemTitleShowType: 1, videoResolutionShowType: 2, videoTimeShowType: 0 } }), schema.osdRequest],
      [requests.setFocusMode('manual'), schema.focusModeRequest],
      [requests.enableZoomAf(true), schema.enableZoomAfRequest],
      [requests.zoomPosition(10), schema.zoomPositionRequest],
      [requests.focusPosition(10), schema.focusPositionRequest],
      [requests.focusHome(), schema.emptyRequest],
      [requests.onePush(FULL_ROI), schema.onePushRequest],
      [requests.upgrade(true), schema.upgradeRequest],
    ];
    for (const [req, s] of bodies) {
      expect({ path: req.path, contentType: req.contentType }).toEqual({ path: req.path, contentType: 'application/json' });
      expect({ path: req.path, fits: s.safeParse(JSON.parse(req.body as string)).success }).toEqual({ path: req.path, fits: true });
    }
  });

  it('marks exactly the calls that move a lens, and gives each its documented success code', () => {
    const moving = [requests.zoomPosition(1), requests.focusPosition(1), requests.focusHome(), requests.onePush()];
    for (const req of moving) expect(req.movesLens).toBe(true);
    for (const req of [requests.getLens(), requests.setFocusMode('auto'), requests.enableZoomAf(false), requests.reboot()]) expect(req.movesLens).toBeUndefined();
    expect(requests.zoomPosition(1).success).toEqual([200]);
    expect(requests.focusPosition(1).success).toContain(204);
    expect(requests.setOsd({ system: { systemTitleShowType: 1, videoResolutionShowType: 1, videoTimeShowType: 1 } }).success).toEqual([204]);
    expect(requests.factoryDefault().success).toEqual([204]);
  });

  it('keeps afInterval from the lens answer', () => {
    expect(lensFromWire(parseJson(schema.lens, LENS_EXAMPLE, 'test')).afInterval).toBe(5);
  });
});
