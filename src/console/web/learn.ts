/**
 * "Learn" for the gamepad mapping editor, pure (no DOM): the operator presses Learn on an action,
 * then moves a stick or presses a button; the first input that changed since Learn was pressed is
 * bound to that action. Axis actions (pan, tilt, zoom, focus) take the first axis pushed past
 * 0.5; button actions (stop, preset:N) take the first button pressed.
 *
 * Only a change counts: an axis already past 0.5 when Learn was pressed (a trigger resting at -1
 * on a non-standard pad) or a button already held is ignored, so it cannot be learnt by accident.
 *
 * @example
 *   const learning = startLearning({ kind: 'axis', axis: 'zoom' }, pads);
 *   // each poll:
 *   const input = learning.detect(pads);
 *   if (input) mapping = assign(mapping, learning.action, input);
 */
import { type ButtonAction, type GamepadLike, type GamepadMapping, MOVE_AXES, type MoveAxis } from './mapping.js';

/** An axis counts once it is pushed past this (of -1..1). */
export const LEARN_THRESHOLD = 0.5;

export type LearnAction = { kind: 'axis'; axis: MoveAxis } | { kind: 'button'; action: ButtonAction };
export type LearntInput = { kind: 'axis'; index: number; value: number } | { kind: 'button'; index: number };

/** The pads to watch, keyed by gamepad index (navigator.getGamepads() filtered to connected pads). */
export type Pads = ReadonlyMap<number, GamepadLike>;

export interface Learning {
  readonly action: LearnAction;
  /** The first input that changed since learning began, or undefined while there is none. */
  detect(pads: Pads): LearntInput | undefined;
}

const pastThreshold = (value: number | undefined) => value !== undefined && Math.abs(value) > LEARN_THRESHOLD;

export function startLearning(action: LearnAction, pads: Pads): Learning {
  // what was already past the threshold (or held) at the start: ignored until it returns
  const busyAxes = new Map<number, Set<number>>();
  const heldButtons = new Map<number, Set<number>>();
  for (const [pad, state] of pads) {
    busyAxes.set(pad, new Set(state.axes.flatMap((v, i) => (pastThreshold(v) ? [i] : []))));
    heldButtons.set(pad, new Set(state.buttons.flatMap((b, i) => (b.pressed ? [i] : []))));
  }
  return {
    action,
    detect(now) {
      for (const [pad, state] of now) {
        if (action.kind === 'axis') {
          const busy = busyAxes.get(pad) ?? new Set();
          for (const [index, value] of state.axes.entries()) {
            if (!pastThreshold(value)) busy.delete(index); // back to rest: it may be learnt now
            else if (!busy.has(index)) return { kind: 'axis', index, value };
          }
          busyAxes.set(pad, busy);
        } else {
          const held = heldButtons.get(pad) ?? new Set();
          for (const [index, button] of state.buttons.entries()) {
            if (!button.pressed) held.delete(index);
            else if (!held.has(index)) return { kind: 'button', index };
          }
          heldButtons.set(pad, held);
        }
      }
      return undefined;
    },
  };
}

/**
 * The mapping with `input` bound to `action` (a new object; the old one is left as it was).
 * An axis pushed the negative way is bound inverted, so the way the operator pushed it while
 * learning is the positive way (pan right, tilt up, zoom tele, focus far). One input drives one
 * action: whatever else was bound to that axis or button loses it, and the action's old input is
 * freed.
 */
export function assign(mapping: GamepadMapping, action: LearnAction, input: LearntInput): GamepadMapping {
  const axes = { ...mapping.axes };
  const buttons = { ...mapping.buttons };
  if (action.kind === 'axis' && input.kind === 'axis') {
    for (const [axis, binding] of Object.entries(axes) as [MoveAxis, { index: number } | undefined][]) if (binding?.index === input.index) delete axes[axis];
    axes[action.axis] = { index: input.index, invert: input.value < 0 };
  } else if (action.kind === 'button' && input.kind === 'button') {
    for (const [index, bound] of Object.entries(buttons)) if (bound === action.action) delete buttons[index];
    buttons[String(input.index)] = action.action;
  } else {
    throw new Error(`learn: ${input.kind === 'axis' ? 'an axis' : 'a button'} cannot drive ${actionKey(action)}`);
  }
  return { ...mapping, axes, buttons };
}

/** What drives `action` now, for the editor: "axis 3 inverted", "button 9", or "—". */
export function describeBinding(mapping: GamepadMapping, action: LearnAction): string {
  if (action.kind === 'axis') {
    const binding = mapping.axes[action.axis];
    return binding ? `axis ${binding.index}${binding.invert ? ' inverted' : ''}` : '—';
  }
  const buttons = Object.entries(mapping.buttons).filter(([, bound]) => bound === action.action).map(([index]) => `button ${index}`);
  return buttons.join(', ') || '—';
}

/** The actions the editor lists: the four axes, then stop and presets 1..presetCount. */
export function learnActions(presetCount: number): LearnAction[] {
  return [
    ...MOVE_AXES.map((axis): LearnAction => ({ kind: 'axis', axis })),
    { kind: 'button', action: 'stop' },
    ...Array.from({ length: presetCount }, (_, i): LearnAction => ({ kind: 'button', action: `preset:${i + 1}` })),
  ];
}

/** A stable key for an action (data attributes, test selectors): "pan", "stop", "preset:3". */
export const actionKey = (action: LearnAction): string => (action.kind === 'axis' ? action.axis : action.action);
