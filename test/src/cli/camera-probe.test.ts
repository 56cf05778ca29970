import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Bview2Simulator } from '../../../hardware/sim/http/bview2-sim.js';
import { CgiActionSimulator } from '../../../hardware/sim/http/cgi-action-sim.js';
import { CgiControlSimulator } from '../../../hardware/sim/http/cgi-control-sim.js';
import { JsonApiSimulator } from '../../../hardware/sim/http/json-api-sim.js';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { DIALECT_REGISTRY } from '../../../src/devices/http/registry.js';
import { runCli, startCli } from '../../helpers/cli.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function probe(url: string, ...extra: string[]) {
  const r = await runCli(['camera', '--url', url, 'probe', ...extra]);
  return { ...r, outcome: extra.includes('--json') ? (JSON.parse(r.stdout) as { dialect?: string; reports: { dialect: string; confidence?: number }[] }) : undefined };
}

describe('zoomsync camera probe', () => {
  it('identifies an SZ-G10 and never touches its login (no login, no failed login)', async () => {
    const sim = await Szg10Simulator.start();
    closers.push(() => sim.close());
    const r = await probe(sim.url, '--json');
    expect(r.code).toBe(0);
    expect(r.outcome?.dialect).toBe('szg10');
    expect(r.outcome?.reports.filter((x) => (x.confidence ?? 0) > 0).map((x) => x.dialect)).toEqual(['szg10']);
    expect(sim.counters).toEqual({ logins: 0, failedLogins: 0 });
  });

  it('identifies a json-api camera with a token-less command: no login, no failed login', async () => {
    const sim = await JsonApiSimulator.start();
    closers.push(() => sim.close());
    const r = await probe(sim.url, '--json');
    expect(r.outcome?.dialect).toBe('json-api');
    expect(r.outcome?.reports.filter((x) => (x.confidence ?? 0) > 0).map((x) => x.dialect)).toEqual(['json-api']);
    expect(sim.counters.logins).toBe(0);
    expect(sim.counters.failedLogins).toBe(0);
  });

  it('asks /api.cgi when /cgi-bin/api.cgi is not there (the manual shows both paths)', async () => {
    const sim = await JsonApiSimulator.start();
    closers.push(() => sim.close());
    // A camera that serves api.cgi at the root only: 404 for /cgi-bin/, the rest handed to the simulator.
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.startsWith('/cgi-bin/')) return void res.writeHead(404).end();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(sim.url + (req.url ?? ''), { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? '' }, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) })
          .then(async (answer) => res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/html' }).end(Buffer.from(await answer.arrayBuffer())));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const r = await probe(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--json');
    expect(r.outcome?.dialect).toBe('json-api');
    expect(seen).toContain('/api.cgi?cmd=GetDevInfo');
    expect(sim.counters.failedLogins).toBe(0);
  });

  it('identifies a cgi-action camera without one credential check (so no failed one)', async () => {
    const sim = await CgiActionSimulator.start();
    closers.push(() => sim.close());
    const r = await probe(sim.url);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dialect: cgi-action$/m);
    expect(sim.counters.authChecks).toBe(0);
    expect(sim.counters.authFailures).toBe(0);
  });

  it('identifies a B-View 2 camera from its challenge to a request with no Authorization (no check, no failed one)', async () => {
    const sim = await Bview2Simulator.start();
    closers.push(() => sim.close());
    const r = await probe(sim.url, '--json');
    expect(r.code).toBe(0);
    expect(r.outcome?.dialect).toBe('bview2');
    expect(sim.counters.authChecks).toBe(0);
    expect(sim.counters.failedAuth).toBe(0);
  });

  it('identifies a cgi-control camera without one id/passwd check (so no failed one)', async () => {
    const sim = await CgiControlSimulator.start();
    closers.push(() => sim.close());
    const r = await probe(sim.url);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dialect: cgi-control$/m);
    expect(sim.counters.authChecks).toBe(0);
    expect(sim.counters.authFailures).toBe(0);
  });

  it('names cgi-control when the camera runs a POSTed control script and refuses the missing id/passwd, but not a server that refuses every POST', async () => {
    const serve = async (handler: (url: string, res: ServerResponse) => void) => {
      const server: Server = createServer((req, res) => handler(req.url ?? '', res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closers.push(() => new Promise((resolve) => server.close(() => resolve())));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const runsScripts = await serve((url, res) => (url === '/cgi-bin/control/servername.cgi' ? res.writeHead(200, { 'content-type': 'text/plain' }).end('Error: Invalid ID or Password\r\n') : res.writeHead(404).end()));
    const named = await probe(runsScripts, '--json');
    expect(named.outcome?.dialect).toBe('cgi-control');
    expect(named.outcome?.reports.find((x) => x.dialect === 'cgi-control')?.confidence).toBe(1);
    const refusesEveryPost = await serve((_url, res) => res.writeHead(405).end());
    expect((await probe(refusesEveryPost, '--json')).outcome?.reports.find((x) => x.dialect === 'cgi-control')?.confidence).toBe(0);
  });

  // Every probe asks every simulator: each camera is named as its own dialect and no other
  // dialect's probe answers it, and no simulator counts a credential check.
  const cameras: { dialect: string; start: () => Promise<{ url: string; close(): Promise<void>; checks(): number }> }[] = [
    { dialect: 'szg10', start: async () => { const s = await Szg10Simulator.start(); return { url: s.url, close: () => s.close(), checks: () => s.counters.logins + s.counters.failedLogins }; } },
    { dialect: 'json-api', start: async () => { const s = await JsonApiSimulator.start(); return { url: s.url, close: () => s.close(), checks: () => s.counters.logins + s.counters.failedLogins }; } },
    { dialect: 'cgi-action', start: async () => { const s = await CgiActionSimulator.start(); return { url: s.url, close: () => s.close(), checks: () => s.counters.authChecks }; } },
    { dialect: 'bview2', start: async () => { const s = await Bview2Simulator.start(); return { url: s.url, close: () => s.close(), checks: () => s.counters.authChecks }; } },
    { dialect: 'cgi-control', start: async () => { const s = await CgiControlSimulator.start(); return { url: s.url, close: () => s.close(), checks: () => s.counters.authChecks }; } },
  ];
  for (const camera of cameras) {
    it(`with all five probes, a ${camera.dialect} simulator answers only the ${camera.dialect} probe and counts no credential check`, async () => {
      const sim = await camera.start();
      closers.push(() => sim.close());
      const r = await probe(sim.url, '--json');
      expect(r.outcome?.dialect).toBe(camera.dialect);
      expect(r.outcome?.reports.filter((x) => (x.confidence ?? 0) > 0).map((x) => x.dialect)).toEqual([camera.dialect]);
      expect(r.outcome?.reports.every((x) => x.confidence !== undefined)).toBe(true);
      expect(sim.checks()).toBe(0);
    });
  }

  it('says none answered (exit 1) for a web server that is no camera, and lists each dialect it asked', async () => {
    const server: Server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const r = await probe(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^dialect: none of the known dialects answered$/m);
    for (const d of DIALECT_REGISTRY) expect(r.stdout).toMatch(new RegExp(`^${d.name}: ${d.probe ? 'no' : 'not probed'} — `, 'm'));
  });

  it('Ctrl-C while a camera does not answer ends the probe at once with 130', async () => {
    const held: { destroy(): void }[] = [];
    const server: Server = createServer((req) => void held.push(req.socket)); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => { for (const s of held) s.destroy(); server.close(() => resolve()); }));
    const asked = new Promise((resolve) => server.once('request', resolve));
    const running = startCli(['camera', '--url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--timeout', '60000', 'probe']);
    await asked;
    running.interrupt();
    const r = await running.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted; nothing was changed/);
  });

  it('needs no --user and refuses one (it sends no credentials); a camera not there is exit 1 with the connect code', async () => {
    const r = await runCli(['camera', '--url', 'http://127.0.0.1:9', '--user', 'admin', 'probe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/probe sends no credentials .*drop --user/);
    const gone = await runCli(['camera', '--url', 'http://127.0.0.1:9', '--timeout', '1000', 'probe']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/\[ZS_HTTP_CONNECT\]/);
  });
});
