/**
 * Turns a failed open into an error that says what to do: a missing path lists the ports that
 * do exist, the usual errno causes get their usual remedy.
 */
import { PortNotFoundError, PortOpenFailedError } from '../../protocols/errors.js';
import { describePorts, listSerialPorts } from './port-list.js';

export async function portNotFound(path: string, devDir?: string): Promise<PortNotFoundError> {
  const ports = await listSerialPorts(devDir);
  return new PortNotFoundError(path, ports, `serial port ${path} does not exist; ${describePorts(ports)}`);
}

/** serialport reports open failures as plain Errors with the strerror text, so the text is what we can go by. */
export function openFailed(path: string, cause: unknown): PortOpenFailedError {
  const text = (cause instanceof Error ? cause.message : String(cause)).replace(/^Error:?\s*/, '');
  return new PortOpenFailedError(path, `cannot open serial port ${path}: ${text}; ${adviceFor(path, text)}`, { cause });
}

export function adviceFor(path: string, text: string): string {
  if (/permission denied|EACCES|EPERM/i.test(text)) {
    return 'add the user to the dialout group (sudo usermod -aG dialout $USER, then log in again) or run with access to the device';
  }
  if (/cannot lock port|resource temporarily unavailable|EBUSY|EAGAIN/i.test(text)) {
    return `another program holds the port (find it with: fuser ${path}); stop it (a serial console, ModemManager, another zoomsync) and try again`;
  }
  if (/inappropriate ioctl|ENOTTY/i.test(text)) {
    return `${path} is not a serial device; pick one of the serial ports (ls /dev/serial/by-id)`;
  }
  if (/baud/i.test(text)) {
    return 'the adapter does not accept this baud rate; PELCO devices use 2400, 4800 or 9600';
  }
  return 'check that the adapter is plugged in and works (dmesg shows what the kernel saw)';
}
