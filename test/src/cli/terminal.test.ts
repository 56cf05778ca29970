import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CancelledError, UsageError } from '../../../protocols/errors.js';
import type { CliIO } from '../../../src/cli/command.js';
import { moveText } from '../../../src/cli/commands/camera.js';
import { confirm } from '../../../src/cli/confirm.js';
import { maskingStream, maskSecrets, passwordForms } from '../../../src/cli/mask-secrets.js';
import { readPassword } from '../../../src/cli/password.js';
import { progressReporter } from '../../../src/cli/progress.js';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 60 });
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

describe('progress', () => {
  it('redraws one bar on a terminal', () => {
    const out = capture(true);
    const p = progressReporter(out.stream);
    p.update('upload', 0);
    p.update('upload', 50);
    p.update('upload', 100);
    p.update('upgrade', 10);
    p.done();
    const text = out.text();
    expect(text.split('\r')).toHaveLength(5);
    expect(text).toMatch(/upload .*100%\n\rupgrade/);
    expect(text).toContain('#'.repeat(30) + ']');
    expect(text.endsWith(' 10%\n')).toBe(true);
  });

  it('prints a line per 10 % step otherwise', () => {
    const out = capture(false);
    const p = progressReporter(out.stream);
    for (let i = 0; i <= 100; i++) p.update('upload', i);
    p.update('upgrade', 5);
    expect(out.text().split('\n').filter(Boolean)).toEqual([...Array.from({ length: 11 }, (_, i) => `upload ${i * 10}%`), 'upgrade 5%']);
  });
});

describe('password', () => {
  function io(env: Record<string, string>, stdin: NodeJS.ReadableStream & { isTTY?: boolean }) {
    const stderr = capture(false);
    const cli: CliIO = { stdout: new PassThrough(), stderr: stderr.stream, stdin, env, interrupted: new Promise(() => {}) };
    return { cli, stderr };
  }

  it('prompts on a terminal with echo off, handling backspace', async () => {
    const modes: boolean[] = [];
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => modes.push(raw) });
    const { cli, stderr } = io({}, stdin);
    const pending = readPassword(cli, { fromStdin: false, prompt: 'Password: ' });
    stdin.write('sec');
    stdin.write('x\u007fret\r');
    expect(await pending).toBe('secret');
    expect(modes).toEqual([true, false]);
    expect(stderr.text()).toBe('Password: \n'); // nothing echoed
  });

  it('Ctrl-C at the prompt cancels', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    const pending = readPassword(io({}, stdin).cli, { fromStdin: false, prompt: '' });
    stdin.write('ab\u0003');
    await expect(pending).rejects.toMatchObject({ code: 'ZS_CANCELLED' });
  });

  it('prefers ZOOMSYNC_PASSWORD to a prompt, and --password-stdin to both', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    expect(await readPassword(io({ ZOOMSYNC_PASSWORD: 'env' }, tty).cli, { fromStdin: false, prompt: '' })).toBe('env');
    const piped = new PassThrough();
    piped.end('piped\nrest');
    expect(await readPassword(io({ ZOOMSYNC_PASSWORD: 'env' }, piped).cli, { fromStdin: true, prompt: '' })).toBe('piped');
  });
});

describe('password: more sources', () => {
  function io(env: Record<string, string>, stdin: NodeJS.ReadableStream & { isTTY?: boolean }) {
    const stderr = capture(false);
    const cli: CliIO = { stdout: new PassThrough(), stderr: stderr.stream, stdin, env, interrupted: new Promise(() => {}) };
    return { cli, stderr };
  }

  it('--password-stdin on a terminal prompts with echo off instead of reading an echoed line', async () => {
    const modes: boolean[] = [];
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (raw: boolean) => modes.push(raw) });
    const { cli, stderr } = io({ ZOOMSYNC_PASSWORD: 'env' }, stdin);
    const pending = readPassword(cli, { fromStdin: true, prompt: 'Password: ' });
    stdin.write('typed\r');
    expect(await pending).toBe('typed');
    expect(modes).toEqual([true, false]);
    expect(stderr.text()).toBe('Password: \n');
  });

  it('an empty password is a usage error, from any source', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    const pending = readPassword(io({}, tty).cli, { fromStdin: false, prompt: '' });
    tty.write('\r');
    await expect(pending).rejects.toMatchObject({ code: 'ZS_USAGE', message: expect.stringMatching(/from the prompt is empty/) });
    await expect(readPassword(io({ ZOOMSYNC_PASSWORD: '' }, new PassThrough()).cli, { fromStdin: false, prompt: '' })).rejects.toBeInstanceOf(UsageError);
    const piped = new PassThrough();
    piped.end('\nsecond line');
    await expect(readPassword(io({}, piped).cli, { fromStdin: true, prompt: '' })).rejects.toBeInstanceOf(UsageError);
  });

  it('Ctrl-C at the prompt is a CancelledError', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
    const pending = readPassword(io({}, stdin).cli, { fromStdin: false, prompt: '' });
    stdin.write('\u0003');
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('confirm', () => {
  function io(isTTY: boolean) {
    const stdin = Object.assign(new PassThrough(), { isTTY });
    const stderr = capture(false);
    let interrupt!: () => void;
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    const cli: CliIO = { stdout: new PassThrough(), stderr: stderr.stream, stdin, env: {}, interrupted };
    return { cli, stdin, stderr, interrupt };
  }
  const request = { action: "change the camera's network settings", details: ['address: 10.9.8.7'] };

  it('on a terminal shows what will happen and goes ahead on "yes"', async () => {
    const t = io(true);
    const pending = confirm(t.cli, { ...request, yes: false });
    t.stdin.write('yes\n');
    await pending;
    expect(t.stderr.text()).toBe("zoomsync is about to change the camera's network settings:\n  address: 10.9.8.7\nType yes to go ahead: ");
    expect(t.stdin.listenerCount('data')).toBe(0);
  });

  it('on a terminal any other answer cancels', async () => {
    for (const answer of ['no\n', 'y\n', '\n']) {
      const t = io(true);
      const pending = confirm(t.cli, { ...request, yes: false });
      t.stdin.write(answer);
      await expect(pending, answer).rejects.toMatchObject({ code: 'ZS_CANCELLED', message: expect.stringMatching(/not confirmed.*nothing was sent/) });
    }
  });

  it('Ctrl-C or the end of input at the question cancels', async () => {
    const t = io(true);
    const pending = confirm(t.cli, { ...request, yes: false });
    t.interrupt();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(t.stdin.listenerCount('data')).toBe(0);
    const ended = io(true);
    const atEnd = confirm(ended.cli, { ...request, yes: false });
    ended.stdin.end();
    await expect(atEnd).rejects.toBeInstanceOf(CancelledError);
  });

  it('without a terminal wants --yes: a usage error that says to add it', async () => {
    const t = io(false);
    await expect(confirm(t.cli, { ...request, yes: false })).rejects.toMatchObject({ code: 'ZS_USAGE', message: expect.stringMatching(/add --yes/) });
    expect(t.stderr.text()).toBe('');
  });

  it('--yes goes ahead without asking, on a terminal too', async () => {
    const t = io(true);
    await confirm(t.cli, { ...request, yes: true });
    expect(t.stderr.text()).toBe('');
  });
});

describe('masking the password', () => {
  const password = 'p"w\\rd';
  const forms = passwordForms(password);
  const hash = createHash('sha256').update(password).digest('hex');

  it('masks the exact text, its JSON and URL forms, and its SHA-256 in both cases', () => {
    expect(maskSecrets(`say ${password} or ${JSON.stringify(password)} or ${encodeURIComponent(password)}`, forms)).toBe('say *** or "***" or ***');
    expect(maskSecrets(`h=${hash} H=${hash.toUpperCase()}`, forms)).toBe('h=*** H=***');
    expect(passwordForms('')).toEqual([]);
  });

  it('a masking stream masks every write, including secrets learned later, and keeps isTTY', () => {
    const out = capture(true);
    const secrets: string[] = [];
    const masked = maskingStream(out.stream, secrets);
    masked.write('before secret\n');
    secrets.push('secret');
    masked.write(Buffer.from('after secret\n'));
    expect(out.text()).toBe('before secret\nafter ***\n');
    expect((masked as typeof out.stream).isTTY).toBe(true);
  });
});

describe('zoom-to output', () => {
  it('prints the read-back position, says when it stopped short, and never prints the requested value as reached', () => {
    expect(moveText('zoom', { requested: 250, reached: 250, settled: true, lens: undefined })).toEqual(['zoom: 250']);
    expect(moveText('zoom', { requested: 250, reached: 240, settled: true, lens: undefined })).toEqual(['zoom: 240 (asked 250)']);
    const unknown = moveText('zoom', { requested: 250, reached: undefined, settled: false, lens: undefined, problem: 'still moving after 15 s' });
    expect(unknown).toEqual(['zoom: position unknown (asked 250): still moving after 15 s']);
    expect(unknown.join('')).not.toMatch(/zoom: 250\b/);
  });
});
