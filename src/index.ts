/**
 * zoomsync as a library: the PELCO codec, the error family, the serial side and the cameras'
 * HTTP side (dialect clients behind one CameraConfig interface).
 */
export * from '../protocols/pelco/index.js';
export * from '../protocols/errors.js';
export { SerialLine } from '../hardware/serial/serial-line.js';
export type { SerialLineOptions, SerialLineCounters, DirectionControl, ReconnectPolicy } from '../hardware/serial/serial-line.js';
export type { FrameLine, FrameLineEvents, ReconnectInfo } from '../hardware/serial/frame-line.js';
export { listSerialPorts } from '../hardware/serial/port-list.js';
export { BusScheduler } from '../hardware/serial/bus-scheduler.js';
export type { BusSchedulerOptions } from '../hardware/serial/bus-scheduler.js';
// Simulated hardware, for integrators' own tests and demos
export { PtyPair } from '../hardware/sim/pty-pair.js';
export { SimulatedLens } from '../hardware/sim/lens-model.js';
export { SimulatedBus } from '../hardware/sim/sim-bus.js';
export { Szg10Simulator } from '../hardware/sim/http/szg10-sim.js';
export { JsonApiSimulator } from '../hardware/sim/http/json-api-sim.js';
export { CgiControlSimulator } from '../hardware/sim/http/cgi-control-sim.js';
export * from '../protocols/http/common/capabilities.js';
export * from './devices/http/index.js';
