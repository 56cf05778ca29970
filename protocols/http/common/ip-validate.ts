/**
 * Checks for network settings that would cut a camera off: addresses that are not usable host
 * addresses, netmasks with holes, gateways outside the camera's own subnet, ports the camera
 * refuses. Pure: every check returns the problem as one sentence that says what was wrong and
 * what to write instead, or undefined when the value is fine. Callers decide how to report it.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { NetworkSettings } from './capabilities.js';

export type Problem = string | undefined;

const q = (text: string) => JSON.stringify(text);

// ---- IPv4 -------------------------------------------------------------------------------------

/** A dotted IPv4 address as an unsigned 32-bit number (the text must pass isIPv4). */
export function ipv4ToNumber(text: string): number {
  return text.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The netmask of a prefix length, e.g. 24 -> 255.255.255.0. */
export function prefixToNetmask(prefix: number): string {
  return numberToIpv4(prefix === 0 ? 0 : (0xffffffff - (2 ** (32 - prefix) - 1)) >>> 0);
}

/** "No address" as the camera stores it: empty, or all zeros (gateway and DNS fields only). */
export function isNoIpv4(text: string): boolean {
  return text === '' || text === '0.0.0.0';
}

/**
 * A unicast IPv4 host address. `allowNone`: the field may be left empty or 0.0.0.0 (a gateway
 * or DNS server the camera does not use).
 */
export function ipv4Problem(field: string, text: string, options: { allowNone?: boolean } = {}): Problem {
  if (options.allowNone && isNoIpv4(text)) return undefined;
  if (!isIPv4(text)) {
    const hint = /^\d+(\.\d+){3}$/.test(text) ? 'four numbers 0-255 without leading zeros' : 'four numbers 0-255 separated by dots';
    return `${field} ${q(text)} is not an IPv4 address; write ${hint}, e.g. 192.168.1.20${options.allowNone ? ' (or 0.0.0.0 for none)' : ''}`;
  }
  const first = Number(text.split('.')[0]);
  if (first === 0) return `${field} ${text} is not a host address (0.x.x.x means "this network"); write the camera's real address, e.g. 192.168.1.20`;
  if (first === 127) return `${field} ${text} is a loopback address that never leaves the camera; write an address on your network, e.g. 192.168.1.20`;
  if (first >= 224 && first <= 239) return `${field} ${text} is a multicast address; write a unicast address, e.g. 192.168.1.20`;
  if (first >= 240) return `${field} ${text} is a reserved or broadcast address; write a unicast address, e.g. 192.168.1.20`;
  return undefined;
}

/** Netmask prefixes a camera can live in: /31 and /32 leave no room for a gateway. */
export const IPV4_PREFIX_MIN = 1;
export const IPV4_PREFIX_MAX = 30;

/**
 * A netmask in dotted form (255.255.255.0) or as a prefix length (24 or /24). Answers the prefix
 * length, or the problem.
 */
export function parseNetmask(text: string): { prefix: number } | { problem: string } {
  const prefixForm = /^\/?(\d{1,2})$/.exec(text);
  let prefix: number;
  if (prefixForm) {
    prefix = Number(prefixForm[1]);
    if (prefix > 32) return { problem: `subnet /${prefix} is not a prefix length (0-32); write e.g. /24 or 255.255.255.0` };
  } else if (isIPv4(text)) {
    const mask = ipv4ToNumber(text);
    const hostBits = (~mask >>> 0) + 1; // a power of two exactly when the 1 bits come first
    if ((hostBits & (hostBits - 1)) !== 0 && hostBits !== 2 ** 32) {
      return { problem: `subnet ${text} is not a contiguous netmask (its 1 bits must all come first); write e.g. 255.255.255.0 (/24) or 255.255.0.0 (/16)` };
    }
    prefix = 32 - Math.log2(hostBits);
  } else {
    return { problem: `subnet ${q(text)} is not a netmask; write it dotted, e.g. 255.255.255.0, or as a prefix length, e.g. /24` };
  }
  if (prefix < IPV4_PREFIX_MIN || prefix > IPV4_PREFIX_MAX) {
    return { problem: `subnet ${text} (/${prefix}) leaves ${prefix === 0 ? 'no network' : 'no room for a gateway'}; use /${IPV4_PREFIX_MIN}-/${IPV4_PREFIX_MAX}, e.g. 255.255.255.0 (/24)` };
  }
  return { prefix };
}

/**
 * A static IPv4 setup as a whole (each field already passed its own check): the address is
 * neither the network nor the broadcast address of its subnet, and the gateway (unless none)
 * is another host inside that subnet — outside it the camera could not reach its gateway.
 */
export function ipv4SetupProblem(setup: { address: string; subnet: string; gateway: string }): Problem {
  const mask = parseNetmask(setup.subnet);
  if ('problem' in mask) return mask.problem;
  const size = 2 ** (32 - mask.prefix);
  const network = (n: number) => n - (n % size);
  const address = ipv4ToNumber(setup.address);
  const net = network(address);
  const range = `${numberToIpv4(net + 1)}-${numberToIpv4(net + size - 2)}`;
  const cidr = `${numberToIpv4(net)}/${mask.prefix}`;
  if (address === net) return `address ${setup.address} is the network address of ${cidr}; pick a host address in ${range}`;
  if (address === net + size - 1) return `address ${setup.address} is the broadcast address of ${cidr}; pick a host address in ${range}`;
  if (isNoIpv4(setup.gateway)) return undefined;
  const gateway = ipv4ToNumber(setup.gateway);
  if (network(gateway) !== net) return `gateway ${setup.gateway} is outside the camera's subnet ${cidr}, so the camera could not reach it; write a gateway in ${range} (or fix address/subnet)`;
  if (gateway === net || gateway === net + size - 1) return `gateway ${setup.gateway} is the ${gateway === net ? 'network' : 'broadcast'} address of ${cidr}; write your router's address in ${range}`;
  if (gateway === address) return `gateway ${setup.gateway} is the camera's own address; write your router's address in ${range}`;
  return undefined;
}

// ---- IPv6 -------------------------------------------------------------------------------------

/** An IPv6 address as a 128-bit number (the text must pass isIPv6, without a zone). */
export function ipv6ToBigInt(text: string): bigint {
  // An embedded IPv4 tail (::ffff:192.0.2.1) is the last two groups written in decimal.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const n4 = v4 ? ipv4ToNumber(v4[1]!) : 0;
  const hex = v4 ? `${text.slice(0, -v4[1]!.length)}${(n4 >>> 16).toString(16)}:${(n4 & 0xffff).toString(16)}` : text;
  const [head = '', rest] = hex.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const samePrefix = (a: bigint, b: bigint, prefix: number) => a >> BigInt(128 - prefix) === b >> BigInt(128 - prefix);

function ipv6Kind(n: bigint): 'unspecified' | 'loopback' | 'multicast' | 'link-local' | 'unicast' {
  if (n === 0n) return 'unspecified';
  if (n === 1n) return 'loopback';
  if (n >> 120n === 0xffn) return 'multicast';
  if (n >> 118n === 0x3fan) return 'link-local'; // fe80::/10
  return 'unicast';
}

/**
 * A unicast IPv6 address. `allowNone`: may be empty or :: (a gateway or DNS server not used).
 * `allowLinkLocal`: fe80::/10 is fine (a gateway usually is one; the camera's own link-local
 * address is made by the camera, not set).
 */
export function ipv6Problem(field: string, text: string, options: { allowNone?: boolean; allowLinkLocal?: boolean } = {}): Problem {
  if (options.allowNone && (text === '' || text === '::')) return undefined;
  if (text.includes('%')) return `${field} ${q(text)} has a zone (${text.slice(text.indexOf('%'))}); the camera takes the address alone, e.g. ${text.slice(0, text.indexOf('%'))}`;
  if (!isIPv6(text)) return `${field} ${q(text)} is not an IPv6 address; write e.g. 2001:db8::20${options.allowNone ? ' (or :: for none)' : ''}`;
  const kind = ipv6Kind(ipv6ToBigInt(text));
  if (kind === 'unicast' || (kind === 'link-local' && options.allowLinkLocal)) return undefined;
  if (kind === 'link-local') return `${field} ${text} is a link-local address, which the camera makes itself; write a global or unique-local address, e.g. 2001:db8::20`;
  return `${field} ${text} is ${kind === 'unspecified' ? 'the unspecified address' : `a ${kind} address`}; write a unicast address, e.g. 2001:db8::20`;
}

/** An IPv6 prefix length, 1-128 (the SZ-G10 stores 0-128; 0 would mean no network). */
export function parseIpv6Prefix(text: string): { prefix: number } | { problem: string } {
  const m = /^\/?(\d{1,3})$/.exec(text);
  const prefix = m ? Number(m[1]) : NaN;
  if (!(prefix >= 1 && prefix <= 128)) return { problem: `IPv6 prefix length ${q(text)} must be a number 1-128; write e.g. 64` };
  return { prefix };
}

/** An IPv6 setup as a whole: a global gateway lies inside the address's prefix (a link-local one always does). */
export function ipv6SetupProblem(setup: { address: string; prefixLength: number; gateway: string }): Problem {
  if (setup.gateway === '' || setup.gateway === '::') return undefined;
  const address = ipv6ToBigInt(setup.address);
  const gateway = ipv6ToBigInt(setup.gateway);
  if (ipv6Kind(gateway) === 'link-local') return undefined;
  if (gateway === address) return `IPv6 gateway ${setup.gateway} is the camera's own address; write your router's address (often its link-local one, e.g. fe80::1)`;
  if (!samePrefix(gateway, address, setup.prefixLength)) {
    return `IPv6 gateway ${setup.gateway} is outside ${setup.address}/${setup.prefixLength}, so the camera could not reach it; write a gateway inside that prefix or a link-local one (fe80::...)`;
  }
  return undefined;
}

// ---- Ports ------------------------------------------------------------------------------------

export type PortName = 'http' | 'https' | 'rtsp';
/** The well-known port each service may keep; otherwise 1024-65535 (SZ-G10 ipSetup). */
export const WELL_KNOWN_PORTS: Readonly<Record<PortName, number>> = { http: 80, https: 443, rtsp: 554 };

export function portProblem(name: PortName, text: string): Problem {
  const value = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  const allowed = `${WELL_KNOWN_PORTS[name]} or 1024-65535`;
  if (!(value >= 1 && value <= 65535)) return `${name} port ${q(text)} is not a port number; write ${allowed}`;
  if (value !== WELL_KNOWN_PORTS[name] && value < 1024) return `${name} port ${value} is not allowed by the camera; write ${allowed}`;
  return undefined;
}

/** The services need different ports (any of them may be left out: only those given are compared). */
export function portsProblem(ports: Readonly<Partial<Record<PortName, number>>>): Problem {
  const names = (Object.keys(WELL_KNOWN_PORTS) as PortName[]).filter((name) => ports[name] !== undefined);
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      if (ports[a] === ports[b]) return `${a} and ${b} would both use port ${ports[a]}; give each service its own port`;
    }
  }
  return undefined;
}

// ---- Whole settings ---------------------------------------------------------------------------

/** The problems of a static IPv4 block as it would be sent (none under DHCP). */
export function ipv4BlockProblems(v4: NetworkSettings['ipv4']): string[] {
  if (v4.dhcp) return [];
  const mask = parseNetmask(v4.subnet);
  const fields: Problem[] = [ipv4Problem('address', v4.address), 'problem' in mask ? mask.problem : undefined, ipv4Problem('gateway', v4.gateway, { allowNone: true })];
  const whole = fields.every((p) => p === undefined) ? ipv4SetupProblem(v4) : undefined;
  return defined([...fields, whole, ipv4Problem('dns1', v4.dns.primary, { allowNone: true }), ipv4Problem('dns2', v4.dns.secondary, { allowNone: true })]);
}

/** The problems of an IPv6 block as it would be sent (none while IPv6 is off). */
export function ipv6BlockProblems(v6: NetworkSettings['ipv6']): string[] {
  if (!v6?.enabled) return [];
  const prefix = parseIpv6Prefix(String(v6.prefixLength));
  const fields: Problem[] = [
    ipv6Problem('IPv6 address', v6.address),
    'problem' in prefix ? prefix.problem : undefined,
    ipv6Problem('IPv6 gateway', v6.gateway, { allowNone: true, allowLinkLocal: true }),
  ];
  const whole = fields.every((p) => p === undefined) ? ipv6SetupProblem(v6) : undefined;
  return defined([...fields, whole, ipv6Problem('IPv6 dns1', v6.dns.primary, { allowNone: true }), ipv6Problem('IPv6 dns2', v6.dns.secondary, { allowNone: true })]);
}

export function portBlockProblems(ports: NetworkSettings['ports']): string[] {
  return defined([...(Object.keys(WELL_KNOWN_PORTS) as PortName[]).map((name) => portProblem(name, String(ports[name]))), portsProblem(ports)]);
}

/** Every problem of a complete network setup as it would be sent. */
export function networkProblems(n: NetworkSettings): string[] {
  return [...ipv4BlockProblems(n.ipv4), ...ipv6BlockProblems(n.ipv6), ...portBlockProblems(n.ports)];
}

const defined = (problems: Problem[]) => problems.filter((p): p is string => p !== undefined);
