/** describeSent: the PELCO frame of what a block was sent, or its HTTP call. */
import { describe, expect, it } from 'vitest';
import { encode, SZ_G10_PROFILE, toHex } from '../../../protocols/pelco/index.js';
import { parseRigConfig } from '../../../src/config/index.js';
import { describeSent } from '../../../src/rig/sent.js';

const rig = parseRigConfig(`
lines: [{ name: bus1, port: /dev/ttyUSB0 }]
blocks:
  - { name: left, line: bus1, address: 3, dialect: P, http: { url: "http://192.0.2.10/", user: admin, passwordEnv: PW } }
`);
const left = rig.blocks[0]!;

describe('describeSent', () => {
  it('a serial report shows the frame in the block dialect, built with the value that went out', () => {
    const sent = describeSent(left, { kind: 'set-zoom', position: 950 }, { block: 'left', path: 'serial', sentAt: 1, value: 900 });
    expect(sent).toBe(toHex(encode({ kind: 'set-zoom', position: 900 }, { dialect: 'P', address: 3, profile: SZ_G10_PROFILE })));
    expect(sent).toMatch(/^A0 02 /); // PELCO-P, camera 3
  });

  it('an http report shows the camera call (SZ-G10: PUT .../lens/zoom/position with the position)', () => {
    expect(describeSent(left, { kind: 'set-zoom', position: 400 }, { block: 'left', path: 'http', sentAt: undefined, value: 400 })).toBe(
      'PUT http://192.0.2.10/app/v1/camera/lens/zoom/position {"position":400}',
    );
  });
});
