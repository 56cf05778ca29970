import { afterEach, describe, expect, it } from 'vitest';
import { JsonApiSimulator, type JsonApiSimOptions } from '../../../hardware/sim/http/json-api-sim.js';

const sims: JsonApiSimulator[] = [];
afterEach(async () => {
  while (sims.length) await sims.pop()!.close();
});

async function start(options: JsonApiSimOptions = {}) {
  const sim = await JsonApiSimulator.start(options);
  sims.push(sim);
  return sim;
}

type Entry = { cmd: string; code: number; value?: Record<string, unknown>; error?: { rspCode: number; detail: string } };

async function post(sim: JsonApiSimulator, query: string, body: unknown, type = 'application/json', path = '/cgi-bin/api.cgi'): Promise<{ status: number; type: string | null; entries: Entry[] }> {
  const res = await fetch(`${sim.url}${path}?${query}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type'), entries: (await res.json()) as Entry[] };
}

async function login(sim: JsonApiSimulator): Promise<string> {
  const { entries } = await post(sim, 'cmd=Login', [{ cmd: 'Login', param: { User: { Version: '0', userName: 'admin', password: 'admin' } } }]);
  return (entries[0]!.value!.Token as { name: string }).name;
}

const codes = (entries: Entry[]) => entries.map((e) => e.error?.rspCode ?? 0);

describe('json-api simulator: strict as the manual', () => {
  it('answers an array in request order, as text/html, on both documented paths; a bare object is taken too', async () => {
    const sim = await start();
    const token = await login(sim);
    for (const path of ['/cgi-bin/api.cgi', '/api.cgi']) {
      const res = await post(sim, `cmd=GetOsd&token=${token}`, [{ cmd: 'GetOsd', action: 0, param: { channel: 0 } }, { cmd: 'GetDevInfo' }], 'application/json', path);
      expect(res.type).toBe('text/html');
      expect(res.entries.map((e) => e.cmd)).toEqual(['GetOsd', 'GetDevInfo']);
      expect(codes(res.entries)).toEqual([0, 0]);
    }
    expect(codes((await post(sim, `cmd=GetDevInfo&token=${token}`, { cmd: 'GetDevInfo' })).entries)).toEqual([0]);
  });

  it('refuses an undocumented content type (-10), an unknown key (-4), a missing field (-23), a range (-4), a float (-4), a channel (-49), an unknown command (-9)', async () => {
    const sim = await start();
    const token = await login(sim);
    const q = `cmd=GetOsd&token=${token}`;
    expect(codes((await post(sim, q, [{ cmd: 'GetOsd', param: { channel: 0 } }], 'application/x-www-form-urlencoded')).entries)).toEqual([-10]);
    const res = await post(sim, q, [
      { cmd: 'GetOsd', param: { channel: 0 }, extra: 1 },
      { cmd: 'GetOsd', param: { channel: 0, colour: 'red' } },
      { cmd: 'GetOsd', param: {} },
      { cmd: 'StartZoomFocus', param: { ZoomFocus: { channel: 0, pos: 33, op: 'ZoomPos' } } },
      { cmd: 'PtzCtrl', param: { channel: 0, op: 'ZoomDec', speed: 32.5 } },
      { cmd: 'GetOsd', param: { channel: 1 } },
      { cmd: 'GetWhatever' },
      { cmd: 'PtzCtrl', param: { channel: 0, op: 'ZoomDec' } },
      { cmd: 'PtzCtrl', param: { channel: 0, op: 'Stop', speed: 0, id: 0 } },
    ]);
    expect(codes(res.entries)).toEqual([-4, -4, -23, -4, -4, -49, -9, -23, 0]);
    expect(res.entries[0]!.code).toBe(1);
  });

  it('auth: no token -6, an unknown token -21, the lease runs out, sessions are limited (-5), Logout frees one', async () => {
    let now = 1_000_000;
    const sim = await start({ leaseSeconds: 1, maxSessions: 2, clock: () => now });
    expect(codes((await post(sim, 'cmd=GetDevInfo', [{ cmd: 'GetDevInfo' }])).entries)).toEqual([-6]);
    expect(codes((await post(sim, 'cmd=GetDevInfo&token=nope', [{ cmd: 'GetDevInfo' }])).entries)).toEqual([-21]);
    const a = await login(sim);
    await login(sim);
    const third = await post(sim, 'cmd=Login', [{ cmd: 'Login', param: { User: { userName: 'admin', password: 'admin' } } }]);
    expect(codes(third.entries)).toEqual([-5]);
    expect(codes((await post(sim, `cmd=Logout&token=${a}`, [{ cmd: 'Logout', param: {} }])).entries)).toEqual([0]);
    expect(sim.openSessions).toBe(1);
    expect(codes((await post(sim, `cmd=GetDevInfo&token=${a}`, [{ cmd: 'GetDevInfo' }])).entries)).toEqual([-21]);
    const b = await login(sim);
    now += 999;
    expect(codes((await post(sim, `cmd=GetDevInfo&token=${b}`, [{ cmd: 'GetDevInfo' }])).entries)).toEqual([0]);
    now += 1;
    expect(codes((await post(sim, `cmd=GetDevInfo&token=${b}`, [{ cmd: 'GetDevInfo' }])).entries)).toEqual([-21]);
  });

  it('locks a user after 5 wrong passwords (-7 each), then -506 even for the right one; the short form counts too', async () => {
    const sim = await start();
    for (let i = 0; i < 4; i++) expect(codes((await post(sim, 'cmd=Login', [{ cmd: 'Login', param: { User: { userName: 'admin', password: `x${i}` } } }])).entries)).toEqual([-7]);
    expect(codes((await post(sim, 'cmd=GetDevInfo&user=admin&password=bad', [{ cmd: 'GetDevInfo' }])).entries)).toEqual([-7]);
    expect(codes((await post(sim, 'cmd=GetDevInfo&user=admin&password=admin', [{ cmd: 'GetDevInfo' }])).entries)).toEqual([-506]);
  });

  it('answers errors as the manual\'s §4.1 example (code 0 with an error object) when asked', async () => {
    const sim = await start({ errorsWithCode0: true });
    const res = await post(sim, 'cmd=GetDevInfo', [{ cmd: 'GetDevInfo' }]);
    expect(res.entries[0]).toEqual({ cmd: 'GetDevInfo', code: 0, error: { rspCode: -6, detail: 'please login first' } });
  });

  it('a zoom set over HTTP is the shared lens\'s zoom; a command the profile lacks is -9', async () => {
    const sim = await start();
    const token = await login(sim);
    await post(sim, `cmd=StartZoomFocus&token=${token}`, [{ cmd: 'StartZoomFocus', action: 0, param: { ZoomFocus: { channel: 0, pos: 16, op: 'ZoomPos' } } }]);
    await expect.poll(() => sim.lens.moving).toBe(false);
    expect(sim.lens.zoom).toBe(500);
    const fixed = await start({ profile: 'fixed' });
    const t2 = await login(fixed);
    expect(codes((await post(fixed, `cmd=GetZoomFocus&token=${t2}`, [{ cmd: 'GetZoomFocus', action: 0, param: { channel: 0 } }])).entries)).toEqual([-9]);
  });

  it('Snap answers a JPEG to GET, needs rs and a channel, and a JSON error otherwise', async () => {
    const sim = await start();
    const token = await login(sim);
    const jpeg = await fetch(`${sim.url}/cgi-bin/api.cgi?cmd=Snap&channel=0&rs=abc&token=${token}`);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await jpeg.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0xff, 0xd8]));
    const missing = await fetch(`${sim.url}/cgi-bin/api.cgi?cmd=Snap&channel=0&token=${token}`);
    expect(codes((await missing.json()) as Entry[])).toEqual([-23]);
    expect((await fetch(`${sim.url}/cgi-bin/api.cgi?cmd=GetDevInfo&token=${token}`)).status).toBe(405);
  });
});
