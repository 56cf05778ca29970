import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../../protocols/errors.js';
import { parseRigConfig } from '../../../src/config/index.js';

const EXAMPLE = parse(readFileSync('examples/rig.yaml', 'utf8')) as unknown;

/** Every [path, parent] of a document, so a property can replace any value in it. */
function places(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [path];
  const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [path, ...children.flatMap(([key, child]) => places(child, [...path, key]))];
}

function replaced(doc: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
  return copy;
}

/** Loads, or refuses with a ConfigError whose problems all say where and what; anything else fails. */
function loadsOrExplains(text: string): void {
  try {
    parseRigConfig(text, 'fuzz.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(typeof problem.path).toBe('string');
      expect(problem.message).toMatch(/\S/);
      expect(problem.message).not.toContain('\n');
    }
  }
}

describe('the rig file loader on any input', () => {
  it('answers any YAML document with a RigConfig or a ConfigError, never a crash', () => {
    fc.assert(fc.property(fc.jsonValue(), (doc) => loadsOrExplains(stringify(doc))));
  });

  it('answers the example with any one value replaced by anything with a RigConfig or a ConfigError', () => {
    const all = places(EXAMPLE);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        loadsOrExplains(stringify(replaced(EXAMPLE, path, value)));
      }),
      { numRuns: 150 },
    );
  });

  it('answers arbitrary text with a RigConfig or a ConfigError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => loadsOrExplains(text)));
  });
});
