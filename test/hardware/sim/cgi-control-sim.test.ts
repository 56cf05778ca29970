import { afterEach, describe, expect, it } from 'vitest';
import { CgiControlSimulator, type CgiControlSimOptions } from '../../../hardware/sim/http/cgi-control-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';

const sims: CgiControlSimulator[] = [];
afterEach(async () => {
  while (sims.length) await sims.pop()!.close();
});

async function start(options: CgiControlSimOptions = {}) {
  const sim = await CgiControlSimulator.start({ lens: new SimulatedLens({ zoomTravelMs: [40, 30, 20, 10], focusTravelMs: [40, 30, 20, 10] }), ...options });
  sims.push(sim);
  return sim;
}

/** A GET as a browser would send it; `query` without the credentials unless `auth` is false. */
async function get(sim: CgiControlSimulator, script: string, query: string, auth = true, family = 'control'): Promise<{ status: number; type: string | null; body: string }> {
  const q = (auth ? 'id=admin&passwd=admin&' : '') + query;
  const res = await fetch(`${sim.url}/cgi-bin/${family}/${script}.cgi?${q}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('cgi-control simulator: strict as the spec', () => {
  it('answers key = value lines as text/plain with CRLF, 200 OK (servername, mac)', async () => {
    const sim = await start();
    expect(await get(sim, 'servername', 'action=getservername')).toEqual({ status: 200, type: 'text/plain', body: 'servername = welcome\r\n' });
    expect((await get(sim, 'servermac', 'action=getmac')).body).toBe('mac = 00:11:22:33:44:55\r\n');
  });

  it('writes \\n line ends when asked to', async () => {
    const sim = await start({ eol: '\n' });
    expect((await get(sim, 'dnsset', 'action=getdns')).body).toBe('firstdns = 168.126.63.1\nseconddns = \n');
  });

  it('refuses a wrong or missing id/passwd with a 200 "Error:" body and counts every check', async () => {
    const sim = await start();
    expect(await get(sim, 'servername', 'id=admin&passwd=nope&action=getservername', false)).toMatchObject({ status: 200, body: 'Error: Invalid ID or Password\r\n' });
    expect((await get(sim, 'servername', 'action=getservername', false)).body).toBe('Error: Invalid ID or Password\r\n');
    expect(sim.counters).toMatchObject({ authChecks: 2, authFailures: 2 });
  });

  it('answers a refused login with HTTP 401 in that mode, and writes "Error:" without the space in the other form', async () => {
    expect((await get(await start({ authFailure: 401 }), 'servername', 'id=admin&passwd=x&action=getservername', false)).status).toBe(401);
    expect((await get(await start({ errorWithoutSpace: true }), 'servername', 'action=nope')).body).toBe('Error:Invalid action\r\n');
  });

  it('answers 404 for a script outside the spec and 405 for a POST', async () => {
    const sim = await start();
    expect((await get(sim, 'admin', 'action=getuser')).status).toBe(404);
    const post = await fetch(`${sim.url}/cgi-bin/control/servername.cgi?id=admin&passwd=admin&action=getservername`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('matches actions with their exact case: getPTZ, not getptz', async () => {
    const sim = await start();
    expect((await get(sim, 'capabilityptz', 'action=getPTZ')).body).toContain('[Capabilities PTZ]');
    expect((await get(sim, 'capabilityptz', 'action=getptz')).body).toBe('Error: Invalid action\r\n');
  });

  it('refuses an unknown key, a value out of range, a repeated key and an instance it lacks, changing nothing', async () => {
    const sim = await start();
    expect((await get(sim, 'camcolor', 'action=setcolor&bright=52&gamma=3')).body).toBe('Error: Invalid parameter (gamma)\r\n');
    expect((await get(sim, 'camcolor', 'action=setcolor&bright=0')).body).toBe('Error: Invalid parameter (bright)\r\n');
    expect((await get(sim, 'camcolor', 'action=setcolor&bright=10&bright=11')).body).toContain('Invalid parameter (bright');
    expect((await get(sim, 'alarmin', 'action=getalarmin2')).body).toBe('Error: Invalid action\r\n');
    expect((await get(sim, 'alarmout', 'action=setalarmout1&alarmout1.time=3')).body).toBe('Error: Invalid parameter (alarmout1.time)\r\n');
    expect((await get(sim, 'camcolor', 'action=getcolor')).body).toContain('bright = 52');
  });

  it('merges a partial set and echoes the whole group under the answer keys (daynightmode, wbmode)', async () => {
    const sim = await start();
    const dn = await get(sim, 'camdaynight', 'action=setdaynight&mode=Night');
    expect(dn.body).toBe('daynightmode = night\r\nautolevel = 50\r\ninterval = 5\r\nptn = 500\r\nptd = 270\r\nirlink = enable\r\n');
    expect((await get(sim, 'camwhitebal', 'action=setwb&mode=auto')).body).toContain('wbmode = auto');
  });

  it('enforces ptn >= ptd and the "you must use this" arguments', async () => {
    const sim = await start();
    expect((await get(sim, 'camdaynight', 'action=setdaynight&ptn=100')).body).toBe('Error: Invalid parameter (ptn)\r\n');
    expect((await get(sim, 'camwhitebal', 'action=setwb&mode=user&userred=5')).body).toBe('Error: Invalid parameter (userblue)\r\n');
    expect((await get(sim, 'camshutspeed', 'action=setshutterspd&shutmode=suppressroll')).body).toBe('Error: Invalid parameter (suppress)\r\n');
    expect((await get(sim, 'camshutspeed', 'action=setshutterspd&shutmode=auto&maxexposure=3')).body).toContain('minshutspd = 3');
  });

  it('moves the shared lens on setzfmove (empty body) and holds it where stop found it', async () => {
    let now = 0;
    const sim = await start({ lens: new SimulatedLens({ clock: () => now }) });
    const res = await get(sim, 'zf_control', 'action=setzfmove&zoom=in&zoomspeed=100');
    expect(res).toMatchObject({ status: 200, body: '' });
    expect(sim.zoomMotion).toBe('in');
    now = 500;
    const midway = sim.lens.zoom;
    expect(midway).toBeGreaterThan(0);
    await get(sim, 'zf_control', 'action=setzfmove&zoom=stop');
    expect(sim.zoomMotion).toBe('stop');
    now = 5000;
    expect(sim.lens.zoom).toBe(midway);
  });

  it('refuses a move without its speed, a speed with stop, and a speed over 100', async () => {
    const sim = await start();
    expect((await get(sim, 'zf_control', 'action=setzfmove&zoom=in')).body).toBe('Error: Invalid parameter (zoomspeed)\r\n');
    expect((await get(sim, 'zf_control', 'action=setzfmove&zoom=stop&zoomspeed=5')).body).toBe('Error: Invalid parameter (zoomspeed)\r\n');
    expect((await get(sim, 'zf_control', 'action=setzfmove&focus=out&focusspeed=101')).body).toBe('Error: Invalid parameter (focusspeed)\r\n');
    expect(sim.zoomMotion).toBe('stop');
  });

  it('gates PTZ by profile: a zoom block has no pan/tilt; a fixed camera no PTZ at all', async () => {
    const block = await start();
    expect((await get(block, 'pt_control', 'action=setptmove&pan=left&panspeed=10')).body).toBe('Error: Not supported\r\n');
    const fixed = await start({ profile: 'fixed' });
    expect((await get(fixed, 'zf_control', 'action=onepush')).body).toBe('Error: Not supported\r\n');
    expect((await get(fixed, 'capabilityptz', 'action=getPTZ')).body).toContain('ZoomSupported = No');
    const ptz = await start({ profile: 'ptz' });
    expect((await get(ptz, 'pt_control', 'action=setptmove&pan=right&panspeed=50&tilt=down&tiltspeed=50')).body).toBe('');
    expect(ptz.panTiltMotion).toEqual({ pan: 'right', tilt: 'down' });
  });

  it('refuses zoom/focus moves while ptzf_status disables them', async () => {
    const sim = await start();
    expect((await get(sim, 'ptzf_status', 'action=setptzstatus&zfstatus=disable')).body).toBe('ptstatus = disable\r\nzfstatus = disable\r\n');
    expect((await get(sim, 'zf_control', 'action=setzfmove&zoom=in&zoomspeed=5')).body).toBe('Error: zfstatus is disabled\r\n');
  });

  it('stores presets from the lens, refuses an empty slot and one over PresetSupported', async () => {
    const sim = await start();
    expect((await get(sim, 'preset_control', 'action=gopreset&number=3')).body).toBe('Error: preset 3 is empty\r\n');
    expect((await get(sim, 'preset_control', 'action=setpreset&number=3')).body).toBe('');
    expect((await get(sim, 'preset_control', 'action=gopreset&number=3')).body).toBe('');
    expect((await get(sim, 'preset_control', 'action=setpreset&number=129')).body).toBe('Error: Invalid parameter (number)\r\n');
    await get(sim, 'preset_control', 'action=clearpreset&number=3');
    expect((await get(sim, 'preset_control', 'action=gopreset&number=3')).body).toBe('Error: preset 3 is empty\r\n');
  });

  it('runs autopan and tour until number=255 on a PTZ profile', async () => {
    const sim = await start({ profile: 'ptz' });
    await get(sim, 'preset_control', 'action=autopan&number=2');
    expect(sim.sequence).toBe('autopan 2');
    await get(sim, 'preset_control', 'action=autopan&number=255');
    expect(sim.sequence).toBeUndefined();
    expect((await get(sim, 'preset_control', 'action=tour&number=5')).body).toBe('Error: Invalid parameter (number)\r\n');
  });

  it('sets alarm input and output configuration partially and echoes the whole block', async () => {
    const sim = await start();
    expect((await get(sim, 'alarmin', 'action=setalarmin1&alarmin1.type=NC')).body).toBe('allstatus = enable\r\nmaxno = 1\r\n\r\nalarmin1.enable = enable\r\nalarmin1.name = sensor\r\nalarmin1.type = nc\r\n');
    expect((await get(sim, 'alarmout', 'action=setalarmout1&allstatus=disable&alarmout1.time=1')).body).toContain('allstatus = disable\r\nmaxno = 1\r\n\r\nalarmout1.enable = enable\r\nalarmout1.name = relay\r\nalarmout1.link = 3\r\nalarmout1.time = 1\r\n');
    expect((await get(sim, 'alarmout', 'action=getalarmout0')).body).toContain('alarmout1.time = 1');
    expect((await get(sim, 'alarmout', 'action=setalarmout1&alarmout1.link=4')).body).toBe('Error: Invalid parameter (alarmout1.link)\r\n');
    expect((await get(sim, 'alarmin', 'action=setalarmin1&alarmin1.name=much-too-long-name')).body).toBe('Error: Invalid parameter (alarmin1.name)\r\n');
    expect((await get(sim, 'alarmin', 'action=setalarmin1&alarmout1.name=x')).body).toBe('Error: Invalid parameter (alarmout1.name)\r\n');
  });

  it('switches the relay by hand and echoes it', async () => {
    const sim = await start();
    expect((await get(sim, 'ctrl_alarmout', 'action=setalarmout&alarmout1=on')).body).toBe('alarmout1 = on\r\n');
    expect(sim.state.relay).toBe('on');
    expect((await get(sim, 'ctrl_alarmout', 'action=setalarmout&alarmout2=on')).body).toBe('Error: Invalid parameter (alarmout2)\r\n');
  });

  it('refuses every control CGI but httpapi while the API is disabled', async () => {
    const sim = await start();
    expect((await get(sim, 'httpapi', 'action=setapi&apictrlstatus=disable')).body).toBe('apictrlstatus = disable\r\n');
    expect((await get(sim, 'servername', 'action=getservername')).body).toBe('Error: HTTP API disabled\r\n');
    await get(sim, 'httpapi', 'action=setapi&apictrlstatus=enable');
    expect((await get(sim, 'servername', 'action=getservername')).body).toBe('servername = welcome\r\n');
  });

  it('answers a reboot, then drops connections for rebootMs', async () => {
    const sim = await start({ rebootMs: 60_000 });
    expect((await get(sim, 'reboot', 'action=setreboot')).body).toBe('reboot = rebooting\r\n');
    expect(sim.rebootCount).toBe(1);
    await expect(get(sim, 'servername', 'action=getservername')).rejects.toThrow();
  });

  it('keeps the network on setfactoryexip and resets the rest', async () => {
    const sim = await start({ rebootMs: 0 });
    await get(sim, 'netset', 'action=setip&mode=static&ipaddress=10.0.0.9&netmask=255.0.0.0&gateway=10.0.0.1');
    await get(sim, 'servername', 'action=setservername&servername=dock');
    await get(sim, 'reboot', 'action=setfactoryexip');
    expect(sim.state.ip.ipaddress).toBe('10.0.0.9');
    expect(sim.state.servername).toBe('welcome');
  });

  it('sends a JPEG from image/jpeg.cgi, and an Error: body for bad credentials', async () => {
    const sim = await start();
    const res = await fetch(`${sim.url}/cgi-bin/image/jpeg.cgi?id=admin&passwd=admin`);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect([...new Uint8Array(await res.arrayBuffer()).subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect((await get(sim, 'jpeg', 'id=admin&passwd=x', false, 'image')).body).toBe('Error: Invalid ID or Password\r\n');
    expect((await get(sim, 'jpeg', 'action=get', true, 'image')).body).toBe('Error: Invalid parameter (action)\r\n');
  });

  it('refuses options that make no sense, naming them', () => {
    expect(() => new CgiControlSimulator({ profile: 'dome' as never })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'simulator option profile' }));
    expect(() => new CgiControlSimulator({ rebootMs: -1 })).toThrow(expect.objectContaining({ field: 'simulator option rebootMs' }));
    expect(() => new CgiControlSimulator({ eol: '\r' as never })).toThrow(expect.objectContaining({ field: 'simulator option eol' }));
    expect(() => new CgiControlSimulator({ passwd: '' })).toThrow(expect.objectContaining({ field: 'simulator option passwd' }));
  });

  it('offers getptzfpos / goptzfpos only with extendedFirmware (they are not in the spec)', async () => {
    expect((await get(await start(), 'ptzf_status', 'action=getptzfpos')).body).toBe('Error: Invalid action\r\n');
    let now = 0;
    const sim = await start({ extendedFirmware: true, lens: new SimulatedLens({ clock: () => now }) });
    expect((await get(sim, 'ptzf_status', 'action=goptzfpos&zoompos=250')).body).toBe('');
    now = 60_000;
    expect((await get(sim, 'ptzf_status', 'action=getptzfpos')).body).toMatch(/^panpos = 0\r\ntiltpos = 0\r\nzoompos = 250\r\nfocuspos = \d+\r\n$/);
    expect((await get(sim, 'ptzf_status', 'action=goptzfpos&zoompos=1001')).body).toBe('Error: Invalid parameter (zoompos)\r\n');
  });

  it('trims the PDF\'s "& key=" blanks around keys', async () => {
    const sim = await start();
    expect((await get(sim, 'dnsset', 'action=setdns&%20firstdns=8.8.8.8')).body).toContain('firstdns = 8.8.8.8');
  });

  it('reads the date it was set to, in the spec\'s "<month> <day>, <year> h:m:s" form', async () => {
    const sim = await start();
    await get(sim, 'serverdate', 'action=setdate&year=2011&month=3&day=8&hour=12&minute=30');
    expect((await get(sim, 'serverdate', 'action=getdate')).body).toMatch(/^serverdate = 3 8, 2011 12:30:0\d\r\n$/);
    expect(sim.state.timeMode).toBe('user');
  });
});
