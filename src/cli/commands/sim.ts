import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PortBusyError } from '../../../protocols/errors.js';
import { SZ_G10_PROFILE } from '../../../protocols/pelco/index.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import type { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import type { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { type CliCommand, flag, UsageError, parseCommandArgs, parseInteger, stringOption, writeLine } from '../command.js';
import { formatFrame, formatProblem } from '../frame-format.js';
import { dialectOption, PELCO_OPTIONS_HELP, profileOption } from '../pelco-options.js';

export const simCommand: CliCommand = {
  name: 'sim',
  help: `Usage: zoomsync sim [--blocks N] [--dialect D|P] [--shared-bus] [--first-address A] [--baud N] [--profile NAME]
                    [--http] [--http-port P] [--gpio] [--link DIR] [--json]

Starts N simulated SZ-G10 zoom blocks, each behind a pseudo-terminal (made by socat), prints the
paths a controller should open, and logs every frame each block receives until Ctrl-C (or
SIGTERM, SIGHUP); it then ends its socat processes and removes its pty files. The blocks
move zoom (0-1000) and focus over time, keep 256 presets, and answer zoom, magnification, pan and
tilt queries.

Options:
  --blocks N          how many blocks (1-32, default 1)
  --shared-bus        put all blocks on one pty, as on one RS-485 pair (each answers only its address);
                      without it every block gets its own pty
  --first-address A   camera number of the first block; the others follow (default 1)
  --baud N            baud rate the ptys are opened at (default 9600)
  --http              also give every block its HTTP face (the SZ-G10 REST API on 127.0.0.1, user
                      admin, password admin); both faces share one lens, so a zoom sent over PELCO
                      shows in GET /app/v1/camera/lens and the other way round
  --http-port P       with --http: block 1 listens on port P, block 2 on P+1, ... (default: free ports)
  --gpio              also a Firmata GPIO board (StandardFirmata on an Uno, 3.3 V) on its own pty, wired
                      as docs/gpio.md's default pin map, for \`zoomsync gpio --port PATH\`. It prints its
                      outputs as they change and takes commands on standard input, one a line:
                        alarm N on|off      alarm input N (1: D2) closed or open
                        key NAME|none       an ADKEY key held (up, down, left, right, enter = K1–K5)
                        light VOLTS         the light sensor's voltage on A1
                        outputs             print ALARM OUT, RS-485 direction, FACTORY RESET, IR PWM
  --link DIR          fixed paths for scripts: block A's pty is DIR/blockA (with --shared-bus the one
                      pty is DIR/bus, with --gpio the board is DIR/gpio); DIR is created if missing, the
                      links are removed on exit. A path that is already taken is an error; a link left
                      by a killed sim is replaced
${PELCO_OPTIONS_HELP.replace('(default generic)', '(default sz-g10)')}
  --json              one JSON object per line

Example:
  zoomsync sim --blocks 4 --shared-bus
  (then point a controller's serial port at the printed path)
  zoomsync sim --blocks 2 --link /tmp/zs &
  zoomsync query --port /tmp/zs/block2 --profile sz-g10 --address 2 zoom
  zoomsync sim --gpio --link /tmp/zs      (then type "alarm 1 on")
  zoomsync gpio --port /tmp/zs/gpio watch
`,
  async run(args, io) {
    const parsed = parseCommandArgs(
      args,
      {
        blocks: { type: 'string' },
        dialect: { type: 'string' },
        profile: { type: 'string' },
        'shared-bus': { type: 'boolean' },
        'first-address': { type: 'string' },
        baud: { type: 'string' },
        http: { type: 'boolean' },
        'http-port': { type: 'string' },
        link: { type: 'string' },
        gpio: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      false,
    );
    const count = parseInteger('--blocks', stringOption(parsed, 'blocks') ?? '1', 1, 32);
    const dialect = dialectOption(parsed);
    const profile = stringOption(parsed, 'profile') === undefined ? SZ_G10_PROFILE : profileOption(parsed);
    const maxAddress = dialect === 'D' ? 255 : profile.pelcoPMaxCamera;
    const first = parseInteger('--first-address', stringOption(parsed, 'first-address') ?? '1', 1, maxAddress - count + 1);
    const baudRate = parseInteger('--baud', stringOption(parsed, 'baud') ?? '9600', 1200, 115200);
    const shared = flag(parsed, 'shared-bus');
    const json = flag(parsed, 'json');
    const httpPort = stringOption(parsed, 'http-port');
    const withHttp = flag(parsed, 'http') || httpPort !== undefined;
    const firstHttpPort = httpPort === undefined ? 0 : parseInteger('--http-port', httpPort, 1024, 65535 - count);
    const linkDir = stringOption(parsed, 'link');
    if (linkDir !== undefined) {
      await mkdir(linkDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`--link ${linkDir} cannot be used as a directory for the pty links (${error.code ?? error.message}); choose another`);
      });
    }

    // Loaded here rather than at the top, so `zoomsync sim --help` loads neither serialport nor zod.
    const { SimulatedBus: Bus } = await import('../../../hardware/sim/sim-bus.js');
    const http = withHttp ? await import('../../../hardware/sim/http/szg10-sim.js') : undefined;

    const pairs: PtyPair[] = [];
    const buses: SimulatedBus[] = [];
    const httpFaces: Szg10Simulator[] = [];
    let gpio: { close(): Promise<void> } | undefined;
    try {
      for (let i = 0; i < (shared ? 1 : count); i++) {
        const link = linkDir === undefined ? undefined : join(linkDir, shared ? 'bus' : `block${first + i}`);
        const pair = await PtyPair.open({ link });
        pairs.push(pair);
        buses.push(await Bus.open(pair.devicePath, { baudRate, maxRecords: 1000 })); // logged, not kept
      }
      for (let i = 0; i < count; i++) {
        const address = first + i;
        const bus = buses[shared ? 0 : i]!;
        const pair = pairs[shared ? 0 : i]!;
        const lens = new SimulatedLens();
        bus.addBlock({ address, dialect, profile, lens });
        let url: string | undefined;
        if (http) {
          const face = new http.Szg10Simulator({ lens });
          httpFaces.push(face);
          url = await listen(face, firstHttpPort === 0 ? 0 : firstHttpPort + i, address);
        }
        if (json) writeLine(io.stdout, JSON.stringify({ type: 'block', address, dialect, profile: profile.name, baudRate, path: pair.path, ...(url ? { url } : {}) }));
        else writeLine(io.stdout, `block ${address}  PELCO-${dialect}  ${profile.name}  ${baudRate} baud  open: ${pair.path}${url ? `  http: ${url}` : ''}`);
      }
      buses.forEach((bus, i) => {
        const label = shared ? 'bus' : `block ${first + i}`;
        const prefix = () => ({ time: new Date().toISOString(), at: label });
        bus.on('frame', (record) => {
          const text = formatFrame(record, record.hex, json, prefix());
          writeLine(io.stdout, record.handled || json ? text : `${text}  (no block at this address)`);
        });
        bus.on('problem', (event) => writeLine(io.stdout, formatProblem(event, json, prefix())));
      });
      if (flag(parsed, 'gpio')) {
        const { startSimGpio } = await import('../gpio-sim-board.js');
        gpio = await startSimGpio(io, json, linkDir === undefined ? undefined : join(linkDir, 'gpio'));
      }
      if (!json) writeLine(io.stderr, `simulating ${count} block${count === 1 ? '' : 's'}${shared ? ' on one shared bus' : ''}${gpio ? ' and a GPIO board' : ''}; Ctrl-C to stop`);
      await io.interrupted;
      return 0;
    } finally {
      await gpio?.close();
      for (const face of httpFaces) await face.close();
      for (const bus of buses) await bus.close();
      for (const pair of pairs) await pair.close();
    }
  },
};

/** Starts a block's HTTP face; a port someone else holds is a one-line error naming it. */
async function listen(face: Szg10Simulator, port: number, address: number): Promise<string> {
  try {
    return await face.server.listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    const message = `--http-port: port ${port} on 127.0.0.1 (block ${address}'s HTTP face) is in use by another program; choose another --http-port or leave it out for free ports`;
    throw new PortBusyError(`127.0.0.1:${port}`, undefined, message, { cause: error });
  }
}
