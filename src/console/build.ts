/**
 * Builds the web console (src/console/web) into one small bundle with esbuild: console.js
 * (minified ES2020 module), console.css and index.html. `npm run build` runs it into
 * dist/console; tests run it into a folder of their own.
 *
 *   node dist/src/console/build-main.js [OUT_DIR]
 *
 * Only the build imports this module (esbuild is a dev dependency); the service reads the
 * bundle through paths.ts.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEFAULT_CONSOLE_DIR, packageRoot } from './paths.js';

export async function buildConsole(outDir = DEFAULT_CONSOLE_DIR()): Promise<{ dir: string; bytes: number }> {
  const web = join(packageRoot(), 'src', 'console', 'web');
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(web, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    outfile: join(outDir, 'console.js'),
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  await copyFile(join(web, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(web, 'console.css'), join(outDir, 'console.css'));
  const bytes = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((n, [, o]) => n + o.bytes, 0);
  return { dir: outDir, bytes };
}
