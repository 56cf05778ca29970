/**
 * `zoomsync camera`: a camera's configuration side over its HTTP API (focus, lens home, OSD,
 * network, device information, reboot, factory default, firmware). The password never comes
 * from argv: ZOOMSYNC_PASSWORD, --password-stdin, or a prompt without echo.
 */
import { readFile } from 'node:fs/promises';
import { DIALECTS, FACTORY_DEFAULT_CATEGORIES, type FactoryDefaultCategory, type FocusRoi, type NetworkSettings, type OsdPlacement, type OsdSettings } from '../../../protocols/http/common/capabilities.js';
import { displayUrl } from '../../../protocols/http/common/redact.js';
import { isDialectName, openCamera } from '../../devices/http/index.js';
import type { CameraConfig } from '../../devices/http/dialect.js';
import { type CliCommand, type CliIO, flag, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { readPassword } from '../password.js';
import { progressReporter } from '../progress.js';

const HELP = `Usage: zoomsync camera --url URL [--dialect szg10] --user USER [options] <action> [args]

Configure a camera over its HTTP API.

Actions:
  info                          model, firmware, MAC, clock, temperature
  lens                          zoom, focus, focus mode, focus area
  zoom-to N                     zoom position (szg10: 0-1000)
  focus-to N                    focus position (szg10: 0-10000; manual focus mode only)
  focus-mode auto|manual|macro  focus mode (macro: SZ-G10M)
  zoom-af on|off                auto focus after every zoom change
  one-push [L,T,R,B]            one-push AF, optionally on a focus area of 16x16 cells (0-15)
  home                          lens initialisation (zoom wide, focus re-found)
  osd [get]                     where the OSD elements are drawn
  osd set NAME=PLACE ...        NAME: title, resolution, time; PLACE: hidden, top-left,
                                top-right, bottom-left, bottom-right
  ip [get]                      IPv4/IPv6 addresses, DNS, ports
  ip set KEY=VALUE ...          KEY: dhcp (on|off), address, gateway, subnet, dns1, dns2,
                                http, https, rtsp (http 80 or >=1024, https 443 or >=1024,
                                rtsp 554 or >=1024, all different)
  reboot                        restart the camera
  factory-default [--keep C,..] reset settings; C: ${FACTORY_DEFAULT_CATEGORIES.join(', ')}
                                (default: reset everything)
  firmware FILE                 upload FILE, upgrade, and follow the progress
  raw METHOD PATH [JSON]        a call outside the common surface, e.g. raw GET /app/v1/stream/sdp

Options:
  --url URL             http://HOST[:PORT] or https://HOST[:PORT] (no user:password in it)
  --dialect NAME        camera API dialect (default szg10)
  --user USER           login user
  --password-stdin      read the password from the first line of standard input
                        (otherwise ZOOMSYNC_PASSWORD, otherwise a prompt on the terminal)
  --fingerprint SHA256  pin the camera's self-signed HTTPS certificate by its SHA-256 fingerprint
  --timeout MS          connect and answer timeout (default 5000)
  --with-factory-reset  firmware: reset to factory defaults after the upgrade
  --json                machine-readable output
  --verbose             log each request (credentials redacted) to stderr
`;

export const cameraCommand: CliCommand = {
  name: 'camera',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      url: { type: 'string' },
      dialect: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      fingerprint: { type: 'string' },
      timeout: { type: 'string' },
      keep: { type: 'string', multiple: true },
      'with-factory-reset': { type: 'boolean' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    const [action, ...rest] = parsed.positionals;
    if (!action) throw new UsageError('an action is required (info, lens, zoom-to, focus-to, focus-mode, one-push, home, osd, ip, reboot, factory-default, firmware, raw)');
    const url = stringOption(parsed, 'url');
    if (!url) throw new UsageError('--url is required, e.g. --url http://192.168.1.20');
    const user = stringOption(parsed, 'user');
    if (user === undefined) throw new UsageError('--user is required');
    const dialect = stringOption(parsed, 'dialect') ?? 'szg10';
    if (!isDialectName(dialect)) throw new UsageError(`unknown dialect ${JSON.stringify(dialect)}; known: ${DIALECTS.join(', ')}`);
    const timeout = parsed.values.timeout === undefined ? 5000 : parseInteger('--timeout', stringOption(parsed, 'timeout'), 100, 600_000);
    const json = flag(parsed, 'json');
    // Check the action's arguments before asking for a password or touching the network.
    const act = planAction(action, rest, parsed.values.keep as string[] | undefined, flag(parsed, 'with-factory-reset'));
    const password = await readPassword(io, { fromStdin: flag(parsed, 'password-stdin'), prompt: `Password for ${user} at ${displayUrl(url)}: ` });
    const fingerprint = stringOption(parsed, 'fingerprint');
    const camera = openCamera({
      dialect,
      url,
      user,
      password,
      connectTimeoutMs: timeout,
      headersTimeoutMs: timeout,
      ...(fingerprint ? { fingerprint256: fingerprint } : {}),
      ...(flag(parsed, 'verbose') ? { log: (line: string) => writeLine(io.stderr, `zoomsync camera: ${line}`) } : {}),
    });
    let interrupted = false;
    try {
      const outcome = await Promise.race([act(camera, io), io.interrupted.then(() => 'interrupted' as const)]);
      if (outcome === 'interrupted') {
        interrupted = true;
        writeLine(io.stderr, 'zoomsync camera: interrupted');
        return 130;
      }
      print(io, json, outcome);
      return 0;
    } finally {
      // Best effort: do not leave a session open on the camera. Not after Ctrl-C: the logout
      // would queue behind the call that is stuck, and the user asked to stop now.
      if (!interrupted) await camera.logout().catch(() => {});
      await camera.close();
    }
  },
};

type Outcome = { json: unknown; text: string[] };
type Action = (camera: CameraConfig, io: CliIO) => Promise<Outcome>;

const PLACEMENTS: readonly OsdPlacement[] = ['hidden', 'top-left', 'top-right', 'bottom-left', 'bottom-right'];

function planAction(action: string, args: string[], keep: string[] | undefined, withFactoryReset: boolean): Action {
  const none = () => {
    if (args.length) throw new UsageError(`${action} takes no arguments, got ${JSON.stringify(args.join(' '))}`);
  };
  switch (action) {
    case 'info':
      none();
      return async (c) => {
        const id = await c.identity();
        const extra = (id.extra ?? {}) as { time?: { osdString?: string }; health?: { cpu?: { temperatureC?: number } } };
        return {
          json: id,
          text: [`model: ${id.model}`, `firmware: ${id.firmware}`, ...(id.mac ? [`mac: ${id.mac}`] : []), ...(extra.time?.osdString ? [`clock: ${extra.time.osdString}`] : []), ...(extra.health?.cpu ? [`cpu temperature: ${extra.health.cpu.temperatureC} °C`] : [])],
        };
      };
    case 'lens':
      none();
      return async (c) => {
        const l = await c.lens();
        const roi = l.focusRoi ? ` (${l.focusRoi.left},${l.focusRoi.top},${l.focusRoi.right},${l.focusRoi.bottom})` : '';
        return { json: l, text: [`zoom: ${l.zoom} / ${l.zoomMax}`, `focus: ${l.focus} / ${l.focusMax}`, `focus mode: ${l.focusMode ?? 'unknown'}`, `zoom AF: ${l.zoomAf ? 'on' : 'off'}`, `focus area${roi}`] };
      };
    case 'zoom-to': {
      const n = parseInteger('zoom position', one(action, args), 0);
      return async (c) => {
        const r = await c.zoomTo(n);
        return { json: { zoom: n, ...r }, text: [`zoom: ${n}`, `focus: ${r.focus}`] };
      };
    }
    case 'focus-to': {
      const n = parseInteger('focus position', one(action, args), 0);
      return async (c) => {
        const r = await c.focusTo(n);
        return { json: r, text: [`focus: ${r.focus}`] };
      };
    }
    case 'focus-mode': {
      const mode = one(action, args);
      if (mode !== 'auto' && mode !== 'manual' && mode !== 'macro') throw new UsageError(`focus mode must be auto, manual or macro, got ${JSON.stringify(mode)}`);
      return async (c) => {
        await c.setFocusMode(mode);
        return { json: { focusMode: mode }, text: [`focus mode: ${mode}`] };
      };
    }
    case 'zoom-af': {
      const value = one(action, args);
      if (value !== 'on' && value !== 'off') throw new UsageError(`zoom-af takes on or off, got ${JSON.stringify(value)}`);
      return async (c) => {
        await c.setZoomAf(value === 'on');
        return { json: { zoomAf: value === 'on' }, text: [`zoom AF: ${value}`] };
      };
    }
    case 'one-push': {
      if (args.length > 1) throw new UsageError('one-push takes at most one focus area, L,T,R,B');
      const roi = args[0] === undefined ? undefined : parseRoi(args[0]);
      return async (c) => {
        const r = await c.onePush(roi);
        return { json: r, text: [`focus: ${r.focus}`] };
      };
    }
    case 'home':
      none();
      return async (c) => {
        const r = await c.lensHome();
        return { json: r, text: [`zoom: ${r.zoom}`, `focus: ${r.focus}`] };
      };
    case 'osd': {
      const pairs = setPairs(action, args, 'NAME=PLACE, e.g. osd set time=bottom-right');
      if (!pairs) return async (c) => osdOutcome(await c.osd());
      const changes: OsdSettings = {};
      for (const [name, value] of pairs) {
        if (!PLACEMENTS.includes(value as OsdPlacement)) throw new UsageError(`OSD place for ${name} must be one of ${PLACEMENTS.join(', ')}, got ${JSON.stringify(value)}`);
        changes[name] = value as OsdPlacement;
      }
      return async (c) => osdOutcome(await c.setOsd(changes));
    }
    case 'ip': {
      const pairs = setPairs(action, args, 'KEY=VALUE, e.g. ip set http=8080');
      if (!pairs) return async (c) => networkOutcome(await c.network());
      const apply = networkEditor(pairs);
      return async (c) => {
        const next = apply(await c.network());
        await c.setNetwork(next);
        return networkOutcome(next);
      };
    }
    case 'reboot':
      none();
      return async (c) => {
        await c.reboot();
        return { json: { rebooting: true }, text: ['the camera is restarting'] };
      };
    case 'factory-default': {
      none();
      const kept = (keep ?? []).flatMap((k) => k.split(',')).filter(Boolean);
      for (const k of kept) if (!FACTORY_DEFAULT_CATEGORIES.includes(k as FactoryDefaultCategory)) throw new UsageError(`--keep ${k}: not a category; categories: ${FACTORY_DEFAULT_CATEGORIES.join(', ')}`);
      const reset = kept.length ? FACTORY_DEFAULT_CATEGORIES.filter((c) => !kept.includes(c)) : undefined;
      if (reset?.length === 0) throw new UsageError('--keep names every category: nothing would be reset');
      return async (c) => {
        await c.factoryDefault(reset ? { reset } : {});
        return { json: { reset: reset ?? 'all' }, text: [`reset to factory defaults: ${reset ? reset.join(', ') : 'everything'}`] };
      };
    }
    case 'firmware': {
      const file = one(action, args);
      return async (c, io) => {
        const image = await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot read firmware file ${file}: ${error.code ?? error.message}`);
        });
        const progress = progressReporter(io.stderr);
        try {
          const r = await c.upgradeFirmware(new Uint8Array(image), {
            withFactoryReset,
            onProgress: (p) => progress.update(p.stage === 'done' ? 'upgrade' : p.stage, p.percent),
          });
          return { json: { upgraded: true, ...r }, text: [`firmware upgraded${r.version ? ` to ${r.version}` : ''}`] };
        } finally {
          progress.done();
        }
      };
    }
    case 'raw': {
      const [method, path, body] = args;
      if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') throw new UsageError('raw needs METHOD (GET, POST, PUT, DELETE) and PATH');
      if (!path || args.length > 3) throw new UsageError('raw needs METHOD PATH [JSON]');
      let parsedBody: unknown;
      if (body !== undefined) {
        try {
          parsedBody = JSON.parse(body);
        } catch {
          throw new UsageError(`raw body must be JSON, got ${JSON.stringify(body.slice(0, 40))}`);
        }
      }
      return async (c) => {
        const r = await c.raw({ method, path, ...(parsedBody !== undefined ? { body: parsedBody } : {}) });
        return { json: r, text: [`HTTP ${r.status}`, typeof r.body === 'string' ? r.body.trimEnd() : JSON.stringify(r.body, null, 2)] };
      };
    }
    default:
      throw new UsageError(`unknown action ${JSON.stringify(action)}`);
  }
}

function one(action: string, args: string[]): string {
  if (args.length !== 1) throw new UsageError(`${action} takes exactly one argument`);
  return args[0]!;
}

/** `ACTION [get]` -> undefined; `ACTION set K=V ...` -> the pairs (`form` says what one looks like). */
function setPairs(action: string, args: string[], form: string): [string, string][] | undefined {
  const [sub = 'get', ...pairs] = args;
  if (sub === 'get') {
    if (pairs.length) throw new UsageError(`${action} get takes no arguments`);
    return undefined;
  }
  if (sub !== 'set') throw new UsageError(`${action} takes get or set, got ${JSON.stringify(sub)}`);
  if (!pairs.length) throw new UsageError(`${action} set needs at least one ${form}`);
  return pairs.map(keyValue);
}

function keyValue(pair: string): [string, string] {
  const eq = pair.indexOf('=');
  if (eq <= 0) throw new UsageError(`expected KEY=VALUE, got ${JSON.stringify(pair)}`);
  return [pair.slice(0, eq), pair.slice(eq + 1)];
}

function parseRoi(text: string): FocusRoi {
  const parts = text.split(',');
  if (parts.length !== 4) throw new UsageError(`focus area must be L,T,R,B (four cells 0-15), got ${JSON.stringify(text)}`);
  const [left, top, right, bottom] = parts.map((p, i) => parseInteger(['left', 'top', 'right', 'bottom'][i]!, p, 0, 15)) as [number, number, number, number];
  if (left > right || top > bottom) throw new UsageError(`focus area ${text}: left must be ≤ right and top ≤ bottom`);
  return { left, top, right, bottom };
}

function networkEditor(edits: [string, string][]): (current: NetworkSettings) => NetworkSettings {
  const onOff = (key: string, v: string) => {
    if (v !== 'on' && v !== 'off') throw new UsageError(`${key} takes on or off, got ${JSON.stringify(v)}`);
    return v === 'on';
  };
  const port = (key: string, v: string) => parseInteger(`${key} port`, v, 1, 65535);
  const setters: ((n: NetworkSettings) => void)[] = edits.map(([key, value]) => {
    switch (key) {
      case 'dhcp': { const b = onOff(key, value); return (n) => void (n.ipv4.dhcp = b); }
      case 'address': return (n) => void (n.ipv4.address = value);
      case 'gateway': return (n) => void (n.ipv4.gateway = value);
      case 'subnet': return (n) => void (n.ipv4.subnet = value);
      case 'dns1': return (n) => void (n.ipv4.dns.primary = value);
      case 'dns2': return (n) => void (n.ipv4.dns.secondary = value);
      case 'http': case 'https': case 'rtsp': { const p = port(key, value); return (n) => void (n.ports[key] = p); }
      default: throw new UsageError(`ip set: unknown key ${JSON.stringify(key)}; keys: dhcp, address, gateway, subnet, dns1, dns2, http, https, rtsp`);
    }
  });
  return (current) => {
    const next = structuredClone(current);
    for (const set of setters) set(next);
    return next;
  };
}

function osdOutcome(osd: OsdSettings): Outcome {
  return { json: osd, text: Object.entries(osd).map(([k, v]) => `${k}: ${v}`) };
}

function networkOutcome(n: NetworkSettings): Outcome {
  return {
    json: n,
    text: [
      `ipv4: ${n.ipv4.dhcp ? 'dhcp' : 'static'} ${n.ipv4.address} netmask ${n.ipv4.subnet} gateway ${n.ipv4.gateway}`,
      `dns: ${n.ipv4.dns.primary} ${n.ipv4.dns.secondary}`.trimEnd(),
      ...(n.ipv6 ? [`ipv6: ${n.ipv6.enabled ? `${n.ipv6.address}/${n.ipv6.prefixLength} gateway ${n.ipv6.gateway}` : 'off'}`] : []),
      `ports: http ${n.ports.http}, https ${n.ports.https}, rtsp ${n.ports.rtsp}`,
    ],
  };
}

function print(io: CliIO, json: boolean, outcome: Outcome): void {
  if (json) writeLine(io.stdout, JSON.stringify(outcome.json));
  else for (const line of outcome.text) writeLine(io.stdout, line);
}
