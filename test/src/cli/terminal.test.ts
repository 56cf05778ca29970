import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/command.js';
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
