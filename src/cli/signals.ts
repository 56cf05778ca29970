/**
 * The signals that end or suspend a CLI command, and the exit codes they map to.
 *
 * SIGINT (Ctrl-C), SIGTERM (kill, systemd), SIGHUP (the terminal or SSH session went away) and
 * SIGQUIT (Ctrl-\) all ask a command to end: a command holding a moving camera stops it first.
 * A second one while the first is being handled ends the process at once. SIGTSTP (Ctrl-Z) is
 * the command's to handle while it drives motion (see onSuspend).
 */
import { constants } from 'node:os';
import type { CliIO } from './command.js';

export const END_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
export type EndSignal = (typeof END_SIGNALS)[number];

/** The shell's convention: 128 + the signal number (130 for SIGINT). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 2);
}

export class ProcessSignals {
  /** The first end signal received. */
  received: EndSignal | undefined;
  readonly interrupted: Promise<void>;

  constructor(private readonly proc: NodeJS.Process = process) {
    this.interrupted = new Promise<void>((resolve) => {
      for (const signal of END_SIGNALS) {
        proc.on(signal, () => {
          if (this.received !== undefined) {
            proc.stderr.write(`zoomsync: ${signal} again: exiting at once\n`);
            proc.exit(exitCodeForSignal(signal));
          }
          this.received = signal;
          resolve();
        });
      }
    });
  }

  /**
   * While installed, Ctrl-Z runs `beforeSuspend` (stop the motion, say so) and then suspends the
   * process for real: the handler removes itself and raises SIGTSTP again, which now takes its
   * default action. `afterResume` runs on the SIGCONT of `fg`/`bg`. Returns the uninstaller.
   */
  onSuspend(beforeSuspend: () => Promise<void>, afterResume: () => void): () => void {
    const onTstp = () => {
      this.proc.off('SIGTSTP', onTstp);
      void beforeSuspend().finally(() => {
        this.proc.once('SIGCONT', afterResume);
        this.proc.kill(this.proc.pid, 'SIGTSTP');
      });
    };
    this.proc.on('SIGTSTP', onTstp);
    return () => this.proc.off('SIGTSTP', onTstp);
  }
}

/** The CliIO of the real process: it also knows which signal arrived. */
export interface ProcessIO extends CliIO {
  signals: ProcessSignals;
}

/** The signal that interrupted the command: the real one in a process, Ctrl-C for an in-process caller. */
export function interruptSignal(io: CliIO): EndSignal {
  return (io as Partial<ProcessIO>).signals?.received ?? 'SIGINT';
}

/** The process's signals when the command runs as the real CLI; undefined in-process (tests, a library caller). */
export function processSignals(io: CliIO): ProcessSignals | undefined {
  return (io as Partial<ProcessIO>).signals;
}
