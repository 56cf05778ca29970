/**
 * Bearer tokens: who may call what. Tokens live in a JSON file next to the rig file
 * (`rig.yaml` -> `rig.tokens.json`), mode 0600; on first start it is created with one admin
 * token and one read-only token. Each token has a name (shown as "who moved it last" and in the
 * log, never the token itself) and a role:
 *   read      GET routes and the WebSocket's live state (dashboards)
 *   operator  + every control call (moves, presets, modes, groups, camera settings)
 *   admin     + the dangerous camera calls (factory default, reboot)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../../protocols/errors.js';

export const ROLES = ['read', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  /** The token's name (never the token). */
  name: string;
  role: Role;
}

export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

const TOKEN_FILE_SCHEMA = z.strictObject({
  version: z.literal(1),
  tokens: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[\w.@-]{1,64}$/, 'expected a name of 1–64 letters, digits, _ . @ -'),
        role: z.enum(ROLES),
        token: z.string().min(24, 'expected a token of at least 24 characters (generate one with: openssl rand -base64 32)'),
      }),
    )
    .min(1),
});
export type TokenFile = z.infer<typeof TOKEN_FILE_SCHEMA>;

/** `rig.yaml` -> `rig.tokens.json`, in the same folder. */
export function tokenFileFor(configPath: string): string {
  return join(dirname(configPath), `${basename(configPath, extname(configPath))}.tokens.json`);
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The tokens a server accepts; looks a bearer token up in constant time. */
export class TokenBook {
  private readonly entries: { digest: Buffer; caller: Caller }[];

  constructor(file: TokenFile) {
    const names = new Set<string>();
    this.entries = file.tokens.map((t) => {
      if (names.has(t.name)) throw new ConfigError([{ path: 'tokens', message: `the name "${t.name}" is used twice (expected one name per token)` }]);
      names.add(t.name);
      return { digest: digest(t.token), caller: { name: t.name, role: t.role } };
    });
  }

  /** The caller a token belongs to, or undefined. Every entry is compared, so timing says nothing. */
  lookup(token: string | undefined): Caller | undefined {
    if (typeof token !== 'string' || token === '') return undefined;
    const wanted = digest(token);
    let found: Caller | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, wanted)) found = entry.caller;
    return found;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export interface LoadedTokens {
  book: TokenBook;
  /** The file as read (checked: mode 0600, every token valid). */
  file: TokenFile;
  path: string;
  /** True when this start made the file (the service says where, never what). */
  created: boolean;
}

/**
 * Reads the token file, or creates it (mode 0600, exclusive create) with an admin and a
 * read-only token. A file others can read, or one that does not parse, is a ConfigError.
 */
export async function loadOrCreateTokens(path: string): Promise<LoadedTokens> {
  let created = false;
  try {
    const handle = await open(path, 'wx', 0o600);
    const file: TokenFile = {
      version: 1,
      tokens: [
        { name: 'admin', role: 'admin', token: newToken() },
        { name: 'dashboard', role: 'read', token: newToken() },
      ],
    };
    await handle.writeFile(JSON.stringify(file, null, 2) + '\n');
    await handle.close();
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError([{ path: '', message: `cannot create the token file: ${(error as Error).message} (expected a writable folder next to the rig file, or --tokens FILE)` }], path);
    }
  }
  const file = await readTokenFile(path);
  return { book: new TokenBook(file), file, path, created };
}

export async function readTokenFile(path: string): Promise<TokenFile> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError([{ path: '', message: `cannot be read: ${error.code ?? error.message}` }], path);
  });
  if ((info.mode & 0o077) !== 0) {
    throw new ConfigError([{ path: '', message: `mode ${(info.mode & 0o777).toString(8)} lets others read the tokens (expected 0600: chmod 600 ${path})` }], path);
  }
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ path: '', message: `not JSON: ${(error as Error).message}` }], path);
  }
  const parsed = TOKEN_FILE_SCHEMA.safeParse(data);
  if (!parsed.success) {
    const problems: ConfigProblem[] = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ConfigError(problems, path);
  }
  return parsed.data;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
