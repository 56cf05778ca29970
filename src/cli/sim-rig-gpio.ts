/**
 * The simulated GPIO board of `zoomsync serve --sim`: a Firmata board (StandardFirmata, 3.3 V)
 * on its own pty, wired as docs/gpio.md's default pin map (SimGpioPanel), the rig file's gpio:
 * section for it, and rules that make its inputs do something visible in the console:
 *
 *   key up (K1) held     wide zooms tele while held      key down (K2) held   wide zooms wide
 *   alarm-in active      every block of stage stops, ALARM OUT pulses for 2 s
 *   light night / day    IR LED at 80 % / off
 *
 * Its inputs are set by the same commands as `zoomsync sim --gpio` takes (gpio-sim-commands.ts):
 * `alarm 1 on`, `key up`, `key none`, `light 0.5`.
 */
import { FirmataBoardSim } from '../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../hardware/sim/pty-pair.js';
import { SimGpioPanel } from './gpio-sim-panel.js';

export interface SimRigGpio {
  readonly board: FirmataBoardSim;
  readonly panel: SimGpioPanel;
  /** The rig file's gpio: and rules: sections for this board. */
  readonly yaml: readonly string[];
  close(): Promise<void>;
}

/** `block` is the block whose connector carries the signals; `group` the group the alarm stops. */
export async function startSimRigGpio(names: { block: string; group: string }): Promise<SimRigGpio> {
  const pair = await PtyPair.open();
  let board: FirmataBoardSim;
  try {
    board = await FirmataBoardSim.open(pair.devicePath, { referenceVolts: 3.3 });
  } catch (error) {
    await pair.close();
    throw error;
  }
  const panel = new SimGpioPanel(board);
  const { block, group } = names;
  const map = panel.map;
  const yaml = [
    'gpio:',
    `  port: ${JSON.stringify(pair.controllerPath)}`,
    `  referenceVolts: ${map.referenceVolts}`,
    `  alarmInputs: [${map.alarmInputs.map((a) => `{ name: ${a.name}, pin: ${a.pin} }`).join(', ')}]`,
    `  alarmOut: { pin: ${map.alarmOut!.pin}, block: ${block} }`,
    `  irPwm: { pin: ${map.irPwm!.pin}, block: ${block} }`,
    `  factoryReset: { pin: ${map.factoryReset!.pin}, block: ${block} }`,
    `  adkey: { pin: A${map.adkey!.pin}, block: ${block} }`,
    `  light: { pin: A${map.light!.pin}, dayVolts: ${map.light!.dayVolts}, nightVolts: ${map.light!.nightVolts}, dwellMs: 2000 }`,
    'rules:',
    `  - { name: key-tele, when: { key: K1, is: held }, then: [{ block: ${block}, whileHeld: { zoom: tele } }] }`,
    `  - { name: key-wide, when: { key: K2, is: held }, then: [{ block: ${block}, whileHeld: { zoom: wide } }] }`,
    `  - { name: alarm, when: { alarm: ${map.alarmInputs[0]!.name}, is: active }, then: [{ group: ${group}, stop: true }, { alarmOut: { pulseMs: 2000 } }] }`,
    '  - { name: night, when: { light: night }, then: [{ irPwm: 80 }] }',
    '  - { name: day, when: { light: day }, then: [{ irPwm: 0 }] }',
  ];
  return {
    board,
    panel,
    yaml,
    async close() {
      await board.close();
      await pair.close();
    },
  };
}
