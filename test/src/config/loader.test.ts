import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../protocols/errors.js';
import { SZ_G10_PROFILE } from '../../../protocols/pelco/index.js';
import { formatConfigError, loadRigConfig, parseRigConfig, type RigProblem } from '../../../src/config/index.js';
import { serialLineOptions } from '../../../src/config/line-settings.js';

/** The problems a text gets, or a failure if it loads. */
function problemsOf(text: string): RigProblem[] {
  try {
    parseRigConfig(text, 'rig.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('ZS_CONFIG');
    return [...(error as ConfigError).problems];
  }
  throw new Error('the file loaded, but problems were expected');
}

const paths = (problems: RigProblem[]) => problems.map((p) => p.path);

const MINIMAL = `
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1 }]
`;

describe('the rig file', () => {
  it('examples/rig.yaml loads', async () => {
    const rig = await loadRigConfig('examples/rig.yaml');
    expect(rig.lines.map((l) => l.port)).toEqual(['/tmp/zoomsync-sim/block1', '/tmp/zoomsync-sim/block2']);
    expect(rig.blocks.map((b) => [b.name, b.line, b.address])).toEqual([
      ['left', 'sim1', 1],
      ['right', 'sim2', 2],
    ]);
    expect(rig.groups).toEqual([{ name: 'rig', members: ['left', 'right'], leader: 'left', track: { hz: 20, deadband: 2 } }]);
  });

  it('the issue\'s own example loads as written', () => {
    const rig = parseRigConfig(`
lines:
  - { name: bus1, port: /dev/ttyUSB0, baud: 9600, direction: auto }
  - { name: uart0, port: /dev/serial0, baud: 9600 }
blocks:
  - name: left
    line: bus1
    address: 1
    dialect: D            # D | P
    profile: sz-g10
    http: { url: http://192.0.2.10, dialect: szg10, user: admin, passwordEnv: LEFT_PW }
    limits: { zoom: [0, 900] }
    calibration: [[0, 1.0], [500, 3.2], [1000, 10.0]]   # raw zoom -> magnification
  - { name: right, line: uart0, address: 1, dialect: D, profile: sz-g10 }
groups:
  - { name: rig, members: [left, right], leader: left, track: { hz: 20, deadband: 2 } }
`);
    expect(rig.blocks[0]!.http).toEqual({ url: 'http://192.0.2.10', dialect: 'szg10', user: 'admin', password: { from: 'env', variable: 'LEFT_PW', at: 'blocks.0.http.passwordEnv' } });
    expect(rig.blocks[0]!.calibration).toEqual([
      [0, 1],
      [500, 3.2],
      [1000, 10],
    ]);
  });

  it('fills every default: dialect D, profile sz-g10, baud 9600, direction auto, zoom limits from the profile, leader first member', () => {
    const rig = parseRigConfig(MINIMAL + 'groups: [{ name: g, members: [left], track: {} }]\n');
    expect(rig.lines[0]).toEqual({ name: 'bus1', port: '/dev/ttyUSB0', baudRate: 9600, direction: 'auto', turnaroundMs: 0 });
    const block = rig.blocks[0]!;
    expect(block.pelcoDialect).toBe('D');
    expect(block.profile).toBe(SZ_G10_PROFILE);
    expect(block.limits.zoom).toEqual([0, 1000]);
    expect(block.http).toBeUndefined();
    expect(block.calibration).toBeUndefined();
    expect(rig.groups[0]).toEqual({ name: 'g', members: ['left'], leader: 'left', track: { hz: 10, deadband: 2 } });
    expect(Object.isFrozen(rig) && Object.isFrozen(rig.blocks) && Object.isFrozen(block.limits.zoom)).toBe(true);
  });

  it('takes the serial defaults from SerialLine itself: rts gets its turnaround default, and maps back to SerialLine options', () => {
    const rig = parseRigConfig(`
lines: [{ name: bus1, port: /dev/ttyUSB0, direction: rts }, { name: g, port: /dev/ttyS0, direction: gpio, turnaroundMs: 3, baud: 2400 }]
blocks: [{ name: left, line: bus1, address: 1 }]
`);
    expect(rig.lines[0]).toMatchObject({ direction: 'rts', turnaroundMs: 1 });
    expect(serialLineOptions(rig.lines[0]!)).toEqual({ path: '/dev/ttyUSB0', baudRate: 9600, direction: { mode: 'rts', turnaroundMs: 1 } });
    const setTransmit = () => {};
    expect(serialLineOptions(rig.lines[1]!, setTransmit)).toEqual({ path: '/dev/ttyS0', baudRate: 2400, direction: { mode: 'gpio', turnaroundMs: 3, setTransmit } });
  });

  it('reads a relative passwordFile from beside the rig file', () => {
    const rig = parseRigConfig(
      `
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: left, line: bus1, address: 1, http: { url: "https://cam:8443", user: admin, passwordFile: secrets/left.pw } }]
`,
      '/etc/zoomsync/rig.yaml',
    );
    expect(rig.blocks[0]!.http!.password).toEqual({ from: 'file', file: '/etc/zoomsync/secrets/left.pw', at: 'blocks.0.http.passwordFile' });
  });

  it('lets a block be in several groups that only move together', () => {
    const rig = parseRigConfig(`${MINIMAL.replace('blocks: [', 'blocks: [{ name: right, line: bus1, address: 2 }, ')}
groups:
  - { name: all, members: [left, right] }
  - { name: lefts, members: [left] }
  - { name: rig, members: [left, right], track: { hz: 20 } }
`);
    expect(rig.groups.map((g) => g.name)).toEqual(['all', 'lefts', 'rig']);
  });
});

describe('a rig file with mistakes', () => {
  // One file, one mistake of every kind; every one must be reported, with its path.
  const MANY_MISTAKES = `lines:
  - { name: bus1, port: /dev/ttyUSB0, baud: 9600, direction: auto }
  - { name: bus1, port: /dev/ttyUSB0, baud: 300, direction: sideways }
  - { name: uart0, port: /dev/serial0, baudrate: 9600, turnaroundMs: 5 }
  - { name: rs, port: /dev/ttyS1, direction: rts, turnaroundMs: 5000 }
blocks:
  - name: left
    line: bus1
    address: 1
    http: { url: "http://admin:pw@192.0.2.10", user: admin, password: hunter2 }
    limits: { zoom: [0, 1200] }
    calibration: [[0, 1.0], [500, 3.2], [400, 10.0]]
  - { name: right, line: bus9, address: 2, dialect: X, profile: sz-g11, adress: 3 }
  - { name: left, line: bus1, address: 1 }
  - { name: pee, line: uart0, address: 256, dialect: D }
  - { name: bcast, line: uart0, address: 255 }
  - { name: cal, line: uart0, address: 7, calibration: [[0, 1], [1500, 5]], limits: { zoom: [500, 100] } }
  - { name: f, line: uart0, address: 8, http: { url: "ftp://x", user: "", passwordEnv: 1BAD, passwordFile: /x } }
  - { name: m, line: uart0, address: 9, calibration: [[0, 2], [100, 2]] }
groups:
  - { name: rig, members: [left, right, ghost, right], leader: boss, track: { hz: 200, deadband: 2 } }
  - { name: right, members: [pee] }
  - { name: t1, members: [pee, bcast], track: {} }
  - { name: t2, members: [cal, bcast], track: {} }
  - { name: t3, members: [bcast, f], track: {} }
`;

  const expected: [path: string, what: RegExp][] = [
    ['lines.1.name', /duplicate line name \(got "bus1"/],
    ['lines.1.port', /port already used by line "bus1" \(lines\.0\)/],
    ['lines.1.baud', /out of range \(got 300, expected an integer 1200–115200\)/],
    ['lines.1.direction', /got "sideways", expected "auto", "rts", "gpio"/],
    ['lines.2.baudrate', /unknown key \(got "baudrate", expected one of: name, port, baud, direction, turnaroundMs\)/],
    ['lines.2.turnaroundMs', /no effect with direction auto/],
    ['lines.3.turnaroundMs', /refused by the serial line \(got 5000, expected a number 0–1000\)/],
    ['blocks.0.http', /no password source/],
    ['blocks.0.http.url', /carries a user or password/],
    ['blocks.0.http.password', /refused: a password is never written in the rig file: use passwordEnv/],
    ['blocks.0.limits.zoom.1', /outside the sz-g10 zoom range \(got 1200, expected 0–1000\)/],
    ['blocks.0.calibration.2.0', /raw zoom must increase .*got 400 after 500/],
    ['blocks.1.line', /unknown line \(got "bus9", expected one of: bus1, uart0, rs\)/],
    ['blocks.1.dialect', /got "X", expected "D" or "P"/],
    ['blocks.1.profile', /got "sz-g11", expected "generic", "sz-g10"/],
    ['blocks.1.adress', /unknown key .*did you mean "address"\?/],
    ['blocks.2.name', /duplicate block name \(got "left"/],
    ['blocks.2.address', /address taken on line "bus1" by block "left" \(blocks\.0\) \(got 1/],
    ['blocks.3.address', /out of range for PELCO-D with profile sz-g10 \(got 256, expected .*255/],
    ['blocks.4.address', /255 is the broadcast address with profile sz-g10.*expected 1–254/],
    ['blocks.5.calibration.1.0', /outside the sz-g10 zoom range \(got 1500/],
    ['blocks.5.limits.zoom', /lowest is not below highest \(got \[500,100\]/],
    ['blocks.6.http', /two password sources/],
    ['blocks.6.http.url', /got "ftp:\/\/x", expected an http:\/\/ or https:\/\/ URL/],
    ['blocks.6.http.user', /too short \(got "", expected a user name\)/],
    ['blocks.6.http.passwordEnv', /got "1BAD", expected an environment variable name/],
    ['blocks.7.calibration.1.1', /magnification must increase .*got 2 after 2/],
    ['groups.0.members.2', /unknown block \(got "ghost"/],
    ['groups.0.members.3', /listed twice \(got "right"/],
    ['groups.0.leader', /not a member of the group \(got "boss", expected one of: left, right\)/],
    ['groups.0.track.hz', /out of range \(got 200, expected a number 1–50\)/],
    ['groups.1.name', /name already used by block \(got "right"/],
    ['groups.3.members.1', /"bcast" already follows "pee" in groups\.2/],
    ['groups.4.members.0', /leader follows another block \(got "bcast"/],
  ];

  it('lists every problem of every kind, each at its path, in file order', () => {
    const problems = problemsOf(MANY_MISTAKES);
    expect(paths(problems).sort()).toEqual(expected.map(([path]) => path).sort());
    for (const [path, what] of expected) expect(problems.find((p) => p.path === path)!.message).toMatch(what);
    const lines = problems.map((p) => p.line!);
    expect(lines.every((line) => line >= 1)).toBe(true);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('puts each problem at the line and column of its key', () => {
    const problems = problemsOf(MANY_MISTAKES);
    const at = (path: string) => problems.find((p) => p.path === path)!;
    expect(at('lines.1.baud')).toMatchObject({ line: 3, column: 39 });
    expect(at('blocks.0.http.password')).toMatchObject({ line: 10 });
    expect(at('groups.0.leader')).toMatchObject({ line: 21 });
  });

  it('never repeats a password written into the file', () => {
    const error = (() => {
      try {
        parseRigConfig(MANY_MISTAKES, 'rig.yaml');
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).not.toContain('hunter2');
    expect(formatConfigError(error).join('\n')).not.toContain('hunter2');
    expect(formatConfigError(error)).toContain('rig.yaml:3:39: lines.1.baud: out of range (got 300, expected an integer 1200–115200)');
  });

  it('refuses a password key wherever it is written, with the advice', () => {
    const problems = problemsOf(MINIMAL.replace('address: 1', 'address: 1, password: s3cret'));
    expect(problems).toEqual([expect.objectContaining({ path: 'blocks.0.password', message: expect.stringMatching(/^refused: .*passwordEnv: NAME .* passwordFile: PATH/) })]);
    expect(JSON.stringify(problems)).not.toContain('s3cret');
  });

  it('reports YAML syntax errors with line and column, and nothing invented after them', () => {
    const problems = problemsOf('lines:\n  - { name: bus1, port: /dev/ttyUSB0\nblocks: []\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ path: '', line: expect.any(Number), column: expect.any(Number) });
    expect(problems.every((p) => p.message.startsWith('YAML: '))).toBe(true);
  });

  it('reports a key written twice in one mapping', () => {
    const problems = problemsOf(MINIMAL.replace('address: 1', 'address: 1, address: 2'));
    expect(problems).toEqual([expect.objectContaining({ path: '', line: 3, message: expect.stringContaining('DUPLICATE_KEY') })]);
  });

  it('says what a file needs when it is empty, or a list is empty', () => {
    expect(problemsOf('')).toEqual([expect.objectContaining({ path: '', message: expect.stringMatching(/missing \(expected a mapping with lines:, blocks:/) })]);
    expect(paths(problemsOf('lines: []\nblocks: []\n'))).toEqual(['lines', 'blocks']);
    expect(problemsOf('lines: []\nblocks: []\n')[0]!.message).toMatch(/too few entries \(got 0, expected at least one line\)/);
  });

  it('a wrong value is reported once, without invented follow-ups elsewhere', () => {
    // the line's baud is wrong: its blocks still find it by name
    const problems = problemsOf(MINIMAL.replace('port: /dev/ttyUSB0', 'port: /dev/ttyUSB0, baud: fast'));
    expect(problems).toEqual([expect.objectContaining({ path: 'lines.0.baud', message: 'wrong type (got "fast", expected an integer 1200–115200)' })]);
  });

  it('a wrong direction is one problem: turnaroundMs is not blamed for it', () => {
    const problems = problemsOf(MINIMAL.replace('port: /dev/ttyUSB0', 'port: /dev/ttyUSB0, direction: RTS, turnaroundMs: 2'));
    expect(paths(problems)).toEqual(['lines.0.direction']);
  });

  it('a missing key says what belongs there', () => {
    const problems = problemsOf(MINIMAL.replace('address: 1', 'dialect: P'));
    expect(problems).toEqual([expect.objectContaining({ path: 'blocks.0.address', message: 'missing (expected an integer 1–256)' })]);
  });

  it('refuses a loop and a chain between tracking groups', () => {
    const rig = (groups: string) => `
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: a, line: bus1, address: 1 }, { name: b, line: bus1, address: 2 }, { name: c, line: bus1, address: 3 }]
groups:
${groups}`;
    // a loop: each leader follows the other's leader
    expect(paths(problemsOf(rig('  - { name: g1, members: [a, b], track: {} }\n  - { name: g2, members: [b, a], track: {} }\n')))).toEqual(['groups.0.members.0', 'groups.1.members.0']);
    // a chain: c follows b, which follows a
    expect(paths(problemsOf(rig('  - { name: g1, members: [a, b], track: {} }\n  - { name: g2, members: [c, b], leader: b, track: {} }\n')))).toEqual(['groups.1.leader']);
  });

  it('points a second leader at the member as written, even after a member listed twice', () => {
    const problems = problemsOf(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks: [{ name: a, line: bus1, address: 1 }, { name: b, line: bus1, address: 2 }, { name: c, line: bus1, address: 3 }]
groups:
  - { name: g1, members: [a, b], track: {} }
  - { name: g2, members: [c, c, b], track: {} }
`);
    expect(paths(problems)).toEqual(['groups.1.members.1', 'groups.1.members.2']);
    expect(problems[1]!.message).toMatch(/"b" already follows "a" in groups\.0/);
  });

  it('accepts 255 as a camera under the generic profile, where it is not broadcast', () => {
    expect(() => parseRigConfig(MINIMAL.replace('address: 1', 'address: 255, profile: generic'))).not.toThrow();
    expect(paths(problemsOf(MINIMAL.replace('address: 1', 'address: 255')))).toEqual(['blocks.0.address']);
  });

  it('checks limits against the profile the block has: generic reaches 65535', () => {
    expect(() => parseRigConfig(MINIMAL.replace('address: 1', 'address: 1, profile: generic, limits: { zoom: [0, 60000] }'))).not.toThrow();
  });

  describe('files on disk', () => {
    let dir: string;
    beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'zs-config-'))));
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('names the file in the error, and a missing file is a problem too', async () => {
      const file = join(dir, 'bad.yaml');
      await writeFile(file, MINIMAL.replace('address: 1', 'address: 0'));
      await expect(loadRigConfig(file)).rejects.toMatchObject({ code: 'ZS_CONFIG', file, problems: [expect.objectContaining({ path: 'blocks.0.address' })] });
      await expect(loadRigConfig(join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'ZS_CONFIG', problems: [expect.objectContaining({ path: '', message: expect.stringMatching(/no such file/) })] });
    });
  });
});
