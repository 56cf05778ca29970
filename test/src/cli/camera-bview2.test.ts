import { afterEach, describe, expect, it } from 'vitest';
import { Bview2Simulator } from '../../../hardware/sim/http/bview2-sim.js';
import { runCli } from '../../helpers/cli.js';

const sims: Bview2Simulator[] = [];
afterEach(async () => {
  while (sims.length) await sims.pop()!.close();
});

async function run(args: string[]) {
  const sim = sims[0] ?? (await Bview2Simulator.start({ model: 'BV-ZB30', firmware: 'V2.1.8' }));
  if (!sims.length) sims.push(sim);
  const result = await runCli(['camera', '--dialect', 'bview2', '--url', sim.url, '--user', 'admin', ...args], { env: { ZOOMSYNC_PASSWORD: 'admin' } });
  return { code: result.code, out: result.stdout, err: result.stderr, sim };
}

describe('zoomsync camera --dialect bview2', () => {
  it('prints the device information and sets the OSD through openCamera', async () => {
    const info = await run(['info']);
    expect(info.code).toBe(0);
    expect(info.out).toMatch(/^model: BV-ZB30\nfirmware: V2\.1\.8\n/);
    const osd = await run(['osd', 'set', 'time=bottom-right']);
    expect(osd.code).toBe(0);
    expect(osd.sim.osd.time).toMatchObject({ Enable: true, PosX: 480, PosY: 528 });
  });

  it('says in one line that absolute lens positions are not offered, without calling the camera', async () => {
    const r = await run(['zoom-to', '10']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/zoom-to is not supported by bview2/);
    expect(r.sim.server.stats.requests).toBe(0);
  });

  it('reaches a documented resource with raw and an XML object body', async () => {
    const r = await run(['raw', 'PUT', '/Images/1/Exposure', '{"Exposure":{"Gain":"18dB"}}']);
    expect(r.code).toBe(0);
    expect(r.sim.exposure.Gain).toBe('18dB');
  });
});
