/**
 * The console's settings and help in real headless Chromium against `serve --sim`: the gamepad
 * mapping editor learns an axis and a button from a virtual gamepad, the learnt mapping is what
 * drives the block afterwards; "?" shows the keyboard shortcuts; on the 7-inch 800x480 screen no
 * control is cut off.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import { SIM_GROUP } from '../../../src/cli/sim-rig.js';
import { type ConsoleRig, openConsole, startConsoleRig, VIRTUAL_PAD } from './browser-rig.js';

const SCREEN = { width: 800, height: 480 };

/** Every visible control matching `selector` that lies (even partly) outside the screen, by a readable name. */
async function cutOff(page: Page, selector: string): Promise<string[]> {
  // a string: the test project has no DOM types; this runs in the page
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(selector)})]
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.top < 0 || r.right > ${SCREEN.width + 0.5} || r.bottom > ${SCREEN.height + 0.5}; })
    .map((el) => el.id || el.dataset.learn || el.dataset.preset || el.textContent.trim() || el.tagName)`);
}

/** Whether a scrolling box hides part of its content (its controls would need a scroll to reach). */
const overflows = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1);

describe('console settings and help (headless Chromium, serve --sim)', () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsoleRig();
  }, 60_000);
  afterAll(async () => {
    expect(await rig?.close()).toBe(0);
  });

  it('Learn binds the first axis pushed past 0.5 and the first button pressed; saved, they drive the block, and the pad moved nothing while learning', async () => {
    const page = await openConsole(rig, 'block:east', { initScript: VIRTUAL_PAD });
    await page.locator('#gamepad-status', { hasText: '1' }).waitFor();
    const east = rig.sim.block('east');
    const moves: ReceivedFrame[] = [];
    const onFrame = (f: ReceivedFrame) => void (f.address === east.address && f.command.kind === 'move' && moves.push(f));
    east.bus.on('frame', onFrame);

    await page.click('#settings-open');
    const zoomRow = page.locator('.learn-item[data-action="zoom"]');
    await zoomRow.locator('.binding', { hasText: 'axis 3 inverted' }).waitFor(); // the default: right stick
    await zoomRow.locator('[data-learn]').click();
    await zoomRow.locator('[data-learn].active', { hasText: 'push toward zoom tele' }).waitFor();
    await page.evaluate('window.__pad.axes[1] = 0.3'); // below 0.5: not learnt
    // axis 0 pans by default: while the editor is open it must move nothing, only be learnt
    await page.evaluate('window.__pad.axes[0] = -0.9');
    await zoomRow.locator('.binding', { hasText: 'axis 0 inverted' }).waitFor();
    await page.locator('.learn-item[data-action="pan"] .binding', { hasText: '—' }).waitFor(); // axis 0 left pan
    await page.evaluate('window.__pad.axes[0] = 0; window.__pad.axes[1] = 0');

    const stopRow = page.locator('.learn-item[data-action="stop"]');
    await stopRow.locator('[data-learn]').click();
    await stopRow.locator('[data-learn].active', { hasText: 'press a button' }).waitFor();
    await page.evaluate('window.__pad.buttons[5] = { pressed: true, touched: true, value: 1 }');
    await stopRow.locator('.binding', { hasText: 'button 5' }).waitFor();
    await page.evaluate('window.__pad.buttons[5] = { pressed: false, touched: false, value: 0 }');

    await page.click('#mapping-save');
    await page.locator('#settings[open]').waitFor({ state: 'detached' });
    const stored = JSON.parse((await page.evaluate("localStorage.getItem('zoomsync.gamepad')")) as string);
    expect(stored.axes.zoom).toEqual({ index: 0, invert: true });
    expect(stored.axes.pan).toBeUndefined();
    expect(stored.buttons).toMatchObject({ '5': 'stop' });
    expect(stored.buttons['9']).toBeUndefined();

    // the learnt axis zooms (pushed the way it was learnt: tele), and centring it stops
    const zoomed = rig.nextFrame('east', (f) => f.command.kind === 'move' && f.command.zoom === 'tele');
    await page.evaluate('window.__pad.axes[0] = -1');
    await zoomed;
    const released = rig.nextFrame('east', (f) => f.command.kind === 'stop');
    await page.evaluate('window.__pad.axes[0] = 0');
    await released;
    east.bus.off('frame', onFrame);
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((f) => f.command.kind === 'move' && f.command.zoom === 'tele' && f.command.pan === undefined)).toBe(true);
    // the learnt button is a stop (sent even with nothing held)
    const stopped = rig.nextFrame('east', (f) => f.command.kind === 'stop');
    await page.evaluate('window.__pad.buttons[5] = { pressed: true, touched: true, value: 1 }');
    await stopped;
    await page.close();
  });

  it('a second press on Learn cancels it, and a mapping typed in the JSON box shows in the editor', async () => {
    const page = await openConsole(rig, 'block:east', { initScript: VIRTUAL_PAD });
    await page.click('#settings-open');
    const focusRow = page.locator('.learn-item[data-action="focus"]');
    await focusRow.locator('[data-learn]').click();
    await focusRow.locator('[data-learn].active').waitFor();
    await focusRow.locator('[data-learn]').click();
    await focusRow.locator('[data-learn]:not(.active)', { hasText: 'Learn' }).waitFor();
    await page.fill('#mapping-text', JSON.stringify({ axes: { focus: { index: 2, invert: false } }, buttons: { '1': 'preset:7' }, deadZone: 0.1, expo: 0 }));
    await focusRow.locator('.binding', { hasText: 'axis 2' }).waitFor();
    await page.locator('.learn-item[data-action="preset:7"] .binding', { hasText: 'button 1' }).waitFor();
    await page.fill('#mapping-text', '{"deadZone": 3}');
    await page.locator('#mapping-error', { hasText: 'deadZone' }).waitFor();
    await page.click('#settings-close');
    await page.close();
  });

  it('"?" opens the keyboard shortcut help and closes it again; the header ? button opens it too', async () => {
    const page = await openConsole(rig, 'block:east');
    await page.keyboard.press('?');
    const help = page.locator('#help[open]');
    await help.waitFor();
    for (const key of ['Space', 'Shift', '+', '[']) await help.locator('kbd', { hasText: key }).first().waitFor();
    expect(await cutOff(page, '#help, #help button')).toEqual([]);
    await page.keyboard.press('?');
    await help.waitFor({ state: 'detached' });
    await page.click('#help-open');
    await help.waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await page.close();
  });

  it('on the 7-inch 800x480 screen no control is cut off: the page with a group selected, the settings and the help (screenshots in test-results/)', async () => {
    const page = await openConsole(rig, `group:${SIM_GROUP.name}`);
    await page.locator('#group-panel:not([hidden])').waitFor();
    await page.locator('#group-presets .dim, #group-presets .chip').first().waitFor();
    await mkdir('test-results', { recursive: true });
    expect(await cutOff(page, 'header button, header .status, #controls button, #controls input, #stick')).toEqual([]);
    expect(await overflows(page, '#controls')).toBe(false);
    await page.screenshot({ path: 'test-results/console-800x480.png' });

    await page.click('#settings-open');
    await page.locator('#settings[open] .learn-item').first().waitFor();
    expect(await cutOff(page, '#settings button, #settings textarea')).toEqual([]);
    expect(await overflows(page, '#settings')).toBe(false);
    await page.screenshot({ path: 'test-results/console-settings-800x480.png' });
    await page.click('#settings-close');

    await page.click('#help-open');
    await page.locator('#help[open]').waitFor();
    expect(await overflows(page, '#help')).toBe(false);
    await page.screenshot({ path: 'test-results/console-help-800x480.png' });
    await page.close();
  });
});
