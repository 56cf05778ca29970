/**
 * Masks a password wherever it would be printed: the exact text, the forms it takes inside
 * JSON and URLs, and its SHA-256 hash (what the SZ-G10 login sends) in hex of either case.
 * Matching the values themselves, not known keys, also catches an echo of the password in a
 * camera's error page or a raw answer.
 * The matching itself is the HTTP clients' `redactSecrets`, so the CLI and the clients mask alike.
 */
import { createHash } from 'node:crypto';
import { redactSecrets } from '../../protocols/http/common/redact.js';

/** Every printable form of a password worth hiding, longest first (so no form is half-masked). */
export function passwordForms(password: string): string[] {
  if (password === '') return [];
  const hash = createHash('sha256').update(password, 'utf8').digest('hex');
  const forms = new Set([password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password), hash, hash.toUpperCase()]);
  return [...forms].sort((a, b) => b.length - a.length);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets);
}

/**
 * A writable that masks every string or buffer written through it before it reaches `target`.
 * Everything else (isTTY, columns, once, ...) is the target's own. `secrets` is read on every
 * write, so secrets learned later (the password, once asked) are masked from then on.
 */
export function maskingStream<T extends NodeJS.WritableStream>(target: T, secrets: readonly string[]): T {
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return (target.write as (...args: unknown[]) => boolean)(maskSecrets(text, secrets), ...rest);
  };
  return new Proxy(target, {
    get(object, key) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** Masks an error's message and stack in place, keeping its class and code (the exit code depends on them). */
export function maskError(error: unknown, secrets: readonly string[]): unknown {
  if (error instanceof Error && secrets.length) {
    error.message = maskSecrets(error.message, secrets);
    if (error.stack) error.stack = maskSecrets(error.stack, secrets);
  }
  return error;
}
