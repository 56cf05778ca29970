/**
 * The console's GPIO panel in real headless Chromium against `serve --sim` and its simulated
 * Firmata board: inputs set on the sim board show live in the page, and the page's ALARM OUT and
 * IR controls drive the board's output pins. serve --sim's rule "alarm active -> stage stop +
 * ALARM OUT pulse" also drives ALARM OUT, so the output test runs before any alarm is raised.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputChange } from '../../../hardware/sim/firmata-board.js';
import { parseSimGpioCommand } from '../../../src/cli/gpio-sim-commands.js';
import { type ConsoleRig, openConsole, startConsoleRig } from './browser-rig.js';
import { nextEvent } from '../../hardware/gpio/rig.js';

describe('console GPIO panel (headless Chromium, serve --sim with its simulated Firmata board)', () => {
  let rig: ConsoleRig;
  let page: Page;
  beforeAll(async () => {
    rig = await startConsoleRig();
    page = await openConsole(rig, 'block:east');
  }, 60_000);
  afterAll(async () => {
    expect(await rig?.close()).toBe(0);
  });

  /** Sets an input on the simulated board, as `serve --sim` takes it on stdin ("alarm 1 on"). */
  function simInput(line: string): void {
    const parsed = parseSimGpioCommand(line, rig.sim.gpio.board.referenceVolts);
    if (!parsed.ok) throw new Error(parsed.message);
    const command = parsed.command;
    if (command.kind !== 'alarm' && command.kind !== 'key' && command.kind !== 'light') throw new Error(`"${line}" sets no input`);
    const applied = rig.sim.gpio.panel.apply(command);
    if (!applied.ok) throw new Error(applied.message);
  }

  /** The next 'output' the simulated board reports on `pin` that matches. */
  const nextOutput = (pin: number, match: (change: OutputChange) => boolean) => nextEvent<OutputChange>(rig.sim.gpio.board, 'output', (c) => c.pin === pin && match(c));

  it('the panel shows the board connected, the alarm input inactive, no key held and day with its volts', async () => {
    const alarm = rig.sim.gpio.panel.map.alarmInputs[0]!.name;
    await page.locator('#gpio:not([hidden])').waitFor();
    await page.locator('#gpio-board[data-state="connected"]').waitFor();
    await page.locator(`[data-alarm="${alarm}"][data-state="inactive"]`).waitFor();
    await page.locator('#gpio-key[data-key="none"]').waitFor();
    await page.locator('#gpio-light[data-state="day"]', { hasText: ' V' }).waitFor();
  });

  it('ALARM OUT On and Off drive the simulated board\'s ALARM OUT pin high and low, and the IR slider sets its PWM duty', async () => {
    const map = rig.sim.gpio.panel.map;
    const high = nextOutput(map.alarmOut!.pin, (c) => c.value === 1);
    await page.click('#alarm-out-on');
    await high;
    await page.locator('#alarm-out-state[data-state="on"].alarm').waitFor();
    const low = nextOutput(map.alarmOut!.pin, (c) => c.value === 0);
    await page.click('#alarm-out-off');
    await low;
    await page.locator('#alarm-out-state[data-state="off"]').waitFor();

    const duty = nextOutput(map.irPwm!.pin, (c) => c.mode === 'PWM' && c.value === Math.round((40 / 100) * 255));
    await page.locator('#ir-pwm').fill('40');
    await duty;
    await page.locator('#ir-pwm-value', { hasText: '40 %' }).waitFor();
  });

  it('closing alarm 1 on the sim board shows that input active (alarm badge) and the rule\'s ALARM OUT pulse reaches the pin; opening it shows inactive again, and ALARM OUT reads off once the pulse has ended', async () => {
    const map = rig.sim.gpio.panel.map;
    const alarm = map.alarmInputs[0]!.name;
    const pulsed = nextOutput(map.alarmOut!.pin, (c) => c.value === 1);
    simInput('alarm 1 on');
    await page.locator(`[data-alarm="${alarm}"][data-state="active"].alarm`).waitFor();
    await pulsed;
    const pulseEnded = nextOutput(map.alarmOut!.pin, (c) => c.value === 0);
    simInput('alarm 1 off');
    await page.locator(`[data-alarm="${alarm}"][data-state="inactive"]`).waitFor();
    // the pulse ends by itself on the pin, and the page's ALARM OUT reads off after it
    await pulseEnded;
    await page.locator('#alarm-out-state[data-state="off"]').waitFor();
  });

  it('an ADKEY key held on the sim board shows as the key held, and none once released', async () => {
    simInput('key up');
    await page.locator('#gpio-key:not([data-key="none"])').waitFor();
    const held = await page.locator('#gpio-key').getAttribute('data-key');
    expect(held).not.toBe('unknown');
    simInput('key none');
    await page.locator('#gpio-key[data-key="none"]').waitFor();
  });

  it('on the 800x480 screen the GPIO panel\'s controls are inside the screen and the token is nowhere in the DOM', async () => {
    const outside: string[] = await page.evaluate(`[...document.querySelectorAll('#gpio button, #gpio input, #gpio .badge')]
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.top < 0 || r.right > 800.5 || r.bottom > 480.5; })
      .map((el) => el.id || el.textContent.trim())`);
    expect(outside).toEqual([]);
    const html = await page.content();
    expect(html).not.toContain(rig.token);
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/console-gpio-800x480.png' });
  });
});
