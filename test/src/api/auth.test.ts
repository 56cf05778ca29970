import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRig, call, connect, openApiRig, TOKENS } from './support/api-rig.js';

describe('API authentication and roles', () => {
  let rig: ApiRig;
  beforeAll(async () => {
    rig = await openApiRig();
  });
  afterAll(() => rig?.close());

  it('a call without a token is 401 ZS_UNAUTHORIZED, and so is an unknown token', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const r = await call(rig, 'GET', '/api/blocks', { token });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('ZS_UNAUTHORIZED');
      expect(r.json.error.message).toMatch(/Authorization: Bearer/);
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('a read-only token may GET but gets 403 ZS_FORBIDDEN on every control call', async () => {
    expect((await call(rig, 'GET', '/api/blocks', { token: TOKENS.read })).status).toBe(200);
    expect((await call(rig, 'GET', '/metrics', { token: TOKENS.read })).status).toBe(200);
    for (const [path, body] of [
      ['/api/blocks/left/stop', undefined],
      ['/api/blocks/left/move', { zoom: 1 }],
      ['/api/groups/stage/follow', { on: true }],
    ] as const) {
      const r = await call(rig, 'POST', path, { token: TOKENS.read, body });
      expect(r.status, path).toBe(403);
      expect(r.json.error.code).toBe('ZS_FORBIDDEN');
    }
  });

  it('an operator token controls blocks, and the block shows who moved it last', async () => {
    const r = await call(rig, 'POST', '/api/blocks/right/stop', { token: TOKENS.op });
    expect(r.status).toBe(200);
    expect(r.json.report).toMatchObject({ block: 'right', path: 'serial' });
    expect((await call(rig, 'GET', '/api/blocks/right', { token: TOKENS.read })).json.movedBy).toBe('op');
  });

  it('factory default: an operator gets 403, an admin without the confirmation 400, an admin with it reaches the camera', async () => {
    const op = await call(rig, 'POST', '/api/blocks/left/camera', { token: TOKENS.op, body: { call: 'factory-default', confirm: 'left' } });
    expect(op.status).toBe(403);
    expect(op.json.error.code).toBe('ZS_FORBIDDEN');
    const unconfirmed = await call(rig, 'POST', '/api/blocks/left/camera', { token: TOKENS.admin, body: { call: 'factory-default', confirm: 'right' } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.json.error.message).toMatch(/"confirm" to the block's name \("left"\)/);
    expect(rig.camera.lastFactoryDefault).toBeUndefined();
    const missing = await call(rig, 'POST', '/api/blocks/left/camera', { token: TOKENS.admin, body: { call: 'factory-default' } });
    expect(missing.status).toBe(400);
    const done = await call(rig, 'POST', '/api/blocks/left/camera', { token: TOKENS.admin, body: { call: 'factory-default', confirm: 'left' } });
    expect(done.status, done.text).toBe(200);
    expect(rig.camera.lastFactoryDefault).toBeDefined();
  });

  it('/openapi.json needs no token and lists the routes', async () => {
    const r = await call(rig, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toMatch(/^3\./);
    for (const path of ['/api/blocks', '/api/blocks/{name}/move', '/api/groups/{name}/zoom', '/api/lines', '/metrics']) expect(Object.keys(r.json.paths)).toContain(path);
    expect(r.json.paths['/api/blocks/{name}/move'].post.requestBody.content['application/json'].schema.properties.pan).toMatchObject({ type: 'number', minimum: -1, maximum: 1 });
  });

  it('a WebSocket whose first message is not a valid auth is closed with 4401', async () => {
    const anonymous = await connect(rig);
    anonymous.send({ type: 'move', target: 'block:left', zoom: 1 });
    expect((await anonymous.next((m) => m.type === 'error')).error.code).toBe('ZS_UNAUTHORIZED');
    expect((await anonymous.closed).code).toBe(4401);
    const wrong = await connect(rig, 'wrong-token');
    expect((await wrong.closed).code).toBe(4401);
  });

  it('a read-only WebSocket gets state but its moves are refused with ZS_FORBIDDEN', async () => {
    const dashboard = await connect(rig, TOKENS.read);
    expect((await dashboard.next((m) => m.type === 'snapshot')).blocks.map((b: any) => b.name)).toEqual(['left', 'right']);
    dashboard.send({ type: 'move', target: 'block:left', zoom: 1, id: 'm1' });
    expect(await dashboard.next((m) => m.type === 'error')).toMatchObject({ id: 'm1', error: { code: 'ZS_FORBIDDEN' } });
    dashboard.socket.close();
  });

  it('one log line per request: a control call at info naming the caller, a read only at debug', async () => {
    const before = rig.logText().length; // the rig (and its log) is shared with the tests above
    await call(rig, 'GET', '/api/blocks', { token: TOKENS.read });
    await call(rig, 'POST', '/api/blocks/left/stop', { token: TOKENS.op });
    const lines = rig.logText().slice(before).trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string; caller?: string; status?: number });
    const stop = lines.filter((l) => l.msg === 'POST /api/blocks/left/stop 200');
    expect(stop).toHaveLength(1);
    expect(stop[0]).toMatchObject({ level: 30, status: 200 });
    expect(stop[0]!.caller).toEqual(expect.any(String));
    const reads = lines.filter((l) => l.msg === 'GET /api/blocks 200');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.level).toBe(20);
    expect(lines.some((l) => /incoming request|request completed/.test(l.msg))).toBe(false);
  });

  it('no token appears in any log line, even a refused one', async () => {
    await call(rig, 'GET', '/api/blocks', { token: 'a-refused-secret-token-value' });
    await call(rig, 'GET', '/api/blocks', { token: TOKENS.admin });
    const ws = await connect(rig, TOKENS.op);
    ws.socket.close();
    await ws.closed;
    const logs = rig.logText();
    expect(logs).toMatch(/websocket authenticated/);
    for (const token of [...Object.values(TOKENS), 'a-refused-secret-token-value']) expect(logs).not.toContain(token);
  });
});
