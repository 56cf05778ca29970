/**
 * /metrics: Prometheus text from prom-client. Line and block counters are read from the
 * schedulers at scrape time (collect), so there is nothing to keep in step; group skew is
 * observed as group commands report it; API calls are counted as they finish.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LineCounters } from '../../hardware/serial/bus-scheduler.js';
import type { RigHandle } from './rig-handle.js';

export interface MetricsOptions {
  /** block name -> line name, for the per-block counters (kept per address on the line's scheduler). */
  blockLines: ReadonlyMap<string, string>;
}

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly groupSkew: Histogram<'group'>;
  private readonly apiCalls: Counter<'method' | 'route' | 'status'>;
  private readonly cameraCalls: Counter<'block' | 'call' | 'outcome'>;

  constructor(rig: RigHandle, options: MetricsOptions) {
    const registers = [this.registry];
    const lineOf = (names: readonly string[]) => names[0] ?? 'unnamed';
    const lineCounter = (name: string, help: string, read: (c: Readonly<LineCounters>) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['line'],
        registers,
        collect() {
          this.reset();
          for (const l of rig.lines.lines) this.inc({ line: lineOf(l.names) }, read(l.bus.lineCounters));
        },
      });
    lineCounter('zoomsync_line_frames_sent_total', 'Frames handed to the serial line.', (c) => c.sent);
    lineCounter('zoomsync_line_frames_superseded_total', 'Moves replaced by a newer move before they were sent.', (c) => c.superseded);
    lineCounter('zoomsync_line_frames_failed_total', 'Frames not sent: the line rejected the write, or was closed.', (c) => c.writeFailures + c.dropped);
    lineCounter('zoomsync_line_reply_timeouts_total', 'Query attempts that got no reply in time.', (c) => c.timeouts);
    lineCounter('zoomsync_line_checksum_errors_total', 'Received frames with a wrong checksum.', (c) => c.checksumErrors);
    new Gauge({
      name: 'zoomsync_line_open',
      help: '1 while the serial port is open.',
      labelNames: ['line'],
      registers,
      collect() {
        for (const l of rig.lines.lines) this.set({ line: lineOf(l.names) }, l.line.isOpen ? 1 : 0);
      },
    });
    new Counter({
      name: 'zoomsync_block_replies_total',
      help: 'Replies from the block matched to a query.',
      labelNames: ['block'],
      registers,
      collect() {
        this.reset();
        for (const block of rig.devices.all) {
          const line = rig.lines.lines.find((l) => l.names.includes(options.blockLines.get(block.name) ?? ''));
          if (line) this.inc({ block: block.name }, line.bus.deviceCounters(block.address).replies);
        }
      },
    });
    new Gauge({
      name: 'zoomsync_block_online',
      help: '1 while the block answers on its current path.',
      labelNames: ['block', 'path'],
      registers,
      collect() {
        this.reset();
        for (const block of rig.devices.all) this.set({ block: block.name, path: block.path }, block.online ? 1 : 0);
      },
    });
    new Gauge({
      name: 'zoomsync_group_state',
      help: 'The state of each sync group: 1 for the state it is in.',
      labelNames: ['group', 'state'],
      registers,
      collect() {
        this.reset();
        for (const group of rig.groups.values()) for (const state of ['ok', 'moving', 'settled', 'degraded']) this.set({ group: group.name, state }, group.state === state ? 1 : 0);
      },
    });
    new Counter({
      name: 'zoomsync_gpio_input_changes_total',
      help: 'GPIO input changes (alarm inputs, ADKEY keys, day/night), by signal, name and new state.',
      labelNames: ['signal', 'name', 'state'],
      registers,
      collect() {
        this.reset();
        for (const c of rig.gpio?.inputChanges() ?? []) this.inc({ signal: c.signal, name: c.name, state: c.state }, c.count);
      },
    });
    const ruleCounter = (name: string, help: string, read: (s: { firings: number; errors: number }) => number) =>
      new Counter({
        name,
        help,
        labelNames: ['rule'],
        registers,
        collect() {
          this.reset();
          for (const s of rig.gpio?.rulesStatus() ?? []) this.inc({ rule: s.name }, read(s));
        },
      });
    ruleCounter('zoomsync_rule_firings_total', 'Times each rule fired (its actions started).', (s) => s.firings);
    ruleCounter('zoomsync_rule_errors_total', 'Actions of each rule that failed (a held motion\'s stop included).', (s) => s.errors);
    new Gauge({
      name: 'zoomsync_gpio_board_connected',
      help: '1 while the GPIO board answers (absent without a gpio: section).',
      registers,
      collect() {
        this.reset();
        if (rig.gpio) this.set(rig.gpio.boardState === 'connected' ? 1 : 0);
      },
    });
    this.groupSkew = new Histogram({
      name: 'zoomsync_group_skew_ms',
      help: 'Spread of the members\' frame send times per group command (max - min), ms.',
      labelNames: ['group'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50],
      registers,
    });
    this.apiCalls = new Counter({ name: 'zoomsync_api_requests_total', help: 'API requests by route and status.', labelNames: ['method', 'route', 'status'], registers });
    this.cameraCalls = new Counter({ name: 'zoomsync_camera_http_calls_total', help: 'Camera HTTP calls made through the API, by outcome.', labelNames: ['block', 'call', 'outcome'], registers });
  }

  observeSkew(group: string, skewMs: number | undefined): void {
    if (skewMs !== undefined) this.groupSkew.observe({ group }, skewMs);
  }

  countRequest(method: string, route: string, status: number): void {
    this.apiCalls.inc({ method, route, status: String(status) });
  }

  countCameraCall(block: string, call: string, outcome: 'ok' | 'error'): void {
    this.cameraCalls.inc({ block, call, outcome });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
