import { describe, expect, it } from 'vitest';
import { SimulatedLens } from '../../hardware/sim/lens-model.js';
import { PanTiltModel } from '../../hardware/sim/pan-tilt-model.js';
import { SimulatedZoomBlock } from '../../hardware/sim/zoom-block.js';
import { InvalidArgumentError } from '../../protocols/errors.js';
import { decode, type DeviceProfile, type PelcoCommand, type PelcoFrame, SZ_G10_PROFILE, toHex } from '../../protocols/pelco/index.js';

function makeBlock(options: { address?: number; dialect?: 'D' | 'P' } = {}) {
  let now = 0;
  const clock = () => now;
  const block = new SimulatedZoomBlock({ address: options.address ?? 1, dialect: options.dialect ?? 'D', lens: new SimulatedLens({ clock }), panTilt: new PanTiltModel(clock) });
  const frame = (command: PelcoCommand, address = block.address, broadcast = false): PelcoFrame => ({ dialect: block.dialect, address, broadcast, command });
  const send = (command: PelcoCommand, address?: number) => {
    const reply = block.handle(frame(command, address));
    if (!reply) return undefined;
    const decoded = decode(reply.bytes, { profile: block.profile });
    return decoded.ok ? decoded.frame : decoded;
  };
  return { block, send, frame, advance: (ms: number) => (now += ms) };
}

describe('SimulatedZoomBlock (UART face)', () => {
  it('zooms continuously at the rate the zoom speed sets, and stops', () => {
    const { block, send, advance } = makeBlock();
    send({ kind: 'zoom-speed', speed: 0 }); // 6 s wide-to-tele
    send({ kind: 'move', zoom: 'tele', panSpeed: 0, tiltSpeed: 0 });
    advance(600);
    expect(block.lens.zoom).toBe(100);
    send({ kind: 'stop' });
    advance(600);
    expect(send({ kind: 'query-zoom' })).toMatchObject({ address: 1, command: { kind: 'zoom-position', position: 100 } });
    expect(send({ kind: 'query-magnification' })).toMatchObject({ command: { kind: 'magnification', value: 190 } });
  });

  it('recalls presets with travel time and takes set-zoom and set-magnification', () => {
    const { block, send, advance } = makeBlock();
    send({ kind: 'set-zoom', position: 500 });
    advance(5000);
    send({ kind: 'preset-set', preset: 255 });
    send({ kind: 'set-magnification', value: 1000 }); // x10.00 = tele end
    advance(5000);
    expect(block.lens.zoom).toBe(1000);
    send({ kind: 'preset-goto', preset: 255 });
    advance(100);
    expect(block.lens.zoom).toBeGreaterThan(500);
    expect(block.lens.moving).toBe(true);
    advance(2000);
    expect(block.lens.zoom).toBe(500);
  });

  it('switches focus modes and moves focus only when driven', () => {
    const { block, send, advance } = makeBlock();
    send({ kind: 'auto-focus', mode: 'off' });
    expect(block.lens.focusMode).toBe('manual');
    const before = block.lens.focus;
    send({ kind: 'move', focus: 'far', panSpeed: 0, tiltSpeed: 0 });
    advance(100);
    send({ kind: 'move', panSpeed: 0, tiltSpeed: 0 }); // no focus bit: focus stops
    const stopped = block.lens.focus;
    advance(500);
    expect(stopped).toBeGreaterThan(before);
    expect(block.lens.focus).toBe(stopped);
    send({ kind: 'auto-focus', mode: 'auto' });
    expect(block.lens.focusMode).toBe('auto');
  });

  it('answers pan and tilt queries from a head moving at speed-proportional rates', () => {
    const { send, advance } = makeBlock();
    send({ kind: 'move', pan: 'right', panSpeed: 63, tilt: 'up', tiltSpeed: 0, zoom: undefined });
    advance(1000);
    const pan = send({ kind: 'query-pan' }) as PelcoFrame;
    const tilt = send({ kind: 'query-tilt' }) as PelcoFrame;
    expect(pan.command).toEqual({ kind: 'pan-position', position: 6000 });
    expect(tilt.command).toEqual({ kind: 'tilt-position', position: 50 });
    send({ kind: 'move', pan: 'left', panSpeed: 63, tiltSpeed: 0 });
    advance(2000);
    expect((send({ kind: 'query-pan' }) as PelcoFrame).command).toEqual({ kind: 'pan-position', position: 36000 - 6000 });
  });

  it('answers only its own address and dialect, acts on broadcasts without answering', () => {
    const { block, send, frame } = makeBlock({ address: 3, dialect: 'P' });
    expect(send({ kind: 'query-zoom' }, 4)).toBeUndefined();
    expect(block.handle({ ...frame({ kind: 'query-zoom' }), dialect: 'D' })).toBeUndefined();
    expect(send({ kind: 'query-zoom' })).toMatchObject({ dialect: 'P', address: 3 });
    block.handle(frame({ kind: 'set-zoom', position: 1000 }, 255, true));
    expect(block.lens.moving).toBe(true);
    expect(block.handle(frame({ kind: 'query-zoom' }, 255, true))).toBeUndefined();
  });

  it('injects faults: drop, corrupt, delay, wrong address, silence', () => {
    const { block, send } = makeBlock();
    block.faults = { dropReplies: 1 };
    expect(send({ kind: 'query-zoom' })).toBeUndefined();
    expect(send({ kind: 'query-zoom' })).toMatchObject({ command: { kind: 'zoom-position' } });
    block.faults = { corruptReplies: 1 };
    expect(send({ kind: 'query-zoom' })).toMatchObject({ ok: false, reason: 'bad-checksum' });
    block.faults = { wrongAddress: 7, replyDelayMs: 40 };
    const reply = block.handle({ dialect: 'D', address: 1, broadcast: false, command: { kind: 'query-zoom' } });
    expect(reply?.delayMs).toBe(40);
    expect(send({ kind: 'query-zoom' })).toMatchObject({ address: 7 });
    block.faults = { silent: true };
    expect(send({ kind: 'query-zoom' })).toBeUndefined();
    send({ kind: 'set-zoom', position: 1000 });
    expect(block.lens.moving).toBe(false);
    expect(block.counters).toMatchObject({ droppedReplies: 1, corruptedReplies: 1 });
  });

  it('answers query-zoom on the wire scale: lens zoom 500 of 1000 goes out as 0x8000 of 0xFFFF', () => {
    const { block, advance } = makeBlock();
    block.handle({ dialect: 'D', address: 1, broadcast: false, command: { kind: 'set-zoom', position: 500 } });
    advance(10_000);
    expect(block.lens.zoom).toBe(500);
    const reply = block.handle({ dialect: 'D', address: 1, broadcast: false, command: { kind: 'query-zoom' } });
    expect(toHex(reply!.bytes)).toBe('FF 01 00 5D 80 00 DE');
  });

  it('refuses a profile whose wire scale cannot carry its user scale, naming the field', () => {
    const profile: DeviceProfile = { ...SZ_G10_PROFILE, zoomWireMax: 100 };
    expect(() => new SimulatedZoomBlock({ address: 1, profile })).toThrow(InvalidArgumentError);
    expect(() => new SimulatedZoomBlock({ address: 1, profile })).toThrow(/zoomPositionMax/);
  });

  it('counts a refused frame meant for it, and only for it', () => {
    const { block } = makeBlock({ address: 2 });
    expect(block.countRefused({ dialect: 'D', address: 3, broadcast: false })).toBe(false);
    expect(block.countRefused({ dialect: 'D', address: 2, broadcast: false })).toBe(true);
    expect(block.countRefused({ dialect: 'D', address: 255, broadcast: true })).toBe(true);
    expect(block.counters).toMatchObject({ refused: 2, frames: 0 });
  });
});
