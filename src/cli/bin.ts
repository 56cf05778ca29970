#!/usr/bin/env node
/** The `zoomsync` executable: runs main() with the process's streams, signals and exit code. */
import type { CliIO } from './command.js';
import { main } from './main.js';

function processIO(): CliIO {
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, interrupted };
}

main(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
    // Commands that hold handles (serial ports, servers) close them before returning;
    // exit explicitly so a forgotten timer can never keep the CLI alive.
    setImmediate(() => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`zoomsync: ${String(error)}\n`);
    process.exit(1);
  },
);
