/**
 * The console's GPIO panel: the Firmata board's state, the alarm inputs, the ADKEY key held now,
 * day/night with its volts, and ALARM OUT / IR PWM controls. Its state starts from the live
 * feed's snapshot (`gpio`, as GET /api/gpio/inputs) and follows the `gpio` and `gpio-board`
 * messages; outputs from GET /api/gpio/outputs at the start, then the `gpio-outputs` messages. Shown only
 * when the rig has a gpio: section.
 */
import { esc } from './html.js';

export type BoardState = 'connected' | 'connecting' | 'lost' | 'closed';
type AlarmState = 'active' | 'inactive' | 'unknown';

export interface GpioInputs {
  board: BoardState;
  alarms: { name: string; state: AlarmState; changedAt: string | null }[];
  adkey?: { key: string | null; changedAt: string | null };
  light?: { state: 'day' | 'night' | 'unknown'; volts: number | null; changedAt: string | null };
}

export interface GpioOutputs {
  alarmOut?: { on: boolean };
  irPwm?: { percent: number };
}

export type GpioInputEvent =
  | { signal: 'alarm'; name: string; state: AlarmState; at: string }
  | { signal: 'key'; key: string | null; state: 'pressed' | 'held' | 'released' | 'unknown'; at: string }
  | { signal: 'light'; state: 'day' | 'night' | 'unknown'; at: string; volts?: number };

/** How long the console's ALARM OUT pulse button holds the output. */
export const ALARM_PULSE_MS = 2000;


export class GpioPanel {
  inputs: GpioInputs | undefined;
  outputs: GpioOutputs | undefined;
  boardMessage = '';

  /** From the snapshot: undefined when the rig has no gpio: section (the panel hides). */
  reset(inputs: GpioInputs | undefined): void {
    this.inputs = inputs;
    this.boardMessage = '';
  }

  board(message: { state: BoardState; message: string }): void {
    if (!this.inputs) return;
    this.inputs.board = message.state;
    this.boardMessage = message.message;
  }

  input(event: GpioInputEvent): void {
    const inputs = this.inputs;
    if (!inputs) return;
    if (event.signal === 'alarm') {
      const alarm = inputs.alarms.find((a) => a.name === event.name);
      if (alarm) Object.assign(alarm, { state: event.state, changedAt: event.at });
      else inputs.alarms.push({ name: event.name, state: event.state, changedAt: event.at });
    } else if (event.signal === 'key') {
      // pressed/held: that key is down; released: none; unknown: the board is gone
      const key = event.state === 'unknown' ? 'unknown' : event.state === 'released' ? null : event.key;
      inputs.adkey = { key, changedAt: event.at };
    } else {
      inputs.light = { state: event.state, volts: event.volts ?? inputs.light?.volts ?? null, changedAt: event.at };
    }
  }

  /** The panel's HTML ('' hides it). The IR slider is left out: it is kept in the page so a drag is not interrupted. */
  html(): string {
    const inputs = this.inputs;
    if (!inputs) return '';
    const boardClass = inputs.board === 'connected' ? 'ok' : inputs.board === 'connecting' ? 'warn' : 'alarm';
    const alarms = inputs.alarms
      .map((a) => `<span class="badge gpio-alarm ${a.state === 'active' ? 'alarm' : a.state === 'inactive' ? 'ok' : ''}" data-alarm="${esc(a.name)}" data-state="${a.state}" title="${a.changedAt ? `since ${esc(a.changedAt)}` : 'no change seen'}">${esc(a.name)}: ${a.state}</span>`)
      .join('');
    const key = inputs.adkey ? (inputs.adkey.key === null ? 'none' : inputs.adkey.key) : undefined;
    const light = inputs.light;
    const volts = light?.volts === null || light?.volts === undefined ? '' : ` ${light.volts.toFixed(2)} V`;
    return `<span class="row"><b>GPIO</b><span id="gpio-board" class="badge ${boardClass}" data-state="${inputs.board}">board ${esc(inputs.board)}</span>
        ${inputs.board === 'connected' || !this.boardMessage ? '' : `<span class="dim gpio-message">${esc(this.boardMessage)}</span>`}</span>
      <span class="row">${alarms || '<span class="dim">no alarm inputs</span>'}
        ${key === undefined ? '' : `<span class="label">key</span><span id="gpio-key" class="num" data-key="${esc(key)}">${esc(key)}</span>`}
        ${light ? `<span class="label">light</span><span id="gpio-light" data-state="${light.state}">${light.state}${volts}</span>` : ''}</span>`;
  }
}
