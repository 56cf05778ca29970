import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('zoomsync config check', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'zs-config-cli-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the lines, blocks and groups of a good file and exits 0', async () => {
    const run = await runCli(['config', 'check', 'examples/rig.yaml']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('examples/rig.yaml: OK, 2 lines, 2 blocks, 1 group');
    expect(lines).toContain('  sim1  /tmp/zoomsync-sim/block1  9600 baud  direction auto');
    expect(lines.find((l) => l.startsWith('  left '))).toMatch(/^ {2}left +sim1 #1 +PELCO-D +sz-g10 +zoom 0–900 +calibrated 1x–10x +http szg10 http:\/\/127\.0\.0\.1:8080 user admin, password from \$ZOOMSYNC_SIM_PASSWORD$/);
    expect(lines.find((l) => l.startsWith('  rig '))).toMatch(/left \(leader\), right +track 20 Hz, deadband 2$/);
    expect(lines.length).toBeLessThanOrEqual(24); // one screen
  });

  it('lists every problem as FILE:LINE:COLUMN: path: message and exits 2', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      `lines:
  - { name: bus1, port: /dev/ttyUSB0, baud: 300 }
blocks:
  - { name: left, line: bus9, address: 1 }
groups:
  - { name: rig, members: [left, ghost], leader: right }
`,
    );
    const run = await runCli(['config', 'check', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `${file} has 4 problems:`,
      `  ${file}:2:39: lines.0.baud: out of range (got 300, expected an integer 1200–115200)`,
      `  ${file}:4:19: blocks.0.line: unknown line (got "bus9", expected one of: bus1)`,
      `  ${file}:6:34: groups.0.members.1: unknown block (got "ghost", expected one of: left)`,
      `  ${file}:6:42: groups.0.leader: not a member of the group (got "right", expected one of: left)`,
    ]);
  });

  it('exits 2 for a file that is not there', async () => {
    const run = await runCli(['config', 'check', join(dir, 'none.yaml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/none\.yaml: cannot be read: no such file/);
  });

  it('with --passwords reads every password without printing it, and exits 2 when one is missing or too open', async () => {
    const pw = join(dir, 'right.pw');
    await writeFile(pw, 'hunter2\n');
    await chmod(pw, 0o644);
    const file = join(dir, 'rig.yaml');
    await writeFile(
      file,
      `lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks:
  - { name: left, line: bus1, address: 1, http: { url: "http://127.0.0.1:8080", user: admin, passwordEnv: LEFT_PW } }
  - { name: right, line: bus1, address: 2, http: { url: "http://127.0.0.1:8081", user: admin, passwordFile: right.pw } }
`,
    );
    const bad = await runCli(['config', 'check', '--passwords', file], { env: {} });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/blocks\.0\.http\.passwordEnv: environment variable LEFT_PW is not set/);
    expect(bad.stderr).toMatch(/blocks\.1\.http\.passwordFile: .*right\.pw" can be read by others \(got mode 0644/);
    expect(bad.stderr).not.toContain('hunter2');

    await chmod(pw, 0o600);
    const good = await runCli(['config', 'check', '--passwords', file], { env: { LEFT_PW: 'topsecret' } });
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/passwords: all 2 found \(not shown\)/);
    expect(good.stdout + good.stderr).not.toMatch(/topsecret|hunter2/);
    // without --passwords nothing is read: the check passes on a machine without the secrets
    expect((await runCli(['config', 'check', file], { env: {} })).code).toBe(0);
  });

  it.each([
    [['config'], /say what to do: config check FILE, or config schema/],
    [['config', 'check'], /check needs the rig file/],
    [['config', 'check', 'a.yaml', 'b.yaml'], /check takes one file, got 2/],
    [['config', 'lint', 'a.yaml'], /unknown config action "lint"; the actions are: check, schema/],
    [['config', 'schema', 'x'], /schema takes no arguments/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('is listed in zoomsync --help', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}config +check a rig file/m);
  });
});
