import { afterEach, describe, expect, it } from 'vitest';
import { CgiActionSimulator } from '../../../hardware/sim/http/cgi-action-sim.js';
import { JsonApiSimulator, type JsonApiSimOptions } from '../../../hardware/sim/http/json-api-sim.js';
import { Szg10Simulator } from '../../../hardware/sim/http/szg10-sim.js';
import { DIALECT_REGISTRY } from '../../../src/devices/http/registry.js';
import { CAMERA_VERB_NAMES, dialectsWithVerb } from '../../../src/cli/camera-verbs.js';
import { runCli } from '../../helpers/cli.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function jsonApi(options: JsonApiSimOptions = {}) {
  const sim = await JsonApiSimulator.start(options);
  closers.push(() => sim.close());
  return sim;
}
async function cgiAction() {
  const sim = await CgiActionSimulator.start();
  closers.push(() => sim.close());
  return sim;
}

/** `zoomsync camera --url URL --dialect D --user admin ARGS`, the password in the environment unless `password` is null. */
function camera(url: string, dialect: string, args: string[], password: string | null) {
  return runCli(['camera', '--url', url, '--dialect', dialect, '--user', 'admin', ...args], { env: password === null ? {} : { ZOOMSYNC_PASSWORD: password } });
}

const jsonApiRequests = (sim: JsonApiSimulator) => sim.counters.logins + [...sim.counters.commands.values()].reduce((a, b) => a + b, 0);

describe('zoomsync camera --dialect', () => {
  it('help lists every registry dialect and, per action, the dialects whose capabilities have it', async () => {
    const { code, stdout } = await runCli(['camera', '--help']);
    expect(code).toBe(0);
    for (const d of DIALECT_REGISTRY) expect(stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^  ${d.name} +${d.summary.replace(/[()[\]{}.*+?^$|\\]/g, '\\$&')}$`)));
    const byAction = stdout.slice(stdout.indexOf('Actions by dialect:'));
    for (const verb of CAMERA_VERB_NAMES) expect(byAction).toMatch(new RegExp(`^  ${verb} +${dialectsWithVerb(verb).join(', ')}$`, 'm'));
    expect(dialectsWithVerb('zoom-to')).toEqual(DIALECT_REGISTRY.filter((d) => d.capabilities.includes('lens')).map((d) => d.name));
    expect(dialectsWithVerb('serial')).toEqual(expect.arrayContaining(['json-api', 'cgi-action']));
    expect(dialectsWithVerb('serial')).not.toContain('szg10');
  });

  it('refuses an action the dialect lacks (exit 2, NotSupported) before the password is asked or a request is sent', async () => {
    const sim = await cgiAction();
    // No password anywhere: had the CLI got as far as asking, it would fail on that instead.
    const r = await camera(sim.url, 'cgi-action', ['zoom-to', '100'], null);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/zoom-to is not supported by cgi-action; dialects with zoom-to: szg10, json-api/);
    expect(sim.counters.authChecks).toBe(0);
    const s = await Szg10Simulator.start();
    closers.push(() => s.close());
    const serial = await camera(s.url, 'szg10', ['serial'], null);
    expect(serial.code).toBe(2);
    expect(serial.stderr).toMatch(/serial is not supported by szg10/);
    expect(s.counters.logins).toBe(0);
  });

  it('a json-api camera whose GetAbility lacks the lens refuses lens itself (exit 2), after asking, without moving anything', async () => {
    const sim = await jsonApi({ profile: 'fixed' });
    const r = await camera(sim.url, 'json-api', ['zoom-to', '10'], 'admin');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not supported by this camera \(json-api/);
    expect(sim.counters.commands.get('StartZoomFocus') ?? 0).toBe(0);
  });

  it('runs the common actions on json-api and cgi-action cameras', async () => {
    const j = await jsonApi();
    const info = await camera(j.url, 'json-api', ['info', '--json'], 'admin');
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ model: 'RLC-823A 16X' });
    const c = await cgiAction();
    const osd = await camera(c.url, 'cgi-action', ['osd'], '123456');
    expect(osd.code).toBe(0);
    expect(osd.stdout).toMatch(/: /);
  });

  it('osd set takes the centre places a dialect has (cgi-action) and the camera draws there; szg10 refuses them', async () => {
    const c = await cgiAction();
    const r = await camera(c.url, 'cgi-action', ['osd', 'set', 'time=top-center'], '123456');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^time: top-center$/m);
    const s = await Szg10Simulator.start();
    closers.push(() => s.close());
    const refused = await camera(s.url, 'szg10', ['osd', 'set', 'time=top-center'], 'admin');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/top-center/);
  });

  it('an unknown dialect is a usage error listing the registry', async () => {
    const r = await runCli(['camera', '--url', 'http://127.0.0.1:9', '--dialect', 'onvif', '--user', 'admin', 'info']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`known: ${DIALECT_REGISTRY.map((d) => d.name).join(', ')}`);
  });
});

describe('zoomsync camera serial', () => {
  it('reads the json-api port and sets it after --yes; the camera keeps what was sent', async () => {
    const sim = await jsonApi();
    const get = await camera(sim.url, 'json-api', ['serial'], 'admin');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^baud: \d+$/m);
    expect(get.stdout).toMatch(/^protocol: pelco-[dp]$/m);
    const set = await camera(sim.url, 'json-api', ['serial', 'set', 'baud=2400', 'protocol=pelco-p', 'address=7', '--yes'], 'admin');
    expect(set.code).toBe(0);
    expect(sim.serial).toMatchObject({ baudRate: 2400, ctrlProtocol: 'PELCO_P', ctrlAddr: 7 });
    expect(set.stdout).toMatch(/^address: 7$/m);
  });

  it('serial set without --yes off a terminal is refused and sends nothing', async () => {
    const sim = await jsonApi();
    const before = { ...sim.serial };
    const r = await camera(sim.url, 'json-api', ['serial', 'set', 'baud=2400'], 'admin');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs confirmation: add --yes/);
    expect(sim.serial).toEqual(before);
    expect(jsonApiRequests(sim)).toBe(0);
  });

  it('a value the dialect refuses is exit 2 before the password is asked (json-api baud 115200, cgi-action address)', async () => {
    const j = await jsonApi();
    const baud = await camera(j.url, 'json-api', ['serial', 'set', 'baud=115200', '--yes'], null);
    expect(baud.code).toBe(2);
    expect(baud.stderr).toMatch(/baud 115200 .*out of range/);
    expect(jsonApiRequests(j)).toBe(0);
    const c = await cgiAction();
    const address = await camera(c.url, 'cgi-action', ['serial', 'set', 'address=3', '--yes'], null);
    expect(address.code).toBe(2);
    expect(address.stderr).toMatch(/setting the serial address is not supported by cgi_action/);
    const key = await camera(c.url, 'cgi-action', ['serial', 'set', 'speed=9600', '--yes'], null);
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/unknown key "speed"/);
    expect(c.counters.authChecks).toBe(0);
  });

  it('sets the cgi-action port (baud, ptz-lock) and reads it back', async () => {
    const sim = await cgiAction();
    const r = await camera(sim.url, 'cgi-action', ['serial', 'set', 'baud=4800', 'ptz-lock=on', '--yes'], '123456');
    expect(r.code).toBe(0);
    expect(sim.peripheral).toMatchObject({ baudrate: 4800, PTZ_Lock: 1 });
    expect(r.stdout).toMatch(/^ptz-lock: on$/m);
  });

  it('--match-line prints each difference between the camera port and the line, and what the camera does not report', async () => {
    const c = await cgiAction();
    const r = await camera(c.url, 'cgi-action', ['serial', '--match-line', 'baud=2400,parity=none,address=1'], '123456');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mismatch: baud 9600 on the camera, 2400 on the line$/m);
    expect(r.stdout).toMatch(/^mismatch: address: the camera does not report it \(wanted 1\)$/m);
    expect(r.stdout).not.toMatch(/mismatch: parity/);
    const j = await jsonApi();
    const port = JSON.parse((await camera(j.url, 'json-api', ['serial', '--json'], 'admin')).stdout) as { baud: number; protocol: string; address: number };
    const same = await camera(j.url, 'json-api', ['serial', 'get', '--json', '--match-line', `baud=${port.baud},protocol=${port.protocol},address=${port.address}`], 'admin');
    expect(JSON.parse(same.stdout)).toMatchObject({ mismatches: [] });
  });

  it('--match-line is refused with serial set and with a malformed spec', async () => {
    const j = await jsonApi();
    expect((await camera(j.url, 'json-api', ['serial', 'set', 'baud=2400', '--match-line', 'baud=2400', '--yes'], null)).stderr).toMatch(/--match-line only applies to serial get/);
    expect((await camera(j.url, 'json-api', ['serial', '--match-line', '2400'], null)).stderr).toMatch(/--match-line takes KEY=VALUE/);
    expect(jsonApiRequests(j)).toBe(0);
  });
});
