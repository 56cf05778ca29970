/**
 * Problems in a rig file: how one is written, where it is, and how a list of them is printed.
 * Every problem reads `path: what is wrong (got X, expected Y)`; printed with its place in the
 * file in front (`rig.yaml:12:5: blocks.0.address: ...`), the form editors and terminals link.
 */
import { ConfigError, type ConfigProblem } from '../../protocols/errors.js';

export type PathSegment = string | number;

/** A ConfigProblem with its place in the file, when the file had one for it. */
export interface RigProblem extends ConfigProblem {
  /** 1-based line of the key or value the problem is about. */
  line?: number;
  /** 1-based column. */
  column?: number;
}

/** `['blocks', 0, 'address']` -> `blocks.0.address`; the whole file is ''. */
export function dottedPath(path: readonly PathSegment[]): string {
  return path.map(String).join('.');
}

/** A value as a problem quotes it: JSON, cut short so one problem stays one line. */
export function quote(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** `file:line:column: path: message`, or without the place when it is not known. */
export function formatProblem(problem: ConfigProblem, file?: string): string {
  const { line, column } = problem as RigProblem;
  const place = line === undefined ? file : `${file ?? 'line'}${file ? ':' : ' '}${line}${column === undefined ? '' : `:${column}`}`;
  const where = problem.path || (place ? '' : '(file)');
  return [place, where, problem.message].filter(Boolean).join(': ');
}

/** Every problem of a ConfigError, one line each, in file order. */
export function formatConfigError(error: ConfigError): string[] {
  return error.problems.map((problem) => formatProblem(problem, error.file));
}

/** Problems in the order they appear in the file (those without a place last, in the order found). */
export function inFileOrder(problems: readonly RigProblem[]): RigProblem[] {
  const where = (p: RigProblem) => (p.line === undefined ? Number.MAX_SAFE_INTEGER : p.line * 1e6 + (p.column ?? 0));
  return problems.map((problem, index) => ({ problem, index })).sort((a, b) => where(a.problem) - where(b.problem) || a.index - b.index).map(({ problem }) => problem);
}
