/**
 * /metrics: Prometheus text. Line and block counters are read from the schedulers at scrape
 * time, so there is nothing to keep in step; group skew is observed as group commands report
 * it, and each block's reply latency as its queries are answered; API and camera calls are counted as they finish. All of it counts from the service's
 * start, whenever the first scrape comes (prometheus-text.ts writes the format).
 */
import type { LineCounters } from '../../hardware/serial/bus-scheduler.js';
import { family, LabelledCounts, LabelledHistogram, PROMETHEUS_CONTENT_TYPE, type Sample } from './prometheus-text.js';
import type { RigHandle } from './rig-handle.js';

export interface MetricsOptions {
  /** block name -> line name, for the per-block counters (kept per address on the line's scheduler). */
  blockLines: ReadonlyMap<string, string>;
}

const GROUP_STATES = ['ok', 'moving', 'settled', 'degraded'] as const;
const LINE_COUNTERS: readonly [name: string, help: string, read: (c: Readonly<LineCounters>) => number][] = [
  ['zoomsync_line_frames_sent_total', 'Frames handed to the serial line.', (c) => c.sent],
  ['zoomsync_line_frames_superseded_total', 'Moves replaced by a newer move before they were sent.', (c) => c.superseded],
  ['zoomsync_line_frames_failed_total', 'Frames not sent: the line rejected the write, or was closed.', (c) => c.writeFailures + c.dropped],
  ['zoomsync_line_reply_timeouts_total', 'Query attempts that got no reply in time.', (c) => c.timeouts],
  ['zoomsync_line_checksum_errors_total', 'Received frames with a wrong checksum.', (c) => c.checksumErrors],
];

export class ApiMetrics {
  private readonly groupSkew = new LabelledHistogram(['group'], [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50]);
  private readonly apiCalls = new LabelledCounts(['method', 'route', 'status']);
  private readonly cameraCalls = new LabelledCounts(['block', 'call', 'outcome']);
  /** A query's round trip at 9600 baud is 14.6 ms on an idle wire; the buckets reach past retries. */
  private readonly replyLatency = new LabelledHistogram(['block'], [15, 20, 30, 50, 100, 250, 500, 1000, 2500]);

  constructor(
    private readonly rig: RigHandle,
    private readonly options: MetricsOptions,
  ) {
    for (const block of rig.devices.all) {
      block.on('reply', (ms) => this.replyLatency.observe([block.name], ms));
      block.on('http', (call, outcome) => this.countCameraCall(block.name, `lens.${call}`, outcome)); // the serial -> HTTP fallback's own calls
    }
  }

  observeSkew(group: string, skewMs: number | undefined): void {
    if (skewMs !== undefined) this.groupSkew.observe([group], skewMs);
  }

  countRequest(method: string, route: string, status: number): void {
    this.apiCalls.inc([method, route, String(status)]);
  }

  countCameraCall(block: string, call: string, outcome: 'ok' | 'error'): void {
    this.cameraCalls.inc([block, call, outcome]);
  }

  /** Every family as Prometheus text, read now. */
  text(): string {
    const { rig, options } = this;
    const lines = rig.lines.lines.map((l) => ({ line: l, labels: { line: l.names[0] ?? 'unnamed' } }));
    const gpio = rig.gpio;
    const rules = gpio?.rulesStatus() ?? [];
    const parts = LINE_COUNTERS.map(([name, help, read]) => family(name, help, 'counter', lines.map(({ line, labels }) => ({ labels, value: read(line.bus.lineCounters) }))));
    parts.push(
      family('zoomsync_line_open', '1 while the serial port is open.', 'gauge', lines.map(({ line, labels }) => ({ labels, value: line.line.isOpen ? 1 : 0 }))),
      family('zoomsync_block_replies_total', 'Replies from the block matched to a query.', 'counter', blockReplies(rig, options.blockLines)),
      family('zoomsync_block_online', '1 while the block answers on its current path.', 'gauge', rig.devices.all.map((b) => ({ labels: { block: b.name, path: b.path }, value: b.online ? 1 : 0 }))),
      family(
        'zoomsync_group_state',
        'The state of each sync group: 1 for the state it is in.',
        'gauge',
        [...rig.groups.values()].flatMap((g) => GROUP_STATES.map((state) => ({ labels: { group: g.name, state }, value: g.state === state ? 1 : 0 }))),
      ),
      family(
        'zoomsync_gpio_input_changes_total',
        'GPIO input changes (alarm inputs, ADKEY keys, day/night), by signal, name and new state.',
        'counter',
        (gpio?.inputChanges() ?? []).map((c) => ({ labels: { signal: c.signal, name: c.name, state: c.state }, value: c.count })),
      ),
      family('zoomsync_rule_firings_total', 'Times each rule fired (its actions started).', 'counter', rules.map((s) => ({ labels: { rule: s.name }, value: s.firings }))),
      family('zoomsync_rule_errors_total', "Actions of each rule that failed (a held motion's stop included).", 'counter', rules.map((s) => ({ labels: { rule: s.name }, value: s.errors }))),
      family('zoomsync_gpio_board_connected', '1 while the GPIO board answers (absent without a gpio: section).', 'gauge', gpio ? [{ value: gpio.boardState === 'connected' ? 1 : 0 }] : []),
      family('zoomsync_block_reply_latency_ms', "Serial query to the block's answer (queue wait, retries and wire included), ms.", 'histogram', this.replyLatency.samples()),
      family('zoomsync_group_skew_ms', "Spread of the members' frame send times per group command (max - min), ms.", 'histogram', this.groupSkew.samples()),
      family('zoomsync_api_requests_total', 'API requests by route and status.', 'counter', this.apiCalls.samples()),
      family('zoomsync_camera_http_calls_total', 'Camera HTTP calls made through the API, by outcome.', 'counter', this.cameraCalls.samples()),
    );
    return parts.join('');
  }

  get contentType(): string {
    return PROMETHEUS_CONTENT_TYPE;
  }
}

function* blockReplies(rig: RigHandle, blockLines: ReadonlyMap<string, string>): Iterable<Sample> {
  for (const block of rig.devices.all) {
    const line = rig.lines.lines.find((l) => l.names.includes(blockLines.get(block.name) ?? ''));
    if (line) yield { labels: { block: block.name }, value: line.bus.deviceCounters(block.address).replies };
  }
}
