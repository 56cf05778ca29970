/**
 * The control sockets of every line a command holds, so `zoomsync stop --port PATH` in another
 * shell reaches this process's schedulers at top priority instead of finding the port busy
 * (the protocol is in hardware/serial/line-control.ts). `serve` and `do` hold lines this way.
 */
import { LineControlServer, type LineStopper } from '../../hardware/serial/line-control.js';

/** What a control socket needs of a line: its port's real path and the scheduler that stops. */
export interface ControlledLine {
  readonly realPath: string;
  readonly bus: LineStopper;
}

export interface LineControlsOptions {
  /** One word for the other shell: which command holds the lines ('service', 'do'). */
  what: string;
  /** Where XDG_RUNTIME_DIR is looked up. */
  env: NodeJS.ProcessEnv;
}

export interface LineControls {
  /** Aborts once another shell's stop was carried out on one of the lines (a command holding motion ends then). */
  readonly stopRequested: AbortSignal;
  /** Closes every socket (clients waiting with --wait see their connection end). */
  close(): Promise<void>;
}

/** Serves one control socket per line; if one cannot be served, the ones already up are closed and the error thrown. */
export async function serveLineControls(lines: readonly ControlledLine[], options: LineControlsOptions): Promise<LineControls> {
  const servers: LineControlServer[] = [];
  const stopRequested = new AbortController();
  const close = async () => void (await Promise.allSettled(servers.map((s) => s.close())));
  try {
    for (const line of lines) {
      servers.push(await LineControlServer.listen(line.realPath, { what: options.what, stopper: line.bus, env: options.env, onStopRequest: () => stopRequested.abort() }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { stopRequested: stopRequested.signal, close };
}
