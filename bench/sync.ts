/**
 * bench/sync: sync groups of real ZoomBlocks (DeviceRegistry -> LineRegistry -> BusScheduler ->
 * SerialLine) over real ptys to simulated SZ-G10 blocks.
 *
 *   npm run bench:sync            (npm run build && node dist/bench/sync.js [--commands 1000])
 *
 * The simulators run in child processes (bench/sync-sim-host.ts), so their receive timestamps are
 * not the bench's own event loop scheduling them one after another. Times are compared on the
 * monotonic clock all processes share. A simulator stamps a frame when its port turned readable
 * on its event loop, not when serialport's threadpool read got round to it (SimulatedBus).
 *
 * (a) a group zoomTo to 8 blocks on 8 lines: spread of the simulators' receive timestamps. The row
 *     held against the target runs the 8 simulators in ONE child process: one simulated rig with
 *     one clock, whose event loop learns of all 8 ports turning readable in one poll. With one
 *     process per simulator, the spread also holds 8 processes waiting for a core each on a small
 *     machine (the OS scheduler, not the controller); that row is kept for information. When
 *     chrt is permitted (root), the target row runs once more with the controller at SCHED_FIFO
 *     and the harness below it (see fifo()), and once on ptys without socat relays: 8 ptys whose
 *     master ends one Python process reads (bench/pty-tap.py, TapHost).
 * (b) a group zoomTo to 4 blocks on one 9600-baud bus: spread against the physical minimum
 *     (3 frame times from the first frame's arrival to the fourth's); the default configuration,
 *     in which a group command's frames for one bus leave as one wire burst
 * (c) follower error after the leader stops, at 20 Hz tracking, as % of the zoom range
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import { frameTimeMs } from '../protocols/pelco/index.js';
import { DeviceRegistry } from '../src/devices/device-registry.js';
import { calibrationOf } from '../src/sync/plan.js';
import { type GroupStateEvent, SyncGroup } from '../src/sync/sync-group.js';
import type { HostBlock, HostFrame, HostReply, HostRequest } from './sync-sim-host.js';
import { percentile, printTable } from './table.js';

const BAUD = 9600;
const argIndex = process.argv.indexOf('--commands');
const COMMANDS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 1000;
const FOLLOW_TRIALS = 20;
const OFFSETS_MS = [0, 50, 100, 150, 200, 300, 500];
const LEADER_OPTICS = [[0, 1], [1000, 10]] as const;
/** A longer lens on the follower (x1–x12): it moves less than the leader for the same picture change, so it can keep up. */
const FOLLOWER_OPTICS = [[0, 1], [1000, 12]] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Real-time scheduling for the (a) rows that say so: the controller (this process) at
 * SCHED_FIFO above the harness, the socat relays that stand in for the wires above the
 * simulators. On this 2-core box every frame written wakes a relay and the simulator process,
 * and at normal priority they take the CPU from the controller between its 8 hand-overs; a
 * UART does not wait for a CPU. deploy/zoomsync.service shows how to run the service so.
 */
let realtime = false;
const CONTROLLER_PRIORITY = 30;
const RELAY_PRIORITY = 20;
const SIMULATOR_PRIORITY = 10;
/** chrt -f -p PRIORITY PID (priority 0: back to SCHED_OTHER); false when not permitted (not root, no CAP_SYS_NICE). */
function fifo(pid: number, priority: number): boolean {
  const args = priority === 0 ? ['-o', '-p', '0', String(pid)] : ['-f', '-p', String(priority), String(pid)];
  return spawnSync('chrt', args).status === 0;
}

/** Simulated buses in a child process, each on the device end of its own pty. */
class SimHost {
  private readonly waiting: ((reply: HostReply) => void)[] = [];

  private constructor(
    readonly pairs: PtyPair[],
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: HostReply) => this.waiting.shift()?.(reply));
  }

  /** One child with one bus per entry of `lines` (each a list of blocks). */
  static async open(lines: HostBlock[][]): Promise<SimHost> {
    const pairs = await Promise.all(lines.map(() => PtyPair.open()));
    if (realtime) for (const pair of pairs) fifo(pair.relayPid!, RELAY_PRIORITY);
    const child = fork(fileURLToPath(new URL('./sync-sim-host.js', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    if (realtime) fifo(child.pid!, SIMULATOR_PRIORITY);
    const host = new SimHost(pairs, child);
    await host.request({ type: 'open', baudRate: BAUD, lines: lines.map((blocks, i) => ({ path: pairs[i]!.devicePath, blocks })) });
    return host;
  }

  /** Resolves with the next n set-zoom frames this simulator receives. Ask BEFORE sending them. */
  take(n: number): Promise<HostFrame[]> {
    return this.request({ type: 'take', n }).then((r) => (r as Extract<HostReply, { type: 'frames' }>).frames);
  }

  lens(): Promise<Extract<HostReply, { type: 'lens' }>> {
    return this.request({ type: 'lens' }) as Promise<Extract<HostReply, { type: 'lens' }>>;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'close' } satisfies HostRequest);
    await exited;
    await Promise.all(this.pairs.map((p) => p.close()));
  }

  private request(message: HostRequest): Promise<HostReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send(message);
    });
  }
}

/**
 * The wire stand-in without relays (bench/pty-tap.py): 8 ptys whose master ends one Python
 * process reads and stamps. It only records frames (no simulated lens answers), which is all a
 * group zoomTo needs. Same face as SimHost for groupSpread: pairs, take(n), close().
 */
class TapHost {
  private readonly frames: HostFrame[] = [];
  private readonly waiting: { n: number; done: (frames: HostFrame[]) => void }[] = [];

  private constructor(
    readonly pairs: { controllerPath: string }[],
    private readonly child: ChildProcess,
    lines: AsyncIterable<string>,
  ) {
    void (async () => {
      for await (const line of lines) {
        const { at } = JSON.parse(line) as { at: number };
        this.frames.push({ address: 1, at, wireEndAt: at });
        const next = this.waiting[0];
        if (next && this.frames.length >= next.n) {
          this.waiting.shift();
          next.done(this.frames.splice(0, next.n));
        }
      }
    })();
  }

  static async open(count: number): Promise<TapHost> {
    const child = spawn('python3', [fileURLToPath(new URL('../../bench/pty-tap.py', import.meta.url)), String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error('bench/pty-tap.py ended before it opened its ptys (is python3 installed?)');
    const { paths } = JSON.parse(first.value) as { paths: string[] };
    if (realtime) fifo(child.pid!, SIMULATOR_PRIORITY);
    return new TapHost(paths.map((controllerPath) => ({ controllerPath })), child, { [Symbol.asyncIterator]: () => lines });
  }

  take(n: number): Promise<HostFrame[]> {
    return new Promise((done) => this.waiting.push({ n, done }));
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    await exited;
  }
}

/** Where the simulated ends of the lines are: simulators over socat pairs, or the relay-free tap. */
type FrameHost = SimHost | TapHost;

/** Blocks named cam1.. on every pty of the hosts: `perLine` addresses on each line. */
function openRegistry(hosts: FrameHost[], perLine: number, options: { calibration?: (line: number) => readonly (readonly [number, number])[] } = {}): Promise<DeviceRegistry> {
  const pairs = hosts.flatMap((h) => h.pairs);
  return DeviceRegistry.open(
    {
      lines: pairs.map((p, i) => ({ name: `line${i + 1}`, port: p.controllerPath, baud: BAUD })),
      blocks: pairs.flatMap((_, i) =>
        Array.from({ length: perLine }, (_, k) => ({ name: `cam${i * perLine + k + 1}`, line: `line${i + 1}`, address: k + 1, calibration: options.calibration?.(i) })),
      ),
    },
    { scheduler: { queryTimeoutMs: 200 }, line: { onWarning: () => {} } },
  );
}

interface Spread {
  received: number[];
  wire: number[];
  skew: number[];
}

/** COMMANDS group zoomTo commands; per command, the spread of the simulators' receive times. */
async function groupSpread(hosts: FrameHost[], perLine: number): Promise<Spread> {
  const registry = await openRegistry(hosts, perLine);
  const perHost = (h: FrameHost) => h.pairs.length * perLine;
  const group = new SyncGroup({ name: 'bench', members: registry.all });
  const slotMs = registry.lines.lines[0]!.bus.slotMs;
  const result: Spread = { received: [], wire: [], skew: [] };
  for (let i = 0; i < COMMANDS; i++) {
    const arriving = Promise.all(hosts.map((h) => h.take(perHost(h))));
    const report = await group.zoomTo({ raw: i % 2 ? 400 : 600 });
    const frames = (await arriving).flat();
    const at = frames.map((f) => f.at);
    const end = frames.map((f) => f.wireEndAt);
    result.received.push(Math.max(...at) - Math.min(...at));
    result.wire.push(Math.max(...end) - Math.min(...end));
    result.skew.push(report.skewMs!);
    // Next command on idle lines: past the virtual wire time the scheduler keeps for the last frame.
    await sleep(Math.ceil(slotMs) + 2);
  }
  await registry.close();
  return result;
}

async function followError(): Promise<Map<number, number[]>> {
  const hosts = [await SimHost.open([[{ address: 1, optics: LEADER_OPTICS }]]), await SimHost.open([[{ address: 1, optics: FOLLOWER_OPTICS }]])];
  const registry = await openRegistry(hosts, 1, { calibration: (i) => (i === 0 ? LEADER_OPTICS : FOLLOWER_OPTICS) });
  const [leader, follower] = registry.all as [NonNullable<(typeof registry.all)[0]>, NonNullable<(typeof registry.all)[0]>];
  const leaderCal = calibrationOf(leader.calibration!);
  const followerCal = calibrationOf(follower.calibration!);
  const zooms = async () => {
    const [l, f] = await Promise.all(hosts.map((h) => h.lens()));
    return { leader: l!.zoom[1]!, follower: f!.zoom[1]!, moving: l!.moving || f!.moving };
  };
  const group = new SyncGroup({ name: 'bench', members: [leader, follower], track: { hz: 20, deadband: 2, stillPolls: 3 } });
  const errors = new Map<number, number[]>(OFFSETS_MS.map((o) => [o, []]));
  for (let trial = 0; trial < FOLLOW_TRIALS; trial++) {
    await group.zoomTo({ raw: 0 });
    while ((await zooms()).moving) await sleep(5);
    const settled = new Promise<void>((resolve) => {
      const l = (e: GroupStateEvent) => e.state === 'settled' && (group.off('state', l), resolve());
      group.on('state', l);
    });
    group.follow(true);
    await settled;
    await leader.move({ panSpeed: 0, tiltSpeed: 0, zoom: 'tele' });
    // A different stop phase against the 50 ms poll each trial.
    await sleep(400 + (trial * 50) / FOLLOW_TRIALS);
    await leader.stop();
    const stoppedAt = performance.now();
    for (const offset of OFFSETS_MS) {
      while (performance.now() < stoppedAt + offset) await sleep(1);
      const z = await zooms();
      const wanted = followerCal.rawFor(followerCal.clampMagnification(leaderCal.magnificationAt(z.leader)));
      errors.get(offset)!.push((100 * Math.abs(z.follower - wanted)) / 1000);
    }
    group.follow(false);
  }
  await registry.close();
  await Promise.all(hosts.map((h) => h.close()));
  return errors;
}

async function main(): Promise<void> {
  const f = (n: number, d = 3) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const p50p99 = (values: number[]) => `${f(percentile(values, 50))} / ${f(percentile(values, 99))}`;
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  const rows: string[][] = [];
  const loadBefore = load();

  // (a) 8 blocks on 8 lines: all 8 simulators in one child process (the target row), then each in its own
  const together = await SimHost.open(Array.from({ length: 8 }, () => [{ address: 1 }]));
  const a = await groupSpread([together], 1);
  await together.close();
  const apart = await Promise.all(Array.from({ length: 8 }, () => SimHost.open([[{ address: 1 }]])));
  const a1 = await groupSpread(apart, 1);
  await Promise.all(apart.map((h) => h.close()));
  // and once more with the controller at real-time priority, when this user may set it
  realtime = fifo(process.pid, CONTROLLER_PRIORITY);
  let aRt: Spread | undefined;
  let aTap: Spread | undefined;
  if (realtime) {
    const host = await SimHost.open(Array.from({ length: 8 }, () => [{ address: 1 }]));
    aRt = await groupSpread([host], 1);
    await host.close();
    const tap = await TapHost.open(8);
    aTap = await groupSpread([tap], 1);
    await tap.close();
    fifo(process.pid, 0);
    realtime = false;
  }
  const within1 = (values: number[]) => `${f((100 * values.filter((v) => v <= 1).length) / values.length, 1)}% <= 1 ms`;
  rows.push(['(a) 8 blocks, 8 lines: receive spread p50 / p99', '<= 1 ms (p99)', `${p50p99(a.received)} ms`, `max ${f(Math.max(...a.received))} ms, ${within1(a.received)}; ${COMMANDS} group zoomTo; the 8 simulators in ONE child process (one rig, one clock), each stamping when its pty turned readable; includes the 8 socat relays`]);
  rows.push(
    aRt
      ? ['(a) same, controller at SCHED_FIFO: receive spread p50 / p99', '<= 1 ms (p99)', `${p50p99(aRt.received)} ms`, `max ${f(Math.max(...aRt.received))} ms, ${within1(aRt.received)}; controller FIFO ${CONTROLLER_PRIORITY}, socat relays ${RELAY_PRIORITY}, simulators ${SIMULATOR_PRIORITY} (chrt); sentAt skew p50 / p99 ${p50p99(aRt.skew)} ms`]
      : ['(a) same, controller at SCHED_FIFO', '<= 1 ms (p99)', 'not run', 'chrt -f was refused: run as root (or with CAP_SYS_NICE) for this row'],
  );
  if (aTap) {
    rows.push(['(a) same at SCHED_FIFO, ptys without relays: receive spread p50 / p99', '<= 1 ms (p99)', `${p50p99(aTap.received)} ms`, `max ${f(Math.max(...aTap.received))} ms, ${within1(aTap.received)}; 8 pty master ends read by one process (bench/pty-tap.py, FIFO ${SIMULATOR_PRIORITY}), no socat; sentAt skew p50 / p99 ${p50p99(aTap.skew)} ms`]);
  }
  rows.push(['(a) same, each simulator in its own child process', '-', `${p50p99(a1.received)} ms`, `max ${f(Math.max(...a1.received))} ms, ${within1(a1.received)}; adds 8 processes each waiting for a core to wake (OS scheduling on this machine, not the controller); sentAt skew p50 / p99 ${p50p99(a1.skew)} ms`]);
  rows.push(['(a) sentAt skew p50 / p99', '-', `${p50p99(a.skew)} ms`, "GroupReport.skewMs (target-row run): the 8 schedulers handing their frames to the lines; a line writes its frame to the kernel within the hand-over, so this includes the earlier lines' write(2) calls"]);

  // (b) 4 blocks on one bus, default configuration: the group's 4 frames leave as one wire burst
  const frameMs = frameTimeMs('D', BAUD);
  const byteMs = (10 * 1000) / BAUD;
  const minimum = 3 * frameMs;
  rows.push(['(b) 4 blocks, one 9600 bus: physical minimum', '-', `${f(minimum)} ms`, `3 frame times of ${f(frameMs)} ms; target <= ${f(minimum + byteMs)} ms (1 byte time ${f(byteMs)} ms over)`]);
  const shared = await SimHost.open([[1, 2, 3, 4].map((address) => ({ address }))]);
  const b = await groupSpread([shared], 4);
  await shared.close();
  rows.push(['(b) 4 blocks, one bus: UART end spread p50 / p99', `<= ${f(minimum + byteMs)} ms`, `${p50p99(b.wire)} ms`, `over the minimum p99 ${f(percentile(b.wire, 99) - minimum)} ms, max ${f(Math.max(...b.wire))} ms; wireEndAt: a real UART's end of frame (the pty has no wire)`]);
  rows.push(['(b) 4 blocks, one bus: pty receive spread p50 / p99', '-', `${p50p99(b.received)} ms`, `the burst as the simulator read it; GroupReport.skewMs p50 / p99 ${p50p99(b.skew)} ms (wire start times: one write, frames one frame time apart)`]);

  // (c) follower error after the leader stops
  const c = await followError();
  for (const [offset, values] of c) {
    const target = offset === 150 ? '<= 0.5% of range' : '-';
    rows.push([`(c) follower error ${offset} ms after leader stop, p50 / max`, target, `${f(percentile(values, 50), 2)} / ${f(Math.max(...values), 2)} %`, `${values.length} stops, 20 Hz tracking, deadband 2, leader x1-x10, follower x1-x12`]);
  }

  printTable(
    `bench/sync: SyncGroup of ZoomBlocks over ptys to simulated SZ-G10 blocks in child processes (${BAUD} baud, node ${process.version}, load average ${loadBefore} before, ${load()} after)`,
    ['measure', 'target', 'measured', 'notes'],
    rows,
  );
}

main().catch((error: unknown) => {
  console.error(`bench/sync failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
