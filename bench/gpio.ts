/**
 * bench/gpio: latency from an input change at the simulated Firmata board to the frame the rule
 * it fires puts on a simulated zoom block's wire.
 *
 *   npm run bench:gpio            (npm run build && node dist/bench/gpio.js [--changes 200])
 *
 * The whole path is real: FirmataBoardSim on a pty -> serialport -> firmata-io -> johnny-five
 * -> AlarmInput / AdKey -> RuleEngine -> ZoomBlock -> BusScheduler -> SerialLine -> pty ->
 * SimulatedBus. Latency is the simulator's receive time of the frame minus the moment the
 * input was changed. Digital inputs are reported by the board at once; analog ones (ADKEY) at
 * the sampling interval (20 ms), so a key waits half of it on average before anyone sees it.
 */
import { loadavg } from 'node:os';
import { DEFAULT_LADDER_HYSTERESIS_VOLTS, windowCentre } from '../hardware/gpio/ladder.js';
import { createGpioSignals, type GpioSignals } from '../hardware/gpio/signals.js';
import { BusScheduler } from '../hardware/serial/bus-scheduler.js';
import { SerialLine } from '../hardware/serial/serial-line.js';
import { FirmataBoardSim } from '../hardware/sim/firmata-board.js';
import { PtyPair } from '../hardware/sim/pty-pair.js';
import { type ReceivedFrame, SimulatedBus } from '../hardware/sim/sim-bus.js';
import { SZ_G10_PROFILE } from '../protocols/pelco/index.js';
import { parseRigConfig } from '../src/config/index.js';
import { ZoomBlock } from '../src/devices/zoom-block.js';
import { RuleEngine } from '../src/rules/index.js';
import { percentile, printTable } from './table.js';

const argIndex = process.argv.indexOf('--changes');
const CHANGES = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 200;
const SAMPLING_MS = 20;
const BAUD = 9600;
const LADDER = [
  { key: 'up', minVolts: 0.1, maxVolts: 0.25 },
  { key: 'down', minVolts: 0.3, maxVolts: 0.5 },
];
const NO_KEY = 1.8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Bench {
  sim: FirmataBoardSim;
  bus: SimulatedBus;
  close(): Promise<void>;
}

async function openBench(debounce: { alarmMs: number; keyMs: number }): Promise<Bench> {
  const boardPair = await PtyPair.open();
  const sim = await FirmataBoardSim.open(boardPair.devicePath, { referenceVolts: 3.3 });
  sim.setVoltage('A0', NO_KEY);
  const rig = parseRigConfig(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
gpio:
  port: ${boardPair.controllerPath}
  alarmInputs: [{ name: door, pin: 2, debounceMs: ${debounce.alarmMs} }]
  adkey: { pin: A0, ladder: ${JSON.stringify(LADDER)}, debounceMs: ${debounce.keyMs}, hysteresisVolts: ${DEFAULT_LADDER_HYSTERESIS_VOLTS} }
rules:
  - { name: door-open, when: { alarm: door, is: active }, then: [{ block: left, gotoPreset: 1 }] }
  - { name: door-shut, when: { alarm: door, is: inactive }, then: [{ block: left, gotoPreset: 2 }] }
  - { name: tele, when: { key: up }, then: [{ block: left, whileHeld: { zoom: tele } }] }
`);
  const signals: GpioSignals = createGpioSignals(rig.gpio!, { samplingIntervalMs: SAMPLING_MS, onWarning: () => {} });
  await signals.board.open();

  const blockPair = await PtyPair.open();
  const bus = await SimulatedBus.open(blockPair.devicePath, { baudRate: BAUD });
  bus.addBlock({ address: 1, profile: SZ_G10_PROFILE });
  const line = new SerialLine({ path: blockPair.controllerPath, baudRate: BAUD, onWarning: () => {} });
  await line.open();
  const scheduler = new BusScheduler(line, { profile: SZ_G10_PROFILE });
  const left = new ZoomBlock({ name: 'left', address: 1, bus: scheduler, line });
  const engine = new RuleEngine({
    rules: rig.rules,
    signals,
    targets: {
      block: () => left,
      group: (name) => {
        throw new Error(`no group ${name}`);
      },
    },
  });
  engine.on('rule-error', ({ rule, error }) => console.error(`rule ${rule}: ${(error as Error).message}`));
  // the inputs settle first: the door closed (pull-up), no key down
  while (signals.alarmInputs[0]!.state !== 'inactive' || signals.adkey!.key !== null) await sleep(5);
  return {
    sim,
    bus,
    async close() {
      await engine.close();
      signals.alarmInputs.forEach((input) => input.close());
      signals.adkey!.close();
      await signals.board.close();
      await sim.close();
      await boardPair.close();
      left.close();
      await scheduler.close();
      await line.close();
      await bus.close();
      await blockPair.close();
    },
  };
}

/** Changes an input and resolves with the ms until the simulated block received a frame passing `test`. */
function timeChange(bench: Bench, change: () => void, test: (frame: ReceivedFrame) => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      bench.bus.off('frame', listener);
      reject(new Error('no frame within 2 s of the input change'));
    }, 2000);
    let start = 0;
    const listener = (frame: ReceivedFrame) => {
      if (!test(frame)) return;
      clearTimeout(timer);
      bench.bus.off('frame', listener);
      resolve(frame.at - start);
    };
    bench.bus.on('frame', listener);
    start = performance.now();
    change();
  });
}

/** A pause of 5–25 ms between changes, so changes do not line up with the board's sampling. */
const gap = (i: number) => sleep(5 + ((i * 7) % 21));

async function measure(debounce: { alarmMs: number; keyMs: number }): Promise<{ alarm: number[]; press: number[]; release: number[] }> {
  const bench = await openBench(debounce);
  const alarm: number[] = [];
  const press: number[] = [];
  const release: number[] = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const active = i % 2 === 0;
      alarm.push(await timeChange(bench, () => bench.sim.setDigitalInput(2, active ? 0 : 1), (f) => f.command.kind === 'preset-goto' && f.command.preset === (active ? 1 : 2)));
      await gap(i);
    }
    for (let i = 0; i < CHANGES / 2; i++) {
      press.push(await timeChange(bench, () => bench.sim.setVoltage('A0', windowCentre(LADDER, 'up')), (f) => f.command.kind === 'move' && f.command.zoom === 'tele'));
      await gap(i);
      release.push(await timeChange(bench, () => bench.sim.setVoltage('A0', NO_KEY), (f) => f.command.kind === 'stop'));
      await gap(i + 3);
    }
  } finally {
    await bench.close();
  }
  return { alarm, press, release };
}

async function main(): Promise<void> {
  const f = (n: number) => n.toFixed(1);
  const rows: string[][] = [];
  for (const debounce of [
    { alarmMs: 0, keyMs: 0 },
    { alarmMs: 50, keyMs: 30 },
  ]) {
    const { alarm, press, release } = await measure(debounce);
    const row = (what: string, ms: number, values: number[]) => [what, `${ms} ms`, String(values.length), `${f(percentile(values, 50))} ms`, `${f(percentile(values, 99))} ms`, `${f(Math.max(...values))} ms`];
    rows.push(row('alarm input (digital D2) -> gotoPreset frame', debounce.alarmMs, alarm));
    rows.push(row(`ADKEY press (analog A0, ${SAMPLING_MS} ms sampling) -> zoom tele frame`, debounce.keyMs, press));
    rows.push(row('ADKEY release -> stop frame', debounce.keyMs, release));
  }
  const load = loadavg().map((n) => n.toFixed(2)).join(' ');
  printTable(`GPIO input change -> rule -> frame at a simulated block (PELCO-D ${BAUD} baud; load average ${load})`, ['path', 'debounce', 'changes', 'p50', 'p99', 'max'], rows);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
