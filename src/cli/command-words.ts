/**
 * The words people type for PELCO commands (`pan-left 32`, `preset-goto 5`, `move --pan left
 * --zoom tele`), shared by every CLI command that sends or encodes frames. Ranges are not
 * checked here: the codec checks them and names the field, the value and the range.
 */
import type { AutoMode, MoveCommand, PelcoCommand, PelcoCommandKind } from '../../protocols/pelco/index.js';
import { parseCommandArgs, parseInteger, type ParsedArgs, stringOption, UsageError } from './command.js';

/** Options of the `move` word; CLI commands that take command words accept these too. */
export const COMMAND_OPTIONS = {
  pan: { type: 'string' },
  tilt: { type: 'string' },
  'pan-speed': { type: 'string' },
  'tilt-speed': { type: 'string' },
  zoom: { type: 'string' },
  focus: { type: 'string' },
  iris: { type: 'string' },
} as const;

const DEFAULT_SPEED = 0x20;

type Builder = (args: string[], options: ParsedArgs) => PelcoCommand;

const noArgs = (kind: PelcoCommandKind): Builder => () => ({ kind }) as PelcoCommand;
const intArg = (kind: PelcoCommandKind, field: string): Builder => (args) =>
  ({ kind, [field]: parseInteger(`${kind} ${field}`, args[0]) }) as PelcoCommand;
const choiceArg = <T extends string>(kind: PelcoCommandKind, field: string, choices: readonly T[]): Builder => (args) =>
  ({ kind, [field]: choice(`${kind} ${field}`, args[0], choices) }) as PelcoCommand;
const onOffArg = (kind: PelcoCommandKind): Builder => (args) =>
  ({ kind, on: choice(`${kind} value`, args[0], ['on', 'off'] as const) === 'on' }) as PelcoCommand;

const panWord = (pan: 'left' | 'right'): Builder => (args) => ({ kind: 'move', pan, panSpeed: speed('pan speed', args[0], true), tiltSpeed: 0 });
const tiltWord = (tilt: 'up' | 'down'): Builder => (args) => ({ kind: 'move', tilt, panSpeed: 0, tiltSpeed: speed('tilt speed', args[0], false) as number });
const lensWord = (part: Partial<MoveCommand>): Builder => () => ({ kind: 'move', panSpeed: 0, tiltSpeed: 0, ...part });

const AUTO_MODES: readonly AutoMode[] = ['auto', 'on', 'off'];

/** word -> [argument synopsis, builder]. The order is the order `--help` lists them. */
const WORDS: Record<string, [string, Builder]> = {
  stop: ['', noArgs('stop')],
  'pan-left': ['[SPEED|turbo]', panWord('left')],
  'pan-right': ['[SPEED|turbo]', panWord('right')],
  'tilt-up': ['[SPEED]', tiltWord('up')],
  'tilt-down': ['[SPEED]', tiltWord('down')],
  'zoom-tele': ['', lensWord({ zoom: 'tele' })],
  'zoom-wide': ['', lensWord({ zoom: 'wide' })],
  'focus-near': ['', lensWord({ focus: 'near' })],
  'focus-far': ['', lensWord({ focus: 'far' })],
  'iris-open': ['', lensWord({ iris: 'open' })],
  'iris-close': ['', lensWord({ iris: 'close' })],
  move: ['[--pan left|right] [--pan-speed N|turbo] [--tilt up|down] [--tilt-speed N] [--zoom tele|wide] [--focus near|far] [--iris open|close]', moveWord],
  'camera-on': ['', () => ({ kind: 'camera-power', on: true })],
  'camera-off': ['', () => ({ kind: 'camera-power', on: false })],
  'scan-auto': ['', () => ({ kind: 'scan', mode: 'auto' })],
  'scan-manual': ['', () => ({ kind: 'scan', mode: 'manual' })],
  'preset-set': ['N', intArg('preset-set', 'preset')],
  'preset-clear': ['N', intArg('preset-clear', 'preset')],
  'preset-goto': ['N', intArg('preset-goto', 'preset')],
  'aux-set': ['N', intArg('aux-set', 'aux')],
  'aux-clear': ['N', intArg('aux-clear', 'aux')],
  'remote-reset': ['', noArgs('remote-reset')],
  'zone-start': ['N', intArg('zone-start', 'zone')],
  'zone-end': ['N', intArg('zone-end', 'zone')],
  'zone-scan-on': ['', noArgs('zone-scan-on')],
  'zone-scan-off': ['', noArgs('zone-scan-off')],
  'screen-write': ['COLUMN CHAR', screenWriteWord],
  'screen-clear': ['', noArgs('screen-clear')],
  'alarm-ack': ['N', intArg('alarm-ack', 'alarm')],
  'pattern-start': ['N', intArg('pattern-start', 'pattern')],
  'pattern-stop': ['N', intArg('pattern-stop', 'pattern')],
  'pattern-run': ['N', intArg('pattern-run', 'pattern')],
  'zoom-speed': ['0-3', intArg('zoom-speed', 'speed')],
  'focus-speed': ['0-3', intArg('focus-speed', 'speed')],
  'reset-defaults': ['', noArgs('reset-defaults')],
  'auto-focus': ['auto|on|off', choiceArg('auto-focus', 'mode', AUTO_MODES)],
  'auto-iris': ['auto|on|off', choiceArg('auto-iris', 'mode', AUTO_MODES)],
  agc: ['auto|on|off', choiceArg('agc', 'mode', AUTO_MODES)],
  backlight: ['on|off', onOffArg('backlight')],
  'auto-white-balance': ['on|off', onOffArg('auto-white-balance')],
  'set-pan': ['HUNDREDTHS_OF_DEGREE', intArg('set-pan', 'position')],
  'set-tilt': ['HUNDREDTHS_OF_DEGREE', intArg('set-tilt', 'position')],
  'set-zoom': ['POSITION', intArg('set-zoom', 'position')],
  'set-magnification': ['VALUE', intArg('set-magnification', 'value')],
  'query-pan': ['', noArgs('query-pan')],
  'query-tilt': ['', noArgs('query-tilt')],
  'query-zoom': ['', noArgs('query-zoom')],
  'query-magnification': ['', noArgs('query-magnification')],
  'pan-position': ['VALUE', intArg('pan-position', 'position')],
  'tilt-position': ['VALUE', intArg('tilt-position', 'position')],
  'zoom-position': ['VALUE', intArg('zoom-position', 'position')],
  magnification: ['VALUE', intArg('magnification', 'value')],
};

/** How many positional arguments a word's synopsis allows: `[SPEED]` one, `N` one, `COLUMN CHAR` two, options none. */
function maxArgs(synopsis: string): number {
  if (synopsis === '' || synopsis.startsWith('[--')) return 0;
  return synopsis.split(' ').length;
}

/**
 * Turns command words into a command. `options` are the already-parsed `move` options; when
 * left out, the words themselves are parsed for them.
 * @example parseCommandWords(['pan-left', '32']) // { kind: 'move', pan: 'left', panSpeed: 32, tiltSpeed: 0 }
 */
export function parseCommandWords(words: string[], options?: ParsedArgs): PelcoCommand {
  const parsed = options ?? parseCommandArgs(words, COMMAND_OPTIONS);
  const positionals = options ? words : parsed.positionals;
  const [word, ...args] = positionals;
  if (word === undefined) throw new UsageError('a command is required (e.g. stop, pan-left 32, preset-goto 5; see --help)');
  const entry = Object.hasOwn(WORDS, word) ? WORDS[word] : undefined;
  if (!entry) throw new UsageError(`unknown command "${word}"; the commands are: ${Object.keys(WORDS).join(', ')}`);
  const [synopsis, build] = entry;
  if (args.length > maxArgs(synopsis)) throw new UsageError(`${word} takes ${synopsis ? `"${synopsis}"` : 'no arguments'}, got extra "${args.slice(maxArgs(synopsis)).join(' ')}"`);
  if (word !== 'move' && Object.keys(COMMAND_OPTIONS).some((name) => parsed.values[name] !== undefined)) {
    throw new UsageError(`--pan/--tilt/--zoom/--focus/--iris options go with the move command, not ${word}`);
  }
  return build(args, parsed);
}

/** The command-word reference for `--help` texts. */
export function commandWordsHelp(): string {
  return Object.entries(WORDS)
    .map(([word, [synopsis]]) => `  ${word}${synopsis ? ' ' + synopsis : ''}`)
    .join('\n');
}

function moveWord(args: string[], parsed: ParsedArgs): PelcoCommand {
  void args;
  const move: MoveCommand = {
    kind: 'move',
    panSpeed: speed('--pan-speed', stringOption(parsed, 'pan-speed'), true, stringOption(parsed, 'pan') ? DEFAULT_SPEED : 0),
    tiltSpeed: speed('--tilt-speed', stringOption(parsed, 'tilt-speed'), false, stringOption(parsed, 'tilt') ? DEFAULT_SPEED : 0) as number,
  };
  const pan = stringOption(parsed, 'pan');
  const tilt = stringOption(parsed, 'tilt');
  const zoom = stringOption(parsed, 'zoom');
  const focus = stringOption(parsed, 'focus');
  const iris = stringOption(parsed, 'iris');
  if (pan !== undefined) move.pan = choice('--pan', pan, ['left', 'right'] as const);
  if (tilt !== undefined) move.tilt = choice('--tilt', tilt, ['up', 'down'] as const);
  if (zoom !== undefined) move.zoom = choice('--zoom', zoom, ['tele', 'wide'] as const);
  if (focus !== undefined) move.focus = choice('--focus', focus, ['near', 'far'] as const);
  if (iris !== undefined) move.iris = choice('--iris', iris, ['open', 'close'] as const);
  return move;
}

function screenWriteWord(args: string[]): PelcoCommand {
  const column = parseInteger('screen-write column', args[0]);
  const text = args[1];
  if (text === undefined) throw new UsageError('screen-write needs a character: screen-write COLUMN CHAR (a single character, or its code like 0x41)');
  // One character is itself ("7" writes a 7); a byte code must say it is one (0x37), or "65" and
  // "6" would mean different kinds of thing. Only printable ASCII as characters: what an OSD does
  // with 0x80-0xFF is its own character set, so those go by code.
  let char: number;
  if ([...text].length === 1) {
    char = text.codePointAt(0)!;
    if (char < 0x20 || char > 0x7e) {
      throw new UsageError(`screen-write CHAR must be a printable ASCII character, got ${JSON.stringify(text)} (U+${char.toString(16).toUpperCase().padStart(4, '0')}); give another byte by its code, e.g. 0xE9`);
    }
  } else if (/^0x/i.test(text)) char = parseInteger('screen-write char', text);
  else throw new UsageError(`screen-write CHAR is one character or a code like 0x41, got ${JSON.stringify(text)} (to write text, send one screen-write per column)`);
  return { kind: 'screen-write', column, char };
}

function speed(name: string, text: string | undefined, turboAllowed: boolean, fallback = DEFAULT_SPEED): number | 'turbo' {
  if (text === undefined) return fallback;
  if (text === 'turbo') {
    if (!turboAllowed) throw new UsageError(`${name} cannot be turbo (only pan has a turbo speed)`);
    return 'turbo';
  }
  return parseInteger(name, text);
}

function choice<T extends string>(name: string, text: string | undefined, choices: readonly T[]): T {
  if (text !== undefined && (choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${name} must be one of ${choices.join(', ')}${text === undefined ? '' : `, got "${text}"`}`);
}
