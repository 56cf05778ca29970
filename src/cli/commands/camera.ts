/**
 * `zoomsync camera`: a camera's configuration side over its HTTP API (focus, lens home, OSD,
 * network, device information, reboot, factory default, firmware). The password never comes
 * from argv: ZOOMSYNC_PASSWORD, --password-stdin, or a prompt without echo.
 */
import { type DialectName, FACTORY_DEFAULT_CATEGORIES, type FactoryDefaultCategory, type FocusRoi, type LensMoveResult, type NetworkSettings, type OsdPlacement, type OsdSettings } from '../../../protocols/http/common/capabilities.js';
import { displayUrl } from '../../../protocols/http/common/redact.js';
import { DIALECT_REGISTRY, isDialectName, openCamera } from '../../devices/http/index.js';
import type { CameraConfig } from '../../devices/http/dialect.js';
import { probeCamera, probeText } from '../camera-probe.js';
import { checkSerialChange, parseLineSpec, SERIAL_KEYS, serialMismatches, serialSettings, serialText } from '../camera-serial.js';
import { CAMERA_VERBS, CAMERA_VERB_NAMES, dialectHelp, requireVerb } from '../camera-verbs.js';
import { type CliCommand, type CliIO, flag, parseCommandArgs, parseInteger, stringOption, UsageError, writeLine } from '../command.js';
import { confirm, type ConfirmRequest } from '../confirm.js';
import { FIRMWARE_MAX_BYTES, readFirmwareFile } from '../firmware-file.js';
import { maskError, maskingStream, passwordForms } from '../mask-secrets.js';
import { applyNetworkEdits, describeNetworkEdits, parseNetworkEdits } from '../network-edits.js';
import { readPassword } from '../password.js';
import { progressReporter } from '../progress.js';

const HELP = `Usage: zoomsync camera --url URL [--dialect NAME] --user USER [options] <action> [args]
       zoomsync camera --url URL probe

Configure a camera over its HTTP API. An action the dialect does not have is refused before
anything is asked or sent (see "Actions by dialect" below).

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
  osd set NAME=PLACE ...        NAME: title, resolution, time (szg10; the dialect's own names
                                elsewhere); PLACE: hidden, top-left, top-right, bottom-left,
                                bottom-right, and top-center, bottom-center (not szg10)
  ip [get]                      IPv4/IPv6 addresses, DNS, ports
  ip set KEY=VALUE ...          KEY: dhcp (on|off), address (A or A/N), subnet (255.255.255.0
                                or /24), gateway, dns1, dns2 (0.0.0.0: none), http, https,
                                rtsp (http 80 or >=1024, https 443 or >=1024, rtsp 554 or
                                >=1024, all different), ipv6 (on|off), ipv6-address (A or
                                A/N), ipv6-prefix (1-128), ipv6-gateway, ipv6-dns1, ipv6-dns2.
                                Checked before anything is sent: a usable host address, a
                                netmask without holes, a gateway inside the new subnet.
  serial [get] [--match-line SPEC]
                                the camera's own RS-485 (PTZ) port; with --match-line, where
                                it differs from the line zoomsync drives, e.g.
                                --match-line baud=2400,protocol=pelco-d,address=1
  serial set KEY=VALUE ...      KEY: ${SERIAL_KEYS.join(', ')}
                                (ptz-lock on|off); which keys and values a camera takes
                                depends on its dialect, checked before anything is sent.
                                A wrong setting cuts the camera off that line
  probe                         which dialect the camera at --url speaks: harmless questions
                                without credentials (no login, so no lockout); no --user
  reboot                        restart the camera
  factory-default [--keep C,..] reset settings; C: ${FACTORY_DEFAULT_CATEGORIES.join(', ')}
                                (default: reset everything)
  firmware FILE                 upload FILE (a regular file, 1 byte to ${FIRMWARE_MAX_BYTES / 1024 / 1024} MiB), upgrade,
                                and follow the progress. Ctrl-C stops following, not the
                                camera's upgrade: never power it off while it upgrades
  raw METHOD PATH [JSON]        a call outside the common surface, e.g. raw GET /app/v1/stream/sdp

ip set, serial set, reboot, factory-default and firmware ask for confirmation (type yes) on a
terminal; elsewhere they need --yes. Arguments are checked before the password is asked for.

Options:
  --url URL             http://HOST[:PORT] or https://HOST[:PORT] (no user:password in it)
  --dialect NAME        camera API dialect (default szg10): ${DIALECT_REGISTRY.map((d) => d.name).join(', ')}
  --user USER           login user
  --password-stdin      read the password from the first line of standard input
                        (otherwise ZOOMSYNC_PASSWORD, otherwise a prompt on the terminal;
                        on a terminal --password-stdin prompts without echo too). The
                        password and its SHA-256 are masked (***) in everything printed
  --fingerprint SHA256  pin the camera's self-signed HTTPS certificate by its SHA-256 fingerprint
  --timeout MS          connect and answer timeout (default 5000)
  --with-factory-reset  firmware: reset to factory defaults after the upgrade
  --yes                 go ahead without asking (ip set, serial set, reboot, factory-default,
                        firmware)
  --json                machine-readable output
  --verbose             log each request (credentials redacted) to stderr

${dialectHelp()}
`;

export const cameraCommand: CliCommand = {
  name: 'camera',
  help: HELP,
  async run(args, io) {
    // Everything printed goes through the mask; the password joins it once it is known.
    const secrets: string[] = [];
    const masked: CliIO = { ...io, stdout: maskingStream(io.stdout, secrets), stderr: maskingStream(io.stderr, secrets) };
    try {
      return await runCamera(args, masked, secrets);
    } catch (error) {
      throw maskError(error, secrets);
    }
  },
};

/** parse -> check everything -> confirm -> ask the password -> act. Nothing is sent before the last step. */
async function runCamera(args: string[], io: CliIO, secrets: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    url: { type: 'string' },
    dialect: { type: 'string' },
    user: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    fingerprint: { type: 'string' },
    timeout: { type: 'string' },
    keep: { type: 'string', multiple: true },
    'with-factory-reset': { type: 'boolean' },
    yes: { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean' },
    'match-line': { type: 'string' },
  });
  const [action, ...rest] = parsed.positionals;
  if (!action) throw new UsageError(`an action is required (${CAMERA_VERB_NAMES.join(', ')}, probe)`);
  if (action !== 'probe' && !(action in CAMERA_VERBS)) throw new UsageError(`unknown action ${JSON.stringify(action)}; actions: ${CAMERA_VERB_NAMES.join(', ')}, probe`);
  const url = stringOption(parsed, 'url');
  if (!url) throw new UsageError('--url is required, e.g. --url http://192.168.1.20');
  const timeout = parsed.values.timeout === undefined ? 5000 : parseInteger('--timeout', stringOption(parsed, 'timeout'), 100, 600_000);
  const json = flag(parsed, 'json');
  const fingerprint = stringOption(parsed, 'fingerprint');
  const log = flag(parsed, 'verbose') ? (line: string) => writeLine(io.stderr, `zoomsync camera: ${line}`) : undefined;
  const transport = { url, connectTimeoutMs: timeout, headersTimeoutMs: timeout, ...(fingerprint ? { fingerprint256: fingerprint } : {}), ...(log ? { log } : {}) };
  if (parsed.values.keep !== undefined && action !== 'factory-default') throw new UsageError(`--keep only applies to factory-default, not ${action}; drop it`);
  if (flag(parsed, 'with-factory-reset') && action !== 'firmware') throw new UsageError(`--with-factory-reset only applies to firmware, not ${action}; drop it`);
  if (parsed.values['match-line'] !== undefined && (action !== 'serial' || (rest[0] ?? 'get') !== 'get')) throw new UsageError(`--match-line only applies to serial get, not ${[action, ...rest.slice(0, 1)].join(' ')}; drop it`);
  if (action === 'probe') {
    noArguments(action, rest);
    for (const needless of ['user', 'dialect', 'password-stdin'] as const) {
      if (parsed.values[needless] !== undefined) throw new UsageError(`probe sends no credentials and asks every dialect: drop --${needless}`);
    }
    const probing = probeCamera(transport);
    const outcome = await Promise.race([probing, io.interrupted.then(() => 'interrupted' as const)]);
    if (outcome === 'interrupted') {
      probing.catch(() => {}); // the question still out ends with its timeout; nobody waits for it
      writeLine(io.stderr, 'zoomsync camera: interrupted; nothing was changed on the camera');
      return 130;
    }
    print(io, json, { json: outcome, text: probeText(outcome) });
    return outcome.dialect ? 0 : 1;
  }
  const user = stringOption(parsed, 'user');
  if (user === undefined) throw new UsageError('--user is required');
  const dialect = stringOption(parsed, 'dialect') ?? 'szg10';
  if (!isDialectName(dialect)) throw new UsageError(`unknown dialect ${JSON.stringify(dialect)}; known: ${DIALECT_REGISTRY.map((d) => d.name).join(', ')}`);
  const connection = { dialect, user, ...transport };
  // The client checks the URL and the fingerprint when it is made, and making one sends
  // nothing: make (and drop) one now so those mistakes come out before the password is asked.
  await openCamera({ ...connection, password: 'not-asked-yet' }).close();
  requireVerb(action, dialect);
  const plan = await planAction(action, rest, {
    dialect,
    matchLine: stringOption(parsed, 'match-line'),
    keep: parsed.values.keep as string[] | undefined,
    withFactoryReset: flag(parsed, 'with-factory-reset'),
    url: new URL(url),
    again: `zoomsync camera --url ${displayUrl(url)} --user ${user}`,
  });
  if (plan.confirm) await confirm(io, { ...plan.confirm, yes: flag(parsed, 'yes') });
  const password = await readPassword(io, { fromStdin: flag(parsed, 'password-stdin'), prompt: `Password for ${user} at ${displayUrl(url)}: ` });
  secrets.push(...passwordForms(password));
  const camera = openCamera({ ...connection, password });
  let interrupted = false;
  try {
    const outcome = await Promise.race([plan.act(camera, io), io.interrupted.then(() => 'interrupted' as const)]);
    if (outcome === 'interrupted') {
      interrupted = true;
      writeLine(io.stderr, `zoomsync camera: ${plan.interrupted?.() ?? 'interrupted'}`);
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
}

type Outcome = { json: unknown; text: string[] };
type Action = (camera: CameraConfig, io: CliIO) => Promise<Outcome>;
/** An action checked and ready: what it does, whether to confirm it first, what Ctrl-C during it means. */
interface Plan {
  act: Action;
  confirm?: Omit<ConfirmRequest, 'yes'>;
  /** The line printed when Ctrl-C ends the action (default "interrupted"). */
  interrupted?: () => string;
}
interface PlanContext {
  dialect: DialectName;
  /** --match-line: the line to compare the camera's serial port with. */
  matchLine: string | undefined;
  keep: string[] | undefined;
  withFactoryReset: boolean;
  url: URL;
  /** The start of a command line that reaches the same camera, for "check later with ..." hints. */
  again: string;
}

/** Every place a user may ask for ('custom' is read-only); the dialect refuses a place its cameras lack (szg10: no centre). */
const PLACEMENTS: readonly OsdPlacement[] = ['hidden', 'top-left', 'top-center', 'top-right', 'bottom-left', 'bottom-center', 'bottom-right'];

/** Checks the action's arguments (and its firmware file) before anything else happens. */
async function planAction(action: string, args: string[], ctx: PlanContext): Promise<Plan> {
  switch (action) {
    case 'ip': {
      const pairs = setPairs(action, args, 'KEY=VALUE, e.g. ip set http=8080');
      if (!pairs) return { act: async (c) => networkOutcome(await c.network()) };
      const edits = parseNetworkEdits(pairs);
      return {
        confirm: { action: "change the camera's network settings", details: describeNetworkEdits(edits, ctx.url) },
        act: async (c) => {
          const next = applyNetworkEdits(await c.network(), edits);
          await c.setNetwork(next);
          return networkOutcome(next);
        },
      };
    }
    case 'serial':
      return planSerial(args, ctx);
    case 'reboot':
      noArguments(action, args);
      return {
        confirm: { action: 'restart the camera', details: ['it stops streaming and does not answer until it is back up (about a minute)'] },
        act: async (c) => {
          await c.reboot();
          return { json: { rebooting: true }, text: ['the camera is restarting'] };
        },
      };
    case 'factory-default': {
      noArguments(action, args);
      const kept = (ctx.keep ?? []).flatMap((k) => k.split(',')).filter(Boolean);
      for (const k of kept) if (!FACTORY_DEFAULT_CATEGORIES.includes(k as FactoryDefaultCategory)) throw new UsageError(`--keep ${k}: not a category; categories: ${FACTORY_DEFAULT_CATEGORIES.join(', ')}`);
      const reset = kept.length ? FACTORY_DEFAULT_CATEGORIES.filter((c) => !kept.includes(c)) : undefined;
      if (reset?.length === 0) throw new UsageError('--keep names every category: nothing would be reset');
      const resetsNetwork = !reset || reset.includes('network');
      const resetsUsers = !reset || reset.includes('user');
      return {
        confirm: {
          action: 'reset the camera to factory defaults',
          details: [
            `reset: ${reset ? reset.join(', ') : 'everything'}${kept.length ? `; kept: ${kept.join(', ')}` : ''}`,
            ...(resetsNetwork ? [`its network settings go back to the factory address: it may stop answering at ${ctx.url.host}`] : []),
            ...(resetsUsers ? ['its users and passwords go back to the factory ones'] : []),
          ],
        },
        act: async (c) => {
          await c.factoryDefault(reset ? { reset } : {});
          return { json: { reset: reset ?? 'all' }, text: [`reset to factory defaults: ${reset ? reset.join(', ') : 'everything'}`] };
        },
      };
    }
    case 'firmware':
      return planFirmware(one(action, args), ctx);
    default:
      return { act: planLensOrQuery(action, args) };
  }
}

/** serial [get] [--match-line SPEC] | serial set K=V …: the set checked by the dialect's own rules first. */
function planSerial(args: string[], ctx: PlanContext): Plan {
  const pairs = setPairs('serial', args, 'KEY=VALUE, e.g. serial set baud=9600');
  if (!pairs) {
    const line = ctx.matchLine === undefined ? undefined : parseLineSpec(ctx.matchLine);
    return {
      act: async (c) => {
        const port = await c.ptzSerial();
        if (!line) return { json: port, text: serialText(port) };
        const mismatches = serialMismatches(port, line);
        return { json: { port, mismatches }, text: [...serialText(port), ...(mismatches.length ? mismatches.map((m) => `mismatch: ${m}`) : ['the port matches the line'])] };
      },
    };
  }
  const settings = serialSettings(pairs, 'serial set');
  checkSerialChange(ctx.dialect, settings);
  return {
    confirm: {
      action: "change the camera's RS-485 (PTZ) port",
      details: [
        `set: ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`,
        'a lens or head on that port, and zoomsync driving the same line, stop reaching each other until both sides match',
      ],
    },
    act: async (c) => {
      await c.setPtzSerial(settings);
      const port = await c.ptzSerial();
      return { json: port, text: serialText(port) };
    },
  };
}

function noArguments(action: string, args: string[]): void {
  if (args.length) throw new UsageError(`${action} takes no arguments, got ${JSON.stringify(args.join(' '))}`);
}

/**
 * Upload, upgrade, follow the progress. Ctrl-C stops following only: once the upgrade has
 * started the camera carries on by itself, and cutting its power then can brick it.
 */
async function planFirmware(file: string, ctx: PlanContext): Promise<Plan> {
  const image = await readFirmwareFile(file);
  let uploaded = false;
  const check = `check it later with '${ctx.again} info' (it answers again once it has restarted; the firmware line shows the version)`;
  return {
    confirm: {
      action: 'upgrade the camera firmware',
      details: [
        `file: ${file} (${image.length} bytes)`,
        ...(ctx.withFactoryReset ? ['afterwards every setting goes back to factory defaults (--with-factory-reset)'] : []),
        'the camera restarts; do not power it off until the upgrade has finished',
      ],
    },
    interrupted: () =>
      uploaded
        ? `interrupted; the camera may still be upgrading its firmware: do NOT power it off or unplug it. It restarts by itself when done; ${check}`
        : `interrupted during the upload; the camera had not started upgrading and keeps its firmware; ${check}`,
    act: async (c, io) => {
      const progress = progressReporter(io.stderr);
      try {
        const r = await c.upgradeFirmware(image, {
          withFactoryReset: ctx.withFactoryReset,
          onProgress: (p) => {
            // From the last upload byte on, the upgrade request may be on its way.
            if (p.stage !== 'upload' || p.percent >= 100) uploaded = true;
            progress.update(p.stage === 'done' ? 'upgrade' : p.stage, p.percent);
          },
        });
        return { json: { upgraded: true, ...r }, text: [`firmware upgraded${r.version ? ` to ${r.version}` : ''}`] };
      } finally {
        progress.done();
      }
    },
  };
}

/** The actions that change nothing a user could lose: no confirmation. */
function planLensOrQuery(action: string, args: string[]): Action {
  const none = () => noArguments(action, args);
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
        return { json: r, text: [...moveText('zoom', r), ...(r.lens ? [`focus: ${r.lens.focus}`] : [])] };
      };
    }
    case 'focus-to': {
      const n = parseInteger('focus position', one(action, args), 0);
      return async (c) => {
        const r = await c.focusTo(n);
        return { json: r, text: moveText('focus', r) };
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

/** Where a zoom-to / focus-to left the lens: the read-back position, never the requested one as if reached. */
export function moveText(axis: 'zoom' | 'focus', r: LensMoveResult): string[] {
  if (r.settled && r.reached !== undefined) return [`${axis}: ${r.reached}${r.reached === r.requested ? '' : ` (asked ${r.requested})`}`];
  return [`${axis}: position unknown (asked ${r.requested}): ${r.problem ?? 'the lens did not settle'}`];
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
