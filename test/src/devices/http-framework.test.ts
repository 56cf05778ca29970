import { describe, expect, it } from 'vitest';
import { HttpConnectError, HttpStatusError, InvalidArgumentError } from '../../../protocols/errors.js';
import { basicAuthorization, credentialQuery, md5Password } from '../../../src/devices/http/credentials.js';
import { pollUntil } from '../../../src/devices/http/poller.js';
import { DIALECTS } from '../../../protocols/http/common/capabilities.js';
import { capabilityTable, DIALECT_REGISTRY, dialectEntry, openCamera } from '../../../src/devices/http/registry.js';

describe('per-request credential forms', () => {
  it('HTTP Basic: the header, with the password and its base64 form secret', () => {
    const form = basicAuthorization('admin', 'pa:ss');
    expect(form.wire).toBe(`Basic ${Buffer.from('admin:pa:ss').toString('base64')}`);
    expect(form.secrets).toContain('pa:ss');
    expect(form.secrets).toContain(Buffer.from('admin:pa:ss').toString('base64'));
  });

  it('credentials in the query are URL-encoded, and every encoding of the password is secret', () => {
    const form = credentialQuery('admin', 'p@ss word&x');
    expect(new URLSearchParams(form.wire).get('password')).toBe('p@ss word&x');
    expect(form.secrets).toEqual(expect.arrayContaining(['p@ss word&x', 'p%40ss%20word%26x', 'p%40ss+word%26x']));
  });

  it('an MD5 password is the hex digest, secret like the password', () => {
    expect(md5Password('admin')).toEqual({ wire: '21232f297a57a5a743894a0e4a801fc3', secrets: ['admin', '21232f297a57a5a743894a0e4a801fc3'] });
  });
});

describe('pollUntil', () => {
  it('rides out the errors of a restarting camera until the state says done', async () => {
    const answers: (() => string)[] = [
      () => { throw new HttpConnectError('http://cam', 'restarting'); },
      () => { throw new HttpStatusError(503, 'booting'); },
      () => 'busy',
      () => 'done',
    ];
    let i = 0;
    const value = await pollUntil({
      read: async () => answers[i++]!(),
      judge: (s) => (s === 'done' ? { done: true, value: i } : { done: false }),
      intervalMs: 1,
      timeoutMs: 5000,
      onTimeout: () => new Error('timeout'),
    });
    expect(value).toBe(4);
  });

  it('stops at an error it does not tolerate, and at a state that is a failure', async () => {
    await expect(pollUntil({ read: async () => { throw new InvalidArgumentError('x', 1, '0'); }, judge: () => ({ done: false }), intervalMs: 1, timeoutMs: 5000, onTimeout: () => new Error('timeout') })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(pollUntil({ read: async () => 'failed', judge: () => { throw new Error('upgrade failed'); }, intervalMs: 1, timeoutMs: 5000, onTimeout: () => new Error('timeout') })).rejects.toThrow(/upgrade failed/);
  });

  it('gives the timeout error, with the last tolerated error, at the deadline', async () => {
    const restarting = new HttpConnectError('http://cam', 'restarting');
    const error = await pollUntil({ read: async () => { throw restarting; }, judge: () => ({ done: false }), intervalMs: 5, timeoutMs: 30, onTimeout: (last) => new Error('no result', { cause: last }) }).catch((e: Error) => e);
    expect(error).toMatchObject({ message: 'no result', cause: restarting });
  });
});

describe('the dialect registry', () => {
  it('lists each dialect once with a summary and its capabilities; the capability table reads it', () => {
    const names = DIALECT_REGISTRY.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    // Dialects are added in parallel: the first two are fixed, every name is a known one.
    expect(names.slice(0, 2)).toEqual(['szg10', 'json-api']);
    for (const name of names) expect(DIALECTS).toContain(name);
    const table = capabilityTable();
    expect(table.header).toEqual(['capability', ...names]);
    expect(table.rows.find((r) => r[0] === 'ptz-serial')!.slice(1, 3)).toEqual(['', 'yes']);
    expect(table.rows.find((r) => r[0] === 'firmware')!.slice(1, 3)).toEqual(['yes', '']);
  });

  it('every dialect name has a registry entry, and openCamera refuses a name it does not know, naming the available ones', () => {
    for (const name of DIALECTS) expect(dialectEntry(name), name).toBeDefined();
    const available = DIALECT_REGISTRY.map((d) => d.name).join(', ');
    const unknown = 'onvif' as unknown as (typeof DIALECTS)[number]; // a caller past the type check (a config typo, JS)
    expect(() => openCamera({ dialect: unknown, url: 'http://127.0.0.1', user: 'a', password: 'b' })).toThrow(`available: ${available}`);
  });
});
