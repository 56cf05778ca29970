import { describe, expect, it } from 'vitest';
import { describeCommand, type PelcoCommand } from '../../protocols/pelco/index.js';

describe('describeCommand', () => {
  it.each<[PelcoCommand, string]>([
    [{ kind: 'camera-power', on: true }, 'camera-power on'],
    [{ kind: 'backlight', on: false }, 'backlight off'],
    [{ kind: 'auto-white-balance', on: true }, 'auto-white-balance on'],
    [{ kind: 'preset-goto', preset: 5 }, 'preset-goto 5'],
    [{ kind: 'auto-focus', mode: 'auto' }, 'auto-focus auto'],
    [{ kind: 'move', pan: 'left', panSpeed: 'turbo', tiltSpeed: 0, zoom: 'tele' }, 'move pan left turbo, zoom tele'],
    [{ kind: 'screen-write', column: 3, char: 0x41 }, 'screen-write column 3 char "A"'],
    [{ kind: 'stop' }, 'stop'],
  ])('%j reads "%s"', (command, text) => {
    expect(describeCommand(command)).toBe(text);
  });
});
