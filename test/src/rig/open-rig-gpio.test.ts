/**
 * openRig with a gpio: section: the Firmata board simulator on a pty (real johnny-five and
 * firmata-io over the real serialport), simulated SZ-G10 blocks on another pty, the rig file's
 * rules carried out on the rig's blocks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { windowCentre } from '../../../hardware/gpio/ladder.js';
import { FirmataBoardSim } from '../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import { loadRigConfig } from '../../../src/config/index.js';
import { openRig, type OpenRigOptions, type Rig } from '../../../src/rig/open-rig.js';
import { nextEvent } from '../../hardware/gpio/rig.js';
import { ROOT, runTraced } from '../../helpers/node-child.js';
import { openRigBench, type RigBench } from './rig-bench.js';

const LADDER = [
  { key: 'up', minVolts: 0.1, maxVolts: 0.25 },
  { key: 'down', minVolts: 0.3, maxVolts: 0.5 },
];

const RIG = `
lines: [{ name: bus1, port: $LINE0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
groups: [{ name: solo, members: [left] }]
gpio:
  port: $GPIO
  alarmInputs: [{ name: door, pin: 2, debounceMs: 10 }]
  adkey: { pin: A0, debounceMs: 10, holdDelayMs: 5000, ladder: ${JSON.stringify(LADDER)} }
rules:
  - { name: door, when: { alarm: door }, then: [{ block: left, zoomTo: 400 }] }
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }
  - { name: broken, when: { key: down }, then: [{ group: solo, recallPreset: never-saved }] }
`;

const FAST: OpenRigOptions = {
  devices: { line: { reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, presenceCheckMs: 50, onWarning: () => {} } },
  gpio: { reconnect: { initialDelayMs: 30, maxDelayMs: 100 }, presenceCheckMs: 50, handshakeTimeoutMs: 500, onWarning: () => {} },
};

interface GpioBench {
  bench: RigBench;
  pair: PtyPair;
  board: FirmataBoardSim | undefined;
  log: string[];
}

let g: GpioBench | undefined;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  await g?.board?.close();
  await g?.pair.close();
  await g?.bench.close();
  rig = g = undefined;
});

async function openBench(withBoard: boolean): Promise<GpioBench> {
  const bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1 }]);
  const pair = await PtyPair.open();
  const board = withBoard ? await FirmataBoardSim.open(pair.devicePath, { referenceVolts: 3.3 }) : undefined;
  board?.setVoltage('A0', 1.8); // no key down
  g = { bench, pair, board, log: [] };
  return g;
}

async function openGpioRig(bench: GpioBench, port = bench.pair.controllerPath): Promise<Rig> {
  const file = await bench.bench.writeRig(RIG.replace('$GPIO', port));
  rig = await openRig(await loadRigConfig(file), { ...FAST, log: (message) => bench.log.push(message) });
  return rig;
}

const frameAt = (bench: GpioBench, test: (f: ReceivedFrame) => boolean) => nextEvent<ReceivedFrame>(bench.bench.lines[0]!.sim, 'frame', test);
const isStop = (f: ReceivedFrame) => f.address === 1 && f.command.kind === 'stop';

describe('openRig with a gpio: section', () => {
  it('an alarm raised at the simulated board fires the rule: the block gets its set-zoom frame', async () => {
    const b = await openBench(true);
    const r = await openGpioRig(b);
    expect(r.gpio?.boardState).toBe('connected');
    const door = r.gpio!.signals.alarmInputs[0]!;
    if (door.state !== 'inactive') await nextEvent(door, 'inactive');

    const setZoom = frameAt(b, (f) => f.address === 1 && f.command.kind === 'set-zoom' && f.command.position === 400);
    const fired = nextEvent<{ rule: string }>(r.gpio!, 'fired');
    b.board!.setDigitalInput(2, 0); // the contact closes against the pull-up
    expect((await fired).rule).toBe('door');
    await setZoom;
    expect(r.gpio!.rulesStatus().find((s) => s.name === 'door')).toMatchObject({ firings: 1, errors: 0, lastFired: { event: 'alarm door active' } });
    expect(r.gpio!.inputs().alarms[0]).toMatchObject({ name: 'door', state: 'active' });
  });

  it('closing the rig while a key is held: the held motion is stopped by the rules before the GPIO board closes', async () => {
    const b = await openBench(true);
    const r = await openGpioRig(b);
    const tele = frameAt(b, (f) => f.address === 1 && f.command.kind === 'move' && f.command.zoom === 'tele');
    b.board!.setVoltage('A0', windowCentre(LADDER, 'up'));
    await tele;
    expect(r.rules!.heldCount).toBe(1);

    // what had reached the block's line when the board was closed
    const bus = r.devices.lines.lines[0]!.bus;
    const sentAtMove = bus.lineCounters.sent;
    const board = r.gpio!.signals.board;
    const closeBoard = board.close.bind(board);
    let sentBeforeBoardClose = -1;
    board.close = () => {
      sentBeforeBoardClose = bus.lineCounters.sent;
      return closeBoard();
    };
    const stop = frameAt(b, isStop);
    await r.close();
    await stop;
    expect(r.rules!.heldCount).toBe(0);
    expect(sentBeforeBoardClose).toBeGreaterThan(sentAtMove);
  });

  it('a failing rule is logged and emitted, not thrown: the rig and the other rules carry on', async () => {
    const b = await openBench(true);
    const r = await openGpioRig(b);
    const failed = nextEvent<{ rule: string; error: { message: string } }>(r.gpio!, 'rule-error');
    b.board!.setVoltage('A0', windowCentre(LADDER, 'down'));
    expect((await failed).rule).toBe('broken');
    expect(b.log.join('\n')).toMatch(/rule broken \(key down pressed\): group solo: recall preset never-saved failed/);
    expect(r.gpio!.rulesStatus().find((s) => s.name === 'broken')).toMatchObject({ firings: 1, errors: 1, lastError: { event: 'key down pressed' } });

    const door = r.gpio!.signals.alarmInputs[0]!;
    if (door.state !== 'inactive') await nextEvent(door, 'inactive');
    const setZoom = frameAt(b, (f) => f.address === 1 && f.command.kind === 'set-zoom' && f.command.position === 400);
    b.board!.setDigitalInput(2, 0);
    await setZoom;
  });

  it('a board missing at start does not stop the rig: it opens, says so, inputs read unknown, and the board is picked up when it appears', async () => {
    const b = await openBench(false);
    const r = await openGpioRig(b, `${b.pair.controllerPath}-later`);
    expect(r.gpio!.boardState).toBe('connecting');
    expect(b.log.join('\n')).toMatch(/GPIO board .*-later is not there/);
    expect(r.gpio!.inputs()).toMatchObject({ board: 'connecting', alarms: [{ name: 'door', state: 'unknown', changedAt: null }], adkey: { key: 'unknown' } });
    // the blocks work meanwhile
    const setZoom = frameAt(b, (f) => f.address === 1 && f.command.kind === 'set-zoom');
    await r.block('left').zoomTo(200);
    await setZoom;
  });

  it('a board silent at start (its port there, no Firmata yet) is waited for: once it answers, rules fire', async () => {
    const b = await openBench(false);
    const r = await openGpioRig(b);
    expect(r.gpio!.boardState).toBe('connecting');
    const connected = nextEvent<{ state: string }>(r.gpio!, 'board', (e) => e.state === 'connected', 10_000);
    b.board = await FirmataBoardSim.open(b.pair.devicePath, { referenceVolts: 3.3 });
    b.board.setVoltage('A0', 1.8);
    await connected;
    const door = r.gpio!.signals.alarmInputs[0]!;
    if (door.state !== 'inactive') await nextEvent(door, 'inactive');
    const setZoom = frameAt(b, (f) => f.address === 1 && f.command.kind === 'set-zoom' && f.command.position === 400);
    b.board.setDigitalInput(2, 0);
    await setZoom;
  });

  it('a rig without a gpio: section has no gpio and no rules', async () => {
    const b = await openBench(false);
    const file = await b.bench.writeRig(`
lines: [{ name: bus1, port: $LINE0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
`);
    rig = await openRig(await loadRigConfig(file), FAST);
    expect(rig.gpio).toBeUndefined();
    expect(rig.rules).toBeUndefined();
  });

  it('a rig without a gpio: section never loads johnny-five or firmata-io; one with it does', async () => {
    const b = await openBench(false);
    const gpioLibraries = (modules: string[]) => [...new Set(modules.map((url) => /\/node_modules\/(johnny-five|firmata-io)\//.exec(url)?.[1]).filter(Boolean))];
    const openIn = (yaml: string) =>
      runTraced([
        '--input-type=module',
        '-e',
        `const { parseRigConfig } = await import(${JSON.stringify(new URL('src/config/index.ts', ROOT).href)});
         const { openRig } = await import(${JSON.stringify(new URL('src/rig/open-rig.ts', ROOT).href)});
         const rig = await openRig(parseRigConfig(${JSON.stringify(yaml)}), { log: () => {}, gpio: { reconnect: { enabled: false } } });
         console.log(rig.gpio ? 'gpio' : 'plain');
         await rig.close();`,
      ]);
    const base = `lines: [{ name: bus1, port: ${b.bench.lines[0]!.pair.controllerPath} }]\nblocks: [{ name: left, line: bus1, address: 1 }]\n`;
    const plain = await openIn(base);
    expect(plain.stdout, plain.stderr).toBe('plain\n');
    expect(gpioLibraries(plain.modules)).toEqual([]);
    const withGpio = await openIn(`${base}gpio: { port: ${b.pair.controllerPath}-missing }\n`);
    expect(withGpio.stdout, withGpio.stderr).toBe('gpio\n');
    expect(gpioLibraries(withGpio.modules).sort()).toEqual(['firmata-io', 'johnny-five']);
  });
});
