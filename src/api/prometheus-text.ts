/**
 * Prometheus text exposition (format 0.0.4) for /metrics, and the two kinds of state the API
 * keeps for it (counts by label set, a histogram by label set). Written here rather than taken
 * from prom-client: the service needs four sample kinds and one escaping rule, and prom-client
 * cost every start ~25 ms and ~10 MiB on a Raspberry Pi-sized budget.
 *
 * @example
 *   const calls = new LabelledCounts(['method', 'status']);
 *   calls.inc(['GET', '200']);
 *   family('api_calls_total', 'API calls.', 'counter', calls.samples());
 *   // # HELP api_calls_total API calls.\n# TYPE api_calls_total counter\napi_calls_total{method="GET",status="200"} 1\n
 */

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels?: Labels;
  value: number;
  /** Appended to the family's name: _bucket, _sum, _count of a histogram. */
  suffix?: string;
}

/** One metric family: its HELP and TYPE lines, then a line per sample. */
export function family(name: string, help: string, type: 'counter' | 'gauge' | 'histogram', samples: Iterable<Sample>): string {
  let text = `# HELP ${name} ${help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}\n# TYPE ${name} ${type}\n`;
  for (const s of samples) text += `${name}${s.suffix ?? ''}${labelText(s.labels)} ${numberText(s.value)}\n`;
  return text;
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function numberText(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value);
}

/** Label values joined into one map key (a unit separator cannot appear in a route or name we count). */
const keyOf = (values: readonly string[]) => values.join('\u001f');

/** A counter by label values, counted from the service's start. */
export class LabelledCounts {
  private readonly counts = new Map<string, { values: readonly string[]; count: number }>();

  constructor(private readonly labelNames: readonly string[]) {}

  inc(values: readonly string[], by = 1): void {
    const key = keyOf(values);
    const entry = this.counts.get(key);
    if (entry) entry.count += by;
    else this.counts.set(key, { values, count: by });
  }

  *samples(): Iterable<Sample> {
    for (const { values, count } of this.counts.values()) yield { labels: zipLabels(this.labelNames, values), value: count };
  }
}

/** A histogram by label values: cumulative buckets (le), sum and count, as Prometheus reads them. */
export class LabelledHistogram {
  private readonly series = new Map<string, { values: readonly string[]; buckets: number[]; sum: number; count: number }>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly bounds: readonly number[],
  ) {}

  observe(values: readonly string[], value: number): void {
    const key = keyOf(values);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { values, buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    const i = this.bounds.findIndex((bound) => value <= bound);
    if (i >= 0) s.buckets[i]! += 1;
    s.sum += value;
    s.count += 1;
  }

  *samples(): Iterable<Sample> {
    for (const { values, buckets, sum, count } of this.series.values()) {
      const labels = zipLabels(this.labelNames, values);
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += buckets[i]!;
        yield { suffix: '_bucket', labels: { ...labels, le: String(this.bounds[i]) }, value: cumulative };
      }
      yield { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: count };
      yield { suffix: '_sum', labels, value: sum };
      yield { suffix: '_count', labels, value: count };
    }
  }
}

function zipLabels(names: readonly string[], values: readonly string[]): Labels {
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}
