/**
 * The rig file as a zod schema: the one place that says what each key may hold, what it
 * defaults to and what it means (the descriptions become the JSON Schema editors show).
 *
 * This schema checks each value on its own. Whatever needs two places of the file at once
 * (a block's line exists, two blocks share an address, limits inside the profile's range) is
 * checked in cross-checks.ts. Serial line options are checked by SerialLine's own
 * resolveLineOptions (line-settings.ts), so their ranges are not restated here, except the baud
 * range, which comes from the same constants.
 *
 * Messages: a message of our own that starts with "expected " says what was expected (the
 * problem formatter adds what was found); a refinement's message is the whole sentence.
 */
import { z } from 'zod';
import { DIALECTS } from '../../protocols/http/common/capabilities.js';
import { type Dialect, PROFILES } from '../../protocols/pelco/index.js';
import { type DirectionControl, MAX_BAUD, MIN_BAUD } from '../../hardware/serial/line-options.js';
import { gpioPinMapSchema } from '../../hardware/gpio/pin-map.js';
import { RULES_SCHEMA } from '../rules/rule-schema.js';
import { calibrationTableProblems } from '../sync/calibration.js';

/** Names of lines, blocks and groups: usable in URLs, CLI arguments and log lines as they are. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
/** Environment variable names as a POSIX shell accepts them. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const PELCO_DIALECTS = ['D', 'P'] as const satisfies readonly Dialect[];
export const DIRECTION_MODES = ['auto', 'rts', 'gpio'] as const satisfies readonly DirectionControl['mode'][];
export const PROFILE_NAMES = Object.keys(PROFILES) as [string, ...string[]];

export const DEFAULT_PELCO_DIALECT: Dialect = 'D';
export const DEFAULT_PROFILE = 'sz-g10';
export const DEFAULT_HTTP_DIALECT = 'szg10';
export const DEFAULT_TRACK_HZ = 10;
export const DEFAULT_TRACK_DEADBAND = 2;

/** Said wherever a password would be written into the file. */
export const PASSWORD_ADVICE =
  'a password is never written in the rig file: use passwordEnv: NAME (an environment variable that holds it) or passwordFile: PATH (a file only its owner can read, mode 0600)';

const expected = (text: string) => ({ error: `expected ${text}` });

function name(what: string) {
  const rule = expected(`a ${what} name: a letter, then up to 31 letters, digits, - or _`);
  return z.string(rule).regex(NAME_PATTERN, rule);
}

function integerIn(min: number, max: number) {
  const rule = expected(`an integer ${min}–${max}`);
  return z.number(rule).int(rule).min(min, rule).max(max, rule);
}

function numberIn(min: number, max: number) {
  const rule = expected(`a number ${min}–${max}`);
  return z.number(rule).min(min, rule).max(max, rule);
}

/** What one of a block's names refers to elsewhere in the file; cross-checks.ts finds it. */
const reference = (what: string) => z.string(expected(`the name of a ${what}`));

export const LINE_SCHEMA = z
  .strictObject({
    name: name('line').describe('How blocks refer to this line, e.g. bus1.'),
    port: z
      .string(expected('a serial device path such as /dev/ttyUSB0'))
      .min(1, expected('a serial device path such as /dev/ttyUSB0'))
      .describe('The serial device, e.g. /dev/ttyUSB0, /dev/serial/by-id/usb-FTDI_..., or /dev/serial0 on a Raspberry Pi.'),
    baud: integerIn(MIN_BAUD, MAX_BAUD).optional().describe('Baud rate. Default 9600; PELCO devices use 2400, 4800 or 9600 (8N1).'),
    direction: z
      .enum(DIRECTION_MODES, expected(DIRECTION_MODES.map((m) => `"${m}"`).join(', ')))
      .optional()
      .describe('How the RS-485 transceiver is switched to transmit: auto (the adapter does it; default), rts (the UART RTS pin drives DE/RE) or gpio (a GPIO pin does).'),
    turnaroundMs: z
      .number(expected('a number of milliseconds'))
      .optional()
      .describe('With rts or gpio: how long to hold transmit after the last byte, ms. Default 1.'),
  })
  .describe('One serial port and the RS-485 pair (or UART) behind it.');

export const HTTP_FACE_SCHEMA = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as http://192.168.1.20' })
      .refine((url) => !/^[a-z]+:\/\/[^/]*@/i.test(url), { error: 'the URL carries a user or password (expected http://HOST without user:password@; give user: and passwordEnv: or passwordFile: instead)' })
      .describe('Base URL of the camera, e.g. http://192.168.1.20 or https://cam:8443.'),
    dialect: z
      .enum(DIALECTS, expected(DIALECTS.map((d) => `"${d}"`).join(', ')))
      .default(DEFAULT_HTTP_DIALECT)
      .describe('Which HTTP API the camera speaks. Default szg10.'),
    user: z.string(expected('a user name')).min(1, expected('a user name')).describe('Login user, e.g. admin.'),
    passwordEnv: z
      .string(expected('an environment variable name'))
      .regex(ENV_NAME_PATTERN, expected('an environment variable name such as LEFT_PW (letters, digits and _, not starting with a digit)'))
      .optional()
      .describe('Name of the environment variable that holds the password.'),
    passwordFile: z
      .string(expected('a file path'))
      .min(1, expected('a file path'))
      .optional()
      .describe('File that holds the password (first line); must be mode 0600 or stricter. Relative to the rig file.'),
    password: z.never({ error: PASSWORD_ADVICE }).optional().describe(PASSWORD_ADVICE),
  })
  .refine((face) => (face.passwordEnv === undefined) !== (face.passwordFile === undefined), {
    error: (issue) =>
      (issue.input as { passwordEnv?: unknown }).passwordEnv === undefined
        ? 'no password source (expected passwordEnv: NAME or passwordFile: PATH)'
        : 'two password sources (expected passwordEnv or passwordFile, not both)',
    // said even when another key of the face is wrong too: the file is judged whole
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  })
  .describe("The block's HTTP face (its camera API). Passwords come from passwordEnv or passwordFile, never from this file.");

const zoomPosition = z.number(expected('a raw zoom position')).int(expected('an integer raw zoom position')).min(0, expected('a raw zoom position of 0 or more'));

export const LIMITS_SCHEMA = z
  .strictObject({
    zoom: z
      .tuple([zoomPosition, zoomPosition], expected('[lowest, highest] raw zoom positions, e.g. [0, 900]'))
      .refine(([low, high]) => low < high, { error: (issue) => `lowest is not below highest (got ${JSON.stringify(issue.input)}, expected [lowest, highest] with lowest < highest)` })
      .optional()
      .describe("[lowest, highest] raw zoom positions this block may be driven to. Default: the profile's whole range (sz-g10: [0, 1000])."),
  })
  .describe('Soft limits, inside the range the profile allows.');

export const CALIBRATION_SCHEMA = z
  .array(
    z.tuple(
      [zoomPosition, z.number(expected('a magnification such as 3.2')).positive(expected('a magnification above 0, such as 3.2'))],
      expected('a [raw zoom, magnification] pair, e.g. [500, 3.2]'),
    ),
    expected('a list of [raw zoom, magnification] pairs'),
  )
  .min(2, expected('at least 2 [raw zoom, magnification] points'))
  .superRefine((points, context) => {
    for (const problem of calibrationTableProblems(points)) {
      const path = problem.index < 0 ? [] : problem.part === undefined ? [problem.index] : [problem.index, problem.part];
      context.addIssue({ code: 'custom', message: problem.message, path, input: problem.index < 0 ? points : points[problem.index] });
    }
  })
  .describe('Measured [raw zoom, magnification] points, both strictly increasing; between them the map is linear. Lets a group zoom blocks with different lenses to the same magnification.');

export const BLOCK_SCHEMA = z
  .strictObject({
    name: name('block').describe('How groups, the CLI and the API refer to this block, e.g. left.'),
    line: reference('line').describe('The name of the line (under lines:) the block is wired to.'),
    address: integerIn(1, 256).describe('PELCO camera number set on the block: 1–255 for PELCO-D (254 with sz-g10, where 255 is broadcast), 1–256 for PELCO-P.'),
    dialect: z
      .enum(PELCO_DIALECTS, expected('"D" or "P"'))
      .default(DEFAULT_PELCO_DIALECT)
      .describe('PELCO dialect on the serial line: D (7-byte frames) or P (8-byte frames). Default D.'),
    profile: z
      .enum(PROFILE_NAMES, expected(PROFILE_NAMES.map((p) => `"${p}"`).join(', ')))
      .default(DEFAULT_PROFILE)
      .describe('Device profile (zoom range, address conventions). Default sz-g10.'),
    http: HTTP_FACE_SCHEMA.optional(),
    limits: LIMITS_SCHEMA.optional(),
    calibration: CALIBRATION_SCHEMA.optional(),
  })
  .describe('One zoom block: its serial address and, optionally, its HTTP face.');

export const TRACK_SCHEMA = z
  .strictObject({
    hz: numberIn(1, 50).default(DEFAULT_TRACK_HZ).describe('How often followers are brought to the leader, per second. Default 10.'),
    deadband: numberIn(0, 100)
      .default(DEFAULT_TRACK_DEADBAND)
      .describe("A follower is moved only when it is off by more than this many raw zoom steps. Default 2."),
  })
  .describe("Followers track the leader's zoom (through the calibration tables when both have one).");

export const GROUP_SCHEMA = z
  .strictObject({
    name: name('group').describe('How the CLI and the API refer to this group, e.g. rig.'),
    members: z
      .array(reference('block'), expected('a list of block names'))
      .min(1, expected('at least one block name'))
      .describe('Names of the blocks in the group.'),
    leader: reference('block').optional().describe('The member the others follow. Default: the first member.'),
    track: TRACK_SCHEMA.optional(),
  })
  .describe('Blocks that move together.');

export const RIG_FILE_SCHEMA = z
  .strictObject(
    {
      lines: z.array(LINE_SCHEMA, expected('a list of lines')).min(1, expected('at least one line')).describe('Serial lines (ports).'),
      blocks: z.array(BLOCK_SCHEMA, expected('a list of blocks')).min(1, expected('at least one block')).describe('Zoom blocks.'),
      groups: z.array(GROUP_SCHEMA, expected('a list of groups')).optional().describe('Sync groups.'),
      gpio: gpioPinMapSchema.optional().describe('The GPIO board (StandardFirmata on USB): its port and which pin carries which signal. See docs/gpio.md.'),
      rules: RULES_SCHEMA.optional(),
    },
    expected('a mapping with lines:, blocks: and (optionally) groups:, gpio:, rules:'),
  )
  .describe('zoomsync rig file: serial lines, the zoom blocks on them, sync groups, the GPIO board and rules.');

/** The rig file as written (after YAML parsing), defaults not yet filled. */
export type RigFileInput = z.input<typeof RIG_FILE_SCHEMA>;
/** The rig file as zod returns it, with the schema's own defaults filled. */
export type RigFile = z.output<typeof RIG_FILE_SCHEMA>;
export type LineEntry = z.output<typeof LINE_SCHEMA>;
export type BlockEntry = z.output<typeof BLOCK_SCHEMA>;
export type GroupEntry = z.output<typeof GROUP_SCHEMA>;
