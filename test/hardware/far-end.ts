/** The device side of a PtyPair, opened with the real serialport library (test helper). */
import { SerialPort } from 'serialport';

export function openFarEnd(path: string, baudRate = 9600): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate }, (error) => (error ? reject(error) : resolve(port)));
    port.on('error', () => {});
  });
}

export function closeFarEnd(port: SerialPort | undefined): Promise<void> {
  return new Promise((resolve) => (port?.isOpen ? port.close(() => resolve()) : resolve()));
}

/** Collects bytes from a stream-like source until `count` have arrived. */
export function collect(source: { on(event: 'data', cb: (chunk: Buffer) => void): unknown }, count: number): Promise<number[]> {
  const bytes: number[] = [];
  return new Promise((resolve) => {
    source.on('data', (chunk: Buffer) => {
      bytes.push(...chunk);
      if (bytes.length >= count) resolve(bytes);
    });
  });
}

export function once<T = void>(emitter: { once(event: string, cb: (value: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, resolve));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
