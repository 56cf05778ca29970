/** ZoomBlock.send: any non-query PELCO command, through the block's own method where it has one. */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../protocols/errors.js';
import { type BlockRig, frameHex, openBlockRig, until } from './block-rig.js';

let rig: BlockRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('ZoomBlock.send', () => {
  it('sends a command without a method of its own (camera-off, aux-set) serial, with its sent time', async () => {
    rig = await openBlockRig();
    const report = await rig.block.send({ kind: 'aux-set', aux: 2 });
    expect(report).toMatchObject({ block: 'left', path: 'serial', sentAt: expect.any(Number) });
    await until(() => rig!.rig.sim.received.some((f) => f.hex === frameHex({ kind: 'aux-set', aux: 2 })), 2000, 'aux-set on the wire');
  });

  it('a set-zoom goes through zoomTo: the soft limit applies and the report says so', async () => {
    rig = await openBlockRig({ block: { limits: { zoom: [0, 600] } } });
    const report = await rig.block.send({ kind: 'set-zoom', position: 800 });
    expect(report).toMatchObject({ value: 600, limited: expect.any(String) });
    await until(() => rig!.rig.sim.received.some((f) => f.hex === frameHex({ kind: 'set-zoom', position: 600 })), 2000, 'the limited frame');
  });

  it('a move and a stop go through move() and stop(): the block is moving, then not', async () => {
    rig = await openBlockRig();
    await rig.block.send({ kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    expect(rig.block.moving).toBe(true);
    await rig.block.send({ kind: 'stop' });
    expect(rig.block.moving).toBe(false);
  });

  it('refuses a query or a reply (queries are read*) and puts nothing on the line', async () => {
    rig = await openBlockRig();
    await expect(rig.block.send({ kind: 'query-zoom' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(rig.block.send({ kind: 'zoom-position', position: 3 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await rig.block.stop(); // a marker: once it arrived, anything sent before it has too
    await until(() => rig!.rig.sim.received.length > 0, 2000, 'the marker');
    expect(rig.rig.sim.received.map((f) => f.command.kind)).toEqual(['stop']);
  });
});
