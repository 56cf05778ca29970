/**
 * Dead-man leases, pure: who keeps which target moving, and until when. No timers and no clock
 * here; every call takes `now` (ms), so tests drive time by hand. motion.ts is the thin timed
 * layer that asks `expired(now)` when `nextDeadline()` comes and stops what it returns.
 *
 * One lease per target ("block:left", "group:stage"): the latest move wins and takes the lease
 * over, whoever held it before. A holder is one connection (a WebSocket, or one token over REST).
 */
import { InvalidArgumentError } from '../../protocols/errors.js';

export interface Lease {
  target: string;
  holder: string;
  /** Name of the token that moved the target, for the state ("who moved it last"). */
  by: string;
  expiresAt: number;
}

export class LeaseBook {
  private readonly leases = new Map<string, Lease>();

  /** Grants (or takes over) the lease of `target` for `ttlMs` from `now`. Returns the previous holder's lease, if another held it. */
  grant(target: string, holder: string, by: string, now: number, ttlMs: number): Lease | undefined {
    if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new InvalidArgumentError('lease', ttlMs, 'milliseconds, more than 0');
    const previous = this.leases.get(target);
    this.leases.set(target, { target, holder, by, expiresAt: now + ttlMs });
    return previous && previous.holder !== holder ? previous : undefined;
  }

  /** Extends every lease `holder` has (a `renew` message); returns how many. */
  renew(holder: string, now: number, ttlMs: number): number {
    let count = 0;
    for (const lease of this.leases.values()) {
      if (lease.holder !== holder) continue;
      lease.expiresAt = now + ttlMs;
      count++;
    }
    return count;
  }

  /** Ends the lease of `target` (a stop came for it), whoever held it. */
  end(target: string): Lease | undefined {
    const lease = this.leases.get(target);
    this.leases.delete(target);
    return lease;
  }

  /**
   * Ends `lease` only if it is still the target's current lease: a move that failed must not
   * end the lease a newer move (which replaced it) has taken since.
   */
  endIfCurrent(lease: Lease): boolean {
    if (this.leases.get(lease.target) !== lease) return false;
    this.leases.delete(lease.target);
    return true;
  }

  /** Removes and returns every lease of `holder` (its connection closed: stop them now). */
  release(holder: string): Lease[] {
    const gone = [...this.leases.values()].filter((l) => l.holder === holder);
    for (const lease of gone) this.leases.delete(lease.target);
    return gone;
  }

  /** Removes and returns every lease whose time is up at `now`. */
  expired(now: number): Lease[] {
    const gone = [...this.leases.values()].filter((l) => l.expiresAt <= now);
    for (const lease of gone) this.leases.delete(lease.target);
    return gone;
  }

  /** The earliest expiry, or undefined when nothing is leased. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const lease of this.leases.values()) if (next === undefined || lease.expiresAt < next) next = lease.expiresAt;
    return next;
  }

  holderOf(target: string): Lease | undefined {
    return this.leases.get(target);
  }

  get size(): number {
    return this.leases.size;
  }
}
