/**
 * Writing a frame straight to an open port's file descriptor, on the calling (event loop) thread.
 *
 * serialport's write() ends in @serialport/bindings-cpp's unixWrite, which calls fs.write: one
 * trip through libuv's threadpool (4 threads, shared with every fs call and the port's reads and
 * drains) per write: on bench/sync (a)'s 8 lines, 0.28 ms p50 (2.9 ms p99) from the call to the
 * bytes in the kernel, against 0.007 ms from this thread. The Linux and macOS bindings open the
 * port O_NONBLOCK, so a write(2) from this thread never blocks: the kernel takes what its buffer
 * has room for, or nothing (EAGAIN).
 */
import fs from 'node:fs';
import type { SerialPort } from 'serialport';

/** Whether this platform's binding holds a POSIX file descriptor (Windows' `fd` is a HANDLE). */
const POSIX = process.platform === 'linux' || process.platform === 'darwin';

/**
 * Writes as much of `bytes` as the kernel takes at once and returns how many it took, or
 * undefined when there is no direct way here (a binding without a descriptor, such as a mock or
 * Windows) or serialport still has bytes of its own to write (going first would reorder them).
 * Then the caller writes the rest through port.write(), which waits for room.
 *
 * Throws the errno error of a failed write(2) (EIO, EBADF, ENXIO: the port is gone).
 */
export function writeNow(port: SerialPort, bytes: Uint8Array): number | undefined {
  const fd = (port.port as { fd?: unknown } | undefined)?.fd;
  if (!POSIX || typeof fd !== 'number' || !port.isOpen || port.writableLength > 0) return undefined;
  try {
    return fs.writeSync(fd, bytes); // looked up per call: tests spy on it to see when bytes reach the port
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR') return 0; // full: port.write() waits for room
    throw error;
  }
}
