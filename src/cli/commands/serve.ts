/**
 * `zoomsync serve --config rig.yaml [--listen HOST:PORT]`: the service. Opens the rig, serves
 * each line's control socket (emergency stops from another shell), the REST + WebSocket API,
 * /metrics and /openapi.json. On SIGINT/SIGTERM every moving block gets a stop on the wire
 * before the lines close.
 */
import type { Server } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError } from '../../../protocols/errors.js';
import { loadOrCreateTokens, tokenFileFor } from '../../api/auth.js';
import { serviceLogger } from '../../api/logger.js';
import { DEFAULT_LEASE_MS } from '../../api/motion.js';
import { type RigHandle, rigHandle } from '../../api/rig-handle.js';
import { openRig } from '../../rig/open-rig.js';
import { buildApiServer } from '../../api/server.js';
import { formatConfigError, loadRigConfig, type RigConfig } from '../../config/index.js';
import { type CliCommand, type CliIO, flag, type ParsedArgs, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { onFatalErrorStop } from '../emergency-stop.js';
import { type LineControls, serveLineControls } from '../line-controls.js';
import { interruptSignal } from '../signals.js';
import { consoleRoutes } from '../../console/static.js';
import { PositionPoller } from '../../console/position-poller.js';
import type { ReceivedFrame } from '../../../hardware/sim/sim-bus.js';
import { formatFrame } from '../frame-format.js';
import { SIM_GPIO_HELP } from '../gpio-sim-commands.js';
import type { SimRig } from '../sim-rig.js';

export const DEFAULT_LISTEN = '127.0.0.1:8080';

/** Where the rig comes from: the rig file's hardware now; a built-in simulated rig (`--sim`) later. */
/** Opens the rig; `log` is the service's logger for what the rig reports (board lost, rule errors). */
export type RigOpener = (config: RigConfig, io: CliIO, log: (message: string) => void) => Promise<RigHandle>;
export const openHardwareRig: RigOpener = async (config, io, log) => rigHandle(await openRig(config, { env: io.env, log }));

export const serveCommand: CliCommand = {
  name: 'serve',
  help: `Usage: zoomsync serve --config FILE [--listen HOST:PORT] [--tokens FILE] [--lease-ms MS] [--console-dir DIR]
       zoomsync serve --sim [--sim-frames] [--listen HOST:PORT]

Opens every line and block of the rig file and serves:
  /               the web operator console (asks for a token once)
  /api/...        REST: lines, blocks, groups (see /openapi.json and docs/api.md)
  /ws             WebSocket: live state and joystick moves (dead-man lease)
  /metrics        Prometheus text
  /openapi.json   the API description (no token needed)

--config FILE       the rig file (zoomsync config check FILE checks it)
--listen HOST:PORT  where to listen. Default ${DEFAULT_LISTEN} (this machine only); use
                    0.0.0.0:8080 to let other machines in (every call still needs a token)
--tokens FILE       the token file. Default next to the rig file (rig.yaml -> rig.tokens.json),
                    created on first start (mode 0600) with an admin and a read-only token
--lease-ms MS       default dead-man lease of continuous moves, 50–500. Default ${DEFAULT_LEASE_MS}
--sim               no hardware: five simulated SZ-G10 blocks in this process (two on a line each,
                    three on one shared bus, each with its HTTP face), a group "stage" led by
                    "wide", and a simulated GPIO board with rules (keys zoom wide, the alarm
                    stops stage, night turns the IR on); type its inputs on stdin ("alarm 1 on",
                    "key up", "key none", "light 0.5", "help"). Prints the console's URL with a
                    fresh admin token.
--sim-frames        with --sim: print every frame a simulated block receives on stdout, one JSON
                    line each ({"sim": LINE, "type": "frame", "address", "hex", "command", ...})
--console-dir DIR   serve the web console from DIR. Default: the package's dist/console

Logs go to stderr: JSON lines, or pretty lines on a terminal.
SIGINT / SIGTERM: every moving block is stopped on the wire, then the lines close.
Exit codes: 0 after a signal, 1 when the rig or the port cannot be opened, 2 for a bad rig file.
`,
  run: (args, io) => serve(args, io, openHardwareRig),
};

/** For tests and embedding: what `serve` tells once it listens. */
export interface ServeHooks {
  onListening?(ready: { url: string; sim: SimRig | undefined; adminToken: string | undefined }): void;
}

export async function serve(args: string[], io: CliIO, openRig: RigOpener, hooks: ServeHooks = {}): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    { config: { type: 'string' }, listen: { type: 'string' }, tokens: { type: 'string' }, 'lease-ms': { type: 'string' }, sim: { type: 'boolean' }, 'sim-frames': { type: 'boolean' }, 'console-dir': { type: 'string' } },
    false,
  );
  const simMode = flag(parsed, 'sim');
  if (simMode && stringOption(parsed, 'config') !== undefined) throw new UsageError('--sim brings its own rig: leave out --config (or leave out --sim to drive the rig file\'s hardware)');
  if (!simMode && stringOption(parsed, 'config') === undefined) throw new UsageError('--config FILE is required (the rig file), or --sim for simulated blocks');
  const listen = parseListen(stringOption(parsed, 'listen') ?? DEFAULT_LISTEN);
  const leaseText = stringOption(parsed, 'lease-ms');
  const leaseMs = leaseText === undefined ? undefined : parseInteger('--lease-ms', leaseText, 50, 500);
  // the simulators (and their HTTP faces) load only for --sim
  if (flag(parsed, 'sim-frames') && !simMode) throw new UsageError('--sim-frames goes with --sim (it prints what the simulated blocks receive)');
  const onFrame = flag(parsed, 'sim-frames') ? (line: string, frame: ReceivedFrame) => writeLine(io.stdout, formatFrame(frame, frame.hex, true, { sim: line })) : undefined;
  const sim = simMode ? await (await import('../sim-rig.js')).startSimRig({ commandsFrom: io, onFrame }) : undefined;
  try {
    return await serveRig(sim?.configFile ?? stringOption(parsed, 'config')!, parsed, { listen, leaseMs, sim }, io, openRig, hooks);
  } finally {
    await sim?.close(); // after the lines closed: the last stop frames have reached the simulators
  }
}

async function serveRig(
  configFile: string,
  parsed: ParsedArgs,
  { listen, leaseMs, sim }: { listen: { host: string; port: number }; leaseMs: number | undefined; sim: SimRig | undefined },
  io: CliIO,
  openRig: RigOpener,
  hooks: ServeHooks,
): Promise<number> {
  let config: RigConfig;
  let tokens;
  try {
    config = await loadRigConfig(configFile);
    tokens = await loadOrCreateTokens(stringOption(parsed, 'tokens') ?? tokenFileFor(configFile));
  } catch (error) {
    return configProblems(error, configFile, io);
  }

  const log = await serviceLogger(io.stderr as NodeJS.WritableStream & { isTTY?: boolean });
  if (tokens.created) log.info({ file: tokens.path }, 'created the token file (an admin and a read-only token; mode 0600): give each client its token');

  let rig: RigHandle;
  try {
    rig = await openRig(config, io, (message) => log.info(message)); // a missing port: one line from main() with its code
  } catch (error) {
    return configProblems(error, configFile, io); // a password that cannot be read
  }
  const unregister = onFatalErrorStop(async () => void (await Promise.allSettled(rig.devices.all.map((b) => b.stop()))));
  let controls: LineControls | undefined;
  const poller = new PositionPoller(rig.devices.all); // live zoom/focus for the console
  let app: Awaited<ReturnType<typeof buildApiServer>> | undefined;
  try {
    controls = await serveLineControls(rig.lines.lines, { what: 'service', env: io.env });
    app = await buildApiServer({
      rig,
      tokens: tokens.book,
      blockLines: new Map(config.blocks.map((b) => [b.name, b.line])),
      logger: log as FastifyBaseLogger,
      leaseMs,
    });
    const served = await consoleRoutes(app, { dir: stringOption(parsed, 'console-dir') });
    if (served.missing) log.warn({ missing: served.missing }, 'the web console is not built (npm run build); serving the API only');
    try {
      await app.listen({ host: listen.host, port: listen.port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'EADDRINUSE' ? 'the port is in use (another zoomsync serve?)' : code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : code === 'EACCES' ? 'not allowed (ports below 1024 need privileges)' : (error as Error).message;
      writeLine(io.stderr, `zoomsync serve: cannot listen on ${listen.host}:${listen.port}: ${why}; choose another with --listen HOST:PORT`);
      return 1;
    }
    const address = (app.server as Server).address();
    const where = typeof address === 'object' && address ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}` : String(address);
    log.info({ url: where, blocks: rig.devices.names, groups: [...rig.groups.keys()] }, `listening on ${where}`);
    // the sim's own throw-away token (in its temp folder) may be shown; any other token file stays unread
    const adminToken = sim && tokens.path === tokenFileFor(sim.configFile) ? tokens.file.tokens.find((t) => t.role === 'admin')?.token : undefined;
    writeLine(io.stdout, `zoomsync console: ${where}/${adminToken ? `#token=${encodeURIComponent(adminToken)}` : ''}`);
    if (adminToken) writeLine(io.stdout, `simulated rig: ${rig.devices.names.join(', ')}; group ${[...rig.groups.keys()].join(', ')}; admin token: ${adminToken}`);
    if (sim) writeLine(io.stdout, `simulated GPIO board: type its inputs here (${SIM_GPIO_HELP})`);
    hooks.onListening?.({ url: where, sim, adminToken });

    await io.interrupted;
    log.info({ signal: interruptSignal(io) }, 'shutting down: stopping every moving block');
    return 0;
  } finally {
    poller.close();
    await shutDown(rig, app, controls);
    unregister();
    log.flush?.();
  }
}

/** A ConfigError as the list of its problems, exit 2; anything else is rethrown for main(). */
function configProblems(error: unknown, configFile: string, io: CliIO): number {
  if (!(error instanceof ConfigError)) throw error;
  const count = error.problems.length;
  writeLine(io.stderr, `zoomsync serve: ${error.file ?? configFile} has ${count} problem${count === 1 ? '' : 's'}:`);
  for (const line of formatConfigError(error)) writeLine(io.stderr, '  ' + line);
  return 2;
}

/** Stops on the wire first, then the API (its WebSockets), then the lines. */
async function shutDown(rig: RigHandle, app: { close(): Promise<unknown> } | undefined, controls: LineControls | undefined): Promise<void> {
  const stops = rig.devices.all.filter((b) => b.moving).map((b) => b.stop());
  await Promise.allSettled(stops); // each resolves once its frame has left (or is held for a reopen)
  await app?.close().catch(() => {});
  await rig.close();
  await controls?.close();
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  if (!match) throw new UsageError(`--listen ${JSON.stringify(text)} is not HOST:PORT (e.g. 127.0.0.1:8080, or [::1]:8080)`);
  const port = Number(match[3]);
  if (port > 65535) throw new UsageError(`--listen port ${port} is out of range (0–65535)`);
  return { host: match[1] ?? match[2]!, port };
}
