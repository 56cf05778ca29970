import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main.js';
import { runCli } from '../../helpers/cli.js';

describe('zoomsync encode', () => {
  it('prints the frame as upper-case hex', async () => {
    expect(await runCli(['encode', '--dialect', 'D', '--address', '1', 'pan-left', '32'])).toEqual({ code: 0, stdout: 'FF 01 00 04 20 00 25\n', stderr: '' });
    expect((await runCli(['encode', '--dialect', 'P', '--address', '1', 'pan-left', '32'])).stdout).toBe('A0 00 00 04 20 00 AF 2B\n');
    expect((await runCli(['encode', '--address', '1', 'preset-goto', '5'])).stdout).toBe('FF 01 00 07 00 05 0D\n');
  });

  it('screen-write takes one ASCII character as itself and any byte by its 0x code', async () => {
    expect((await runCli(['encode', '--address', '1', 'screen-write', '3', '7'])).stdout).toBe('FF 01 00 15 03 37 50\n');
    expect((await runCli(['encode', '--address', '1', 'screen-write', '3', '0xE9'])).stdout).toBe('FF 01 00 15 03 E9 02\n');
  });

  it('builds combined motion from move options and prints JSON for scripts', async () => {
    const run = await runCli(['encode', '--address', '2', '--json', 'move', '--pan', 'right', '--pan-speed', 'turbo', '--zoom', 'tele']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      dialect: 'D',
      address: 2,
      profile: 'sz-g10',
      hex: 'FF 02 00 22 FF 00 23',
      bytes: [0xff, 0x02, 0x00, 0x22, 0xff, 0x00, 0x23],
      command: { kind: 'move', pan: 'right', panSpeed: 'turbo', tiltSpeed: 0, zoom: 'tele' },
    });
  });

  it.each([
    [['encode', '--address', '1', 'pan-left', '64'], /panSpeed 64 \(0x40\) is out of range: expected an integer 0–63/],
    [['encode', '--address', '0', 'stop'], /address 0 .* 1–255 in PELCO-D/],
    [['encode', '--dialect', 'P', '--address', '257', 'stop'], /1–256 in PELCO-P/],
    [['encode', '--address', '1', 'auto-focus', 'on'], /auto-focus mode "on" .*"auto", "off" \(2012 table/],
    [['encode', '--address', '1', 'set-zoom', '1001'], /set-zoom position 1001 .*0–1000/],
    [['encode', '--address', '1', 'preset-goto', '0'], /preset-goto preset 0/],
    [['encode', '--address', '1', 'set-pan', '36000'], /0–35999/],
    [['encode', '--address', '1', 'fly'], /unknown command "fly"/],
    [['encode', 'stop'], /--address N is required/],
    [['encode', '--address', 'one', 'stop'], /--address must be an integer, got "one"/],
    [['encode', '--address', '1', '--dialect', 'X', 'stop'], /--dialect must be D or P/],
    [['encode', '--address', '1', '--bogus', 'stop'], /Unknown option '--bogus'/],
    [['encode', '--address', '1', 'stop', '--zoom', 'tele'], /go with the move command/],
    [['encode', '--address', '1', 'pan-left', '3', '4'], /extra "4"/],
    [['encode', '--dialect', 'P', '--address', '1', 'scan-manual'], /not supported by PELCO-P/],
    [['encode', '--address', '1', 'pan-left', '-5'], /^zoomsync encode: -5 is out of range: no value here can be negative\. Run/],
    [['encode', '--address', '-1', 'stop'], /-1 is out of range: no value here can be negative/],
    [['encode', '--address', '--json', 'stop'], /argument is ambiguous\. Run/],
    [['encode', '--address', '1', 'stop', '--address', '2'], /--address is given twice \("1" and "2"\); give it once/],
    [['encode', '--address', '1', 'move', '--pan', 'left', '--pan=right'], /--pan is given twice/],
    [['encode', '--address', '1', 'screen-write', '0', 'é'], /printable ASCII character, got "é" \(U\+00E9\); give another byte by its code, e\.g\. 0xE9/],
    [['encode', '--address', '1', 'screen-write', '0', '65'], /one character or a code like 0x41, got "65"/],
    [['encode', '--address', '1', 'screen-write', '0', '0x100'], /screen-write char 256 .*0–255/],
  ])('%j fails with exit code 2 and one line', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('speaks sz-g10 unless told otherwise: set-zoom on the 0–1000 scale goes out as the 65535 fraction; generic is opt-in', async () => {
    expect((await runCli(['encode', '--address', '1', 'set-zoom', '1000'])).stdout).toBe('FF 01 00 4F FF FF 4E\n');
    expect((await runCli(['encode', '--address', '1', 'auto-focus', 'off'])).stdout).toBe('FF 01 00 2B 00 01 2D\n');
    // under generic (1999 table) "on" is the byte sz-g10 reads as off: only on request
    expect((await runCli(['encode', '--profile', 'generic', '--address', '1', 'auto-focus', 'on'])).stdout).toBe('FF 01 00 2B 00 01 2D\n');
  });

  it('has --help on every command', async () => {
    for (const command of ['encode', 'decode', 'monitor']) {
      const run = await runCli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Usage: zoomsync ${command}`));
    }
    expect((await runCli(['--help'])).stdout).toMatch(/encode .*\n.*decode/);
    expect(await runCli(['help', 'decode'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: zoomsync decode/) });
  });
});

describe('zoomsync decode', () => {
  it('prints one line per frame with dialect, camera and meaning', async () => {
    const run = await runCli(['decode', 'FF 01 00 04 20 00 25', 'A0 00 00 04 20 00 AF 2B']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^PELCO-D\s+camera 1\s+move pan left 32\s+\[FF 01 00 04 20 00 25\]$/);
    expect(lines[1]).toMatch(/^PELCO-P\s+camera 1\s+move pan left 32/);
  });

  it('reads hex from stdin and reports garbage, invalid and partial frames as such (exit 1)', async () => {
    const run = await runCli(['decode', '--json'], { stdin: 'ff 01 00 07 00 05 0d 13 37 ff 01 00 45 00 00 46 ff 01 00\n' });
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { type: 'frame', dialect: 'D', address: 1, broadcast: false, hex: 'FF 01 00 07 00 05 0D', command: { kind: 'preset-goto', preset: 5 } },
      { type: 'discarded', hex: '13 37' },
      { type: 'invalid-frame', hex: 'FF 01 00 45 00 00 46', reason: 'unknown-opcode', message: 'extended opcode 0x45 is not a PELCO command' },
      { type: 'partial', hex: 'FF 01 00' },
    ]);
  });

  it('decodes under sz-g10 unless told otherwise: the zoom reply on the user scale, 0xFF as all cameras', async () => {
    const run = await runCli(['decode', 'FF 01 00 5D 80 00 DE', 'FF FF 00 00 00 00 FF']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/camera 1\s+zoom-position 500\s/);
    expect(lines[1]).toMatch(/all cameras\s+stop/);
    expect((await runCli(['decode', '--profile', 'generic', 'FF 01 00 5D 80 00 DE'])).stdout).toMatch(/zoom-position 32768/);
  });

  it('names a frame that failed only its checksum, with the checksum it should have had, and goes on', async () => {
    const run = await runCli(['decode', 'FF 01 00 04 20 00 26 FF 01 00 00 00 00 01']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('PELCO-D frame with bad checksum: expected 25, got 26  [FF 01 00 04 20 00 26]');
    expect(lines[1]).toMatch(/camera 1\s+stop/);
    const json = await runCli(['decode', '--json', 'A0 00 00 04 20 00 AF 2C']);
    expect(JSON.parse(json.stdout)).toEqual({ type: 'bad-checksum', hex: 'A0 00 00 04 20 00 AF 2C', dialect: 'P', expected: 0x2b, got: 0x2c, message: 'bad checksum: expected 2B, got 2C' });
  });

  it('reads packed hex without separators from stdin, split anywhere across reads', async () => {
    const frames = 'FF010004200025'.repeat(50) + 'FF01000000000' + '1';
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += chunk));
    const done = main(['decode'], { stdin, stdout, stderr: new PassThrough(), env: {}, interrupted: new Promise(() => {}) });
    for (let i = 0; i < frames.length; i += 9) stdin.write(frames.slice(i, i + 9)); // cuts pairs and frames
    stdin.end();
    expect(await done).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines.slice(0, 50).every((line) => /camera 1\s+move pan left 32/.test(line))).toBe(true);
    expect(lines[50]).toMatch(/camera 1\s+stop/);
  });

  it('rejects a packed run with half a byte, naming it', async () => {
    const run = await runCli(['decode'], { stdin: 'FF0100042000250\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/leaves half a byte/);
  });

  it('waits for a slow stdout: output written no faster than it is read', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough({ highWaterMark: 1024 });
    const done = main(['decode'], { stdin, stdout, stderr: new PassThrough(), env: {}, interrupted: new Promise(() => {}) });
    const chunk = 'FF 01 00 04 20 00 25\n'.repeat(200); // 200 lines of ~60 characters per read
    let fed = 0;
    // Feed while decode keeps up; with nobody reading stdout it must stop taking input.
    while (fed < 100 && stdin.write(chunk)) {
      fed++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(stdout.writableLength).toBeLessThan(200 * 80 * 3); // a few chunks' output at most, not 100
    stdin.end();
    let lines = 0;
    stdout.on('data', (data: Buffer) => (lines += data.toString().split('\n').length - 1));
    expect(await done).toBe(0);
    expect(lines).toBe(200 * (fed + 1));
  });

  it('rejects input that is not hex with exit code 2', async () => {
    const run = await runCli(['decode', 'hello']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not hex bytes/);
    expect((await runCli(['decode', '--dialect', 'x', 'FF'])).stderr).toMatch(/--dialect must be D, P or auto, got "x"/);
    // a lone nibble is a typo, not half of a byte to glue onto its neighbour
    expect(await runCli(['decode', 'F F01 00 04 20 00 25'])).toMatchObject({ code: 2, stdout: '' });
  });

  it('without arguments at a terminal, says how to give hex instead of waiting for stdin', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true }); // a terminal: never ends by itself
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk) => (err += chunk));
    const code = await main(['decode'], { stdin, stdout, stderr, env: {}, interrupted: new Promise(() => {}) });
    expect(code).toBe(2);
    expect(err).toMatch(/no hex given: pass the bytes as arguments, or pipe them in/);
  });

  it('decodes piped hex as it comes, with tokens split across reads', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => (out += chunk));
    const done = main(['decode'], { stdin, stdout, stderr: new PassThrough(), env: {}, interrupted: new Promise(() => {}) });
    stdin.write('FF 01 00 04 2');
    stdin.write('0 00 25\nFF 01 00');
    for (let i = 0; i < 100 && out === ''; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(out).toMatch(/camera 1\s+move pan left 32/); // printed while stdin is still open
    stdin.end(' 00 00 00 01\n');
    expect(await done).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(out).toMatch(/camera 1\s+stop/);
  });

  it('reads single-digit bytes as bytes, the way many tools print them', async () => {
    const run = await runCli(['decode', 'FF 1 0 4 20 0 25']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/camera 1\s+move pan left 32/);
  });
});
