import type { CliCommand } from './command.js';
import { calibrateCommand } from './commands/calibrate.js';
import { cameraCommand } from './commands/camera.js';
import { configCommand } from './commands/config.js';
import { decodeCommand } from './commands/decode.js';
import { doCommand } from './commands/do.js';
import { encodeCommand } from './commands/encode.js';
import { gpioCommand } from './commands/gpio.js';
import { monitorCommand } from './commands/monitor.js';
import { queryCommand } from './commands/query.js';
import { sendCommand } from './commands/send.js';
import { simCommand } from './commands/sim.js';
import { stopCommand } from './commands/stop.js';

/** Every `zoomsync` sub-command, in the order `zoomsync --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [encodeCommand, decodeCommand, monitorCommand, sendCommand, stopCommand, queryCommand, simCommand, cameraCommand, configCommand, doCommand, calibrateCommand, gpioCommand];
