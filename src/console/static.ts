/**
 * Serves the built web console (index.html, console.js, console.css) at `/`, without a token:
 * the page holds no data, it asks for a token and then talks to /api and /ws with it.
 * A fixed list of files read once at start: no path from a request ever reaches the file system.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_CONSOLE_DIR } from './paths.js';

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'console.js.map': 'application/json',
};

export interface ConsoleRoutesOptions {
  /** Where the built console is. Default dist/console of this package. */
  dir?: string;
}

/**
 * Registers the console's routes. Resolves with where it is served from, or with `missing` (the
 * bundle is not built: `/` then says how to build it; the API works either way).
 */
export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions = {}): Promise<{ dir: string; missing?: string }> {
  const dir = options.dir ?? DEFAULT_CONSOLE_DIR();
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const [name, type] of Object.entries(FILES)) {
    const body = await readFile(join(dir, name)).catch(() => undefined);
    if (body) files.set(name, { body, type });
    else if (!name.endsWith('.map')) {
      const missing = join(dir, name);
      app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
        reply.status(503).header('content-type', 'text/plain; charset=utf-8').send(`The web console is not built (${missing} is missing): run npm run build. The API is at /api, /ws and /openapi.json.\n`),
      );
      return { dir, missing };
    }
  }
  for (const [name, file] of files) {
    const path = name === 'index.html' ? '/' : `/${name}`;
    app.get(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.header('content-type', file.type).header('cache-control', name === 'index.html' ? 'no-cache' : 'max-age=300').send(file.body),
    );
  }
  return { dir };
}
