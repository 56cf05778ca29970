/** /api/groups: fan-out commands, follow on/off, group presets, state. */
import { axesToMotion } from '../joystick.js';
import { FOLLOW_BODY, GROUP_PARAMS, GROUP_PRESET_BODY, GROUP_ZOOM_BODY, MOVE_BODY, NO_BODY, RECALL_PARAMS, SAVE_PRESET_BODY } from '../schemas.js';
import type { ApiContext, ZodApp } from '../server.js';
import { groupView } from '../views.js';
import { callerOf, restHolder } from './blocks.js';

export function groupRoutes(app: ZodApp, context: ApiContext): void {
  const { rig, motion, metrics } = context;
  const tags = ['groups'];
  const target = (name: string) => {
    const group = motion.group(name);
    return { kind: 'group' as const, name, group };
  };
  /** A group report, with its skew observed for /metrics. */
  const observed = <T extends { skewMs: number | undefined }>(group: string, report: T): T => {
    metrics.observeSkew(group, report.skewMs);
    return report;
  };

  app.get('/groups', { schema: { summary: 'Every group with its state', tags } }, async () => ({ groups: [...rig.groups.values()].map(groupView) }));

  app.get('/groups/:name', { schema: { summary: 'One group: members, leader, state and reason, following', tags, params: GROUP_PARAMS } }, async (request) => ({
    ...groupView(motion.group(request.params.name)),
    presets: await motion.group(request.params.name).presetNames(),
  }));

  app.post('/groups/:name/move', { schema: { summary: 'Continuous motion on every member under one dead-man lease', tags, params: GROUP_PARAMS, body: MOVE_BODY } }, async (request) => {
    const t = target(request.params.name);
    const { leaseMs, ...axes } = request.body;
    const planned = axesToMotion(axes);
    const caller = callerOf(request);
    const report = planned.kind === 'stop' ? await motion.stop(t, caller) : await motion.move(t, planned.command, caller, restHolder(caller), leaseMs);
    return { report: observed(t.name, report as { skewMs: number | undefined }), leaseMs: planned.kind === 'stop' ? null : leaseMs ?? motion.leaseMs };
  });

  app.post('/groups/:name/stop', { schema: { summary: 'Stop every member', tags, params: GROUP_PARAMS, body: NO_BODY } }, async (request) => ({
    report: await motion.stop(target(request.params.name), callerOf(request)),
  }));

  app.post('/groups/:name/zoom', { schema: { summary: 'Absolute zoom on every member: the same raw value, or one magnification through each lens table', tags, params: GROUP_PARAMS, body: GROUP_ZOOM_BODY } }, async (request) => {
    const t = target(request.params.name);
    motion.markMoved(t, callerOf(request));
    return { report: observed(t.name, await t.group.zoomTo(request.body)) };
  });

  app.post('/groups/:name/camera-preset', { schema: { summary: 'Recall a camera (PELCO) preset on every member', tags, params: GROUP_PARAMS, body: GROUP_PRESET_BODY } }, async (request) => {
    const t = target(request.params.name);
    motion.markMoved(t, callerOf(request));
    return { report: observed(t.name, await t.group.gotoPreset(request.body.preset)) };
  });

  app.post('/groups/:name/follow', { schema: { summary: "Followers track the leader's zoom (on) or stay where they are (off)", tags, params: GROUP_PARAMS, body: FOLLOW_BODY } }, async (request) => {
    const group = motion.group(request.params.name);
    group.follow(request.body.on);
    return groupView(group);
  });

  app.get('/groups/:name/presets', { schema: { summary: 'Names of the saved group presets', tags, params: GROUP_PARAMS } }, async (request) => ({
    presets: await motion.group(request.params.name).presetNames(),
  }));

  app.post('/groups/:name/presets', { schema: { summary: "Save every member's zoom under a name (state file next to the rig file)", tags, params: GROUP_PARAMS, body: SAVE_PRESET_BODY } }, async (request) => ({
    name: request.body.name,
    positions: await motion.group(request.params.name).savePreset(request.body.name),
  }));

  app.post('/groups/:name/presets/:preset/recall', { schema: { summary: 'Move every member to a saved group preset; resolves once they arrived (or names who did not)', tags, params: RECALL_PARAMS, body: NO_BODY } }, async (request) => {
    const t = target(request.params.name);
    motion.markMoved(t, callerOf(request));
    return { report: observed(t.name, await t.group.recallPreset(request.params.preset)) };
  });
}
