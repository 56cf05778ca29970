/** The calibrated ladder as YAML: printed as a gpio: fragment, or set into a rig file keeping the rest. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ladderYaml, writeLadderInto } from '../../../src/cli/gpio-ladder-yaml.js';

const calibrated = { channel: 0, hysteresisVolts: 0.015, ladder: [{ key: 'up', minVolts: 0, maxVolts: 0.065 }, { key: 'down', minVolts: 0.095, maxVolts: 0.255 }] };
let dir: string;

beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'zs-ladder-yaml-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('ladder YAML', () => {
  it('prints a gpio: fragment with one flow-style line per key that parses back to the table', () => {
    const text = ladderYaml(calibrated);
    expect(text).toMatch(/^ {6}- \{ key: up, minVolts: 0, maxVolts: 0\.065 \}$/m);
    expect(parse(text)).toEqual({ gpio: { adkey: { pin: 'A0', hysteresisVolts: 0.015, ladder: calibrated.ladder } } });
  });

  it('a rig file without a gpio: section gets one, with the board port, after its other sections', async () => {
    const file = join(dir, 'rig.yaml');
    await writeFile(file, '# rig\nlines: [{ name: bus1, port: /dev/ttyUSB0 }]\n');
    await writeLadderInto(file, '/dev/ttyACM0', calibrated);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^# rig\nlines: /); // the yaml library pads flow brackets: "[ { name: bus1 … } ]"
    expect(parse(text).lines).toEqual([{ name: 'bus1', port: '/dev/ttyUSB0' }]);
    expect(parse(text).gpio).toEqual({ port: '/dev/ttyACM0', adkey: { pin: 'A0', hysteresisVolts: 0.015, ladder: calibrated.ladder } });
  });

  it('a gpio: that is not a mapping, broken YAML and a missing file are config errors, and nothing is written', async () => {
    const file = join(dir, 'rig.yaml');
    for (const text of ['gpio: /dev/ttyACM0\n', 'gpio: [unclosed\n']) {
      await writeFile(file, text);
      await expect(writeLadderInto(file, '/dev/ttyACM0', calibrated)).rejects.toMatchObject({ code: 'ZS_CONFIG' });
      expect(await readFile(file, 'utf8')).toBe(text);
    }
    await expect(writeLadderInto(join(dir, 'none.yaml'), '/dev/ttyACM0', calibrated)).rejects.toMatchObject({ code: 'ZS_CONFIG' });
  });
});
