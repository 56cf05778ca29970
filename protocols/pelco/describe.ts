/**
 * One-line, human-readable meaning of a command, for logs, `decode` and `monitor`:
 * `move pan left 32, tilt up 10, zoom tele`, `preset-goto 5`, `zoom-position 500`.
 */
import type { PelcoCommand } from './commands.js';

export function describeCommand(command: PelcoCommand): string {
  if (command.kind === 'move') {
    const parts: string[] = [];
    if (command.pan) parts.push(`pan ${command.pan} ${command.panSpeed}`);
    else if (command.panSpeed !== 0) parts.push(`pan speed ${command.panSpeed}`);
    if (command.tilt) parts.push(`tilt ${command.tilt} ${command.tiltSpeed}`);
    else if (command.tiltSpeed !== 0) parts.push(`tilt speed ${command.tiltSpeed}`);
    if (command.zoom) parts.push(`zoom ${command.zoom}`);
    if (command.focus) parts.push(`focus ${command.focus}`);
    if (command.iris) parts.push(`iris ${command.iris}`);
    if (command.power) parts.push(`camera ${command.power}`);
    if (command.scan) parts.push(`scan ${command.scan}`);
    return `move ${parts.join(', ')}`;
  }
  const { kind, ...fields } = command as { kind: string } & Record<string, unknown>;
  // `on: true` reads "camera-power on", not "camera-power on on".
  const values = Object.entries(fields).map(([name, value]) =>
    typeof value === 'boolean' ? `${name === 'on' ? '' : `${name} `}${value ? 'on' : 'off'}` : String(value),
  );
  if (command.kind === 'screen-write') return `screen-write column ${command.column} char ${JSON.stringify(String.fromCharCode(command.char))}`;
  return [kind, ...values].join(' ');
}
