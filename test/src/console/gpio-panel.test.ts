/**
 * The console GPIO panel's state (pure: no DOM): how the live feed's gpio and gpio-board messages
 * change what it shows. The browser test (console-gpio.test.ts) covers it against the sim board;
 * these cover what the sim cannot easily do (a board lost with its message, inputs gone unknown).
 */
import { describe, expect, it } from 'vitest';
import { GpioPanel, type GpioInputs } from '../../../src/console/web/gpio-panel.js';

const snapshot = (): GpioInputs => ({
  board: 'connected',
  alarms: [{ name: 'door', state: 'inactive', changedAt: null }],
  adkey: { key: null, changedAt: null },
  light: { state: 'day', volts: 1.5, changedAt: null },
});

describe('console GPIO panel state', () => {
  it('shows nothing (the panel hides) when the snapshot has no gpio, and ignores gpio messages then', () => {
    const panel = new GpioPanel();
    panel.reset(undefined);
    panel.input({ signal: 'alarm', name: 'door', state: 'active', at: '2026-01-01T00:00:00Z' });
    panel.board({ state: 'lost', message: 'gone' });
    expect(panel.html()).toBe('');
  });

  it('a lost board shows "lost" with its message, and the inputs it reports unknown show as unknown', () => {
    const panel = new GpioPanel();
    panel.reset(snapshot());
    panel.board({ state: 'lost', message: 'GPIO board /dev/ttyACM0 is gone: replug its USB cable' });
    panel.input({ signal: 'alarm', name: 'door', state: 'unknown', at: '2026-01-01T00:00:01Z' });
    panel.input({ signal: 'key', key: null, state: 'unknown', at: '2026-01-01T00:00:01Z' });
    panel.input({ signal: 'light', state: 'unknown', at: '2026-01-01T00:00:01Z' });
    const html = panel.html();
    expect(html).toContain('data-state="lost"');
    expect(html).toContain('replug its USB cable');
    expect(html).toContain('data-alarm="door" data-state="unknown"');
    expect(html).toContain('data-key="unknown"');
    expect(html).toContain('data-state="unknown">unknown 1.50 V'); // the last volts seen are kept
    panel.board({ state: 'connected', message: 'GPIO board answered' });
    expect(panel.html()).not.toContain('GPIO board answered'); // connected needs no words
  });

  it('a key pressed or held shows that key; released shows none; an alarm active is an alarm badge', () => {
    const panel = new GpioPanel();
    panel.reset(snapshot());
    panel.input({ signal: 'key', key: 'K1', state: 'held', at: '2026-01-01T00:00:01Z' });
    expect(panel.html()).toContain('data-key="K1"');
    panel.input({ signal: 'key', key: 'K1', state: 'released', at: '2026-01-01T00:00:02Z' });
    expect(panel.html()).toContain('data-key="none"');
    panel.input({ signal: 'alarm', name: 'door', state: 'active', at: '2026-01-01T00:00:03Z' });
    expect(panel.html()).toMatch(/class="badge gpio-alarm alarm" data-alarm="door" data-state="active"/);
  });

  it('escapes names from the rig file (no markup from an alarm name reaches the page)', () => {
    const panel = new GpioPanel();
    panel.reset({ ...snapshot(), alarms: [{ name: '<img src=x onerror=alert(1)>', state: 'inactive', changedAt: null }] });
    expect(panel.html()).not.toContain('<img');
  });
});
