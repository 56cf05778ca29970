import { encode, toHex } from '../../../protocols/pelco/index.js';
import { type CliCommand, flag, parseCommandArgs, writeLine } from '../command.js';
import { COMMAND_OPTIONS, commandWordsHelp, parseCommandWords } from '../command-words.js';
import { addressOption, dialectOption, PELCO_OPTIONS, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';

export const encodeCommand: CliCommand = {
  name: 'encode',
  help: `Usage: zoomsync encode [--dialect D|P] [--profile NAME] --address N [--json] <command> [args...]

Prints the frame as upper-case hex, e.g.
  zoomsync encode --dialect D --address 1 pan-left 32   ->   FF 01 00 04 20 00 25

Options:
  --address N         camera number as the user sees it (camera 1 is byte 0x00 in PELCO-P)
${PELCO_OPTIONS_HELP}
  --json              print {dialect, address, hex, bytes, command} as JSON

Commands:
${commandWordsHelp()}
`,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { ...PELCO_OPTIONS, ...COMMAND_OPTIONS, json: { type: 'boolean' } });
    const dialect = dialectOption(parsed);
    const profile = profileOption(parsed);
    const address = addressOption(parsed);
    const command = parseCommandWords(parsed.positionals, parsed);
    const bytes = encode(command, { dialect, address, profile });
    if (flag(parsed, 'json')) {
      writeLine(io.stdout, JSON.stringify({ dialect, address, profile: profile.name, hex: toHex(bytes), bytes: [...bytes], command }));
    } else {
      writeLine(io.stdout, toHex(bytes));
    }
    return 0;
  },
};
