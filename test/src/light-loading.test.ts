import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { heavyLibraries, ROOT, runTraced } from '../helpers/node-child.js';

// A Raspberry Pi pays for every module loaded at start. These run the sources in a fresh node
// process and list what it loaded; bench/start measures the time and memory this saves.
describe('what starting zoomsync loads', () => {
  it('zoomsync --help loads no serial, HTTP or schema library', async () => {
    const run = await runTraced(['src/cli/bin.ts', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: zoomsync <command>/m);
    expect(heavyLibraries(run.modules)).toEqual([]);
  });

  it('zoomsync encode loads no serial, HTTP or schema library', async () => {
    const run = await runTraced(['src/cli/bin.ts', 'encode', '--address', '1', 'pan-left', '32']);
    expect(run.stdout).toBe('FF 01 00 04 20 00 25\n');
    expect(heavyLibraries(run.modules)).toEqual([]);
  });

  it('zoomsync decode of hex on stdin loads no serial, HTTP or schema library', async () => {
    const run = await runTraced(['src/cli/bin.ts', 'decode'], { stdin: 'FF 01 00 04 20 00 25\n' });
    expect(run.stdout).toMatch(/PELCO-D\s+camera 1\s+move pan left 32/);
    expect(heavyLibraries(run.modules)).toEqual([]);
  });

  it('zoomsync sim --help loads no serial, HTTP or schema library (sim loads them when it runs)', async () => {
    const run = await runTraced(['src/cli/bin.ts', 'sim', '--help']);
    expect(run.stdout).toMatch(/^Usage: zoomsync sim/);
    expect(heavyLibraries(run.modules)).toEqual([]);
  });

  it('a command that needs the serial library still loads it (the trace sees what is loaded)', async () => {
    const run = await runTraced(['src/cli/bin.ts', 'send', '--port', '/nonexistent/tty', '--address', '1', 'stop']);
    expect(run.code).toBe(1);
    expect(heavyLibraries(run.modules)).toContain('serialport');
  });
});

describe('library entry points', () => {
  const importing = (entry: string, code: string) =>
    runTraced(['--input-type=module', '-e', `const m = await import(${JSON.stringify(new URL(entry, ROOT).href)}); ${code}`]);

  it('zoomsync/pelco gives the codec and loads no serialport, undici or zod', async () => {
    const run = await importing('src/pelco.ts', "console.log(m.toHex(m.encode({ kind: 'stop' }, { address: 1 })), typeof m.FrameReader, typeof m.InvalidArgumentError)");
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('FF 01 00 00 00 00 01 function function\n');
    expect(heavyLibraries(run.modules)).toEqual([]);
  });

  it('zoomsync/sim has the simulators and the main entry no longer does', async () => {
    const sim = await importing('src/sim.ts', "console.log(['PtyPair', 'SimulatedLens', 'SimulatedBus', 'Szg10Simulator'].map((name) => typeof m[name]).join(' '))");
    expect(sim.stdout).toBe('function function function function\n');
    const main = await importing('src/index.ts', "console.log(['PtyPair', 'SimulatedBus', 'Szg10Simulator', 'SerialLine', 'encode'].map((name) => typeof m[name]).join(' '))");
    expect(main.stdout).toBe('undefined undefined undefined function function\n');
  });

  it('package.json maps zoomsync, zoomsync/pelco and zoomsync/sim to the builds of those sources', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { exports: Record<string, { default: string; types: string }> };
    const targets = Object.fromEntries(['.', './pelco', './sim'].map((key) => [key, pkg.exports[key]]));
    expect(targets).toEqual({
      '.': { types: './dist/src/index.d.ts', default: './dist/src/index.js' },
      './pelco': { types: './dist/src/pelco.d.ts', default: './dist/src/pelco.js' },
      './sim': { types: './dist/src/sim.d.ts', default: './dist/src/sim.js' },
    });
  });
});
