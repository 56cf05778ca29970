/**
 * The border for camera answers: every body is parsed with a zod schema, and an answer that
 * does not match is a ZS_HTTP_BAD_RESPONSE carrying a (redacted) snippet of what came back.
 */
import type { z } from 'zod';
import { ZoomsyncError } from '../../errors.js';
import { redact } from './redact.js';

const SNIPPET_CHARS = 200;

/** The start of a body, redacted and shortened, for an error message. */
export function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cut = oneLine.length > SNIPPET_CHARS ? oneLine.slice(0, SNIPPET_CHARS) + '…' : oneLine;
  return redact(cut) || '(empty body)';
}

export class BadResponseError extends ZoomsyncError {
  /** The redacted start of the offending body. */
  readonly snippet: string;
  constructor(what: string, problem: string, body: string, cause?: unknown) {
    const shown = snippet(body);
    super(
      'ZS_HTTP_BAD_RESPONSE',
      `${what}: the camera's answer does not match the API (${problem}): ${shown} — check the dialect and the camera's firmware version`,
      { cause },
    );
    this.name = 'BadResponseError';
    this.snippet = shown;
  }
}

/** Parse a JSON body against a schema. `what` names the call, e.g. "szg10 GET /app/v1/camera/lens". */
export function parseJson<S extends z.ZodType>(schema: S, body: string, what: string): z.infer<S> {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // No cause: V8's SyntaxError quotes a short body verbatim, unredacted.
    throw new BadResponseError(what, 'not valid JSON', body);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'schema mismatch';
    throw new BadResponseError(what, where, body, result.error);
  }
  return result.data;
}
