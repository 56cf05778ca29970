import { LineHolder, type StopTarget } from '../../../hardware/serial/line-control.js';
import { NotSupportedError } from '../../../protocols/errors.js';
import { encode, toHex } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, stringOption, UsageError, writeLine } from '../command.js';
import { holdLine, WAIT_OPTION, WAIT_OPTION_HELP } from '../held-line.js';
import { addressOption, dialectOption, PELCO_OPTIONS, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';
import { SERIAL_OPTIONS, SERIAL_OPTIONS_HELP } from '../serial-options.js';

/** PELCO-D's broadcast address: every block whose profile accepts broadcast obeys it. */
const BROADCAST_ADDRESS = 0xff;

export const stopCommand: CliCommand = {
  name: 'stop',
  help: `Usage: zoomsync stop --port PATH (--address N | --all) [--baud N] [--dialect D|P] [--profile NAME] [--wait MS]

When another zoomsync process holds the port (a 'send --for', the service), the stop goes
through that process: it sends the stop ahead of everything else it has queued. Otherwise
this command opens the port and writes the stop itself.

  --all   through a holder: every camera the holder has driven. Opening the port itself:
          one PELCO-D broadcast stop (address 0xFF), for profiles that accept broadcast (sz-g10).

Options:
${SERIAL_OPTIONS_HELP}
${WAIT_OPTION_HELP}
  --address N         camera number as the user sees it (camera 1 is byte 0x00 in PELCO-P)
  --all               stop every camera (see above)
${PELCO_OPTIONS_HELP}
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...SERIAL_OPTIONS, ...WAIT_OPTION, ...PELCO_OPTIONS, all: { type: 'boolean' } }, false);
    const all = flag(parsed, 'all');
    if (all === (stringOption(parsed, 'address') !== undefined)) throw new UsageError('give either --address N or --all');
    const port = stringOption(parsed, 'port');
    if (!port) throw new UsageError('--port PATH is required (e.g. /dev/ttyUSB0)');
    const dialect = dialectOption(parsed);
    const profile = profileOption(parsed);
    const target: StopTarget = all ? 'all' : addressOption(parsed);
    const address = target === 'all' ? BROADCAST_ADDRESS : target;
    encode({ kind: 'stop' }, { dialect, address, profile }); // checks the address before anything opens

    const holder = await LineHolder.connect(port, io.env);
    if (holder) {
      try {
        const stopped = await holder.requestStop(target);
        writeLine(io.stdout, `stop sent through ${holder.describe()}, which holds ${port}: camera${stopped.length === 1 ? '' : 's'} ${stopped.join(', ') || '(none driven yet)'}`);
        return 0;
      } catch (error) {
        // A holder that let go while we asked (its own stop went out as it ended): the port is free, so stop it ourselves.
        if (!holder.isReleased) throw error;
      } finally {
        holder.close();
      }
    }
    if (target === 'all' && !(dialect === 'D' && profile.broadcastAddress)) {
      // Nobody holds the port, so nobody knows which cameras move: only a broadcast reaches them all.
      throw new NotSupportedError('a stop for every camera (--all) without a zoomsync holding the port', `PELCO-${dialect} under profile ${profile.name}`, 'give --profile sz-g10 with PELCO-D (broadcast), or stop each camera with --address N');
    }
    const held = await holdLine(parsed, io, { what: 'stop', dialect, profile });
    try {
      await held.stopAndConfirm(address);
      writeLine(io.stdout, `sent ${toHex(encode({ kind: 'stop' }, { dialect, address, profile }))} (stop${target === 'all' ? ', broadcast' : ''}) to ${held.line.name}`);
      return 0;
    } finally {
      await held.release();
    }
  },
};
