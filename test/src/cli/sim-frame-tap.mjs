/**
 * Preloaded (`node --import`) into a spawned `zoomsync serve --sim`: reports every frame the
 * in-process simulated blocks receive as one JSON line on fd 3, so a test in another process
 * can see a stop reach the simulator. An observer only: the real SimulatedBus still decodes and
 * answers every frame. ZS_SIM_BUS_MODULE is the URL of the sim-bus module the CLI loads (the
 * same URL gives the same module instance, so the patch is the class the CLI uses).
 */
import { writeSync } from 'node:fs';

const { SimulatedBus } = await import(process.env.ZS_SIM_BUS_MODULE);
const emit = SimulatedBus.prototype.emit;
SimulatedBus.prototype.emit = function (event, ...args) {
  if (event === 'frame') {
    const { address, command } = args[0];
    writeSync(3, `${JSON.stringify({ address, command })}\n`); // sync: the line is out before the process can exit
  }
  return emit.call(this, event, ...args);
};
