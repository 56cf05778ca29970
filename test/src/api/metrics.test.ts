import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRig, call, openApiRig, TOKENS } from './support/api-rig.js';

/** Prometheus text exposition -> samples; throws on a line that is neither a comment nor a sample. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

describe('/metrics', () => {
  let rig: ApiRig;
  beforeAll(async () => {
    rig = await openApiRig();
  });
  afterAll(() => rig?.close());

  it('parses as Prometheus text and counts frames, replies, group skew and API calls', async () => {
    expect((await call(rig, 'GET', '/api/blocks/left/position?axes=zoom', { token: TOKENS.read })).status).toBe(200);
    const zoom = await call(rig, 'POST', '/api/groups/stage/zoom', { token: TOKENS.op, body: { raw: 300 } });
    expect(zoom.status, zoom.text).toBe(200);
    expect(typeof zoom.json.report.skewMs).toBe('number');
    const r = await call(rig, 'GET', '/metrics', { token: TOKENS.read });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parseMetrics(r.text);
    expect(samples.get('zoomsync_line_frames_sent_total{line="bus1"}')).toBeGreaterThanOrEqual(3);
    expect(samples.get('zoomsync_line_open{line="bus1"}')).toBe(1);
    expect(samples.has('zoomsync_line_checksum_errors_total{line="bus1"}')).toBe(true);
    expect(samples.has('zoomsync_line_reply_timeouts_total{line="bus1"}')).toBe(true);
    expect(samples.get('zoomsync_block_replies_total{block="left"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('zoomsync_group_skew_ms_count{group="stage"}')).toBe(1);
    expect(samples.get('zoomsync_group_state{group="stage",state="moving"}')).toBe(1);
    expect(samples.get('zoomsync_api_requests_total{method="POST",route="/api/groups/:name/zoom",status="200"}')).toBe(1);
  });

  it("observes each block's reply latency: a position read adds one observation to its histogram, with a positive duration", async () => {
    const before = parseMetrics((await call(rig, 'GET', '/metrics', { token: TOKENS.read })).text).get('zoomsync_block_reply_latency_ms_count{block="right"}') ?? 0;
    expect((await call(rig, 'GET', '/api/blocks/right/position?axes=zoom', { token: TOKENS.read })).status).toBe(200);
    const samples = parseMetrics((await call(rig, 'GET', '/metrics', { token: TOKENS.read })).text);
    expect(samples.get('zoomsync_block_reply_latency_ms_count{block="right"}')).toBe(before + 1);
    const sum = samples.get('zoomsync_block_reply_latency_ms_sum{block="right"}')!;
    expect(sum).toBeGreaterThan(0);
    expect(samples.get('zoomsync_block_reply_latency_ms_bucket{block="right",le="+Inf"}')).toBe(before + 1);
  });

  it('counts camera HTTP calls per block', async () => {
    expect((await call(rig, 'GET', '/api/blocks/left/camera/identity', { token: TOKENS.read })).status).toBe(200);
    const samples = parseMetrics((await call(rig, 'GET', '/metrics', { token: TOKENS.read })).text);
    expect(samples.get('zoomsync_camera_http_calls_total{block="left",call="identity",outcome="ok"}')).toBe(1);
  });

  it("counts the block's own lens calls over its camera API too (a focus read is one: lens.lens)", async () => {
    const before = parseMetrics((await call(rig, 'GET', '/metrics', { token: TOKENS.read })).text).get('zoomsync_camera_http_calls_total{block="left",call="lens.lens",outcome="ok"}') ?? 0;
    const read = await call(rig, 'GET', '/api/blocks/left/position?axes=focus', { token: TOKENS.read });
    expect(read.status, read.text).toBe(200);
    const samples = parseMetrics((await call(rig, 'GET', '/metrics', { token: TOKENS.read })).text);
    expect(samples.get('zoomsync_camera_http_calls_total{block="left",call="lens.lens",outcome="ok"}')).toBe(before + 1);
  });

  it('needs a token like every other route', async () => {
    expect((await call(rig, 'GET', '/metrics')).status).toBe(401);
  });
});
