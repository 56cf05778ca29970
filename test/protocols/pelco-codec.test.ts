import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotSupportedError } from '../../protocols/errors.js';
import {
  decode,
  type DeviceProfile,
  type Dialect,
  encode,
  EXTENDED_CODECS,
  GENERIC_PROFILE,
  type PelcoCommand,
  profileProblem,
  SZ_G10_PROFILE,
  toHex,
  zoomFromWire,
  zoomToWire,
} from '../../protocols/pelco/index.js';
import { arbitraryCommand, SAMPLE_COMMANDS } from './pelco-arbitraries.js';

const DIALECTS: Dialect[] = ['D', 'P'];
const PROFILES: DeviceProfile[] = [GENERIC_PROFILE, SZ_G10_PROFILE];

describe('known vectors', () => {
  const cases: [Dialect, number, PelcoCommand, string][] = [
    ['D', 1, { kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 }, 'FF 01 00 04 20 00 25'],
    ['D', 1, { kind: 'stop' }, 'FF 01 00 00 00 00 01'],
    ['P', 1, { kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 }, 'A0 00 00 04 20 00 AF 2B'],
    ['D', 1, { kind: 'preset-goto', preset: 5 }, 'FF 01 00 07 00 05 0D'],
    ['D', 2, { kind: 'query-zoom' }, 'FF 02 00 55 00 00 57'],
    ['D', 1, { kind: 'camera-power', on: true }, 'FF 01 88 00 00 00 89'],
    ['D', 1, { kind: 'scan', mode: 'auto' }, 'FF 01 90 00 00 00 91'],
    ['D', 1, { kind: 'move', pan: 'right', panSpeed: 'turbo', tiltSpeed: 0 }, 'FF 01 00 02 FF 00 02'],
    ['P', 1, { kind: 'move', pan: 'right', panSpeed: 'turbo', tiltSpeed: 0 }, 'A0 00 00 02 40 00 AF 4D'],
    ['D', 1, { kind: 'set-pan', position: 35999 }, 'FF 01 00 4B 8C 9F 77'],
    ['P', 3, { kind: 'move', focus: 'far', panSpeed: 0, tiltSpeed: 0 }, 'A0 02 01 00 00 00 AF 0C'],
  ];
  it.each(cases)('%s camera %i %j -> %s', (dialect, address, command, hex) => {
    const bytes = encode(command, { dialect, address });
    expect(toHex(bytes)).toBe(hex);
    expect(decode(bytes)).toEqual({ ok: true, frame: { dialect, address, broadcast: false, command } });
  });

  it('sums the PELCO-D checksum mod 256 (not % 100) and XORs PELCO-P over STX and ETX', () => {
    // 0x40 + 0x00 + 0xD2 + 0x3F + 0x3F = 400: mod 256 gives 0x90, a `% 100` checksum would give 0x00
    expect(toHex(encode({ kind: 'move', pan: 'right', tilt: 'down', panSpeed: 0x3f, tiltSpeed: 0x3f, zoom: 'wide', focus: 'far' }, { address: 0x40 })).split(' ')[6]).toBe('90');
    const p = encode({ kind: 'stop' }, { dialect: 'P', address: 1 });
    expect(p[7]).toBe(0xa0 ^ 0xaf);
  });
});

describe('round trip', () => {
  it('covers every command kind of pelco.md in the samples', () => {
    const kinds = new Set(SAMPLE_COMMANDS.map((c) => c.kind));
    for (const codec of EXTENDED_CODECS) expect(kinds).toContain(codec.kind);
    for (const kind of ['stop', 'move', 'camera-power', 'scan']) expect(kinds).toContain(kind);
  });

  for (const dialect of DIALECTS) {
    for (const profile of PROFILES) {
      it(`every sample command in PELCO-${dialect} under ${profile.name}`, () => {
        let checked = 0;
        for (const command of SAMPLE_COMMANDS) {
          if (!expressible(command, dialect, profile)) continue;
          const bytes = encode(command, { dialect, address: 3, profile });
          const result = decode(bytes, { profile });
          expect(result, `${JSON.stringify(command)} -> ${toHex(bytes)}`).toEqual({ ok: true, frame: { dialect, address: 3, broadcast: false, command } });
          checked++;
        }
        expect(checked).toBeGreaterThan(SAMPLE_COMMANDS.length - 6);
      });
    }
  }

  it('property: decode(encode(c)) = c for arbitrary commands, dialects, addresses and profiles', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILES), fc.constantFrom(...DIALECTS), fc.integer({ min: 1, max: 32 }), (profile, dialect, address) =>
        fc.assert(
          fc.property(arbitraryCommand(profile), (command) => {
            if (!expressible(command, dialect, profile)) return;
            const result = decode(encode(command, { dialect, address, profile }), { profile });
            expect(result).toEqual({ ok: true, frame: { dialect, address, broadcast: false, command } });
          }),
          { numRuns: 200 },
        ),
      ),
      { numRuns: 40 },
    );
  });

  it('property: any checksum-valid frame decodes without throwing, and what decodes re-encodes to the same meaning', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DIALECTS), fc.constantFrom(...PROFILES), fc.uint8Array({ minLength: 5, maxLength: 5 }), (dialect, profile, body) => {
        const [addr, p0, p1, p2, p3] = body as unknown as [number, number, number, number, number];
        const bytes =
          dialect === 'D'
            ? [0xff, addr, p0, p1, p2, p3, (addr + p0 + p1 + p2 + p3) & 0xff]
            : [0xa0, addr, p0, p1, p2, p3, 0xaf, 0xa0 ^ addr ^ p0 ^ p1 ^ p2 ^ p3 ^ 0xaf];
        const result = decode(bytes, { profile });
        if (!result.ok) {
          expect(['bad-address', 'unknown-opcode', 'bad-value']).toContain(result.reason);
          return;
        }
        const again = decode(encode(result.frame.command, { dialect, address: result.frame.address, profile }), { profile });
        expect(again).toEqual(result);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('out-of-range input is rejected with the field, the value and the range', () => {
  const rejects = (command: PelcoCommand, options: Parameters<typeof encode>[1], pattern: RegExp) => {
    let error: unknown;
    try {
      encode(command, options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(pattern);
  };
  it('speed 0x40 in PELCO-D', () => rejects({ kind: 'move', pan: 'left', panSpeed: 0x40, tiltSpeed: 0 }, { address: 1 }, /panSpeed 64 \(0x40\).*0–63/));
  it('tilt speed above the profile ceiling', () => rejects({ kind: 'move', tilt: 'up', panSpeed: 0, tiltSpeed: 100 }, { address: 1 }, /tiltSpeed 100/));
  it('preset 0', () => rejects({ kind: 'preset-set', preset: 0 }, { address: 1 }, /preset-set preset 0 .*1–255/));
  it('address 0 in PELCO-D', () => rejects({ kind: 'stop' }, { address: 0 }, /address 0 .*1–255 in PELCO-D/));
  it('camera 257 in PELCO-P', () => rejects({ kind: 'stop' }, { dialect: 'P', address: 257 }, /address 257 .*1–256 in PELCO-P/));
  it('pan position 36000', () => rejects({ kind: 'set-pan', position: 36000 }, { address: 1 }, /set-pan position 36000 .*0–35999/));
  it('zoom position beyond the profile scale', () => rejects({ kind: 'set-zoom', position: 1001 }, { address: 1, profile: SZ_G10_PROFILE }, /set-zoom position 1001 .*0–1000/));
  it('a fractional value', () => rejects({ kind: 'zoom-speed', speed: 1.5 }, { address: 1 }, /zoom-speed speed 1.5/));
  it('an auto mode the profile table lacks', () => rejects({ kind: 'auto-focus', mode: 'on' }, { address: 1, profile: SZ_G10_PROFILE }, /"auto", "off".*2012/));
  it('conflicting power and scan senses in one PELCO-D frame', () =>
    rejects({ kind: 'move', panSpeed: 0, tiltSpeed: 0, power: 'on', scan: 'manual' }, { address: 1 }, /one sense bit/));
  it('manual scan in PELCO-P is not supported, with advice', () => {
    expect(() => encode({ kind: 'scan', mode: 'manual' }, { dialect: 'P', address: 1 })).toThrow(NotSupportedError);
  });
});

describe('decode reports why a frame is not valid, and never throws', () => {
  it.each([
    [[0xff, 0x01, 0x00, 0x04, 0x20, 0x00, 0x26], 'bad-checksum'],
    [[0xfe, 0x01, 0x00, 0x04, 0x20, 0x00, 0x25], 'bad-sync'],
    [[0xff, 0x01, 0x00, 0x04, 0x20, 0x00], 'bad-length'],
    [[0xff, 0x01, 0x00, 0x45, 0x00, 0x00, 0x46], 'unknown-opcode'],
    [[0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00], 'bad-address'],
    [[0xff, 0x01, 0x00, 0x07, 0x00, 0x00, 0x08], 'bad-value'],
    [[0xa0, 0x00, 0x00, 0x04, 0x20, 0x00, 0xae, 0x2b], 'bad-sync'],
    [[0xa0, 0x00, 0x00, 0x04, 0x20, 0x00, 0xaf, 0x2c], 'bad-checksum'],
    [[0xff, 0x01, 0x00, 0x06, 0x20, 0x00, 0x27], 'bad-value'], // pan left and right together
    [[], 'bad-sync'],
    [[0xff, 0x101, 0x00, 0x00, 0x00, 0x00, 0x01], 'bad-value'], // 257 is no byte (it decoded as camera 257)
    [[0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 1.5], 'bad-value'],
    [{ length: 7, 0: 0xff, 1: 0x01, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0x02 }, 'bad-checksum'], // an ArrayLike that is not iterable
    [null, 'bad-length'],
  ])('%j -> %s', (bytes, reason) => {
    const result = decode(bytes as ArrayLike<number>);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(reason);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it('reads any ArrayLike, not only iterables', () => {
    expect(decode({ length: 7, 0: 0xff, 1: 0x01, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0x01 })).toMatchObject({ ok: true, frame: { address: 1, command: { kind: 'stop' } } });
  });

  it('marks the broadcast address only where the profile says 0xFF is broadcast', () => {
    const bytes = encode({ kind: 'stop' }, { address: 255 });
    expect(decode(bytes, { profile: SZ_G10_PROFILE })).toMatchObject({ ok: true, frame: { broadcast: true } });
    expect(decode(bytes, { profile: GENERIC_PROFILE })).toMatchObject({ ok: true, frame: { broadcast: false, address: 255 } });
  });

  it('translates PELCO-P addresses by the profile base', () => {
    const oneBased: DeviceProfile = { ...GENERIC_PROFILE, name: 'one-based', pelcoPAddressBase: 1 };
    const bytes = encode({ kind: 'stop' }, { dialect: 'P', address: 1, profile: oneBased });
    expect(bytes[1]).toBe(0x01);
    expect(decode(bytes, { profile: oneBased })).toMatchObject({ ok: true, frame: { address: 1 } });
    expect(decode([0xa0, 0x00, 0, 0, 0, 0, 0xaf, 0x0f], { profile: oneBased })).toMatchObject({ ok: false, reason: 'bad-address' });
  });
});

describe('sz-g10 is the default profile', () => {
  it('auto-focus on under the default profile is refused, not sent as the sz-g10 frame for auto-focus off', () => {
    expect(() => encode({ kind: 'auto-focus', mode: 'on' }, { address: 1 })).toThrow(InvalidArgumentError);
    const off = encode({ kind: 'auto-focus', mode: 'off' }, { address: 1 });
    expect(toHex(off)).toBe('FF 01 00 2B 00 01 2D');
    expect(decode(off)).toMatchObject({ ok: true, frame: { command: { kind: 'auto-focus', mode: 'off' } } });
  });

  it('address 0xFF decodes as broadcast without a profile', () => {
    expect(decode(encode({ kind: 'stop' }, { address: 255 }))).toMatchObject({ ok: true, frame: { broadcast: true } });
  });

  it('set-zoom takes the user scale 0–1000 without a profile', () => {
    expect(toHex(encode({ kind: 'set-zoom', position: 1000 }, { address: 1 }))).toBe('FF 01 00 4F FF FF 4E');
  });
});

describe('zoom position: users see the profile scale, the wire carries the fraction x 65535', () => {
  it('sz-g10: 0 and 1000 are the ends of the wire scale, 500 its middle (rounded half up)', () => {
    const wire = (position: number) => toHex(encode({ kind: 'set-zoom', position }, { address: 1, profile: SZ_G10_PROFILE }).subarray(4, 6));
    expect([wire(0), wire(500), wire(1000)]).toEqual(['00 00', '80 00', 'FF FF']);
    const reply = encode({ kind: 'zoom-position', position: 250 }, { address: 1, profile: SZ_G10_PROFILE });
    expect(toHex(reply.subarray(3, 6))).toBe('5D 40 00'); // 250 * 65.535 = 16383.75 -> 16384
  });

  it('every user value 0..1000 round-trips through the wire, in set-zoom and the zoom-position reply', () => {
    for (let position = 0; position <= SZ_G10_PROFILE.zoomPositionMax; position++) {
      for (const kind of ['set-zoom', 'zoom-position'] as const) {
        const bytes = encode({ kind, position }, { address: 1, profile: SZ_G10_PROFILE });
        expect(((bytes[4]! << 8) | bytes[5]!) - (position * 65535) / 1000).toBeLessThanOrEqual(0.5);
        expect(decode(bytes, { profile: SZ_G10_PROFILE })).toMatchObject({ ok: true, frame: { command: { kind, position } } });
      }
    }
  });

  it('property: any wire scale at least as fine as the user scale round-trips every user value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0xffff }).chain((userMax) => fc.tuple(fc.constant(userMax), fc.integer({ min: userMax, max: 0xffff }), fc.integer({ min: 0, max: userMax }))), ([userMax, wireMax, position]) => {
        const profile: DeviceProfile = { ...SZ_G10_PROFILE, zoomPositionMax: userMax, zoomWireMax: wireMax };
        expect(profileProblem(profile)).toBeUndefined();
        const wire = zoomToWire(position, profile);
        expect(Math.abs(wire - (position * wireMax) / userMax)).toBeLessThanOrEqual(0.5);
        expect(zoomFromWire(wire, profile)).toBe(position);
      }),
      { numRuns: 5000 },
    );
  });

  it('a technician’s wire scale: 0–1000 on the wire when a firmware proves to use it', () => {
    const firmware: DeviceProfile = { ...SZ_G10_PROFILE, zoomWireMax: 1000 };
    expect(toHex(encode({ kind: 'set-zoom', position: 1000 }, { address: 1, profile: firmware }).subarray(4, 6))).toBe('03 E8');
    const beyond = [0xff, 0x01, 0x00, 0x5d, 0x03, 0xe9, (0x01 + 0x5d + 0x03 + 0xe9) & 0xff];
    expect(decode(beyond, { profile: firmware })).toMatchObject({ ok: false, reason: 'bad-value' });
  });

  it('profileProblem names a wire scale coarser than the user scale, and a PELCO-P range past 0xFF', () => {
    expect(profileProblem(SZ_G10_PROFILE)).toBeUndefined();
    expect(profileProblem(GENERIC_PROFILE)).toBeUndefined();
    expect(profileProblem({ ...SZ_G10_PROFILE, zoomWireMax: 999 })).toMatch(/zoomPositionMax .*999/);
    expect(profileProblem({ ...SZ_G10_PROFILE, pelcoPAddressBase: 1 })).toMatch(/pelcoPMaxCamera/);
  });
});

describe('PELCO-P addresses and the switch bits sources do not forbid', () => {
  it('reaches cameras 1–256: camera 256 is address byte 0xFF', () => {
    for (const profile of PROFILES) {
      const bytes = encode({ kind: 'stop' }, { dialect: 'P', address: 256, profile });
      expect(bytes[1]).toBe(0xff);
      expect(decode(bytes, { profile })).toMatchObject({ ok: true, frame: { address: 256 } });
    }
  });

  it('a PELCO-D sense bit alone keeps the frame’s motion', () => {
    const bytes = [0xff, 0x01, 0x80, 0x04, 0x20, 0x00, (0x01 + 0x80 + 0x04 + 0x20) & 0xff];
    expect(decode(bytes)).toEqual({ ok: true, frame: { dialect: 'D', address: 1, broadcast: false, command: { kind: 'move', pan: 'left', panSpeed: 0x20, tiltSpeed: 0 } } });
    expect(decode([0xff, 0x01, 0x80, 0, 0, 0, 0x81])).toMatchObject({ ok: true, frame: { command: { kind: 'stop' } } });
  });

  it('a PELCO-P "camera on" bit alone is a move that also switches the camera on', () => {
    const [a, p0, p1, p2, p3] = [0x00, 0x40, 0x04, 0x20, 0x00];
    const bytes = [0xa0, a, p0, p1, p2, p3, 0xaf, 0xa0 ^ a ^ p0 ^ p1 ^ p2 ^ p3 ^ 0xaf];
    expect(decode(bytes)).toMatchObject({ ok: true, frame: { command: { kind: 'move', pan: 'left', panSpeed: 0x20, power: 'on' } } });
  });
});

/** Commands a dialect and profile can carry (the rest are rejected by design, tested above). */
function expressible(command: PelcoCommand, dialect: Dialect, profile: DeviceProfile): boolean {
  if (dialect === 'P' && (command.kind === 'scan' || command.kind === 'move') && (command.kind === 'scan' ? command.mode : command.scan) === 'manual') return false;
  if ((command.kind === 'auto-focus' || command.kind === 'auto-iris' || command.kind === 'agc') && command.mode === 'on' && profile.autoModeTable === '2012') return false;
  if ((command.kind === 'set-zoom' || command.kind === 'zoom-position') && command.position > profile.zoomPositionMax) return false;
  if (dialect === 'D' && command.kind === 'move' && command.power && command.scan && (command.power === 'on') !== (command.scan === 'auto')) return false;
  return true;
}
