/**
 * `npm run build`'s last step: the `zoomsync` executable as an esbuild bundle,
 * dist/bundle/zoomsync.js plus one chunk per command (each command's own code and libraries,
 * loaded when that command runs, as registry.ts's import() calls did in dist/src).
 *
 *   node dist/src/cli/build-bundle.js        (after tsc: bundles dist/src/cli/bin.js)
 *
 * Why: `zoomsync serve` spent most of its start resolving, reading and compiling ~600 separate
 * files (node_modules included). From a few chunks it is listening ~150–200 ms sooner and
 * ~5 MiB smaller (bench:service). package.json's "bin" and `npm start` run this bundle, and so
 * does the systemd unit through /usr/local/bin/zoomsync; dist/src/cli/bin.js still runs the same
 * code unbundled (the tests bundle the sources their own way, see test/src/cli/spawned-cli.ts).
 *
 * Left outside (loaded from node_modules when first required, exactly as unbundled):
 *   - native and optional modules: the serial port binding, ws's bufferutil/utf-8-validate,
 *     pino-pretty;
 *   - what fastify requires only when asked: its ajv and fast-json-stringify compilers (the API
 *     gives zod's, see api/server.ts) and light-my-request (inject, tests only);
 *   - johnny-five and firmata-io: old CommonJS with conditional requires, loaded only for a rig
 *     with a gpio: section.
 * Whitespace and syntax are minified (less source text kept in memory), names are not: a stack
 * trace still names its functions; the linked source maps give file and line
 * (node --enable-source-maps).
 */
import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { packageRoot } from '../console/paths.js';

export const BUNDLE_EXTERNALS = [
  '@serialport/bindings-cpp',
  'bufferutil',
  'utf-8-validate',
  'pino-pretty',
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'light-my-request',
  'johnny-five',
  'firmata-io',
];

export interface BundleOptions {
  /** The CLI's entry. Default dist/src/cli/bin.js (what tsc checked and emitted); tests give src/cli/bin.ts. */
  entry?: string;
  /** Emptied first. Default dist/bundle. */
  outdir?: string;
}

export async function bundleCli({ entry: input, outdir }: BundleOptions = {}): Promise<{ entry: string; files: number; bytes: number }> {
  const root = packageRoot();
  outdir ??= join(root, 'dist', 'bundle');
  await rm(outdir, { recursive: true, force: true }); // chunk names carry content hashes: no stale chunks
  const result = await build({
    entryPoints: { zoomsync: input ?? join(root, 'dist', 'src', 'cli', 'bin.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir,
    external: BUNDLE_EXTERNALS,
    // CommonJS libraries inside an ES module bundle still call require() (node builtins, the externals)
    banner: { js: "import { createRequire as __zoomsyncCreateRequire } from 'node:module'; const require = __zoomsyncCreateRequire(import.meta.url);" },
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const entry = join(outdir, 'zoomsync.js');
  await chmod(entry, 0o755);
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  return { entry, files: outputs.length, bytes: outputs.reduce((n, [, o]) => n + o.bytes, 0) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { entry, files, bytes } = await bundleCli();
  console.log(`zoomsync bundle: ${entry} (${files} files, ${(bytes / 1024).toFixed(0)} KiB)`);
}
