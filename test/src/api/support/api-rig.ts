/**
 * The API server on loopback in front of real blocks: two simulated SZ-G10s on one real pty
 * (addresses 1 and 2), opened through DeviceRegistry like the service does, a sync group of
 * both, and `left` with an HTTP face (a simulated SZ-G10 web API on loopback).
 */
import { Writable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import WebSocket from 'ws';
import { Szg10Simulator } from '../../../../hardware/sim/http/szg10-sim.js';
import { PtyPair } from '../../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../../hardware/sim/sim-bus.js';
import { TokenBook } from '../../../../src/api/auth.js';
import { REDACT_PATHS } from '../../../../src/api/logger.js';
import type { RigHandle } from '../../../../src/api/rig-handle.js';
import { buildApiServer } from '../../../../src/api/server.js';
import { DeviceRegistry } from '../../../../src/devices/device-registry.js';
import { Szg10Client } from '../../../../src/devices/http/index.js';
import { SyncGroup } from '../../../../src/sync/sync-group.js';
import { fastLens } from '../../devices/block-rig.js';

export const TOKENS = {
  admin: 'admin-token-0123456789abcdefghij',
  op: 'operator-token-0123456789abcdefgh',
  op2: 'operator2-token-0123456789abcdefg',
  read: 'dashboard-token-0123456789abcdefg',
} as const;

export interface ApiRig {
  url: string;
  wsUrl: string;
  app: FastifyInstance;
  sim: SimulatedBus;
  camera: Szg10Simulator;
  rig: RigHandle;
  /** Every log line the server wrote. */
  logText(): string;
  close(): Promise<void>;
}

export async function openApiRig(options: { leaseMs?: number } = {}): Promise<ApiRig> {
  const pair = await PtyPair.open();
  const sim = await SimulatedBus.open(pair.devicePath, { baudRate: 9600 });
  const leftLens = fastLens();
  sim.addBlock({ address: 1, lens: leftLens });
  sim.addBlock({ address: 2, lens: fastLens() });
  const camera = await Szg10Simulator.start({ lens: leftLens });
  const devices = await DeviceRegistry.open(
    {
      lines: [{ name: 'bus1', port: pair.controllerPath }],
      blocks: [
        { name: 'left', line: 'bus1', address: 1, http: { url: camera.url, user: 'admin', password: 'admin' } },
        { name: 'right', line: 'bus1', address: 2 },
      ],
    },
    { scheduler: { queryTimeoutMs: 400, queryRetries: 1 }, openHttp: (spec) => new Szg10Client({ ...spec, settlePollMs: 20 }) },
  );
  const group = new SyncGroup({ name: 'stage', members: [devices.get('left'), devices.get('right')] });
  const rig: RigHandle = {
    lines: devices.lines,
    devices,
    groups: new Map([['stage', group]]),
    async close() {
      group.close();
      await devices.close();
    },
  };
  let logs = '';
  const logger = pino({ level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) }));
  const tokens = new TokenBook({
    version: 1,
    tokens: [
      { name: 'admin', role: 'admin', token: TOKENS.admin },
      { name: 'op', role: 'operator', token: TOKENS.op },
      { name: 'op2', role: 'operator', token: TOKENS.op2 },
      { name: 'dashboard', role: 'read', token: TOKENS.read },
    ],
  });
  const app = await buildApiServer({ rig, tokens, blockLines: new Map([['left', 'bus1'], ['right', 'bus1']]), logger: logger as FastifyBaseLogger, leaseMs: options.leaseMs });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${address.port}/ws`,
    app,
    sim,
    camera,
    rig,
    logText: () => logs,
    async close() {
      await app.close();
      await rig.close();
      await camera.close();
      await sim.close();
      await pair.close();
    },
  };
}

export interface ApiResponse {
  status: number;
  json: any;
  text: string;
  headers: Headers;
}

/** fetch with a bearer token and a JSON body. */
export async function call(rig: Pick<ApiRig, 'url'>, method: string, path: string, options: { token?: string; body?: unknown; raw?: string; contentType?: string } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(rig.url + path, { method, headers, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** A WebSocket client that keeps every message; `next(match)` waits for one (already seen or to come). */
export interface WsClient {
  socket: WebSocket;
  send(message: object): void;
  next(match: (message: any) => boolean): Promise<any>;
  closed: Promise<{ code: number; reason: string }>;
}

export async function connect(rig: Pick<ApiRig, 'wsUrl'>, token?: string): Promise<WsClient> {
  const socket = new WebSocket(rig.wsUrl);
  const messages: any[] = [];
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    messages.push(message);
    for (const w of [...waiters]) {
      if (!w.match(message)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client: WsClient = {
    socket,
    send: (message) => socket.send(JSON.stringify(message)),
    next: (match) => {
      const seen = messages.find(match);
      if (seen) {
        messages.splice(messages.indexOf(seen), 1);
        return Promise.resolve(seen);
      }
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    closed,
  };
  if (token !== undefined) {
    client.send({ type: 'auth', token });
    await client.next((m) => m.type === 'hello' || m.type === 'error');
  }
  return client;
}
