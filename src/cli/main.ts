/**
 * The `zoomsync` command: dispatches to sub-commands, prints help, and turns errors into
 * one-line messages with stable exit codes (2 for bad arguments, 1 for failures).
 */
import { isZoomsyncError } from '../../protocols/errors.js';
import { type CliIO, UsageError, writeLine } from './command.js';
import { COMMANDS, type CommandEntry } from './registry.js';

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  // `zoomsync help encode` is how many people ask for a command's help
  const helpFor = name === 'help' && rest.length === 1 ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
  if (helpFor) return run(helpFor, ['--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(io.stdout, overview(COMMANDS));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    writeLine(io.stdout, '0.1.0');
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    writeLine(io.stderr, `zoomsync: unknown command "${name}". Run 'zoomsync --help' to see the commands.`);
    return 2;
  }
  return run(entry, rest, io);
}

async function run(entry: CommandEntry, args: string[], io: CliIO): Promise<number> {
  try {
    // Inside the try: a module that cannot load (a serial binding missing on this machine) is a
    // one-line failure of this command, not a crash of the CLI.
    const command = await entry.load();
    if (args.includes('--help') || args.includes('-h')) {
      writeLine(io.stdout, command.help.trimEnd());
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isZoomsyncError(error, 'ZS_INVALID_ARGUMENT') || isZoomsyncError(error, 'ZS_NOT_SUPPORTED')) {
      writeLine(io.stderr, `zoomsync ${entry.name}: ${(error as Error).message}. Run 'zoomsync ${entry.name} --help' for usage.`);
      return 2;
    }
    if (isZoomsyncError(error)) {
      writeLine(io.stderr, `zoomsync ${entry.name}: ${error.message} [${error.code}]`);
      return 1;
    }
    writeLine(io.stderr, `zoomsync ${entry.name}: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return 1;
  }
}

function overview(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'zoomsync — PELCO-D/P, M-Sync and HTTP control of camera zoom blocks',
    '',
    'Usage: zoomsync <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'zoomsync <command> --help' for a command's options.",
  ].join('\n');
}
