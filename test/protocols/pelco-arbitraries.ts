/** Sample and generated PELCO commands for the codec and reader tests. */
import fc from 'fast-check';
import type { AutoMode, DeviceProfile, MoveCommand, PelcoCommand } from '../../protocols/pelco/index.js';

/** At least one of every kind in pelco.md, with edge values. */
export const SAMPLE_COMMANDS: PelcoCommand[] = [
  { kind: 'stop' },
  { kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 },
  { kind: 'move', pan: 'right', tilt: 'up', panSpeed: 'turbo', tiltSpeed: 0x3f, zoom: 'tele', focus: 'far', iris: 'open' },
  { kind: 'move', tilt: 'down', panSpeed: 0, tiltSpeed: 1, zoom: 'wide', focus: 'near', iris: 'close' },
  { kind: 'move', panSpeed: 5, tiltSpeed: 0 },
  { kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0, power: 'on', scan: 'auto' },
  { kind: 'move', pan: 'left', panSpeed: 3, tiltSpeed: 0, power: 'off' },
  { kind: 'camera-power', on: true },
  { kind: 'camera-power', on: false },
  { kind: 'scan', mode: 'auto' },
  { kind: 'scan', mode: 'manual' },
  { kind: 'preset-set', preset: 1 },
  { kind: 'preset-clear', preset: 128 },
  { kind: 'preset-goto', preset: 255 },
  { kind: 'aux-set', aux: 1 },
  { kind: 'aux-clear', aux: 8 },
  { kind: 'remote-reset' },
  { kind: 'zone-start', zone: 1 },
  { kind: 'zone-end', zone: 8 },
  { kind: 'screen-write', column: 39, char: 0x41 },
  { kind: 'screen-clear' },
  { kind: 'alarm-ack', alarm: 3 },
  { kind: 'zone-scan-on' },
  { kind: 'zone-scan-off' },
  { kind: 'pattern-start', pattern: 0 },
  { kind: 'pattern-stop', pattern: 1 },
  { kind: 'pattern-run', pattern: 255 },
  { kind: 'zoom-speed', speed: 0 },
  { kind: 'focus-speed', speed: 3 },
  { kind: 'reset-defaults' },
  { kind: 'auto-focus', mode: 'auto' },
  { kind: 'auto-focus', mode: 'on' },
  { kind: 'auto-iris', mode: 'off' },
  { kind: 'agc', mode: 'auto' },
  { kind: 'backlight', on: true },
  { kind: 'backlight', on: false },
  { kind: 'auto-white-balance', on: true },
  { kind: 'auto-white-balance', on: false },
  { kind: 'set-pan', position: 0 },
  { kind: 'set-tilt', position: 35999 },
  { kind: 'set-zoom', position: 1000 },
  { kind: 'set-zoom', position: 0xffff },
  { kind: 'set-magnification', value: 1000 },
  { kind: 'query-pan' },
  { kind: 'query-tilt' },
  { kind: 'query-zoom' },
  { kind: 'query-magnification' },
  { kind: 'pan-position', position: 18000 },
  { kind: 'tilt-position', position: 9000 },
  { kind: 'zoom-position', position: 500 },
  { kind: 'magnification', value: 0xffff },
];

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

export function arbitraryMove(profile: DeviceProfile): fc.Arbitrary<MoveCommand> {
  const speed = fc.integer({ min: 0, max: profile.maxSpeed });
  return fc
    .record({
      pan: opt(fc.constantFrom('left' as const, 'right' as const)),
      tilt: opt(fc.constantFrom('up' as const, 'down' as const)),
      panSpeed: fc.oneof(speed, fc.constant('turbo' as const)),
      tiltSpeed: speed,
      zoom: opt(fc.constantFrom('tele' as const, 'wide' as const)),
      focus: opt(fc.constantFrom('near' as const, 'far' as const)),
      iris: opt(fc.constantFrom('open' as const, 'close' as const)),
    })
    .map((fields) => {
      const move: MoveCommand = { kind: 'move', panSpeed: fields.panSpeed, tiltSpeed: fields.tiltSpeed };
      for (const key of ['pan', 'tilt', 'zoom', 'focus', 'iris'] as const) if (fields[key] !== undefined) (move as unknown as Record<string, unknown>)[key] = fields[key];
      return move;
    })
    // A move with nothing in it is the stop frame, and decodes as stop.
    .filter((m) => m.pan !== undefined || m.tilt !== undefined || m.zoom !== undefined || m.focus !== undefined || m.iris !== undefined || m.panSpeed !== 0 || m.tiltSpeed !== 0);
}

/** Any command the profile can express, in the canonical form decode produces. */
export function arbitraryCommand(profile: DeviceProfile): fc.Arbitrary<PelcoCommand> {
  const byte = (min: number, max: number) => fc.integer({ min, max });
  const word = (max: number) => fc.integer({ min: 0, max });
  const modes: AutoMode[] = profile.autoModeTable === '1999' ? ['auto', 'on', 'off'] : ['auto', 'off'];
  return fc.oneof(
    { weight: 6, arbitrary: arbitraryMove(profile) },
    fc.constant<PelcoCommand>({ kind: 'stop' }),
    fc.boolean().map((on): PelcoCommand => ({ kind: 'camera-power', on })),
    fc.constantFrom('preset-set' as const, 'preset-clear' as const, 'preset-goto' as const).chain((kind) => byte(1, 255).map((preset): PelcoCommand => ({ kind, preset }))),
    fc.constantFrom('aux-set' as const, 'aux-clear' as const).chain((kind) => byte(1, 8).map((aux): PelcoCommand => ({ kind, aux }))),
    fc.constantFrom('zone-start' as const, 'zone-end' as const).chain((kind) => byte(1, 8).map((zone): PelcoCommand => ({ kind, zone }))),
    fc.constantFrom('pattern-start' as const, 'pattern-stop' as const, 'pattern-run' as const).chain((kind) => byte(0, 255).map((pattern): PelcoCommand => ({ kind, pattern }))),
    fc.constantFrom('zoom-speed' as const, 'focus-speed' as const).chain((kind) => byte(0, 3).map((speed): PelcoCommand => ({ kind, speed }))),
    fc.constantFrom('auto-focus' as const, 'auto-iris' as const, 'agc' as const).chain((kind) => fc.constantFrom(...modes).map((mode): PelcoCommand => ({ kind, mode }))),
    fc.constantFrom('backlight' as const, 'auto-white-balance' as const).chain((kind) => fc.boolean().map((on): PelcoCommand => ({ kind, on }))),
    fc.record({ column: byte(0, 39), char: byte(0, 255) }).map((f): PelcoCommand => ({ kind: 'screen-write', ...f })),
    byte(1, 255).map((alarm): PelcoCommand => ({ kind: 'alarm-ack', alarm })),
    fc.constantFrom('set-pan' as const, 'set-tilt' as const, 'pan-position' as const, 'tilt-position' as const).chain((kind) => word(35999).map((position): PelcoCommand => ({ kind, position }))),
    fc.constantFrom('set-zoom' as const, 'zoom-position' as const).chain((kind) => word(profile.zoomPositionMax).map((position): PelcoCommand => ({ kind, position }))),
    fc.constantFrom('set-magnification' as const, 'magnification' as const).chain((kind) => word(0xffff).map((value): PelcoCommand => ({ kind, value }))),
    fc.constantFrom<PelcoCommand>(
      { kind: 'remote-reset' },
      { kind: 'screen-clear' },
      { kind: 'zone-scan-on' },
      { kind: 'zone-scan-off' },
      { kind: 'reset-defaults' },
      { kind: 'query-pan' },
      { kind: 'query-tilt' },
      { kind: 'query-zoom' },
      { kind: 'query-magnification' },
      { kind: 'scan', mode: 'auto' },
    ),
  );
}
