/**
 * The real `zoomsync` executable in a child process, for what an in-process run cannot show:
 * signals, exit codes, two processes contending for one port.
 *
 * The CLI is bundled once per test file with rolldown (vite's bundler, already installed with
 * vitest) into a temp directory whose node_modules links to ours: no `npm run build` needed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'rolldown';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface BuiltCli {
  bin: string;
  /** A fresh XDG_RUNTIME_DIR for this file's control sockets. */
  runtimeDir: string;
  remove(): Promise<void>;
}

export async function buildCli(): Promise<BuiltCli> {
  const dir = await mkdtemp(join(tmpdir(), 'zoomsync-cli-'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const bin = join(dir, 'bin.mjs');
  await build({ input: join(ROOT, 'src/cli/bin.ts'), platform: 'node', external: [/^[^./]/], output: { dir, entryFileNames: 'bin.mjs', chunkFileNames: '[name]-[hash].mjs', format: 'esm' }, logLevel: 'silent' });
  const runtimeDir = join(dir, 'run');
  return { bin, runtimeDir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface SpawnedCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr has a line matching pattern (an event: every chunk rechecks). */
  stderrLine(pattern: RegExp): Promise<string>;
  /** The exit code; 128 + n when a signal killed it (as a shell reports it). */
  exited: Promise<number>;
}

/** `nodeArgs` go before the script (e.g. --import of a module that injects a fault). */
export function spawnCli(cli: BuiltCli, args: string[], nodeArgs: string[] = []): SpawnedCli {
  const child = spawn(process.execPath, [...nodeArgs, cli.bin, ...args], { env: { ...process.env, XDG_RUNTIME_DIR: cli.runtimeDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? (({ SIGKILL: 9, SIGINT: 2, SIGTERM: 15 }) as Record<string, number>)[signal] ?? 0 : 0))),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    stderrLine: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const line = err.split('\n').find((l) => pattern.test(l));
          if (line === undefined) return false;
          child.stderr!.off('data', check);
          resolve(line);
          return true;
        };
        if (check()) return;
        child.stderr!.on('data', check);
        void exited.then(() => check() || reject(new Error(`exited without a stderr line matching ${pattern}; stderr:\n${err}`)));
      }),
    exited,
  };
}

/**
 * Resolves once the process is stopped by job control (state T in /proc/PID/stat). A process
 * that re-raises SIGTSTP is suspended a moment after it says so; a SIGCONT sent before that
 * moment is lost and leaves it suspended for good. No event tells us, so the state is read.
 */
export async function suspended(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => '');
    // the state is the first field after the parenthesised command name
    if (/\)\s+T\b/.test(stat)) return;
    if (Date.now() > deadline) throw new Error(`process ${child.pid} did not suspend within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
