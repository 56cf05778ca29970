/**
 * The built-in simulated rig behind `zoomsync serve --sim`: simulated SZ-G10 blocks in this
 * process, on ptys, each with its HTTP (REST) face, and a rig file that names them, in a private
 * temp folder (removed on close). Two blocks have a line each, three share one bus (an RS-485
 * pair); `stage` is a group of three with `wide` as its leader. A simulated Firmata board with
 * rules (sim-rig-gpio.ts) stands for the GPIO bridge; with `commandsFrom`, its inputs are set by
 * lines typed on that stdin (`alarm 1 on`, `key up`, `light 0.5`, `help`).
 *
 * @example
 *   const sim = await startSimRig();
 *   // serve sim.configFile; tests watch sim.bus('wide').on('frame', ...)
 *   await sim.close();
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PtyPair } from '../../hardware/sim/pty-pair.js';
import { type ReceivedFrame, SimulatedBus } from '../../hardware/sim/sim-bus.js';
import { SimulatedLens } from '../../hardware/sim/lens-model.js';
import { Szg10Simulator } from '../../hardware/sim/http/szg10-sim.js';
import { InvalidArgumentError } from '../../protocols/errors.js';
import { type CliIO, writeLine } from './command.js';
import { takeSimGpioCommands } from './gpio-sim-board.js';
import { type SimRigGpio, startSimRigGpio } from './sim-rig-gpio.js';

/** The simulated rig's layout: line -> blocks (address, calibration, starting zoom). */
export const SIM_LAYOUT = [
  { line: 'wide', blocks: [{ name: 'wide', address: 1, zoom: 120, calibration: [[0, 1], [500, 3.2], [1000, 10]] }] },
  { line: 'tele', blocks: [{ name: 'tele', address: 2, zoom: 300, calibration: [[0, 1], [450, 3], [1000, 9.5]] }] },
  {
    line: 'bus',
    blocks: [
      { name: 'north', address: 3, zoom: 0, calibration: [[0, 1], [500, 3.1], [1000, 10]] },
      { name: 'south', address: 4, zoom: 650, calibration: undefined },
      { name: 'east', address: 5, zoom: 900, calibration: undefined },
    ],
  },
] as const;
export const SIM_GROUP = { name: 'stage', members: ['wide', 'tele', 'north'], leader: 'wide' } as const;

export interface SimBlock {
  name: string;
  address: number;
  line: string;
  bus: SimulatedBus;
  lens: SimulatedLens;
  http: Szg10Simulator;
}

export interface SimRig {
  /** The rig file naming the simulated blocks (and, next to it, the token file serve creates). */
  readonly configFile: string;
  readonly blocks: readonly SimBlock[];
  block(name: string): SimBlock;
  /** The simulated GPIO board and the rig file's gpio:/rules: for it. */
  readonly gpio: SimRigGpio;
  /** Stops the simulators and removes the temp folder. After the service closed its lines. */
  close(): Promise<void>;
}

export interface SimRigOptions {
  /** Take sim GPIO commands from this stdin and answer on its stdout/stderr (serve says so once it listens). */
  commandsFrom?: CliIO;
  /** Told every frame a simulated block's bus receives (`line` is the rig file's line name). */
  onFrame?: (line: string, frame: ReceivedFrame) => void;
}

export async function startSimRig(options: SimRigOptions = {}): Promise<SimRig> {
  const dir = await mkdtemp(join(tmpdir(), 'zoomsync-serve-sim-'));
  const pairs: PtyPair[] = [];
  const buses: SimulatedBus[] = [];
  const faces: Szg10Simulator[] = [];
  const blocks: SimBlock[] = [];
  let gpio: SimRigGpio | undefined;
  let commands: { close(): void } | undefined;
  const close = async () => {
    commands?.close();
    await gpio?.close();
    await Promise.allSettled(faces.map((f) => f.close()));
    await Promise.allSettled(buses.map((b) => b.close()));
    await Promise.allSettled(pairs.map((p) => p.close()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const passwordFile = join(dir, 'camera-password');
    await writeFile(passwordFile, 'admin\n', { mode: 0o600 });
    await chmod(passwordFile, 0o600);
    const yaml: string[] = ['# zoomsync serve --sim: simulated blocks in this process', 'lines:'];
    const blockYaml: string[] = ['blocks:'];
    for (const { line, blocks: members } of SIM_LAYOUT) {
      const pair = await PtyPair.open();
      pairs.push(pair);
      // bounded records: the service runs for days; frames are for tests that watch events
      const bus = await SimulatedBus.open(pair.devicePath, { baudRate: 9600, maxRecords: 2000 });
      buses.push(bus);
      if (options.onFrame) bus.on('frame', (frame) => options.onFrame!(line, frame));
      yaml.push(`  - { name: ${line}, port: ${JSON.stringify(pair.controllerPath)} }`);
      for (const b of members) {
        const lens = new SimulatedLens({ initialZoom: b.zoom });
        bus.addBlock({ address: b.address, lens });
        const http = new Szg10Simulator({ lens });
        faces.push(http);
        const url = await http.server.listen(0);
        blocks.push({ name: b.name, address: b.address, line, bus, lens, http });
        blockYaml.push(
          `  - name: ${b.name}`,
          `    line: ${line}`,
          `    address: ${b.address}`,
          `    http: { url: ${JSON.stringify(url)}, dialect: szg10, user: admin, passwordFile: ${JSON.stringify(passwordFile)} }`,
          ...(b.calibration ? [`    calibration: ${JSON.stringify(b.calibration)}`] : []),
        );
      }
    }
    const group = `  - { name: ${SIM_GROUP.name}, members: [${SIM_GROUP.members.join(', ')}], leader: ${SIM_GROUP.leader}, track: { hz: 10, deadband: 2 } }`;
    gpio = await startSimRigGpio({ block: SIM_GROUP.leader, group: SIM_GROUP.name });
    const configFile = join(dir, 'rig.yaml');
    await writeFile(configFile, [...yaml, ...blockYaml, 'groups:', group, ...gpio.yaml, ''].join('\n'));
    if (options.commandsFrom) commands = takeCommands(gpio, options.commandsFrom);
    return {
      configFile,
      blocks,
      gpio,
      block(name) {
        const found = blocks.find((b) => b.name === name);
        if (!found) throw new InvalidArgumentError('simulated block', name, `one of ${blocks.map((b) => b.name).join(', ')}`);
        return found;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function takeCommands(gpio: SimRigGpio, io: CliIO): { close(): void } {
  const stamp = () => new Date().toISOString();
  return takeSimGpioCommands(gpio.panel, io, {
    json: false,
    stamp,
    printOutput: (change) => writeLine(io.stdout, `${stamp()}  ${gpio.panel.describe(change)}`),
    who: 'zoomsync serve --sim',
  });
}
