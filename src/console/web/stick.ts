/**
 * The virtual joystick: drag the knob (mouse, pen or finger) away from the centre; the deflection
 * is -1..1 on x (pan right) and y (tilt up), shaped like a gamepad stick. Letting go, or the
 * pointer leaving the page, springs it back to the centre (a release).
 */
import { type AxisShape, shapeStick } from '../../../protocols/input/axis.js';

export function virtualStick(base: HTMLElement, knob: HTMLElement, shape: () => AxisShape, onChange: (x: number, y: number) => void): void {
  let pointer: number | undefined;
  const place = (dx: number, dy: number) => {
    knob.style.transform = `translate(calc(-50% + ${dx}px), calc(-50% + ${dy}px))`;
  };
  const move = (event: PointerEvent) => {
    const rect = base.getBoundingClientRect();
    const radius = rect.width / 2;
    let dx = event.clientX - (rect.left + radius);
    let dy = event.clientY - (rect.top + rect.height / 2);
    const length = Math.hypot(dx, dy);
    if (length > radius) {
      dx *= radius / length;
      dy *= radius / length;
    }
    place(dx, dy);
    const s = shapeStick(dx / radius, -dy / radius, shape());
    onChange(s.x, s.y);
  };
  const release = (event: PointerEvent) => {
    if (event.pointerId !== pointer) return;
    pointer = undefined;
    base.classList.remove('held');
    place(0, 0);
    onChange(0, 0);
  };
  base.addEventListener('pointerdown', (event) => {
    if (pointer !== undefined) return;
    pointer = event.pointerId;
    base.setPointerCapture(event.pointerId);
    base.classList.add('held');
    move(event);
    event.preventDefault();
  });
  base.addEventListener('pointermove', (event) => {
    if (event.pointerId === pointer) move(event);
  });
  base.addEventListener('pointerup', release);
  base.addEventListener('pointercancel', release);
  base.addEventListener('lostpointercapture', release);
}

/** A press-and-hold button (zoom and focus rockers): value while held, 0 on release. */
export function holdButton(button: HTMLElement, onChange: (held: boolean) => void): void {
  let pointer: number | undefined;
  button.addEventListener('pointerdown', (event) => {
    pointer = event.pointerId;
    button.setPointerCapture(event.pointerId);
    button.classList.add('held');
    onChange(true);
    event.preventDefault();
  });
  const release = (event: PointerEvent) => {
    if (event.pointerId !== pointer) return;
    pointer = undefined;
    button.classList.remove('held');
    onChange(false);
  };
  button.addEventListener('pointerup', release);
  button.addEventListener('pointercancel', release);
  button.addEventListener('lostpointercapture', release);
}
