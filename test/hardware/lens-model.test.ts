import { describe, expect, it } from 'vitest';
import { SimulatedLens } from '../../hardware/sim/lens-model.js';

function lensWithClock() {
  let now = 0;
  const lens = new SimulatedLens({ clock: () => now, zoomTravelMs: [4000, 3000, 2000, 1000], focusTravelMs: [4000, 3000, 2000, 1000] });
  return { lens, advance: (ms: number) => (now += ms) };
}

describe('SimulatedLens', () => {
  it('zooms over time at the rate the zoom speed sets', () => {
    const { lens, advance } = lensWithClock();
    lens.setZoomSpeed(3);
    expect(lens.zoomTo(1000)).toBe(1000);
    advance(250);
    expect(lens.zoom).toBe(250);
    expect(lens.moving).toBe(true);
    advance(750);
    expect(lens.zoom).toBe(1000);
    lens.setZoomSpeed(0);
    lens.zoomTo(0);
    advance(1000);
    expect(lens.zoom).toBe(750);
  });

  it('stops where it is and auto focus follows the zoom', () => {
    const { lens, advance } = lensWithClock();
    lens.zoomContinuous('tele');
    advance(400);
    lens.stopZoom();
    advance(5000);
    expect(lens.zoom).toBe(400);
    expect(lens.focus).toBe(lens.inFocusPosition(400));
  });

  it('keeps focus where it is in manual mode without zoom-AF', () => {
    const { lens, advance } = lensWithClock();
    lens.setFocusMode('manual');
    lens.setZoomAf(false);
    lens.focusTo(1234);
    advance(5000);
    lens.zoomTo(800);
    advance(5000);
    expect(lens.focus).toBe(1234);
  });

  it('recalls presets with travel time and reports unset ones', () => {
    const { lens, advance } = lensWithClock();
    lens.zoomTo(600);
    advance(5000);
    lens.savePreset(7);
    lens.zoomTo(0);
    advance(5000);
    expect(lens.recallPreset(7)).toBe(600);
    advance(300);
    expect(lens.zoom).toBe(300);
    expect(lens.recallPreset(8)).toBeUndefined();
  });
});
