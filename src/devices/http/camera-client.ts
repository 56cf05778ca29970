/**
 * CameraClient: the transport to one camera's HTTP API. One undici Pool per camera with
 * keep-alive; connect / headers / body timeouts; HTTPS with an optional pinned certificate
 * fingerprint (self-signed cameras); bounded retries. A request that never left (the connection
 * could not be made) may be sent again; one that may have reached the camera is sent again only
 * when it is idempotent and moves no lens (a replayed move could undo one made since). Every
 * failure is one of the typed errors of protocols/errors.ts (or a BadResponseError) with a
 * message that says what to do; nothing it prints carries credentials.
 */
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { Pool, buildConnector } from 'undici';
import {
  CancelledError,
  HttpConnectError,
  HttpTimeoutError,
  HttpTlsError,
  InvalidArgumentError,
  ZoomsyncError,
} from '../../../protocols/errors.js';
import { BadResponseError } from '../../../protocols/http/common/parse.js';
import { displayUrl, redact, redactSecrets } from '../../../protocols/http/common/redact.js';
import { integerIn, nonNegativeMs, positiveMs } from './options.js';
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
  /**
   * Extra tries (0–10, default 2): for any call whose connection could not be made, and for an
   * idempotent call that moves no lens after a timeout or a cut-off answer.
   */
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
  /** Texts masked wherever they appear in messages (a password and its hash), asked for each message. */
  secrets?: () => readonly string[];
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** May be sent again after a lost connection or timeout. */
  idempotent: boolean;
  /** Sets a lens moving: never sent again once it may have reached the camera. */
  movesLens?: boolean;
  /** Changes something on the camera whatever its method (a CGI GET that sets); default: any method but GET. */
  acts?: boolean;
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
  /** The body as received (a snapshot's JPEG); `text` is its UTF-8 reading. */
  bytes: Uint8Array;
}

const UPLOAD_CHUNK = 64 * 1024;

export class CameraClient {
  readonly origin: string;
  /** Connections opened so far (client side), and requests sent. */
  readonly stats = { connections: 0, requests: 0, retries: 0 };
  private readonly pool: Pool;
  private readonly options: ResolvedOptions;

  constructor(options: CameraClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new InvalidArgumentError('camera URL', displayUrl(String(options.url)), 'a URL like http://192.168.1.20 or https://cam:8443');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidArgumentError('camera URL', displayUrl(url), 'a URL starting with http:// or https://');
    }
    if (url.username || url.password) {
      throw new InvalidArgumentError('camera URL', displayUrl(url), 'a URL without a user or password', 'pass the user separately and the password through ZOOMSYNC_PASSWORD or the prompt');
    }
    if (options.fingerprint256 !== undefined && url.protocol !== 'https:') {
      throw new InvalidArgumentError('camera URL', displayUrl(url), 'an https:// URL when a certificate fingerprint is given', 'a fingerprint pins an HTTPS camera: use https:// or drop the fingerprint');
    }
    this.origin = url.origin;
    this.options = resolveOptions(options);
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

  /**
   * Sends one request. A failure before it left is tried again (up to `retries`); one after it
   * may have reached the camera only when the request says a second copy is harmless.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const tries = this.options.retries + 1;
    let delay = this.options.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req);
      } catch (thrown) {
        if (!(thrown instanceof FailedAttempt)) throw thrown;
        const again = thrown.stage === 'unsent' || (thrown.stage === 'sent' && mayResendAfterSending(req));
        if (!again || attempt >= tries) throw thrown.error;
        this.stats.retries++;
        this.options.log?.(`retry ${attempt}/${tries - 1} after: ${thrown.error.message}`);
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
    // Masked too: a dialect may carry a secret in the query under no known key (cgi_action json).
    const url = this.mask(displayUrl(this.origin + req.path));
    const where = `${req.method} ${url}`;
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
      const bytes = Buffer.concat(chunks);
      const text = bytes.toString('utf8');
      const type = response.headers['content-type'];
      this.options.log?.(`${where} -> ${response.statusCode} (${received} bytes)`);
      return { status: response.statusCode, contentType: Array.isArray(type) ? type[0] : type, text, bytes };
    } catch (error) {
      throw this.translate(error, req, url, headersSeen, received);
    }
  }

  /** The error a failed attempt becomes, and whether it happened before the request left. */
  private translate(error: unknown, req: HttpRequest, url: string, headersSeen: boolean, received: number): FailedAttempt {
    const where = `${req.method} ${url}`;
    if (error instanceof ZoomsyncError) return new FailedAttempt(error, 'never'); // ours (too large): it would repeat
    const e = error as NodeJS.ErrnoException;
    const code = e?.code ?? '';
    const detail = this.mask(redact(e?.message ?? String(error)));
    const o = this.options;
    // What a move cut short means for the user: the lens may be on its way, and it was not sent twice.
    const moving = 'the camera may still be moving the lens — zoomsync did not send it again: read the lens position before moving it again';
    if (error instanceof PinMismatch || /(^ERR_TLS|CERT|SELF_SIGNED|^ERR_SSL|EPROTO)/.test(code)) {
      const advice =
        error instanceof PinMismatch
          ? 'the certificate is not the pinned one: if the camera got a new certificate, pin the new fingerprint, otherwise something else is answering at this address'
          : 'the certificate is not trusted: for a self-signed camera pass its SHA-256 fingerprint (--fingerprint, from `openssl s_client -connect HOST:443 | openssl x509 -noout -fingerprint -sha256`)';
      return new FailedAttempt(new HttpTlsError(url, `${where}: TLS failed (${detail}); ${advice}`, { cause: error }), 'never');
    }
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return new FailedAttempt(new HttpTimeoutError(url, o.connectTimeoutMs, false, `${where}: no connection within ${o.connectTimeoutMs} ms; check the camera is powered and reachable at this address`, { cause: error }), 'unsent');
    }
    if (!headersSeen && e?.name === 'HTTPParserError') {
      // Something else listens there (SSH, RTSP on 554, a serial bridge). No cause attached: the
      // parser error carries the raw bytes, unredacted.
      const data = (e as { data?: string }).data;
      const advice = "check that the URL points at the camera's web port (HTTP 80 / HTTPS 443 by default, not RTSP 554)";
      return new FailedAttempt(new BadResponseError(where, `the answer is not HTTP (${detail})`, data || undefined, { plain: true, advice, secrets: this.secrets() }), 'never');
    }
    if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED') {
      return new FailedAttempt(new CancelledError(`${where}: cancelled, the connection to the camera was closed by zoomsync while the call was in flight`, { cause: error }), 'never');
    }
    if (CONNECT_PHASE.has(code)) {
      return new FailedAttempt(new HttpConnectError(url, `${where}: cannot reach the camera (${code}); check the address, the port and that the camera is on the network`, { cause: error }), 'unsent');
    }
    // From here on the request may have reached the camera: a timeout says whether it may have acted.
    const acts = req.acts ?? req.method !== 'GET';
    if (code === 'UND_ERR_HEADERS_TIMEOUT') {
      const ms = req.headersTimeoutMs ?? o.headersTimeoutMs;
      const advice = req.movesLens ? moving : 'it may be busy or rebooting — try again, or raise the timeout';
      return new FailedAttempt(new HttpTimeoutError(url, ms, acts, `${where}: the camera did not answer within ${ms} ms; ${advice}`, { cause: error }), 'sent');
    }
    if (error instanceof AnswerDeadline) {
      const advice = req.movesLens ? moving : 'the camera is sending far too slowly — try again, or raise the timeout';
      return new FailedAttempt(new HttpTimeoutError(url, o.answerTimeoutMs, acts, `${where}: the answer was still arriving ${o.answerTimeoutMs} ms after its headers (${received} bytes so far); ${advice}`, { cause: error }), 'sent');
    }
    if (code === 'UND_ERR_BODY_TIMEOUT') {
      const ms = req.bodyTimeoutMs ?? o.bodyTimeoutMs;
      const advice = req.movesLens ? moving : 'try again, or raise the timeout';
      return new FailedAttempt(new HttpTimeoutError(url, ms, acts, `${where}: the answer stalled for ${ms} ms after ${received} bytes; ${advice}`, { cause: error }), 'sent');
    }
    if (headersSeen) {
      const advice = req.movesLens ? moving : 'try again';
      return new FailedAttempt(new BadResponseError(where, `the answer was cut off after ${received} bytes (${detail})`, undefined, { plain: true, advice, cause: error }), 'sent');
    }
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') {
      const advice = req.movesLens ? moving : 'it may be restarting — try again in a moment';
      return new FailedAttempt(new HttpConnectError(url, `${where}: the camera closed the connection before answering (${detail}); ${advice}`, { cause: error }), 'sent');
    }
    // An unfamiliar failure: assume the request may have left.
    const advice = req.movesLens ? moving : 'check the address, the port and that the camera is on the network';
    return new FailedAttempt(new HttpConnectError(url, `${where}: cannot reach the camera (${code || detail}); ${advice}`, { cause: error }), 'sent');
  }

  private secrets(): readonly string[] {
    return this.options.secrets?.() ?? [];
  }

  private mask(text: string): string {
    return redactSecrets(text, this.secrets());
  }
}

/** Failures of the connect phase: the request never left, so sending it again cannot repeat anything. */
const CONNECT_PHASE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN']);

/** A second copy after the first may have reached the camera: only a harmless one. */
function mayResendAfterSending(req: HttpRequest): boolean {
  return req.idempotent && !req.movesLens;
}

/**
 * One attempt's failure. `unsent`: it never left (safe to send again); `sent`: it may have
 * reached the camera; `never`: the same would happen again (TLS, not HTTP, too large, cancelled).
 */
class FailedAttempt {
  constructor(
    readonly error: ZoomsyncError,
    readonly stage: 'unsent' | 'sent' | 'never',
  ) {}
}

/** An answer over maxResponseBytes: refused, and not retried (it would be just as large again). */
class ResponseTooLarge extends BadResponseError {
  constructor(where: string, what: string, limit: number) {
    super(where, `the answer ${what}, over the ${limit}-byte limit`, undefined, {
      plain: true,
      advice: "check that this address is the camera's API (raise maxResponseBytes if the answer is legitimately this large)",
    });
    this.name = 'ResponseTooLarge';
  }
}

type ResolvedOptions = Required<Omit<CameraClientOptions, 'url' | 'fingerprint256' | 'log' | 'secrets'>> & Pick<CameraClientOptions, 'log' | 'secrets'>;

/** Each option on its own (an explicit undefined takes the default), each checked. */
function resolveOptions(o: CameraClientOptions): ResolvedOptions {
  if (o.log !== undefined && typeof o.log !== 'function') throw new InvalidArgumentError('option log', typeof o.log, 'a function or undefined');
  if (o.secrets !== undefined && typeof o.secrets !== 'function') throw new InvalidArgumentError('option secrets', typeof o.secrets, 'a function or undefined');
  return {
    connectTimeoutMs: positiveMs('connectTimeoutMs', o.connectTimeoutMs ?? 3000),
    headersTimeoutMs: positiveMs('headersTimeoutMs', o.headersTimeoutMs ?? 5000),
    bodyTimeoutMs: positiveMs('bodyTimeoutMs', o.bodyTimeoutMs ?? 10_000),
    answerTimeoutMs: positiveMs('answerTimeoutMs', o.answerTimeoutMs ?? 30_000),
    retries: integerIn('retries', o.retries ?? 2, 0, 10),
    retryDelayMs: nonNegativeMs('retryDelayMs', o.retryDelayMs ?? 100),
    connections: integerIn('connections', o.connections ?? 1, 1, 64),
    keepAliveTimeoutMs: positiveMs('keepAliveTimeoutMs', o.keepAliveTimeoutMs ?? 4000),
    maxResponseBytes: integerIn('maxResponseBytes', o.maxResponseBytes ?? 8 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
    ...(o.log !== undefined ? { log: o.log } : {}),
    ...(o.secrets !== undefined ? { secrets: o.secrets } : {}),
  };
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
    throw new InvalidArgumentError('certificate fingerprint', `${hex.length} hex digits`, 'a SHA-256: 64 hex digits');
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
