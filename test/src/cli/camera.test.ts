import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFirmwareImage, Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
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
    for (const args of [['zoom-to'], ['zoom-to', 'far'], ['focus-mode', 'sharp'], ['one-push', '1,2,3'], ['one-push', '5,0,4,15'], ['osd', 'set', 'time=middle'], ['ip', 'set', 'mtu=1500'], ['factory-default', '--keep', 'cats'], ['warp'], []]) {
      const result = await run(args, {});
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(sims[0]!.server.stats.requests).toBe(0);
  });
});
