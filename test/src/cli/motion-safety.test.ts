/**
 * `send --for` against a simulated block on a real pty, run as the real executable: whatever
 * ends it short of SIGKILL, a stop reaches the block, and the exit code says it was cut short.
 */
import { constants } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { frameAt, isMove, isStop } from './sim-frames.js';
import { type BuiltCli, buildCli, spawnCli, suspended } from './spawned-cli.js';

describe('send --for over a real pty, as a real process', () => {
  let cli: BuiltCli;
  let pair: PtyPair | undefined;
  let sim: SimulatedBus | undefined;
  beforeAll(async () => {
    cli = await buildCli();
  });
  afterAll(() => cli.remove());
  afterEach(async () => {
    await sim?.close();
    await pair?.close();
    sim = pair = undefined;
  });

  async function simulatedBlock(): Promise<{ port: string; sim: SimulatedBus }> {
    pair = await PtyPair.open();
    sim = await SimulatedBus.open(pair.devicePath);
    sim.addBlock({ address: 1, dialect: 'D' });
    return { port: pair.controllerPath, sim };
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) {
    it(`${signal} during the move: the stop reaches the block, exit ${128 + constants.signals[signal]}, stderr says a stop was sent`, async () => {
      const { port, sim } = await simulatedBlock();
      const send = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'pan-left', '32']);
      await frameAt(sim, isMove(1));
      send.child.kill(signal);
      await frameAt(sim, isStop(1));
      expect(await send.exited).toBe(128 + constants.signals[signal]);
      expect(send.stderr()).toMatch(new RegExp(`${signal}: sent a stop to camera 1`));
      expect(sim.received.map((f) => f.command.kind)).toEqual(['move', 'stop']);
    });
  }

  it('Ctrl-Z (SIGTSTP) stops the block before suspending, and on SIGCONT it stays stopped (exit 148)', async () => {
    const { port, sim } = await simulatedBlock();
    const send = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'zoom-tele']);
    await frameAt(sim, isMove(1));
    send.child.kill('SIGTSTP');
    await frameAt(sim, isStop(1));
    await send.stderrLine(/Ctrl-Z: sent a stop to camera 1 before suspending/);
    await suspended(send.child); // SIGCONT before the process has suspended would be lost
    send.child.kill('SIGCONT');
    expect(await send.exited).toBe(128 + constants.signals.SIGTSTP);
    expect(send.stderr()).toMatch(/resumed; camera 1 stays stopped/);
    expect(sim.received.filter((f) => f.command.kind === 'move')).toHaveLength(1); // motion never restarted
  });

  it('an error nobody caught (thrown in a listener) still sends the stop before the process exits 1', async () => {
    const { port, sim } = await simulatedBlock();
    // A preloaded module turns SIGUSR2 into an uncaught exception inside the running CLI.
    const fault = `data:text/javascript,process.on('SIGUSR2', () => { throw new Error('injected fault'); });`;
    const send = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'focus-far'], ['--import', fault]);
    await frameAt(sim, isMove(1));
    send.child.kill('SIGUSR2');
    await frameAt(sim, isStop(1));
    expect(await send.exited).toBe(1);
    expect(send.stderr()).toContain('injected fault');
    expect(send.stderr()).toMatch(/sent a stop before exiting/);
  });

  it('--for takes any command that starts motion, e.g. preset-goto, and ends it with a stop', async () => {
    const { port, sim } = await simulatedBlock();
    const send = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '20', 'preset-goto', '4']);
    expect(await send.exited).toBe(0);
    await frameAt(sim, isStop(1)); // the pty may deliver after the exit
    expect(sim.received.map((f) => f.command.kind)).toEqual(['preset-goto', 'stop']);
  });
});
