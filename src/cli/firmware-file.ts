/**
 * The firmware image `camera firmware FILE` uploads, checked before a password is asked or
 * anything is sent: a regular file (not a directory, device or pipe that would block), not
 * empty, and not larger than any camera image (so a wrong file — an archive, a disk image —
 * is caught here rather than by the camera halfway through).
 */
import { readFile, stat } from 'node:fs/promises';
import { UsageError } from '../../protocols/errors.js';

/** 64 MiB: SZ-G10 images are a few MiB; the limit leaves room without accepting anything. */
export const FIRMWARE_MAX_BYTES = 64 * 1024 * 1024;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function readFirmwareFile(file: string, maxBytes = FIRMWARE_MAX_BYTES): Promise<Uint8Array> {
  // stat first: opening a FIFO would wait for a writer before it could be refused.
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`firmware file ${file} ${ERRNO_REASONS[error.code ?? ''] ?? `cannot be read (${error.code ?? error.message})`}`);
  });
  if (info.isDirectory()) throw new UsageError(`firmware file ${file} is a directory; give the image file inside it`);
  if (!info.isFile()) throw new UsageError(`firmware file ${file} is not a regular file (a device, pipe or socket); give the image file itself`);
  if (info.size === 0) throw new UsageError(`firmware file ${file} is empty (0 bytes); download the image again`);
  if (info.size > maxBytes) throw new UsageError(`firmware file ${file} is ${mib(info.size)}, over the ${mib(maxBytes)} limit for a firmware image; check that it is the camera's image and not an archive holding it`);
  const image = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`firmware file ${file} ${ERRNO_REASONS[error.code ?? ''] ?? `cannot be read (${error.code ?? error.message})`}`);
  });
  return new Uint8Array(image);
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'does not exist; check the path',
  EACCES: 'cannot be read (permission denied); check its permissions',
  ENOTDIR: 'is not a valid path (a part of it is not a directory); check the path',
};
