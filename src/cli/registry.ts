/**
 * Every `zoomsync` sub-command, in the order `zoomsync --help` lists them.
 *
 * An entry names its command and says in one line what it does; `load()` imports the module
 * only when the command runs (or prints its own --help). Starting the CLI therefore loads no
 * serial, HTTP or schema library that the command at hand does not use: on a Raspberry Pi,
 * `zoomsync encode` starts in a fraction of the time it takes when every command loads up front.
 */
import type { CliCommand } from './command.js';

export interface CommandEntry {
  name: string;
  /** One line for `zoomsync --help`. */
  summary: string;
  load(): Promise<CliCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'encode',
    summary: 'print the PELCO frame for a command',
    load: async () => (await import('./commands/encode.js')).encodeCommand,
  },
  {
    name: 'decode',
    summary: 'explain PELCO frames given as hex (arguments or stdin)',
    load: async () => (await import('./commands/decode.js')).decodeCommand,
  },
  {
    name: 'monitor',
    summary: 'sniff a serial line and print every PELCO frame on it',
    load: async () => (await import('./commands/monitor.js')).monitorCommand,
  },
  {
    name: 'send',
    summary: 'send a PELCO command (or raw bytes) to a camera on a serial line',
    load: async () => (await import('./commands/send.js')).sendCommand,
  },
  {
    name: 'stop',
    summary: 'emergency stop: stop a camera (or all) on a serial line, even while another zoomsync holds it',
    load: async () => (await import('./commands/stop.js')).stopCommand,
  },
  {
    name: 'query',
    summary: 'ask a camera for its zoom, pan, tilt or magnification and print the answer',
    load: async () => (await import('./commands/query.js')).queryCommand,
  },
  {
    name: 'sim',
    summary: 'run simulated SZ-G10 blocks on pseudo-terminals for a controller to open',
    load: async () => (await import('./commands/sim.js')).simCommand,
  },
  {
    name: 'camera',
    summary: 'configure a camera over its HTTP API (focus, OSD, network, reboot, firmware)',
    load: async () => (await import('./commands/camera.js')).cameraCommand,
  },
  {
    name: 'do',
    summary: 'run one command on a block or group of a rig file, and report what went out',
    load: async () => (await import('./commands/do.js')).doCommand,
  },
  {
    name: 'calibrate',
    summary: "measure a block's raw zoom -> magnification table and print it or write it into the rig file",
    load: async () => (await import('./commands/calibrate.js')).calibrateCommand,
  },
  {
    name: 'serve',
    summary: 'run the service: REST + WebSocket API, /metrics, line control sockets',
    load: async () => {
      (await import('./service-v8.js')).tuneV8ForService(); // before the service's libraries load
      return (await import('./commands/serve.js')).serveCommand;
    },
  },
  {
    name: 'config',
    summary: 'check a rig file (lines, blocks, groups) or print its JSON Schema',
    load: async () => (await import('./commands/config.js')).configCommand,
  },
  {
    name: 'gpio',
    summary: 'watch the GPIO board’s inputs (alarms, ADKEY keys, day/night) or set an output',
    load: async () => (await import('./commands/gpio.js')).gpioCommand,
  },
];
