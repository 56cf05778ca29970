import { describe, expect, it } from 'vitest';
import { LeaseBook } from '../../../src/api/lease.js';

describe('LeaseBook', () => {
  it('a lease not renewed is expired at its deadline, not before', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 1000, 300);
    expect(book.nextDeadline()).toBe(1300);
    expect(book.expired(1299)).toEqual([]);
    expect(book.expired(1300).map((l) => l.target)).toEqual(['block:left']);
    expect(book.size).toBe(0);
  });

  it('a renew moves every deadline of that holder and only that holder', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 0, 300);
    book.grant('block:right', 'ws2', 'bob', 0, 300);
    expect(book.renew('ws1', 200, 300)).toBe(1);
    expect(book.expired(300).map((l) => l.target)).toEqual(['block:right']);
    expect(book.expired(499)).toEqual([]);
    expect(book.expired(500).map((l) => l.target)).toEqual(['block:left']);
  });

  it('the latest move takes the lease over and the previous holder is returned', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 0, 300);
    const previous = book.grant('block:left', 'ws2', 'bob', 10, 300);
    expect(previous?.by).toBe('alice');
    expect(book.holderOf('block:left')).toMatchObject({ holder: 'ws2', by: 'bob', expiresAt: 310 });
    // the old holder's renew and close no longer touch it
    expect(book.renew('ws1', 100, 300)).toBe(0);
    expect(book.release('ws1')).toEqual([]);
    expect(book.holderOf('block:left')?.holder).toBe('ws2');
  });

  it('a holder re-granting its own lease reports no previous holder', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 0, 300);
    expect(book.grant('block:left', 'ws1', 'alice', 100, 300)).toBeUndefined();
  });

  it('release returns every lease of a closed connection at once', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 0, 300);
    book.grant('group:stage', 'ws1', 'alice', 0, 300);
    book.grant('block:right', 'ws2', 'bob', 0, 300);
    expect(book.release('ws1').map((l) => l.target).sort()).toEqual(['block:left', 'group:stage']);
    expect(book.size).toBe(1);
  });

  it('end removes a lease whoever held it (a stop)', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 0, 300);
    expect(book.end('block:left')?.holder).toBe('ws1');
    expect(book.nextDeadline()).toBeUndefined();
  });

  it('endIfCurrent ends a lease only while no newer grant has replaced it', () => {
    const book = new LeaseBook();
    book.grant('block:left', 'ws1', 'alice', 0, 300);
    const first = book.holderOf('block:left')!;
    book.grant('block:left', 'ws1', 'alice', 10, 300);
    expect(book.endIfCurrent(first)).toBe(false);
    expect(book.holderOf('block:left')?.expiresAt).toBe(310);
    expect(book.endIfCurrent(book.holderOf('block:left')!)).toBe(true);
    expect(book.size).toBe(0);
  });

  it('refuses a lease of zero or NaN milliseconds', () => {
    const book = new LeaseBook();
    expect(() => book.grant('block:left', 'ws1', 'alice', 0, 0)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
    expect(() => book.grant('block:left', 'ws1', 'alice', 0, NaN)).toThrow(expect.objectContaining({ code: 'ZS_INVALID_ARGUMENT' }));
  });
});
