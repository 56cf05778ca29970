import { describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../../protocols/http/common/capabilities.js';
import {
  ipv4Problem,
  ipv4SetupProblem,
  ipv6Problem,
  ipv6SetupProblem,
  ipv6ToBigInt,
  networkProblems,
  parseIpv6Prefix,
  parseNetmask,
  portProblem,
  portsProblem,
  prefixToNetmask,
} from '../../../protocols/http/common/ip-validate.js';

describe('IPv4 host addresses', () => {
  it('accepts unicast addresses', () => {
    for (const ok of ['192.168.1.20', '10.0.0.1', '172.16.5.4', '1.1.1.1']) expect(ipv4Problem('address', ok), ok).toBeUndefined();
  });

  it('rejects bad syntax, saying how to write one', () => {
    expect(ipv4Problem('address', '192.168.1')).toMatch(/not an IPv4 address; write four numbers .*e\.g\. 192\.168\.1\.20/);
    expect(ipv4Problem('address', '192.168.1.256')).toMatch(/not an IPv4 address/);
    expect(ipv4Problem('address', '192.168.01.2')).toMatch(/without leading zeros/);
    expect(ipv4Problem('address', 'camera.local')).toMatch(/not an IPv4 address/);
    expect(ipv4Problem('address', '')).toMatch(/not an IPv4 address/);
  });

  it('rejects this-network, loopback, multicast and reserved addresses', () => {
    expect(ipv4Problem('address', '0.1.2.3')).toMatch(/not a host address/);
    expect(ipv4Problem('address', '127.0.0.1')).toMatch(/loopback/);
    expect(ipv4Problem('address', '239.1.1.1')).toMatch(/multicast/);
    expect(ipv4Problem('address', '255.255.255.255')).toMatch(/reserved or broadcast/);
  });

  it('lets gateway and DNS fields be none (empty or 0.0.0.0) only when allowed', () => {
    expect(ipv4Problem('gateway', '', { allowNone: true })).toBeUndefined();
    expect(ipv4Problem('gateway', '0.0.0.0', { allowNone: true })).toBeUndefined();
    expect(ipv4Problem('address', '0.0.0.0')).toMatch(/not a host address/);
  });
});

describe('netmasks', () => {
  it('takes contiguous dotted masks and prefix lengths', () => {
    expect(parseNetmask('255.255.255.0')).toEqual({ prefix: 24 });
    expect(parseNetmask('255.255.240.0')).toEqual({ prefix: 20 });
    expect(parseNetmask('255.255.255.252')).toEqual({ prefix: 30 });
    expect(parseNetmask('/16')).toEqual({ prefix: 16 });
    expect(parseNetmask('8')).toEqual({ prefix: 8 });
    expect(prefixToNetmask(20)).toBe('255.255.240.0');
    expect(prefixToNetmask(30)).toBe('255.255.255.252');
  });

  it('rejects masks with holes', () => {
    expect(parseNetmask('255.0.255.0')).toEqual({ problem: expect.stringMatching(/not a contiguous netmask.*255\.255\.255\.0/) });
    expect(parseNetmask('255.255.255.1')).toEqual({ problem: expect.stringMatching(/not a contiguous/) });
  });

  it('rejects masks that leave no network or no room for a gateway, and non-masks', () => {
    expect(parseNetmask('255.255.255.255')).toEqual({ problem: expect.stringMatching(/\/32\) leaves no room.*\/1-\/30/) });
    expect(parseNetmask('/31')).toEqual({ problem: expect.stringMatching(/no room/) });
    expect(parseNetmask('0.0.0.0')).toEqual({ problem: expect.stringMatching(/no network/) });
    expect(parseNetmask('/33')).toEqual({ problem: expect.stringMatching(/not a prefix length/) });
    expect(parseNetmask('class C')).toEqual({ problem: expect.stringMatching(/not a netmask/) });
  });
});

describe('a static IPv4 setup as a whole', () => {
  const setup = (address: string, subnet: string, gateway: string) => ipv4SetupProblem({ address, subnet, gateway });

  it('accepts a gateway inside the subnet, or none', () => {
    expect(setup('192.168.1.20', '255.255.255.0', '192.168.1.1')).toBeUndefined();
    expect(setup('10.1.200.7', '/16', '10.1.0.1')).toBeUndefined();
    expect(setup('192.168.1.20', '255.255.255.0', '0.0.0.0')).toBeUndefined();
  });

  it('rejects a gateway outside the subnet, naming the range to pick from', () => {
    expect(setup('192.168.1.20', '255.255.255.0', '192.168.2.1')).toMatch(/gateway 192\.168\.2\.1 is outside the camera's subnet 192\.168\.1\.0\/24.*192\.168\.1\.1-192\.168\.1\.254/);
  });

  it('rejects the network or broadcast address as the address or the gateway', () => {
    expect(setup('192.168.1.0', '255.255.255.0', '192.168.1.1')).toMatch(/address 192\.168\.1\.0 is the network address/);
    expect(setup('192.168.1.255', '255.255.255.0', '192.168.1.1')).toMatch(/broadcast address/);
    expect(setup('192.168.1.20', '255.255.255.0', '192.168.1.0')).toMatch(/gateway .* is the network address/);
    expect(setup('192.168.1.20', '255.255.255.0', '192.168.1.255')).toMatch(/gateway .* is the broadcast address/);
  });

  it("rejects the camera's own address as its gateway", () => {
    expect(setup('192.168.1.20', '255.255.255.0', '192.168.1.20')).toMatch(/camera's own address/);
  });
});

describe('IPv6', () => {
  it('reads addresses, including :: and an IPv4 tail', () => {
    expect(ipv6ToBigInt('::1')).toBe(1n);
    expect(ipv6ToBigInt('2001:db8::20')).toBe((0x2001n << 112n) | (0xdb8n << 96n) | 0x20n);
    expect(ipv6ToBigInt('::ffff:192.0.2.1')).toBe((0xffffn << 32n) | 0xc0000201n);
    expect(ipv6ToBigInt('1:2:3:4:5:6:7:8')).toBe(ipv6ToBigInt('1:2:3:4:5:6:0.7.0.8'));
  });

  it('accepts global and unique-local addresses, and rejects syntax errors and zones', () => {
    expect(ipv6Problem('IPv6 address', '2001:db8::20')).toBeUndefined();
    expect(ipv6Problem('IPv6 address', 'fd00::5')).toBeUndefined();
    expect(ipv6Problem('IPv6 address', '2001:db8:::1')).toMatch(/not an IPv6 address; write e\.g\. 2001:db8::20/);
    expect(ipv6Problem('IPv6 address', '192.168.1.1')).toMatch(/not an IPv6 address/);
    expect(ipv6Problem('IPv6 address', 'fe80::1%eth0')).toMatch(/has a zone \(%eth0\).*fe80::1/);
  });

  it('rejects unspecified, loopback, multicast and (for the address) link-local', () => {
    expect(ipv6Problem('IPv6 address', '::')).toMatch(/unspecified/);
    expect(ipv6Problem('IPv6 address', '::1')).toMatch(/loopback/);
    expect(ipv6Problem('IPv6 address', 'ff02::1')).toMatch(/multicast/);
    expect(ipv6Problem('IPv6 address', 'fe80::20')).toMatch(/link-local address, which the camera makes itself/);
    expect(ipv6Problem('IPv6 gateway', 'fe80::1', { allowLinkLocal: true })).toBeUndefined();
    expect(ipv6Problem('IPv6 gateway', '', { allowNone: true })).toBeUndefined();
  });

  it('takes prefix lengths 1-128', () => {
    expect(parseIpv6Prefix('64')).toEqual({ prefix: 64 });
    expect(parseIpv6Prefix('/48')).toEqual({ prefix: 48 });
    expect(parseIpv6Prefix('0')).toEqual({ problem: expect.stringMatching(/1-128/) });
    expect(parseIpv6Prefix('129')).toEqual({ problem: expect.stringMatching(/1-128/) });
  });

  it('wants a global gateway inside the prefix; a link-local one is always reachable', () => {
    expect(ipv6SetupProblem({ address: '2001:db8:1::20', prefixLength: 64, gateway: '2001:db8:1::1' })).toBeUndefined();
    expect(ipv6SetupProblem({ address: '2001:db8:1::20', prefixLength: 64, gateway: 'fe80::1' })).toBeUndefined();
    expect(ipv6SetupProblem({ address: '2001:db8:1::20', prefixLength: 64, gateway: '2001:db8:2::1' })).toMatch(/outside 2001:db8:1::20\/64/);
    expect(ipv6SetupProblem({ address: '2001:db8:1::20', prefixLength: 64, gateway: '2001:db8:1::20' })).toMatch(/own address/);
  });
});

describe('ports', () => {
  it('allows the well-known port or 1024-65535 for each service', () => {
    expect(portProblem('http', '80')).toBeUndefined();
    expect(portProblem('http', '8080')).toBeUndefined();
    expect(portProblem('https', '443')).toBeUndefined();
    expect(portProblem('rtsp', '554')).toBeUndefined();
    expect(portProblem('http', '443')).toMatch(/http port 443 is not allowed by the camera; write 80 or 1024-65535/);
    expect(portProblem('rtsp', '80')).toMatch(/write 554 or 1024-65535/);
  });

  it('rejects what is not a port number', () => {
    for (const bad of ['0', '65536', '-1', 'http', '80.5', '']) expect(portProblem('http', bad), bad).toMatch(/not a port number; write 80 or 1024-65535/);
  });

  it('wants different ports, comparing only those given', () => {
    expect(portsProblem({ http: 8080, https: 443, rtsp: 554 })).toBeUndefined();
    expect(portsProblem({ http: 8080, https: 8080, rtsp: 554 })).toMatch(/http and https would both use port 8080/);
    expect(portsProblem({ http: 8554, rtsp: 8554 })).toMatch(/http and rtsp would both use port 8554/);
    expect(portsProblem({ https: 8443 })).toBeUndefined();
  });
});

describe('networkProblems', () => {
  const base = (): NetworkSettings => ({
    ipv4: { dhcp: false, address: '192.168.0.100', gateway: '192.168.0.1', subnet: '255.255.255.0', dns: { primary: '192.168.0.1', secondary: '0.0.0.0' } },
    ipv6: { enabled: false, address: '', prefixLength: 64, gateway: '', dns: { primary: '', secondary: '' } },
    ports: { http: 80, https: 443, rtsp: 554 },
  });

  it('finds nothing wrong with a sound setup', () => {
    expect(networkProblems(base())).toEqual([]);
  });

  it('checks the merged result: a new address alone can leave the old gateway outside the subnet', () => {
    const n = base();
    n.ipv4.address = '10.9.8.7';
    expect(networkProblems(n)).toEqual([expect.stringMatching(/gateway 192\.168\.0\.1 is outside/)]);
  });

  it('skips the static IPv4 block under DHCP, and checks IPv6 only when enabled', () => {
    const n = base();
    n.ipv4.dhcp = true;
    n.ipv4.address = '';
    n.ipv6!.address = 'nonsense';
    expect(networkProblems(n)).toEqual([]);
    n.ipv6!.enabled = true;
    expect(networkProblems(n)).toEqual([expect.stringMatching(/IPv6 address "nonsense" is not an IPv6 address/)]);
  });

  it('checks an enabled IPv6 block as a whole, DNS included', () => {
    const n = base();
    n.ipv6 = { enabled: true, address: '2001:db8:1::20', prefixLength: 64, gateway: '2001:db8:9::1', dns: { primary: 'ff02::1', secondary: '' } };
    expect(networkProblems(n)).toEqual([expect.stringMatching(/IPv6 gateway 2001:db8:9::1 is outside 2001:db8:1::20\/64/), expect.stringMatching(/IPv6 dns1 ff02::1 is a multicast address/)]);
  });

  it('reports DNS and port problems too', () => {
    const n = base();
    n.ipv4.dns.primary = '8.8.8';
    n.ports.rtsp = 443;
    expect(networkProblems(n)).toEqual([expect.stringMatching(/dns1/), expect.stringMatching(/rtsp port 443 is not allowed/), expect.stringMatching(/https and rtsp would both use port 443/)]);
  });
});
