/**
 * LineRegistry: one SerialLine and one BusScheduler per physical serial port. Two names for the
 * same port (a /dev/serial/by-id link and /dev/ttyUSB0) resolve, through fs.realpath, to one
 * entry and share its scheduler, so their frames are paced on one timeline and never collide.
 * close() puts a stop for every device on every line before the lines close.
 */
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BusScheduler, type BusSchedulerOptions } from '../../hardware/serial/bus-scheduler.js';
import type { DirectionControl, SerialLineOptions } from '../../hardware/serial/line-options.js';
import { SerialLine } from '../../hardware/serial/serial-line.js';
import { InvalidArgumentError } from '../../protocols/errors.js';
import { type DeviceProfile, type Dialect, SZ_G10_PROFILE } from '../../protocols/pelco/index.js';

/** A line as the rig file describes it. */
export interface LineSpec {
  name: string;
  /** Device path, e.g. /dev/ttyUSB0. */
  port: string;
  /** Default 9600. */
  baud?: number;
  /** Default 'auto'. 'gpio' needs LineRegistryOptions.setTransmit. */
  direction?: DirectionControl['mode'];
  turnaroundMs?: number;
}

/** What every frame on one line shares (the scheduler has one of each). */
export interface LineProtocol {
  dialect: Dialect;
  profile: DeviceProfile;
}

export interface LineRegistryOptions {
  /** SerialLine options other than path, baud and direction (reconnect, presenceCheckMs, onWarning …). */
  line?: Omit<SerialLineOptions, 'path' | 'baudRate' | 'direction'>;
  /** BusScheduler options other than dialect and profile (which come from the line's blocks). */
  scheduler?: Omit<BusSchedulerOptions, 'dialect' | 'profile'>;
  /** Drives the transmit-enable pin of a line with direction 'gpio', by line name. */
  setTransmit?: (line: string, on: boolean) => void | Promise<void>;
  /** Keep trying to open a port that is missing, as after a loss, instead of failing. Default false. */
  waitForPorts?: boolean;
}

export interface LineHandle {
  /** The names the rig gives this port. */
  readonly names: readonly string[];
  /** The real path every name resolves to. */
  readonly realPath: string;
  readonly line: SerialLine;
  readonly bus: BusScheduler;
  readonly protocol: LineProtocol;
}

interface Entry extends LineHandle {
  names: string[];
}

export class LineRegistry {
  private readonly byName = new Map<string, Entry>();
  private readonly byRealPath = new Map<string, Promise<Entry>>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: LineRegistryOptions = {}) {}

  /**
   * Opens the line `spec` names (or joins the open line behind the same real path). Rejects with
   * InvalidArgumentError when a second name for one port asks for another baud rate, dialect or
   * profile, and with the SerialLine's own errors (ZS_PORT_NOT_FOUND …) when the port cannot open.
   */
  async open(spec: LineSpec, protocol: Partial<LineProtocol> = {}): Promise<LineHandle> {
    if (this.closing) throw new InvalidArgumentError('line registry', 'closed', 'an open registry', 'make a new LineRegistry');
    if (typeof spec.name !== 'string' || spec.name === '') throw new InvalidArgumentError('line name', spec.name, 'a non-empty string');
    const want: LineProtocol = { dialect: protocol.dialect ?? 'D', profile: protocol.profile ?? SZ_G10_PROFILE };
    const known = this.byName.get(spec.name);
    if (known) {
      this.checkSame(known, spec, want);
      return known;
    }
    const realPath = await realpath(spec.port).catch(() => resolve(spec.port)); // a missing port fails in open() with the usual error
    let pending = this.byRealPath.get(realPath);
    if (!pending) {
      pending = this.create(spec, realPath, want);
      this.byRealPath.set(realPath, pending);
      pending.catch(() => this.byRealPath.delete(realPath));
    }
    const entry = await pending;
    this.checkSame(entry, spec, want);
    if (!entry.names.includes(spec.name)) entry.names.push(spec.name);
    this.byName.set(spec.name, entry);
    return entry;
  }

  /** The line of that name; InvalidArgumentError listing the known names otherwise. */
  get(name: string): LineHandle {
    const entry = this.byName.get(name);
    if (!entry) throw new InvalidArgumentError('line', name, `one of: ${[...this.byName.keys()].join(', ') || '(no lines open)'}`);
    return entry;
  }

  /** Every open port, once each. */
  get lines(): readonly LineHandle[] {
    return [...new Set(this.byName.values())];
  }

  /**
   * Stops every device each scheduler has addressed, lets those stops reach the wire, then closes
   * the schedulers and the lines. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const entries = await Promise.allSettled([...this.byRealPath.values()]);
      await Promise.all(
        entries.map(async (settled) => {
          if (settled.status !== 'fulfilled') return;
          const { bus, line } = settled.value;
          bus.stopAll();
          await bus.close(); // writes the queued stops while the line is open
          await line.close();
        }),
      );
    })();
    return this.closing;
  }

  private async create(spec: LineSpec, realPath: string, protocol: LineProtocol): Promise<Entry> {
    const line = new SerialLine({ ...this.options.line, path: spec.port, baudRate: spec.baud ?? 9600, direction: this.direction(spec) });
    line.on('error', () => {}); // a lost port reconnects by itself; blocks see it through 'close' and 'open'
    await line.open({ retry: this.options.waitForPorts ?? false });
    const bus = new BusScheduler(line, { ...this.options.scheduler, dialect: protocol.dialect, profile: protocol.profile });
    return { names: [], realPath, line, bus, protocol };
  }

  private direction(spec: LineSpec): DirectionControl {
    const mode = spec.direction ?? 'auto';
    const turnaroundMs = spec.turnaroundMs;
    switch (mode) {
      case 'auto':
        return { mode };
      case 'rts':
        return { mode, turnaroundMs };
      case 'gpio': {
        const set = this.options.setTransmit;
        if (!set) throw new InvalidArgumentError(`direction of line ${spec.name}`, mode, '"auto" or "rts" (gpio needs a setTransmit pin driver)');
        return { mode, turnaroundMs, setTransmit: (on) => set(spec.name, on) };
      }
      default:
        throw new InvalidArgumentError(`direction of line ${spec.name}`, mode, '"auto", "rts" or "gpio"');
    }
  }

  private checkSame(entry: Entry, spec: LineSpec, want: LineProtocol): void {
    const other = entry.names[0] ?? spec.name;
    const baud = spec.baud ?? 9600;
    if (baud !== entry.line.baudRate) {
      throw new InvalidArgumentError(`baud of line ${spec.name}`, baud, `${entry.line.baudRate}, as line ${other} on the same port ${entry.realPath}`);
    }
    if (want.dialect !== entry.protocol.dialect || want.profile.name !== entry.protocol.profile.name) {
      throw new InvalidArgumentError(
        `PELCO dialect/profile on line ${spec.name}`,
        `${want.dialect}/${want.profile.name}`,
        `${entry.protocol.dialect}/${entry.protocol.profile.name}, as already on port ${entry.realPath} (one scheduler per port speaks one dialect and profile)`,
      );
    }
  }
}
