import { X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { hashPassword } from '../../../protocols/http/szg10/api.js';
import { CameraClient, normaliseFingerprint } from '../../../src/devices/http/camera-client.js';
import { openCamera } from '../../../src/devices/http/index.js';
import { Szg10Client } from '../../../src/devices/http/szg10-client.js';

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
    let message = '';
    try {
      new CameraClient({ url: 'http://admin:s3cret@127.0.0.1:1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/must not contain a user or password/);
    expect(message).not.toContain('s3cret');
    expect(() => new CameraClient({ url: 'ftp://127.0.0.1' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new CameraClient({ url: 'not a url' })).toThrow(/is not a URL/);
    // a pin on plain HTTP would be silently meaningless
    expect(() => new CameraClient({ url: 'http://127.0.0.1:1', fingerprint256: fingerprint })).toThrow(/pins an HTTPS camera/);
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
    expect(() => openCamera({ dialect: 'bview2', url: 'http://127.0.0.1:1', user: 'a', password: 'b' })).toThrow(/bview2 dialect is not supported/);
    const camera = openCamera({ dialect: 'szg10', url: 'http://127.0.0.1:1', user: 'a', password: 'b' });
    expect(camera.dialect).toBe('szg10');
    return camera.close();
  });
});
