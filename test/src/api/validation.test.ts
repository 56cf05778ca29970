/** Garbage to every route the OpenAPI document lists: always a 4xx JSON error with a code, never a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRig, call, connect, openApiRig, TOKENS } from './support/api-rig.js';

const GARBAGE_BODIES: { what: string; raw: string; contentType?: string }[] = [
  { what: 'broken JSON', raw: '{"pan": 1,' },
  { what: 'a JSON string', raw: '"move"' },
  { what: 'wrong types and unknown keys', raw: JSON.stringify({ pan: 'left', zoom: 9, position: -1, call: 'nope', on: 'yes', raw: 'x', magnification: -2, name: '../x', preset: 0, leaseMs: 1e9, extra: [1] }) },
  { what: 'an array', raw: '[1,2,3]' },
  { what: 'text/plain', raw: 'move left', contentType: 'text/plain' },
];

describe('API validation', () => {
  let rig: ApiRig;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    rig = await openApiRig();
    const doc = (await call(rig, 'GET', '/openapi.json')).json;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(() => rig?.close());

  it('the document lists the control routes this test walks', () => {
    expect(routes.length).toBeGreaterThan(15);
  });

  it('garbage bodies to every POST route are 4xx with a ZS_ code, never 5xx', async () => {
    const posts = routes.filter((r) => r.method === 'POST');
    for (const route of posts) {
      for (const params of [{ name: 'left', preset: 'p1' }, { name: 'no such!', preset: '../etc' }]) {
        const path = route.path.replace('{name}', encodeURIComponent(params.name)).replace('{preset}', encodeURIComponent(params.preset));
        for (const body of GARBAGE_BODIES) {
          const r = await call(rig, 'POST', path, { token: TOKENS.admin, raw: body.raw, contentType: body.contentType });
          const label = `POST ${path} with ${body.what}: ${r.status} ${r.text}`;
          // a route without a body (stop) may carry the request out: then 200
          expect(r.status < 500, label).toBe(true);
          if (r.status >= 400) expect(r.json?.error?.code, label).toMatch(/^ZS_[A-Z_]+$/);
          if (body.what === 'broken JSON' || body.what === 'wrong types and unknown keys') expect(r.status, label).toBeGreaterThanOrEqual(400);
        }
      }
    }
  });

  it('bad path parameters and queries on every GET route are 4xx with a code, never 5xx', async () => {
    for (const route of routes.filter((r) => r.method === 'GET')) {
      for (const name of ['no such!', 'nosuch', 'x'.repeat(200)]) {
        const path = route.path.replace('{name}', encodeURIComponent(name)).replace('{item}', 'nonsense');
        for (const query of ['', '?axes=everything', '?x=1&x=2']) {
          const r = await call(rig, 'GET', path + query, { token: TOKENS.read });
          const label = `GET ${path}${query}: ${r.status} ${r.text}`;
          expect(r.status < 500, label).toBe(true);
          if (r.status >= 400) expect(r.json?.error?.code, label).toMatch(/^ZS_[A-Z_]+$/);
        }
      }
    }
  });

  it('garbage on an authenticated WebSocket gets an error message with a code each, and the connection stays up', async () => {
    const ws = await connect(rig, TOKENS.op);
    const garbage: (string | Buffer)[] = [
      'not json',
      '[]',
      JSON.stringify({ type: 'fly' }),
      JSON.stringify({ type: 'move', target: 'block:left', zoom: 7 }),
      JSON.stringify({ type: 'move', target: 'nowhere', zoom: 1 }),
      JSON.stringify({ type: 'move', target: 'block:centre', zoom: 1 }),
      JSON.stringify({ type: 'renew', leaseMs: 60_000 }),
      JSON.stringify({ type: 'auth', token: TOKENS.admin }),
      Buffer.from([0xff, 0x00]),
    ];
    for (const message of garbage) {
      ws.socket.send(message);
      const reply = await ws.next((m) => m.type === 'error');
      expect(reply.error.code, String(message)).toMatch(/^ZS_(INVALID_ARGUMENT|NOT_FOUND)$/);
    }
    expect(ws.socket.readyState).toBe(ws.socket.OPEN);
    ws.socket.close();
  });

  it('a body of the wrong shape is 400 ZS_INVALID_ARGUMENT naming the field', async () => {
    const r = await call(rig, 'POST', '/api/blocks/left/move', { token: TOKENS.op, body: { zoom: 3 } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('ZS_INVALID_ARGUMENT');
    expect(r.json.error.message).toMatch(/body\.zoom/);
  });

  it('an unknown block is 404 ZS_NOT_FOUND listing the blocks', async () => {
    const r = await call(rig, 'POST', '/api/blocks/centre/stop', { token: TOKENS.op });
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ code: 'ZS_NOT_FOUND' });
    expect(r.json.error.message).toMatch(/left, right/);
  });

  it('an unknown route is 404 ZS_NOT_FOUND', async () => {
    const r = await call(rig, 'GET', '/api/nothing', { token: TOKENS.read });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('ZS_NOT_FOUND');
  });

  it('a camera call on a block without an HTTP side is 422 ZS_NOT_SUPPORTED', async () => {
    const r = await call(rig, 'GET', '/api/blocks/right/camera/identity', { token: TOKENS.read });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('ZS_NOT_SUPPORTED');
  });

  it('a refused soft limit or a zoom out of range comes back as 400 from the block, not 500', async () => {
    const r = await call(rig, 'POST', '/api/blocks/right/position', { token: TOKENS.op, body: { zoom: 5000 } });
    expect(r.status, r.text).toBeLessThan(500);
  });
});
