import { CancelledError, LineClosedError } from '../../../protocols/errors.js';
import { encode, isContinuousMotion, parseHex, type PelcoCommand, startsMotion, toHex } from '../../../protocols/pelco/index.js';
import { type CliCommand, type CliIO, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { COMMAND_OPTIONS, commandWordsHelp, parseCommandWords } from '../command-words.js';
import { onFatalErrorStop } from '../emergency-stop.js';
import { type HeldLine, holdLine, WAIT_OPTION, WAIT_OPTION_HELP } from '../held-line.js';
import { addressOption, dialectOption, PELCO_OPTIONS, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';
import { SERIAL_OPTIONS, SERIAL_OPTIONS_HELP } from '../serial-options.js';
import { exitCodeForSignal, interruptSignal, processSignals } from '../signals.js';

export const sendCommand: CliCommand = {
  name: 'send',
  help: `Usage: zoomsync send --port PATH [--baud N] [--dialect D|P] [--profile NAME] --address N
                     [--for MS] [--wait MS] <command> [args...]
       zoomsync send --port PATH [--baud N] [--wait MS] --hex "FF 01 00 00 00 00 01"

Writes the frame and exits once it has left the port. A motion command (pan-left, zoom-tele,
move, preset-goto ...) keeps the camera moving until a stop: give --for MS to send a stop after
MS milliseconds, or send 'stop' yourself. With --for, whatever ends the command sends the stop
first: Ctrl-C, kill, a closed terminal or SSH session (exit 128 + the signal's number, e.g. 130),
an error; Ctrl-Z stops the camera before the shell suspends the command. From another shell,
'zoomsync stop --port PATH --all' stops it through this command.

Examples:
  zoomsync send --port /dev/ttyUSB0 --address 1 preset-goto 5
  zoomsync send --port /dev/ttyUSB0 --address 1 --for 500 pan-left 32
  zoomsync send --port /dev/ttyUSB0 --address 2 move --pan right --zoom tele --for 1000

Options:
${SERIAL_OPTIONS_HELP}
${WAIT_OPTION_HELP}
  --address N         camera number as the user sees it (camera 1 is byte 0x00 in PELCO-P)
${PELCO_OPTIONS_HELP}
  --for MS            with a motion command: send stop after MS milliseconds
  --hex BYTES         send these bytes as they are (no --address or command words)

Commands:
${commandWordsHelp()}
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...SERIAL_OPTIONS, ...WAIT_OPTION, ...PELCO_OPTIONS, ...COMMAND_OPTIONS, hex: { type: 'string' }, for: { type: 'string' } });
    const hex = stringOption(parsed, 'hex');
    const forText = stringOption(parsed, 'for');
    const dialect = dialectOption(parsed);
    const profile = profileOption(parsed);
    if (hex !== undefined) {
      if (parsed.positionals.length > 0) throw new UsageError(`--hex sends raw bytes; leave out the command words ("${parsed.positionals.join(' ')}")`);
      if (forText !== undefined) throw new UsageError('--for goes with a motion command, not --hex');
      const bytes = parseHex(hex);
      if (!bytes || bytes.length === 0) throw new UsageError(`--hex must be pairs of hex digits like "FF 01 00 00 00 00 01", got "${hex}"`);
      const held = await holdLine(parsed, io, { what: 'send', dialect, profile });
      try {
        // Raw bytes are no PelcoCommand the scheduler could order; the line itself writes them.
        await held.line.write(bytes);
        writeLine(io.stdout, `sent ${toHex(bytes)} to ${held.line.name}`);
        return 0;
      } finally {
        await held.release();
      }
    }
    const address = addressOption(parsed);
    const command = parseCommandWords(parsed.positionals, parsed);
    const frame = encode(command, { dialect, address, profile }); // checks the values before the port opens
    if (forText !== undefined && !startsMotion(command)) {
      throw new UsageError(`--for goes with a command that starts motion (pan-*, tilt-*, zoom-*, focus-*, iris-*, move, preset-goto, ...), not ${command.kind}`);
    }
    const forMs = forText === undefined ? undefined : parseInteger('--for', forText, 1, 3_600_000);

    let remoteStop!: () => void;
    const stoppedRemotely = new Promise<'remote'>((resolve) => (remoteStop = () => resolve('remote')));
    const held = await holdLine(parsed, io, { what: 'send', dialect, profile, onRemoteStop: () => remoteStop() });
    try {
      if (forMs === undefined) {
        await sendFrame(held, address, command, frame, io);
        if (isContinuousMotion(command)) {
          writeLine(io.stderr, `zoomsync send: the camera keeps moving until it gets a stop (send 'stop', or use --for MS next time)`);
        }
        return 0;
      }
      return await moveFor(held, { address, command, frame, forMs, stoppedRemotely }, io);
    } finally {
      await held.release();
    }
  },
};

async function sendFrame(held: HeldLine, address: number, command: PelcoCommand, frame: Uint8Array, io: CliIO): Promise<void> {
  const written = held.line.whenWritten(frame, () => new LineClosedError(held.line.name, `${held.line.name} closed before the frame was written`));
  written.catch(() => {}); // awaited below, unless send() fails first
  await held.bus.send(address, command);
  await written;
  writeLine(io.stdout, `sent ${toHex(frame)} to ${held.line.name}`);
}

interface TimedMotion {
  address: number;
  command: PelcoCommand;
  frame: Uint8Array;
  forMs: number;
  stoppedRemotely: Promise<'remote'>;
}

/** Sends a motion command, then a stop after forMs, or at once when a signal, an error or another shell ends it first. */
async function moveFor(held: HeldLine, motion: TimedMotion, io: CliIO): Promise<number> {
  const { address } = motion;
  const stopFrame = encode({ kind: 'stop' }, { dialect: held.bus.dialect, address, profile: held.bus.profile });
  let resumed!: () => void;
  const suspended = new Promise<'suspended'>((resolve) => (resumed = () => resolve('suspended')));
  const uninstallSuspend = processSignals(io)?.onSuspend(
    async () => {
      try {
        await held.stopAndConfirm(address);
        writeLine(io.stderr, `zoomsync send: Ctrl-Z: sent a stop to camera ${address} before suspending`);
      } catch (error) {
        writeLine(io.stderr, `zoomsync send: Ctrl-Z: ${(error as Error).message}`);
      }
    },
    () => {
      writeLine(io.stderr, `zoomsync send: resumed; camera ${address} stays stopped (the move ended at Ctrl-Z)`);
      resumed();
    },
  );
  const unregisterFatalStop = onFatalErrorStop(() => held.stopAndConfirm(address));
  let timer: NodeJS.Timeout | undefined;
  let ending: 'elapsed' | 'interrupted' | 'remote' | 'suspended';
  try {
    await sendFrame(held, address, motion.command, motion.frame, io);
    ending = await Promise.race([
      new Promise<'elapsed'>((resolve) => (timer = setTimeout(() => resolve('elapsed'), motion.forMs))),
      io.interrupted.then(() => 'interrupted' as const),
      motion.stoppedRemotely,
      suspended,
      // A lost port ends the wait: the stop attempt below then says the camera may still be moving.
      new Promise<'elapsed'>((resolve) => held.line.once('close', () => resolve('elapsed'))),
    ]);
    clearTimeout(timer);
    await held.stopAndConfirm(address);
  } catch (error) {
    clearTimeout(timer);
    // Whatever went wrong, the camera may be moving: the stop goes out before the error is reported.
    // If the stop fails too, its error (the camera may still be moving) is the one to show.
    await held.stopAndConfirm(address);
    writeLine(io.stderr, `zoomsync send: sent a stop to camera ${address} after the failure below`);
    throw error;
  } finally {
    uninstallSuspend?.();
    unregisterFatalStop();
  }
  writeLine(io.stdout, `sent ${toHex(stopFrame)} (stop) to ${held.line.name}`);
  switch (ending) {
    case 'elapsed':
      return 0;
    case 'interrupted': {
      const signal = interruptSignal(io);
      writeLine(io.stderr, `zoomsync send: ${signal}: sent a stop to camera ${address} before exiting`);
      return exitCodeForSignal(signal);
    }
    case 'suspended':
      return exitCodeForSignal('SIGTSTP');
    case 'remote':
      throw new CancelledError(`a stop from another shell (zoomsync stop) ended the move early; camera ${address} is stopped`);
  }
}
