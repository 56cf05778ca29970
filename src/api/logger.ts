/**
 * The service's pino logger. Credentials never reach a log line: the Authorization header,
 * any `token` and any `password` field are redacted wherever they appear (and the API never
 * logs a token on purpose: callers are logged by their token's name).
 * On a terminal, pino-pretty formats the lines (loaded only then: a service under systemd
 * writes JSON lines and never loads it); if it cannot be loaded, JSON lines there too.
 */
import { pino, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'req.headers["sec-websocket-protocol"]',
];

export async function serviceLogger(stream: NodeJS.WritableStream & { isTTY?: boolean }, level = 'info'): Promise<Logger> {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (stream.isTTY) {
    const pretty = await loadPretty();
    if (pretty) return pino(options, pretty({ destination: stream, colorize: true }) as unknown as NodeJS.WritableStream);
  }
  return pino(options, stream);
}

/** pino-pretty (a dependency, but an install may have pruned it); undefined when it cannot be loaded. */
async function loadPretty(): Promise<((options: object) => unknown) | undefined> {
  const name = 'pino-pretty'; // a variable: the type checker must not require it
  try {
    const module = (await import(name)) as { default?: (options: object) => unknown };
    return module.default;
  } catch {
    return undefined;
  }
}
