/**
 * What the API server needs of an open rig: its lines (counters), blocks and groups, and a way
 * to close it. src/rig.ts `openRig(config)` returns this shape; the server is written against
 * this interface only, so tests build a handle from LineRegistry/DeviceRegistry/SyncGroup over
 * ptys, and `serve` gets one from openRig through rigHandle().
 */
import type { BusScheduler } from '../../hardware/serial/bus-scheduler.js';
import type { SerialLine } from '../../hardware/serial/serial-line.js';
import type { ZoomBlock } from '../devices/zoom-block.js';
import type { GroupControl } from '../rig/group-control.js';
import type { Rig } from '../rig/open-rig.js';
import type { RigGpio } from '../rig/rig-gpio.js';

/** One open port: its rig names, its line and its scheduler (LineRegistry's LineHandle). */
export interface RigLine {
  readonly names: readonly string[];
  readonly realPath: string;
  readonly line: Pick<SerialLine, 'isOpen' | 'name'>;
  readonly bus: Pick<BusScheduler, 'lineCounters' | 'deviceCounters' | 'stopAll' | 'stop'>;
}

export interface RigHandle {
  readonly lines: { readonly lines: readonly RigLine[] };
  readonly devices: { readonly names: string[]; readonly all: readonly ZoomBlock[]; get(name: string): ZoomBlock };
  readonly groups: ReadonlyMap<string, GroupControl>;
  /** The GPIO board, its inputs and the rules (undefined without a gpio: section in the rig file). */
  readonly gpio?: RigGpio;
  /** Stops every block (stops on the wire), then closes lines and HTTP sides. */
  close(): Promise<void>;
}

/** The handle of a rig opened by openRig (src/rig): the API's view of it. */
export function rigHandle(rig: Rig): RigHandle {
  return {
    lines: rig.devices.lines,
    devices: rig.devices,
    groups: new Map(rig.groups.map((group) => [group.name, group])),
    gpio: rig.gpio,
    close: () => rig.close(),
  };
}
