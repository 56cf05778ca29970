/** The control socket protocol on its own: a real Unix socket, a stopper that records. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { controlSocketPath, LineControlServer, LineHolder, type StopTarget } from '../../../hardware/serial/line-control.js';

describe('LineControlServer and LineHolder', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: LineControlServer | undefined;
  const stopped: number[] = [];
  const requests: StopTarget[] = [];
  const stopper = {
    stop: (address: number) => void stopped.push(address),
    stopAll: () => (stopped.push(7, 8), [7, 8]),
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-control-'));
    env = { XDG_RUNTIME_DIR: dir };
    stopped.length = requests.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('a client learns the holder pid and stops one camera or all of them through it', async () => {
    server = await LineControlServer.listen('/dev/ttyFAKE0', { what: 'service', stopper, env, onStopRequest: (t) => requests.push(t) });
    const holder = (await LineHolder.connect('/dev/ttyFAKE0', env))!;
    expect(holder.describe()).toBe(`pid ${process.pid} (zoomsync service)`);
    expect(await holder.requestStop(3)).toEqual([3]);
    expect(await holder.requestStop('all')).toEqual([7, 8]);
    expect(stopped).toEqual([3, 7, 8]);
    expect(requests).toEqual([3, 'all']);
    holder.close();
  });

  it("closing the server ends clients' connections (what --wait waits for) and removes the socket file", async () => {
    server = await LineControlServer.listen('/dev/ttyFAKE1', { what: 'send', stopper, env });
    const holder = (await LineHolder.connect('/dev/ttyFAKE1', env))!;
    await server.close();
    await holder.released;
    await expect(holder.requestStop(1)).rejects.toMatchObject({ code: 'ZS_LINE_WRITE_FAILED' });
    expect(await LineHolder.connect('/dev/ttyFAKE1', env)).toBeUndefined();
  });

  it('an unknown request gets an error line, and the holder stops nothing', async () => {
    server = await LineControlServer.listen('/dev/ttyFAKE2', { what: 'send', stopper, env });
    const socket = connect(await controlSocketPath('/dev/ttyFAKE2', env));
    socket.setEncoding('utf8');
    let text = '';
    const twoLines = new Promise<string[]>((resolve) =>
      socket.on('data', (chunk: string) => {
        text += chunk;
        const lines = text.split('\n');
        if (lines.length > 2) resolve(lines.slice(0, 2));
      }),
    );
    socket.write('halt 1\n');
    const [greeting, answer] = await twoLines;
    expect(greeting).toBe(`zoomsync ${process.pid} send`);
    expect(answer).toMatch(/^error unknown request "halt 1"/);
    expect(stopped).toEqual([]);
    socket.destroy();
  });

  it('a socket file left by a dead holder is refused to clients and replaced by the next holder', async () => {
    const path = await controlSocketPath('/dev/ttyFAKE3', env);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // A holder that dies by SIGKILL leaves its socket file behind (a clean close removes it).
    const dead = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await new Promise((resolve) => dead.once('exit', resolve));
    expect(existsSync(path)).toBe(true);
    expect(await LineHolder.connect('/dev/ttyFAKE3', env)).toBeUndefined();
    server = await LineControlServer.listen('/dev/ttyFAKE3', { what: 'service', stopper, env });
    const holder = (await LineHolder.connect('/dev/ttyFAKE3', env))!;
    expect(holder.what).toBe('service');
    holder.close();
  });

  it('rejects a holder name that would break the greeting line', async () => {
    await expect(LineControlServer.listen('/dev/ttyFAKE4', { what: 'two words', stopper, env })).rejects.toMatchObject({ code: 'ZS_INVALID_ARGUMENT' });
  });

  it('refuses a socket directory that other users can write (ZS_PORT_OPEN_FAILED naming it)', async () => {
    const socketDir = join(dir, 'zoomsync');
    await mkdir(socketDir, { mode: 0o700 });
    await chmod(socketDir, 0o777);
    await expect(LineControlServer.listen('/dev/ttyFAKE5', { what: 'send', stopper, env })).rejects.toMatchObject({ code: 'ZS_PORT_OPEN_FAILED' });
    await chmod(socketDir, 0o700);
    server = await LineControlServer.listen('/dev/ttyFAKE5', { what: 'send', stopper, env });
  });
});
