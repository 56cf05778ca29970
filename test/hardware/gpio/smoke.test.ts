import { it, expect } from 'vitest';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { FirmataBoardSim } from '../../../hardware/sim/firmata-board.js';
import { GpioBoard } from '../../../hardware/gpio/gpio-board.js';

it('smoke', async () => {
  const pair = await PtyPair.open();
  const sim = await FirmataBoardSim.open(pair.devicePath);
  const board = new GpioBoard({ path: pair.controllerPath });
  const readies: unknown[] = [];
  board.on('ready', (r) => readies.push(r));
  await board.open();
  const levels: unknown[] = [];
  board.watchDigital(2, { pullUp: true }, (l) => levels.push(l));
  const volts: unknown[] = [];
  board.watchAnalog(0, (v) => volts.push(v));
  sim.setVoltage('A0', 1.0);
  await new Promise((r) => setTimeout(r, 200));
  sim.setDigitalInput(2, 0);
  await board.drive(9, { kind: 'pwm', duty: 0.5 });
  await new Promise((r) => setTimeout(r, 100));
  console.log(readies, levels, volts.slice(-2), sim.output(9), sim.problems);
  await board.close();
  await sim.close();
  await pair.close();
  expect(readies.length).toBe(1);
});
