import { FrameReader } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, writeLine } from '../command.js';
import { formatFrame, formatProblem } from '../frame-format.js';
import { PELCO_OPTIONS_HELP, profileOption, readerDialectOption } from '../pelco-options.js';
import { openLineFromOptions, SERIAL_OPTIONS, SERIAL_OPTIONS_HELP } from '../serial-options.js';

export const monitorCommand: CliCommand = {
  name: 'monitor',
  help: `Usage: zoomsync monitor --port PATH --baud N [--dialect D|P|auto] [--profile NAME] [--json]

Listens (never transmits) on a serial line, for example tapped onto the RS-485 pair between a
keyboard or DVR and the cameras, and prints each frame with a timestamp and its meaning; a frame
that fails only its checksum is printed with the checksum it should have had. A pulled
adapter is reported and reopened when it returns. Ctrl-C ends it and prints the reader's counters
(frames, checksum errors, invalid frames, discarded bytes).

Options:
${SERIAL_OPTIONS_HELP.split('\n').slice(0, 2).join('\n')}
  --dialect D|P|auto  which frames to look for (default auto: both)
${PELCO_OPTIONS_HELP.split('\n')[1]}
  --json              one JSON object per line, each with a "time" field; the first,
                      {"type":"listening"}, says the port is open
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...SERIAL_OPTIONS, dialect: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } }, false);
    const json = flag(parsed, 'json');
    const stamp = () => ({ time: new Date().toISOString() });
    const note = (event: string, text: string, extra: Record<string, unknown> = {}) =>
      writeLine(json ? io.stdout : io.stderr, json ? JSON.stringify({ ...stamp(), type: event, ...extra, message: text }) : `${stamp().time}  ${text}`);

    const reader = new FrameReader({
      dialect: readerDialectOption(parsed),
      profile: profileOption(parsed),
      onFrame: (frame, raw) => writeLine(io.stdout, formatFrame(frame, raw, json, stamp())),
      onProblem: (event) => writeLine(io.stdout, formatProblem(event, json, stamp())),
    });
    const line = await openLineFromOptions(parsed, io, { reconnect: true });
    line.on('data', (chunk) => reader.push(chunk));
    line.on('error', () => {}); // reported through close/reconnecting below
    line.on('close', (cause) => {
      if (!cause) return; // our own close at Ctrl-C
      reader.flush(); // a frame cut by the loss is reported, not glued to the next bytes
      note('close', `${line.name} lost (${cause?.message ?? 'closed'}); reopening when it returns`);
    });
    line.on('reconnecting', ({ attempt, delayMs }) => note('reconnecting', `retry ${attempt} in ${delayMs} ms`, { attempt, delayMs }));
    line.on('open', () => note('open', `${line.name} open again`));
    // Said once the port is open, so a script (or a test) can wait for it before sending.
    if (json) writeLine(io.stdout, JSON.stringify({ ...stamp(), type: 'listening', port: line.name, baudRate: line.baudRate }));
    else writeLine(io.stderr, `monitoring ${line.name} at ${line.baudRate} baud; Ctrl-C to stop`);

    await io.interrupted;
    await line.close();
    reader.flush();
    const c = reader.counters;
    const summary = { frames: c.frames, checksumErrors: c.checksumErrors, invalidFrames: c.invalidFrames, discardedBytes: c.discardedBytes, bytes: c.bytes };
    writeLine(json ? io.stdout : io.stderr, json ? JSON.stringify({ type: 'counters', ...summary }) : `counters: ${Object.entries(summary).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return 0;
  },
};
