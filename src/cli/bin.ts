#!/usr/bin/env node
/** The `zoomsync` executable: runs main() with the process's streams, signals and exit code. */
import type { CliIO } from './command.js';
import { exitWhenFlushed } from './exit.js';
import { main } from './main.js';

function processIO(): CliIO {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    process.once('SIGHUP', () => resolve()); // the terminal closed: end as on Ctrl-C, so `sim` removes its ptys
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, interrupted };
}

// `zoomsync decode ... | head`: the reader leaving is the end of the job, not a crash with a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
    // Commands that hold handles (serial ports, servers) close them before returning;
    // exit explicitly so a forgotten timer can never keep the CLI alive, but only once the
    // output is out (a piped stdout still had most of a long decode queued).
    void exitWhenFlushed(code, [process.stdout, process.stderr]);
  },
  (error: unknown) => {
    process.stderr.write(`zoomsync: ${String(error)}\n`);
    process.exit(1);
  },
);
