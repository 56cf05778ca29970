import { once } from 'node:events';
import { FrameReader, HexStreamParser, HexSyntaxError } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, UsageError } from '../command.js';
import { formatFrame, formatProblem } from '../frame-format.js';
import { PELCO_OPTIONS_HELP, profileOption, readerDialectOption } from '../pelco-options.js';

export const decodeCommand: CliCommand = {
  name: 'decode',
  help: `Usage: zoomsync decode [--dialect D|P|auto] [--profile NAME] [--json] [HEX...]

Reads hex bytes from the arguments (or from stdin when there are none, decoded as it arrives), finds every frame in them
the way a receiver would (checksums checked, resynchronising after garbage) and prints one line per
frame: dialect, camera, meaning. Garbage, invalid frames and a trailing partial frame are reported;
a frame that fails only its checksum is named with the checksum it should have had. Packed hex
(FF010004200025FF01...) of any size is read in pieces, in bounded memory.
Exit code 0 when every byte belonged to a valid frame, 1 otherwise, 2 for input that is not hex.

  zoomsync decode FF 01 00 04 20 00 25
  echo "A0 00 00 04 20 00 AF 2B" | zoomsync decode --json

Options:
  --dialect D|P|auto  which frames to look for (default auto: both)
${PELCO_OPTIONS_HELP.split('\n')[1]}
  --json              one JSON object per line: {type: frame|discarded|bad-checksum|invalid-frame|partial, ...}
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { dialect: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' } });
    const json = flag(parsed, 'json');
    if (parsed.positionals.length === 0 && io.stdin.isTTY) {
      // reading a terminal would just sit there, waiting for a Ctrl-D nobody knows to type
      throw new UsageError('no hex given: pass the bytes as arguments, or pipe them in (echo "FF 01 00 04 20 00 25" | zoomsync decode)');
    }
    let problems = 0;
    let total = 0;
    // Lines are gathered per input chunk and written with the stream's backpressure: a slow
    // reader of our stdout (a pager, a pipe) holds the input back instead of filling memory.
    let out = '';
    const reader = new FrameReader({
      dialect: readerDialectOption(parsed),
      profile: profileOption(parsed),
      onFrame: (frame, raw) => (out += formatFrame(frame, raw, json) + '\n'),
      onProblem: (event) => {
        problems++;
        out += formatProblem(event, json) + '\n';
      },
    });
    const hex = new HexStreamParser();
    const feed = async (text: string | undefined) => {
      let bytes: Uint8Array;
      try {
        bytes = text === undefined ? hex.end() : hex.push(text);
      } catch (error) {
        if (!(error instanceof HexSyntaxError)) throw error;
        await flushOut();
        throw new UsageError(`input is not hex bytes near ${JSON.stringify(error.near)}: ${error.message} (expected e.g. "FF 01 00 04 20 00 25": 1–2 hex digits per byte, or packed pairs like FF0100042000 25)`);
      }
      total += bytes.length;
      reader.push(bytes);
      if (text === undefined) reader.flush();
      await flushOut();
    };
    const flushOut = async () => {
      if (out === '') return;
      const text = out;
      out = '';
      if (!io.stdout.write(text)) await drained(io.stdout);
    };
    if (parsed.positionals.length > 0) {
      // One push with every token closed: a typo anywhere prints nothing but the error.
      await feed(`${parsed.positionals.join(' ')} `);
    } else {
      // Piped hex is decoded as it comes, in chunks: a live hex dump can be piped in, and a
      // large file (even one packed token of 20 MB) never sits in memory whole.
      io.stdin.setEncoding?.('utf8');
      for await (const chunk of io.stdin) await feed(String(chunk));
    }
    await feed(undefined);
    if (total === 0) throw new UsageError('no bytes given: pass hex as arguments or on stdin');
    return problems > 0 ? 1 : 0;
  },
};

/** Resolves when a stream that refused more writes wants them again (or is gone: nothing more to wait for). */
async function drained(stream: NodeJS.WritableStream): Promise<void> {
  const ac = new AbortController();
  await Promise.race([once(stream, 'drain', { signal: ac.signal }), once(stream, 'close', { signal: ac.signal }), once(stream, 'error', { signal: ac.signal })]).catch(() => {});
  ac.abort();
}
