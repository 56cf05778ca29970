/**
 * zoomsync as a library: the PELCO codec, the error family, and the serial side.
 */
export * from '../protocols/pelco/index.js';
export * from '../protocols/errors.js';
export { SerialLine } from '../hardware/serial/serial-line.js';
export type { SerialLineOptions, SerialLineCounters, DirectionControl, ReconnectPolicy } from '../hardware/serial/serial-line.js';
export type { FrameLine, FrameLineEvents, ReconnectInfo } from '../hardware/serial/frame-line.js';
export { listSerialPorts } from '../hardware/serial/port-list.js';
