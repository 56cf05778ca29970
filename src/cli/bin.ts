#!/usr/bin/env node
/** The `zoomsync` executable: runs main() with the process's streams, signals and exit code. */
import { runEmergencyStops } from './emergency-stop.js';
import { exitWhenFlushed } from './exit.js';
import { main } from './main.js';
import { type ProcessIO, ProcessSignals } from './signals.js';

function processIO(): ProcessIO {
  // SIGINT, SIGTERM, SIGHUP and SIGQUIT all end a command the same way: it stops what it moves first.
  const signals = new ProcessSignals();
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, interrupted: signals.interrupted, signals };
}

// `zoomsync decode ... | head`: the reader leaving is the end of the job, not a crash with a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw error;
  });
}

// An error no command caught (thrown in a timer or listener) would end the process mid-move:
// send the registered stops first, say what happened, then exit 1.
let dying = false;
const die = (error: unknown): void => {
  if (dying) return;
  dying = true;
  process.stderr.write(`zoomsync: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  void runEmergencyStops().then(({ sent, failures }) => {
    for (const failure of failures) process.stderr.write(`zoomsync: ${(failure as Error).message}\n`);
    if (sent > 0) process.stderr.write(`zoomsync: sent ${sent === 1 ? 'a stop' : `${sent} stops`} before exiting\n`);
    void exitWhenFlushed(1, [process.stdout, process.stderr]);
  });
};
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

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
