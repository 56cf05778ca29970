/**
 * bench/sync: sync groups over real ptys to simulated SZ-G10 blocks.
 *
 *   npm run bench:sync            (npm run build && node dist/bench/sync.js [--commands 1000])
 *
 * ZoomBlock (src/devices) is not merged yet, so the members here are BusBlock: a thin
 * BlockControl over BusScheduler + SerialLine (one address on one scheduler), written for this
 * bench. Swap in ZoomBlock once it exists; the group code does not change.
 *
 * (a) a group zoomTo to 8 blocks on 8 lines: spread of the simulators' receive timestamps
 * (b) a group zoomTo to 4 blocks on one 9600-baud bus: spread against the physical minimum
 *     (3 frame times from the first frame's arrival to the fourth's)
 * (c) follower error after the leader stops, at 20 Hz tracking, as % of the zoom range
 */
import { EventEmitter } from 'node:events';
import { loadavg } from 'node:os';
import { BusScheduler, type SentFrame } from '../hardware/serial/bus-scheduler.js';
import { SerialLine } from '../hardware/serial/serial-line.js';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../hardware/sim/sim-bus.js';
import type { MoveCommand, PelcoCommand } from '../protocols/pelco/index.js';
import type { BlockControl, BlockState, CommandReport, PositionReading } from '../src/devices/block-api.js';
import { type GroupStateEvent, SyncGroup } from '../src/sync/sync-group.js';
import { percentile, printTable } from './table.js';

const BAUD = 9600;
const argIndex = process.argv.indexOf('--commands');
const COMMANDS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1000;
const FOLLOW_TRIALS = 20;
const OFFSETS_MS = [0, 50, 100, 150, 200, 300, 500];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One simulated bus on a pty with its controller-side line and scheduler. */
interface Wire {
  pair: PtyPair;
  sim: SimulatedBus;
  line: SerialLine;
  bus: BusScheduler;
}

async function openWire(addresses: number[]): Promise<Wire> {
  const pair = await PtyPair.open();
  const sim = await SimulatedBus.open(pair.devicePath, { baudRate: BAUD, emulateWireTime: true });
  for (const address of addresses) sim.addBlock({ address });
  const line = new SerialLine({ path: pair.controllerPath, baudRate: BAUD });
  await line.open();
  const bus = new BusScheduler(line, { queryTimeoutMs: 200 });
  return { pair, sim, line, bus };
}

async function closeWire(w: Wire): Promise<void> {
  await w.bus.close();
  await w.line.close();
  await w.sim.close();
  await w.pair.close();
}

/** BlockControl over a BusScheduler address (bench stand-in for ZoomBlock). Enqueues synchronously. */
class BusBlock extends EventEmitter implements BlockControl {
  readonly zoomRange = [0, 1000] as const;
  readonly calibration = undefined;
  readonly online = true;
  private readonly waiting: { match: (f: SentFrame) => boolean; resolve: (at: number) => void }[] = [];

  constructor(
    readonly name: string,
    private readonly bus: BusScheduler,
    private readonly address: number,
  ) {
    super();
    bus.on('sent', (frame) => {
      const i = this.waiting.findIndex((w) => frame.address === this.address && w.match(frame));
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(frame.at);
    });
  }

  move(command: Omit<MoveCommand, 'kind'>): Promise<CommandReport> {
    const full: MoveCommand = { kind: 'move', ...command };
    const sent = this.sentAt((f) => f.command === full);
    this.bus.move(this.address, full);
    return sent.then((at) => this.report(at));
  }

  stop(): Promise<CommandReport> {
    const sent = this.sentAt((f) => f.command.kind === 'stop');
    this.bus.stop(this.address);
    return sent.then((at) => this.report(at));
  }

  zoomTo(raw: number): Promise<CommandReport> {
    return this.command({ kind: 'set-zoom', position: Math.round(raw) }, raw);
  }

  gotoPreset(preset: number): Promise<CommandReport> {
    return this.command({ kind: 'preset-goto', preset });
  }

  async readZoom(): Promise<PositionReading> {
    const value = await this.bus.query(this.address, 'query-zoom');
    return { value, at: performance.now(), path: 'serial' };
  }

  override on(event: 'state', listener: (state: BlockState) => void): this {
    return super.on(event, listener);
  }

  private command(command: PelcoCommand, value?: number): Promise<CommandReport> {
    const sent = this.sentAt((f) => f.command === command);
    return this.bus.send(this.address, command).then(async () => this.report(await sent, value));
  }

  private sentAt(match: (f: SentFrame) => boolean): Promise<number> {
    return new Promise((resolve) => this.waiting.push({ match, resolve }));
  }

  private report(at: number, value?: number): CommandReport {
    return { block: this.name, path: 'serial', sentAt: at, ...(value === undefined ? {} : { value }) };
  }
}

/** Sends COMMANDS group zoomTo commands; per command, the spread of the simulators' receive times. */
async function groupSpread(wires: Wire[], blocks: BusBlock[]): Promise<{ received: number[]; sent: number[]; wire: number[] }> {
  const group = new SyncGroup({ name: 'bench', members: blocks });
  const received: number[] = [];
  const wire: number[] = [];
  const sent: number[] = [];
  const total = () => wires.reduce((n, w) => n + w.sim.received.length, 0);
  for (let i = 0; i < COMMANDS; i++) {
    const before = wires.map((w) => w.sim.received.length);
    const expected = total() + blocks.length;
    const report = await group.zoomTo({ raw: i % 2 ? 400 : 600 });
    sent.push(report.skewMs!);
    while (total() < expected) await sleep(1);
    const frames = wires.flatMap((w, k) => w.sim.received.slice(before[k]));
    const at = frames.map((f) => f.at);
    const end = frames.map((f) => f.wireEndAt);
    received.push(Math.max(...at) - Math.min(...at));
    wire.push(Math.max(...end) - Math.min(...end));
    // Next command on idle lines: past the virtual wire time the scheduler keeps for the last frame.
    await sleep(Math.ceil(wires[0]!.bus.slotMs) + 2);
  }
  return { received, sent, wire };
}

async function followError(): Promise<Map<number, number[]>> {
  const leaderWire = await openWire([1]);
  const followerWire = await openWire([1]);
  const leader = new BusBlock('leader', leaderWire.bus, 1);
  const follower = new BusBlock('follower', followerWire.bus, 1);
  const leaderLens = leaderWire.sim.block(1)!.lens;
  const followerLens = followerWire.sim.block(1)!.lens;
  const group = new SyncGroup({ name: 'bench', members: [leader, follower], track: { hz: 20, deadband: 2, stillPolls: 3 } });
  const errors = new Map<number, number[]>(OFFSETS_MS.map((o) => [o, []]));
  for (let trial = 0; trial < FOLLOW_TRIALS; trial++) {
    await group.zoomTo({ raw: 0 });
    while (leaderLens.moving || followerLens.moving) await sleep(5);
    const settled = new Promise<void>((resolve) => {
      const l = (e: GroupStateEvent) => e.state === 'settled' && (group.off('state', l), resolve());
      group.on('state', l);
    });
    group.follow(true);
    await settled;
    await leader.move({ panSpeed: 0, tiltSpeed: 0, zoom: 'tele' });
    // A different stop phase against the 50 ms poll each trial.
    await sleep(400 + ((trial * 50) / FOLLOW_TRIALS));
    await leader.stop();
    const stoppedAt = performance.now();
    for (const offset of OFFSETS_MS) {
      while (performance.now() < stoppedAt + offset) await sleep(1);
      errors.get(offset)!.push((100 * Math.abs(followerLens.zoom - leaderLens.zoom)) / 1000);
    }
    group.follow(false);
  }
  await closeWire(leaderWire);
  await closeWire(followerWire);
  return errors;
}

async function main(): Promise<void> {
  const f = (n: number, d = 3) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const rows: string[][] = [];

  // (a) 8 blocks on 8 lines
  const lines = await Promise.all(Array.from({ length: 8 }, () => openWire([1])));
  const a = await groupSpread(lines, lines.map((w, i) => new BusBlock(`cam${i + 1}`, w.bus, 1)));
  await Promise.all(lines.map(closeWire));
  rows.push(['(a) 8 blocks, 8 lines: receive spread p50', '-', `${f(percentile(a.received, 50))} ms`, `${COMMANDS} group zoomTo`]);
  rows.push(['(a) 8 blocks, 8 lines: receive spread p99', '<= 1 ms', `${f(percentile(a.received, 99))} ms`, `max ${f(Math.max(...a.received))} ms (includes pty delivery and the simulators' event loop)`]);
  rows.push(['(a) 8 blocks, 8 lines: sentAt skew p50 / p99', '-', `${f(percentile(a.sent, 50))} / ${f(percentile(a.sent, 99))} ms`, 'GroupReport.skewMs: frames handed to the 8 lines']);

  // (b) 4 blocks on one bus
  const shared = await openWire([1, 2, 3, 4]);
  const frameMs = shared.bus.frameTimeMs;
  const byteMs = (10 * 1000) / BAUD;
  const minimum = 3 * frameMs;
  const b = await groupSpread([shared], [1, 2, 3, 4].map((address) => new BusBlock(`cam${address}`, shared.bus, address)));
  await closeWire(shared);
  const excess = b.received.map((s) => s - minimum);
  rows.push(['(b) 4 blocks, one 9600 bus: physical minimum', '-', `${f(minimum)} ms`, `3 frame times of ${f(frameMs)} ms`]);
  rows.push(['(b) receive spread p50 / p99', `<= ${f(minimum + byteMs)} ms (minimum + 1 byte time)`, `${f(percentile(b.received, 50))} / ${f(percentile(b.received, 99))} ms`, `over the minimum p99 ${f(percentile(excess, 99))} ms; byte time ${f(byteMs)} ms`]);
  rows.push(['(b) simulated UART end spread p99', `${f(minimum)} ms`, `${f(percentile(b.wire, 99))} ms`, 'wireEndAt: frames packed back to back on the wire']);

  // (c) follower error after the leader stops
  const c = await followError();
  for (const [offset, values] of c) {
    const target = offset === 150 ? '<= 0.5% of range' : '-';
    rows.push([`(c) follower error ${offset} ms after leader stop, p50 / max`, target, `${f(percentile(values, 50), 2)} / ${f(Math.max(...values), 2)} %`, `${values.length} stops, 20 Hz tracking, deadband 2`]);
  }

  printTable(`bench/sync: SyncGroup over ptys to simulated SZ-G10 blocks (${BAUD} baud, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; members are BusBlock, the bench's BlockControl over BusScheduler, until ZoomBlock is merged)`, ['measure', 'target', 'measured', 'notes'], rows);
}

main().catch((error: unknown) => {
  console.error(`bench/sync failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
