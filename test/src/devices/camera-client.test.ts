import { X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { hashPassword } from '../../../protocols/http/szg10/api.js';
import { CameraClient, normaliseFingerprint } from '../../../src/devices/http/camera-client.js';
import { dialectEntry, openCamera } from '../../../src/devices/http/index.js';
import { DIALECTS } from '../../../protocols/http/common/capabilities.js';
import { Szg10Client, type Szg10ClientOptions } from '../../../src/devices/http/szg10-client.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { HttpTimeoutError } from '../../../protocols/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/${name}`, import.meta.url));
const tls = { key: fixture('sim-camera.key'), cert: fixture('sim-camera.crt') };
const fingerprint = new X509Certificate(tls.cert).fingerprint256;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

describe('CameraClient transport', () => {
  it('talks HTTPS to a self-signed camera when its fingerprint is pinned', async () => {
    const sim = await Szg10Simulator.start({ tls });
    const client = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin', fingerprint256: fingerprint.toLowerCase().replace(/:/g, '') });
    cleanup.push(() => sim.close(), () => client.close());
    expect(sim.url).toMatch(/^https:/);
    expect((await client.identity()).model).toBe('SZ-G10');
  });

  it('refuses a self-signed camera without a pin, and a wrong pin, with a TLS error saying what to do', async () => {
    const sim = await Szg10Simulator.start({ tls });
    cleanup.push(() => sim.close());
    const unpinned = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin' });
    cleanup.push(() => unpinned.close());
    await expect(unpinned.lens()).rejects.toMatchObject({ code: 'ZS_HTTP_TLS', message: expect.stringMatching(/fingerprint/) });
    const wrong = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin', fingerprint256: 'AB'.repeat(32) });
    cleanup.push(() => wrong.close());
    await expect(wrong.lens()).rejects.toMatchObject({ code: 'ZS_HTTP_TLS', message: expect.stringMatching(/not the pinned one/) });
    expect(wrong.http.stats.retries).toBe(0); // TLS failures are not retried
  });

  it('rejects URLs with credentials or a wrong scheme without echoing the password', () => {
    let error: unknown;
    try {
      new CameraClient({ url: 'http://admin:s3cret@127.0.0.1:1' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: 'camera URL', range: 'a URL without a user or password' });
    expect((error as Error).message).not.toContain('s3cret');
    expect(() => new CameraClient({ url: 'ftp://127.0.0.1' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', range: 'a URL starting with http:// or https://' }));
    expect(() => new CameraClient({ url: 'not a url' })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: 'camera URL' }));
    // a pin on plain HTTP would be silently meaningless
    expect(() => new CameraClient({ url: 'http://127.0.0.1:1', fingerprint256: fingerprint })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', range: 'an https:// URL when a certificate fingerprint is given' }));
  });

  it('normalises fingerprints in the forms people paste', () => {
    const colon = normaliseFingerprint(fingerprint);
    expect(normaliseFingerprint(`sha256 Fingerprint=${fingerprint}`)).toBe(colon);
    expect(normaliseFingerprint(fingerprint.replace(/:/g, '').toLowerCase())).toBe(colon);
    expect(() => normaliseFingerprint('abcd')).toThrow(/64 hex digits/);
  });

  it('never puts the password or the token in logs or error messages', async () => {
    const sim = await Szg10Simulator.start({ users: [{ id: 'admin', password: 'Pa55word!', permissions: ['admin'] }] });
    const lines: string[] = [];
    const client = new Szg10Client({ url: sim.url, user: 'admin', password: 'Pa55word!', log: (l) => lines.push(l), retries: 0 });
    cleanup.push(() => sim.close(), () => client.close());
    const token = await client.login();
    sim.server.fault('/app/v1/camera/lens', { kind: 'malform', body: `{"echo":"Bearer ${token}","password":"Pa55word!"}` });
    const error = await client.lens().catch((e: Error) => e);
    const everything = [...lines, (error as Error).message, inspect(error, { depth: 6 }), inspect(client, { depth: 6 })].join('\n');
    expect(everything).toContain('does not match the API');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('Pa55word!');
    expect(everything).not.toContain(hashPassword('Pa55word!')); // the hash logs in just as well
  });

  it('a camera dribbling its answer a byte at a time hits the answer deadline (the idle body timeout never fires)', async () => {
    const dribbling = new Set<ServerResponse>();
    const server = createServer((_req, res) => {
      dribbling.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const client = new CameraClient({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, bodyTimeoutMs: 1000, answerTimeoutMs: 300, retries: 0 });
    cleanup.push(async () => {
      await client.close();
      for (const res of dribbling) res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const t0 = Date.now();
    const error = await client.request({ method: 'GET', path: '/app/v1/camera/lens', idempotent: true }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(error).toMatchObject({ code: 'ZS_HTTP_TIMEOUT', message: expect.stringMatching(/still arriving 300 ms after its headers/) });
  });

  it('close() does not wait on a camera that never answers: the call in flight is cancelled', async () => {
    const held = new Set<ServerResponse>();
    const server = createServer((_req, res) => void held.add(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const client = new CameraClient({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, headersTimeoutMs: 20_000, retries: 0 });
    cleanup.push(async () => {
      for (const res of held) res.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    });
    const call = client.request({ method: 'GET', path: '/app/v1/camera/lens', idempotent: true }).catch((e: unknown) => e);
    while (held.size === 0) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await client.close(100);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(await call).toMatchObject({ code: 'ZS_CANCELLED' });
  });

  it('something that is not HTTP at the address is a bad response saying which port to use, not retried', async () => {
    const sockets = new Set<Socket>();
    const ssh = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('data', () => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    });
    await new Promise<void>((r) => ssh.listen(0, '127.0.0.1', () => r()));
    const client = new CameraClient({ url: `http://127.0.0.1:${(ssh.address() as { port: number }).port}`, retries: 2, retryDelayMs: 5 });
    cleanup.push(async () => {
      await client.close(100);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => ssh.close(() => r()));
    });
    const error = await client.request({ method: 'GET', path: '/app/v1/camera/lens', idempotent: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE', message: expect.stringMatching(/not HTTP.*SSH-2\.0.*web port/) });
    expect(client.stats.retries).toBe(0);
  });

  it('offers the five dialects by name; the ones not written yet say so', () => {
    for (const dialect of DIALECTS.filter((d) => !dialectEntry(d))) {
      expect(() => openCamera({ dialect, url: 'http://127.0.0.1:1', user: 'a', password: 'b' })).toThrow(`${dialect} dialect is not supported`);
    }
    const camera = openCamera({ dialect: 'szg10', url: 'http://127.0.0.1:1', user: 'a', password: 'b' });
    expect(camera.dialect).toBe('szg10');
    return camera.close();
  });
});

/** A port where nothing listens: a simulator started and closed. */
async function closedPortUrl(): Promise<string> {
  const sim = await Szg10Simulator.start();
  const url = sim.url;
  await sim.close();
  return url;
}

describe('CameraClient: lens moves are never replayed', () => {
  async function camera(client: Partial<Szg10ClientOptions> = {}) {
    const lens = new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000] });
    const sim = await Szg10Simulator.start({ lens });
    const c = new Szg10Client({ url: sim.url, user: 'admin', password: 'admin', retries: 2, retryDelayMs: 5, ...client });
    cleanup.push(() => sim.close(), () => c.close());
    await c.login();
    return { sim, client: c, lens };
  }
  const ZOOM = '/app/v1/camera/lens/zoom/position';

  it('a zoom that times out after sending is not sent again: HttpTimeoutError, mayHaveActed, "may still be moving"', async () => {
    const { sim, client } = await camera({ headersTimeoutMs: 200 });
    sim.server.fault(ZOOM, { kind: 'delay', ms: 5000 }); // undici's timers tick coarsely: far past the timeout
    const before = sim.server.stats.requests;
    const error = await client.zoomTo(800).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect(error).toMatchObject({ code: 'ZS_HTTP_TIMEOUT', mayHaveActed: true, timeoutMs: 200 });
    expect((error as Error).message).toMatch(/may still be moving/);
    expect(sim.server.stats.requests - before).toBe(1);
    expect(client.http.stats.retries).toBe(0);
  });

  it('a focus move, home and one-push cut off after sending are not sent again either', async () => {
    const { sim, client } = await camera();
    await client.setFocusMode('manual');
    for (const [path, move] of [
      ['/app/v1/camera/lens/focus/position', () => client.focusTo(5000)],
      ['/app/v1/camera/lens/focus/home', () => client.lensHome()],
      ['/app/v1/camera/lens/focus/onepush', () => client.onePush()],
    ] as const) {
      sim.server.fault(path, { kind: 'reset' });
      const before = sim.server.stats.requests;
      const error = await (move() as Promise<unknown>).catch((e: unknown) => e);
      expect({ path, code: (error as { code?: string }).code }).toEqual({ path, code: 'ZS_HTTP_CONNECT' });
      expect((error as Error).message).toMatch(/may still be moving/);
      expect(sim.server.stats.requests - before).toBe(1);
      sim.server.clearFaults();
    }
    expect(client.http.stats.retries).toBe(0);
  });

  it('a reading (GET) cut off the same way is retried: only moves are held back', async () => {
    const { sim, client } = await camera();
    sim.server.fault('/app/v1/camera/lens', { kind: 'reset' }, 1, 'GET');
    await expect(client.lens()).resolves.toMatchObject({ zoom: 0 });
    expect(client.http.stats.retries).toBe(1);
  });

  it('a move whose connection could not be made is tried again: it never left', async () => {
    const client = new CameraClient({ url: await closedPortUrl(), retries: 2, retryDelayMs: 1 });
    cleanup.push(() => client.close());
    const error = await client.request({ method: 'PUT', path: ZOOM, idempotent: true, movesLens: true, body: '{"position":1}' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZS_HTTP_CONNECT' });
    expect(client.stats.retries).toBe(2);
  });
});

describe('CameraClient options, resolved per field', () => {
  it('an explicit undefined takes the default (retries: undefined is 2 retries, not endless)', async () => {
    const client = new CameraClient({ url: await closedPortUrl(), retries: undefined, retryDelayMs: undefined, headersTimeoutMs: undefined });
    cleanup.push(() => client.close());
    await expect(client.request({ method: 'GET', path: '/', idempotent: true })).rejects.toMatchObject({ code: 'ZS_HTTP_CONNECT' });
    expect(client.stats.retries).toBe(2);
  });

  it.each([
    ['retries', 11],
    ['retries', -1],
    ['retries', 1.5],
    ['retries', Number.NaN],
    ['connectTimeoutMs', 0],
    ['headersTimeoutMs', -5],
    ['bodyTimeoutMs', Number.POSITIVE_INFINITY],
    ['answerTimeoutMs', Number.NaN],
    ['retryDelayMs', -1],
    ['connections', 0],
    ['keepAliveTimeoutMs', 2 ** 31],
    ['maxResponseBytes', 0],
  ] as const)('refuses %s = %s with an InvalidArgumentError naming the option', (option, value) => {
    let error: unknown;
    try {
      new CameraClient({ url: 'http://127.0.0.1:1', [option]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ZS_INVALID_ARGUMENT', field: `option ${option}` });
    expect((error as Error).message).toContain(`option ${option}`);
  });

  it.each([
    ['settleTimeoutMs', 0],
    ['settlePollMs', Number.NaN],
    ['firmwarePollMs', -1],
    ['sessionCheckAfterMs', Number.POSITIVE_INFINITY],
  ] as const)('the SZ-G10 client refuses %s = %s the same way', (option, value) => {
    expect(() => new Szg10Client({ url: 'http://127.0.0.1:1', user: 'a', password: 'b', [option]: value })).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT', field: `option ${option}` }));
  });
});

describe('CameraClient masks the password and its hash wherever a camera echoes them', () => {
  const PASSWORD = 'Tr0ub4dor&3';
  async function camera() {
    const sim = await Szg10Simulator.start({ users: [{ id: 'admin', password: PASSWORD, permissions: ['admin'] }] });
    const client = new Szg10Client({ url: sim.url, user: 'admin', password: PASSWORD, retries: 0 });
    cleanup.push(() => sim.close(), () => client.close());
    await client.login();
    return { sim, client };
  }
  const hash = hashPassword(PASSWORD);

  it('in a status error whose body echoes them under no known key', async () => {
    const { sim, client } = await camera();
    sim.server.fault('/app/v1/media/video/osd', { kind: 'status', status: 500, body: `request was userId=admin with ${PASSWORD} (digest ${hash.toUpperCase()}) ${hash}` }, 1, 'GET');
    const error = await client.osd().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZS_HTTP_STATUS', status: 500 });
    const text = [(error as Error).message, inspect(error, { depth: 6 })].join('\n');
    expect(text).toContain('***');
    expect(text).not.toContain(PASSWORD);
    expect(text.toLowerCase()).not.toContain(hash);
  });

  it('in a bad-answer snippet', async () => {
    const { sim, client } = await camera();
    sim.server.fault('/app/v1/camera/lens', { kind: 'malform', body: `<html>echo: ${PASSWORD} ${hash}</html>` }, 1, 'GET');
    const error = await client.lens().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZS_HTTP_BAD_RESPONSE' });
    expect((error as { snippet: string }).snippet).toBe('<html>echo: *** ***</html>');
    expect((error as Error).message).not.toContain(PASSWORD);
  });
});
