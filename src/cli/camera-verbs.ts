/**
 * The actions of `zoomsync camera` and the capability each needs. Which dialect has which
 * action is read from the dialect registry, never written down here: a new dialect's entry
 * shows up in the help and is let through (or refused) without an edit.
 */
import { NotSupportedError } from '../../protocols/errors.js';
import type { Capability, DialectName } from '../../protocols/http/common/capabilities.js';
import { DIALECT_REGISTRY, dialectEntry } from '../devices/http/registry.js';

/** Action -> the capability it needs (null: every dialect has it). */
export const CAMERA_VERBS: Readonly<Record<string, Capability | null>> = {
  info: 'identity',
  lens: 'lens',
  'zoom-to': 'lens',
  'focus-to': 'lens',
  home: 'lens',
  'focus-mode': 'focus',
  'zoom-af': 'focus',
  'one-push': 'focus',
  osd: 'osd',
  ip: 'network',
  reboot: 'reboot',
  'factory-default': 'factory-default',
  firmware: 'firmware',
  serial: 'ptz-serial',
  raw: null,
};

export const CAMERA_VERB_NAMES = Object.keys(CAMERA_VERBS);

/** The dialects whose registry entry declares what the action needs. */
export function dialectsWithVerb(verb: string): DialectName[] {
  const capability = CAMERA_VERBS[verb];
  return DIALECT_REGISTRY.filter((d) => capability === null || (capability !== undefined && d.capabilities.includes(capability))).map((d) => d.name);
}

/**
 * Refuses (before any prompt or request) an action the dialect cannot do. A camera that tells
 * its abilities at run time (api.cgi) may still refuse one its dialect has: its client does.
 */
export function requireVerb(verb: string, dialect: DialectName): void {
  const capability = CAMERA_VERBS[verb];
  if (capability === undefined || capability === null) return;
  const entry = dialectEntry(dialect);
  if (entry?.capabilities.includes(capability)) return;
  const others = dialectsWithVerb(verb);
  throw new NotSupportedError(verb, dialect, others.length ? `dialects with ${verb}: ${others.join(', ')}` : `no dialect has ${verb} yet`);
}

/** The help's generated part: the dialects, and which dialects have each action. */
export function dialectHelp(): string {
  const width = Math.max(...CAMERA_VERB_NAMES.map((v) => v.length)) + 2;
  return [
    'Dialects (--dialect NAME):',
    ...DIALECT_REGISTRY.map((d) => `  ${d.name.padEnd(width)}${d.summary}`),
    '',
    'Actions by dialect:',
    ...CAMERA_VERB_NAMES.map((v) => `  ${v.padEnd(width)}${dialectsWithVerb(v).join(', ') || '(none yet)'}`),
    `  ${'probe'.padEnd(width)}asks which of ${DIALECT_REGISTRY.filter((d) => d.probe).map((d) => d.name).join(', ')} answers`,
  ].join('\n');
}
