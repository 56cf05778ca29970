/**
 * `camera ip set KEY=VALUE ...`: the edits checked field by field as they are parsed (before a
 * password is asked or anything is sent), then applied onto the camera's current settings and
 * the touched blocks checked as a whole before they are sent (a new address alone can leave
 * the old gateway outside the new subnet).
 */
import type { NetworkSettings } from '../../protocols/http/common/capabilities.js';
import {
  ipv4BlockProblems,
  ipv4Problem,
  ipv4SetupProblem,
  ipv6BlockProblems,
  ipv6Problem,
  parseIpv6Prefix,
  parseNetmask,
  portBlockProblems,
  portProblem,
  portsProblem,
  prefixToNetmask,
  type PortName,
  type Problem,
} from '../../protocols/http/common/ip-validate.js';
import { UsageError } from './command.js';

export const NETWORK_KEYS = ['dhcp', 'address', 'subnet', 'gateway', 'dns1', 'dns2', 'http', 'https', 'rtsp', 'ipv6', 'ipv6-address', 'ipv6-prefix', 'ipv6-gateway', 'ipv6-dns1', 'ipv6-dns2'] as const;
type Key = (typeof NETWORK_KEYS)[number];

/** The edits, normalised: a netmask always dotted, ports as numbers, on/off as booleans. */
export interface NetworkEdits {
  dhcp?: boolean;
  address?: string;
  subnet?: string;
  gateway?: string;
  dns1?: string;
  dns2?: string;
  ports: Partial<Record<PortName, number>>;
  ipv6?: boolean;
  ipv6Address?: string;
  ipv6Prefix?: number;
  ipv6Gateway?: string;
  ipv6Dns1?: string;
  ipv6Dns2?: string;
}

const fail = (problem: Problem) => {
  if (problem !== undefined) throw new UsageError(`ip set: ${problem}`);
};

function onOff(key: string, value: string): boolean {
  if (value !== 'on' && value !== 'off') throw new UsageError(`ip set: ${key} takes on or off, got ${JSON.stringify(value)}`);
  return value === 'on';
}

/** Parses and checks the KEY=VALUE pairs; throws a UsageError naming the first mistake. */
export function parseNetworkEdits(pairs: readonly [string, string][]): NetworkEdits {
  const seen = new Map<string, string>();
  for (const [key, value] of pairs) {
    if (!(NETWORK_KEYS as readonly string[]).includes(key)) throw new UsageError(`ip set: unknown key ${JSON.stringify(key)}; keys: ${NETWORK_KEYS.join(', ')}`);
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== value) throw new UsageError(`ip set: ${key} is given twice (${JSON.stringify(earlier)} and ${JSON.stringify(value)}); give it once`);
    seen.set(key, value);
  }
  const get = (key: Key) => seen.get(key);
  const edits: NetworkEdits = { ports: {} };

  const dhcp = get('dhcp');
  if (dhcp !== undefined) edits.dhcp = onOff('dhcp', dhcp);
  // address=A/N sets the netmask too.
  const address = get('address');
  let subnetFromAddress: string | undefined;
  if (address !== undefined) {
    const [host = '', prefix] = address.split('/');
    fail(ipv4Problem('address', host));
    edits.address = host;
    if (prefix !== undefined) subnetFromAddress = `/${prefix}`;
  }
  const subnets = [subnetFromAddress, get('subnet')].filter((s): s is string => s !== undefined).map((text) => {
    const mask = parseNetmask(text);
    if ('problem' in mask) fail(mask.problem);
    return prefixToNetmask((mask as { prefix: number }).prefix);
  });
  if (subnets.length === 2 && subnets[0] !== subnets[1]) throw new UsageError(`ip set: address=${address} says netmask ${subnets[0]} but subnet= says ${subnets[1]}; give one`);
  if (subnets[0] !== undefined) edits.subnet = subnets[0];
  for (const [key, field] of [['gateway', 'gateway'], ['dns1', 'dns1'], ['dns2', 'dns2']] as const) {
    const value = get(key);
    if (value === undefined) continue;
    fail(ipv4Problem(key, value, { allowNone: true }));
    edits[field] = value;
  }
  if (edits.dhcp === true) {
    const static_ = (['address', 'subnet', 'gateway'] as const).filter((k) => edits[k] !== undefined);
    if (static_.length) throw new UsageError(`ip set: ${static_.join(', ')} ${static_.length > 1 ? 'have' : 'has'} no effect with dhcp=on (the DHCP server assigns them); drop ${static_.map((k) => `${k}=`).join(' ')} or set dhcp=off`);
  }
  // What is known already can be checked as a whole now; the rest once the current settings are read.
  if (edits.address !== undefined && edits.subnet !== undefined) fail(ipv4SetupProblem({ address: edits.address, subnet: edits.subnet, gateway: edits.gateway ?? '' }));

  for (const name of ['http', 'https', 'rtsp'] as const) {
    const value = get(name);
    if (value === undefined) continue;
    fail(portProblem(name, value));
    edits.ports[name] = Number(value);
  }
  fail(portsProblem(edits.ports));

  const ipv6 = get('ipv6');
  if (ipv6 !== undefined) edits.ipv6 = onOff('ipv6', ipv6);
  const ipv6Address = get('ipv6-address');
  let prefixFromAddress: string | undefined;
  if (ipv6Address !== undefined) {
    const slash = ipv6Address.lastIndexOf('/');
    const host = slash < 0 ? ipv6Address : ipv6Address.slice(0, slash);
    fail(ipv6Problem('IPv6 address', host));
    edits.ipv6Address = host;
    if (slash >= 0) prefixFromAddress = ipv6Address.slice(slash + 1);
  }
  const prefixes = [prefixFromAddress, get('ipv6-prefix')].filter((s): s is string => s !== undefined).map((text) => {
    const parsed = parseIpv6Prefix(text);
    if ('problem' in parsed) fail(parsed.problem);
    return (parsed as { prefix: number }).prefix;
  });
  if (prefixes.length === 2 && prefixes[0] !== prefixes[1]) throw new UsageError(`ip set: ipv6-address=${ipv6Address} says prefix /${prefixes[0]} but ipv6-prefix= says ${prefixes[1]}; give one`);
  if (prefixes[0] !== undefined) edits.ipv6Prefix = prefixes[0];
  for (const [key, field, label] of [['ipv6-gateway', 'ipv6Gateway', 'IPv6 gateway'], ['ipv6-dns1', 'ipv6Dns1', 'IPv6 dns1'], ['ipv6-dns2', 'ipv6Dns2', 'IPv6 dns2']] as const) {
    const value = get(key);
    if (value === undefined) continue;
    fail(ipv6Problem(label, value, { allowNone: true, allowLinkLocal: key === 'ipv6-gateway' }));
    edits[field] = value;
  }
  return edits;
}

const touchesIpv4 = (e: NetworkEdits) => [e.dhcp, e.address, e.subnet, e.gateway, e.dns1, e.dns2].some((v) => v !== undefined);
const touchesIpv6 = (e: NetworkEdits) => [e.ipv6, e.ipv6Address, e.ipv6Prefix, e.ipv6Gateway, e.ipv6Dns1, e.ipv6Dns2].some((v) => v !== undefined);

/**
 * The camera's current settings with the edits applied, after checking every block the edits
 * touch as it would be sent (blocks left alone are not judged: their oddities are not this
 * command's business).
 */
export function applyNetworkEdits(current: NetworkSettings, edits: NetworkEdits): NetworkSettings {
  const next = structuredClone(current);
  const v4 = next.ipv4;
  if (edits.dhcp !== undefined) v4.dhcp = edits.dhcp;
  if (edits.address !== undefined) v4.address = edits.address;
  if (edits.subnet !== undefined) v4.subnet = edits.subnet;
  if (edits.gateway !== undefined) v4.gateway = edits.gateway;
  if (edits.dns1 !== undefined) v4.dns.primary = edits.dns1;
  if (edits.dns2 !== undefined) v4.dns.secondary = edits.dns2;
  Object.assign(next.ports, edits.ports);
  if (touchesIpv6(edits)) {
    const v6 = next.ipv6;
    if (!v6) throw new UsageError('ip set: this camera reports no IPv6 settings, so ipv6 keys cannot be set; nothing was changed');
    if (edits.ipv6 !== undefined) v6.enabled = edits.ipv6;
    if (edits.ipv6Address !== undefined) v6.address = edits.ipv6Address;
    if (edits.ipv6Prefix !== undefined) v6.prefixLength = edits.ipv6Prefix;
    if (edits.ipv6Gateway !== undefined) v6.gateway = edits.ipv6Gateway;
    if (edits.ipv6Dns1 !== undefined) v6.dns.primary = edits.ipv6Dns1;
    if (edits.ipv6Dns2 !== undefined) v6.dns.secondary = edits.ipv6Dns2;
  }
  const problems = [
    ...(touchesIpv4(edits) ? ipv4BlockProblems(next.ipv4) : []),
    ...(touchesIpv6(edits) ? ipv6BlockProblems(next.ipv6) : []),
    ...(Object.keys(edits.ports).length ? portBlockProblems(next.ports) : []),
  ];
  if (problems.length) throw new UsageError(`ip set: ${problems[0]} (checked with the camera's current settings; nothing was changed)`);
  return next;
}

/** What the confirmation shows: each change, and where the camera will answer afterwards. */
export function describeNetworkEdits(edits: NetworkEdits, url: URL): string[] {
  const lines: string[] = [];
  const show = (label: string, value: string | number | boolean | undefined) => {
    if (value !== undefined) lines.push(`${label}: ${typeof value === 'boolean' ? (value ? 'on' : 'off') : value === '' ? '(none)' : value}`);
  };
  show('DHCP', edits.dhcp);
  show('address', edits.address);
  show('netmask', edits.subnet);
  show('gateway', edits.gateway);
  show('DNS 1', edits.dns1);
  show('DNS 2', edits.dns2);
  for (const [name, port] of Object.entries(edits.ports)) show(`${name} port`, port);
  show('IPv6', edits.ipv6);
  show('IPv6 address', edits.ipv6Address);
  show('IPv6 prefix length', edits.ipv6Prefix);
  show('IPv6 gateway', edits.ipv6Gateway);
  show('IPv6 DNS 1', edits.ipv6Dns1);
  show('IPv6 DNS 2', edits.ipv6Dns2);
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  if (edits.dhcp === true) lines.push('afterwards the camera takes its address from DHCP: look it up on your DHCP server');
  else if (edits.address !== undefined || edits.ports[scheme] !== undefined) {
    const host = edits.address ?? url.hostname;
    const port = edits.ports[scheme];
    lines.push(`afterwards the camera answers at ${scheme}://${host}${port !== undefined && port !== (scheme === 'https' ? 443 : 80) ? `:${port}` : url.port ? `:${url.port}` : ''}/`);
  }
  lines.push('wrong settings can make the camera unreachable over the network');
  return lines;
}
