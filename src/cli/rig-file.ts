/**
 * Loading the rig file for a command that drives it (`do`, `calibrate`): --config FILE, and a
 * file with problems printed as `config check` prints them (exit code 2).
 */
import { ConfigError } from '../../protocols/errors.js';
import { formatConfigError, loadRigConfig } from '../config/index.js';
import type { RigConfig } from '../config/types.js';
import { type CliIO, type ParsedArgs, stringOption, UsageError, writeLine } from './command.js';

export const CONFIG_OPTION = { config: { type: 'string', short: 'c' } } as const;
export const CONFIG_OPTION_HELP = `  --config FILE, -c   the rig file (lines, blocks, groups; see docs/config.md)`;

/** The rig, or undefined after printing the file's problems (the caller exits with 2). */
export async function loadRigFile(parsed: ParsedArgs, io: CliIO, command: string): Promise<RigConfig | undefined> {
  const file = stringOption(parsed, 'config');
  if (file === undefined) throw new UsageError('--config FILE is required (the rig file naming the lines and blocks; see examples/rig.yaml)');
  try {
    return await loadRigConfig(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    printConfigError(error, io, command);
    return undefined;
  }
}

export function printConfigError(error: ConfigError, io: CliIO, command: string): void {
  const count = error.problems.length;
  writeLine(io.stderr, `zoomsync ${command}: ${error.file ?? 'the rig file'} has ${count} problem${count === 1 ? '' : 's'}:`);
  for (const line of formatConfigError(error)) writeLine(io.stderr, '  ' + line);
}
