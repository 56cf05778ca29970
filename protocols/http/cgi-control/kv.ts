/**
 * The `key = value` text format of the CGI control API (digest of seeds/002 §2.3, §8), pure.
 *
 * Tolerant of what the digest says cameras send: `\n` or `\r\n` line ends, trailing blanks,
 * blank lines between groups, an empty value (`seconddns = `), `[Section]` headers, bare lines
 * inside a section (the framerate and keyframe capability lines), the document's trailing
 * ` * annotation` after a value (values never legitimately contain `*`), and `Error:` written
 * with or without a space.
 * Strict about what it forbids: a key that is not a token (letters, digits, `.`, `_`, `-`),
 * a bare line outside any section (an HTML page, a different API), control characters, and an
 * `Error:` line anywhere but first. Such a body is a KvFormatError naming the line.
 */

export interface KvSection {
  /** The header's text without brackets; '' for the lines before any header. */
  name: string;
  values: Record<string, string>;
  /** Lines that are not `key = value` (only inside a named section). */
  lines: string[];
}

export type KvBody =
  | { kind: 'values'; sections: KvSection[]; /** Every key of every section; a later one wins. */ flat: Record<string, string> }
  | { kind: 'error'; /** The description after `Error:`, trimmed (may be ''). */ message: string }
  | { kind: 'empty' };

/** A body that is not the documented format: `line` is 1-based. */
export class KvFormatError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'KvFormatError';
  }
}

const ERROR_LINE = /^\s*Error\s*:(.*)$/;
const SECTION = /^\[([^\]]+)\]$/;
const PAIR = /^([^=]+?)\s*=\s?(.*)$/;
const KEY = /^[A-Za-z0-9_.-]+$/;
/** The document's annotation after a value: blanks, then `*` and anything. */
const ANNOTATION = /\s+\*.*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Reads a body. Throws KvFormatError for what the format forbids. */
export function parseKv(body: string): KvBody {
  const lines = body.split(/\r?\n/).map((l) => l.replace(/[ \t\r]+$/, ''));
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { kind: 'empty' };
  const error = ERROR_LINE.exec(lines[first]!);
  if (error) return { kind: 'error', message: error[1]!.trim() };
  const sections: KvSection[] = [{ name: '', values: {}, lines: [] }];
  const flat: Record<string, string> = {};
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    if (CONTROL.test(line)) throw new KvFormatError(n, 'a control character');
    const text = line.trim();
    if (ERROR_LINE.test(text)) throw new KvFormatError(n, 'an "Error:" line after values (an error body has it first)');
    const header = SECTION.exec(text);
    if (header) {
      sections.push({ name: header[1]!.trim(), values: {}, lines: [] });
      return;
    }
    const current = sections[sections.length - 1]!;
    const pair = PAIR.exec(text);
    if (pair && KEY.test(pair[1]!.trim())) {
      const key = pair[1]!.trim();
      const value = pair[2]!.replace(ANNOTATION, '').trim();
      current.values[key] = value;
      flat[key] = value;
      return;
    }
    if (pair) throw new KvFormatError(n, `${JSON.stringify(pair[1]!.trim().slice(0, 40))} is not a key (letters, digits, ".", "_", "-")`);
    if (current.name === '') throw new KvFormatError(n, `${JSON.stringify(text.slice(0, 40))} is neither "key = value" nor a "[Section]" header`);
    current.lines.push(text);
  });
  return { kind: 'values', sections: sections.filter((s) => s.name !== '' || Object.keys(s.values).length > 0), flat };
}

/** A group of lines to write: plain values, or a `[Section]` with its values (and bare lines). */
export type KvGroup = Readonly<Record<string, string | number>> | KvNamedGroup;
export interface KvNamedGroup {
  section: string;
  values: Readonly<Record<string, string | number>>;
  lines?: readonly string[];
}

function isNamed(group: KvGroup): group is KvNamedGroup {
  return typeof group.section === 'string' && typeof group.values === 'object';
}

/** Writes values as the simulator sends them: `key = value` lines, groups split by a blank line. */
export function formatKv(groups: readonly KvGroup[], eol = '\r\n'): string {
  const out: string[] = [];
  groups.forEach((group, i) => {
    if (i > 0) out.push('');
    const values = isNamed(group) ? group.values : group;
    if (isNamed(group)) out.push(`[${group.section}]`);
    for (const [key, value] of Object.entries(values)) out.push(`${key} = ${value}`);
    if (isNamed(group) && group.lines) out.push(...group.lines);
  });
  return out.join(eol) + eol;
}

/** A section by name: case-insensitive, spaces ignored (`[Capabilities PTZ]`). */
export function section(body: Extract<KvBody, { kind: 'values' }>, name: string): KvSection | undefined {
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  return body.sections.find((s) => norm(s.name) === norm(name));
}
