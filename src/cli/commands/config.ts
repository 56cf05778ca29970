/**
 * `zoomsync config check FILE` and `zoomsync config schema`: check a rig file before the service
 * runs it, and give editors the JSON Schema that completes and checks it as it is typed.
 */
import { ConfigError, type ConfigProblem } from '../../../protocols/errors.js';
import { formatConfigError, loadRigConfig, resolvePassword, rigConfigJsonSchema, type RigConfig } from '../../config/index.js';
import { type CliCommand, type CliIO, flag, parseCommandArgs, UsageError, writeLine } from '../command.js';

export const configCommand: CliCommand = {
  name: 'config',
  help: `Usage: zoomsync config check [--passwords] FILE
       zoomsync config schema

check   Reads the rig file, checks all of it and prints a summary: the lines, the blocks on them
        (line, address, PELCO dialect, profile, HTTP face) and the groups (members, leader).
        A file with mistakes gets every problem listed, one per line, as
          FILE:LINE:COLUMN: path: what is wrong (got X, expected Y)
        Exit code 0 when the file can be used, 2 when it cannot.
        --passwords  also read every camera password (environment variables set, password files
                     mode 0600 or stricter) without printing them
schema  Prints the JSON Schema of the rig file, for editors:
          zoomsync config schema > zoomsync-rig.schema.json
        and as the rig file's first line:
          # yaml-language-server: $schema=./zoomsync-rig.schema.json

See docs/config.md for every key, and examples/rig.yaml.
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { passwords: { type: 'boolean' } });
    const [action, ...rest] = parsed.positionals;
    if (action === 'schema') {
      if (rest.length > 0 || flag(parsed, 'passwords')) throw new UsageError('schema takes no arguments');
      writeLine(io.stdout, JSON.stringify(rigConfigJsonSchema(), null, 2));
      return 0;
    }
    if (action === 'check') {
      if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'check needs the rig file: zoomsync config check FILE' : `check takes one file, got ${rest.length}`);
      return check(rest[0]!, flag(parsed, 'passwords'), io);
    }
    throw new UsageError(action === undefined ? 'say what to do: config check FILE, or config schema' : `unknown config action "${action}"; the actions are: check, schema`);
  },
};

async function check(file: string, passwords: boolean, io: CliIO): Promise<number> {
  let rig: RigConfig;
  try {
    rig = await loadRigConfig(file);
    if (passwords) await checkPasswords(rig, io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length;
    writeLine(io.stderr, `${error.file ?? file} has ${count} problem${count === 1 ? '' : 's'}:`);
    for (const line of formatConfigError(error)) writeLine(io.stderr, '  ' + line);
    return 2;
  }
  writeLine(io.stdout, summary(rig, passwords));
  return 0;
}

/** Reads every password (to find every missing one), keeping none. */
async function checkPasswords(rig: RigConfig, env: NodeJS.ProcessEnv): Promise<void> {
  const problems: ConfigProblem[] = [];
  for (const block of rig.blocks) {
    if (!block.http) continue;
    try {
      await resolvePassword(block.http.password, env, rig.file);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, rig.file);
}

/** The rig on one screen: a header, then one row per line, block and group. */
function summary(rig: RigConfig, passwordsChecked: boolean): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const faces = rig.blocks.filter((block) => block.http).length;
  const rows: string[] = [`${rig.file}: OK, ${count(rig.lines.length, 'line')}, ${count(rig.blocks.length, 'block')}, ${count(rig.groups.length, 'group')}`];
  rows.push('', 'lines', ...table(rig.lines.map((line) => [line.name, line.port, `${line.baudRate} baud`, `direction ${line.direction}` + (line.direction === 'auto' ? '' : ` (turnaround ${line.turnaroundMs} ms)`)])));
  rows.push(
    '',
    'blocks',
    ...table(
      rig.blocks.map((block) => {
        const [low, high] = block.limits.zoom;
        const calibration = block.calibration;
        return [
          block.name,
          `${block.line} #${block.address}`,
          `PELCO-${block.pelcoDialect}`,
          block.profile.name,
          `zoom ${low}–${high}`,
          calibration ? `calibrated ${calibration[0]![1]}x–${calibration[calibration.length - 1]![1]}x` : 'uncalibrated',
          block.http
            ? `http ${block.http.dialect} ${block.http.url} user ${block.http.user}, password from ${block.http.password.from === 'env' ? '$' + block.http.password.variable : block.http.password.file}`
            : 'no http',
        ];
      }),
    ),
  );
  if (rig.groups.length > 0) {
    rows.push(
      '',
      'groups',
      ...table(
        rig.groups.map((group) => [
          group.name,
          group.members.map((member) => (member === group.leader ? `${member} (leader)` : member)).join(', '),
          group.track ? `track ${group.track.hz} Hz, deadband ${group.track.deadband}` : 'no tracking',
        ]),
      ),
    );
  }
  if (passwordsChecked) rows.push('', `passwords: all ${faces} found (not shown)`);
  return rows.join('\n');
}

/** Rows of cells, each column as wide as its widest cell, indented two spaces. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => '  ' + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}
