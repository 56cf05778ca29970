/**
 * The rig's GPIO side: the Firmata board and its signals built from the rig file's `gpio:`
 * section, the rule engine driving the rig's blocks and groups from them, and a running record
 * of both (input states with timestamps, each rule's last firing and error, counters) for the
 * API, the live feed and /metrics.
 *
 * hardware/gpio (johnny-five, firmata-io) is imported dynamically here, so a rig without a
 * `gpio:` section never loads it; this module imports only its types.
 *
 * A board missing at start does not stop the rig: it is asked for again with backoff, as a lost
 * board is, and its inputs read unknown meanwhile. Rule errors are recorded, emitted and logged,
 * never thrown.
 */
import { EventEmitter } from 'node:events';
import type { GpioBoardOptions } from '../../hardware/gpio/gpio-board.js';
import type { GpioPinMap } from '../../hardware/gpio/pin-map.js';
import type { GpioSignals } from '../../hardware/gpio/signals.js';
import { isZoomsyncError, LineClosedError } from '../../protocols/errors.js';
import { RuleEngine, type RuleTargets } from '../rules/rule-engine.js';
import { describeAction, describeEvent, type RuleConfig } from '../rules/types.js';

/** connected: the board answered; connecting: not there yet (missing at start); lost: it went away, being asked for again; closed. */
export type GpioBoardState = 'connected' | 'connecting' | 'lost' | 'closed';

/** An input change as the live feed and the log carry it (times ISO 8601). */
export type GpioInputEvent =
  | { signal: 'alarm'; name: string; state: 'active' | 'inactive' | 'unknown'; at: string }
  | { signal: 'key'; key: string | null; state: 'pressed' | 'held' | 'released' | 'unknown'; at: string; lost?: boolean }
  | { signal: 'light'; state: 'day' | 'night' | 'unknown'; at: string; volts?: number };

export interface GpioInputsView {
  board: GpioBoardState;
  alarms: { name: string; state: 'active' | 'inactive' | 'unknown'; changedAt: string | null }[];
  /** ADKEY: the key held now (null: none; 'unknown' while the board is gone); absent without adkey. */
  adkey?: { key: string | null | 'unknown'; changedAt: string | null };
  light?: { state: 'day' | 'night' | 'unknown'; volts: number | null; changedAt: string | null };
}

export interface GpioOutputsView {
  board: GpioBoardState;
  alarmOut?: { on: boolean };
  irPwm?: { percent: number };
  factoryReset?: { block: string | null; pulseMs: number };
}

export interface RuleStatus {
  name: string;
  /** Its place in the rig file (rules.0). */
  at: string;
  when: string;
  then: string[];
  firings: number;
  errors: number;
  lastFired: { at: string; event: string } | null;
  lastError: { at: string; event: string; action: string; message: string; code: string | null } | null;
}

export interface RuleFiring {
  rule: string;
  event: string;
  at: string;
}

export interface RuleFailure extends RuleFiring {
  action: string;
  error: { code: string | null; message: string };
}

export interface RigGpioEvents {
  input: [GpioInputEvent];
  board: [{ state: GpioBoardState; message: string }];
  fired: [RuleFiring];
  'rule-error': [RuleFailure];
  /** ALARM OUT or the IR PWM changed (by the API, a rule, or a pulse ending): the outputs as now. */
  outputs: [GpioOutputsView];
}

export interface RigGpioOptions {
  /** Board options other than the path and ADC reference (which come from the pin map). */
  board?: Omit<GpioBoardOptions, 'path' | 'referenceVolts'>;
  /** Where board changes, rule errors and factory-reset requests are told. */
  log: (message: string) => void;
}

type Stamp = { changedAt: string | null };

export class RigGpio extends EventEmitter<RigGpioEvents> {
  private state: GpioBoardState = 'connecting';
  private readonly alarmStamps = new Map<string, Stamp>();
  private readonly keyStamp: Stamp = { changedAt: null };
  private readonly lightStamp: Stamp = { changedAt: null };
  private readonly ruleStatus = new Map<string, RuleStatus>();
  private readonly changes = new Map<string, { signal: string; name: string; state: string; count: number }>();
  private closing: Promise<void> | undefined;

  /** @internal use openRigGpio */
  constructor(
    readonly map: GpioPinMap,
    readonly signals: GpioSignals,
    readonly rules: RuleEngine,
    private readonly log: (message: string) => void,
  ) {
    super();
    for (const rule of rules.rules) {
      this.ruleStatus.set(rule.name, {
        name: rule.name,
        at: rule.at,
        when: describeTrigger(rule),
        then: rule.then.map(describeAction),
        firings: 0,
        errors: 0,
        lastFired: null,
        lastError: null,
      });
    }
    this.watchBoard();
    this.watchInputs();
    this.watchOutputs();
    this.watchRules();
  }

  get boardState(): GpioBoardState {
    return this.state;
  }

  inputs(): GpioInputsView {
    const s = this.signals;
    const view: GpioInputsView = {
      board: this.state,
      alarms: s.alarmInputs.map((input) => ({ name: input.name, state: input.state, changedAt: this.alarmStamps.get(input.name)?.changedAt ?? null })),
    };
    if (s.adkey) view.adkey = { key: s.adkey.key === undefined ? 'unknown' : s.adkey.key, changedAt: this.keyStamp.changedAt };
    if (s.light) view.light = { state: s.light.state, volts: s.light.volts ?? null, changedAt: this.lightStamp.changedAt };
    return view;
  }

  outputs(): GpioOutputsView {
    const s = this.signals;
    const view: GpioOutputsView = { board: this.state };
    if (s.alarmOut) view.alarmOut = { on: s.alarmOut.isOn };
    if (s.irPwm) view.irPwm = { percent: s.irPwm.percent };
    if (s.factoryReset) view.factoryReset = { block: this.map.factoryReset?.block ?? null, pulseMs: s.factoryReset.pulseMs };
    return view;
  }

  rulesStatus(): RuleStatus[] {
    return [...this.ruleStatus.values()].map((status) => ({ ...status, then: [...status.then] }));
  }

  /** Input changes so far, one entry per signal, name and state (for /metrics). */
  inputChanges(): readonly { signal: string; name: string; state: string; count: number }[] {
    return [...this.changes.values()];
  }

  /**
   * Starts an ALARM OUT pulse and returns once it is on; it ends by itself (a failure then is
   * logged). Throws LineClosedError at once while the board is gone: a pulse is never queued.
   */
  startAlarmPulse(ms: number): void {
    const out = this.signals.alarmOut!;
    if (!this.signals.board.isReady) throw new LineClosedError(this.signals.board.path, `GPIO board ${this.signals.board.path} is not connected; the ALARM OUT pulse was not started`);
    out.pulse(ms).catch((error: unknown) => this.log(`GPIO: ALARM OUT pulse of ${ms} ms failed: ${messageOf(error)}`));
  }

  /** The rule engine first (held motion stopped), then the inputs and the board. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.rules.close();
      const s = this.signals;
      for (const input of s.alarmInputs) input.close();
      s.adkey?.close();
      s.light?.close();
      this.state = 'closed';
      await s.board.close();
    })();
    return this.closing;
  }

  private setState(state: GpioBoardState, message: string): void {
    this.state = state;
    this.log(message);
    this.emit('board', { state, message });
  }

  private watchOutputs(): void {
    const tell = () => this.emit('outputs', this.outputs());
    this.signals.alarmOut?.onChange(tell);
    this.signals.irPwm?.onChange(tell);
  }

  private watchBoard(): void {
    const board = this.signals.board;
    board.on('ready', ({ firmware, reconnected }) => {
      if (this.state === 'closed') return;
      this.setState('connected', `GPIO board ${board.path} ${reconnected ? 'is back' : 'connected'} (${firmware})`);
    });
    board.on('lost', (cause) => {
      if (this.state === 'closed') return;
      this.setState('lost', `GPIO board ${board.path} lost (${cause.message}); inputs read unknown until it returns`);
    });
    board.on('warning', (warning) => this.log(`GPIO board ${board.path}: ${warning.message}`));
  }

  private watchInputs(): void {
    const s = this.signals;
    const change = (event: GpioInputEvent, stamp: Stamp, name: string) => {
      stamp.changedAt = event.at;
      const key = `${event.signal}\u0000${name}\u0000${event.state}`;
      const entry = this.changes.get(key) ?? { signal: event.signal, name, state: event.state, count: 0 };
      entry.count++;
      this.changes.set(key, entry);
      this.emit('input', event);
    };
    for (const input of s.alarmInputs) {
      const stamp: Stamp = { changedAt: null };
      this.alarmStamps.set(input.name, stamp);
      const on = (state: 'active' | 'inactive' | 'unknown') => ({ at }: { at: Date }) => change({ signal: 'alarm', name: input.name, state, at: at.toISOString() }, stamp, input.name);
      input.on('active', on('active'));
      input.on('inactive', on('inactive'));
      input.on('unknown', on('unknown'));
    }
    if (s.adkey) {
      const stamp = this.keyStamp;
      s.adkey.on('press', ({ key, at }) => change({ signal: 'key', key, state: 'pressed', at: at.toISOString() }, stamp, key));
      // only the first hold: the repeats every repeatMs would flood the feed (rules fire on it once too)
      s.adkey.on('hold', ({ key, at, count }) => count === 1 && change({ signal: 'key', key, state: 'held', at: at.toISOString() }, stamp, key));
      s.adkey.on('release', ({ key, at, lost }) => change({ signal: 'key', key, state: 'released', at: at.toISOString(), ...(lost ? { lost } : {}) }, stamp, key));
      s.adkey.on('unknown', ({ at }) => change({ signal: 'key', key: null, state: 'unknown', at: at.toISOString() }, stamp, 'adkey'));
    }
    if (s.light) {
      const stamp = this.lightStamp;
      s.light.on('day', ({ at, volts }) => change({ signal: 'light', state: 'day', at: at.toISOString(), volts }, stamp, 'light'));
      s.light.on('night', ({ at, volts }) => change({ signal: 'light', state: 'night', at: at.toISOString(), volts }, stamp, 'light'));
      s.light.on('unknown', ({ at }) => change({ signal: 'light', state: 'unknown', at: at.toISOString() }, stamp, 'light'));
    }
  }

  private watchRules(): void {
    this.rules.on('fired', ({ rule, event }) => {
      const firing: RuleFiring = { rule, event: describeEvent(event), at: new Date().toISOString() };
      const status = this.ruleStatus.get(rule);
      if (status) {
        status.firings++;
        status.lastFired = { at: firing.at, event: firing.event };
      }
      this.emit('fired', firing);
    });
    this.rules.on('rule-error', ({ rule, event, action, error }) => {
      const failure: RuleFailure = {
        rule,
        event: describeEvent(event),
        at: new Date().toISOString(),
        action: action.kind === 'stop-held' ? 'the stop of a held motion' : describeAction(action),
        error: { code: isZoomsyncError(error) ? error.code : null, message: messageOf(error) },
      };
      const status = this.ruleStatus.get(rule);
      if (status) {
        status.errors++;
        status.lastError = { at: failure.at, event: failure.event, action: failure.action, message: failure.error.message, code: failure.error.code };
      }
      this.log(`rule ${rule} (${failure.event}): ${failure.action} failed: ${failure.error.message}`);
      this.emit('rule-error', failure);
    });
  }
}

/**
 * Builds the board and signals from the pin map, starts the rule engine on `targets`, and opens
 * the board. A board that is missing or silent at start is asked for again in the background
 * (said on the log and as a 'board' event); anything else (a bad pin map, a rule naming an
 * unknown target) throws, with everything closed again.
 */
export async function openRigGpio(map: GpioPinMap, rules: readonly RuleConfig[], targets: RuleTargets, options: RigGpioOptions): Promise<RigGpio> {
  const { createGpioSignals } = await import('../../hardware/gpio/signals.js');
  const signals = createGpioSignals(map, { ...options.board, log: options.log });
  let engine: RuleEngine;
  try {
    engine = new RuleEngine({ rules, signals, targets });
  } catch (error) {
    await signals.board.close();
    throw error;
  }
  const gpio = new RigGpio(map, signals, engine, options.log);
  try {
    await signals.board.open();
  } catch (error) {
    if (!isZoomsyncError(error) || !['ZS_PORT_NOT_FOUND', 'ZS_PORT_OPEN_FAILED', 'ZS_PORT_BUSY', 'ZS_REPLY_TIMEOUT'].includes(error.code)) {
      await gpio.close();
      throw error;
    }
    const message = `GPIO board ${signals.board.path} is not there (${error.message}); the rig runs without it, inputs read unknown and rules wait until it appears`;
    options.log(message);
    gpio.emit('board', { state: 'connecting', message });
    signals.board.open({ retry: true }).catch((later: unknown) => {
      if (gpio.boardState !== 'closed') options.log(`GPIO board ${signals.board.path}: ${messageOf(later)}`);
    });
  }
  return gpio;
}

function describeTrigger(rule: RuleConfig): string {
  const when = rule.when;
  switch (when.source) {
    case 'alarm':
      return `alarm ${when.alarm} ${when.is}`;
    case 'key':
      return `key ${when.key} ${when.is}`;
    case 'light':
      return `light ${when.is}`;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
