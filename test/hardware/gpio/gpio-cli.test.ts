/** `zoomsync gpio` against the simulated Firmata board on a pty. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirmataBoardSim } from '../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { outputBecomes } from './rig.js';

let pair: PtyPair;
let sim: FirmataBoardSim;

beforeEach(async () => {
  pair = await PtyPair.open();
  sim = await FirmataBoardSim.open(pair.devicePath);
  sim.setVoltage('A0', 1.8);
});

afterEach(async () => {
  await sim.close();
  await pair.close();
});

describe('zoomsync gpio', () => {
  it('watch prints alarm and ADKEY events as they happen, and ends on Ctrl-C', async () => {
    const cli = startCli(['gpio', '--port', pair.controllerPath, 'watch']);
    await cli.waitForLines(/board ready \(StandardFirmata\.ino 2\.5\)/);
    await cli.waitForLines(/alarm alarm-in inactive/);
    sim.setDigitalInput(2, 0);
    await cli.waitForLines(/alarm alarm-in active/);
    sim.setVoltage('A0', 0.4); // K3 of the default ladder
    await cli.waitForLines(/key K3 press/);
    sim.setVoltage('A0', 1.8);
    await cli.waitForLines(/key K3 release/);
    cli.interrupt();
    expect((await cli.done).code).toBe(0);
  });

  it('watch reports a pulled board and its return, and goes on printing events', async () => {
    const cli = startCli(['gpio', '--port', pair.controllerPath, 'watch']);
    await cli.waitForLines(/alarm alarm-in inactive/);
    await pair.unplug();
    await sim.detach();
    await cli.waitForLines(/board lost/);
    await cli.waitForLines(/alarm alarm-in unknown/);
    sim.setDigitalInput(2, 0); // the contact closes while the board is away
    await pair.replug((path) => sim.attach(path));
    await cli.waitForLines(/board back/);
    await cli.waitForLines(/alarm alarm-in active/);
    cli.interrupt();
    expect((await cli.done).code).toBe(0);
  });

  it('set ir 40 drives the IR PWM pin to 40 % and exits 0', async () => {
    const result = await runCli(['gpio', '--port', pair.controllerPath, 'set', 'ir', '40']);
    expect(result).toMatchObject({ code: 0 });
    await outputBecomes(sim, 9, 102);
  });

  it('set factory-reset without --confirm is refused (exit 2) before the board is touched', async () => {
    const driven: number[] = [];
    sim.on('output', (change) => change.pin === 8 && driven.push(change.value ?? -1));
    const result = await runCli(['gpio', '--port', pair.controllerPath, 'set', 'factory-reset', 'pulse']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/REFUSED/);
    expect(result.stderr).toMatch(/add --confirm/);
    expect(driven).toEqual([]);
  });

  it('an unknown signal, a missing --port and a bad pin map are one-line errors', async () => {
    const unknown = await runCli(['gpio', '--port', pair.controllerPath, 'set', 'siren', 'on']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli(['gpio', 'watch'])).stderr).toMatch(/--port PATH is required/);
    const missing = await runCli(['gpio', '--port', pair.controllerPath, '--map', '/nonexistent.json', 'watch']);
    expect(missing.code).toBe(2);
  });
});
