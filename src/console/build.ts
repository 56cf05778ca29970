/**
 * Builds the web console (src/console/web) into one small bundle with esbuild: console.js
 * (minified ES2020 module), console.css and index.html. `npm run build` runs it into
 * dist/console; tests run it into a folder of their own.
 *
 *   node dist/src/console/build.js [OUT_DIR]
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The repository root: this file is src/console/build.ts, or dist/src/console/build.js once built. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join('dist', 'src')}`) ? resolve(here, '../../..') : resolve(here, '../..');
}

export const DEFAULT_CONSOLE_DIR = () => join(packageRoot(), 'dist', 'console');

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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { dir, bytes } = await buildConsole(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`console: ${dir} (console.js ${(bytes / 1024).toFixed(1)} KiB)`);
}
