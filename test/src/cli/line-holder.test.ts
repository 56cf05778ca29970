/**
 * One holder per port: `zoomsync stop` from another shell goes through the process that holds
 * the port, a second command fails with ZS_PORT_BUSY naming the holder or waits with --wait,
 * and a dead holder's socket file does not block anyone.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { controlSocketPath } from '../../../hardware/serial/line-control.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { runCli } from '../../helpers/cli.js';
import { frameAt, isMove, isStop } from './sim-frames.js';
import { type BuiltCli, buildCli, spawnCli } from './spawned-cli.js';

describe('holding a port: zoomsync stop, ZS_PORT_BUSY and --wait', () => {
  let cli: BuiltCli;
  let pair: PtyPair | undefined;
  let sim: SimulatedBus | undefined;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    cli = await buildCli();
    env = { XDG_RUNTIME_DIR: cli.runtimeDir };
  });
  afterAll(() => cli.remove());
  afterEach(async () => {
    await sim?.close();
    await pair?.close();
    sim = pair = undefined;
  });

  async function simulatedBlocks(): Promise<{ port: string; sim: SimulatedBus }> {
    pair = await PtyPair.open();
    sim = await SimulatedBus.open(pair.devicePath);
    sim.addBlock({ address: 1, dialect: 'D' });
    sim.addBlock({ address: 2, dialect: 'D' });
    return { port: pair.controllerPath, sim };
  }

  it('zoomsync stop --all reaches the block through the send that holds the port; that send ends with ZS_CANCELLED', async () => {
    const { port, sim } = await simulatedBlocks();
    const send = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'pan-right', '20']);
    await frameAt(sim, isMove(1));
    const stop = await runCli(['stop', '--port', port, '--all'], { env });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`through pid ${send.child.pid} (zoomsync send)`);
    await frameAt(sim, isStop(1));
    expect(await send.exited).toBe(1);
    expect(send.stderr()).toContain('ZS_CANCELLED');
  });

  it('zoomsync stop --address with no holder opens the port and writes the stop itself', async () => {
    const { port, sim } = await simulatedBlocks();
    const stop = await runCli(['stop', '--port', port, '--address', '2'], { env });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`sent FF 02 00 00 00 00 02 (stop) to ${port}\n`);
    await frameAt(sim, isStop(2));
  });

  it("a dead holder's socket file (SIGKILL) is detected: stop opens the port itself and removes the file", async () => {
    const { port, sim } = await simulatedBlocks();
    const send = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'tilt-up', '20']);
    await frameAt(sim, isMove(1));
    send.child.kill('SIGKILL');
    await send.exited;
    const socket = await controlSocketPath(port, env);
    expect(existsSync(socket)).toBe(true); // nobody removed it
    const stop = await runCli(['stop', '--port', port, '--address', '1'], { env });
    expect(stop.stderr).toBe('');
    expect(stop.code).toBe(0);
    await frameAt(sim, isStop(1));
    expect(existsSync(socket)).toBe(false);
  });

  it('without --wait a held port fails at once: exit 1, ZS_PORT_BUSY naming the holder pid and --wait', async () => {
    const { port, sim } = await simulatedBlocks();
    const holder = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'zoom-wide']);
    await frameAt(sim, isMove(1));
    const second = await runCli(['send', '--port', port, '--address', '2', 'preset-goto', '3'], { env });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('ZS_PORT_BUSY');
    expect(second.stderr).toContain(`pid ${holder.child.pid} (zoomsync send)`);
    expect(second.stderr).toMatch(/--wait MS.*zoomsync stop/);
    expect(sim.received.some((f) => f.address === 2)).toBe(false);
    holder.child.kill('SIGINT');
    expect(await holder.exited).toBe(130);
  });

  it('two sends at once with --wait both succeed, one after the other', async () => {
    const { port, sim } = await simulatedBlocks();
    // 8 s: long enough for the second process to start and find the port held, even on a busy machine.
    const first = spawnCli(cli, ['send', '--port', port, '--wait', '60000', '--address', '1', '--for', '8000', 'pan-left', '10']);
    await frameAt(sim, isMove(1));
    const second = spawnCli(cli, ['send', '--port', port, '--wait', '60000', '--address', '2', 'preset-goto', '3']);
    await second.stderrLine(new RegExp(`held by pid ${first.child.pid} \\(zoomsync send\\); waiting up to 60000 ms`));
    expect(await first.exited).toBe(0);
    expect(await second.exited).toBe(0);
    await frameAt(sim, (f) => f.address === 2 && f.command.kind === 'preset-goto'); // the pty may deliver after the exit
    expect(sim.received.map((f) => `${f.address} ${f.command.kind}`)).toEqual(['1 move', '1 stop', '2 preset-goto']);
  });

  it('query --wait waits for the holder too, then gets its answer through the scheduler', async () => {
    const { port, sim } = await simulatedBlocks();
    const holder = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'zoom-tele']);
    await frameAt(sim, isMove(1));
    const query = spawnCli(cli, ['query', '--port', port, '--wait', '60000', '--address', '2', 'zoom']);
    await query.stderrLine(/waiting up to 60000 ms/);
    expect((await runCli(['stop', '--port', port, '--address', '1'], { env })).code).toBe(0); // ends the holder early
    expect(await holder.exited).toBe(1);
    expect(await query.exited).toBe(0);
    expect(query.stdout()).toMatch(/^\d+\n$/);
    // The requested stop and the holder's own closing stop may be merged into one frame when both
    // are asked for before the first is written (repeated stops are merged while one waits).
    const heard = sim.received.map((f) => `${f.address} ${f.command.kind}`);
    expect(heard[0]).toBe('1 move');
    expect(heard.slice(1, -1).length).toBeGreaterThanOrEqual(1);
    expect(heard.slice(1, -1).every((f) => f === '1 stop')).toBe(true);
    expect(heard.at(-1)).toBe('2 query-zoom');
  });

  it('Ctrl-C while waiting for a held port ends the wait: ZS_INTERRUPTED, nothing sent', async () => {
    const { port, sim } = await simulatedBlocks();
    const holder = spawnCli(cli, ['send', '--port', port, '--address', '1', '--for', '600000', 'zoom-wide']);
    await frameAt(sim, isMove(1));
    const waiter = spawnCli(cli, ['send', '--port', port, '--wait', '600000', '--address', '2', 'preset-goto', '3']);
    await waiter.stderrLine(new RegExp(`held by pid ${holder.child.pid} \\(zoomsync send\\); waiting up to 600000 ms`));
    waiter.child.kill('SIGINT');
    expect(await waiter.exited).toBe(1);
    expect(waiter.stderr()).toContain('ZS_INTERRUPTED');
    holder.child.kill('SIGTERM');
    expect(await holder.exited).toBe(143);
    expect(sim.received.some((f) => f.address === 2)).toBe(false);
  });
});
