import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { controlSocketDir } from '../../hardware/serial/line-control.js';
import { stateFileFor } from '../../src/sync/preset-file.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UNIT_FILE = join(ROOT, 'deploy/zoomsync.service');
const unitText = await readFile(UNIT_FILE, 'utf8');
const unit = parseUnit(unitText);
const service = (key: string): string[] => unit.get('Service')?.get(key) ?? [];
const one = (key: string): string => {
  const values = service(key);
  expect(values, `[Service] ${key}= given once`).toHaveLength(1);
  return values[0]!;
};

/**
 * The parts of systemd's unit syntax the shipped file uses: [Section], Key=Value, # and ;
 * comments, a key given again adds a value. A continuation line (trailing backslash) is refused
 * rather than half-read.
 */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.endsWith('\\')) throw new Error(`line ${index + 1}: continuation lines are not parsed here`);
    const section = /^\[([A-Za-z]+)\]$/.exec(line);
    if (section) {
      current = sections.get(section[1]!) ?? new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!pair || !current) throw new Error(`line ${index + 1}: not Key=Value inside a section: ${raw}`);
    current.set(pair[1]!, [...(current.get(pair[1]!) ?? []), pair[2]!.trim()]);
  }
  return sections;
}

/** systemd time spans as the file may write them: "20", "20s", "1min 30s", "500ms". */
function seconds(span: string): number {
  const units: Record<string, number> = { '': 1, s: 1, sec: 1, min: 60, m: 60, ms: 0.001, h: 3600 };
  let total = 0;
  for (const part of span.split(/\s+/)) {
    const match = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(part);
    if (!match || units[match[2]!] === undefined) throw new Error(`not a time span: ${span}`);
    total += Number(match[1]) * units[match[2]!]!;
  }
  return total;
}

/** Environment= values as NAME -> value (one or more NAME=value words per line, unquoted). */
function environment(): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of service('Environment')) {
    for (const word of line.split(/\s+/)) {
      const eq = word.indexOf('=');
      env.set(word.slice(0, eq), word.slice(eq + 1));
    }
  }
  return env;
}

/** Containers and CI images without systemd skip the one check that needs it. */
const hasSystemdAnalyze = await run('systemd-analyze', ['--version']).then(
  () => true,
  () => false,
);

const execStart = one('ExecStart').split(/\s+/);
const configFile = execStart[execStart.indexOf('--config') + 1]!;

describe('deploy/zoomsync.service', () => {
  it('runs the globally installed zoomsync as `serve --config /etc/zoomsync/rig.yaml`', () => {
    expect(execStart[0]).toBe('/usr/local/bin/zoomsync'); // where `npm install -g --prefix /usr/local` puts it
    expect(execStart[1]).toBe('serve');
    expect(execStart).toContain('--config');
    expect(configFile).toBe('/etc/zoomsync/rig.yaml');
    expect(one('Type')).toBe('exec'); // a missing binary fails the start instead of "started, then died"
  });

  it('runs as the dedicated zoomsync user, with dialout for the serial ports', () => {
    expect(one('User')).toBe('zoomsync');
    expect(one('Group')).toBe('zoomsync');
    expect(one('SupplementaryGroups').split(/\s+/)).toContain('dialout');
    expect(service('PrivateUsers')).toEqual([]); // it would hide the dialout group that owns the devices
  });

  it('stops with SIGTERM and gives the stops at least 10 s before SIGKILL', () => {
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(seconds(one('TimeoutStopSec'))).toBeGreaterThanOrEqual(10);
    expect(service('KillMode')).not.toContain('none');
  });

  it('restarts after a failure but not after exit 2 (a bad rig or token file)', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('RestartPreventExitStatus').split(/\s+/)).toContain('2');
  });

  it('sets XDG_RUNTIME_DIR to its RuntimeDirectory, so the control sockets live in /run/zoomsync', () => {
    const runtimeDirectory = one('RuntimeDirectory');
    expect(runtimeDirectory).toBe('zoomsync');
    const runtime = environment().get('XDG_RUNTIME_DIR');
    expect(runtime).toBe(`/run/${runtimeDirectory}`);
    // where line-control.ts will put the sockets under that environment
    expect(controlSocketDir({ XDG_RUNTIME_DIR: runtime })).toBe('/run/zoomsync/zoomsync');
    expect(one('RuntimeDirectoryMode')).toBe('0700');
  });

  it('lets the service write the files serve keeps next to the rig file, and nothing else on disk', () => {
    expect(one('ProtectSystem')).toBe('strict');
    const writable = one('ReadWritePaths').split(/\s+/);
    // rig.state.json (group presets) and rig.tokens.json are both named from the rig file's folder
    expect(writable).toContain(dirname(stateFileFor(configFile)));
    expect(writable).toEqual(['/etc/zoomsync']);
  });

  it('is hardened without closing the serial devices', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(service('PrivateDevices')).toEqual([]); // would leave only /dev/null and friends
    expect(one('DevicePolicy')).toBe('closed');
    const allowed = service('DeviceAllow');
    for (const group of ['ttyAMA', 'ttyS', 'ttyUSB', 'ttyACM']) expect(allowed).toContain(`char-${group} rw`);
    expect(service('MemoryDenyWriteExecute')).toEqual([]); // V8's JIT needs it off
    expect(one('RestrictAddressFamilies').split(/\s+/)).toEqual(expect.arrayContaining(['AF_UNIX', 'AF_INET', 'AF_INET6']));
  });

  it('matches docs/raspberry-pi.md: the emergency stop command there uses the unit\'s user and runtime dir', async () => {
    const doc = await readFile(join(ROOT, 'docs/raspberry-pi.md'), 'utf8');
    expect(doc).toContain(`sudo -u ${one('User')} env XDG_RUNTIME_DIR=${environment().get('XDG_RUNTIME_DIR')} zoomsync stop`);
    expect(doc).toContain(one('ExecStart'));
  });

  describe('systemd-analyze verify', () => {
    let scratch: string | undefined;
    afterAll(() => (scratch ? rm(scratch, { recursive: true, force: true }) : undefined));

    it.skipIf(!hasSystemdAnalyze)('accepts the unit with no warning (ExecStart pointed at a stand-in binary)', async () => {
      // verify checks that ExecStart's binary exists; this machine has no /usr/local/bin/zoomsync
      scratch = await mkdtemp(join(tmpdir(), 'zoomsync-unit-'));
      const bin = join(scratch, 'bin/zoomsync');
      await mkdir(dirname(bin), { recursive: true });
      await writeFile(bin, '#!/bin/sh\n');
      await chmod(bin, 0o755);
      const copy = join(scratch, 'zoomsync.service');
      await writeFile(copy, unitText.replace(/^ExecStart=\/usr\/local\/bin\/zoomsync /m, `ExecStart=${bin} `));
      const result = await run('systemd-analyze', ['verify', '--man=no', copy]).then(
        ({ stderr }) => ({ code: 0, stderr }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      // unknown keys and unparsable values are warnings on stderr with exit 0: both must be clean
      expect(result.stderr.split('\n').filter((line) => line.includes('zoomsync.service'))).toEqual([]);
      expect(result.code).toBe(0);
    });
  });
});
