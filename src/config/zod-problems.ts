/**
 * zod issues -> rig-file problems in the house form `what is wrong (got X, expected Y)`.
 *
 * The schema's own messages that start with "expected " say what was expected; this module adds
 * what was found. Refinement messages are whole sentences and pass through. A value is quoted
 * only where it is safe to: nothing under a refused key (a password) is ever repeated.
 */
import type { z } from 'zod';
import type { ConfigProblem } from '../../protocols/errors.js';
import { dottedPath, type PathSegment, quote } from './problems.js';
import { PASSWORD_ADVICE } from './schema.js';

type Issue = z.core.$ZodIssue;

/** Every issue as problems (an issue about several unknown keys becomes one problem per key). */
export function problemsFromIssues(issues: readonly Issue[], schema: z.ZodType): ConfigProblem[] {
  return issues.flatMap((issue) => problemsFromIssue(issue, schema));
}

function problemsFromIssue(issue: Issue, schema: z.ZodType): ConfigProblem[] {
  const path = issue.path as PathSegment[];
  if (issue.code === 'unrecognized_keys') {
    const allowed = objectKeysAt(schema, path) ?? [];
    return issue.keys.map((key) => ({ path: dottedPath([...path, key]), message: unknownKeyMessage(key, allowed) }));
  }
  return [{ path: dottedPath(path), message: messageOf(issue) }];
}

function messageOf(issue: Issue): string {
  const ours = issue.message.startsWith('expected ') ? issue.message.slice('expected '.length) : undefined;
  const got = quote(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      // z.never(): a key that must not be there at all (password); its value is not repeated
      if (issue.expected === 'never') return `refused: ${issue.message}`;
      if (issue.input === undefined) return `missing (expected ${ours ?? describeType(issue.expected)})`;
      return `wrong type (got ${got}, expected ${ours ?? describeType(issue.expected)})`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      if (issue.origin === 'array') return `${issue.code === 'too_small' ? 'too few' : 'too many'} entries (got ${(issue.input as unknown[] | undefined)?.length ?? 0}, expected ${ours ?? bound})`;
      if (issue.origin === 'string') return `${issue.code === 'too_small' ? 'too short' : 'too long'} (got ${got}, expected ${ours ?? bound})`;
      return `out of range (got ${got}, expected ${ours ?? bound})`;
    }
    case 'invalid_value':
      return `not one of the choices (got ${got}, expected ${ours ?? issue.values.map((v) => quote(v)).join(', ')})`;
    case 'invalid_format':
      return `not valid (got ${got}, expected ${ours ?? issue.format})`;
    case 'custom':
      return issue.message;
    default:
      return `${issue.message} (got ${got})`;
  }
}

function describeType(type: string): string {
  switch (type) {
    case 'object':
      return 'a mapping of key: value';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'an integer';
    default:
      return type;
  }
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  if (/^pass(word)?$|^pw$|^secret$/i.test(key)) return `refused: ${PASSWORD_ADVICE}`;
  const near = allowed.find((candidate) => isNear(key, candidate));
  return `unknown key (got ${quote(key)}, expected one of: ${allowed.join(', ')})` + (near ? `; did you mean ${quote(near)}?` : '');
}

/** Same letters up to case, or at most two edits apart: a typo, not another word. */
function isNear(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 2 || Math.min(a.length, b.length) < 4) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]! <= 2;
}

/**
 * The keys a mapping at `path` may have, read from the schema itself (so the list never drifts
 * from it). Keys whose schema is `never` (refused keys such as password) are not offered.
 */
function objectKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] | undefined {
  let current: z.core.$ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    const def = current._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; items?: z.core.$ZodType[] };
    if (def.type === 'object') current = def.shape![String(segment)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'tuple') current = def.items![Number(segment)];
    else return undefined;
    if (current === undefined) return undefined;
    current = unwrap(current);
  }
  const def = current._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType> };
  if (def.type !== 'object') return undefined;
  return Object.entries(def.shape!)
    .filter(([, field]) => unwrap(field)._zod.def.type !== 'never')
    .map(([key]) => key);
}

/** Through .optional() and .default() to the schema they wrap. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as { type: string; innerType?: z.core.$ZodType };
    if ((def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable') && def.innerType) current = def.innerType;
    else return current;
  }
}
