import type { SerialLine } from '../../../hardware/serial/serial-line.js';
import { ZoomsyncError } from '../../../protocols/errors.js';
import {
  type DeviceProfile,
  type Dialect,
  encode,
  FrameReader,
  type QueryKind,
  REPLY_FOR_QUERY,
  type ReplyCommand,
  replyValue,
} from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { addressOption, dialectOption, PELCO_OPTIONS, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';
import { openLineFromOptions, SERIAL_OPTIONS, SERIAL_OPTIONS_HELP } from '../serial-options.js';

const QUERIES: Record<string, QueryKind> = {
  zoom: 'query-zoom',
  pan: 'query-pan',
  tilt: 'query-tilt',
  magnification: 'query-magnification',
};

export const queryCommand: CliCommand = {
  name: 'query',
  help: `Usage: zoomsync query --port PATH [--baud N] [--dialect D|P] [--profile NAME] --address N
                      [--timeout MS] [--json] zoom|pan|tilt|magnification

Sends the query frame, waits for the matching reply from the same camera and prints its value:
  zoom           zoom position on the device's scale (0–1000 for --profile sz-g10)
  pan, tilt      position in hundredths of a degree
  magnification  magnification as the device reports it (x10 for most blocks)
Exits 1 with ZS_REPLY_TIMEOUT when no reply comes.

Options:
${SERIAL_OPTIONS_HELP}
  --address N         camera number as the user sees it (camera 1 is byte 0x00 in PELCO-P)
${PELCO_OPTIONS_HELP}
  --timeout MS        how long to wait for the reply (default 1000)
  --json              print {port, address, query, reply, value, ms} as JSON
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...SERIAL_OPTIONS, ...PELCO_OPTIONS, timeout: { type: 'string' }, json: { type: 'boolean' } });
    const [what, ...extra] = parsed.positionals;
    if (what === undefined) throw new UsageError('what to query is required: zoom, pan, tilt or magnification');
    const kind = Object.hasOwn(QUERIES, what) ? QUERIES[what] : undefined;
    if (!kind) throw new UsageError(`cannot query "${what}"; the queries are: ${Object.keys(QUERIES).join(', ')}`);
    if (extra.length > 0) throw new UsageError(`one query at a time, got extra "${extra.join(' ')}"`);
    const dialect = dialectOption(parsed);
    const profile = profileOption(parsed);
    const address = addressOption(parsed);
    const timeoutMs = parseInteger('--timeout', stringOption(parsed, 'timeout') ?? '1000', 1, 600_000);
    const frame = encode({ kind }, { dialect, address, profile }); // checks the address before the port opens

    const line = await openLineFromOptions(parsed, io);
    const started = performance.now();
    try {
      const reply = awaitReply(line, { dialect, profile, address, kind, timeoutMs });
      reply.catch(() => {}); // settled below, or ends with the line when the write fails
      await line.write(frame);
      const result = await Promise.race([reply, io.interrupted.then(() => undefined)]);
      if (!result) return 130;
      const value = replyValue(result);
      if (flag(parsed, 'json')) {
        const ms = Math.round(performance.now() - started);
        writeLine(io.stdout, JSON.stringify({ port: line.name, address, dialect, query: what, reply: result.kind, value, ms }));
      } else {
        writeLine(io.stdout, String(value));
      }
      return 0;
    } finally {
      await line.close();
    }
  },
};

interface ReplyWanted {
  dialect: Dialect;
  profile: DeviceProfile;
  address: number;
  kind: QueryKind;
  timeoutMs: number;
}

/** Resolves with the first reply of the wanted kind from the wanted camera; rejects on timeout or a lost line. */
function awaitReply(line: SerialLine, wanted: ReplyWanted): Promise<ReplyCommand> {
  const replyKind = REPLY_FOR_QUERY[wanted.kind];
  return new Promise<ReplyCommand>((resolve, reject) => {
    const reader = new FrameReader({
      dialect: wanted.dialect,
      profile: wanted.profile,
      onFrame: (frame) => {
        if (frame.address === wanted.address && frame.command.kind === replyKind) finish(() => resolve(frame.command as ReplyCommand));
      },
    });
    const onData = (chunk: Buffer) => reader.push(chunk);
    const onClose = (cause?: ZoomsyncError) =>
      finish(() => reject(cause ?? new ZoomsyncError('ZS_LINE_CLOSED', `${line.name} closed while waiting for the reply`)));
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new ZoomsyncError(
              'ZS_REPLY_TIMEOUT',
              `no ${replyKind} reply from camera ${wanted.address} on ${line.name} within ${wanted.timeoutMs} ms` +
                ` (heard ${reader.counters.frames} other frames and ${reader.counters.discardedBytes} unreadable bytes);` +
                ` check the wiring (TX/RX or A/B swapped, common GND), the baud rate (${line.baudRate}), the address (${wanted.address})` +
                ` and the dialect (PELCO-${wanted.dialect}) against the camera's settings`,
            ),
          ),
        ),
      wanted.timeoutMs,
    );
    function finish(settle: () => void): void {
      clearTimeout(timer);
      line.off('data', onData);
      line.off('close', onClose);
      settle();
    }
    line.on('data', onData);
    line.on('close', onClose);
  });
}
