/** The simulated StandardFirmata board, spoken to in raw Firmata bytes over a pty. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { FirmataBoardSim } from '../../../hardware/sim/firmata-board.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';

let pair: PtyPair;
let sim: FirmataBoardSim;
let port: SerialPort;
let received: number[];

beforeEach(async () => {
  pair = await PtyPair.open();
  sim = await FirmataBoardSim.open(pair.devicePath, { referenceVolts: 3.3 });
  port = new SerialPort({ path: pair.controllerPath, baudRate: 57600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  received = [];
  port.on('data', (chunk: Buffer) => received.push(...chunk));
});

afterEach(async () => {
  await new Promise<void>((resolve) => port.close(() => resolve()));
  await sim.close();
  await pair.close();
});

function send(...bytes: number[]): void {
  port.write(Buffer.from(bytes));
}

/** Resolves with the received bytes from `pattern` on, once they contain it (and clears them). */
async function receivedMatching(pattern: number[], timeoutMs = 2000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const at = received.findIndex((_, i) => pattern.every((b, j) => received[i + j] === b));
    if (at >= 0) {
      const copy = received.slice(at);
      received.length = 0;
      return copy;
    }
    if (Date.now() > deadline) throw new Error(`no ${pattern.map((b) => b.toString(16)).join(' ')} in ${received.map((b) => b.toString(16)).join(' ')}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('simulated StandardFirmata board', () => {
  it('answers REPORT_VERSION with protocol 2.5 and QUERY_FIRMWARE with its name', async () => {
    send(0xf9);
    await receivedMatching([0xf9, 2, 5]);
    send(0xf0, 0x79, 0xf7);
    const reply = await receivedMatching([0xf0, 0x79, 2, 5]);
    const start = reply.indexOf(0x79);
    const name = reply.slice(start + 3, reply.indexOf(0xf7, start)).filter((_, i) => i % 2 === 0);
    expect(Buffer.from(name).toString('ascii')).toBe('StandardFirmata.ino');
  });

  it('describes its pins: serial pins 0 and 1 have no modes, pin 9 has PWM, A0 is analog channel 0 on pin 14', async () => {
    send(0xf0, 0x6b, 0xf7);
    const caps = await receivedMatching([0xf0, 0x6c]);
    while (!caps.includes(0xf7)) caps.push(...(await receivedMatching([0xf7])));
    const body = caps.slice(caps.indexOf(0x6c) + 1, caps.lastIndexOf(0xf7));
    const pins: number[][] = [];
    let current: number[] = [];
    for (const b of body) {
      if (b === 0x7f) {
        pins.push(current);
        current = [];
      } else current.push(b);
    }
    expect(pins).toHaveLength(20);
    expect(pins[0]).toEqual([]);
    expect(pins[9]).toEqual(expect.arrayContaining([0x03, 8])); // PWM, 8 bits
    expect(pins[14]).toEqual(expect.arrayContaining([0x02, 10])); // ANALOG, 10 bits
    send(0xf0, 0x69, 0xf7);
    const mapping = await receivedMatching([0xf0, 0x6a]);
    const channels = mapping.slice(mapping.indexOf(0x6a) + 1, mapping.indexOf(0xf7));
    expect(channels[14]).toBe(0);
    expect(channels[2]).toBe(0x7f);
  });

  it('ignores a mode the pin cannot do, as the firmware does, and PWM only works on a PWM pin', async () => {
    send(0xf4, 2, 0x03); // PWM on pin 2: not a PWM pin
    send(0xe2, 0x7f, 0x01); // analog write to pin 2
    send(0xf0, 0x6d, 2, 0xf7); // pin state query
    const state = await receivedMatching([0xf0, 0x6e, 2]);
    expect(state[state.indexOf(0x6e) + 2]).toBe(0x01); // still OUTPUT
    expect(sim.problems).toEqual(expect.arrayContaining([expect.stringMatching(/pin 2 cannot be put in mode 0x3/), expect.stringMatching(/analog write to pin 2/)]));
    const duty = new Promise<void>((resolve) => sim.on('output', (c) => c.pin === 9 && c.value === 128 && resolve()));
    send(0xf4, 9, 0x03);
    send(0xe9, 0x00, 0x01); // 128
    await duty;
    expect(sim.output(9)).toEqual({ pin: 9, mode: 'PWM', value: 128 });
  });

  it('reports a digital port when reporting is switched on and again when an input changes, and analog values every sampling interval', async () => {
    send(0xf4, 2, 0x0b); // pin 2 PULLUP
    send(0xd0, 1); // report port 0
    await receivedMatching([0x90, 0x04, 0x00]); // pin 2 high through the pull-up
    sim.setDigitalInput(2, 0);
    await receivedMatching([0x90, 0x00, 0x00]);
    sim.setVoltage('A0', 3.3);
    send(0xf0, 0x7a, 10, 0, 0xf7); // sampling interval 10 ms
    send(0xc0, 1);
    await receivedMatching([0xe0, 0x7f, 0x07]); // 1023 at once
    await receivedMatching([0xe0, 0x7f, 0x07]); // and again at the interval
    expect(sim.samplingInterval).toBe(10);
  });
});
