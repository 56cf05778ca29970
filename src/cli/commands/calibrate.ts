import { CancelledError, ConfigError, UsageError } from '../../../protocols/errors.js';
import { calibrationYaml, writeCalibration } from '../../rig/calibration-yaml.js';
import { evenSteps, measureCalibration, tableOf } from '../../rig/calibrate.js';
import { openRig, type OpenRigOptions, type Rig } from '../../rig/open-rig.js';
import { waitSettled } from '../../rig/settle.js';
import { selectTarget } from '../../rig/target.js';
import { type CliCommand, flag, parseCommandArgs, type ParsedArgs, parseInteger, stringOption, writeLine } from '../command.js';
import { serveLineControls } from '../line-controls.js';
import { holdMotion } from '../motion-hold.js';
import { CONFIG_OPTION, CONFIG_OPTION_HELP, loadRigFile, printConfigError } from '../rig-file.js';
import { exitCodeForSignal } from '../signals.js';

const DEFAULT_STEPS = 5;

const HELP = `Usage: zoomsync calibrate --config FILE BLOCK [--steps N] [--magnification-at RAW=X ...] [--write] [--json] [--timeout MS]

Measures BLOCK's calibration table (raw zoom position -> optical magnification): zooms to each
position, waits until the zoom reads back at rest, and notes the magnification there. Prints the
table as the rig file writes it (calibration: [[raw, mag], ...]), or with --write puts it into
BLOCK's entry of FILE, changing nothing else in the file (comments and layout stay).

PELCO cannot see the picture, so the magnification comes from, in order:
  --magnification-at RAW=X   what you read off a test chart with the block at RAW
  the block's HTTP side      when its camera API reports a magnification
  the block itself           PELCO's magnification query (0x61, answered with 0x63)
A block that answers none of these needs --magnification-at for every position.

The block is moved: nothing else should drive it meanwhile. Afterwards it returns to where it
was; Ctrl-C stops it at once and writes nothing.

Options:
${CONFIG_OPTION_HELP}
  --steps N                  measure N positions evenly across the block's zoom range, ends included
                             (default ${DEFAULT_STEPS}; without --steps, only the --magnification-at positions when given)
  --magnification-at RAW=X   the magnification at raw position RAW (repeatable); RAW is measured too
  --write                    write the table into FILE instead of printing it
  --timeout MS               longest wait for one step to come to rest (default 30000)
  --json                     print {block, points: [{raw, magnification, source}], written}

Examples:
  zoomsync calibrate --config rig.yaml left
  zoomsync calibrate --config rig.yaml right --steps 9 --write
  zoomsync calibrate --config rig.yaml old --magnification-at 0=1 --magnification-at 500=2.8 --magnification-at 1000=12
`;

export interface CalibrateCommandOptions {
  devices?: OpenRigOptions['devices'];
  /** Read-back period while a step comes to rest, ms. Default 100. */
  settlePollMs?: number;
}

export function createCalibrateCommand(options: CalibrateCommandOptions = {}): CliCommand {
  return {
    name: 'calibrate',
    help: HELP,
    async run(args, io) {
      const parsed = parseCommandArgs(args, {
        ...CONFIG_OPTION,
        steps: { type: 'string' },
        'magnification-at': { type: 'string', multiple: true },
        write: { type: 'boolean' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
      });
      const [name, ...extra] = parsed.positionals;
      if (name === undefined) throw new UsageError('say which block to calibrate: zoomsync calibrate --config FILE BLOCK');
      if (extra.length > 0) throw new UsageError(`calibrate takes one BLOCK, got extra "${extra.join(' ')}"`);
      const given = givenMagnifications(parsed);
      const stepsText = stringOption(parsed, 'steps');
      const steps = stepsText === undefined ? (given.size > 0 ? undefined : DEFAULT_STEPS) : parseInteger('--steps', stepsText, 2, 1001);
      const timeoutMs = parseInteger('--timeout', stringOption(parsed, 'timeout') ?? '30000', 1, 3_600_000);

      const config = await loadRigFile(parsed, io, 'calibrate');
      if (!config) return 2;
      const target = selectTarget(config, name);
      if (target.kind !== 'block') throw new UsageError(`${name} is a group; calibrate one block at a time (${config.groups.find((g) => g.name === name)!.members.join(', ')})`);
      let rig: Rig;
      try {
        rig = await openRig(target.config, { env: io.env, devices: options.devices });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        printConfigError(error, io, 'calibrate');
        return 2;
      }
      const block = rig.block(name);
      // `zoomsync stop --port PATH` from another shell reaches our scheduler and ends the calibration.
      const controls = await serveLineControls(rig.devices.lines.lines, { what: 'calibrate', env: io.env }).catch(async (error: unknown) => {
        await rig.close();
        throw error;
      });
      const hold = holdMotion(io, 'calibrate', `block ${name}`, () => block.stop(), controls.stopRequested);
      try {
        const start = (await block.readZoom()).value;
        let points;
        try {
          points = await measureCalibration(rig, name, {
            raws: steps === undefined ? [] : evenSteps(block.zoomRange, steps),
            given,
            settle: { pollMs: options.settlePollMs ?? 100, timeoutMs },
            signal: hold.signal,
            onPoint: (p) => {
              if (!flag(parsed, 'json')) writeLine(io.stderr, `${name}: raw ${p.raw} -> ${p.magnification}x (${p.source})`);
            },
          });
        } catch (error) {
          if (!hold.signal.aborted) throw error;
          if (hold.ending === 'suspended') return exitCodeForSignal('SIGTSTP'); // stopped at Ctrl-Z; nothing written
          await block.stop();
          if (hold.ending === 'remote') throw new CancelledError(`a stop from another shell (zoomsync stop) ended the calibration of block ${name}; it is stopped and nothing was written`);
          writeLine(io.stderr, `zoomsync calibrate: ${hold.endSignal}: sent a stop to block ${name}; nothing was written`);
          return exitCodeForSignal(hold.endSignal);
        }
        // back where it was (and at rest there: closing the rig stops the block)
        const back = await block.zoomTo(Math.min(Math.max(start, block.zoomRange[0]), block.zoomRange[1]));
        await waitSettled(() => block.readZoom(), { target: back.value, pollMs: options.settlePollMs ?? 100, timeoutMs, signal: hold.signal });
        const table = tableOf(points);
        const file = config.file!;
        if (flag(parsed, 'write')) await writeCalibration(file, name, table);
        if (flag(parsed, 'json')) {
          writeLine(io.stdout, JSON.stringify({ block: name, points: points.map(({ raw, magnification, source }) => ({ raw, magnification, source })), written: flag(parsed, 'write') ? file : null }));
        } else if (flag(parsed, 'write')) {
          writeLine(io.stdout, `wrote ${calibrationYaml(table)} to block ${name} in ${file}`);
        } else {
          writeLine(io.stdout, calibrationYaml(table));
        }
        return 0;
      } catch (error) {
        await block.stop().catch(() => {});
        throw error;
      } finally {
        hold.release();
        await rig.close();
        await controls.close();
      }
    },
  };
}

export const calibrateCommand = createCalibrateCommand();

/** --magnification-at RAW=X, each RAW once. */
function givenMagnifications(parsed: ParsedArgs): Map<number, number> {
  const given = new Map<number, number>();
  const values = parsed.values['magnification-at'];
  for (const text of Array.isArray(values) ? values.map(String) : []) {
    const match = /^(\d+)=(\d+(?:\.\d+)?)$/.exec(text);
    if (!match || !(Number(match[2]) > 0)) throw new UsageError(`--magnification-at must be RAW=X like 500=3.2 (a raw zoom position and the magnification seen there), got "${text}"`);
    const raw = Number(match[1]);
    if (given.has(raw)) throw new UsageError(`--magnification-at gives raw ${raw} twice; give each position once`);
    given.set(raw, Number(match[2]));
  }
  return given;
}

