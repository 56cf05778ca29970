/**
 * The HTTP server under every simulated camera: a real node:http(s) server on loopback with
 * fault injection (delay, stall, truncate, malform, force a status, reset), an artificial
 * per-request latency, and counters (connections, requests). A dialect simulator supplies one
 * `handle` function; everything that is not about the dialect lives here.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface SimRequest {
  method: string;
  path: string;
  /** What followed the `?` (empty when nothing). */
  query: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface SimResponse {
  /** 0: close the connection without answering (a camera that is restarting). */
  status: number;
  contentType?: string;
  body?: string | Buffer;
  /** Extra response headers (a WWW-Authenticate challenge). */
  headers?: Record<string, string>;
}

export type SimFault =
  /** Answer normally, but only after ms (for headers timeouts). */
  | { kind: 'delay'; ms: number }
  /** Send the headers and half the body, then stall ms (for body timeouts) and end the socket. */
  | { kind: 'stall'; ms: number }
  /** Announce the full length, send half the body, close the connection. */
  | { kind: 'truncate' }
  /** Replace the body with this text (default: JSON cut in the middle). */
  | { kind: 'malform'; body?: string }
  /** Answer with this status (and body) instead of handling the request. */
  | { kind: 'status'; status: number; body?: string }
  /** Close the connection without answering. */
  | { kind: 'reset' };

export interface SimServerOptions {
  /** Added before every answer (ms). */
  latencyMs?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Largest request body accepted before the handler sees it; beyond it `onTooLarge` answers. Default 64 MiB. */
  maxBodyBytes?: number;
}

type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export class SimServer {
  readonly stats = { connections: 0, requests: 0 };
  latencyMs: number;
  private readonly server: Server;
  private readonly faults = new Map<string, { fault: SimFault; times: number; method: string | undefined }>();
  private readonly sockets = new Set<Socket>();
  private readonly maxBodyBytes: number;
  private readonly secure: boolean;

  constructor(
    private readonly handle: Handler,
    private readonly onTooLarge: (req: SimRequest) => SimResponse,
    options: SimServerOptions = {},
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
    this.secure = options.tls !== undefined;
    // A client that hangs up mid-request (an aborted upload) rejects the body read: drop that
    // connection instead of letting the rejection go unhandled and take the process down.
    const listener = (req: IncomingMessage, res: ServerResponse) => void this.serve(req, res).catch(() => req.socket.destroy());
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
    this.server.keepAliveTimeout = 5000;
    this.server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.stats.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.url;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `${this.secure ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  }

  /** Inject a fault on a path (any method, or only `method`) for the next `times` requests (default: until cleared). */
  fault(path: string, fault: SimFault, times = Infinity, method?: string): void {
    this.faults.set(path, { fault, times, method });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Drop every open connection (a camera restarting). */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(path: string, method: string): SimFault | undefined {
    const entry = this.faults.get(path);
    if (!entry || (entry.method !== undefined && entry.method !== method)) return undefined;
    if (--entry.times <= 0) this.faults.delete(path);
    return entry.fault;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.stats.requests++;
    const url = req.url ?? '/';
    const cut = url.indexOf('?');
    const path = cut < 0 ? url : url.slice(0, cut);
    const query = cut < 0 ? '' : url.slice(cut + 1);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.maxBodyBytes) tooLarge = true;
      else chunks.push(chunk as Buffer);
    }
    const simReq: SimRequest = { method: req.method ?? 'GET', path, query, headers: req.headers, body: Buffer.concat(chunks) };
    const fault = this.takeFault(path, simReq.method);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    let answer: SimResponse;
    try {
      answer =
        fault?.kind === 'status'
          ? { status: fault.status, contentType: 'text/plain', body: fault.body ?? '' }
          : tooLarge
            ? this.onTooLarge(simReq)
            : await this.handle(simReq);
    } catch (error) {
      answer = { status: 500, contentType: 'text/plain', body: `simulator error: ${(error as Error).message}` };
    }
    if (answer.status === 0) {
      req.socket.destroy();
      return;
    }
    let body = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
    if (fault?.kind === 'malform') body = Buffer.from(fault.body ?? body.subarray(0, Math.max(1, body.length >> 1)).toString() + '#');
    const headers: Record<string, string | number> = { ...answer.headers, 'content-length': body.length };
    if (answer.contentType && body.length) headers['content-type'] = answer.contentType;
    res.writeHead(answer.status, headers);
    if (fault?.kind === 'truncate' || fault?.kind === 'stall') {
      res.write(body.subarray(0, body.length >> 1));
      if (fault.kind === 'stall') await sleep(fault.ms);
      req.socket.end(); // a clean FIN, so the half body arrives before the close
      return;
    }
    res.end(body);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
