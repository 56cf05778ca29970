import { describe, expect, it } from 'vitest';
import { family, LabelledCounts, LabelledHistogram } from '../../../src/api/prometheus-text.js';

describe('Prometheus text', () => {
  it('writes HELP, TYPE and one line per label set, counting each set from its first inc', () => {
    const calls = new LabelledCounts(['method', 'status']);
    calls.inc(['GET', '200']);
    calls.inc(['GET', '200']);
    calls.inc(['POST', '400'], 3);
    expect(family('api_calls_total', 'API calls.', 'counter', calls.samples())).toBe(
      '# HELP api_calls_total API calls.\n# TYPE api_calls_total counter\napi_calls_total{method="GET",status="200"} 2\napi_calls_total{method="POST",status="400"} 3\n',
    );
  });

  it('escapes backslashes, quotes and newlines in label values and help', () => {
    const text = family('x', 'a\\b\nc', 'gauge', [{ labels: { name: 'say "hi"\\\n' }, value: 1 }]);
    expect(text).toBe('# HELP x a\\\\b\\nc\n# TYPE x gauge\nx{name="say \\"hi\\"\\\\\\n"} 1\n');
  });

  it('writes a label-less sample without braces, and a family with no samples as HELP and TYPE only', () => {
    expect(family('up', 'Up.', 'gauge', [{ value: 1 }])).toBe('# HELP up Up.\n# TYPE up gauge\nup 1\n');
    expect(family('none', 'None.', 'counter', [])).toBe('# HELP none None.\n# TYPE none counter\n');
  });

  it('writes a histogram as cumulative buckets up to +Inf, then sum and count', () => {
    const skew = new LabelledHistogram(['group'], [1, 5]);
    skew.observe(['stage'], 0.5);
    skew.observe(['stage'], 3);
    skew.observe(['stage'], 9);
    expect(family('skew_ms', 'Skew.', 'histogram', skew.samples()).split('\n').slice(2, -1)).toEqual([
      'skew_ms_bucket{group="stage",le="1"} 1',
      'skew_ms_bucket{group="stage",le="5"} 2',
      'skew_ms_bucket{group="stage",le="+Inf"} 3',
      'skew_ms_sum{group="stage"} 12.5',
      'skew_ms_count{group="stage"} 3',
    ]);
  });
});
