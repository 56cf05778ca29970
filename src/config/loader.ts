/**
 * Reading a rig file: YAML -> the schema -> the cross-checks -> RigConfig. A file with mistakes
 * is refused whole with a ConfigError listing every problem, each with its path and its place
 * (line, column) in the file.
 *
 * @example
 * const rig = await loadRigConfig('/etc/zoomsync/rig.yaml');
 * for (const block of rig.blocks) console.log(block.name, block.line, block.address);
 */
import { readFile } from 'node:fs/promises';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { ConfigError } from '../../protocols/errors.js';
import { buildRigConfig } from './build.js';
import { crossCheckProblems } from './cross-checks.js';
import { inFileOrder, type RigProblem } from './problems.js';
import { RIG_FILE_SCHEMA } from './schema.js';
import type { RigConfig } from './types.js';
import { problemsFromIssues } from './zod-problems.js';

/** Reads and checks a rig file. Throws ConfigError (every problem) when it cannot be used, including when it cannot be read. */
export async function loadRigConfig(file: string): Promise<RigConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError([{ path: '', message: `cannot be read: ${reason} (expected a YAML rig file; see examples/rig.yaml)` }], file, { cause: error });
  }
  return parseRigConfig(text, file);
}

/** Checks rig-file text. `file` names it in problems and is where a relative passwordFile is read from. */
export function parseRigConfig(text: string, file?: string): RigConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  // With broken YAML the structure is a guess: list the syntax errors alone.
  const syntax = [...doc.errors, ...doc.warnings];
  if (syntax.length > 0) {
    throw new ConfigError(
      inFileOrder(syntax.map((error): RigProblem => ({ path: '', message: `YAML: ${firstLine(error.message)} (${error.code})`, ...at(error.pos[0]) }))),
      file,
    );
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError([{ path: '', message: `YAML: ${firstLine((error as Error).message)}` }], file, { cause: error });
  }

  const parsed = RIG_FILE_SCHEMA.safeParse(data ?? undefined, { reportInput: true });
  const problems = [...(parsed.success ? [] : problemsFromIssues(parsed.error.issues, RIG_FILE_SCHEMA)), ...crossCheckProblems(data)];
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(inFileOrder(problems.map((problem): RigProblem => ({ ...problem, ...at(offsetOf(doc, problem.path)) }))), file);
  }
  return buildRigConfig(parsed.data, file);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * Where a dotted path points in the document: the key of a mapping entry, the item of a list,
 * or (for a key that is missing) the nearest place above it that exists.
 */
function offsetOf(doc: Document, path: string): number | undefined {
  const segments = path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let n = segments.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(segments.slice(0, n - 1), true);
    const key = segments[n - 1];
    let node: YamlNode | null | undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      node = (pair?.key as YamlNode | undefined) ?? undefined;
    } else if (isSeq(parent) && typeof key === 'number') {
      node = parent.items[key] as YamlNode | undefined;
    }
    if (node?.range) return node.range[0];
  }
  return doc.contents?.range?.[0];
}
