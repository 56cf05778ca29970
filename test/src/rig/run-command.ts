/** Runs one CliCommand object in-process (for commands built with test wiring, such as a group factory). */
import { PassThrough } from 'node:stream';
import { isZoomsyncError } from '../../../protocols/errors.js';
import type { CliCommand, CliIO } from '../../../src/cli/command.js';

export interface CommandRun {
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has a line matching pattern (checked on every chunk). */
  line(pattern: RegExp): Promise<string>;
  interrupt(): void;
  done: Promise<{ code: number; stdout: string; stderr: string; error?: unknown }>;
}

export function startCommand(command: CliCommand, args: string[], env: NodeJS.ProcessEnv = {}): CommandRun {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  let interrupt!: () => void;
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const io: CliIO = { stdout, stderr, stdin, env, interrupted };
  const done = command.run(args, io).then(
    (code) => ({ code, stdout: out, stderr: err }),
    (error: unknown) => ({ code: isZoomsyncError(error, 'ZS_USAGE') || isZoomsyncError(error, 'ZS_INVALID_ARGUMENT') || isZoomsyncError(error, 'ZS_NOT_SUPPORTED') ? 2 : 1, stdout: out, stderr: err + String(error), error }),
  );
  return {
    stdout: () => out,
    stderr: () => err,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = out.split('\n').find((l) => pattern.test(l));
          if (found === undefined) return false;
          stdout.off('data', check);
          resolve(found);
          return true;
        };
        if (check()) return;
        stdout.on('data', check);
        void done.then(() => check() || reject(new Error(`ended without a stdout line matching ${pattern}; stdout:\n${out}\nstderr:\n${err}`)));
      }),
    interrupt,
    done,
  };
}
