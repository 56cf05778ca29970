/**
 * `zoomsync sim --gpio`: a simulated Firmata board on its own pty, its inputs set by commands on
 * standard input (gpio-sim-commands.ts), its outputs printed as they change.
 */
import { createInterface, type Interface } from 'node:readline';
import { FirmataBoardSim, type OutputChange } from '../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../hardware/sim/pty-pair.js';
import { type CliIO, writeLine } from './command.js';
import { parseSimGpioCommand, SIM_GPIO_HELP } from './gpio-sim-commands.js';
import { SimGpioPanel } from './gpio-sim-panel.js';

/** Starts the board (at `link` when given) and prints its path; close() ends it and removes its pty. */
export async function startSimGpio(io: CliIO, json: boolean, link: string | undefined): Promise<{ close(): Promise<void> }> {
  const pair = await PtyPair.open({ link });
  let board: FirmataBoardSim | undefined;
  let panel: SimGpioPanel;
  try {
    board = await FirmataBoardSim.open(pair.devicePath, { referenceVolts: 3.3 });
    panel = new SimGpioPanel(board);
  } catch (error) {
    await board?.close();
    await pair.close();
    throw error;
  }
  const sim = board;
  const stamp = () => new Date().toISOString();
  if (json) writeLine(io.stdout, JSON.stringify({ type: 'gpio', firmware: 'StandardFirmata.ino 2.5', referenceVolts: sim.referenceVolts, path: pair.path }));
  else writeLine(io.stdout, `gpio  Firmata board  StandardFirmata 2.5  ${sim.referenceVolts} V  open: ${pair.path}`);
  const printOutput = (change: ReturnType<FirmataBoardSim['output']>) => {
    if (json) writeLine(io.stdout, JSON.stringify({ time: stamp(), type: 'output', ...change, signal: panel.signal(change.pin) }));
    else writeLine(io.stdout, `${stamp()}  ${panel.describe(change)}`);
  };
  sim.on('output', printOutput);
  const lines = takeSimGpioCommands(panel, io, { json, stamp, printOutput, who: 'zoomsync sim' });
  return {
    async close() {
      lines.close();
      await sim.close();
      await pair.close();
    },
  };
}

export interface SimGpioCommandOutput {
  json: boolean;
  stamp: () => string;
  printOutput: (change: OutputChange) => void;
  /** Who refuses a bad line: 'zoomsync sim'. */
  who: string;
}

/**
 * Reads sim GPIO commands (gpio-sim-commands.ts), one a line, from io.stdin and applies them to
 * the panel's board. A closed stdin (run in the background) just means no more commands.
 */
export function takeSimGpioCommands(panel: SimGpioPanel, io: CliIO, out: SimGpioCommandOutput): Interface {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const refuse = (message: string) => writeLine(io.stderr, `${out.who}: ${message}`);
  lines.on('line', (line) => {
    const parsed = parseSimGpioCommand(line, panel.sim.referenceVolts);
    if (!parsed.ok) return refuse(parsed.message);
    const { command } = parsed;
    switch (command.kind) {
      case 'blank':
        return;
      case 'help':
        return writeLine(io.stdout, SIM_GPIO_HELP);
      case 'outputs':
        return panel.outputs().forEach(out.printOutput);
      default: {
        const done = panel.apply(command);
        if (!done.ok) return refuse(done.message);
        writeLine(io.stdout, out.json ? JSON.stringify({ time: out.stamp(), type: 'input', text: done.line }) : `${out.stamp()}  ${done.line}`);
      }
    }
  });
  return lines;
}
