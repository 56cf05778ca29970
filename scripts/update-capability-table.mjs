// Rewrites the dialect × capability table between the markers in README.md and docs/http.md
// from the registry (run after `npm run build`; test/src/cli/camera-docs.test.ts checks it).
import { readFileSync, writeFileSync } from 'node:fs';
import { capabilityMarkdown, TABLE_BEGIN, TABLE_END } from '../dist/src/cli/camera-capability-table.js';

for (const file of ['README.md', 'docs/http.md']) {
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf(TABLE_BEGIN);
  const end = text.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`${file}: the capability-table markers are missing`);
  writeFileSync(file, `${text.slice(0, begin + TABLE_BEGIN.length)}\n${capabilityMarkdown()}\n${text.slice(end)}`);
  console.log(`updated ${file}`);
}
