import { SerialPort } from 'serialport';
import { ZoomsyncError } from '../../../protocols/errors.js';
import { FrameReader } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { formatFrame, formatProblem } from '../frame-format.js';
import { PELCO_OPTIONS_HELP, profileOption, readerDialectOption } from '../pelco-options.js';

export const monitorCommand: CliCommand = {
  name: 'monitor',
  summary: 'sniff a serial line and print every PELCO frame on it',
  help: `Usage: zoomsync monitor --port PATH --baud N [--dialect D|P|auto] [--profile NAME] [--json]

Listens on a serial line (for example tapped onto the RS-485 pair between a keyboard or DVR and the
cameras) and prints each frame with a timestamp and its meaning. Nothing is transmitted.
Ctrl-C ends it and prints the reader's counters (frames, checksum errors, discarded bytes).

Options:
  --port PATH         serial device, e.g. /dev/ttyUSB0
  --baud N            2400, 4800, 9600 (default), 19200, 38400, 57600 or 115200
  --dialect D|P|auto  which frames to look for (default auto: both)
${PELCO_OPTIONS_HELP.split('\n')[1]}
  --json              one JSON object per line with a "time" field
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { port: { type: 'string' }, baud: { type: 'string' }, dialect: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } }, false);
    const path = stringOption(parsed, 'port');
    if (!path) throw new UsageError('--port PATH is required (e.g. /dev/ttyUSB0)');
    const baudRate = parseInteger('--baud', stringOption(parsed, 'baud') ?? '9600', 1200, 115200);
    const json = flag(parsed, 'json');
    const stamp = () => ({ time: new Date().toISOString() });

    const reader = new FrameReader({
      dialect: readerDialectOption(parsed),
      profile: profileOption(parsed),
      onFrame: (frame, raw) => writeLine(io.stdout, formatFrame(frame, raw, json, stamp())),
      onProblem: (event) => writeLine(io.stdout, formatProblem(event, json, stamp())),
    });
    const port = await openPort(path, baudRate);
    port.on('data', (chunk: Buffer) => reader.push(chunk));
    const closedByDevice = new Promise<Error | undefined>((resolve) => {
      port.on('error', (error) => resolve(error));
      port.on('close', (error?: Error) => resolve(error));
    });
    if (!json) writeLine(io.stderr, `monitoring ${path} at ${baudRate} baud; Ctrl-C to stop`);

    const vanished = await Promise.race([io.interrupted.then(() => undefined), closedByDevice.then((error) => error ?? new Error('closed'))]);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    reader.flush();
    const c = reader.counters;
    const summary = { frames: c.frames, checksumErrors: c.checksumErrors, invalidFrames: c.invalidFrames, discardedBytes: c.discardedBytes, bytes: c.bytes };
    writeLine(json ? io.stdout : io.stderr, json ? JSON.stringify({ type: 'counters', ...summary }) : `counters: ${Object.entries(summary).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (vanished) {
      writeLine(io.stderr, `zoomsync monitor: ${path} went away (${vanished.message}); check the cable or adapter`);
      return 1;
    }
    return 0;
  },
};

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((error) => {
      if (!error) return resolve(port);
      const code = /ENOENT|No such file/.test(error.message) ? 'ZS_PORT_NOT_FOUND' : 'ZS_PORT_OPEN_FAILED';
      reject(new ZoomsyncError(code, `cannot open ${path}: ${error.message}`, { cause: error }));
    });
  });
}
