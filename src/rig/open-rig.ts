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
 *   await rig.close(); // every block stopped, then the lines closed
 */
import { ConfigError, type ConfigProblem, InvalidArgumentError } from '../../protocols/errors.js';
import { resolvePassword } from '../config/password.js';
import type { BlockConfig, LineConfig, RigConfig } from '../config/types.js';
import { type BlockSpec, DeviceRegistry, type DeviceRegistryOptions } from '../devices/device-registry.js';
import type { LineSpec } from '../devices/line-registry.js';
import type { ZoomBlock } from '../devices/zoom-block.js';
import type { GroupControl, GroupFactory } from './group-control.js';
import { buildSyncGroups } from './sync-groups.js';

export interface OpenRigOptions {
  /** Where passwordEnv is looked up. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Builds the rig's groups once the blocks are open. Default: SyncGroups (buildSyncGroups). */
  buildGroups?: GroupFactory;
  /** Passed to the DeviceRegistry: SerialLine and scheduler options, the HTTP fallback, waitForPorts … */
  devices?: DeviceRegistryOptions;
}

export class Rig {
  private readonly groupsByName: Map<string, GroupControl>;
  private closing: Promise<void> | undefined;

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

  /** Ends following, stops every block (the stops reach the wire), then closes the lines and HTTP sides. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
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
  try {
    const groups = await (options.buildGroups ?? buildSyncGroups)(config.groups, devices, { configFile: config.file });
    return new Rig(config, devices, groups);
  } catch (error) {
    await devices.close();
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
