import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calls,
  capabilitiesFromPtz,
  cgiPath,
  imageFromWire,
  imageSet,
  osdFromWire,
  osdToWire,
  parseServerDate,
  ptzCapabilitiesFrom,
} from '../../../protocols/http/cgi-control/api.js';
import { CgiControlError, cgiControlError } from '../../../protocols/http/cgi-control/errors.js';
import { formatKv, KvFormatError, parseKv, type KvBody } from '../../../protocols/http/cgi-control/kv.js';

const values = (body: string) => {
  const parsed = parseKv(body);
  if (parsed.kind !== 'values') throw new Error(`expected values, got ${parsed.kind}`);
  return parsed;
};

describe('key = value parser: what cameras send', () => {
  it('reads the spec\'s day/night answer with CRLF line ends', () => {
    expect(values('daynightmode = auto\r\ninterval = 5\r\nptn = 15\r\nptd = 38\r\nirlink = enable\r\n').flat).toEqual({ daynightmode: 'auto', interval: '5', ptn: '15', ptd: '38', irlink: 'enable' });
  });

  it('keeps an empty value (seconddns = ) as the empty string', () => {
    expect(values('firstdns = 168.126.63.1\nseconddns = \n').flat).toEqual({ firstdns: '168.126.63.1', seconddns: '' });
  });

  it('strips the document\'s trailing "* annotation" from a value', () => {
    expect(values('maxno = 1          * Max supported number of alarm input\nalarmout1.time = 5  *continuous, 5~180\n').flat).toEqual({ maxno: '1', 'alarmout1.time': '5' });
  });

  it('skips the blank lines between groups and reads dotted keys', () => {
    expect(values('allstatus = enable\nmaxno = 1\n\nalarmin1.enable = enable\nalarmin1.name = sensor\n').flat).toMatchObject({ maxno: '1', 'alarmin1.name': 'sensor' });
  });

  it('keys values by [Section] and keeps the bare framerate lines of a section', () => {
    const body = values('[Capabilities Framerate]\nMaxFramerate = 60\nfix:60fps@1280x720;1024x768\n\nmin:5fps;max:30fps@VideoSizeAll\n[Capabilities KeyFrame]\nmin:5;max:120@fix:60fps\n');
    expect(body.sections.map((s) => s.name)).toEqual(['Capabilities Framerate', 'Capabilities KeyFrame']);
    expect(body.sections[0]!.values).toEqual({ MaxFramerate: '60' });
    expect(body.sections[0]!.lines).toEqual(['fix:60fps@1280x720;1024x768', 'min:5fps;max:30fps@VideoSizeAll']);
    expect(body.sections[1]!.lines).toEqual(['min:5;max:120@fix:60fps']);
  });

  it('keeps a key repeated in two sections apart (getCapabilitiesImage has hue twice)', () => {
    const body = values('[ImageEnhanceSupported]\nhue = No\n\n[ImageEnhanceValuerange]\nhue = min:1;max:100;default:50\n');
    expect(body.sections[0]!.values.hue).toBe('No');
    expect(body.sections[1]!.values.hue).toBe('min:1;max:100;default:50');
  });

  it.each([['Error: Invalid ID or Password\r\n'], ['Error:Invalid ID or Password'], ['  Error :Invalid ID or Password\n']])('reads %j as an error with its description', (body) => {
    expect(parseKv(body)).toEqual({ kind: 'error', message: 'Invalid ID or Password' });
  });

  it('reads a body of nothing (or only blank lines) as empty', () => {
    expect(parseKv('')).toEqual({ kind: 'empty' });
    expect(parseKv('\r\n\r\n')).toEqual({ kind: 'empty' });
  });
});

describe('key = value parser: what the format forbids', () => {
  const refused = (body: string) => {
    try {
      parseKv(body);
    } catch (error) {
      expect(error).toBeInstanceOf(KvFormatError);
      return error as KvFormatError;
    }
    throw new Error('expected a KvFormatError');
  };

  it('refuses an HTML page (a bare line outside any section) naming the line', () => {
    expect(refused('<html><body>404</body></html>').line).toBe(1);
  });

  it('refuses a key that is not a token', () => {
    expect(refused('mode = static\n<meta content="x" = y\n').line).toBe(2);
  });

  it('refuses an Error: line after values', () => {
    expect(refused('ptstatus = enable\nError: busy\n').line).toBe(2);
  });

  it('refuses control characters', () => {
    expect(refused('servername = we\u0000lcome\n').problem).toContain('control');
  });
});

// ---- properties ----

const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/);
/** Values as cameras print them: no '*', no line breaks, no control characters, no edge blanks. */
const value = fc.stringMatching(/^([A-Za-z0-9:;,@.\/_-]([A-Za-z0-9 :;,@.\/_-]{0,18}[A-Za-z0-9:;,@.\/_-])?)?$/);
const record = fc.dictionary(key, value, { minKeys: 1, maxKeys: 8 });

describe('key = value parser: properties', () => {
  it('reads back what formatKv wrote, with either line end', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 4 }), fc.constantFrom('\r\n', '\n'), (groups, eol) => {
        const flat = Object.assign({}, ...groups);
        expect(values(formatKv(groups, eol)).flat).toEqual(flat);
      }),
    );
  });

  it('ignores trailing blanks, annotations and blank lines', () => {
    fc.assert(
      fc.property(record, fc.array(fc.constantFrom('', '  ', ' * note', '   *continuous, 5~180', '\t'), { minLength: 1, maxLength: 8 }), (r, noise) => {
        const lines = Object.entries(r).map(([k, v], i) => `${k} = ${v}${v === '' ? '' : noise[i % noise.length]}`);
        const body = lines.flatMap((l, i) => (i % 2 ? ['', l] : [l])).join('\r\n');
        expect(values(body).flat).toEqual(r);
      }),
    );
  });

  it('reads any text after Error: (with or without the space) as the error description', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 ()._-]{0,30}$/), fc.constantFrom('Error:', 'Error: ', 'Error :'), fc.constantFrom('', '\r\n', '\n'), (text, prefix, eol) => {
        expect(parseKv(`${prefix}${text}${eol}`)).toEqual({ kind: 'error', message: text.trim() });
      }),
    );
  });

  it('never throws anything but a KvFormatError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        let result: KvBody | undefined;
        try {
          result = parseKv(text);
        } catch (error) {
          expect(error).toBeInstanceOf(KvFormatError);
        }
        if (result?.kind === 'values') for (const v of Object.values(result.flat)) expect(v).not.toMatch(/\s\*/);
      }),
    );
  });
});

describe('Error: bodies and statuses -> typed errors', () => {
  const ctx = (description: string | undefined, status = 200) => ({ script: 'zf_control', action: 'setzfmove', status, description, user: 'admin' });
  it.each([
    ['Invalid ID or Password', 'ZS_HTTP_AUTH'],
    ['Permission denied', 'ZS_HTTP_AUTH'],
    ['Account locked', 'ZS_HTTP_LOCKED'],
    ['Not supported', 'ZS_NOT_SUPPORTED'],
    ['Invalid action', 'ZS_NOT_SUPPORTED'],
    ['HTTP API disabled', 'ZS_HTTP_STATUS'],
    ['zfstatus is disabled', 'ZS_HTTP_STATUS'],
    ['Invalid parameter (zoomspeed)', 'ZS_HTTP_STATUS'],
    ['', 'ZS_HTTP_STATUS'],
  ])('"Error: %s" is %s', (description, code) => {
    expect(cgiControlError(ctx(description)).code).toBe(code);
  });

  it('tells the API switch, a disabled control and a refused value apart', () => {
    expect((cgiControlError(ctx('HTTP API disabled')) as CgiControlError).refusal).toBe('api-disabled');
    expect((cgiControlError(ctx('zfstatus is disabled')) as CgiControlError).refusal).toBe('ptz-disabled');
    const refused = cgiControlError(ctx('Invalid parameter (zoomspeed)')) as CgiControlError;
    expect(refused).toMatchObject({ refusal: 'refused', status: 200, script: 'zf_control', action: 'setzfmove', description: 'Invalid parameter (zoomspeed)' });
  });

  it.each([[401, 'ZS_HTTP_AUTH'], [403, 'ZS_HTTP_AUTH'], [404, 'ZS_NOT_SUPPORTED'], [500, 'ZS_HTTP_STATUS']])('HTTP %i without an Error: body is %s', (status, code) => {
    expect(cgiControlError(ctx(undefined, status)).code).toBe(code);
  });
});

describe('calls: built as the spec prints them, checked before sending', () => {
  it('puts id and passwd first, then the action and its arguments (URL-encoded)', () => {
    expect(cgiPath(calls.zoom('in', 50), 'admin', 'p&w d')).toBe('/cgi-bin/control/zf_control.cgi?id=admin&passwd=p%26w+d&action=setzfmove&zoom=in&zoomspeed=50');
    expect(cgiPath(calls.jpeg(), 'admin', 'admin')).toBe('/cgi-bin/image/jpeg.cgi?id=admin&passwd=admin');
  });

  it('marks moves as lens moves (never resent) and stops as idempotent', () => {
    expect(calls.zoom('out', 1)).toMatchObject({ movesLens: true, idempotent: false, answer: 'empty', acts: true });
    expect(calls.zoomFocusStop()).toMatchObject({ idempotent: true, answer: 'empty' });
    expect(calls.zoomFocusStop().movesLens).toBeUndefined();
    expect(calls.preset('go', 1, 128).movesLens).toBe(true);
    expect(calls.reboot().idempotent).toBe(false);
    expect(calls.serverName()).toMatchObject({ acts: false, idempotent: true });
  });

  it.each([
    ['a speed of 0', () => calls.zoom('in', 0)],
    ['a speed of 101', () => calls.focus('out', 101)],
    ['a fractional speed', () => calls.panTilt({ pan: 'left', panSpeed: 2.5 })],
    ['a zoom direction "tele"', () => calls.zoom('tele' as never, 10)],
    ['a preset over the camera\'s maximum', () => calls.preset('go', 129, 128)],
    ['preset 0', () => calls.preset('set', 0, 128)],
    ['a pan/tilt move with no axis', () => calls.panTilt({})],
    ['alarm output 0 for the relay', () => calls.relay(0, true)],
    ['year 2040', () => calls.setDate({ year: 2040, month: 1, day: 1, hour: 0, minute: 0, second: 0 })],
    ['a netmask that is not IPv4', () => calls.setIp({ dhcp: false, address: '10.0.0.2', netmask: '255.255.0', gateway: '10.0.0.1' })],
  ])('refuses %s with ZS_INVALID_ARGUMENT', (_what, build) => {
    expect(build).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });

  it('stops autopan and tour with number=255 and autopan cw/ccw with speed=255', () => {
    expect(calls.autopanStop().params).toEqual([['number', '255']]);
    expect(calls.tourStop().params).toEqual([['number', '255']]);
    expect(calls.autopanTurnStop('ccw')).toMatchObject({ action: 'autopan_ccw', params: [['speed', '255']] });
  });
});

describe('image groups', () => {
  it('renames the answer keys to the request keys and reads numbers', () => {
    expect(imageFromWire('dayNight', { daynightmode: 'auto', ptn: '500', ptd: '270', irlink: 'enable' })).toEqual({ mode: 'auto', ptn: 500, ptd: 270, irlink: 'enable' });
    expect(imageFromWire('shutter', { shutmode: 'auto', minshutspd: '6' })).toEqual({ shutmode: 'auto', maxexposure: 6 });
    expect(imageFromWire('whiteBalance', { wbmode: 'user', userred: '50' })).toEqual({ mode: 'user', userred: 50 });
  });

  it('builds a partial set with lower-cased enums', () => {
    expect(imageSet('dayNight', { mode: 'Night' }).params).toEqual([['mode', 'night']]);
  });

  it.each([
    ['an unknown key', 'color', { gamma: 3 }],
    ['a value out of range', 'color', { bright: 0 }],
    ['ptn below ptd', 'dayNight', { ptn: 100, ptd: 200 }],
    ['user white balance without both gains', 'whiteBalance', { mode: 'user', userred: 10 }],
    ['user shutter without agcvalue', 'shutter', { shutmode: 'user', shutspeed: 9 }],
    ['suppressroll without suppress', 'shutter', { shutmode: 'suppressroll' }],
    ['nothing', 'color', {}],
  ] as const)('refuses %s', (_what, group, changes) => {
    expect(() => imageSet(group, changes)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });

  it('checks ptn against the current ptd when only ptn changes', () => {
    expect(() => imageSet('dayNight', { ptn: 200 }, { ptn: 500, ptd: 270 })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(imageSet('dayNight', { ptn: 300 }, { ptn: 500, ptd: 270 }).params).toEqual([['ptn', '300']]);
  });
});

describe('capabilityptz', () => {
  it('reads the spec\'s getPTZ example (everything No) as no PTZ: no focus, no presets', () => {
    const caps = ptzCapabilitiesFrom(values('[Capabilities PTZ]\nPanSupported = No\nTiltSupported = No\nZoomSupported = No\nFocusSupported = No\n\nEndlessPanSupported = No\nAutoFocusSupported = No\n\nPresetSupported = No\nAutopanSupported = No\nAutopancwSupported = No\nTourSupported = No\n'));
    expect(caps).toMatchObject({ zoom: false, presets: 0, tours: 0 });
    const common = capabilitiesFromPtz(caps);
    expect(common.has('presets')).toBe(false);
    expect(common.has('focus')).toBe(false);
    expect(common.has('events')).toBe(true);
  });

  it('reads numbers as maxima and the All form\'s missing keys as No', () => {
    const caps = ptzCapabilitiesFrom(values('[Capabilities PTZ]\nPanSupported = Yes\nTiltSupported = Yes\nZoomSupported = Yes\nFocusSupported = Yes\nAutopanSupported = 4\nPresetSupported = 128\nTourSupported = 4\n'));
    expect(caps).toEqual({ pan: true, tilt: true, zoom: true, focus: true, endlessPan: false, autoFocus: false, presets: 128, autopans: 4, autopanTurn: false, tours: 4 });
    expect(capabilitiesFromPtz(caps).has('presets')).toBe(true);
  });

  it('refuses a value that is neither Yes/No nor a number in range', () => {
    expect(() => ptzCapabilitiesFrom(values('[Capabilities PTZ]\nZoomSupported = maybe\n'))).toThrow(KvFormatError);
    expect(() => ptzCapabilitiesFrom(values('[Capabilities PTZ]\nPresetSupported = 999\n'))).toThrow(KvFormatError);
    expect(() => ptzCapabilitiesFrom(values('PanSupported = Yes\n'))).toThrow(KvFormatError);
  });
});

describe('serverdate', () => {
  it.each([
    ['3 8, 2011 12:30:00', Date.UTC(2011, 2, 8, 12, 30, 0)],
    ['03 08, 2011 12:30:05', Date.UTC(2011, 2, 8, 12, 30, 5)],
    ['March 8, 2011 12:30:00', Date.UTC(2011, 2, 8, 12, 30, 0)],
    ['Mar 8, 2011 2:03', Date.UTC(2011, 2, 8, 2, 3, 0)],
  ])('reads %j', (text, ms) => {
    expect(parseServerDate(text)).toBe(ms);
  });

  it.each([['2011-03-08 12:30'], ['13 8, 2011 12:30:00'], ['Foo 8, 2011 12:30:00']])('refuses %j', (text) => {
    expect(parseServerDate(text)).toBeUndefined();
  });
});

describe('OSD', () => {
  it('reads shown elements as custom (the camera\'s own place) and hidden ones as hidden; tsxton as texton', () => {
    expect(osdFromWire({ osdstatus: 'enable', texton: 'enable', dateon: 'disable', timeon: 'enable' })).toEqual({ title: 'custom', date: 'hidden', time: 'custom' });
    expect(osdFromWire({ osdstatus: 'enable', tsxton: 'disable', timeon: 'enable' })).toEqual({ title: 'hidden', time: 'custom' });
  });

  it('reads everything as hidden when the master switch is off', () => {
    expect(osdFromWire({ osdstatus: 'disable', texton: 'enable', dateon: 'enable', timeon: 'enable' })).toEqual({ title: 'hidden', date: 'hidden', time: 'hidden' });
  });

  it('turns the master switch on with an element shown, and refuses a position the API lacks', () => {
    expect(osdToWire({ time: 'custom', date: 'hidden' }).params).toEqual([['osdstatus', 'enable'], ['timeon', 'enable'], ['dateon', 'disable']]);
    expect(osdToWire({ title: 'hidden' }).params).toEqual([['texton', 'disable']]);
    expect(() => osdToWire({ time: 'bottom-right' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(() => osdToWire({ clock: 'hidden' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});
