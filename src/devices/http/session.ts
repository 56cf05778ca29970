/**
 * Session strategies shared by the dialects, and the login-failure latch they all use.
 *
 * - TokenSession: a token from a login, reused until the camera refuses it or its lease runs
 *   out. Concurrent callers share one login; a refused token gets exactly one fresh login (the
 *   SZ-G10 bearer JWT); a lease is renewed before it expires and the session is logged out on
 *   close (api.cgi, whose sessions are limited); an idle token can be checked first (SZ-G10).
 * - LoginLatch: a refused or locked login is remembered and thrown again without asking the
 *   camera, so zoomsync can never be what drives an account into its lockout. Only new
 *   credentials clear it. Per-request credential dialects (Basic, credentials in the query,
 *   an MD5 password per call) use the latch alone.
 */
import { EventEmitter } from 'node:events';
import { HttpAuthError, HttpLockedError } from '../../../protocols/errors.js';
import { nonNegativeMs } from './options.js';

export type LoginFailure = HttpAuthError | HttpLockedError;

/** Remembers a refused or locked login; `check` throws it again instead of asking the camera. */
export class LoginLatch {
  #failure: LoginFailure | undefined;

  get failure(): LoginFailure | undefined {
    return this.#failure;
  }

  check(): void {
    if (this.#failure) throw this.#failure;
  }

  /** Latches a login failure (auth or locked) and returns it, for `throw latch.latch(e)`. */
  latch<E extends LoginFailure>(failure: E): E {
    this.#failure = failure;
    return failure;
  }

  /** Latches the error when it is a login failure; returns it unchanged either way. */
  latchIfLoginFailure(error: unknown): unknown {
    if (error instanceof HttpAuthError || error instanceof HttpLockedError) this.#failure = error;
    return error;
  }

  /** New credentials: the next call may log in again. */
  reset(): void {
    this.#failure = undefined;
  }
}

export interface SessionGrant {
  token: string;
  /** How long the camera keeps the token (a lease); undefined: until it refuses it. */
  leaseMs?: number;
}

export interface TokenSessionOptions {
  /** Logs in; an HttpAuthError or HttpLockedError it throws is latched. */
  login(): Promise<SessionGrant>;
  /** Ends the session on the camera (best effort on renewal and close). */
  logout?(token: string): Promise<void>;
  /** Asks the camera whether a token is still valid (after an idle spell). */
  check?(token: string): Promise<boolean>;
  /** Check a token idle this long before using it. Default: never. */
  checkAfterIdleMs?: number;
  /** Renew a lease this long before it runs out. Default 60 s, at most half the lease. */
  renewBeforeMs?: number;
  /** Milliseconds; default Date.now. */
  clock?: () => number;
}

export interface TokenSessionEvents {
  login: [];
  /** A lease was renewed ahead of its expiry (the old session logged out). */
  renew: [];
  /** A renewal failed; the next call logs in when it needs a token. */
  'renew-failed': [error: unknown];
  logout: [];
}

export class TokenSession extends EventEmitter<TokenSessionEvents> {
  readonly latch = new LoginLatch();
  readonly stats = { logins: 0, checks: 0, renewals: 0, logouts: 0 };
  #token: string | undefined;
  /** When the lease is renewed (its expiry less the margin); Infinity without a lease. */
  private renewAt = Infinity;
  private usedAt = 0;
  private loggingIn: Promise<string> | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;
  private readonly checkAfterIdleMs: number;
  private readonly renewBeforeMs: number;

  constructor(private readonly strategy: TokenSessionOptions) {
    super();
    this.clock = strategy.clock ?? Date.now;
    this.checkAfterIdleMs = strategy.checkAfterIdleMs === undefined ? Infinity : nonNegativeMs('checkAfterIdleMs', strategy.checkAfterIdleMs);
    this.renewBeforeMs = nonNegativeMs('renewBeforeMs', strategy.renewBeforeMs ?? 60_000);
  }

  /** The token held now (undefined when logged out); never printed. */
  get current(): string | undefined {
    return this.#token;
  }

  /** Logs in (once; concurrent callers share the attempt). A latched failure is thrown again. */
  login(): Promise<string> {
    this.latch.check();
    this.loggingIn ??= this.sendLogin().finally(() => {
      this.loggingIn = undefined;
    });
    return this.loggingIn;
  }

  /** A token to use now: the held one (checked after an idle spell, renewed near its expiry) or a fresh login. */
  async token(): Promise<string> {
    this.latch.check();
    const held = this.#token;
    if (held !== undefined && this.clock() >= this.renewAt) {
      await this.renew(held);
    } else if (held !== undefined && this.strategy.check && this.clock() - this.usedAt > this.checkAfterIdleMs) {
      if (await this.checkSession()) return held;
    }
    return this.#token ?? (await this.login());
  }

  /** Asks the camera whether the held token is valid; drops it when not. */
  async checkSession(): Promise<boolean> {
    const held = this.#token;
    if (held === undefined || !this.strategy.check) return false;
    this.stats.checks++;
    const valid = await this.strategy.check(held);
    if (valid) this.used();
    else this.invalidate(held);
    return valid;
  }

  /**
   * Runs `send` with a token. When the camera refuses that token (`refused`), drops it (only if
   * no concurrent call replaced it already) and sends once more with a fresh one; a second
   * refusal is `refusedAgain`'s error (a permission the user lacks), never a loop.
   */
  async run<T>(send: (token: string) => Promise<T>, refused: (result: T) => boolean, refusedAgain: (result: T) => Error): Promise<T> {
    const used = await this.token();
    let result = await send(used);
    if (refused(result)) {
      this.invalidate(used);
      result = await send(this.#token ?? (await this.login()));
      if (refused(result)) throw refusedAgain(result);
    }
    this.used();
    return result;
  }

  /** Marks the held token as just used (a successful call). */
  used(): void {
    this.usedAt = this.clock();
  }

  /** Drops the token if it is still the held one (a concurrent call may have logged in again). */
  invalidate(token: string): void {
    if (this.#token === token) this.drop();
  }

  /** The camera forgot every session (reboot, restart, reset of the users). */
  forget(): void {
    this.drop();
  }

  /** Ends the session on the camera (if one is held). */
  async logout(): Promise<void> {
    const held = this.#token;
    if (held === undefined) return;
    this.drop();
    this.stats.logouts++;
    await this.strategy.logout?.(held);
    this.emit('logout');
  }

  /** New credentials: the latch is cleared and the held token dropped. */
  reset(): void {
    this.latch.reset();
    this.drop();
  }

  private async sendLogin(): Promise<string> {
    this.stats.logins++;
    let grant: SessionGrant;
    try {
      grant = await this.strategy.login();
    } catch (error) {
      throw this.latch.latchIfLoginFailure(error);
    }
    this.#token = grant.token;
    this.used();
    this.scheduleRenewal(grant.leaseMs);
    this.emit('login');
    return grant.token;
  }

  /** Logs the old session out first (sessions are limited), then in again. */
  private async renew(old: string): Promise<void> {
    if (this.loggingIn) {
      await this.loggingIn;
      return;
    }
    this.drop();
    this.stats.renewals++;
    this.stats.logouts++;
    await this.strategy.logout?.(old).catch(() => {}); // an expired lease needs no logout
    await this.login();
    this.emit('renew');
  }

  /** A lease is renewed ahead of time even while idle, so a call never meets an expired token. */
  private scheduleRenewal(leaseMs: number | undefined): void {
    clearTimeout(this.renewTimer);
    if (leaseMs === undefined) return;
    const margin = Math.min(this.renewBeforeMs, leaseMs / 2);
    this.renewAt = this.clock() + leaseMs - margin;
    this.renewTimer = setTimeout(() => {
      const held = this.#token;
      if (held === undefined) return;
      this.renew(held).catch((error: unknown) => this.emit('renew-failed', error));
    }, Math.max(0, leaseMs - margin));
    this.renewTimer.unref();
  }

  private drop(): void {
    this.#token = undefined;
    this.renewAt = Infinity;
    clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
  }
}
