import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../../src/console/build.js';
import { consoleRoutes } from '../../../src/console/static.js';

describe('serving the console', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zoomsync-static-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves the built page, script and style at fixed paths, and nothing else from the folder', async () => {
    const built = join(dir, 'built');
    const { bytes } = await buildConsole(built);
    expect(bytes).toBeLessThan(64 * 1024); // light for a Pi
    const app = Fastify();
    expect(await consoleRoutes(app, { dir: built })).toEqual({ dir: built });
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<script type="module" src="console.js">');
    expect((await app.inject({ url: '/console.js' })).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await app.inject({ url: '/console.css' })).headers['content-type']).toMatch(/^text\/css/);
    expect((await app.inject({ url: '/../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/index.html/../../etc/passwd' })).statusCode).toBe(404);
    await app.close();
  });

  it('a console that is not built: / says to run npm run build (503), and the rest of the service still starts', async () => {
    const app = Fastify();
    const served = await consoleRoutes(app, { dir: join(dir, 'nothing-here') });
    expect(served.missing).toBe(join(dir, 'nothing-here', 'index.html'));
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toMatch(/not built .* run npm run build/);
    await app.close();
  });
});
