import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { makeFirmwareImage, Szg10Simulator, type Szg10UserPermission } from '../../../hardware/sim/http/szg10-sim.js';
import { runCli, startCli } from '../../helpers/cli.js';

const sims: Szg10Simulator[] = [];
afterEach(async () => {
  while (sims.length) await sims.pop()!.close();
});

async function run(args: string[], env?: Record<string, string>, stdinText?: string) {
  const sim = sims[0] ?? (await Szg10Simulator.start({ firmwareMsPerPercent: 1 }));
  if (!sims.length) sims.push(sim);
  const result = await runCli(['camera', '--url', sim.url, '--user', 'admin', ...args], { env: env ?? { ZOOMSYNC_PASSWORD: 'admin' }, stdin: stdinText });
  return { code: result.code, out: result.stdout, err: result.stderr, sim };
}

describe('zoomsync camera', () => {
  it('prints device information and the lens, or JSON with --json', async () => {
    const info = await run(['info']);
    expect(info.code).toBe(0);
    expect(info.out).toMatch(/^model: SZ-G10\nfirmware: 1\.0\.1\n/);
    const lens = await run(['lens', '--json']);
    expect(JSON.parse(lens.out)).toMatchObject({ zoom: 0, zoomMax: 1000, focusMax: 10000, focusMode: 'auto' });
  });

  it('moves the lens and changes focus settings', async () => {
    const zoom = await run(['zoom-to', '250']);
    const sim = zoom.sim;
    expect(zoom.out).toBe(`zoom: 250\nfocus: ${sim.lens.inFocusPosition(250)}\n`);
    expect((await run(['focus-mode', 'manual'])).out).toBe('focus mode: manual\n');
    expect(sim.lens.focusMode).toBe('manual');
    expect((await run(['focus-to', '4321'])).out).toBe('focus: 4321\n');
    expect((await run(['one-push', '3,3,12,12'])).code).toBe(0);
    expect(sim.roi).toEqual({ left: 3, top: 3, right: 12, bottom: 12 });
    expect((await run(['zoom-af', 'off'])).code).toBe(0);
    expect(sim.lens.zoomAfEnabled).toBe(false);
    expect(JSON.parse((await run(['home', '--json'])).out)).toEqual({ zoom: 0, focus: sim.lens.inFocusPosition(0) });
  });

  it('gets and sets the OSD and the IP setup', async () => {
    const osd = await run(['osd', 'set', 'time=bottom-right', 'title=hidden']);
    expect(osd.out).toBe('title: hidden\nresolution: top-left\ntime: bottom-right\n');
    const ip = await run(['ip', 'set', 'http=8080', 'address=10.9.8.7/24', 'gateway=10.9.8.1', 'dhcp=off', '--yes']);
    expect(ip.code).toBe(0);
    expect(ip.sim.ipSetup.port.http).toBe(8080);
    expect(ip.sim.ipSetup.ipv4).toMatchObject({ ipAddr: '10.9.8.7', subnet: '255.255.255.0', gateway: '10.9.8.1' });
    expect((await run(['ip'])).out).toContain('ports: http 8080, https 443, rtsp 554');
  });

  it('reboots and resets to factory defaults keeping chosen categories', async () => {
    expect((await run(['reboot', '--yes'])).sim.rebootCount).toBe(1);
    const reset = await run(['factory-default', '--keep', 'network,user', '--yes']);
    expect(reset.out).toBe('reset to factory defaults: system, event, camera, onvif, action\n');
    expect(reset.sim.lastFactoryDefault).toEqual(['system', 'event', 'camera', 'onvif', 'action']);
    const keepAll = await run(['factory-default', '--keep', 'user,system,network,event,camera,onvif,action', '--yes']);
    expect(keepAll.code).toBe(2);
    expect(keepAll.err).toMatch(/nothing would be reset/);
    expect(keepAll.sim.lastFactoryDefault).toEqual(['system', 'event', 'camera', 'onvif', 'action']); // unchanged
  });

  it('upgrades firmware with plain progress lines when not on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-fw-'));
    const file = join(dir, 'fw.bin');
    writeFileSync(file, makeFirmwareImage('7.7.7', 512 * 1024));
    const { code, out, err } = await run(['firmware', file, '--yes']);
    expect(code).toBe(0);
    expect(out).toBe('firmware upgraded to 7.7.7\n');
    expect(err).toMatch(/^upload \d+%\n/);
    expect(err).toContain('upload 100%');
    expect(err).not.toContain('\r');
  }, 15_000);

  it('takes the password from stdin with --password-stdin, and never from argv', async () => {
    const ok = await run(['--password-stdin', 'lens'], {}, 'admin\n');
    expect(ok.code).toBe(0);
    const missing = await run(['lens'], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/ZOOMSYNC_PASSWORD/);
    const onArgv = await run(['--password', 'admin', 'lens']);
    expect(onArgv.code).toBe(2);
    expect(onArgv.err).toMatch(/Unknown option '--password'/);
  });

  it('Ctrl-C during a call to a camera that hangs ends promptly with 130', async () => {
    const sim = await Szg10Simulator.start();
    sims.push(sim);
    sim.server.fault('/app/v1/camera/lens', { kind: 'delay', ms: 4000 });
    const running = startCli(['camera', '--url', sim.url, '--user', 'admin', '--timeout', '20000', 'lens'], { env: { ZOOMSYNC_PASSWORD: 'admin' } });
    while (sim.server.stats.requests < 2) await new Promise((r) => setTimeout(r, 10)); // login, then the lens call
    const t0 = Date.now();
    running.interrupt();
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('rejects bad arguments before asking for a password or touching the network', async () => {
    for (const args of [['ip', 'set', 'address=1.2.3'], ['firmware'], ['reboot', 'now'], ['reboot', '--keep', 'user'], ['lens', '--with-factory-reset'], ['zoom-to'], ['zoom-to', 'far'], ['focus-mode', 'sharp'], ['one-push', '1,2,3'], ['one-push', '5,0,4,15'], ['osd', 'set', 'time=middle'], ['ip', 'set', 'mtu=1500'], ['factory-default', '--keep', 'cats'], ['warp'], []]) {
      const result = await run(args, {});
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(sims[0]!.server.stats.requests).toBe(0);
  });

  it('refuses a bad camera URL or fingerprint before asking for a password', async () => {
    const cases: [string[], RegExp][] = [
      [["--url", "ftp://cam"], /starting with http:\/\/ or https:\/\//],
      [['--url', 'http://admin:pw@cam'], /not valid: expected a URL without a user or password/],
      [['--url', 'cam.local'], /not valid: expected a URL like http/],
      [['--url', 'https://cam', '--fingerprint', 'abcd'], /fingerprint .* expected a SHA-256/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(['camera', '--user', 'admin', ...args, 'lens'], { env: {} }); // no password: it must not be asked for
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('ip set refuses each mistake in the new settings with one line, before a password is asked or anything is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['address=10.0.0.300'], /address "10\.0\.0\.300" is not an IPv4 address; write four numbers/],
      [['address=127.0.0.5'], /loopback/],
      [['subnet=255.0.255.0'], /subnet 255\.0\.255\.0 is not a contiguous netmask.*255\.255\.255\.0/],
      [['subnet=/31'], /no room for a gateway/],
      [['address=10.0.0.5/24', 'gateway=10.0.1.1'], /gateway 10\.0\.1\.1 is outside the camera's subnet 10\.0\.0\.0\/24, so the camera could not reach it; write a gateway in 10\.0\.0\.1-10\.0\.0\.254/],
      [['address=10.0.0.5', 'subnet=255.255.255.0', 'gateway=10.0.0.255'], /gateway 10\.0\.0\.255 is the broadcast address/],
      [['address=10.0.0.0/24'], /address 10\.0\.0\.0 is the network address of 10\.0\.0\.0\/24/],
      [['address=10.0.0.5/24', 'subnet=/16'], /says netmask 255\.255\.255\.0 but subnet= says 255\.255\.0\.0/],
      [['dhcp=on', 'address=10.0.0.5'], /address has no effect with dhcp=on/],
      [['dns1=8.8.8'], /dns1 "8\.8\.8" is not an IPv4 address/],
      [['http=81'], /http port 81 is not allowed by the camera; write 80 or 1024-65535/],
      [['http=70000'], /http port "70000" is not a port number/],
      [['http=8080', 'rtsp=8080'], /http and rtsp would both use port 8080/],
      [['ipv6-address=fe80::5'], /link-local address, which the camera makes itself/],
      [['ipv6-address=2001:db8::5/129'], /prefix length "129" must be a number 1-128/],
      [['ipv6-gateway=fe80::1%eth0'], /has a zone/],
      [['address=10.0.0.5', 'address=10.0.0.6'], /address is given twice/],
    ];
    for (const [pairs, message] of cases) {
      const result = await run(['ip', 'set', ...pairs, '--yes', '--password-stdin'], {}, '');
      expect(result.code, pairs.join(' ')).toBe(2);
      expect(result.err, pairs.join(' ')).toMatch(message);
      expect(result.err.trim().split('\n'), pairs.join(' ')).toHaveLength(1);
    }
    expect(sims[0]!.server.stats.requests).toBe(0);
  });

  it("ip set checks the edits merged with the camera's current settings and sends nothing when they would cut it off", async () => {
    const result = await run(['ip', 'set', 'address=10.9.8.7', '--yes']); // the old gateway 192.168.0.1 is left outside 10.9.8.0/24
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/gateway 192\.168\.0\.1 is outside the camera's subnet 10\.9\.8\.0\/24.*nothing was changed/);
    expect(result.sim.ipSetup.ipv4.ipAddr).toBe('192.168.0.100');
  });

  it('ip set accepts a prefix-form netmask and IPv6 settings', async () => {
    const result = await run(['ip', 'set', 'subnet=/16', 'ipv6=on', 'ipv6-address=2001:db8:1::20/64', 'ipv6-gateway=fe80::1', '--yes']);
    expect(result.code, result.err).toBe(0);
    expect(result.sim.ipSetup.ipv4.subnet).toBe('255.255.0.0');
    expect(result.sim.ipSetup.ipv6).toMatchObject({ useType: 1, ipAddr: '2001:db8:1::20', prefixLength: 64, gateway: 'fe80::1' });
  });

  it('ip set, reboot, factory-default and firmware without a terminal need --yes, and send nothing without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-fw-'));
    const file = join(dir, 'fw.bin');
    writeFileSync(file, makeFirmwareImage('7.7.7', 1024));
    for (const args of [['ip', 'set', 'http=8080'], ['reboot'], ['factory-default'], ['firmware', file]]) {
      const result = await run(args, {}); // no password either: confirmation comes first
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err, args.join(' ')).toMatch(/needs confirmation: add --yes \(standard input is not a terminal/);
    }
    expect(sims[0]!.server.stats.requests).toBe(0);
    expect(sims[0]!.rebootCount).toBe(0);
  });

  it('refuses a firmware file that is missing, a directory, not a regular file, empty or over 64 MiB, before login', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zs-fw-'));
    const empty = join(dir, 'empty.bin');
    writeFileSync(empty, '');
    const huge = join(dir, 'huge.bin');
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 * 1024 + 1); // sparse: no disk used
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(dir, 'folder'));
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.bin'), /missing\.bin does not exist; check the path/],
      [join(dir, 'folder'), /folder is a directory; give the image file inside it/],
      [fifo, /fifo is not a regular file/],
      [empty, /empty\.bin is empty \(0 bytes\)/],
      [huge, /huge\.bin is 64\.0 MiB, over the 64\.0 MiB limit/],
    ];
    for (const [file, message] of cases) {
      const result = await run(['firmware', file, '--yes']);
      expect(result.code, file).toBe(2);
      expect(result.err, file).toMatch(message);
    }
    expect(sims[0]!.server.stats.requests).toBe(0);
  });

  // A password unlike the user name, so masking it cannot hide the user in the hint these tests read.
  const fwUser = { id: 'admin', password: 'fw-pass-1', permissions: ['setup', 'reboot', 'admin'] as Szg10UserPermission[] };
  function firmwareFile(size: number): string {
    const file = join(mkdtempSync(join(tmpdir(), 'zs-fw-')), 'fw.bin');
    writeFileSync(file, makeFirmwareImage('7.7.7', size));
    return file;
  }

  it('Ctrl-C during a firmware upgrade warns not to power the camera off, says how to check it, and leaves the upgrade running', async () => {
    const sim = await Szg10Simulator.start({ firmwareMsPerPercent: 500, users: [fwUser] });
    sims.push(sim);
    const env = { ZOOMSYNC_PASSWORD: fwUser.password };
    const running = startCli(['camera', '--url', sim.url, '--user', 'admin', '--yes', 'firmware', firmwareFile(64 * 1024)], { env });
    while (!/^upgrade /m.test(running.stderr())) await new Promise((r) => setTimeout(r, 10)); // the camera reports it is upgrading
    running.interrupt();
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/may still be upgrading its firmware: do NOT power it off.*'zoomsync camera --url http:\/\/127\.0\.0\.1:\d+\/ --user admin info'/);
    const state = await runCli(['camera', '--url', sim.url, '--user', 'admin', 'raw', 'GET', '/app/v1/system/firmware/upgradeState', '--json'], { env });
    expect(JSON.parse(state.stdout).body).toMatchObject({ result: 2 }); // still upgrading: nothing aborted it
  });

  it('Ctrl-C in the middle of the firmware upload says the camera keeps its firmware', async () => {
    // A camera that accepts the connection but never reads: the upload stops once the socket
    // buffers (a few MiB on loopback) are full, far short of the 48 MiB image.
    const sockets = new Set<Socket>();
    const stalled = createServer((socket) => {
      sockets.add(socket);
      socket.pause();
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const port = (stalled.address() as AddressInfo).port;
    try {
      const running = startCli(['camera', '--url', `http://127.0.0.1:${port}`, '--user', 'admin', '--yes', '--timeout', '60000', 'firmware', firmwareFile(48 * 1024 * 1024)], { env: { ZOOMSYNC_PASSWORD: fwUser.password } });
      while (!/^upload /m.test(running.stderr())) await new Promise((r) => setTimeout(r, 10));
      running.interrupt();
      const result = await running.done;
      expect(result.code).toBe(130);
      expect(result.stderr).not.toContain('upload 100%');
      expect(result.stderr).toMatch(/interrupted during the upload; the camera had not started upgrading and keeps its firmware/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => stalled.close(resolve));
    }
  }, 15_000);

  it('masks the password and its SHA-256 (either case) wherever they would be printed', async () => {
    const password = 'Hunter2-Zoom';
    const hash = createHash('sha256').update(password).digest('hex');
    const sim = await Szg10Simulator.start({ users: [{ id: 'operator', password, permissions: ['setup', 'reboot', 'admin'] }] });
    sims.push(sim);
    const camera = (...args: string[]) => runCli(['camera', '--url', sim.url, '--user', 'operator', ...args], { env: { ZOOMSYNC_PASSWORD: password } });
    for (const echo of [password, hash, hash.toUpperCase()]) {
      const result = await camera('raw', 'GET', `/app/v1/echo-${echo}`); // the 404 error names the path
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('/app/v1/echo-***');
      expect(result.stderr).not.toContain(echo);
    }
    const verbose = await camera('--verbose', 'raw', 'GET', `/app/v1/echo-${password}`); // the request log names the path too
    expect(verbose.stderr).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/app\/v1\/echo-\*\*\* -> 404/);
    expect(verbose.stderr).not.toContain(password);
  });

  it('an empty password is a usage error and nothing is sent', async () => {
    const fromEnv = await run(['lens'], { ZOOMSYNC_PASSWORD: '' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.err).toMatch(/the password from ZOOMSYNC_PASSWORD is empty/);
    const fromStdin = await run(['--password-stdin', 'lens'], {}, '\n');
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.err).toMatch(/password from the first line of standard input \(--password-stdin\) is empty/);
    expect(sims[0]!.server.stats.requests).toBe(0);
  });
});
