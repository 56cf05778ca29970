import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { rigConfigJsonSchema } from '../../../src/config/index.js';
import { runCli } from '../../helpers/cli.js';

/** The schema as `zoomsync config schema` prints it, read back as a validator (zod's own JSON Schema reader, independent of the zod schema it came from). */
async function printedSchema() {
  const run = await runCli(['config', 'schema']);
  expect(run.code).toBe(0);
  const json = JSON.parse(run.stdout) as Record<string, unknown>;
  return { json, validator: z.fromJSONSchema(json as Parameters<typeof z.fromJSONSchema>[0]) };
}

describe('the rig file JSON Schema', () => {
  it('is printed as JSON (draft-07, for YAML language servers) and equals the generated one', async () => {
    const { json } = await printedSchema();
    expect(json.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(json).toEqual(rigConfigJsonSchema());
  });

  it('accepts examples/rig.yaml', async () => {
    const { validator } = await printedSchema();
    const example = parse(await readFile('examples/rig.yaml', 'utf8'));
    expect(validator.safeParse(example).error?.issues ?? []).toEqual([]);
  });

  it('rejects what the schema forbids: a password, an unknown key, a baud out of range, a calibration point of three numbers', async () => {
    const { validator } = await printedSchema();
    const example = parse(await readFile('examples/rig.yaml', 'utf8'));
    example.blocks[1].http.password = 'x';
    example.blocks[0].zoomLevel = 3;
    example.lines[0].baud = 50;
    example.blocks[0].calibration[0] = [0, 1, 2];
    const issues = validator.safeParse(example).error?.issues ?? [];
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['blocks.0', 'blocks.0.calibration.0', 'blocks.1.http.password', 'lines.0.baud']);
  });

  it('carries defaults and descriptions for editors', () => {
    const block = ((rigConfigJsonSchema().properties as Record<string, { items: { properties: Record<string, { default?: unknown; description?: string }> } }>).blocks!.items.properties);
    expect(block.dialect).toMatchObject({ default: 'D', enum: ['D', 'P'] });
    expect(block.profile).toMatchObject({ default: 'sz-g10' });
    expect(block.address!.description).toMatch(/PELCO camera number/);
  });
});
