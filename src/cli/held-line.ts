/**
 * A serial line a CLI command holds: the port opened with its exclusive lock, one BusScheduler
 * driving it, and the control socket through which `zoomsync stop` in another shell reaches
 * that scheduler. A port another process holds fails at once with ZS_PORT_BUSY naming the
 * holder, or, with --wait MS, is waited for.
 */
import { BusScheduler } from '../../hardware/serial/bus-scheduler.js';
import { LineControlServer, LineHolder, type StopTarget } from '../../hardware/serial/line-control.js';
import { SerialLine } from '../../hardware/serial/serial-line.js';
import { InterruptedError, isZoomsyncError, LineWriteFailedError, PortBusyError } from '../../protocols/errors.js';
import { type DeviceProfile, type Dialect, encode } from '../../protocols/pelco/index.js';
import { type CliIO, type ParsedArgs, parseInteger, stringOption, writeLine } from './command.js';
import { lineOptionsFrom } from './serial-options.js';
import { interruptSignal } from './signals.js';
import { WatchedLine } from './watched-line.js';

export interface HoldLineOptions {
  /** One word for `zoomsync stop` and PortBusyError: which command holds the line. */
  what: string;
  dialect: Dialect;
  profile: DeviceProfile;
  /** The scheduler's query timeout; queries are not retried (a CLI user reruns). */
  queryTimeoutMs?: number;
  /** Called when another shell's `zoomsync stop` stopped a camera through this line. */
  onRemoteStop?: (target: StopTarget, addresses: number[]) => void;
}

export interface HeldLine {
  line: WatchedLine;
  bus: BusScheduler;
  /** Writes the stop for `address` through the scheduler and resolves once it is on the wire; rejects with LineWriteFailedError. */
  stopAndConfirm(address: number): Promise<void>;
  /** Closes the scheduler (queued stops still go out), the port, then the control socket. */
  release(): Promise<void>;
}

/** Rechecks a port held by a program that serves no control socket (a serial console) this often while waiting. */
const FOREIGN_HOLDER_RECHECK_MS = 100;

export async function holdLine(parsed: ParsedArgs, io: CliIO, options: HoldLineOptions): Promise<HeldLine> {
  const lineOptions = lineOptionsFrom(parsed, io);
  const waitText = stringOption(parsed, 'wait');
  const waitMs = waitText === undefined ? undefined : parseInteger('--wait', waitText, 0, 86_400_000);
  const serial = await openExclusive(() => new SerialLine({ ...lineOptions, reconnect: { enabled: false } }), io, waitMs);
  const line = new WatchedLine(serial);
  const bus = new BusScheduler(line, { dialect: options.dialect, profile: options.profile, queryTimeoutMs: options.queryTimeoutMs, queryRetries: 0 });
  bus.on('problem', (error) => writeLine(io.stderr, `zoomsync: warning: ${error.message}`));
  let control: LineControlServer;
  try {
    control = await LineControlServer.listen(serial.name, { what: options.what, stopper: bus, onStopRequest: options.onRemoteStop, env: io.env });
  } catch (error) {
    await bus.close();
    await serial.close();
    throw error;
  }
  return {
    line,
    bus,
    stopAndConfirm(address) {
      // The same bytes the scheduler sends: same dialect and profile.
      const stopBytes = encode({ kind: 'stop' }, { dialect: options.dialect, address, profile: options.profile });
      const written = line.whenWritten(stopBytes, () => new LineWriteFailedError(serial.name, `${serial.name} closed before the stop was written`));
      try {
        bus.stop(address);
      } catch (error) {
        return Promise.reject(error);
      }
      return written.catch((cause: unknown) => {
        throw new LineWriteFailedError(
          serial.name,
          `the stop was NOT sent, so camera ${address} may still be moving (${(cause as Error).message}); send 'stop' as soon as the port is back`,
          { cause },
        );
      });
    },
    async release() {
      await bus.close();
      await serial.close();
      // Last: closing the socket is what wakes a --wait client, and the port must be free by then.
      await control.close();
    },
  };
}


/**
 * Opens the port with its lock. A port held by another process fails with PortBusyError, or
 * with waitMs is retried when its holder lets go (the holder's control socket closes), until
 * waitMs has passed.
 */
async function openExclusive(makeLine: () => SerialLine, io: CliIO, waitMs: number | undefined): Promise<SerialLine> {
  const deadline = waitMs === undefined ? undefined : performance.now() + waitMs;
  let told = false;
  for (;;) {
    const line = makeLine();
    line.on('error', () => {}); // a one-shot command hears of failures through its writes
    try {
      await line.open();
      return line;
    } catch (error) {
      if (!isLockFailure(error)) throw error;
      const holder = await LineHolder.connect(line.name, io.env);
      const who = holder?.describe();
      const left = deadline === undefined ? 0 : deadline - performance.now();
      if (left <= 0) {
        holder?.close();
        throw busyError(line.name, who, waitMs, error);
      }
      if (!told) {
        writeLine(io.stderr, `zoomsync: ${line.name} is held by ${who ?? 'another program'}; waiting up to ${waitMs} ms for it`);
        told = true;
      }
      // Wait for the holder to let go; a holder without a control socket is rechecked now and then.
      const interrupted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), holder ? left : Math.min(left, FOREIGN_HOLDER_RECHECK_MS));
        const settle = (value: boolean) => {
          clearTimeout(timer);
          resolve(value);
        };
        void holder?.released.then(() => settle(false));
        void io.interrupted.then(() => settle(true));
      });
      holder?.close();
      if (interrupted) {
        throw new InterruptedError(interruptSignal(io), `interrupted while waiting for ${line.name} (held by ${who ?? 'another program'}); nothing was sent`);
      }
    }
  }
}

/** serialport reports a held lock only as strerror text (EAGAIN: "Cannot lock port"). */
function isLockFailure(error: unknown): boolean {
  if (!isZoomsyncError(error, 'ZS_PORT_OPEN_FAILED')) return false;
  const cause = (error as { cause?: unknown }).cause;
  return /cannot lock port|resource temporarily unavailable|EAGAIN|EBUSY/i.test(cause instanceof Error ? cause.message : String(cause));
}

function busyError(path: string, holder: string | undefined, waitMs: number | undefined, cause: unknown): PortBusyError {
  const by = holder ?? 'another program (find it with: fuser ' + path + ')';
  const message =
    waitMs === undefined
      ? `${path} is held by ${by}; add --wait MS to wait for it to be free` +
        (holder ? `, or stop its camera from here with: zoomsync stop --port ${path} --all` : '')
      : `${path} was still held by ${by} after waiting ${waitMs} ms; wait longer with a bigger --wait` +
        (holder ? `, or stop its camera with: zoomsync stop --port ${path} --all` : '');
  return new PortBusyError(path, holder, message, { cause });
}

/** The --wait option every command that holds a line takes. */
export const WAIT_OPTION = { wait: { type: 'string' } } as const;
export const WAIT_OPTION_HELP = `  --wait MS           when another zoomsync holds the port, wait up to MS for it instead of failing`;
