import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearerToken, loadOrCreateTokens, roleAllows, TokenBook, tokenFileFor } from '../../../src/api/auth.js';
import { serviceLogger } from '../../../src/api/logger.js';
import { parseListen } from '../../../src/cli/commands/serve.js';

describe('the token file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-tokens-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lives next to the rig file', () => {
    expect(tokenFileFor('/etc/zoomsync/rig.yaml')).toBe('/etc/zoomsync/rig.tokens.json');
  });

  it('is created on first start, mode 0600, with an admin and a read-only token, and read back the same later', async () => {
    const path = join(dir, 'rig.tokens.json');
    const first = await loadOrCreateTokens(path);
    expect(first.created).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.tokens.map((t: { role: string }) => t.role)).toEqual(['admin', 'read']);
    const second = await loadOrCreateTokens(path);
    expect(second.created).toBe(false);
    expect(second.book.lookup(file.tokens[0].token)).toEqual({ name: 'admin', role: 'admin' });
    expect(second.book.lookup(file.tokens[1].token)).toEqual({ name: 'dashboard', role: 'read' });
  });

  it('a file others can read is refused with ZS_CONFIG saying how to fix it', async () => {
    const path = join(dir, 'rig.tokens.json');
    await loadOrCreateTokens(path);
    await chmod(path, 0o644);
    await expect(loadOrCreateTokens(path)).rejects.toMatchObject({ code: 'ZS_CONFIG', message: expect.stringMatching(/chmod 600/) });
  });

  it('a file that is not a token file lists every problem', async () => {
    const path = join(dir, 'rig.tokens.json');
    await writeFile(path, JSON.stringify({ version: 1, tokens: [{ name: 'a b', role: 'root', token: 'short' }] }), { mode: 0o600 });
    const error = await loadOrCreateTokens(path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ZS_CONFIG' });
    expect((error as { problems: { path: string }[] }).problems.map((p) => p.path).sort()).toEqual(['tokens.0.name', 'tokens.0.role', 'tokens.0.token']);
  });

  it('two tokens with one name are refused (the name is who moved a block)', () => {
    const token = 'x'.repeat(30);
    expect(() => new TokenBook({ version: 1, tokens: [{ name: 'a', role: 'read', token }, { name: 'a', role: 'admin', token: token + 'y' }] })).toThrow(expect.objectContaining({ code: 'ZS_CONFIG' }));
  });
});

describe('roles and headers', () => {
  it('admin > operator > read', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('read', 'operator')).toBe(false);
    expect(roleAllows('operator', 'admin')).toBe(false);
  });
  it('only "Bearer <token>" carries a token', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

describe('the service logger', () => {
  it('redacts an authorization header, a token and a password wherever they are logged', async () => {
    let text = '';
    const log = await serviceLogger(new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done()) }));
    log.info({ req: { headers: { authorization: 'Bearer secret-header' } }, token: 'secret-token', camera: { password: 'secret-pw', token: 'secret-nested' } }, 'hello');
    log.flush();
    expect(text).toMatch(/hello/);
    for (const secret of ['secret-header', 'secret-token', 'secret-pw', 'secret-nested']) expect(text).not.toContain(secret);
  });

  it('on a terminal writes pretty lines (pino-pretty), not JSON, still redacted', async () => {
    let text = '';
    const written = new Promise<void>((resolve) => {
      const terminal = Object.assign(new Writable({ write: (chunk, _e, done) => ((text += String(chunk)), done(), text.includes('\n') && resolve()) }), { isTTY: true });
      void serviceLogger(terminal).then((log) => log.info({ token: 'secret-token', blocks: 3 }, 'listening on http://127.0.0.1:8080'));
    });
    await written;
    expect(text.startsWith('{')).toBe(false);
    expect(text).toMatch(/INFO.*listening on http:\/\/127\.0\.0\.1:8080/);
    expect(text).not.toContain('secret-token');
  });
});

describe('--listen', () => {
  it('takes HOST:PORT and [IPv6]:PORT', () => {
    expect(parseListen('127.0.0.1:8700')).toEqual({ host: '127.0.0.1', port: 8700 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('localhost:80')).toEqual({ host: 'localhost', port: 80 });
  });
  it('refuses anything else with a usage error', () => {
    for (const bad of ['8700', 'host', 'host:99999', '::1:80', 'a b:1']) expect(() => parseListen(bad), bad).toThrow(expect.objectContaining({ code: 'ZS_USAGE' }));
  });
});
