import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `zoomsync` main() in-process with captured streams. `interrupt` resolves the
 * command's Ctrl-C promise (after the given promise settles, or at once when true).
 */
export async function runCli(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; interrupt?: Promise<unknown> } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  stdin.end(options.stdin ?? '');
  const io: CliIO = { stdout, stderr, stdin, env: options.env ?? {}, interrupted: options.interrupt ? options.interrupt.then(() => undefined) : new Promise(() => {}) };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}
