import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { HttpAuthError, HttpConnectError, HttpLockedError } from '../../../protocols/errors.js';
import { LoginLatch, TokenSession } from '../../../src/devices/http/session.js';

// The strategies' own rules, with plain functions standing in for a dialect's login (the
// clients' tests run the same rules against the simulators).
const sessions: TokenSession[] = [];
afterEach(async () => {
  while (sessions.length) await sessions.pop()!.logout();
});

function session(options: Partial<ConstructorParameters<typeof TokenSession>[0]> & { tokens?: string[] } = {}) {
  let n = 0;
  const log: string[] = [];
  const s = new TokenSession({
    login: async () => {
      log.push('login');
      return { token: `t${++n}` };
    },
    logout: async (token) => {
      log.push(`logout ${token}`);
    },
    ...options,
  });
  sessions.push(s);
  return { s, log };
}

describe('TokenSession', () => {
  it('concurrent callers share one login and reuse the token', async () => {
    const { s, log } = session();
    expect(await Promise.all([s.token(), s.token(), s.token()])).toEqual(['t1', 't1', 't1']);
    expect(log).toEqual(['login']);
  });

  it('a refused token gets one fresh login; refused again is the dialect\'s error', async () => {
    const { s, log } = session();
    const seen: string[] = [];
    const result = await s.run(async (t) => (seen.push(t), t === 't1' ? 'refused' : 'ok'), (r) => r === 'refused', () => new Error('no'));
    expect(result).toBe('ok');
    expect(seen).toEqual(['t1', 't2']);
    await expect(s.run(async () => 'refused', (r) => r === 'refused', () => new HttpAuthError('u', 'lacks permission'))).rejects.toThrow(/lacks permission/);
    expect(log.filter((l) => l === 'login')).toHaveLength(3);
  });

  it('latches a refused or locked login and never calls login again until reset', async () => {
    let calls = 0;
    const s = new TokenSession({
      login: async () => {
        calls++;
        throw new HttpLockedError('u', 'locked');
      },
    });
    await expect(s.token()).rejects.toBeInstanceOf(HttpLockedError);
    await expect(s.token()).rejects.toBeInstanceOf(HttpLockedError);
    expect(calls).toBe(1);
    s.reset();
    await expect(s.token()).rejects.toBeInstanceOf(HttpLockedError);
    expect(calls).toBe(2);
  });

  it('does not latch a login that failed for another reason (the camera was unreachable)', async () => {
    let calls = 0;
    const s = new TokenSession({
      login: async () => {
        calls++;
        throw new HttpConnectError('http://cam', 'unreachable');
      },
    });
    await expect(s.token()).rejects.toBeInstanceOf(HttpConnectError);
    await expect(s.token()).rejects.toBeInstanceOf(HttpConnectError);
    expect(calls).toBe(2);
  });

  it('renews a lease ahead of its expiry while idle, logging the old session out first', async () => {
    let n = 0;
    const log: string[] = [];
    const s = new TokenSession({
      login: async () => (log.push('login'), { token: `t${++n}`, leaseMs: 200 }),
      logout: async (t) => void log.push(`logout ${t}`),
      renewBeforeMs: 150, // capped at half the lease: renewed after 100 ms
    });
    sessions.push(s);
    await s.token();
    await once(s, 'renew');
    expect(log).toEqual(['login', 'logout t1', 'login']);
    expect(s.current).toBe('t2');
  });

  it('a failed renewal is reported as an event, and the next call logs in', async () => {
    let n = 0;
    const s = new TokenSession({
      login: async () => {
        n++;
        if (n === 2) throw new HttpConnectError('http://cam', 'unreachable');
        return { token: `t${n}`, leaseMs: 100 };
      },
    });
    sessions.push(s);
    await s.token();
    const [error] = await once(s, 'renew-failed');
    expect(error).toBeInstanceOf(HttpConnectError);
    expect(await s.token()).toBe('t3');
  });
});

describe('LoginLatch', () => {
  it('keeps only login failures', () => {
    const latch = new LoginLatch();
    latch.latchIfLoginFailure(new HttpConnectError('x', 'y'));
    expect(() => latch.check()).not.toThrow();
    latch.latchIfLoginFailure(new HttpAuthError('u', 'wrong'));
    expect(() => latch.check()).toThrow(/wrong/);
    latch.reset();
    expect(() => latch.check()).not.toThrow();
  });
});
