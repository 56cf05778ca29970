/**
 * The shape of a `zoomsync` sub-command and the helpers every command shares:
 * argument parsing with one-line usage errors (exit code 2) and `--help`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../protocols/errors.js';

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks the command to end (Ctrl-C / SIGTERM). */
  interrupted: Promise<void>;
}

/** A sub-command's module. Its one-line summary lives in the registry, which lists commands without loading them. */
export interface CliCommand {
  name: string;
  /** Full help text for `zoomsync <name> --help`. */
  help: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIO): Promise<number>;
}

// A bad argument: printed as one line, exit code 2. It lives with the rest of the error family.
export { UsageError } from '../../protocols/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface ParsedArgs {
  values: Record<string, OptionValue>;
  positionals: string[];
}

/** parseArgs in strict mode, with its errors turned into UsageErrors that name the command. */
export function parseCommandArgs(args: string[], options: Options, allowPositionals = true): ParsedArgs {
  // parseArgs reads "-5" as an unknown option (or, after --address, as a missing value): say what it is.
  const end = args.indexOf('--');
  const negative = (end < 0 ? args : args.slice(0, end)).find((arg) => /^-(\d|0x)/i.test(arg));
  if (negative !== undefined) throw new UsageError(`${negative} is out of range: no value here can be negative`);
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '').replace(/\.$/, ''));
  }
  // parseArgs keeps the last of a repeated option: `--address 1 ... --address 2` would quietly
  // drive camera 2. Two different values for one option is a mistake to point out.
  const seen = new Map<string, string>();
  const tokens = (parsed as { tokens?: { kind: string; name?: string; value?: string }[] }).tokens ?? [];
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined || token.value === undefined || options[token.name]?.multiple) continue;
    const earlier = seen.get(token.name);
    if (earlier !== undefined && earlier !== token.value) {
      throw new UsageError(`--${token.name} is given twice ("${earlier}" and "${token.value}"); give it once`);
    }
    seen.set(token.name, token.value);
  }
  return { values: parsed.values as Record<string, OptionValue>, positionals: parsed.positionals };
}

/** An integer option or positional, with a usage error naming it when it is not one. */
export function parseInteger(name: string, text: string | undefined, min?: number, max?: number): number {
  if (text === undefined) throw new UsageError(`${name} is required`);
  const value = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${name} must be an integer, got ${JSON.stringify(text)}`);
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    throw new UsageError(`${name} must be ${min}–${max}, got ${value}`);
  }
  return value;
}

/** A string option's value (the last one when repeated). */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function flag(parsed: ParsedArgs, name: string): boolean {
  return parsed.values[name] === true;
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(text + '\n');
}
