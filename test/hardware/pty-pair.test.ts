import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PtyPair } from '../../hardware/sim/pty-pair.js';
import { closeFarEnd as close, openFarEnd as open } from './far-end.js';

describe('PtyPair', () => {
  let pair: PtyPair | undefined;
  afterEach(async () => pair?.close());

  it('carries bytes between the two ends through the real serialport library', async () => {
    pair = await PtyPair.open();
    const controller = await open(pair.controllerPath);
    const device = await open(pair.devicePath);
    const received = new Promise<Buffer>((resolve) => device.once('data', resolve));
    controller.write(Buffer.from([0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01]));
    expect([...(await received)]).toEqual([0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01]);
    await close(controller);
    await close(device);
  });

  it('can be unplugged and replugged under the same path', async () => {
    pair = await PtyPair.open();
    const controller = await open(pair.controllerPath);
    controller.on('error', () => {}); // the failed write below also reports here
    const closed = new Promise<void>((resolve) => controller.once('close', () => resolve()));
    await pair.unplug();
    // A pty's read side does not notice the far end going away; the next write does (EIO).
    controller.write(Buffer.from([0]));
    await closed;
    await pair.replug();
    const again = await open(pair.controllerPath);
    expect(again.isOpen).toBe(true);
    await close(again);
  });

  it('replug(openDevice) lets the device end open before the controller path appears, so no first bytes are lost', async () => {
    pair = await PtyPair.open();
    await pair.unplug();
    let device: Awaited<ReturnType<typeof open>> | undefined;
    let controllerSeenEarly = true;
    await pair.replug(async (path) => {
      controllerSeenEarly = existsSync(pair!.controllerPath);
      device = await open(path);
    });
    expect(controllerSeenEarly).toBe(false);
    const received = new Promise<number[]>((resolve) => device!.once('data', (chunk: Buffer) => resolve([...chunk])));
    const controller = await open(pair.controllerPath);
    controller.write(Buffer.from([0xff, 0x01]));
    expect(await received).toEqual([0xff, 0x01]);
    await close(controller);
    await close(device!);
  });

  describe('link', () => {
    let dir: string;
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('gives the controller end a fixed path that carries bytes, and removes it on close', async () => {
      dir = mkdtempSync(join(tmpdir(), 'zoomsync-link-test-'));
      const link = join(dir, 'block1');
      pair = await PtyPair.open({ link });
      expect(pair.path).toBe(link);
      const controller = await open(link);
      const device = await open(pair.devicePath);
      const received = new Promise<Buffer>((resolve) => device.once('data', resolve));
      controller.write(Buffer.from([0xff, 0x01]));
      expect([...(await received)]).toEqual([0xff, 0x01]);
      await close(controller);
      await close(device);
      await pair.close();
      expect(existsSync(link)).toBe(false);
    });

    it('fails with ZS_PORT_BUSY on a path that is taken, and leaves it alone', async () => {
      dir = mkdtempSync(join(tmpdir(), 'zoomsync-link-test-'));
      const link = join(dir, 'block1');
      writeFileSync(link, 'mine');
      await expect(PtyPair.open({ link })).rejects.toMatchObject({ code: 'ZS_PORT_BUSY', path: link });
      expect(readFileSync(link, 'utf8')).toBe('mine');
    });
  });
});
