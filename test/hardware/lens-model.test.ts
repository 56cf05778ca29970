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

  it('shows the magnification of its optics table (default x1–x10) and magnifyTo is its inverse', () => {
    expect(new SimulatedLens({ initialZoom: 500 }).magnification).toBeCloseTo(5.5);
    let now = 0;
    const bent = new SimulatedLens({ clock: () => now, initialZoom: 200, optics: [[0, 1], [400, 3], [1000, 20]] });
    expect(bent.magnification).toBeCloseTo(2);
    now += bent.magnifyTo(11.5);
    expect(bent.zoom).toBe(700);
    expect(bent.magnification).toBeCloseTo(11.5);
    expect(() => new SimulatedLens({ optics: [[0, 1], [500, 1]] })).toThrow(/optics/);
  });
});
