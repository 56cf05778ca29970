/** Where the built console lives: dist/console of this package (no dependency: the service imports it). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: the nearest folder above this module (src/console, or dist/src/console) whose package.json is zoomsync's. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, i = 0; i < 5; i++, dir = resolve(dir, '..')) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'zoomsync') return dir;
    } catch {
      // no package.json here: look one folder up
    }
  }
  return here; // not inside the package (a bundled copy): the console is then found only through --console-dir
}

export const DEFAULT_CONSOLE_DIR = (): string => join(packageRoot(), 'dist', 'console');
