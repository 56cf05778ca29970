import { cameraCommand } from './camera.js';
import type { CliCommand } from './command.js';

/** Every `zoomsync` sub-command, in the order `zoomsync --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [cameraCommand];
