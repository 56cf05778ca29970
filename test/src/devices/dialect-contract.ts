/**
 * The behaviour every HTTP dialect shares, run against each dialect's own simulator on
 * loopback: identity, absolute lens moves read back where the dialect has them, unsupported
 * calls refused before any request, one login per failure, credentials never shown.
 * A dialect's test file calls runDialectContract with a harness.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ZoomsyncError } from '../../../protocols/errors.js';
import type { Capability, DialectName } from '../../../protocols/http/common/capabilities.js';
import type { SimulatedLens } from '../../../hardware/sim/lens-model.js';
import type { CameraConfig } from '../../../src/devices/http/dialect.js';
import { dialectEntry } from '../../../src/devices/http/registry.js';
import { rejection } from './support/rejection.js';

export interface RunningDialect {
  client: CameraConfig;
  lens: SimulatedLens;
  url: string;
  /** HTTP requests the simulator received so far. */
  requests(): number;
  /** Login attempts the simulator answered so far (any result). */
  logins(): number;
  close(): Promise<void>;
}

export interface DialectHarness {
  dialect: DialectName;
  /** A simulator with a fast lens, and a client logged in with `password` (default: the right one). */
  start(options?: { password?: string }): Promise<RunningDialect>;
  /** A position inside the dialect's zoom scale (it has the lens capability). */
  zoomTarget?: number;
  /** Calls outside the dialect's capabilities. */
  unsupported: { capability: Capability; call: (c: CameraConfig) => Promise<unknown> }[];
  /** What a given password turns into on the wire besides itself (a hash), all of it secret. */
  secretsOf?: (password: string) => string[];
}


export function runDialectContract(h: DialectHarness): void {
  const running: RunningDialect[] = [];
  const start = async (options?: { password?: string }) => {
    const r = await h.start(options);
    running.push(r);
    return r;
  };
  afterEach(async () => {
    while (running.length) await running.pop()!.close();
  });

  describe(`dialect contract: ${h.dialect}`, () => {
    it('is in the registry with the capabilities its client declares', async () => {
      const { client } = await start();
      const entry = dialectEntry(h.dialect);
      expect(entry?.name).toBe(h.dialect);
      expect(client.dialect).toBe(h.dialect);
      for (const c of client.capabilities) expect(entry!.capabilities).toContain(c);
    });

    it('reads the identity (model and firmware)', async () => {
      const { client } = await start();
      const id = await client.identity();
      expect(id.model.length).toBeGreaterThan(0);
      expect(id.firmware.length).toBeGreaterThan(0);
    });

    if (h.zoomTarget !== undefined) {
      const target = h.zoomTarget;
      it('zoomTo moves the shared lens and reports the position read back once settled', async () => {
        const { client, lens } = await start();
        const before = lens.zoom;
        const result = await client.zoomTo(target);
        expect(result).toMatchObject({ requested: target, reached: target, settled: true });
        expect(lens.moving).toBe(false);
        expect(lens.zoom).not.toBe(before);
        expect((await client.lens()).zoom).toBe(target);
      });
    }

    it('refuses a capability it lacks with NotSupportedError before sending anything', async () => {
      const { client, requests } = await start();
      for (const { capability, call } of h.unsupported) {
        expect(client.supports(capability)).toBe(false);
        const before = requests();
        const error = await rejection(call(client));
        expect(error.code).toBe('ZS_NOT_SUPPORTED');
        expect(error.message).toContain(capability);
        expect(requests()).toBe(before);
      }
    });

    it('tries a wrong password once, then answers from the latch without asking the camera', async () => {
      const { client, logins } = await start({ password: 'wrong-pass' });
      const first = await rejection(client.identity());
      expect(first.code).toBe('ZS_HTTP_AUTH');
      expect(logins()).toBe(1);
      await expect(client.identity()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
      await expect(client.osd()).rejects.toMatchObject({ code: 'ZS_HTTP_AUTH' });
      expect(logins()).toBe(1);
    });

    it('never shows the password (or what it becomes on the wire) in errors or util.inspect', async () => {
      const password = 'Zs-Pass_7781';
      const { client } = await start({ password });
      const error = await rejection(client.identity());
      const secrets = [password, ...(h.secretsOf?.(password) ?? [])];
      const shown = [error.message, inspect(error, { depth: 6 }), inspect(client, { depth: 6, showHidden: true }), String(error.stack)];
      for (const text of shown) for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    });
  });
}
