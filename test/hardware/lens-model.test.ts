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

  it('answers magnification from its own table, straight lines between the points, and magnifies back through it', () => {
    let now = 0;
    const lens = new SimulatedLens({ clock: () => now, initialZoom: 250, magnificationTable: [[0, 1], [500, 2], [1000, 20]] });
    expect(lens.magnification).toBe(1.5);
    lens.magnifyTo(11);
    now += 10_000;
    expect(lens.zoom).toBe(750); // 11x is halfway between 2x at 500 and 20x at 1000
    expect(new SimulatedLens().magnification).toBe(1);
  });

  it('refuses a magnification table that does not span zoom 0-1000 or does not increase', () => {
    expect(() => new SimulatedLens({ magnificationTable: [[0, 1], [900, 10]] })).toThrow(/magnificationTable/);
    expect(() => new SimulatedLens({ magnificationTable: [[0, 2], [500, 1], [1000, 3]] })).toThrow(/does not increase/);
  });
});
