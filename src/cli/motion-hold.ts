/**
 * Holding a rig's motion for a CLI command until it ends, and making sure a stop reaches the
 * wire whatever ends it: the move arriving, --for elapsing, Ctrl-C / kill / a closed terminal,
 * Ctrl-Z (stopped before the shell suspends), `zoomsync stop` from another shell, an error, or
 * an exception nobody caught.
 */
import { type CliIO, writeLine } from './command.js';
import { onFatalErrorStop } from './emergency-stop.js';
import { type EndSignal, interruptSignal, processSignals } from './signals.js';

export type HoldEnding = 'done' | 'elapsed' | 'interrupted' | 'suspended' | 'remote';

export interface MotionHold {
  /** Aborted when the user asks the command to end (or Ctrl-Z stopped the motion). */
  readonly signal: AbortSignal;
  /** Resolves after ms (or never, without ms), or when the signal aborts: whichever is first. */
  until(ms: number | undefined): Promise<HoldEnding>;
  /** Why the hold ended early, if it did. */
  readonly ending: HoldEnding;
  readonly endSignal: EndSignal;
  release(): void;
}

/**
 * Starts holding: `stop` is what ends the motion (sent on Ctrl-Z and on a fatal error here;
 * the caller sends it for every other ending). After Ctrl-Z and a resume the hold ends as
 * 'suspended' (the motion is already stopped). `what` names the target in messages.
 * `remoteStop` aborts when another shell's `zoomsync stop` reached one of our lines: the hold
 * ends as 'remote'.
 */
export function holdMotion(io: CliIO, command: string, what: string, stop: () => Promise<unknown>, remoteStop?: AbortSignal): MotionHold {
  const controller = new AbortController();
  let ending: HoldEnding = 'done';
  const end = (why: HoldEnding) => {
    if (ending === 'done') ending = why;
    controller.abort();
  };
  void io.interrupted.then(() => end('interrupted'));
  if (remoteStop?.aborted) end('remote');
  else remoteStop?.addEventListener('abort', () => end('remote'), { once: true });
  const uninstallSuspend = processSignals(io)?.onSuspend(
    async () => {
      try {
        await stop();
        writeLine(io.stderr, `zoomsync ${command}: Ctrl-Z: sent a stop to ${what} before suspending`);
      } catch (error) {
        writeLine(io.stderr, `zoomsync ${command}: Ctrl-Z: ${(error as Error).message}`);
      }
    },
    () => {
      // the move ended at Ctrl-Z: after fg/bg the command ends too, without moving again
      writeLine(io.stderr, `zoomsync ${command}: resumed; ${what} stays stopped (the move ended at Ctrl-Z)`);
      end('suspended');
    },
  );
  const unregisterFatal = onFatalErrorStop(async () => void (await stop()));
  return {
    signal: controller.signal,
    get ending() {
      return ending;
    },
    get endSignal() {
      return interruptSignal(io);
    },
    until(ms) {
      if (controller.signal.aborted) return Promise.resolve(ending);
      return new Promise((resolve) => {
        const timer = ms === undefined ? undefined : setTimeout(() => finish('elapsed'), ms);
        controller.signal.addEventListener('abort', () => finish(ending), { once: true });
        function finish(why: HoldEnding) {
          clearTimeout(timer);
          resolve(why);
        }
      });
    },
    release() {
      uninstallSuspend?.();
      unregisterFatal();
    },
  };
}
