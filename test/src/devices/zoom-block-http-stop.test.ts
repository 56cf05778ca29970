/**
 * A block's stop while its lens moves over HTTP (serial line unplugged): the serial stop is held
 * for reopen and the lens is halted over HTTP too; the overtaken zoomTo ends reporting the stop;
 * a zoom request the camera answers only after the stop is halted again once it settles. With
 * the serial side healthy a stop stays serial-only. Real ptys, the SZ-G10 simulator on loopback,
 * a slow lens (60 s full travel) so a halted move is always far from its target.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import { type BlockRig, nextPath, openBlockRig, unplug, until } from './block-rig.js';

let rig: BlockRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const FAR = 1000;
const slowLens = () => new SimulatedLens({ zoomTravelMs: [60_000, 60_000, 60_000, 60_000], focusTravelMs: [400, 300, 200, 100] });

/** A block with both faces on a slow lens, its serial line unplugged and its lens path switched to HTTP. */
async function onHttpPath(camera: { connections?: number } = {}): Promise<BlockRig> {
  rig = await openBlockRig({ withHttp: true, lens: slowLens(), camera });
  const onHttp = nextPath(rig.block, 'http');
  await unplug(rig);
  await onHttp;
  return rig;
}

describe('stop while the lens moves over HTTP', () => {
  it('halts the lens over HTTP short of the target, holds the serial stop for reopen, and the report names both paths', async () => {
    const { block, lens, http } = await onHttpPath();
    const zooming = block.zoomTo(FAR);
    zooming.catch(() => {}); // awaited below
    await until(() => lens.zoom > 0, 5000, 'the lens on its way to the far target');

    const report = await block.stop();
    expect(report).toMatchObject({ block: 'left', path: 'serial', sentAt: undefined, heldForReopen: true, carriedBy: ['serial', 'http'] });
    expect(report.httpHalt?.zoom).toBeLessThan(FAR);

    await expect(zooming).rejects.toMatchObject({ code: 'ZS_CANCELLED', message: expect.stringMatching(/stop of block left overtook its HTTP zoom to 1000/) });
    // Every zoom request after the move was a halt: none sent the lens on toward the target.
    expect(http!.zoomRequests[0]).toBe(FAR);
    expect(http!.zoomRequests.slice(1).every((p) => p < FAR)).toBe(true);
    await until(() => !lens.moving, 5000, 'the lens at rest');
    expect(lens.zoom).toBe(http!.zoomRequests.at(-1));
    expect(lens.zoom).toBeLessThan(FAR);
    expect(block.state).toMatchObject({ path: 'http', moving: false, zoom: { path: 'http' } });
  });

  it('halts again once a zoom request the camera answers only after the stop has settled, so the late zoom stops short of its target', async () => {
    // Two connections: the stop's halt does not queue behind the unanswered zoom request.
    const { block, lens, http } = await onHttpPath({ connections: 2 });
    await block.readZoom(); // logged in before the zoom request is held
    const held = http!.holdNextZoomRequest();
    const zooming = block.zoomTo(FAR);
    zooming.catch(() => {}); // awaited below
    await held.arrived; // sent, not answered, not yet applied by the camera

    const report = await block.stop();
    expect(report).toMatchObject({ heldForReopen: true, carriedBy: ['serial', 'http'], httpHalt: { zoom: 0 } });
    expect(http!.zoomRequests).toEqual([0]); // the halt, while the zoom request waits

    held.release(); // the camera now processes the zoom: the lens sets off toward the target
    await expect(zooming).rejects.toMatchObject({ code: 'ZS_CANCELLED', message: expect.stringMatching(/the lens was halted again at \d+/) });
    expect(http!.zoomRequests.slice(0, 2)).toEqual([0, FAR]);
    expect(http!.zoomRequests).toHaveLength(3); // the halt sent again after the late request settled
    expect(http!.zoomRequests[2]).toBeLessThan(FAR);
    await until(() => !lens.moving, 5000, 'the lens at rest');
    expect(lens.zoom).toBe(http!.zoomRequests[2]);
  });

  it('halts again once an overtaken zoom request fails, and the zoomTo ends ZS_CANCELLED with that failure as its cause', async () => {
    const { block, http } = await onHttpPath({ connections: 2 });
    await block.readZoom();
    const held = http!.holdNextZoomRequest();
    const zooming = block.zoomTo(FAR);
    zooming.catch(() => {}); // awaited below
    await held.arrived;
    await block.stop();
    expect(http!.zoomRequests).toEqual([0]);

    http!.server.dropConnections(); // the zoom request fails without an answer
    const error = await zooming.then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(error).toMatchObject({ code: 'ZS_CANCELLED', cause: { code: expect.stringMatching(/^ZS_HTTP/) } });
    expect(http!.zoomRequests).toEqual([0, 0]); // the halt, sent again after the failure
  });

  it('never sends a zoom that a stop overtook before its request left (it waited for the login)', async () => {
    const { block, lens, http } = await onHttpPath();
    const zooming = block.zoomTo(FAR); // not logged in yet: the request waits for the login
    zooming.catch(() => {}); // awaited below
    const report = await block.stop();
    expect(report).toMatchObject({ carriedBy: ['serial', 'http'], httpHalt: { zoom: 0 } });
    await expect(zooming).rejects.toMatchObject({ code: 'ZS_CANCELLED', cause: { code: 'ZS_CANCELLED', message: expect.stringMatching(/before it was sent; nothing was sent/) } });
    expect(http!.zoomRequests.every((p) => p < FAR)).toBe(true); // halts only
    expect(lens.zoom).toBe(0);
  });

  it('still reports the stop (held for reopen) when the HTTP halt fails, saying the lens may still move', async () => {
    const { block, http } = await onHttpPath();
    http!.server.fault('/app/v1/camera/lens', { kind: 'status', status: 403, body: '{"error":"no"}' });
    const report = await block.stop();
    expect(report).toMatchObject({ path: 'serial', heldForReopen: true, carriedBy: ['serial'], httpHalt: { problem: expect.stringMatching(/could not be halted over HTTP .* stop it again/) } });
  });
});

describe('stop with the serial side healthy', () => {
  it('goes over serial only: no HTTP request, no carriedBy or httpHalt in the report', async () => {
    rig = await openBlockRig({ withHttp: true });
    const { block, lens, http } = rig;
    expect(await block.zoomTo(300)).toMatchObject({ path: 'serial' });
    await until(() => lens.zoom === 300 && !lens.moving, 2000, 'the lens at 300 over serial');
    const requests = http!.server.stats.requests;

    const report = await block.stop();
    expect(report.path).toBe('serial');
    expect(typeof report.sentAt).toBe('number');
    expect(report).not.toHaveProperty('carriedBy');
    expect(report).not.toHaveProperty('httpHalt');
    expect(http!.server.stats.requests).toBe(requests);
  });
});
