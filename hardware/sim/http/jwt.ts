/** A minimal HS256 JWT for the simulators: real tokens, with an `exp` claim that expires. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export interface JwtClaims {
  sub: string;
  jti: string;
  perm: string[];
  iat: number;
  /** Seconds since the epoch; may be fractional so tests can use sub-second lifetimes. */
  exp: number;
  /** The issuer's session generation: a simulated reboot bumps it and voids older tokens. */
  gen: number;
}

export class JwtSigner {
  private readonly secret = randomBytes(32);

  sign(sub: string, perm: string[], lifetimeMs: number, gen = 0, now = Date.now()): { token: string; claims: JwtClaims } {
    const claims: JwtClaims = { sub, jti: randomBytes(8).toString('hex'), perm, iat: Math.floor(now / 1000), exp: (now + lifetimeMs) / 1000, gen };
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    const sig = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    return { token: `${head}.${body}.${sig}`, claims };
  }

  /** The claims of a valid, unexpired token signed by this signer; undefined otherwise. */
  verify(token: string, now = Date.now()): JwtClaims | undefined {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return undefined;
    const expected = createHmac('sha256', this.secret).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JwtClaims;
      return typeof claims.exp === 'number' && claims.exp * 1000 > now ? claims : undefined;
    } catch {
      return undefined;
    }
  }
}
