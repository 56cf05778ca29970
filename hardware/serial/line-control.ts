/**
 * Emergency stop from another shell, and who holds a line.
 *
 * A serial port has one holder at a time (serialport opens it with an exclusive lock). The
 * holder also serves a control socket named from the port's real path, so another process can
 * learn who holds the port (`PortBusyError` names the pid) and ask it to stop a camera through
 * its own scheduler, at top priority, without fighting over the port.
 *
 * Protocol, one text line each way:
 *   holder -> client on connect:  "zoomsync <pid> <what>"
 *   client -> holder:             "stop <address>" | "stop all"
 *   holder -> client:             "ok <addresses stopped, comma-separated>" | "error <message>"
 * The holder ends every connection when it lets the line go, so a client waiting for the port
 * (`--wait`) waits for its connection to close: an event, not a poll.
 *
 * Only the process that holds the port lock creates or removes the socket file: a socket file
 * present while we hold the lock was left by a holder that died, so it is removed then. A
 * client that finds the file but cannot connect treats it the same as no holder.
 *
 * @example
 *   const control = await LineControlServer.listen(line.name, { what: 'send', stopper: bus });
 *   ...
 *   await control.close();
 *
 *   const holder = await connectToHolder('/dev/ttyUSB0');
 *   if (holder) await holder.requestStop('all');
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, realpath, rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InvalidArgumentError, LineWriteFailedError, PortOpenFailedError } from '../../protocols/errors.js';

/** What a holder does when asked to stop: the part of BusScheduler it needs. */
export interface LineStopper {
  stop(address: number): void;
  stopAll(): number[];
}

export type StopTarget = number | 'all';

export interface LineControlOptions {
  /** A word for other processes: which command or service holds the line ('send', 'service'). */
  what: string;
  stopper: LineStopper;
  /** Called after a stop request was carried out (the holder may want to end its motion early). */
  onStopRequest?: (target: StopTarget, addresses: number[]) => void;
  /** Where XDG_RUNTIME_DIR is looked up. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Directory of the control sockets: $XDG_RUNTIME_DIR/zoomsync, else /tmp/zoomsync-<uid>. */
export function controlSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'zoomsync') : join(tmpdir(), `zoomsync-${process.getuid?.() ?? 'user'}`);
}

/**
 * The control socket of a port. Named from the port's real path, so /dev/serial/by-id/... and
 * the /dev/ttyUSB0 it points to share one socket. The hash keeps the name inside the 107-byte
 * limit of a Unix socket path; the base name keeps it readable in `ls`.
 */
export async function controlSocketPath(portPath: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const real = await realpath(portPath).catch(() => portPath);
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 12);
  return join(controlSocketDir(env), `${basename(real).replace(/[^\w.-]/g, '_').slice(0, 32)}-${hash}.sock`);
}

/**
 * Creates the socket directory (0700) or checks the one there: in a shared /tmp another user
 * could have made it first, to read or replace our sockets.
 */
async function privateDir(dir: string, portPath: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  const uid = process.getuid?.();
  if (!info.isDirectory() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o077) !== 0) {
    throw new PortOpenFailedError(
      portPath,
      `the control socket directory ${dir} is not a private directory of this user (owner uid ${info.uid}, mode ${(info.mode & 0o777).toString(8)}); ` +
        `remove it (or chmod 700 it if it is yours) and try again`,
    );
  }
}

/** The holder's side: serves stop requests for as long as it holds the line. */
export class LineControlServer {
  private readonly clients = new Set<Socket>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    /** The socket file this server listens on. */
    readonly path: string,
    private readonly options: LineControlOptions,
  ) {
    server.on('connection', (socket) => this.serve(socket));
  }

  /**
   * Starts serving. Call it only while holding the port (its lock): a socket file already
   * there belongs to a holder that died, and is replaced.
   */
  static async listen(portPath: string, options: LineControlOptions): Promise<LineControlServer> {
    if (typeof options.what !== 'string' || !/^[\w-]+$/.test(options.what)) {
      throw new InvalidArgumentError('what', options.what, 'one word naming the holder, e.g. "send"');
    }
    const path = await controlSocketPath(portPath, options.env);
    await privateDir(controlSocketDir(options.env), portPath);
    await rm(path, { force: true }); // stale: its holder died without removing it
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref(); // serving stops never keeps a finished process alive
    return new LineControlServer(server, path, options);
  }

  /** Stops serving: ends every client connection (a --wait client takes that as "free") and removes the socket file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of this.clients) client.destroy();
    await closed;
    await rm(this.path, { force: true });
  }

  private serve(socket: Socket): void {
    this.clients.add(socket);
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => {}); // a client that vanished is no problem of the holder's
    socket.setEncoding('utf8');
    socket.write(`zoomsync ${process.pid} ${this.options.what}\n`);
    onLines(socket, (line) => socket.write(this.answer(line) + '\n'));
  }

  private answer(request: string): string {
    const match = /^stop (all|\d{1,3})$/.exec(request.trim());
    if (!match) return `error unknown request "${request.slice(0, 40)}"; send "stop <address>" or "stop all"`;
    const target: StopTarget = match[1] === 'all' ? 'all' : Number(match[1]);
    try {
      const addresses = target === 'all' ? this.options.stopper.stopAll() : (this.options.stopper.stop(target), [target]);
      this.options.onStopRequest?.(target, addresses);
      return `ok ${addresses.join(',')}`;
    } catch (error) {
      return `error ${(error as Error).message.replace(/\n/g, ' ')}`;
    }
  }
}

/** A connection to the process that holds a line. */
export class LineHolder {
  private readonly lines: string[] = [];
  private readonly lineWaiters: ((line: string | undefined) => void)[] = [];
  private ended = false;
  /** Resolves when the holder lets the line go (or dies). */
  readonly released: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    readonly pid: number,
    /** The holder's own word for itself ('send', 'service', ...). */
    readonly what: string,
    greetingRest: string[],
  ) {
    this.lines.push(...greetingRest);
    onLines(socket, (line) => {
      const waiter = this.lineWaiters.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    this.released = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.released.then(() => {
      this.ended = true;
      for (const waiter of this.lineWaiters.splice(0)) waiter(undefined);
    });
  }

  /** Connects to a port's holder; undefined when no zoomsync process serves that port. */
  static async connect(portPath: string, env: NodeJS.ProcessEnv = process.env): Promise<LineHolder | undefined> {
    const path = await controlSocketPath(portPath, env);
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect(path);
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined)); // ENOENT: nobody; ECONNREFUSED: a dead holder's file
    });
    if (!socket) return undefined;
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    const greeting = await firstLine(socket, GREETING_TIMEOUT_MS);
    const match = greeting && /^zoomsync (\d+) ([\w-]+)$/.exec(greeting.line);
    if (!greeting || !match) {
      socket.destroy();
      return undefined;
    }
    return new LineHolder(socket, Number(match[1]), match[2]!, greeting.rest);
  }

  /** Whether the holder has let the line go (or died); a request then fails. */
  get isReleased(): boolean {
    return this.ended;
  }

  /** "pid 1234 (zoomsync send)", for messages. */
  describe(): string {
    return `pid ${this.pid} (zoomsync ${this.what})`;
  }

  /** Asks the holder to stop one camera or all it drives; resolves with the addresses it stopped. */
  async requestStop(target: StopTarget): Promise<number[]> {
    if (this.ended) throw this.goneError();
    const reply = new Promise<string | undefined>((resolve) => {
      const queued = this.lines.shift();
      if (queued !== undefined) resolve(queued);
      else this.lineWaiters.push(resolve);
    });
    this.socket.write(`stop ${target}\n`);
    const line = await reply;
    if (line === undefined) throw this.goneError();
    if (!line.startsWith('ok')) {
      throw new LineWriteFailedError(this.socket.remoteAddress ?? 'control socket', `${this.describe()} could not stop: ${line.replace(/^error /, '')}`);
    }
    return line.slice(3).split(',').filter(Boolean).map(Number);
  }

  /** Hangs up (the holder carries on). */
  close(): void {
    this.socket.destroy();
  }

  private goneError(): LineWriteFailedError {
    return new LineWriteFailedError('control socket', `${this.describe()} let the line go before it answered the stop request`);
  }
}

/** Calls onLine for every complete line the socket delivers. */
function onLines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    // A peer that never sends a newline must not grow our memory without bound.
    if (buffered.length > 4096) return void socket.destroy();
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      onLine(line);
    }
  });
}

/** A holder greets at once; a socket that stays silent this long is not one (treated as no holder). */
const GREETING_TIMEOUT_MS = 2000;

/** The first line a socket delivers, and any further complete lines that came with it; undefined if it closes or stays silent first. */
function firstLine(socket: Socket, timeoutMs: number): Promise<{ line: string; rest: string[] } | undefined> {
  return new Promise((resolve) => {
    let buffered = '';
    const finish = (result: { line: string; rest: string[] } | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: string) => {
      buffered += chunk;
      if (!buffered.includes('\n')) return;
      const lines = buffered.split('\n');
      lines.pop(); // the tail after the last newline (nothing: the greeting is one line)
      finish({ line: lines[0]!, rest: lines.slice(1) });
    };
    const onClose = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
  });
}
