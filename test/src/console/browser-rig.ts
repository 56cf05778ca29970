/**
 * `zoomsync serve --sim` in this process with the console freshly bundled, and Debian's headless
 * Chromium driven by playwright-core (no browser download: /usr/bin/chromium, or
 * ZOOMSYNC_CHROMIUM). The simulated blocks' frame events are what the tests wait on.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import type { CliIO } from '../../../src/cli/command.js';
import { openHardwareRig, serve } from '../../../src/cli/commands/serve.js';
import type { SimBlock, SimRig } from '../../../src/cli/sim-rig.js';
import { buildConsole } from '../../../src/console/build.js';
import { frameAfter } from '../api/support/frames.js';

export const CHROMIUM = process.env.ZOOMSYNC_CHROMIUM ?? '/usr/bin/chromium';

export interface ConsoleRig {
  url: string;
  token: string;
  sim: SimRig;
  stdout(): string;
  browser: Browser;
  /** The first frame block `name` receives from now on that matches. */
  nextFrame(name: string, match: (frame: ReceivedFrame) => boolean): Promise<ReceivedFrame>;
  close(): Promise<number>;
}

export async function startConsoleRig(): Promise<ConsoleRig> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does), or set ZOOMSYNC_CHROMIUM to a Chromium binary`);
  const consoleDir = await mkdtemp(join(tmpdir(), 'zoomsync-console-'));
  await buildConsole(consoleDir);
  let out = '';
  const stdout = new PassThrough().setEncoding('utf8');
  stdout.on('data', (chunk: string) => (out += chunk));
  const stderr = new PassThrough();
  stderr.resume();
  let interrupt!: () => void;
  const io: CliIO = { stdout, stderr, stdin: new PassThrough(), env: {}, interrupted: new Promise<void>((resolve) => (interrupt = resolve)) };
  let listening!: (ready: { url: string; sim: SimRig | undefined; adminToken: string | undefined }) => void;
  const ready = new Promise<{ url: string; sim: SimRig | undefined; adminToken: string | undefined }>((resolve) => (listening = resolve));
  const served = serve(['--sim', '--listen', '127.0.0.1:0', '--console-dir', consoleDir], io, openHardwareRig, { onListening: listening });
  const { url, sim, adminToken } = await Promise.race([ready, served.then((code) => Promise.reject(new Error(`serve --sim ended early with ${code}`)))]);
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  return {
    url,
    token: adminToken!,
    sim: sim!,
    stdout: () => out,
    browser,
    nextFrame(name, match) {
      const block: SimBlock = sim!.block(name);
      return frameAfter(block.bus, block.bus.received.length, (f) => f.address === block.address && match(f));
    },
    async close() {
      await browser.close();
      interrupt();
      const code = await served;
      await rm(consoleDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** A page logged in through the link serve --sim prints, with `target` selected (800x480, the 7-inch screen, unless told). */
export async function openConsole(rig: ConsoleRig, target: string, options: { width?: number; height?: number; initScript?: string } = {}): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width: options.width ?? 800, height: options.height ?? 480 } });
  if (options.initScript) await page.addInitScript(options.initScript);
  await page.goto(`${rig.url}/#token=${encodeURIComponent(rig.token)}`);
  await page.locator('#status.open').waitFor();
  await page.locator(`[data-target="${target}"]`).click();
  await page.locator(`[data-target="${target}"].selected`).waitFor();
  return page;
}

/**
 * Init script: a standard-layout gamepad the test drives through `window.__pad` (axes and
 * buttons), returned by navigator.getGamepads() as pad 0.
 */
export const VIRTUAL_PAD = `
  window.__pad = { id: 'virtual pad', index: 0, connected: true, mapping: 'standard', timestamp: 0,
    axes: [0, 0, 0, 0], buttons: Array.from({ length: 17 }, () => ({ pressed: false, touched: false, value: 0 })) };
  Object.defineProperty(Navigator.prototype, 'getGamepads', { configurable: true, value: () => [window.__pad, null, null, null] });`;
