/**
 * Confirmation before an action that can cut a camera off or wipe it (new network settings,
 * factory default, reboot, firmware). On a terminal it shows what will happen and wants "yes"
 * typed out; anywhere else (a script, a pipe) it wants --yes on the command line, because
 * there is nobody to ask. Nothing reaches the camera before this returns.
 */
import { CancelledError, UsageError } from '../../protocols/errors.js';
import { type CliIO, writeLine } from './command.js';

export interface ConfirmRequest {
  /** What will be done, as a verb phrase: "change the camera's network settings". */
  action: string;
  /** What the user should know first, one line each (the new address, what is lost, ...). */
  details: readonly string[];
  /** --yes was given. */
  yes: boolean;
}

export async function confirm(io: CliIO, request: ConfirmRequest): Promise<void> {
  if (request.yes) return;
  if (!io.stdin.isTTY) {
    throw new UsageError(`${request.action} needs confirmation: add --yes (standard input is not a terminal, so zoomsync cannot ask)`);
  }
  writeLine(io.stderr, `zoomsync is about to ${request.action}:`);
  for (const line of request.details) writeLine(io.stderr, `  ${line}`);
  io.stderr.write('Type yes to go ahead: ');
  const answer = await readLine(io.stdin, io.interrupted);
  if (answer === undefined) {
    writeLine(io.stderr);
    throw new CancelledError(`${request.action}: cancelled; nothing was sent to the camera`);
  }
  if (answer.trim().toLowerCase() !== 'yes') {
    throw new CancelledError(`${request.action}: not confirmed (answered ${JSON.stringify(answer.trim())}, not "yes"); nothing was sent to the camera`);
  }
}

/** One line from a terminal in its normal (echoing, line-edited) mode; undefined at its end or on Ctrl-C. */
function readLine(stdin: NodeJS.ReadableStream, interrupted: Promise<void>): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    let finished = false;
    const finish = (line: string | undefined) => {
      if (finished) return;
      finished = true;
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.pause();
      resolve(line);
    };
    void interrupted.then(() => finish(undefined));
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      const newline = text.search(/\r?\n|\r/);
      if (newline >= 0) finish(text.slice(0, newline));
    };
    const onEnd = () => finish(text || undefined);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
