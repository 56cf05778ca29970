/** `zoomsync serve`: the real CLI in a child process (signals) and in-process (exit codes, one-line errors). */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineHolder } from '../../../hardware/serial/line-control.js';
import { PtyPair } from '../../../hardware/sim/pty-pair.js';
import { SimulatedBus } from '../../../hardware/sim/sim-bus.js';
import { runCli } from '../../helpers/cli.js';
import { frameAfter, kindOf } from '../api/support/frames.js';
import { type BuiltCli, buildCli, spawnCli } from './spawned-cli.js';

const rigYaml = (port: string) => `lines:\n  - { name: bus1, port: ${port} }\nblocks:\n  - name: left\n    line: bus1\n    address: 1\n`;

describe('zoomsync serve', () => {
  let dir: string;
  let pair: PtyPair;
  let sim: SimulatedBus;
  let config: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-serve-'));
    pair = await PtyPair.open();
    sim = await SimulatedBus.open(pair.devicePath, { baudRate: 9600 });
    sim.addBlock({ address: 1 });
    config = join(dir, 'rig.yaml');
    await writeFile(config, rigYaml(pair.controllerPath));
  });
  afterAll(async () => {
    await sim?.close();
    await pair?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('as a process', () => {
    let cli: BuiltCli;
    beforeAll(async () => {
      cli = await buildCli();
    }, 60_000);
    afterAll(() => cli?.remove());

    it('SIGTERM: the moving block gets a stop on the wire, then the process exits 0', async () => {
      const serve = spawnCli(cli, ['serve', '--config', config, '--listen', '127.0.0.1:0']);
      const listening = await serve.stderrLine(/listening on/);
      const url = JSON.parse(listening).url as string;
      const tokens = join(dir, 'rig.tokens.json');
      expect((await stat(tokens)).mode & 0o777).toBe(0o600);
      const admin = JSON.parse(await readFile(tokens, 'utf8')).tokens.find((t: { role: string }) => t.role === 'admin').token as string;
      expect(serve.stderr()).not.toContain(admin);

      // the service holds the port and serves its control socket: `zoomsync stop` from another shell goes through it
      const holder = await LineHolder.connect(pair.controllerPath, { XDG_RUNTIME_DIR: cli.runtimeDir });
      expect(holder?.describe()).toBe(`pid ${serve.child.pid} (zoomsync service)`);
      const before = sim.received.length;
      expect(await holder!.requestStop(1)).toEqual([1]);
      await frameAfter(sim, before, kindOf(1, 'stop'));
      holder!.close();

      const from = sim.received.length;
      // an absolute move: no lease, so nothing but the shutdown will stop it
      const moved = await fetch(`${url}/api/blocks/left/position`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ zoom: 1000 }) });
      expect(moved.status, await moved.text()).toBe(200);
      await frameAfter(sim, from, kindOf(1, 'set-zoom'));
      serve.child.kill('SIGTERM');
      await frameAfter(sim, from, kindOf(1, 'stop'));
      expect(await serve.exited).toBe(0);
      expect(serve.stderr()).toMatch(/shutting down/);
    });
  });

  describe('in-process', () => {
    it('a rig file with mistakes exits 2 and lists every problem', async () => {
      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, 'lines:\n  - { name: bus1, port: /dev/null, baud: 7 }\nblocks:\n  - { name: left, line: nowhere, address: 1 }\n');
      const run = await runCli(['serve', '--config', bad]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/has 2 problems/);
      expect(run.stderr).toMatch(/baud/);
      expect(run.stderr).toMatch(/nowhere/);
    });

    it('a camera password that cannot be read exits 2 naming where it should come from', async () => {
      const noPassword = join(dir, 'no-password.yaml');
      await writeFile(noPassword, rigYaml(pair.controllerPath) + '    http: { url: "http://127.0.0.1:9", user: admin, passwordEnv: ZS_TEST_NO_SUCH_PASSWORD }\n');
      const run = await runCli(['serve', '--config', noPassword, '--listen', '127.0.0.1:0'], { env: {} });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/has 1 problem:/);
      expect(run.stderr).toMatch(/ZS_TEST_NO_SUCH_PASSWORD/);
    });

    it('a missing serial device is one line with its code, not a stack', async () => {
      const missing = join(dir, 'missing.yaml');
      await writeFile(missing, rigYaml(join(dir, 'no-such-tty')));
      const run = await runCli(['serve', '--config', missing, '--listen', '127.0.0.1:0']);
      expect(run.code).toBe(1);
      const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^zoomsync serve: .*\[ZS_PORT_NOT_FOUND\]$/);
    });

    it('a busy listen port is one line saying what to do, and the rig is closed again', async () => {
      const blocker: Server = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      try {
        const from = sim.received.length;
        const run = await runCli(['serve', '--config', config, '--listen', `127.0.0.1:${port}`]);
        expect(run.code).toBe(1);
        const lines = run.stderr.trim().split('\n').filter((l) => !l.startsWith('{'));
        expect(lines).toEqual([`zoomsync serve: cannot listen on 127.0.0.1:${port}: the port is in use (another zoomsync serve?); choose another with --listen HOST:PORT`]);
        // closing the rig stopped the block on its way out
        await frameAfter(sim, from, kindOf(1, 'stop'));
      } finally {
        blocker.close();
      }
    });

    it('--listen that is not HOST:PORT is a usage error (exit 2)', async () => {
      const run = await runCli(['serve', '--config', config, '--listen', 'localhost']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not HOST:PORT/);
    });
  });
});
