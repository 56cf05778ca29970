/**
 * Per-request credential forms (no session): what a dialect without a login sends with every
 * call. Each dialect pairs one of these with a LoginLatch, so a refused password is sent once.
 * Every form returns the texts to mask in messages along with what goes on the wire.
 */
import { createHash } from 'node:crypto';

export interface CredentialForm<T> {
  /** What goes on the wire (a header value, query parameters, a hashed field). */
  wire: T;
  /** Texts no message may show. */
  secrets: readonly string[];
}

/** HTTP Basic: an Authorization header. */
export function basicAuthorization(user: string, password: string): CredentialForm<string> {
  const encoded = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return { wire: `Basic ${encoded}`, secrets: [password, encoded] };
}

/** Credentials in the query of every call (api.cgi's short form): URL-encoded. */
export function credentialQuery(user: string, password: string, names = { user: 'user', password: 'password' }): CredentialForm<string> {
  const query = new URLSearchParams({ [names.user]: user, [names.password]: password }).toString();
  return { wire: query, secrets: [password, encodeURIComponent(password), new URLSearchParams({ p: password }).toString().slice(2)] };
}

/** An MD5 hex of the password sent in its place (cgi_action). */
export function md5Password(password: string): CredentialForm<string> {
  const hash = createHash('md5').update(password, 'utf8').digest('hex');
  return { wire: hash, secrets: [password, hash] };
}
