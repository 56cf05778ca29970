/**
 * The border for camera answers: every body is parsed with a zod schema, and an answer that
 * does not match is a ZS_HTTP_BAD_RESPONSE carrying a (redacted) snippet of what came back.
 */
import type { z } from 'zod';
import { ZoomsyncError } from '../../errors.js';
import { redact, redactSecrets } from './redact.js';

const SNIPPET_CHARS = 200;

/**
 * The start of a body, redacted and shortened, for an error message. `secrets` (a password, its
 * hash) are masked before the cut, so a secret straddling the cut leaves no visible half.
 */
export function snippet(text: string, secrets: readonly (string | undefined)[] = []): string {
  const oneLine = redactSecrets(text.replace(/\s+/g, ' ').trim(), secrets);
  const cut = oneLine.length > SNIPPET_CHARS ? oneLine.slice(0, SNIPPET_CHARS) + '…' : oneLine;
  return redact(cut) || '(empty body)';
}

export interface BadResponseOptions {
  cause?: unknown;
  /** Masked wherever they appear in the snippet. */
  secrets?: readonly (string | undefined)[];
  /** What to do, replacing the default advice (check the dialect and firmware). */
  advice?: string;
  /** The problem is the whole story (not "does not match the API"), e.g. "the answer is not HTTP". */
  plain?: boolean;
}

export class BadResponseError extends ZoomsyncError {
  /** The redacted start of the offending body. */
  readonly snippet: string;
  /** `body` undefined: nothing of the answer to show (it was refused unread, or cut off). */
  constructor(what: string, problem: string, body: string | undefined, options: BadResponseOptions = {}) {
    const shown = body === undefined ? '' : snippet(body, options.secrets);
    const advice = options.advice ?? "check the dialect and the camera's firmware version";
    const head = options.plain ? problem : `the camera's answer does not match the API (${problem})`;
    super('ZS_HTTP_BAD_RESPONSE', `${what}: ${head}${body === undefined ? '' : `: ${shown}`} — ${advice}`, { cause: options.cause });
    this.name = 'BadResponseError';
    this.snippet = shown;
  }
}

/** Parse a JSON body against a schema. `what` names the call, e.g. "szg10 GET /app/v1/camera/lens". */
export function parseJson<S extends z.ZodType>(schema: S, body: string, what: string, secrets: readonly (string | undefined)[] = []): z.infer<S> {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // No cause: V8's SyntaxError quotes a short body verbatim, unredacted.
    throw new BadResponseError(what, 'not valid JSON', body, { secrets });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'schema mismatch';
    throw new BadResponseError(what, where, body, { cause: result.error, secrets });
  }
  return result.data;
}
