import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capabilityMarkdown, documentedTable } from '../../../src/cli/camera-capability-table.js';
import { DIALECT_REGISTRY } from '../../../src/devices/http/registry.js';

// A dialect that lands changes capabilityTable(); these fail until the README and docs show it
// (`npm run docs:tables` rewrites both tables from the registry)
// (the expected table is the diff's left side: paste it between the markers).
describe('the dialect × capability table in the docs', () => {
  for (const doc of ['README.md', 'docs/http.md']) {
    it(`${doc} carries capabilityTable() exactly`, () => {
      expect(documentedTable(readFileSync(doc, 'utf8'))).toBe(capabilityMarkdown());
    });
  }

  it('has one column per registry dialect and a yes wherever an entry declares the capability', () => {
    const [header, , ...rows] = capabilityMarkdown().split('\n').map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    expect(header!.slice(1)).toEqual(DIALECT_REGISTRY.map((d) => d.name));
    for (const row of rows) DIALECT_REGISTRY.forEach((d, i) => expect(row[i + 1] === 'yes').toBe(d.capabilities.includes(row[0] as never)));
  });
});
