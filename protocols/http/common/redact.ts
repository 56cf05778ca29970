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
