import { type QueryKind, REPLY_FOR_QUERY } from '../../../protocols/pelco/index.js';
import { encode } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { holdLine, WAIT_OPTION, WAIT_OPTION_HELP } from '../held-line.js';
import { addressOption, dialectOption, PELCO_OPTIONS, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';
import { SERIAL_OPTIONS, SERIAL_OPTIONS_HELP } from '../serial-options.js';
import { exitCodeForSignal, interruptSignal } from '../signals.js';

const QUERIES: Record<string, QueryKind> = {
  zoom: 'query-zoom',
  pan: 'query-pan',
  tilt: 'query-tilt',
  magnification: 'query-magnification',
};

export const queryCommand: CliCommand = {
  name: 'query',
  help: `Usage: zoomsync query --port PATH [--baud N] [--dialect D|P] [--profile NAME] --address N
                      [--timeout MS] [--wait MS] [--json] zoom|pan|tilt|magnification

Sends the query frame, waits for the matching reply from the same camera and prints its value:
  zoom           zoom position on the device's scale (0–1000 for --profile sz-g10)
  pan, tilt      position in hundredths of a degree
  magnification  magnification as the device reports it (x10 for most blocks)
Exits 1 with ZS_REPLY_TIMEOUT when no reply comes.

Options:
${SERIAL_OPTIONS_HELP}
${WAIT_OPTION_HELP}
  --address N         camera number as the user sees it (camera 1 is byte 0x00 in PELCO-P)
${PELCO_OPTIONS_HELP}
  --timeout MS        how long to wait for the reply (default 1000)
  --json              print {port, address, query, reply, value, ms} as JSON
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...SERIAL_OPTIONS, ...WAIT_OPTION, ...PELCO_OPTIONS, timeout: { type: 'string' }, json: { type: 'boolean' } });
    const [what, ...extra] = parsed.positionals;
    if (what === undefined) throw new UsageError('what to query is required: zoom, pan, tilt or magnification');
    const kind = Object.hasOwn(QUERIES, what) ? QUERIES[what] : undefined;
    if (!kind) throw new UsageError(`cannot query "${what}"; the queries are: ${Object.keys(QUERIES).join(', ')}`);
    if (extra.length > 0) throw new UsageError(`one query at a time, got extra "${extra.join(' ')}"`);
    const dialect = dialectOption(parsed);
    const profile = profileOption(parsed);
    const address = addressOption(parsed);
    const timeoutMs = parseInteger('--timeout', stringOption(parsed, 'timeout') ?? '1000', 1, 600_000);
    encode({ kind }, { dialect, address, profile }); // checks the address before the port opens

    // The scheduler sends the query, matches the reply (address and kind) and times it out.
    const held = await holdLine(parsed, io, { what: 'query', dialect, profile, queryTimeoutMs: timeoutMs });
    const started = performance.now();
    try {
      const reply = held.bus.query(address, kind);
      reply.catch(() => {}); // awaited below unless an interrupt comes first
      const result = await Promise.race([reply.then((value) => ({ value })), io.interrupted.then(() => undefined)]);
      if (!result) return exitCodeForSignal(interruptSignal(io));
      if (flag(parsed, 'json')) {
        const ms = Math.round(performance.now() - started);
        writeLine(io.stdout, JSON.stringify({ port: held.line.name, address, dialect, query: what, reply: REPLY_FOR_QUERY[kind], value: result.value, ms }));
      } else {
        writeLine(io.stdout, String(result.value));
      }
      return 0;
    } finally {
      await held.release();
    }
  },
};
