/**
 * `zoomsync do` as the real executable against a simulated block on a real pty: the signals a
 * shell sends end the move with a stop on the wire, and the exit code says which one came.
 */
import { constants } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameAt, isStop } from '../cli/sim-frames.js';
import { type BuiltCli, buildCli, spawnCli, suspended } from '../cli/spawned-cli.js';
import { openRigBench, type RigBench } from './rig-bench.js';

const RIG = `
lines: [{ name: bus1, port: $LINE0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
`;
const SLOW = { zoomTravelMs: [60000, 60000, 60000, 60000] } as const;

describe('zoomsync do as a real process', () => {
  let cli: BuiltCli;
  let bench: RigBench | undefined;
  beforeAll(async () => {
    cli = await buildCli();
  });
  afterAll(() => cli.remove());
  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });

  async function rigFile(): Promise<string> {
    bench = await openRigBench(1, [{ name: 'left', line: 0, address: 1, lens: SLOW }]);
    return bench.writeRig(RIG);
  }

  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} during a continuous move: the stop reaches the block, exit ${128 + constants.signals[signal]}`, async () => {
      const file = await rigFile();
      const run = spawnCli(cli, ['do', '--config', file, 'left', 'zoom-tele']);
      await run.stderrLine(/moves until Ctrl-C/);
      run.child.kill(signal);
      await frameAt(bench!.lines[0]!.sim, isStop(1));
      expect(await run.exited).toBe(128 + constants.signals[signal]);
      expect(run.stderr()).toMatch(new RegExp(`${signal}: sent a stop to block left`));
    });
  }

  it('SIGINT during an absolute move stops the block short of its target (exit 130)', async () => {
    const file = await rigFile();
    const run = spawnCli(cli, ['do', '--config', file, 'left', 'set-zoom', '1000']);
    await frameAt(bench!.lines[0]!.sim, (f) => f.command.kind === 'set-zoom');
    run.child.kill('SIGINT');
    await frameAt(bench!.lines[0]!.sim, isStop(1));
    expect(await run.exited).toBe(130);
    expect(bench!.block('left').lens.moving).toBe(false);
    expect(bench!.block('left').lens.zoom).toBeLessThan(1000);
  });

  it('Ctrl-Z (SIGTSTP) stops the block before suspending; on SIGCONT it stays stopped (exit 148)', async () => {
    const file = await rigFile();
    const run = spawnCli(cli, ['do', '--config', file, 'left', 'zoom-tele']);
    await run.stderrLine(/moves until Ctrl-C/);
    run.child.kill('SIGTSTP');
    await frameAt(bench!.lines[0]!.sim, isStop(1));
    await run.stderrLine(/Ctrl-Z: sent a stop to block left before suspending/);
    await suspended(run.child); // SIGCONT before the process has suspended would be lost
    run.child.kill('SIGCONT');
    expect(await run.exited).toBe(128 + constants.signals.SIGTSTP);
    expect(bench!.lines[0]!.sim.received.filter((f) => f.command.kind === 'move')).toHaveLength(1); // motion never restarted
  });
});
