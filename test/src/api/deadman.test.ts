/** Dead-man over the API, against real blocks on a pty: every wait is on a frame or a message, never a clock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameAfter, kindOf } from './support/frames.js';
import { type ApiRig, call, connect, openApiRig, TOKENS, type WsClient } from './support/api-rig.js';

const moveOf = (address: number) => kindOf(address, 'move');
const stopOf = (address: number) => kindOf(address, 'stop');

describe('dead-man leases', () => {
  let rig: ApiRig;
  let dashboard: WsClient;
  beforeAll(async () => {
    rig = await openApiRig();
    dashboard = await connect(rig, TOKENS.read);
  });
  afterAll(async () => {
    dashboard?.socket.close();
    await rig?.close();
  });

  it('a WebSocket client that stops renewing gets a stop frame at its block', async () => {
    const op = await connect(rig, TOKENS.op);
    const from = rig.sim.received.length;
    op.send({ type: 'move', target: 'block:left', zoom: 1, leaseMs: 100 });
    const move = await frameAfter(rig.sim, from, moveOf(1));
    expect(move.command).toMatchObject({ zoom: 'tele' });
    await frameAfter(rig.sim, from, stopOf(1));
    expect(await dashboard.next((m) => m.type === 'deadman' && m.target === 'block:left')).toMatchObject({ by: 'op', reason: 'expired' });
    // the socket is still open: only its motion ended
    expect(op.socket.readyState).toBe(op.socket.OPEN);
    op.socket.close();
  });

  it('a joystick stream whose moves replace each other before they leave still ends in a stop when it goes quiet', async () => {
    const op = await connect(rig, TOKENS.op);
    const from = rig.sim.received.length;
    // one burst: the scheduler replaces each unsent move with the next (the replaced ones fail ZS_CANCELLED)
    for (let i = 1; i <= 10; i++) op.send({ type: 'move', target: 'block:left', pan: i / 10, leaseMs: 100 });
    await frameAfter(rig.sim, from, moveOf(1));
    await frameAfter(rig.sim, from, stopOf(1));
    expect(await dashboard.next((m) => m.type === 'deadman' && m.target === 'block:left')).toMatchObject({ reason: 'expired' });
    const superseded = rig.rig.lines.lines[0]!.bus.lineCounters.superseded;
    expect(superseded, 'the burst replaced moves before they left (else this test shows nothing)').toBeGreaterThan(0);
    op.socket.close();
  });

  it('a WebSocket that closes stops its motion at once (reason closed, not a lease running out)', async () => {
    const op = await connect(rig, TOKENS.op);
    const from = rig.sim.received.length;
    op.send({ type: 'move', target: 'block:right', pan: -1, leaseMs: 500 });
    await frameAfter(rig.sim, from, moveOf(2));
    op.socket.close();
    await frameAfter(rig.sim, from, stopOf(2));
    expect(await dashboard.next((m) => m.type === 'deadman' && m.target === 'block:right')).toMatchObject({ by: 'op', reason: 'closed' });
  });

  it('two operators on one block: the latest wins, the state names it, and the first one leaving does not stop it', async () => {
    const first = await connect(rig, TOKENS.op);
    const second = await connect(rig, TOKENS.op2);
    const from = rig.sim.received.length;
    first.send({ type: 'move', target: 'block:left', zoom: -1, leaseMs: 500, id: 'a' });
    await first.next((m) => m.type === 'ok' && m.id === 'a');
    second.send({ type: 'move', target: 'block:left', zoom: 1, leaseMs: 200, id: 'b' });
    await second.next((m) => m.type === 'ok' && m.id === 'b');
    expect((await call(rig, 'GET', '/api/blocks/left', { token: TOKENS.read })).json.movedBy).toBe('op2');
    first.socket.close();
    await first.closed;
    // the lease is op2's now: what ends the motion is op2's lease running out, not op closing
    await frameAfter(rig.sim, from, stopOf(1));
    expect(await dashboard.next((m) => m.type === 'deadman' && m.target === 'block:left')).toMatchObject({ by: 'op2', reason: 'expired' });
    second.socket.close();
  });

  it('a group move under one lease stops every member when it runs out', async () => {
    const op = await connect(rig, TOKENS.op);
    const from = rig.sim.received.length;
    op.send({ type: 'move', target: 'group:stage', zoom: 1, leaseMs: 100 });
    await Promise.all([frameAfter(rig.sim, from, moveOf(1)), frameAfter(rig.sim, from, moveOf(2))]);
    await Promise.all([frameAfter(rig.sim, from, stopOf(1)), frameAfter(rig.sim, from, stopOf(2))]);
    expect(await dashboard.next((m) => m.type === 'deadman' && m.target === 'group:stage')).toMatchObject({ reason: 'expired' });
    op.socket.close();
  });

  it('a REST move carries a lease too: without a renewal its block is stopped', async () => {
    const from = rig.sim.received.length;
    const r = await call(rig, 'POST', '/api/blocks/right/move', { token: TOKENS.op, body: { tilt: 0.5, leaseMs: 100 } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.leaseMs).toBe(100);
    await frameAfter(rig.sim, from, stopOf(2));
    expect(await dashboard.next((m) => m.type === 'deadman' && m.target === 'block:right')).toMatchObject({ by: 'op', reason: 'expired' });
  });

  it('the dashboard sees block state with who moved it', async () => {
    const op = await connect(rig, TOKENS.op2);
    op.send({ type: 'stop', target: 'block:right', id: 's' });
    await op.next((m) => m.type === 'ok' && m.id === 's');
    expect(await dashboard.next((m) => m.type === 'block' && m.block.name === 'right' && m.block.movedBy === 'op2')).toBeTruthy();
    op.socket.close();
  });
});
