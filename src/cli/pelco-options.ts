/** The options every PELCO-speaking CLI command shares: --dialect, --profile, --address. */
import { DEFAULT_PROFILE, type DeviceProfile, type Dialect, PROFILES, profileByName, type ReaderDialect } from '../../protocols/pelco/index.js';
import { type ParsedArgs, parseInteger, stringOption, UsageError } from './command.js';

export const PELCO_OPTIONS = {
  dialect: { type: 'string' },
  profile: { type: 'string' },
  address: { type: 'string' },
} as const;

export const PELCO_OPTIONS_HELP = `  --dialect D|P       PELCO-D (7-byte frames, default) or PELCO-P (8-byte frames)
  --profile NAME      device conventions: ${Object.keys(PROFILES).join(', ')} (default sz-g10; generic is opt-in)`;

export function dialectOption(parsed: ParsedArgs): Dialect {
  const text = (stringOption(parsed, 'dialect') ?? 'D').toUpperCase();
  if (text !== 'D' && text !== 'P') throw new UsageError(`--dialect must be D or P, got "${stringOption(parsed, 'dialect')}"`);
  return text;
}

export function readerDialectOption(parsed: ParsedArgs): ReaderDialect {
  const text = stringOption(parsed, 'dialect') ?? 'auto';
  if (text.toLowerCase() === 'auto') return 'auto';
  const upper = text.toUpperCase();
  if (upper !== 'D' && upper !== 'P') throw new UsageError(`--dialect must be D, P or auto, got "${text}"`);
  return upper;
}

export function profileOption(parsed: ParsedArgs): DeviceProfile {
  const name = stringOption(parsed, 'profile') ?? DEFAULT_PROFILE.name;
  const profile = profileByName(name);
  if (!profile) throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, got "${name}"`);
  return profile;
}

/** --address: the camera number a user sees (the profile maps it to the wire byte). */
export function addressOption(parsed: ParsedArgs): number {
  const text = stringOption(parsed, 'address');
  if (text === undefined) throw new UsageError('--address N is required (the camera number, 1 = the first camera)');
  return parseInteger('--address', text);
}
