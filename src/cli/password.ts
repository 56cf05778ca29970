/**
 * Where the CLI gets a camera password: never argv. In order: --password-stdin (the first line
 * of standard input), the ZOOMSYNC_PASSWORD environment variable, or a prompt on the terminal
 * with echo off. Without any of them it is a usage error that says how to provide one, and so
 * is an empty password (nothing is sent with it). --password-stdin on a terminal prompts
 * without echo instead: reading the line the normal way would show the password as it is typed.
 */
import { CancelledError } from '../../protocols/errors.js';
import { UsageError, type CliIO } from './command.js';

type TtyIn = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
type RawTty = TtyIn & { setRawMode: (raw: boolean) => unknown };

export async function readPassword(io: CliIO, options: { fromStdin: boolean; prompt: string }): Promise<string> {
  const stdin = io.stdin as TtyIn;
  const onTerminal = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  let password: string;
  let source: string;
  if (options.fromStdin && !onTerminal) {
    password = await firstLine(io.stdin);
    source = 'the first line of standard input (--password-stdin)';
  } else if (!options.fromStdin && io.env.ZOOMSYNC_PASSWORD !== undefined) {
    password = io.env.ZOOMSYNC_PASSWORD;
    source = 'ZOOMSYNC_PASSWORD';
  } else if (onTerminal) {
    password = await promptHidden(stdin as RawTty, io.stderr, options.prompt);
    source = 'the prompt';
  } else {
    throw new UsageError('no password: set ZOOMSYNC_PASSWORD, pipe it with --password-stdin, or run in a terminal to be prompted');
  }
  if (password === '') throw new UsageError(`the password from ${source} is empty; give the camera user's password (nothing was sent)`);
  return password;
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    const newline = text.search(/\r?\n/);
    if (newline >= 0) return text.slice(0, newline);
  }
  return text;
}

/** Reads a line with echo off (raw mode); Ctrl-C cancels. */
function promptHidden(stdin: RawTty, out: NodeJS.WritableStream, prompt: string): Promise<string> {
  out.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      out.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CancelledError('password prompt cancelled; nothing was sent to the camera'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
