/**
 * zoomsync as a library: the PELCO codec, the error family, the serial side and the cameras'
 * HTTP side (dialect clients behind one CameraConfig interface).
 *
 * Two lighter entries: `zoomsync/pelco` (the codec alone, no serial/HTTP/schema libraries) and
 * `zoomsync/sim` (the simulators, which a controller does not need to load).
 */
export * from '../protocols/pelco/index.js';
export * from '../protocols/errors.js';
export { SerialLine } from '../hardware/serial/serial-line.js';
export type { SerialLineOptions, SerialLineCounters, DirectionControl, ReconnectPolicy } from '../hardware/serial/serial-line.js';
export type { FrameLine, FrameLineEvents, ReconnectInfo } from '../hardware/serial/frame-line.js';
export { listSerialPorts } from '../hardware/serial/port-list.js';
export { BusScheduler } from '../hardware/serial/bus-scheduler.js';
export type { BusSchedulerOptions } from '../hardware/serial/bus-scheduler.js';
export * from '../protocols/http/common/capabilities.js';
export * from './devices/http/index.js';
