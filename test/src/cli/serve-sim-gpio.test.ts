/**
 * `zoomsync serve --sim`'s simulated GPIO board: its inputs typed on stdin reach the rig's rules
 * through the real johnny-five over a pty, and what the rules do arrives at the simulated blocks
 * and the board's outputs. In-process serve, events not sleeps.
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutputChange } from '../../../hardware/sim/firmata-board.js';
import type { CliIO } from '../../../src/cli/command.js';
import { openHardwareRig, serve } from '../../../src/cli/commands/serve.js';
import type { SimRig } from '../../../src/cli/sim-rig.js';
import { nextEvent } from '../../hardware/gpio/rig.js';
import { frameAfter } from '../api/support/frames.js';

interface Served {
  url: string;
  token: string;
  sim: SimRig;
  stdin: PassThrough;
  stdoutLine(pattern: RegExp): Promise<string>;
  stderrLine(pattern: RegExp): Promise<string>;
  close(): Promise<number>;
}

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** Collects a stream's text; line(pattern) resolves with the first line matching (already there or still to come). */
function lines(stream: PassThrough): (pattern: RegExp) => Promise<string> {
  let text = '';
  const waiters: (() => void)[] = [];
  stream.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    waiters.splice(0).forEach((w) => w());
  });
  return (pattern) =>
    new Promise<string>((resolve) => {
      const check = () => {
        const line = text.split('\n').find((l) => pattern.test(l));
        if (line === undefined) waiters.push(check);
        else resolve(line);
      };
      check();
    });
}

async function serveSim(): Promise<Served> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdoutLine = lines(stdout);
  const stderrLine = lines(stderr);
  let interrupt!: () => void;
  const io: CliIO = { stdout, stderr, stdin, env: {}, interrupted: new Promise<void>((resolve) => (interrupt = resolve)) };
  let listening!: (ready: { url: string; sim: SimRig | undefined; adminToken: string | undefined }) => void;
  const ready = new Promise<{ url: string; sim: SimRig | undefined; adminToken: string | undefined }>((resolve) => (listening = resolve));
  const running = serve(['--sim', '--listen', '127.0.0.1:0'], io, openHardwareRig, { onListening: listening });
  const { url, sim, adminToken } = await Promise.race([ready, running.then((code) => Promise.reject(new Error(`serve --sim ended early with ${code}`)))]);
  return {
    url,
    token: adminToken!,
    sim: sim!,
    stdin,
    stdoutLine,
    stderrLine,
    close: async () => {
      interrupt();
      return running;
    },
  };
}

const outputGoes = (sim: SimRig, pin: number, value: number) => nextEvent<OutputChange>(sim.gpio.board, 'output', (c) => c.pin === pin && c.value === value);

describe('serve --sim: the simulated GPIO board', () => {
  it('says on stdout that its inputs are typed there, and the API reports the board connected with its alarm input', async () => {
    served = await serveSim();
    await served.stdoutLine(/simulated GPIO board: type its inputs here \(commands: alarm N on\|off/);
    const inputs = await fetch(`${served.url}/api/gpio/inputs`, { headers: { authorization: `Bearer ${served.token}` } });
    expect(inputs.status).toBe(200);
    const body = (await inputs.json()) as { board: unknown; alarms: { name: string }[] };
    expect(body.alarms.map((a) => a.name)).toEqual(['alarm-in']);
    expect(JSON.stringify(body.board)).toMatch(/connect/);
  });

  it('"key up" held zooms wide tele through the rule, "key none" stops it', async () => {
    served = await serveSim();
    const wide = served.sim.block('wide');
    const from = wide.bus.received.length;
    served.stdin.write('key up\n');
    const tele = await frameAfter(wide.bus, from, (f) => f.address === wide.address && f.command.kind === 'move' && f.command.zoom === 'tele');
    served.stdin.write('key none\n');
    await frameAfter(wide.bus, wide.bus.received.indexOf(tele) + 1, (f) => f.address === wide.address && f.command.kind === 'stop');
    expect(wide.lens.moving).toBe(false);
  });

  it('"alarm 1 on" stops every member of stage and pulses ALARM OUT', async () => {
    served = await serveSim();
    const { sim } = served;
    const alarmOutPin = sim.gpio.panel.map.alarmOut!.pin;
    const members = ['wide', 'tele', 'north'].map((name) => sim.block(name));
    const stops = members.map((b) => frameAfter(b.bus, b.bus.received.length, (f) => f.address === b.address && f.command.kind === 'stop'));
    const on = outputGoes(sim, alarmOutPin, 1);
    served.stdin.write('alarm 1 on\n');
    await Promise.all(stops);
    await on;
    await outputGoes(sim, alarmOutPin, 0); // the pulse ends by itself
  });

  it('a mistyped input line is refused on stderr saying what the board takes, and the board keeps taking commands', async () => {
    served = await serveSim();
    served.stdin.write('alarm one on\n');
    expect(await served.stderrLine(/^zoomsync serve --sim: /)).toMatch(/alarm takes N on\|off \(N from 1\), e\.g\. "alarm 1 on"; got "alarm one on"/);
    served.stdin.write('outputs\n');
    await served.stdoutLine(/alarm-out/);
  });
});
