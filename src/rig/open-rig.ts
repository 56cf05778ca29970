/**
 * openRig: a loaded rig file (RigConfig) made live — its lines opened (one scheduler per port),
 * its blocks built, its groups built by the injected group factory. The one place that turns
 * the file's words into the devices layer's specs (pelcoDialect -> BlockSpec.dialect, baudRate
 * -> baud) and reads camera passwords.
 *
 * @example
 *   const rig = await openRig(await loadRigConfig('rig.yaml'), { buildGroups });
 *   await rig.block('left').zoomTo(500);
 *   await rig.group('rig').zoomTo({ magnification: 4 });
 *   await rig.close(); // rules closed (held motion stopped), the GPIO board closed, every block stopped, then the lines closed
 *
 * With a `gpio:` section the rig also opens the Firmata board (rig.gpio: signals, outputs, board
 * state) and runs the rig file's rules on it (rig.rules); see rig-gpio.ts, loaded only then.
 */
import { ConfigError, type ConfigProblem, InvalidArgumentError } from '../../protocols/errors.js';
import { resolvePassword } from '../config/password.js';
import type { BlockConfig, LineConfig, RigConfig } from '../config/types.js';
import { type BlockSpec, DeviceRegistry, type DeviceRegistryOptions } from '../devices/device-registry.js';
import type { LineSpec } from '../devices/line-registry.js';
import type { ZoomBlock } from '../devices/zoom-block.js';
import type { GroupControl, GroupFactory } from './group-control.js';
import type { GpioBoardOptions } from '../../hardware/gpio/gpio-board.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { RigGpio } from './rig-gpio.js';
import { buildSyncGroups } from './sync-groups.js';

export interface OpenRigOptions {
  /** Where passwordEnv is looked up. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Builds the rig's groups once the blocks are open. Default: SyncGroups (buildSyncGroups). */
  buildGroups?: GroupFactory;
  /** Passed to the DeviceRegistry: SerialLine and scheduler options, the HTTP fallback, waitForPorts … */
  devices?: DeviceRegistryOptions;
  /** GPIO board options (reconnect, presenceCheckMs, handshakeTimeoutMs …) for a rig with a gpio: section. */
  gpio?: Omit<GpioBoardOptions, 'path' | 'referenceVolts'>;
  /** Where the rig tells what happens on its own (the GPIO board missing, lost or back; rule errors). Default: stderr. */
  log?: (message: string) => void;
}

export class Rig {
  private readonly groupsByName: Map<string, GroupControl>;
  private closing: Promise<void> | undefined;
  private gpio_: RigGpio | undefined;

  /** @internal use openRig */
  constructor(
    readonly config: RigConfig,
    readonly devices: DeviceRegistry,
    groups: readonly GroupControl[],
  ) {
    this.groupsByName = new Map(groups.map((g) => [g.name, g]));
  }

  /** The block of that name (InvalidArgumentError listing the names otherwise). */
  block(name: string): ZoomBlock {
    return this.devices.get(name);
  }

  /** The rig file's entry for a block. */
  blockConfig(name: string): BlockConfig {
    const block = this.config.blocks.find((b) => b.name === name);
    if (!block) throw new InvalidArgumentError('block', name, `one of: ${this.config.blocks.map((b) => b.name).join(', ') || '(no blocks)'}`);
    return block;
  }

  /**
   * The block's optical magnification as it reports it (PELCO query-magnification, 0x61 -> 0x63),
   * in times (1 = widest). Serial only: the HTTP dialects have no magnification reading.
   */
  async readMagnification(name: string): Promise<number> {
    const block = this.blockConfig(name);
    const value = await this.devices.lines.get(block.line).bus.query(block.address, 'query-magnification');
    return value / block.profile.magnificationUnit;
  }

  /** The group of that name. */
  group(name: string): GroupControl {
    const group = this.groupsByName.get(name);
    if (!group) throw new InvalidArgumentError('group', name, `one of: ${[...this.groupsByName.keys()].join(', ') || '(no groups)'}`);
    return group;
  }

  get groups(): readonly GroupControl[] {
    return [...this.groupsByName.values()];
  }

  /** The GPIO side (board, signals, input states, rule record); undefined without a gpio: section. */
  get gpio(): RigGpio | undefined {
    return this.gpio_;
  }

  /** The rule engine running the rig file's rules; undefined without a gpio: section. */
  get rules(): RuleEngine | undefined {
    return this.gpio_?.rules;
  }

  /** @internal openRig attaches the GPIO side once the rig (the rules' targets) exists. */
  attachGpio(gpio: RigGpio): void {
    this.gpio_ = gpio;
  }

  /**
   * Closes the rules first (a held motion's stop goes out while the lines are still open), then
   * the GPIO board, then ends following, stops every block (the stops reach the wire) and closes
   * the lines and HTTP sides. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.gpio_?.close().catch(() => {}); // a board that fails to close must not keep the blocks moving
      for (const group of this.groupsByName.values()) group.close();
      await this.devices.close();
    })();
    return this.closing;
  }
}

/**
 * Opens a rig. Every camera password is read first, before any port or camera is opened; the
 * ones that cannot be read are one ConfigError naming each block and its variable or file.
 * If a line fails to open or the group factory throws, whatever was opened is closed again.
 */
export async function openRig(config: RigConfig, options: OpenRigOptions = {}): Promise<Rig> {
  const passwords = await readPasswords(config, options.env ?? process.env);
  const devices = await DeviceRegistry.open(
    { lines: config.lines.map(lineSpec), blocks: config.blocks.map((block) => blockSpec(block, passwords.get(block.name))) },
    options.devices,
  );
  let rig: Rig | undefined;
  try {
    const groups = await (options.buildGroups ?? buildSyncGroups)(config.groups, devices, { configFile: config.file });
    rig = new Rig(config, devices, groups);
    if (config.gpio) {
      const log = options.log ?? ((message: string) => process.stderr.write(`zoomsync: ${message}\n`));
      // johnny-five and firmata (~50 ms, ~14 MiB at start) load only for a rig with a gpio: section
      const { openRigGpio } = await import('./rig-gpio.js');
      rig.attachGpio(await openRigGpio(config.gpio, config.rules, rig, { log, ...(options.gpio ? { board: options.gpio } : {}) }));
    }
    return rig;
  } catch (error) {
    if (rig) await rig.close();
    else await devices.close();
    throw error;
  }
}

async function readPasswords(config: RigConfig, env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const passwords = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const block of config.blocks) {
    if (!block.http) continue;
    try {
      passwords.set(block.name, await resolvePassword(block.http.password, env, config.file));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((p) => ({ ...p, message: `block ${block.name}: camera password: ${p.message}` })));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, config.file);
  return passwords;
}

function lineSpec(line: LineConfig): LineSpec {
  return { name: line.name, port: line.port, baud: line.baudRate, direction: line.direction, turnaroundMs: line.turnaroundMs };
}

function blockSpec(block: BlockConfig, password: string | undefined): BlockSpec {
  return {
    name: block.name,
    line: block.line,
    address: block.address,
    dialect: block.pelcoDialect,
    profile: block.profile.name,
    http: block.http && { url: block.http.url, dialect: block.http.dialect, user: block.http.user, password: password! },
    limits: { zoom: block.limits.zoom },
    calibration: block.calibration,
  };
}
