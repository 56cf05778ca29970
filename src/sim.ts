/**
 * `zoomsync/sim`: simulated hardware for integrators' own tests and demos: pseudo-terminal pairs
 * (socat), simulated SZ-G10 blocks on a serial bus, the lens model they share, and the SZ-G10's
 * HTTP face. Kept out of the main entry so that a controller never loads its own test doubles.
 */
export { PtyPair } from '../hardware/sim/pty-pair.js';
export type { PtyPairOptions } from '../hardware/sim/pty-pair.js';
export { SimulatedLens } from '../hardware/sim/lens-model.js';
export type { LensOptions, LensPreset, FocusMode } from '../hardware/sim/lens-model.js';
export { SimulatedBus } from '../hardware/sim/sim-bus.js';
export type { ReceivedFrame, SimulatedBusOptions, SimulatedBusEvents } from '../hardware/sim/sim-bus.js';
export type { SimulatedZoomBlock, ZoomBlockOptions, BlockFaults } from '../hardware/sim/zoom-block.js';
export { Szg10Simulator, makeFirmwareImage } from '../hardware/sim/http/szg10-sim.js';
export type { Szg10SimOptions, Szg10SimUser } from '../hardware/sim/http/szg10-sim.js';
export { JsonApiSimulator } from '../hardware/sim/http/json-api-sim.js';
export { CgiActionSimulator } from '../hardware/sim/http/cgi-action-sim.js';
export { Bview2Simulator } from '../hardware/sim/http/bview2-sim.js';
export { CgiControlSimulator } from '../hardware/sim/http/cgi-control-sim.js';
