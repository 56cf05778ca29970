/**
 * The commands `zoomsync sim --gpio` takes on standard input, one a line, parsed (pure): they set
 * what the outside world does to the simulated board's inputs, or ask for its outputs.
 *
 *   alarm N on|off     alarm input N (1 = the pin map's first) closed (on) or open (off)
 *   key NAME | none    an ADKEY key held down (up, down, left, right, enter, or K1–K5), or none
 *   light VOLTS        the light sensor's voltage at the board pin
 *   outputs            print every output
 *   help               list these
 */

/** The simulated front panel: five keys wired as the default ladder's K1–K5 (docs/gpio.md). */
export const SIM_PANEL_KEYS: readonly { key: string; ladderKey: string; ohms: number }[] = [
  { key: 'up', ladderKey: 'K1', ohms: 0 },
  { key: 'down', ladderKey: 'K2', ohms: 1000 },
  { key: 'left', ladderKey: 'K3', ohms: 2700 },
  { key: 'right', ladderKey: 'K4', ohms: 6200 },
  { key: 'enter', ladderKey: 'K5', ohms: 15000 },
];

/** ADKEY against the block's 10 kΩ pull-up to 1.8 V: V = 1.8 × R / (R + 10 kΩ); no key reads 1.8 V. */
export const ADKEY_PULL_UP_VOLTS = 1.8;
export const adkeyVolts = (ohms: number) => (ADKEY_PULL_UP_VOLTS * ohms) / (ohms + 10_000);

/** What the world outside does to an input. */
export type SimGpioInput = { kind: 'alarm'; input: number; closed: boolean } | { kind: 'key'; key: string | null; volts: number } | { kind: 'light'; volts: number };

export type SimGpioCommand =
  | SimGpioInput
  | { kind: 'outputs' }
  | { kind: 'help' }
  | { kind: 'blank' };

export const SIM_GPIO_HELP = 'commands: alarm N on|off, key up|down|left|right|enter|K1-K5|none, light VOLTS, outputs, help';

/** One line of input: a command, or a one-line message saying what was wrong. */
export function parseSimGpioCommand(line: string, referenceVolts: number): { ok: true; command: SimGpioCommand } | { ok: false; message: string } {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  const ok = (command: SimGpioCommand) => ({ ok: true as const, command });
  const bad = (message: string) => ({ ok: false as const, message });
  switch (verb?.toLowerCase()) {
    case undefined:
      return ok({ kind: 'blank' });
    case 'alarm': {
      const [n, state] = args;
      if (args.length !== 2 || !/^\d{1,3}$/.test(n!) || Number(n) < 1 || (state !== 'on' && state !== 'off')) return bad(`alarm takes N on|off (N from 1), e.g. "alarm 1 on"; got "${line.trim()}"`);
      return ok({ kind: 'alarm', input: Number(n), closed: state === 'on' });
    }
    case 'key': {
      const name = args[0]?.toLowerCase();
      if (args.length !== 1) return bad(`key takes one key name or none, e.g. "key up"; got "${line.trim()}"`);
      if (name === 'none') return ok({ kind: 'key', key: null, volts: ADKEY_PULL_UP_VOLTS });
      const key = SIM_PANEL_KEYS.find((k) => k.key === name || k.ladderKey.toLowerCase() === name);
      if (!key) return bad(`no key "${args[0]}" on the simulated panel: use ${SIM_PANEL_KEYS.map((k) => k.key).join(', ')} (K1–K5), or none`);
      return ok({ kind: 'key', key: key.key, volts: adkeyVolts(key.ohms) });
    }
    case 'light': {
      const volts = args.length === 1 && /^\d+(\.\d+)?$/.test(args[0]!) ? Number(args[0]) : NaN;
      if (!(volts <= referenceVolts)) return bad(`light takes a voltage 0–${referenceVolts} (the board's ADC reference), e.g. "light 0.4"; got "${line.trim()}"`);
      return ok({ kind: 'light', volts });
    }
    case 'outputs':
    case 'help':
      if (args.length > 0) return bad(`${verb} takes nothing after it; got "${line.trim()}"`);
      return ok({ kind: verb.toLowerCase() as 'outputs' | 'help' });
    default:
      return bad(`unknown command "${verb}"; ${SIM_GPIO_HELP}`);
  }
}
