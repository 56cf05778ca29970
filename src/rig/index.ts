/**
 * A rig made live from its rig file: openRig (lines, blocks, groups; the GPIO board and its rules
 * with a gpio: section), target selection, the
 * GroupControl interface groups are driven through, and measuring calibration tables.
 * See docs/rig.md.
 */
export { openRig, Rig, type OpenRigOptions } from './open-rig.js';
export type { GpioBoardState, GpioInputEvent, GpioInputsView, GpioOutputsView, RigGpio, RuleFailure, RuleFiring, RuleStatus } from './rig-gpio.js';
export { selectTarget, type RigTarget } from './target.js';
export type { GroupControl, GroupFactory, GroupRecallReport, GroupReport, GroupState, GroupStateEvent, GroupZoomTarget } from './group-control.js';
export { evenSteps, measureCalibration, tableOf, type MagnificationSource, type MeasuredPoint, type MeasureOptions } from './calibrate.js';
export { calibrationYaml, withCalibration, writeCalibration } from './calibration-yaml.js';
export { waitSettled, type SettleOptions, type SettleResult } from './settle.js';
export { describeSent } from './sent.js';
