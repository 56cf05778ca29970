/**
 * The request shapes of the API as zod schemas: fastify validates every body, parameter and
 * query with them, and @fastify/swagger turns the same schemas into /openapi.json.
 */
import { z } from 'zod';
import { MAX_LEASE_MS, MIN_LEASE_MS } from './motion.js';

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
export const nameParam = (what: string) => z.string().regex(NAME, `expected a ${what} name: a letter, then up to 31 letters, digits, - or _`);

export const BLOCK_PARAMS = z.strictObject({ name: nameParam('block') });
export const GROUP_PARAMS = z.strictObject({ name: nameParam('group') });

const axis = z.number().min(-1).max(1);
export const LEASE_MS = z.number().int().min(MIN_LEASE_MS).max(MAX_LEASE_MS).describe(`Dead-man lease, ms (default 300): without a renewal in time the motion is stopped.`);

/** Joystick axes, -1..1: sign is the direction, size the speed (pan/tilt). */
export const AXES = {
  pan: axis.optional().describe('-1 (left) .. 1 (right)'),
  tilt: axis.optional().describe('-1 (down) .. 1 (up)'),
  zoom: axis.optional().describe('-1 (wide) .. 1 (tele)'),
  focus: axis.optional().describe('-1 (near) .. 1 (far)'),
  iris: axis.optional().describe('-1 (close) .. 1 (open)'),
};
export const MOVE_BODY = z.strictObject({ ...AXES, leaseMs: LEASE_MS.optional() }).describe('Continuous motion under a dead-man lease; all axes 0 is a stop.');
export const RENEW_BODY = z.strictObject({ leaseMs: LEASE_MS.optional() });
/** Routes that take no fields still refuse a body with any (a typo must not pass silently). */
export const NO_BODY = z.strictObject({}).nullish();

export const POSITION_BODY = z
  .strictObject({
    zoom: z.number().int().min(0).optional().describe('Absolute zoom, the profile\'s user scale (sz-g10: 0–1000), after soft limits.'),
    pan: z.number().int().min(0).max(35999).optional().describe('Hundredths of a degree.'),
    tilt: z.number().int().min(0).max(35999).optional().describe('Hundredths of a degree.'),
    focus: z.number().int().min(0).optional().describe('Absolute focus (HTTP side only).'),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'expected at least one of zoom, pan, tilt, focus' });

export const AXIS_NAMES = ['zoom', 'pan', 'tilt', 'focus'] as const;
export const READ_QUERY = z.strictObject({
  axes: z
    .string()
    .regex(/^(zoom|pan|tilt|focus)(,(zoom|pan|tilt|focus))*$/, 'expected a comma-separated list of zoom, pan, tilt, focus')
    .optional()
    .describe('Which positions to read now (default zoom).'),
});

const PRESET_NUMBER = z.number().int().min(1).max(255);
export const PRESET_BODY = z.strictObject({ action: z.enum(['goto', 'set', 'clear']), preset: PRESET_NUMBER });

const AUTO = z.enum(['auto', 'on', 'off']);
export const MODE_BODY = z
  .strictObject({
    focus: AUTO.optional().describe('Auto-focus mode (0x2B).'),
    iris: AUTO.optional().describe('Auto-iris mode (0x2D).'),
    zoomSpeed: z.number().int().min(0).max(3).optional(),
    focusSpeed: z.number().int().min(0).max(3).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'expected at least one of focus, iris, zoomSpeed, focusSpeed' });

/** Camera (HTTP dialect) reads: GET /api/blocks/:name/camera/:item. */
export const CAMERA_READS = ['identity', 'lens', 'osd', 'image', 'network', 'time', 'ptz-serial'] as const;
export const CAMERA_READ_PARAMS = z.strictObject({ name: nameParam('block'), item: z.enum(CAMERA_READS) });

/** Camera (HTTP dialect) calls: POST /api/blocks/:name/camera with one of these. */
export const CAMERA_CALL_BODY = z.discriminatedUnion('call', [
  z.strictObject({ call: z.literal('osd'), changes: z.record(z.string(), z.enum(['hidden', 'top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right', 'custom'])) }),
  z.strictObject({ call: z.literal('image'), changes: z.record(z.string(), z.unknown()) }),
  z.strictObject({ call: z.literal('time'), time: z.iso.datetime().describe('ISO 8601, e.g. 2026-01-31T12:00:00Z') }),
  z.strictObject({ call: z.literal('focus-mode'), mode: z.enum(['auto', 'manual', 'macro']) }),
  z.strictObject({ call: z.literal('one-push') }),
  z.strictObject({ call: z.literal('camera-preset'), action: z.enum(['goto', 'save']), preset: PRESET_NUMBER }),
  z.strictObject({ call: z.literal('reboot') }).describe('Admin token only.'),
  z
    .strictObject({ call: z.literal('factory-default'), confirm: z.string().describe('The block\'s name, typed again: the camera loses every setting.') })
    .describe('Admin token only; `confirm` must repeat the block name.'),
]);

export const GROUP_ZOOM_BODY = z.union([
  z.strictObject({ raw: z.number().int().min(0) }),
  z.strictObject({ magnification: z.number().positive() }),
]);
export const GROUP_PRESET_BODY = z.strictObject({ preset: PRESET_NUMBER.describe('Camera preset recalled on every member.') });
export const FOLLOW_BODY = z.strictObject({ on: z.boolean() });
export const GROUP_PRESET_NAME = z.string().regex(/^[\w-]{1,64}$/, 'expected a preset name of 1–64 letters, digits, _ or -');
export const SAVE_PRESET_BODY = z.strictObject({ name: GROUP_PRESET_NAME });
export const RECALL_PARAMS = z.strictObject({ name: nameParam('group'), preset: GROUP_PRESET_NAME });

/** WebSocket messages from the client. */
export const WS_CLIENT_MESSAGE = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auth'), token: z.string() }),
  z.strictObject({ type: z.literal('move'), target: z.string(), ...AXES, leaseMs: LEASE_MS.optional(), id: z.string().max(64).optional() }),
  z.strictObject({ type: z.literal('renew'), leaseMs: LEASE_MS.optional() }),
  z.strictObject({ type: z.literal('stop'), target: z.string(), id: z.string().max(64).optional() }),
]);
export type WsClientMessage = z.infer<typeof WS_CLIENT_MESSAGE>;

/** PUT /api/gpio/outputs: any of the board's outputs; what is left out keeps its state. */
export const GPIO_OUTPUTS_BODY = z
  .strictObject({
    alarmOut: z
      .union([z.enum(['on', 'off']), z.strictObject({ pulseMs: z.number().int().min(1).max(3_600_000).describe('On for this long, then off (1 ms – 1 hour).') })])
      .optional()
      .describe('ALARM OUT: on, off, or a pulse.'),
    irPwm: z.number().min(0).max(100).optional().describe('IR illuminator PWM, percent (0 is off).'),
  })
  .refine((b) => b.alarmOut !== undefined || b.irPwm !== undefined, { error: 'expected at least one of alarmOut, irPwm' });

/** POST /api/gpio/factory-reset: admin only, and the block named again. */
export const GPIO_FACTORY_RESET_BODY = z
  .strictObject({
    confirm: z.string().max(64).describe('The name of the block the reset line is wired to (the pin map\'s factoryReset.block; "factory-reset" when it names none), typed again: the block loses every setting.'),
  })
  .describe('Admin token only; `confirm` must name the block.');
