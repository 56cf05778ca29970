/**
 * Motion started over the API, with its dead-man: the timed layer over LeaseBook (lease.ts).
 *
 * Every continuous move carries a lease; the holder (one WebSocket, or one token over REST)
 * renews it by moving again or by `renew`. When a lease runs out, or its WebSocket closes, the
 * target gets a stop at once. Two operators on one target: the latest move wins and takes the
 * lease; `movedBy` says whose token moved each block last.
 */
import { EventEmitter } from 'node:events';
import type { MoveCommand } from '../../protocols/pelco/commands.js';
import type { ZoomBlock } from '../devices/zoom-block.js';
import type { SyncGroup } from '../sync/sync-group.js';
import type { Caller } from './auth.js';
import { badRequest, notFound } from './errors.js';
import { type Lease, LeaseBook } from './lease.js';
import type { RigHandle } from './rig-handle.js';

export const DEFAULT_LEASE_MS = 300;
/** A client may ask for a shorter or longer lease, never longer than this: a dead client's motion ends within it. */
export const MAX_LEASE_MS = 500;
export const MIN_LEASE_MS = 50;

export type Target = { kind: 'block'; name: string; block: ZoomBlock } | { kind: 'group'; name: string; group: SyncGroup };

export interface MotionEvents {
  /** A lease ran out or its holder went away, and the target was sent a stop. */
  deadman: [event: { target: string; by: string; reason: 'expired' | 'closed' }];
  /** Someone moved (or stopped) a block through the API. */
  moved: [event: { block: string; by: string }];
}

export interface MotionOptions {
  leaseMs?: number;
  /** Milliseconds; default performance.now. */
  now?: () => number;
}

export class MotionControl extends EventEmitter<MotionEvents> {
  readonly leaseMs: number;
  private readonly book = new LeaseBook();
  private readonly now: () => number;
  private readonly movers = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt: number | undefined;

  constructor(
    private readonly rig: RigHandle,
    options: MotionOptions = {},
  ) {
    super();
    this.leaseMs = checkLease(options.leaseMs ?? DEFAULT_LEASE_MS, 'leaseMs');
    this.now = options.now ?? (() => performance.now());
  }

  /** "block:left" / "group:stage" -> the thing; 404 for an unknown name, 400 for a bad form. */
  resolve(target: string): Target {
    const match = /^(block|group):(.+)$/.exec(target);
    if (!match) throw badRequest(`target "${target}" is not "block:NAME" or "group:NAME"`);
    const [, kind, name] = match as unknown as [string, 'block' | 'group', string];
    if (kind === 'block') return { kind, name, block: this.block(name) };
    return { kind, name, group: this.group(name) };
  }

  block(name: string): ZoomBlock {
    if (!this.rig.devices.names.includes(name)) throw notFound(`no block named "${name}" (the blocks are: ${this.rig.devices.names.join(', ') || 'none'}; GET /api/blocks lists them)`);
    return this.rig.devices.get(name);
  }

  group(name: string): SyncGroup {
    const group = this.rig.groups.get(name);
    if (!group) throw notFound(`no group named "${name}" (the groups are: ${[...this.rig.groups.keys()].join(', ') || 'none'}; GET /api/groups lists them)`);
    return group;
  }

  /** Continuous motion under a lease held by `holder`; the latest move on a target wins. */
  async move(target: Target, command: Omit<MoveCommand, 'kind'>, caller: Caller, holder: string, leaseMs?: number): Promise<unknown> {
    const ttl = leaseMs === undefined ? this.leaseMs : checkLease(leaseMs, 'leaseMs');
    this.book.grant(key(target), holder, caller.name, this.now(), ttl);
    const granted = this.book.holderOf(key(target))!;
    this.schedule();
    this.markMoved(target, caller);
    const sent = target.kind === 'block' ? target.block.move(command) : target.group.move(command);
    return sent.catch((error: unknown) => {
      // nothing moves under this lease, unless a newer move (which replaced this one) holds it now
      this.book.endIfCurrent(granted);
      throw error;
    });
  }

  /** A stop, ahead of everything; ends the target's lease whoever held it. */
  stop(target: Target, caller: Caller): Promise<unknown> {
    this.book.end(key(target));
    this.markMoved(target, caller);
    return target.kind === 'block' ? target.block.stop() : target.group.stop();
  }

  /** Records who moved a block by another command (absolute position, preset). */
  markMoved(target: Target, caller: Caller): void {
    const names = target.kind === 'block' ? [target.name] : target.group.members.map((m) => m.name);
    for (const name of names) {
      if (this.movers.get(name) === caller.name) continue; // a joystick stream is news once
      this.movers.set(name, caller.name);
      this.emit('moved', { block: name, by: caller.name });
    }
  }

  /** Extends every lease of `holder`; returns how many. */
  renew(holder: string, leaseMs?: number): number {
    const count = this.book.renew(holder, this.now(), leaseMs === undefined ? this.leaseMs : checkLease(leaseMs, 'leaseMs'));
    this.schedule();
    return count;
  }

  /** The holder went away (its WebSocket closed): stop everything it kept moving, now. */
  release(holder: string): void {
    for (const lease of this.book.release(holder)) this.deadStop(lease, 'closed');
    this.schedule();
  }

  /** Whose token moved this block last through the API. */
  movedBy(block: string): string | undefined {
    return this.movers.get(block);
  }

  /** Whether `holder` holds the lease of a target now. */
  holds(holder: string, target: Target): boolean {
    return this.book.holderOf(key(target))?.holder === holder;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const next = this.book.nextDeadline();
    if (next === this.timerAt) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === undefined) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, next - this.now()));
  }

  private expire(): void {
    this.timerAt = undefined;
    for (const lease of this.book.expired(this.now())) this.deadStop(lease, 'expired');
    this.schedule();
  }

  private deadStop(lease: Lease, reason: 'expired' | 'closed'): void {
    let target: Target;
    try {
      target = this.resolve(lease.target);
    } catch {
      return; // resolved when the lease was granted; the rig does not lose blocks
    }
    const stopping = target.kind === 'block' ? target.block.stop() : target.group.stop();
    stopping.catch(() => {}); // a stop is never refused; a held stop goes out on reopen
    this.emit('deadman', { target: lease.target, by: lease.by, reason });
  }
}

function key(target: Target): string {
  return `${target.kind}:${target.name}`;
}

function checkLease(ms: number, field: string): number {
  if (!(Number.isInteger(ms) && ms >= MIN_LEASE_MS && ms <= MAX_LEASE_MS)) throw badRequest(`${field} ${ms} is out of range (expected an integer ${MIN_LEASE_MS}–${MAX_LEASE_MS} ms)`);
  return ms;
}
