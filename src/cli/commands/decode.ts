import { FrameReader, parseHex } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, UsageError, writeLine } from '../command.js';
import { formatFrame, formatProblem } from '../frame-format.js';
import { PELCO_OPTIONS_HELP, profileOption, readerDialectOption } from '../pelco-options.js';

export const decodeCommand: CliCommand = {
  name: 'decode',
  help: `Usage: zoomsync decode [--dialect D|P|auto] [--profile NAME] [--json] [HEX...]

Reads hex bytes from the arguments (or from stdin when there are none, decoded as it arrives), finds every frame in them
the way a receiver would (checksums checked, resynchronising after garbage) and prints one line per
frame: dialect, camera, meaning. Garbage, invalid frames and a trailing partial frame are reported.
Exit code 0 when every byte belonged to a valid frame, 1 otherwise, 2 for input that is not hex.

  zoomsync decode FF 01 00 04 20 00 25
  echo "A0 00 00 04 20 00 AF 2B" | zoomsync decode --json

Options:
  --dialect D|P|auto  which frames to look for (default auto: both)
${PELCO_OPTIONS_HELP.split('\n')[1]}
  --json              one JSON object per line: {type: frame|discarded|invalid-frame|partial, ...}
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
    const reader = new FrameReader({
      dialect: readerDialectOption(parsed),
      profile: profileOption(parsed),
      onFrame: (frame, raw) => writeLine(io.stdout, formatFrame(frame, raw, json)),
      onProblem: (event) => {
        problems++;
        writeLine(io.stdout, formatProblem(event, json));
      },
    });
    const bytesOf = (text: string): Uint8Array => {
      const bytes = parseHex(text);
      if (bytes) return bytes;
      throw new UsageError(`input is not hex bytes near ${JSON.stringify(text.trim().slice(0, 40))} (expected e.g. "FF 01 00 04 20 00 25": 1–2 hex digits per byte, or packed pairs like FF0100042000 25)`);
    };
    const feed = (bytes: Uint8Array) => {
      total += bytes.length;
      reader.push(bytes);
    };
    if (parsed.positionals.length > 0) {
      feed(bytesOf(parsed.positionals.join(' ')));
    } else {
      // Piped hex is decoded as it comes: a live hex dump can be piped in, and a large file
      // never sits in memory as one string (18 MB of hex took 550 MB that way).
      let carry = '';
      io.stdin.setEncoding?.('utf8');
      for await (const chunk of io.stdin) {
        const text = carry + String(chunk);
        const cut = text.search(/[\s,:;]+[^\s,:;]*$/); // the last token may go on in the next chunk
        if (cut < 0) carry = text;
        else {
          carry = text.slice(cut);
          feed(bytesOf(text.slice(0, cut)));
        }
      }
      feed(bytesOf(carry));
    }
    if (total === 0) throw new UsageError('no bytes given: pass hex as arguments or on stdin');
    reader.flush();
    return problems > 0 ? 1 : 0;
  },
};
