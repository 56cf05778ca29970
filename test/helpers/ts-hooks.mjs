/**
 * Node module hooks that run zoomsync's TypeScript sources in a plain `node` child process
 * (no build): `./x.js` imports resolve to `./x.ts`, which TypeScript transpiles on load.
 * With ZS_TRACE_FILE set, every module the process loads is appended to that file, one URL or
 * builtin name a line: tests read it to see which libraries a command or an entry point pulled in.
 * Registered by ts-register.mjs (`node --import ./test/helpers/ts-register.mjs src/cli/bin.ts ...`).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const trace = process.env.ZS_TRACE_FILE;

export async function resolve(specifier, context, nextResolve) {
  let result;
  try {
    result = await nextResolve(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js');
    if (!fromTs) throw error;
    result = await nextResolve(specifier.slice(0, -3) + '.ts', context);
  }
  if (trace) appendFileSync(trace, result.url + '\n');
  return result;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const { outputText } = ts.transpileModule(readFileSync(fileURLToPath(url), 'utf8'), {
    fileName: fileURLToPath(url),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
