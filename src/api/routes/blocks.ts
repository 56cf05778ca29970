/**
 * /api/blocks: state, continuous moves (with a dead-man lease), absolute positions, camera
 * presets, lens modes, and the camera's HTTP dialect calls.
 */
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../auth.js';
import { badRequest, forbidden } from '../errors.js';
import { axesToMotion } from '../joystick.js';
import {
  BLOCK_PARAMS,
  CAMERA_CALL_BODY,
  CAMERA_READ_PARAMS,
  MODE_BODY,
  MOVE_BODY,
  NO_BODY,
  POSITION_BODY,
  PRESET_BODY,
  READ_QUERY,
  RENEW_BODY,
} from '../schemas.js';
import type { ApiContext, ZodApp } from '../server.js';
import { blockView } from '../views.js';
import type { CameraConfig } from '../../devices/http/dialect.js';
import type { ZoomBlock } from '../../devices/zoom-block.js';
import { NotSupportedError } from '../../../protocols/errors.js';

/** A REST client's leases are held per token: repeating the move (or POST /api/renew) renews them. */
export const restHolder = (caller: Caller) => `rest:${caller.name}`;

export function callerOf(request: FastifyRequest): Caller {
  return request.caller!; // set by the auth hook on every non-public route
}

export function blockRoutes(app: ZodApp, context: ApiContext): void {
  const { rig, motion, metrics, blockLines } = context;
  const tags = ['blocks'];
  const view = (block: ZoomBlock) => blockView(block, motion, blockLines.get(block.name));

  app.get('/blocks', { schema: { summary: 'Every block with its state', tags } }, async () => ({ blocks: rig.devices.all.map(view) }));

  app.get('/blocks/:name', { schema: { summary: 'One block: state, path, positions, who moved it last', tags, params: BLOCK_PARAMS } }, async (request) =>
    view(motion.block(request.params.name)),
  );

  app.post('/blocks/:name/move', { schema: { summary: 'Continuous motion under a dead-man lease (repeat it, or POST /api/renew, to keep moving)', tags, params: BLOCK_PARAMS, body: MOVE_BODY } }, async (request) => {
    const target = motion.resolve(`block:${request.params.name}`);
    const { leaseMs, ...axes } = request.body;
    const planned = axesToMotion(axes);
    const report = planned.kind === 'stop' ? await motion.stop(target, callerOf(request)) : await motion.move(target, planned.command, callerOf(request), restHolder(callerOf(request)), leaseMs);
    return { report, leaseMs: planned.kind === 'stop' ? null : leaseMs ?? motion.leaseMs };
  });

  app.post('/blocks/:name/stop', { schema: { summary: 'Stop, ahead of everything queued for the block', tags, params: BLOCK_PARAMS, body: NO_BODY } }, async (request) => ({
    report: await motion.stop(motion.resolve(`block:${request.params.name}`), callerOf(request)),
  }));

  app.post('/renew', { schema: { summary: "Renew every lease this token's REST moves hold", tags, body: RENEW_BODY.nullish() } }, async (request) => ({
    renewed: motion.renew(restHolder(callerOf(request)), request.body?.leaseMs),
  }));

  app.post('/blocks/:name/position', { schema: { summary: 'Absolute positions (zoom after soft limits; focus over HTTP)', tags, params: BLOCK_PARAMS, body: POSITION_BODY } }, async (request) => {
    const block = motion.block(request.params.name);
    const { zoom, pan, tilt, focus } = request.body;
    motion.markMoved({ kind: 'block', name: block.name, block }, callerOf(request));
    // every frame is queued before any is awaited, so they leave together
    const sent = {
      zoom: zoom === undefined ? undefined : block.zoomTo(zoom),
      pan: pan === undefined ? undefined : block.panTo(pan),
      tilt: tilt === undefined ? undefined : block.tiltTo(tilt),
      focus: focus === undefined ? undefined : block.focusTo(focus),
    };
    return Object.fromEntries(await Promise.all(Object.entries(sent).filter(([, p]) => p).map(async ([axis, p]) => [axis, await p])));
  });

  app.get('/blocks/:name/position', { schema: { summary: 'Read positions now (default zoom)', tags, params: BLOCK_PARAMS, querystring: READ_QUERY } }, async (request) => {
    const block = motion.block(request.params.name);
    const axes = (request.query.axes ?? 'zoom').split(',');
    const read = { zoom: () => block.readZoom(), pan: () => block.readPan(), tilt: () => block.readTilt(), focus: () => block.readFocus() } as const;
    return Object.fromEntries(await Promise.all(axes.map(async (axis) => [axis, await read[axis as keyof typeof read]()])));
  });

  app.post('/blocks/:name/preset', { schema: { summary: 'Camera preset: goto, set or clear (PELCO)', tags, params: BLOCK_PARAMS, body: PRESET_BODY } }, async (request) => {
    const block = motion.block(request.params.name);
    const { action, preset } = request.body;
    if (action === 'goto') motion.markMoved({ kind: 'block', name: block.name, block }, callerOf(request));
    const report = action === 'goto' ? await block.gotoPreset(preset) : action === 'set' ? await block.setPreset(preset) : await block.clearPreset(preset);
    return { report };
  });

  app.post('/blocks/:name/mode', { schema: { summary: 'Lens modes and speeds: auto-focus, auto-iris, zoom/focus speed', tags, params: BLOCK_PARAMS, body: MODE_BODY } }, async (request) => {
    const block = motion.block(request.params.name);
    const { focus, iris, zoomSpeed, focusSpeed } = request.body;
    const sent = [
      focus === undefined ? undefined : block.focusMode(focus),
      iris === undefined ? undefined : block.irisMode(iris),
      zoomSpeed === undefined ? undefined : block.zoomSpeed(zoomSpeed),
      focusSpeed === undefined ? undefined : block.focusSpeed(focusSpeed),
    ].filter((p) => p !== undefined);
    return { reports: await Promise.all(sent) };
  });

  app.get('/blocks/:name/camera/:item', { schema: { summary: "Read the camera's settings over its HTTP dialect", tags, params: CAMERA_READ_PARAMS } }, async (request) => {
    const block = motion.block(request.params.name);
    const camera = cameraOf(block);
    const item = request.params.item;
    const reads = {
      identity: () => camera.identity(),
      lens: () => camera.lens(),
      osd: () => camera.osd(),
      image: () => camera.image(),
      network: () => camera.network(),
      time: () => camera.time().then((t) => t.toISOString()),
      'ptz-serial': () => camera.ptzSerial(),
    } satisfies Record<typeof item, () => Promise<unknown>>;
    return { [item]: await counted(block.name, item, reads[item]()) };
  });

  app.post('/blocks/:name/camera', { schema: { summary: "A call on the camera's HTTP dialect (reboot and factory-default need an admin token)", tags, params: BLOCK_PARAMS, body: CAMERA_CALL_BODY } }, async (request) => {
    const block = motion.block(request.params.name);
    const body = request.body;
    const caller = callerOf(request);
    if ((body.call === 'reboot' || body.call === 'factory-default') && caller.role !== 'admin') {
      throw forbidden(`token "${caller.name}" is ${caller.role}; ${body.call} needs an admin token`);
    }
    if (body.call === 'factory-default' && body.confirm !== block.name) {
      throw badRequest(`factory-default erases every setting of the camera: set "confirm" to the block's name ("${block.name}") to go ahead`);
    }
    const camera = cameraOf(block);
    const run = (): Promise<unknown> => {
      switch (body.call) {
        case 'osd':
          return camera.setOsd(body.changes);
        case 'image':
          return camera.setImage(body.changes);
        case 'time':
          return camera.setTime(new Date(body.time));
        case 'focus-mode':
          return camera.setFocusMode(body.mode);
        case 'one-push':
          return camera.onePush();
        case 'camera-preset':
          return body.action === 'goto' ? camera.gotoPreset(body.preset) : camera.savePreset(body.preset);
        case 'reboot':
          return camera.reboot();
        case 'factory-default':
          return camera.factoryDefault();
      }
    };
    const result = await counted(block.name, body.call, run());
    return { call: body.call, result: result ?? null };
  });

  function cameraOf(block: ZoomBlock): CameraConfig {
    if (!block.config) throw new NotSupportedError('camera (HTTP) calls', `block ${block.name} without an HTTP side`, 'give the block an http: face in the rig file');
    return block.config;
  }

  function counted<T>(block: string, call: string, request: Promise<T>): Promise<T> {
    return request.then(
      (value) => {
        metrics.countCameraCall(block, call, 'ok');
        return value;
      },
      (error: unknown) => {
        metrics.countCameraCall(block, call, 'error');
        throw error;
      },
    );
  }
}
