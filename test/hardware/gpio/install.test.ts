/**
 * What the GPIO bridge depends on really loads after a clean install, and the install kept one
 * serialport: package.json's overrides point johnny-five's and firmata's serialport v8 (a native
 * addon compiled at install) to the project's v13, whose addon ships prebuilt.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const require = createRequire(join(root, 'package.json'));

/** Every installed copy of a package, found by walking node_modules (nested ones included). */
function installedCopies(name: string, dir = join(root, 'node_modules')): { path: string; version: string }[] {
  const found: { path: string; version: string }[] = [];
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const entryPath = join(dir, entry.name);
    const packages = entry.name.startsWith('@') ? readdirSync(entryPath).map((n) => ({ name: `${entry.name}/${n}`, path: join(entryPath, n) })) : [{ name: entry.name, path: entryPath }];
    for (const pkg of packages) {
      const manifest = join(pkg.path, 'package.json');
      if (pkg.name === name && existsSync(manifest)) found.push({ path: pkg.path, version: JSON.parse(readFileSync(manifest, 'utf8')).version });
      found.push(...installedCopies(name, join(pkg.path, 'node_modules')));
    }
  }
  return found;
}

describe('the GPIO dependencies after install', () => {
  it('hold exactly one serialport, v13, and none of the v8 native binding', () => {
    const copies = installedCopies('serialport');
    expect(copies.map((c) => c.version)).toHaveLength(1);
    expect(copies[0]!.version).toMatch(/^13\./);
    expect(installedCopies('@serialport/bindings')).toEqual([]);
  });

  it('compiled nothing: the serialport binding is the prebuilt one (no node-gyp build folder)', () => {
    const [bindings] = installedCopies('@serialport/bindings-cpp');
    expect(bindings).toBeDefined();
    expect(existsSync(join(bindings!.path, 'build'))).toBe(false);
    expect(existsSync(join(bindings!.path, 'prebuilds', `${process.platform}-${process.arch}`))).toBe(true);
  });

  it('load: johnny-five, firmata-io and the serialport binding', () => {
    const five = require('johnny-five') as { Board: unknown };
    const firmata = require('firmata-io') as { Firmata: unknown };
    expect(typeof five.Board).toBe('function');
    expect(typeof firmata.Firmata).toBe('function');
    const { autoDetect } = require('@serialport/bindings-cpp') as { autoDetect: () => { list: unknown } };
    expect(typeof autoDetect().list).toBe('function');
  });
});
