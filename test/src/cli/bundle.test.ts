/**
 * The bundled executable (dist/bundle/zoomsync.js, what package.json's "bin", `npm start` and
 * the systemd unit run) built from the sources into a temp folder whose node_modules links to
 * ours, then run as a real process.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../../../src/cli/build-bundle.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function run(entry: string, args: string[]) {
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const stdoutLine = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((found, fail) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) found(match);
      };
      child.stdout.on('data', check);
      void exited.then(() => fail(new Error(`exited before printing ${pattern}:\n${stdout}\n${stderr}`)));
      check();
    });
  return { child, exited, stdoutLine, output: () => ({ stdout, stderr }) };
}

describe('the bundled zoomsync executable', () => {
  let dir: string;
  let entry: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-bundle-'));
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    ({ entry } = await bundleCli({ entry: join(ROOT, 'src/cli/bin.ts'), outdir: join(dir, 'bundle') }));
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints its help and exits 0', async () => {
    const cli = run(entry, ['--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.output().stdout).toMatch(/^zoomsync — /);
  });

  it('serve --sim answers REST over the HTTP side of its blocks (undici bundled) and exits 0 on SIGTERM', async () => {
    const cli = run(entry, ['serve', '--sim', '--listen', '127.0.0.1:0']);
    try {
      const [, url] = await cli.stdoutLine(/zoomsync console: (http:\/\/[^/]+)\//);
      const [, token] = await cli.stdoutLine(/admin token: (\S+)/);
      const response = await fetch(`${url}/api/blocks/wide/camera/identity`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, await response.clone().text()).toBe(200);
      expect(((await response.json()) as { identity: { model: string } }).identity.model).toBe('SZ-G10');
      const metrics = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(await metrics.text()).toMatch(/^zoomsync_line_open\{line="wide"\} 1$/m);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited, cli.output().stderr).toBe(0);
  });
});
