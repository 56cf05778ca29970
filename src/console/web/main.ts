/**
 * The operator console: blocks and groups at a glance (live zoom/focus, online, alarms), a
 * virtual joystick, zoom and focus rockers, presets and group presets, follow on/off, the line
 * counters, the GPIO board's inputs and outputs (gpio-panel.ts); gamepads through the Gamepad API and keyboard shortcuts. Plain DOM, no framework.
 */
import { axisShape } from '../../../protocols/input/axis.js';
import { Connection, type ServerMessage, TOKEN_KEY, tokenFromFragment } from './connection.js';
import { ALARM_PULSE_MS, type GpioOutputs, GpioPanel } from './gpio-panel.js';
import { esc } from './html.js';
import { actionKey, assign, describeBinding, type LearnAction, type Learning, learnActions, startLearning } from './learn.js';
import { type Axes, DEFAULT_MAPPING, type GamepadMapping, parseMapping, readGamepad } from './mapping.js';
import { MotionStream } from './motion-stream.js';
import { holdButton, virtualStick } from './stick.js';

const MAPPING_KEY = 'zoomsync.gamepad';
const TARGET_KEY = 'zoomsync.target';
const PRESET_COUNT = 8;

interface Reading { value: number; path: string }
interface BlockView {
  name: string; online: boolean; path: string; moving: boolean; zoom?: Reading; focus?: Reading;
  address: number; line?: string; zoomRange: [number, number]; camera: { dialect: string } | null; movedBy: string | null;
}
interface GroupView { name: string; members: string[]; leader: string; state: string; reason: string; following: boolean }
interface LineView { names: string[]; port: string; open: boolean; counters: Record<string, number> }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  blocks: new Map<string, BlockView>(),
  groups: new Map<string, GroupView>(),
  lines: [] as LineView[],
  groupPresets: new Map<string, string[]>(),
  target: localStorage.getItem(TARGET_KEY) ?? undefined,
  caller: undefined as { name: string; role: string } | undefined,
  saving: false,
};

let mapping: GamepadMapping = loadMapping();
let connection: Connection | undefined;
const gpio = new GpioPanel();
const stream = new MotionStream((message) => connection?.send(message));

// --- token and connection ------------------------------------------------------------------

function start(): void {
  const fromLink = tokenFromFragment();
  if (fromLink) localStorage.setItem(TOKEN_KEY, fromLink);
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return askToken();
  connection?.close();
  connection = new Connection(token, {
    message: onMessage,
    status: (status) => {
      const el = $('status');
      el.textContent = status === 'open' ? 'live' : status;
      el.className = `status ${status}`;
      if (status !== 'open') stream.stopNow();
    },
    unauthorized: () => {
      localStorage.removeItem(TOKEN_KEY);
      askToken('That token was refused. Enter a valid token.');
    },
  });
  connection.open();
}

function askToken(note?: string): void {
  connection?.close();
  const dialog = $<HTMLDialogElement>('token-dialog');
  $('token-note').textContent = note ?? 'Enter an access token (serve prints where the token file is; serve --sim prints the token).';
  if (!dialog.open) dialog.showModal();
}

$<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = $<HTMLInputElement>('token-input').value.trim();
  if (!value) return;
  localStorage.setItem(TOKEN_KEY, value);
  $<HTMLDialogElement>('token-dialog').close();
  start();
});

function onMessage(message: ServerMessage): void {
  switch (message.type) {
    case 'hello':
      state.caller = message.caller;
      $('caller').textContent = `${message.caller.name} (${message.caller.role})`;
      break;
    case 'snapshot':
      state.blocks = new Map((message.blocks as BlockView[]).map((b) => [b.name, b]));
      state.groups = new Map((message.groups as GroupView[]).map((g) => [g.name, g]));
      state.lines = message.lines;
      if (!state.target || !targetExists(state.target)) select(firstTarget());
      else select(state.target);
      for (const g of state.groups.keys()) void refreshGroupPresets(g);
      gpio.reset(message.gpio);
      if (message.gpio) void refreshGpioOutputs();
      break;
    case 'gpio':
      gpio.input(message.input);
      break;
    case 'gpio-board':
      gpio.board({ state: message.state, message: message.message });
      if (message.state === 'connected') void refreshGpioOutputs();
      break;
    case 'gpio-outputs':
      gpio.outputs = message.outputs as GpioOutputs; // set by us, another console, a rule, or a pulse ending
      break;
    case 'block':
      state.blocks.set(message.block.name, message.block);
      break;
    case 'group':
      state.groups.set(message.group.name, message.group);
      break;
    case 'lines':
      state.lines = message.lines;
      break;
    case 'deadman':
      toast(`${message.target} stopped: ${message.reason === 'expired' ? 'no renewal in time' : 'its controller left'}`, 'warn');
      break;
    case 'error':
      toast(message.error.message, 'error');
      break;
  }
  render();
}

// --- targets -------------------------------------------------------------------------------

function targetExists(target: string): boolean {
  const [kind, name] = target.split(':');
  return kind === 'group' ? state.groups.has(name!) : state.blocks.has(name!);
}

function firstTarget(): string | undefined {
  const group = state.groups.keys().next();
  if (!group.done) return `group:${group.value}`;
  const block = state.blocks.keys().next();
  return block.done ? undefined : `block:${block.value}`;
}

function select(target: string | undefined): void {
  state.target = target;
  if (target) localStorage.setItem(TARGET_KEY, target);
  stream.setTarget(target);
  state.saving = false;
  render();
}

$('targets').addEventListener('click', (event) => {
  const card = (event.target as HTMLElement).closest<HTMLElement>('[data-target]');
  if (card) select(card.dataset.target);
});

// --- rendering -----------------------------------------------------------------------------

let renderQueued = false;
function render(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    renderTargets();
    renderControls();
    renderLines();
    renderGpio();
  });
}

function zoomBar(block: BlockView): string {
  const [lo, hi] = block.zoomRange;
  const value = block.zoom?.value;
  const pct = value === undefined ? 0 : Math.max(0, Math.min(100, ((value - lo) / Math.max(1, hi - lo)) * 100));
  return `<div class="meter" title="zoom ${value ?? '?'} of ${lo}–${hi}"><div style="width:${pct.toFixed(1)}%"></div></div>`;
}

function blockCard(block: BlockView, inGroup: boolean): string {
  const alarm = !block.online ? '<span class="badge alarm">offline</span>' : block.path === 'http' ? '<span class="badge warn">serial down: http</span>' : '';
  const selected = state.target === `block:${block.name}` ? ' selected' : '';
  return `<button class="card block${selected}${inGroup ? ' member' : ''}${block.online ? '' : ' offline'}" data-target="block:${esc(block.name)}" data-name="${esc(block.name)}">
    <span class="row"><span class="dot ${block.online ? 'on' : 'off'}"></span><b>${esc(block.name)}</b>
      <span class="dim">#${block.address}${block.line ? ` ${esc(block.line)}` : ''}</span>${block.moving ? '<span class="badge move">moving</span>' : ''}${alarm}
      ${block.movedBy ? `<span class="dim by" title="moved last by">· ${esc(block.movedBy)}</span>` : ''}</span>
    <span class="row"><span class="label">zoom</span><span class="num zoom">${block.zoom?.value ?? '–'}</span>${zoomBar(block)}
      <span class="label">focus</span><span class="num focus">${block.focus?.value ?? '–'}</span></span>
  </button>`;
}

function renderTargets(): void {
  const grouped = new Set<string>();
  let html = '';
  for (const group of state.groups.values()) {
    const selected = state.target === `group:${group.name}` ? ' selected' : '';
    const stateClass = group.state === 'degraded' ? 'alarm' : group.state === 'settled' ? 'ok' : 'move';
    html += `<div class="group"><button class="card group-card${selected}" data-target="group:${esc(group.name)}" data-name="${esc(group.name)}">
      <span class="row"><b>${esc(group.name)}</b><span class="dim">group · leader ${esc(group.leader)}</span>
      <span class="badge ${stateClass} group-state">${esc(group.state)}</span>${group.following ? '<span class="badge follow">follow</span>' : ''}</span>
      ${group.state === 'degraded' ? `<span class="row reason">${esc(group.reason)}</span>` : ''}
    </button>`;
    for (const member of group.members) {
      const block = state.blocks.get(member);
      if (block) html += blockCard(block, true);
      grouped.add(member);
    }
    html += '</div>';
  }
  for (const block of state.blocks.values()) if (!grouped.has(block.name)) html += blockCard(block, false);
  $('targets').innerHTML = html || '<p class="dim">no blocks</p>';
}

function renderControls(): void {
  const target = state.target;
  $('target-name').textContent = target ? target.replace(':', ' ') : 'nothing selected';
  const operator = state.caller?.role === 'operator' || state.caller?.role === 'admin';
  document.body.classList.toggle('read-only', !operator);
  $('save-preset').classList.toggle('active', state.saving);
  const panel = $('group-panel');
  const groupName = target?.startsWith('group:') ? target.slice(6) : undefined;
  const group = groupName ? state.groups.get(groupName) : undefined;
  if (!group) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const follow = $<HTMLButtonElement>('follow');
  follow.textContent = group.following ? 'Follow: on' : 'Follow: off';
  follow.classList.toggle('active', group.following);
  const badge = $('follow-state');
  badge.textContent = group.state === 'degraded' ? `degraded: ${group.reason}` : group.state;
  badge.className = `badge ${group.state === 'degraded' ? 'alarm' : group.state === 'settled' ? 'ok' : 'move'}`;
  const names = state.groupPresets.get(group.name) ?? [];
  $('group-presets').innerHTML = names.map((n) => `<button class="chip" data-recall="${esc(n)}">${esc(n)}</button>`).join('') || '<span class="dim">no group presets yet</span>';
}

function renderLines(): void {
  $('lines').innerHTML = state.lines
    .map((l) => {
      const c = l.counters;
      return `<span class="line"><span class="dot ${l.open ? 'on' : 'off'}"></span><b>${esc(l.names.join('/'))}</b> sent ${c.sent ?? 0} · superseded ${c.superseded ?? 0} · timeouts ${c.timeouts ?? 0} · checksum ${c.checksumErrors ?? 0}</span>`;
    })
    .join('');
}

function renderGpio(): void {
  const html = gpio.html();
  const section = $('gpio');
  section.hidden = !html;
  if (!html) return;
  $('gpio-inputs').innerHTML = html;
  const outputs = gpio.outputs;
  $('alarm-out-controls').hidden = !outputs?.alarmOut;
  if (outputs?.alarmOut) {
    const badge = $('alarm-out-state');
    badge.textContent = outputs.alarmOut.on ? 'on' : 'off';
    badge.className = `badge ${outputs.alarmOut.on ? 'alarm' : ''}`;
    badge.dataset.state = outputs.alarmOut.on ? 'on' : 'off';
  }
  $('ir-controls').hidden = !outputs?.irPwm;
  const slider = $<HTMLInputElement>('ir-pwm');
  if (outputs?.irPwm && document.activeElement !== slider) {
    slider.value = String(outputs.irPwm.percent);
    $('ir-pwm-value').textContent = `${outputs.irPwm.percent} %`;
  }
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;
function toast(text: string, kind: 'info' | 'warn' | 'error' = 'info'): void {
  const el = $('toast');
  el.textContent = text;
  el.className = `toast ${kind} show`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.className = 'toast'), 4000);
}

// --- actions over REST ---------------------------------------------------------------------

async function call(method: 'GET' | 'POST' | 'PUT', path: string, body?: object): Promise<any> {
  try {
    return await connection!.rest(method, path, body);
  } catch (error) {
    toast((error as Error).message, 'error');
    return undefined;
  }
}

async function preset(number: number): Promise<void> {
  const target = state.target;
  if (!target) return;
  const [kind, name] = target.split(':') as ['block' | 'group', string];
  const saving = state.saving;
  state.saving = false;
  render();
  if (kind === 'block') {
    if (await call('POST', `/blocks/${name}/preset`, { action: saving ? 'set' : 'goto', preset: number })) toast(`${name}: preset ${number} ${saving ? 'saved' : 'recalled'}`);
  } else if (saving) {
    const members = state.groups.get(name)?.members ?? [];
    const done = await Promise.all(members.map((m) => call('POST', `/blocks/${m}/preset`, { action: 'set', preset: number })));
    if (done.every(Boolean)) toast(`${name}: preset ${number} saved on ${members.length} blocks`);
  } else if (await call('POST', `/groups/${name}/camera-preset`, { preset: number })) toast(`${name}: preset ${number} recalled`);
}

async function refreshGroupPresets(group: string): Promise<void> {
  const result = await call('GET', `/groups/${group}/presets`);
  if (result) state.groupPresets.set(group, result.presets);
  render();
}

async function refreshGpioOutputs(): Promise<void> {
  const outputs = await call('GET', '/gpio/outputs');
  if (outputs) gpio.outputs = outputs as GpioOutputs;
  render();
}

/** PUT /api/gpio/outputs; the answer is the outputs as now set. */
async function setGpioOutputs(body: { alarmOut?: 'on' | 'off' | { pulseMs: number }; irPwm?: number }): Promise<boolean> {
  const outputs = await call('PUT', '/gpio/outputs', body);
  if (outputs) gpio.outputs = outputs as GpioOutputs;
  render();
  return outputs !== undefined;
}

$('alarm-out-on').addEventListener('click', () => void setGpioOutputs({ alarmOut: 'on' }));
$('alarm-out-off').addEventListener('click', () => void setGpioOutputs({ alarmOut: 'off' }));
$('alarm-out-pulse').addEventListener('click', async () => {
  if (await setGpioOutputs({ alarmOut: { pulseMs: ALARM_PULSE_MS } })) toast(`ALARM OUT on for ${ALARM_PULSE_MS / 1000} s`);
});
$('ir-pwm').addEventListener('input', () => ($('ir-pwm-value').textContent = `${$<HTMLInputElement>('ir-pwm').value} %`));
$('ir-pwm').addEventListener('change', () => void setGpioOutputs({ irPwm: Number($<HTMLInputElement>('ir-pwm').value) }));

function buildPresetButtons(): void {
  const box = $('presets');
  for (let n = 1; n <= PRESET_COUNT; n++) {
    const button = document.createElement('button');
    button.className = 'preset';
    button.textContent = String(n);
    button.dataset.preset = String(n);
    button.addEventListener('click', () => void preset(n));
    box.append(button);
  }
}

$('save-preset').addEventListener('click', () => {
  state.saving = !state.saving;
  render();
});
$('stop').addEventListener('click', () => stream.stopNow());
$('follow').addEventListener('click', async () => {
  const name = state.target?.slice(6);
  const group = name ? state.groups.get(name) : undefined;
  if (!group) return;
  const view = await call('POST', `/groups/${group.name}/follow`, { on: !group.following });
  if (view) state.groups.set(group.name, view);
  render();
});
$('group-presets').addEventListener('click', async (event) => {
  const chip = (event.target as HTMLElement).closest<HTMLElement>('[data-recall]');
  const group = state.target?.slice(6);
  if (!chip || !group) return;
  const result = await call('POST', `/groups/${group}/presets/${encodeURIComponent(chip.dataset.recall!)}/recall`);
  if (result) toast(`${group}: ${chip.dataset.recall} recalled${result.report?.late?.length ? ` (late: ${result.report.late.join(', ')})` : ''}`);
});
$<HTMLFormElement>('group-preset-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const group = state.target?.slice(6);
  const input = $<HTMLInputElement>('group-preset-name');
  if (!group || !input.value.trim()) return;
  if (await call('POST', `/groups/${group}/presets`, { name: input.value.trim() })) {
    toast(`${group}: saved ${input.value.trim()}`);
    input.value = '';
    void refreshGroupPresets(group);
  }
});

// --- motion inputs -------------------------------------------------------------------------

const shape = () => axisShape({ deadZone: mapping.deadZone, expo: mapping.expo });
virtualStick($('stick'), $('knob'), shape, (x, y) => stream.set('stick', { pan: x, tilt: y }));
const rocker = (id: string, axes: Axes) => holdButton($(id), (held) => stream.set(id, held ? axes : {}));
rocker('zoom-tele', { zoom: 1 });
rocker('zoom-wide', { zoom: -1 });
rocker('focus-far', { focus: 1 });
rocker('focus-near', { focus: -1 });

const keys = new Set<string>();
const KEY_AXES: Record<string, Axes> = {
  ArrowLeft: { pan: -1 }, ArrowRight: { pan: 1 }, ArrowUp: { tilt: 1 }, ArrowDown: { tilt: -1 },
  '+': { zoom: 1 }, '=': { zoom: 1 }, '-': { zoom: -1 }, '[': { focus: -1 }, ']': { focus: 1 },
};
function keyAxes(fast: boolean): Axes {
  const out: Axes = {};
  for (const key of keys) for (const [axis, v] of Object.entries(KEY_AXES[key] ?? {})) out[axis as keyof Axes] = (out[axis as keyof Axes] ?? 0) + v * (fast || axis === 'zoom' || axis === 'focus' ? 1 : 0.5);
  return out;
}
const typing = (event: KeyboardEvent) => event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
/** A dialog is up (settings, help, token): keys and gamepads drive nothing behind it. */
const dialogOpen = () => document.querySelector('dialog[open]') !== null;
function releaseKeys(): void {
  keys.clear();
  stream.set('keys', {});
}
window.addEventListener('keydown', (event) => {
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === '?') {
    toggleHelp();
    event.preventDefault();
    return;
  }
  if (event.key === ' ') {
    keys.clear();
    stream.stopNow(); // a stop is never held back, not even by a dialog
    if (!dialogOpen()) event.preventDefault(); // in a dialog, space still presses its focused button
    return;
  }
  if (dialogOpen()) return;
  if (!(event.key in KEY_AXES)) return;
  event.preventDefault();
  if (event.repeat && keys.has(event.key)) return;
  keys.add(event.key);
  stream.set('keys', keyAxes(event.shiftKey));
});
window.addEventListener('keyup', (event) => {
  if (!keys.delete(event.key)) return;
  stream.set('keys', keyAxes(event.shiftKey));
});
window.addEventListener('blur', releaseKeys);

// Gamepads: polled (the Gamepad API has no change events); buttons act on the press edge.
// While a dialog is up they drive nothing (learning a stick in the mapping editor must not pan a
// camera), and a button held when it closes does not act until pressed again.
const wasPressed = new Map<number, Set<number>>();
const connectedPads = (): Gamepad[] => (navigator.getGamepads ? [...navigator.getGamepads()].filter((p): p is Gamepad => p !== null && p.connected) : []);
setInterval(() => {
  const pads = connectedPads();
  $('gamepad-status').textContent = pads.length ? `🎮 ${pads.length}` : 'no gamepad';
  if (dialogOpen()) {
    for (const pad of pads) {
      stream.set(`pad${pad.index}`, {});
      wasPressed.set(pad.index, new Set(readGamepad(mapping, pad).pressed));
    }
    learnFrom(pads);
    return;
  }
  for (const pad of pads) {
    const { axes, pressed } = readGamepad(mapping, pad);
    stream.set(`pad${pad.index}`, axes);
    const before = wasPressed.get(pad.index) ?? new Set();
    for (const button of pressed) {
      if (before.has(button)) continue;
      const action = mapping.buttons[String(button)];
      if (action === 'stop') stream.stopNow();
      else if (action) void preset(Number(action.slice(7)));
    }
    wasPressed.set(pad.index, new Set(pressed));
  }
}, 50);
window.addEventListener('gamepaddisconnected', (event) => stream.set(`pad${event.gamepad.index}`, {}));

// --- settings ------------------------------------------------------------------------------

function loadMapping(): GamepadMapping {
  try {
    const stored = localStorage.getItem(MAPPING_KEY);
    return stored ? parseMapping(JSON.parse(stored)) : DEFAULT_MAPPING;
  } catch {
    return DEFAULT_MAPPING;
  }
}

// The mapping editor edits a draft: Learn buttons and the JSON box both change it; Save stores it.
let draft: GamepadMapping = mapping;
let learning: Learning | undefined;
const LEARN_ACTIONS = learnActions(PRESET_COUNT);
const PUSH_TOWARD: Record<string, string> = { pan: 'pan right', tilt: 'tilt up', zoom: 'zoom tele', focus: 'focus far' };
const actionLabel = (action: LearnAction) => (action.kind === 'axis' ? action.axis : action.action.replace(':', ' '));

function renderMappingEditor(): void {
  $('mapping-actions').innerHTML = LEARN_ACTIONS.map((action) => {
    const key = actionKey(action);
    const active = learning !== undefined && actionKey(learning.action) === key;
    const prompt = action.kind === 'axis' ? `push toward ${PUSH_TOWARD[action.axis]}…` : 'press a button…';
    return `<div class="learn-item" data-action="${esc(key)}"><b>${esc(actionLabel(action))}</b><span class="binding dim" title="${esc(describeBinding(draft, action))}">${esc(describeBinding(draft, action))}</span>
      <button type="button" class="learn${active ? ' active' : ''}" data-learn="${esc(key)}" title="then move a stick or press a button on the gamepad">${active ? prompt : 'Learn'}</button></div>`;
  }).join('');
}

function setDraft(next: GamepadMapping): void {
  draft = next;
  $<HTMLTextAreaElement>('mapping-text').value = JSON.stringify(draft, null, 1);
  $('mapping-error').textContent = '';
  renderMappingEditor();
}

/** Polled with the gamepads while a dialog is up: the first new input is bound to the action being learnt. */
function learnFrom(pads: Gamepad[]): void {
  if (!learning) return;
  const input = learning.detect(new Map(pads.map((pad) => [pad.index, pad])));
  if (!input) return;
  const action = learning.action;
  learning = undefined;
  setDraft(assign(draft, action, input));
}

$('mapping-actions').addEventListener('click', (event) => {
  const key = (event.target as HTMLElement).closest<HTMLElement>('[data-learn]')?.dataset.learn;
  const action = LEARN_ACTIONS.find((a) => actionKey(a) === key);
  if (!action) return;
  const again = learning !== undefined && actionKey(learning.action) === key; // a second press cancels
  learning = again ? undefined : startLearning(action, new Map(connectedPads().map((pad) => [pad.index, pad])));
  renderMappingEditor();
});
$('mapping-text').addEventListener('input', () => {
  try {
    draft = parseMapping(JSON.parse($<HTMLTextAreaElement>('mapping-text').value));
    $('mapping-error').textContent = '';
    renderMappingEditor();
  } catch (error) {
    $('mapping-error').textContent = (error as Error).message; // the draft keeps its last good value until Save
  }
});
$('settings-open').addEventListener('click', () => {
  releaseKeys();
  learning = undefined;
  setDraft(mapping);
  $<HTMLDialogElement>('settings').showModal();
});
$('settings').addEventListener('close', () => {
  learning = undefined;
});
$('mapping-save').addEventListener('click', () => {
  try {
    mapping = parseMapping(JSON.parse($<HTMLTextAreaElement>('mapping-text').value));
    localStorage.setItem(MAPPING_KEY, JSON.stringify(mapping));
    $<HTMLDialogElement>('settings').close();
    toast('gamepad mapping saved');
  } catch (error) {
    $('mapping-error').textContent = (error as Error).message;
  }
});
$('mapping-reset').addEventListener('click', () => {
  learning = undefined;
  setDraft(DEFAULT_MAPPING);
});
$('settings-close').addEventListener('click', () => $<HTMLDialogElement>('settings').close());

// --- keyboard help ---------------------------------------------------------------------------

function toggleHelp(): void {
  const help = $<HTMLDialogElement>('help');
  if (help.open) return help.close();
  if (dialogOpen()) return; // not over the token or settings dialog
  releaseKeys();
  help.showModal();
}
$('help-open').addEventListener('click', toggleHelp);
$('help-close').addEventListener('click', () => $<HTMLDialogElement>('help').close());
$('forget-token').addEventListener('click', () => {
  localStorage.removeItem(TOKEN_KEY);
  $<HTMLDialogElement>('settings').close();
  askToken();
});

buildPresetButtons();
start();
