import { isZoomsyncError, ZoomsyncError } from '../../../protocols/errors.js';
import { encode, isContinuousMotion, parseHex, type PelcoCommand, toHex } from '../../../protocols/pelco/index.js';
import { type CliCommand, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { COMMAND_OPTIONS, commandWordsHelp, parseCommandWords } from '../command-words.js';
import { addressOption, dialectOption, PELCO_OPTIONS, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';
import { openLineFromOptions, SERIAL_OPTIONS, SERIAL_OPTIONS_HELP } from '../serial-options.js';

export const sendCommand: CliCommand = {
  name: 'send',
  help: `Usage: zoomsync send --port PATH [--baud N] [--dialect D|P] [--profile NAME] --address N
                     [--for MS] <command> [args...]
       zoomsync send --port PATH [--baud N] --hex "FF 01 00 00 00 00 01"

Writes the frame and exits once it has left the port. A motion command (pan-left, zoom-tele,
move ...) keeps the camera moving until a stop: give --for MS to send a stop after MS
milliseconds (Ctrl-C stops at once), or send 'stop' yourself.

Examples:
  zoomsync send --port /dev/ttyUSB0 --address 1 preset-goto 5
  zoomsync send --port /dev/ttyUSB0 --address 1 --for 500 pan-left 32
  zoomsync send --port /dev/ttyUSB0 --address 2 move --pan right --zoom tele --for 1000

Options:
${SERIAL_OPTIONS_HELP}
  --address N         camera number as the user sees it (camera 1 is byte 0x00 in PELCO-P)
${PELCO_OPTIONS_HELP}
  --for MS            with a motion command: send stop after MS milliseconds
  --hex BYTES         send these bytes as they are (no --address or command words)

Commands:
${commandWordsHelp()}
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...SERIAL_OPTIONS, ...PELCO_OPTIONS, ...COMMAND_OPTIONS, hex: { type: 'string' }, for: { type: 'string' } });
    const hex = stringOption(parsed, 'hex');
    const forText = stringOption(parsed, 'for');
    let frame: Uint8Array;
    let stopFrame: Uint8Array | undefined;
    let command: PelcoCommand | undefined;
    if (hex !== undefined) {
      if (parsed.positionals.length > 0) throw new UsageError(`--hex sends raw bytes; leave out the command words ("${parsed.positionals.join(' ')}")`);
      if (forText !== undefined) throw new UsageError('--for goes with a motion command, not --hex');
      const bytes = parseHex(hex);
      if (!bytes || bytes.length === 0) throw new UsageError(`--hex must be pairs of hex digits like "FF 01 00 00 00 00 01", got "${hex}"`);
      frame = bytes;
    } else {
      const dialect = dialectOption(parsed);
      const profile = profileOption(parsed);
      const address = addressOption(parsed);
      command = parseCommandWords(parsed.positionals, parsed);
      frame = encode(command, { dialect, address, profile });
      if (forText !== undefined) {
        if (!isContinuousMotion(command)) throw new UsageError(`--for goes with a motion command (pan-*, tilt-*, zoom-*, focus-*, iris-*, move), not ${command.kind}`);
        stopFrame = encode({ kind: 'stop' }, { dialect, address, profile });
      }
    }
    const forMs = forText === undefined ? undefined : parseInteger('--for', forText, 1, 3_600_000);

    const line = await openLineFromOptions(parsed, io);
    try {
      await line.write(frame);
      writeLine(io.stdout, `sent ${toHex(frame)} to ${line.name}`);
      if (stopFrame && forMs !== undefined) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, forMs))), io.interrupted]);
        clearTimeout(timer);
        await line.write(stopFrame).catch((error: unknown) => {
          // The one failure that leaves a camera running: say so, and what to do.
          const cause = error as Error;
          throw new ZoomsyncError(
            isZoomsyncError(error) ? error.code : 'ZS_LINE_WRITE_FAILED',
            `the stop was NOT sent, so camera ${addressOption(parsed)} may still be moving (${cause.message}); ` +
              `send 'stop' as soon as the port is back`,
            { cause },
          );
        });
        writeLine(io.stdout, `sent ${toHex(stopFrame)} (stop) to ${line.name}`);
      } else if (command && isContinuousMotion(command)) {
        writeLine(io.stderr, `zoomsync send: the camera keeps moving until it gets a stop (send 'stop', or use --for MS next time)`);
      }
      return 0;
    } finally {
      await line.close();
    }
  },
};
