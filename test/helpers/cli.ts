import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  /** What the command has printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has `count` lines matching `pattern` (rejects after timeoutMs). */
  waitForLines(pattern: RegExp, count?: number, timeoutMs?: number): Promise<string[]>;
  /** Ctrl-C. */
  interrupt(): void;
  done: Promise<CliRun>;
}

/**
 * Starts the real `zoomsync` main() in-process with captured streams; interrupt() is Ctrl-C.
 * `stdin`: the whole input as a string (then its end), or a stream the test goes on writing to.
 */
export function startCli(args: string[], options: { stdin?: string | NodeJS.ReadableStream; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = typeof options.stdin === 'object' ? options.stdin : new PassThrough().end(options.stdin ?? '');
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  let interrupt!: () => void;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const io: CliIO = { stdout, stderr, stdin, env: options.env ?? {}, interrupted };
  const done = main(args, io).then((code) => ({ code, stdout: out, stderr: err }));
  return {
    stdout: () => out,
    stderr: () => err,
    async waitForLines(pattern, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lines = out.split('\n').filter((line) => pattern.test(line));
        if (lines.length >= count) return lines;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} line(s) matching ${pattern}; stdout so far:\n${out}\nstderr:\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    interrupt,
    done,
  };
}

/** Runs `zoomsync` to completion; `interrupt` (when given) is Ctrl-C once it settles. */
export async function runCli(args: string[], options: { stdin?: string | NodeJS.ReadableStream; env?: NodeJS.ProcessEnv; interrupt?: Promise<unknown> } = {}): Promise<CliRun> {
  const running = startCli(args, options);
  options.interrupt?.then(running.interrupt, running.interrupt);
  return running.done;
}
