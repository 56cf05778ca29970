/**
 * The dialect × capability table of the README and docs/http.md, rendered from the registry's
 * capabilityTable(). test/src/cli/camera-docs.test.ts checks both documents carry exactly this
 * table between the markers, so the docs cannot go stale when a dialect lands.
 */
import { capabilityTable } from '../devices/http/registry.js';

export const TABLE_BEGIN = '<!-- capability-table:begin (generated from capabilityTable(); checked by test/src/cli/camera-docs.test.ts) -->';
export const TABLE_END = '<!-- capability-table:end -->';

/** The markdown table, one row per capability, one column per dialect of the registry. */
export function capabilityMarkdown(): string {
  const { header, rows } = capabilityTable();
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |');
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The table between the markers of a document (undefined when the markers are missing). */
export function documentedTable(markdown: string): string | undefined {
  const begin = markdown.indexOf(TABLE_BEGIN);
  const end = markdown.indexOf(TABLE_END);
  if (begin < 0 || end < begin) return undefined;
  return markdown.slice(begin + TABLE_BEGIN.length, end).trim();
}
