/**
 * DeviceRegistry: the blocks of a rig by name, built from plain specs that use the rig file's
 * field names (lines: name, port, baud, direction; blocks: name, line, address, dialect,
 * profile, http, limits, calibration). Lines come from a LineRegistry (one scheduler per port).
 * Passwords arrive resolved: reading passwordEnv / passwordFile is the config loader's job.
 */
import type { DialectName } from '../../protocols/http/common/capabilities.js';
import { type ConfigProblem, ConfigError, InvalidArgumentError } from '../../protocols/errors.js';
import { type Dialect, profileByName, PROFILES } from '../../protocols/pelco/index.js';
import type { FallbackOptions } from './fallback.js';
import type { CameraConfig } from './http/dialect.js';
import { type LineRegistryOptions, type LineSpec, LineRegistry } from './line-registry.js';
import type { LimitMode } from './soft-limits.js';
import { type Calibration, ZoomBlock } from './zoom-block.js';

export interface HttpSpec {
  url: string;
  /** Default 'szg10'. */
  dialect?: DialectName;
  user: string;
  password: string;
}

export interface BlockSpec {
  name: string;
  /** Name of its line in `lines`. */
  line: string;
  address: number;
  /** PELCO dialect. Default 'D'. */
  dialect?: Dialect;
  /** Device profile name. Default 'sz-g10'. */
  profile?: string;
  http?: HttpSpec;
  limits?: { zoom?: readonly [number, number] };
  /** Default 'clamp'. */
  limitMode?: LimitMode;
  calibration?: Calibration;
}

export interface RigSpec {
  lines: readonly LineSpec[];
  blocks: readonly BlockSpec[];
}

export interface DeviceRegistryOptions extends LineRegistryOptions {
  fallback?: FallbackOptions;
  /** Makes a block's HTTP side. Default: openCamera with the spec's fields. */
  openHttp?: OpenHttp;
}

type OpenHttp = (spec: HttpSpec, block: string) => CameraConfig;

/**
 * openCamera from the dialect registry, loaded on first need: the dialect clients and undici
 * cost a service start ~100 ms and ~20 MiB, and a rig without an http: block never needs them.
 */
async function loadOpenCamera(): Promise<OpenHttp> {
  const { openCamera } = await import('./http/registry.js');
  return (http) => openCamera({ ...http, dialect: http.dialect ?? 'szg10' });
}

export class DeviceRegistry {
  private readonly blocks = new Map<string, ZoomBlock>();
  private closing: Promise<void> | undefined;

  private constructor(readonly lines: LineRegistry) {}

  /**
   * Checks the whole spec first (every problem in one ConfigError), then opens the lines and
   * builds the blocks. If a line fails to open, what was opened is closed again.
   */
  static async open(spec: RigSpec, options: DeviceRegistryOptions = {}): Promise<DeviceRegistry> {
    checkSpec(spec);
    const openHttp = options.openHttp ?? (spec.blocks.some((b) => b.http) ? await loadOpenCamera() : undefined);
    const registry = new DeviceRegistry(new LineRegistry(options));
    try {
      for (const block of spec.blocks) {
        const lineSpec = spec.lines.find((l) => l.name === block.line)!;
        const profile = profileByName(block.profile ?? 'sz-g10')!;
        const { line, bus } = await registry.lines.open(lineSpec, { dialect: block.dialect ?? 'D', profile });
        registry.blocks.set(
          block.name,
          new ZoomBlock({
            name: block.name,
            address: block.address,
            bus,
            line,
            http: block.http && openHttp?.(block.http, block.name),
            limits: block.limits,
            limitMode: block.limitMode,
            calibration: block.calibration,
            fallback: options.fallback,
          }),
        );
      }
    } catch (error) {
      await registry.close();
      throw error;
    }
    return registry;
  }

  /** The block of that name; InvalidArgumentError listing the known names otherwise. */
  get(name: string): ZoomBlock {
    const block = this.blocks.get(name);
    if (!block) throw new InvalidArgumentError('block', name, `one of: ${this.names.join(', ') || '(no blocks)'}`, 'block names come from the rig file');
    return block;
  }

  get names(): string[] {
    return [...this.blocks.keys()];
  }

  get all(): readonly ZoomBlock[] {
    return [...this.blocks.values()];
  }

  /** Stops every block (the stops reach the wire before the lines close), then closes blocks, lines and HTTP sides. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const stops = [...this.blocks.values()].map((block) => block.stop().catch(() => {})); // enqueued now; written by the line close below
      await this.lines.close();
      await Promise.all(stops); // written or held by now; a block zooming over HTTP also had its HTTP halt answered before that side closes
      for (const block of this.blocks.values()) block.close();
      await Promise.allSettled([...this.blocks.values()].map((block) => block.config?.close()));
    })();
    return this.closing;
  }
}

/** Every problem of the spec at once, with the rig file's paths. */
function checkSpec(spec: RigSpec): void {
  const problems: ConfigProblem[] = [];
  const lineNames = new Set<string>();
  spec.lines.forEach((line, i) => {
    if (lineNames.has(line.name)) problems.push({ path: `lines.${i}.name`, message: `"${line.name}" is used by two lines (expected unique names)` });
    lineNames.add(line.name);
  });
  const blockNames = new Set<string>();
  const addresses = new Map<string, string>();
  spec.blocks.forEach((block, i) => {
    if (blockNames.has(block.name)) problems.push({ path: `blocks.${i}.name`, message: `"${block.name}" is used by two blocks (expected unique names)` });
    blockNames.add(block.name);
    if (!lineNames.has(block.line)) {
      problems.push({ path: `blocks.${i}.line`, message: `no line named "${block.line}" (expected one of: ${[...lineNames].join(', ') || 'none defined'})` });
    }
    if (block.profile !== undefined && !profileByName(block.profile)) {
      problems.push({ path: `blocks.${i}.profile`, message: `unknown profile "${block.profile}" (expected one of: ${Object.keys(PROFILES).join(', ')})` });
    }
    const key = `${block.line}:${block.address}`;
    const holder = addresses.get(key);
    if (holder !== undefined) problems.push({ path: `blocks.${i}.address`, message: `address ${block.address} on line ${block.line} is taken by block ${holder} (expected one address per block)` });
    addresses.set(key, block.name);
  });
  if (problems.length > 0) throw new ConfigError(problems);
}
