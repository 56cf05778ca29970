/**
 * Redaction of secrets in anything printed: passwords, tokens, Authorization headers and the
 * userinfo of URLs. Every error message and log line of the HTTP side goes through here.
 */

const SECRET_KEYS = /("?(?:password|passwd|pwd|userPassword|token|access_token|secret|auth)"?\s*[:=]\s*)("[^"]*"|[^\s&,;}]+)/gi;
const BEARER = /\b(Bearer|Basic|Digest)\s+[A-Za-z0-9._~+/=-]+/g;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

export function redact(text: string): string {
  return text
    .replace(URL_USERINFO, '$1***@')
    .replace(BEARER, '$1 ***')
    .replace(JWT, '***')
    .replace(SECRET_KEYS, (_m, key: string, value: string) => key + (value.startsWith('"') ? '"***"' : '***'));
}

/**
 * Masks every occurrence of each secret (a password, its SHA-256 hex) in text, wherever it
 * stands: a camera that echoes the request body in an error page puts the secret under no
 * known key. Case-insensitive, so an upper-case echo of a hex hash is masked too. Longer secrets
 * first, so a password inside its own context never leaves half of a longer secret showing.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const present = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0).sort((a, b) => b.length - a.length);
  if (present.length === 0) return text;
  const pattern = new RegExp(present.map(escapeRegExp).join('|'), 'gi');
  return text.replace(pattern, '***');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A URL as shown to users: no userinfo, no query values that look like secrets. */
export function displayUrl(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    parsed.username = '';
    parsed.password = '';
    return redact(parsed.toString());
  } catch {
    return redact(String(url));
  }
}
