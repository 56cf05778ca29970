/**
 * The words of `zoomsync do TARGET WORDS…`: encode's command words (command-words.ts), plus
 * `zoom-to --magnification X`, and for groups `group-preset save|recall NAME` and `follow on|off`.
 * Parsed before any port opens, so a typo costs nothing.
 */
import { isReply, type PelcoCommand } from '../../protocols/pelco/index.js';
import { type ParsedArgs, stringOption, UsageError } from './command.js';
import { parseCommandWords } from './command-words.js';

export type DoAction =
  | { kind: 'command'; command: PelcoCommand }
  | { kind: 'zoom-to'; magnification: number }
  | { kind: 'group-preset'; action: 'save' | 'recall'; name: string }
  | { kind: 'follow'; on: boolean };

export const DO_WORD_OPTIONS = { magnification: { type: 'string' } } as const;

export const DO_WORDS_HELP = `  zoom-to --magnification X     absolute zoom to X times (1x = widest), through each block's calibration table
  group-preset save|recall NAME  (groups) store every member's zoom under NAME, or move them all back to it
  follow on|off                  (groups) followers track the leader's zoom while the command runs`;

/** `words` are the positionals after the target; `parsed` holds the options (--magnification, move's --pan …). */
export function parseDoWords(words: string[], parsed: ParsedArgs): DoAction {
  const [word, ...args] = words;
  const magnification = stringOption(parsed, 'magnification');
  if (word !== 'zoom-to' && magnification !== undefined) throw new UsageError(`--magnification goes with zoom-to, not ${word ?? 'nothing'}`);
  switch (word) {
    case 'zoom-to': {
      if (args.length > 0) throw new UsageError(`zoom-to takes --magnification X, got extra "${args.join(' ')}"`);
      if (magnification === undefined) throw new UsageError('zoom-to needs --magnification X (e.g. zoom-to --magnification 4); for a raw position use set-zoom N');
      const value = Number(magnification);
      if (!/^\d+(\.\d+)?$/.test(magnification) || !(value > 0)) throw new UsageError(`--magnification must be a number above 0 like 4 or 2.5, got "${magnification}"`);
      return { kind: 'zoom-to', magnification: value };
    }
    case 'group-preset': {
      const [action, name, ...extra] = args;
      if (action !== 'save' && action !== 'recall') throw new UsageError(`group-preset must be followed by save or recall${action === undefined ? '' : `, got "${action}"`} (group-preset save NAME)`);
      if (name === undefined) throw new UsageError(`group-preset ${action} needs a preset name (group-preset ${action} NAME)`);
      if (extra.length > 0) throw new UsageError(`group-preset ${action} takes one NAME, got extra "${extra.join(' ')}" (quote a name with spaces)`);
      return { kind: 'group-preset', action, name };
    }
    case 'follow': {
      const [onOff, ...extra] = args;
      if ((onOff !== 'on' && onOff !== 'off') || extra.length > 0) throw new UsageError(`follow takes on or off${onOff === undefined ? '' : `, got "${args.join(' ')}"`}`);
      return { kind: 'follow', on: onOff === 'on' };
    }
  }
  const command = parseCommandWords(words, parsed);
  if (isReply(command)) throw new UsageError(`${command.kind} is what a camera answers to a query, not a command to send; to ask, use query-${command.kind === 'magnification' ? 'magnification' : command.kind.replace('-position', '')}`);
  return { kind: 'command', command };
}
