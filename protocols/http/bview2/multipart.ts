/**
 * The firmware upload body (§9.2.6): multipart/form-data with one part, field `setting_file`, a
 * file name ending `.pkg`, part type application/octet-stream. Built by the client, read (as
 * strictly as the manual prints it) by the simulator. Pure.
 */
import { InvalidArgumentError } from '../../errors.js';

export const FIRMWARE_FIELD = 'setting_file';
const FILE_NAME = /^[^"\\/\r\n]{1,120}\.pkg$/i;

export function checkFirmwareFileName(name: string): string {
  if (typeof name !== 'string' || !FILE_NAME.test(name)) {
    throw new InvalidArgumentError('firmware file name', name, 'a file name ending in .pkg (no quotes, slashes or line breaks), e.g. bv-b-20200503.pkg');
  }
  return name;
}

export function buildFirmwareBody(image: Uint8Array, fileName: string, boundary: string): { body: Uint8Array; contentType: string } {
  checkFirmwareFileName(fileName);
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${FIRMWARE_FIELD}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return { body: Buffer.concat([Buffer.from(head, 'utf8'), image, Buffer.from(tail, 'utf8')]), contentType: `multipart/form-data; boundary=${boundary}` };
}

export type FirmwarePart = { ok: true; fileName: string; bytes: Buffer } | { ok: false; problem: string };

/** The one part of a firmware upload, or what is wrong with the body. */
export function readFirmwareBody(contentType: string | undefined, body: Buffer): FirmwarePart {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data') return { ok: false, problem: `content type ${JSON.stringify(contentType ?? '(none)')} instead of multipart/form-data` };
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return { ok: false, problem: 'multipart/form-data without a boundary' };
  const delimiter = Buffer.from(`--${mark}`);
  const first = body.indexOf(delimiter);
  if (first !== 0) return { ok: false, problem: 'the body does not start with the boundary' };
  const parts: Buffer[] = [];
  let at = delimiter.length;
  for (;;) {
    if (body.subarray(at, at + 2).toString() === '--') break; // the closing delimiter
    if (body.subarray(at, at + 2).toString() !== '\r\n') return { ok: false, problem: 'a boundary not followed by CRLF' };
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), at);
    if (next < 0) return { ok: false, problem: 'no closing boundary (the body is cut off)' };
    parts.push(body.subarray(at + 2, next));
    at = next + 2 + delimiter.length;
  }
  if (parts.length !== 1) return { ok: false, problem: `${parts.length} parts where the upload has one` };
  const part = parts[0]!;
  const split = part.indexOf('\r\n\r\n');
  if (split < 0) return { ok: false, problem: 'a part without headers' };
  const headers = part.subarray(0, split).toString('utf8').split('\r\n');
  const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
  const partType = headers.find((h) => /^content-type:/i.test(h));
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
  const fileName = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
  if (!/^content-disposition:\s*form-data/i.test(disposition)) return { ok: false, problem: 'the part is not form-data' };
  if (name !== FIRMWARE_FIELD) return { ok: false, problem: `field ${JSON.stringify(name ?? '(none)')} instead of ${FIRMWARE_FIELD}` };
  if (!fileName || !FILE_NAME.test(fileName)) return { ok: false, problem: `file name ${JSON.stringify(fileName ?? '(none)')} does not end in .pkg` };
  if (!partType || partType.replace(/^content-type:\s*/i, '').trim().toLowerCase() !== 'application/octet-stream') return { ok: false, problem: 'the part is not application/octet-stream' };
  return { ok: true, fileName, bytes: part.subarray(split + 4) };
}
