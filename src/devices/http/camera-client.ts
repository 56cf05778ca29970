/**
 * CameraClient: the transport to one camera's HTTP API. One undici Pool per camera with
 * keep-alive; connect / headers / body timeouts; HTTPS with an optional pinned certificate
 * fingerprint (self-signed cameras); bounded retries for idempotent calls only. Every failure
 * is a ZoomsyncError with a ZS_HTTP_* code and a message that says what to do; nothing it
 * prints carries credentials.
 */
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { Pool, buildConnector } from 'undici';
import { ZoomsyncError, type ZoomsyncErrorCode } from '../../../protocols/errors.js';
import { snippet } from '../../../protocols/http/common/parse.js';
import { displayUrl, redact } from '../../../protocols/http/common/redact.js';

export interface CameraClientOptions {
  /** Base URL, e.g. http://192.168.1.20 or https://cam:8443. Must not carry user:password. */
  url: string;
  /** Default 3000 ms. */
  connectTimeoutMs?: number;
  /** Time to the response headers. Default 5000 ms. */
  headersTimeoutMs?: number;
  /** Longest silence while the body arrives. Default 10000 ms. */
  bodyTimeoutMs?: number;
  /**
   * The whole body must have arrived this long after the headers (a camera dribbling a byte
   * now and then never trips bodyTimeoutMs). Default 30000 ms.
   */
  answerTimeoutMs?: number;
  /** Extra tries for idempotent calls after a connect error, a timeout or a cut-off answer. Default 2. */
  retries?: number;
  /** Delay before a retry, doubled each time. Default 100 ms. */
  retryDelayMs?: number;
  /** SHA-256 fingerprint of the camera's certificate ("AB:CD:..." or plain hex); pins it instead of the CA check. */
  fingerprint256?: string;
  /** Connections to this camera. Default 1 (embedded web servers prefer few). */
  connections?: number;
  /** Keep an idle connection this long. Default 4000 ms. */
  keepAliveTimeoutMs?: number;
  /** Largest answer body read; a larger one is cut off and refused (not retried). Default 8 MiB. */
  maxResponseBytes?: number;
  /** Receives one redacted line per request, for diagnostics. */
  log?: (line: string) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** May be sent again after a lost connection or timeout. */
  idempotent: boolean;
  /** Called while a body is sent (bytes sent, total). */
  onUploadProgress?: (sent: number, total: number) => void;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Overrides CameraClientOptions.maxResponseBytes for this call (e.g. a snapshot). */
  maxResponseBytes?: number;
}

export interface HttpResponse {
  status: number;
  contentType: string | undefined;
  text: string;
}

const UPLOAD_CHUNK = 64 * 1024;

export class CameraClient {
  readonly origin: string;
  /** Connections opened so far (client side), and requests sent. */
  readonly stats = { connections: 0, requests: 0, retries: 0 };
  private readonly pool: Pool;
  private readonly options: Required<Omit<CameraClientOptions, 'fingerprint256' | 'log'>> & Pick<CameraClientOptions, 'fingerprint256' | 'log'>;

  constructor(options: CameraClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ZoomsyncError('ZS_INVALID_ARGUMENT', `camera URL ${JSON.stringify(displayUrl(options.url))} is not a URL: write it like http://192.168.1.20 or https://cam:8443`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ZoomsyncError('ZS_INVALID_ARGUMENT', `camera URL ${displayUrl(url)} must start with http:// or https://`);
    }
    if (url.username || url.password) {
      throw new ZoomsyncError('ZS_INVALID_ARGUMENT', `camera URL ${displayUrl(url)} must not contain a user or password: pass the user separately and the password through ZOOMSYNC_PASSWORD or the prompt`);
    }
    if (options.fingerprint256 !== undefined && url.protocol !== 'https:') {
      throw new ZoomsyncError('ZS_INVALID_ARGUMENT', `a certificate fingerprint pins an HTTPS camera, but ${displayUrl(url)} is plain HTTP: use https:// (or drop the fingerprint)`);
    }
    this.origin = url.origin;
    this.options = {
      connectTimeoutMs: 3000,
      headersTimeoutMs: 5000,
      bodyTimeoutMs: 10000,
      answerTimeoutMs: 30000,
      retries: 2,
      retryDelayMs: 100,
      connections: 1,
      keepAliveTimeoutMs: 4000,
      maxResponseBytes: 8 * 1024 * 1024,
      ...options,
    };
    const pin = options.fingerprint256 ? normaliseFingerprint(options.fingerprint256) : undefined;
    const connector = buildConnector({ timeout: this.options.connectTimeoutMs, rejectUnauthorized: pin === undefined });
    this.pool = new Pool(this.origin, {
      connections: this.options.connections,
      keepAliveTimeout: this.options.keepAliveTimeoutMs,
      headersTimeout: this.options.headersTimeoutMs,
      bodyTimeout: this.options.bodyTimeoutMs,
      connect: (opts, callback) => {
        connector(opts, (error, socket) => {
          if (error || !socket) return callback(error ?? new Error('no socket'), null);
          if (pin !== undefined && opts.protocol === 'https:') {
            const seen = (socket as TLSSocket).getPeerCertificate().fingerprint256;
            if (seen !== pin) {
              socket.destroy();
              return callback(new PinMismatch(pin, seen ?? '(none)'), null);
            }
          }
          callback(null, socket);
        });
      },
    });
    this.pool.on('connect', () => {
      this.stats.connections++;
    });
  }

  /** Sends one request; retries idempotent ones a bounded number of times on transient failures. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const tries = req.idempotent ? this.options.retries + 1 : 1;
    let delay = this.options.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req);
      } catch (error) {
        const transient = error instanceof ZoomsyncError && TRANSIENT.has(error.code) && !(error instanceof PermanentHttpError);
        if (!transient || attempt >= tries) throw error;
        this.stats.retries++;
        this.options.log?.(`retry ${attempt}/${tries - 1} after: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
  }

  /**
   * Lets calls in flight finish for up to graceMs, then cuts them off (they reject with
   * ZS_CANCELLED): a camera that never answers must not hold the caller's shutdown hostage.
   */
  async close(graceMs = 1000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = this.pool.close().then(
      () => true,
      () => false,
    );
    const inTime = await Promise.race([closed, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)))]);
    clearTimeout(timer);
    if (!inTime) await this.pool.destroy().catch(() => {});
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const where = `${req.method} ${displayUrl(this.origin + req.path)}`;
    this.stats.requests++;
    const headers: Record<string, string> = { ...req.headers };
    let body: string | Uint8Array | Readable | undefined = req.body;
    if (req.body instanceof Uint8Array && req.onUploadProgress) {
      headers['content-length'] = String(req.body.length);
      body = Readable.from(chunked(req.body, req.onUploadProgress), { objectMode: false });
    }
    let headersSeen = false;
    let received = 0;
    try {
      const response = await this.pool.request({
        method: req.method,
        path: req.path,
        headers,
        body,
        headersTimeout: req.headersTimeoutMs ?? this.options.headersTimeoutMs,
        bodyTimeout: req.bodyTimeoutMs ?? this.options.bodyTimeoutMs,
      });
      headersSeen = true;
      // A camera's answers are small: never buffer a runaway body (a wrong device, a stream).
      const limit = req.maxResponseBytes ?? this.options.maxResponseBytes;
      const announced = Number(response.headers['content-length']);
      if (announced > limit) {
        response.body.destroy();
        throw new ResponseTooLarge(where, `announces ${announced} bytes`, limit);
      }
      const chunks: Buffer[] = [];
      const deadline = setTimeout(() => response.body.destroy(new AnswerDeadline()), this.options.answerTimeoutMs);
      try {
        for await (const chunk of response.body) {
          received += (chunk as Buffer).length;
          if (received > limit) throw new ResponseTooLarge(where, `sent more than ${limit} bytes`, limit); // leaving the loop destroys the body
          chunks.push(chunk as Buffer);
        }
      } finally {
        clearTimeout(deadline);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const type = response.headers['content-type'];
      this.options.log?.(`${where} -> ${response.statusCode} (${received} bytes)`);
      return { status: response.statusCode, contentType: Array.isArray(type) ? type[0] : type, text };
    } catch (error) {
      throw this.translate(error, where, headersSeen, received);
    }
  }

  private translate(error: unknown, where: string, headersSeen: boolean, received: number): ZoomsyncError {
    if (error instanceof ZoomsyncError) return error;
    const e = error as NodeJS.ErrnoException;
    const code = e?.code ?? '';
    const detail = redact(e?.message ?? String(error));
    const o = this.options;
    if (error instanceof PinMismatch || /(^ERR_TLS|CERT|SELF_SIGNED|^ERR_SSL|EPROTO)/.test(code)) {
      const advice =
        error instanceof PinMismatch
          ? 'the certificate is not the pinned one: if the camera got a new certificate, pin the new fingerprint, otherwise something else is answering at this address'
          : 'the certificate is not trusted: for a self-signed camera pass its SHA-256 fingerprint (--fingerprint, from `openssl s_client -connect HOST:443 | openssl x509 -noout -fingerprint -sha256`)';
      return new ZoomsyncError('ZS_HTTP_TLS', `${where}: TLS failed (${detail}); ${advice}`, { cause: error });
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new ZoomsyncError('ZS_HTTP_TIMEOUT', `${where}: no connection within ${o.connectTimeoutMs} ms; check the camera is powered and reachable at this address`, { cause: error });
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT') {
      return new ZoomsyncError('ZS_HTTP_TIMEOUT', `${where}: the camera did not answer within ${o.headersTimeoutMs} ms; it may be busy or rebooting — try again, or raise the timeout`, { cause: error });
    }
    if (error instanceof AnswerDeadline) {
      return new ZoomsyncError('ZS_HTTP_TIMEOUT', `${where}: the answer was still arriving ${o.answerTimeoutMs} ms after its headers (${received} bytes so far); the camera is sending far too slowly — try again, or raise the timeout`, { cause: error });
    }
    if (code === 'UND_ERR_BODY_TIMEOUT') {
      return new ZoomsyncError('ZS_HTTP_TIMEOUT', `${where}: the answer stalled for ${o.bodyTimeoutMs} ms after ${received} bytes; try again, or raise the timeout`, { cause: error });
    }
    if (!headersSeen && e?.name === 'HTTPParserError') {
      // Something else listens there (SSH, RTSP on 554, a serial bridge). No cause attached: the
      // parser error carries the raw bytes, unredacted.
      const data = (e as { data?: string }).data;
      return new PermanentHttpError(
        'ZS_HTTP_BAD_RESPONSE',
        `${where}: the answer is not HTTP (${detail})${data ? `: ${snippet(data)}` : ''}; check that the URL points at the camera's web port (HTTP 80 / HTTPS 443 by default, not RTSP 554)`,
      );
    }
    if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
      return new ZoomsyncError('ZS_CANCELLED', `${where}: cancelled, the connection to the camera was closed by zoomsync while the call was in flight`, { cause: error });
    }
    if (headersSeen) {
      return new ZoomsyncError('ZS_HTTP_BAD_RESPONSE', `${where}: the answer was cut off after ${received} bytes (${detail}); try again`, { cause: error });
    }
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
      return new ZoomsyncError('ZS_HTTP_CONNECT', `${where}: the camera closed the connection before answering (${detail}); it may be restarting — try again in a moment`, { cause: error });
    }
    return new ZoomsyncError('ZS_HTTP_CONNECT', `${where}: cannot reach the camera (${code || detail}); check the address, the port and that the camera is on the network`, { cause: error });
  }
}

const TRANSIENT = new Set<ZoomsyncErrorCode>(['ZS_HTTP_CONNECT', 'ZS_HTTP_TIMEOUT', 'ZS_HTTP_BAD_RESPONSE']);

/** A failure that would repeat identically: never retried. */
class PermanentHttpError extends ZoomsyncError {}

/** An answer over maxResponseBytes: refused, and not retried (it would be just as large again). */
class ResponseTooLarge extends PermanentHttpError {
  constructor(where: string, what: string, limit: number) {
    super('ZS_HTTP_BAD_RESPONSE', `${where}: the answer ${what}, over the ${limit}-byte limit; check that this address is the camera's API (raise maxResponseBytes if the answer is legitimately this large)`);
    this.name = 'ResponseTooLarge';
  }
}

class AnswerDeadline extends Error {
  constructor() {
    super('answer deadline passed');
    this.name = 'AnswerDeadline';
  }
}

class PinMismatch extends Error {
  constructor(expected: string, seen: string) {
    super(`certificate fingerprint ${seen} does not match the pinned ${expected}`);
    this.name = 'PinMismatch';
  }
}

/** "ab:cd..." / "abcd..." / "sha256 Fingerprint=AB:CD..." -> "AB:CD:..." as node prints fingerprint256. */
export function normaliseFingerprint(text: string): string {
  const hex = text.replace(/^.*=/, '').replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (hex.length !== 64) {
    throw new ZoomsyncError('ZS_INVALID_ARGUMENT', `certificate fingerprint must be a SHA-256 (64 hex digits), got ${hex.length} digits`);
  }
  return hex.match(/../g)!.join(':');
}

async function* chunked(bytes: Uint8Array, onProgress: (sent: number, total: number) => void): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += UPLOAD_CHUNK) {
    const chunk = bytes.subarray(offset, offset + UPLOAD_CHUNK);
    yield chunk;
    onProgress(Math.min(bytes.length, offset + chunk.length), bytes.length);
  }
  if (bytes.length === 0) onProgress(0, 0);
}
