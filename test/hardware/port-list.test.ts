import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adviceFor, portNotFound } from '../../hardware/serial/open-errors.js';
import { PortNotFoundError } from '../../protocols/errors.js';
import { describePorts, listSerialPorts } from '../../hardware/serial/port-list.js';

describe('listSerialPorts', () => {
  let dev: string | undefined;
  afterEach(async () => dev && rm(dev, { recursive: true, force: true }));

  it('lists by-id links with their targets, adapters and UARTs, and only the first four ttyS', async () => {
    dev = await mkdtemp(join(tmpdir(), 'zoomsync-dev-'));
    const files = ['ttyUSB1', 'ttyUSB0', 'ttyACM0', 'ttyAMA0', 'serial0', 'tty1', 'null', ...Array.from({ length: 12 }, (_, i) => `ttyS${i}`)];
    for (const f of files) await writeFile(join(dev, f), '');
    await mkdir(join(dev, 'serial', 'by-id'), { recursive: true });
    await symlink('../../ttyUSB0', join(dev, 'serial', 'by-id', 'usb-FTDI_FT232R-if00-port0'));
    const ports = await listSerialPorts(dev);
    expect(ports).toEqual([
      `${dev}/serial/by-id/usb-FTDI_FT232R-if00-port0 -> ${dev}/ttyUSB0`,
      `${dev}/ttyUSB0`,
      `${dev}/ttyUSB1`,
      `${dev}/ttyACM0`,
      `${dev}/ttyAMA0`,
      `${dev}/serial0`,
      `${dev}/ttyS0`,
      `${dev}/ttyS1`,
      `${dev}/ttyS2`,
      `${dev}/ttyS3`,
    ]);
    const error = await portNotFound('/dev/ttyUSB9', dev);
    expect(error.code).toBe('ZS_PORT_NOT_FOUND');
    expect(error).toBeInstanceOf(PortNotFoundError);
    expect(error.path).toBe('/dev/ttyUSB9');
    expect(error.available).toEqual(ports);
    expect(error.message).toContain(`serial ports here: ${dev}/serial/by-id/usb-FTDI`);
  });

  it('says so when there are none', async () => {
    dev = await mkdtemp(join(tmpdir(), 'zoomsync-dev-'));
    expect(await listSerialPorts(dev)).toEqual([]);
    expect(await listSerialPorts(join(dev, 'missing'))).toEqual([]);
    expect(describePorts([])).toMatch(/no serial ports were found/);
  });
});

describe('open failure advice', () => {
  it.each([
    ['Error: Permission denied, cannot open /dev/ttyUSB0', /dialout group/],
    ['Error Resource temporarily unavailable Cannot lock port', /fuser \/dev\/ttyUSB0/],
    ['Inappropriate ioctl for device setting custom baud rate of 9600', /not a serial device/],
    ['something else', /dmesg/],
  ])('%s', (text, advice) => {
    expect(adviceFor('/dev/ttyUSB0', text)).toMatch(advice);
  });
});
