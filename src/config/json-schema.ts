/**
 * The rig file's JSON Schema, generated from the zod schema (never written by hand, so it cannot
 * drift). Editors with a YAML language server complete and check a rig file with it:
 * `# yaml-language-server: $schema=./zoomsync-rig.schema.json` on the file's first line.
 *
 * Draft-07: the draft YAML language servers and most editors support best. It carries what each
 * value may be; the checks across the file (names that must exist, clashing addresses) only
 * `zoomsync config check` does.
 */
import { z } from 'zod';
import { RIG_FILE_SCHEMA } from './schema.js';

export function rigConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(RIG_FILE_SCHEMA, { target: 'draft-07', io: 'input' }),
    title: 'zoomsync rig file',
  };
}
