import { CancelledError, ConfigError, NotSupportedError, UsageError } from '../../../protocols/errors.js';
import { isAbsoluteMotion, isContinuousMotion, isQuery, type PelcoCommand, type QueryKind } from '../../../protocols/pelco/index.js';
import type { CommandReport } from '../../devices/block-api.js';
import type { GroupControl, GroupFactory, GroupReport } from '../../rig/group-control.js';
import { openRig, type OpenRigOptions, type Rig } from '../../rig/open-rig.js';
import { type SettleResult, waitSettled } from '../../rig/settle.js';
import { selectTarget } from '../../rig/target.js';
import { ZoomCalibration } from '../../sync/calibration.js';
import { type CliCommand, type CliIO, flag, parseCommandArgs, parseInteger, stringOption, writeLine } from '../command.js';
import { COMMAND_OPTIONS, commandWordsHelp } from '../command-words.js';
import { DoOutput, type Sent } from '../do-output.js';
import { DO_WORD_OPTIONS, DO_WORDS_HELP, type DoAction, parseDoWords } from '../do-words.js';
import { type LineControls, serveLineControls } from '../line-controls.js';
import { holdMotion, type MotionHold } from '../motion-hold.js';
import { CONFIG_OPTION, CONFIG_OPTION_HELP, loadRigFile, printConfigError } from '../rig-file.js';
import { exitCodeForSignal } from '../signals.js';

const HELP = `Usage: zoomsync do --config FILE [--json] [--for MS] [--timeout MS] TARGET <command> [args...]

Runs one command on a block or a group of the rig file. Opens only the serial lines (and camera
HTTP sides) the target needs, and prints per block what was sent — the PELCO frame as hex, or the
HTTP call when the block's serial side is down and its camera API carries the zoom — and the path
it took (serial or http); for a group also the skew (how far apart the members' frames left).

The command ends with the camera at rest: an absolute move (set-zoom, zoom-to, preset-goto,
group-preset recall) waits until every block reads back the same zoom twice; a continuous move
(zoom-tele, pan-left, move ...) runs for --for MS, or until Ctrl-C. Whatever ends it (arrival,
--for, Ctrl-C, kill, a closed terminal, Ctrl-Z, an error, or \`zoomsync stop --port PATH\` from
another shell for one of the target's lines, exit 1) a stop reaches every block it moved.

Examples:
  zoomsync do --config rig.yaml left set-zoom 500
  zoomsync do --config rig.yaml rig zoom-to --magnification 4
  zoomsync do --config rig.yaml rig zoom-tele --for 800
  zoomsync do --config rig.yaml rig group-preset save wide
  zoomsync do --config rig.yaml --json rig group-preset recall wide

Options:
${CONFIG_OPTION_HELP}
  --json              print one JSON object: {target, kind, command, members:[{block, path, sent, value?, limited?}], skewMs?, positions?, stop?, ending}
  --for MS            with a continuous move or 'follow on': stop after MS milliseconds (default: at Ctrl-C)
  --timeout MS        longest wait for an absolute move to come to rest (default 30000); then a stop

Commands (blocks; for groups: stop, the move words, set-zoom N, preset-goto N and the queries):
${commandWordsHelp()}
${DO_WORDS_HELP}
`;

/** The words a group takes from encode's vocabulary (each goes to every member in one tick). */
const GROUP_COMMAND_KINDS = new Set(['stop', 'move', 'set-zoom', 'preset-goto']);

export interface DoCommandOptions {
  /** Builds the rig's groups (src/sync's SyncGroup). Without it only blocks can be targets. */
  buildGroups?: GroupFactory;
  /** DeviceRegistry options (serial line, scheduler, fallback). */
  devices?: OpenRigOptions['devices'];
  /** Read-back period while waiting for a move to come to rest, ms. Default 100. */
  settlePollMs?: number;
}

export function createDoCommand(options: DoCommandOptions = {}): CliCommand {
  return {
    name: 'do',
    help: HELP,
    async run(args, io) {
      const parsed = parseCommandArgs(args, { ...CONFIG_OPTION, ...COMMAND_OPTIONS, ...DO_WORD_OPTIONS, json: { type: 'boolean' }, for: { type: 'string' }, timeout: { type: 'string' } });
      const [targetName, ...words] = parsed.positionals;
      if (targetName === undefined) throw new UsageError('say which block or group: zoomsync do --config FILE TARGET <command> (e.g. left set-zoom 500)');
      const action = parseDoWords(words, parsed);
      const forText = stringOption(parsed, 'for');
      const runs = (action.kind === 'command' && isContinuousMotion(action.command)) || (action.kind === 'follow' && action.on);
      if (forText !== undefined && !runs) throw new UsageError(`--for goes with a continuous move (zoom-tele, pan-left, move ...) or 'follow on', not ${words.join(' ')}`);
      const forMs = forText === undefined ? undefined : parseInteger('--for', forText, 1, 3_600_000);
      const timeoutMs = parseInteger('--timeout', stringOption(parsed, 'timeout') ?? '30000', 1, 3_600_000);

      const config = await loadRigFile(parsed, io, 'do');
      if (!config) return 2;
      const target = selectTarget(config, targetName);
      checkFits(target.kind, targetName, action);
      let rig: Rig;
      try {
        rig = await openRig(target.config, { env: io.env, buildGroups: options.buildGroups, devices: options.devices });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        printConfigError(error, io, 'do');
        return 2;
      }
      const out = new DoOutput(io, flag(parsed, 'json'), { target: targetName, kind: target.kind, command: action.kind === 'zoom-to' ? `zoom-to ${action.magnification}x` : words.join(' ') }, rig);
      let controls: LineControls | undefined;
      try {
        // `zoomsync stop --port PATH` from another shell reaches our schedulers, and ends this command.
        controls = await serveLineControls(rig.devices.lines.lines, { what: 'do', env: io.env });
        const run: RunContext = { rig, io, out, forMs, settle: { timeoutMs, pollMs: options.settlePollMs ?? 100 }, remoteStop: controls.stopRequested, endedRemotely: false };
        const code = target.kind === 'block' ? await onBlock(run, targetName, action) : await onGroup(run, rig.group(targetName), action);
        out.finish();
        // thrown here, past the command's own failure handling: the stop has gone out already
        if (run.endedRemotely) throw new CancelledError(`a stop from another shell (zoomsync stop) ended the move early; ${target.kind} ${targetName} is stopped`);
        return code;
      } finally {
        await rig.close();
        await controls?.close(); // last: the port is free when a --wait client's connection ends
      }
    },
  };
}

export const doCommand = createDoCommand();

interface RunContext {
  rig: Rig;
  io: CliIO;
  out: DoOutput;
  forMs: number | undefined;
  settle: { timeoutMs: number; pollMs: number };
  /** Aborts when another shell's `zoomsync stop` reached one of the rig's lines. */
  remoteStop: AbortSignal;
  /** Set when that ended the command (it then fails with ZS_CANCELLED). */
  endedRemotely: boolean;
}

function checkFits(kind: 'block' | 'group', name: string, action: DoAction): void {
  if (kind === 'block' && (action.kind === 'group-preset' || action.kind === 'follow')) {
    throw new UsageError(`${action.kind} goes with a group, and ${name} is a block (use preset-set/preset-goto N for a block's camera presets)`);
  }
  if (kind === 'group' && action.kind === 'command' && !isQuery(action.command) && !GROUP_COMMAND_KINDS.has(action.command.kind)) {
    throw new UsageError(
      `${action.command.kind} goes to one block at a time (do --config FILE BLOCK ${action.command.kind} ...); a group takes stop, the move words, set-zoom N, preset-goto N, the queries, zoom-to, group-preset and follow`,
    );
  }
}

// --- blocks ---------------------------------------------------------------------------------

async function onBlock(run: RunContext, name: string, action: DoAction): Promise<number> {
  const block = run.rig.block(name);
  if (action.kind === 'command' && isQuery(action.command)) {
    await readQuery(run, [name], action.command.kind);
    return 0;
  }
  let command: PelcoCommand;
  if (action.kind === 'zoom-to') {
    const table = run.rig.blockConfig(name).calibration;
    if (!table) throw new NotSupportedError('zoom-to a magnification', `block ${name} without a calibration table`, `measure one with: zoomsync calibrate --config FILE ${name} --write`);
    command = { kind: 'set-zoom', position: Math.round(new ZoomCalibration(table).rawFor(action.magnification)) };
  } else if (action.kind === 'command') {
    command = action.command;
  } else {
    throw new UsageError(`${action.kind} goes with a group`);
  }
  const stop = async () => {
    const report = await block.stop();
    run.out.stopped([{ report, command: { kind: 'stop' } }]);
  };
  const hold = holdMotion(run.io, 'do', `block ${name}`, stop, run.remoteStop);
  try {
    const report = await block.send(command);
    run.out.sent([{ report, command }], undefined);
    if (isContinuousMotion(command)) return await runUntilEnd(run, hold, stop, `block ${name}`);
    if (isAbsoluteMotion(command)) {
      const read = command.kind === 'set-pan' ? () => block.readPan() : command.kind === 'set-tilt' ? () => block.readTilt() : () => block.readZoom();
      const target = command.kind === 'set-zoom' ? report.value : command.kind === 'set-pan' || command.kind === 'set-tilt' ? command.position : undefined;
      const results = [await waitSettled(read, { target, signal: hold.signal, ...run.settle })];
      return await afterSettle(run, hold, stop, [name], results);
    }
    return 0;
  } catch (error) {
    await stopAfterFailure(run, stop, `block ${name}`);
    throw error;
  } finally {
    hold.release();
  }
}

// --- groups ---------------------------------------------------------------------------------

async function onGroup(run: RunContext, group: GroupControl, action: DoAction): Promise<number> {
  const names = group.members.map((m) => m.name);
  const what = `group ${group.name}`;
  if (action.kind === 'command' && isQuery(action.command)) {
    await readQuery(run, names, action.command.kind);
    return 0;
  }
  if (action.kind === 'group-preset' && action.action === 'save') {
    const positions = await group.savePreset(action.name);
    run.out.saved(action.name, positions);
    return 0;
  }
  if (action.kind === 'follow' && !action.on) {
    group.follow(false);
    run.out.note(`${what}: following off`);
    return 0;
  }
  const stop = async () => {
    group.follow(false); // a no-op unless following
    const report = await group.stop();
    run.out.stopped(report.members.map((r) => ({ report: r, command: { kind: 'stop' } })), report.skewMs);
  };
  const hold = holdMotion(run.io, 'do', what, stop, run.remoteStop);
  try {
    if (action.kind === 'follow') {
      group.on('state', (event) => run.out.note(`${what}: ${event.state} (${event.reason})`));
      group.follow(true);
      run.out.note(`${what}: ${group.members.filter((m) => m !== group.leader).map((m) => m.name).join(', ')} follow ${group.leader.name}${run.forMs === undefined ? ' until Ctrl-C' : ` for ${run.forMs} ms`}`);
      return await runUntilEnd(run, hold, stop, what);
    }
    if (action.kind === 'group-preset') {
      const recall = group.recallPreset(action.name, { timeoutMs: run.settle.timeoutMs });
      const ended = await Promise.race([recall, hold.until(undefined)]);
      if (typeof ended === 'string') {
        recall.catch(() => {});
        return await endedBySignal(run, hold, stop, what);
      }
      run.out.sent(memberSends(ended, (r) => ({ kind: 'set-zoom', position: r.value! })), ended.skewMs);
      run.out.arrived(ended.members.map((r) => r.block), ended.members.map((r) => {
        const late = ended.late.find((l) => l.block === r.block);
        return late ? { settled: false, position: late.position, problem: `did not reach ${late.target}` } : { settled: true, position: r.value };
      }));
      if (!ended.arrived) {
        await stop();
        writeLine(run.io.stderr, `zoomsync do: ${what}: ${ended.late.map((l) => l.block).join(', ')} did not arrive within ${run.settle.timeoutMs} ms; sent a stop`);
        return 1;
      }
      return 0;
    }
    const { report, template, motion } = await groupCommand(group, action);
    run.out.sent(memberSends(report, template), report.skewMs);
    if (motion === 'continuous') return await runUntilEnd(run, hold, stop, what);
    if (motion === 'none') return 0;
    const results = await Promise.all(
      group.members.map((m) => {
        const sent = report.members.find((r) => r.block === m.name);
        return waitSettled(() => m.readZoom(), { target: sent?.value, signal: hold.signal, ...run.settle });
      }),
    );
    return await afterSettle(run, hold, stop, names, results);
  } catch (error) {
    await stopAfterFailure(run, stop, what);
    throw error;
  } finally {
    hold.release();
  }
}

type Template = (report: CommandReport) => PelcoCommand;

interface GroupSend {
  report: GroupReport;
  /** What each member was sent (for the frame printed). */
  template: Template;
  motion: 'continuous' | 'absolute' | 'none';
}

async function groupCommand(group: GroupControl, action: DoAction): Promise<GroupSend> {
  const absolute: Template = (r) => ({ kind: 'set-zoom', position: r.value! });
  if (action.kind === 'zoom-to') return { report: await group.zoomTo({ magnification: action.magnification }), template: absolute, motion: 'absolute' };
  if (action.kind !== 'command') throw new UsageError(`${action.kind} is not a group command`);
  const command = action.command;
  const motion = isContinuousMotion(command) ? 'continuous' : isAbsoluteMotion(command) ? 'absolute' : 'none';
  switch (command.kind) {
    case 'stop':
      return { report: await group.stop(), template: () => command, motion };
    case 'move': {
      const { kind: _kind, ...move } = command;
      return { report: await group.move(move), template: () => command, motion };
    }
    case 'set-zoom':
      return { report: await group.zoomTo({ raw: command.position }), template: absolute, motion };
    case 'preset-goto':
      return { report: await group.gotoPreset(command.preset), template: () => command, motion };
    default:
      throw new UsageError(`${command.kind} goes to one block at a time`);
  }
}

function memberSends(report: GroupReport, template: Template): Sent[] {
  return report.members.map((r) => ({ report: r, command: template(r) }));
}

// --- shared -----------------------------------------------------------------------------------

async function readQuery(run: RunContext, names: string[], kind: QueryKind): Promise<void> {
  for (const name of names) {
    const block = run.rig.block(name);
    if (kind === 'query-magnification') {
      run.out.reading(name, 'magnification', await run.rig.readMagnification(name), 'serial');
      continue;
    }
    const reading = await (kind === 'query-pan' ? block.readPan() : kind === 'query-tilt' ? block.readTilt() : block.readZoom());
    run.out.reading(name, kind.replace('query-', ''), reading.value, reading.path);
  }
}

/** A continuous move (or following) runs until --for elapses or the user ends it; then the stop. */
async function runUntilEnd(run: RunContext, hold: MotionHold, stop: () => Promise<void>, what: string): Promise<number> {
  if (run.forMs === undefined && !run.out.json) writeLine(run.io.stderr, `zoomsync do: ${what} moves until Ctrl-C (give --for MS to stop it after a time)`);
  const ending = await hold.until(run.forMs);
  if (ending !== 'elapsed') return endedBySignal(run, hold, stop, what);
  await stop();
  run.out.ending('elapsed');
  return 0;
}

async function afterSettle(run: RunContext, hold: MotionHold, stop: () => Promise<void>, names: string[], results: SettleResult[]): Promise<number> {
  if (hold.signal.aborted) return endedBySignal(run, hold, stop, names.join(', '));
  run.out.arrived(names, results);
  const unsettled = results.map((r, i) => [names[i]!, r] as const).filter(([, r]) => !r.settled);
  if (unsettled.length === 0) return 0;
  await stop();
  writeLine(run.io.stderr, `zoomsync do: ${unsettled.map(([n, r]) => `${n} ${r.problem}`).join('; ')}; sent a stop`);
  return 1;
}

async function endedBySignal(run: RunContext, hold: MotionHold, stop: () => Promise<void>, what: string): Promise<number> {
  if (hold.ending === 'suspended') {
    run.out.ending('suspended');
    return exitCodeForSignal('SIGTSTP'); // the Ctrl-Z handler sent the stop
  }
  await stop(); // a remote stop reached one line; a group may span others
  if (hold.ending === 'remote') {
    run.out.ending('remote');
    run.endedRemotely = true;
    return 1;
  }
  run.out.ending('interrupted');
  writeLine(run.io.stderr, `zoomsync do: ${hold.endSignal}: sent a stop to ${what} before exiting`);
  return exitCodeForSignal(hold.endSignal);
}

async function stopAfterFailure(run: RunContext, stop: () => Promise<void>, what: string): Promise<void> {
  try {
    await stop();
    writeLine(run.io.stderr, `zoomsync do: sent a stop to ${what} after the failure below`);
  } catch (error) {
    writeLine(run.io.stderr, `zoomsync do: the stop to ${what} failed too (${(error as Error).message}); it may still be moving`);
  }
}
