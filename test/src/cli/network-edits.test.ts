import { describe, expect, it } from 'vitest';
import type { NetworkSettings } from '../../../protocols/http/common/capabilities.js';
import { applyNetworkEdits, describeNetworkEdits, parseNetworkEdits } from '../../../src/cli/network-edits.js';

const current = (): NetworkSettings => ({
  ipv4: { dhcp: false, address: '192.168.0.100', gateway: '192.168.0.1', subnet: '255.255.255.0', dns: { primary: '192.168.0.1', secondary: '0.0.0.0' } },
  ipv6: { enabled: false, address: '', prefixLength: 64, gateway: '', dns: { primary: '', secondary: '' } },
  ports: { http: 80, https: 443, rtsp: 554 },
});

describe('ip set edits', () => {
  it('normalise a prefix-form netmask to the dotted form the camera stores', () => {
    expect(parseNetworkEdits([['address', '10.1.2.3/16']])).toMatchObject({ address: '10.1.2.3', subnet: '255.255.0.0' });
    expect(parseNetworkEdits([['subnet', '/20']]).subnet).toBe('255.255.240.0');
    expect(parseNetworkEdits([['ipv6-address', '2001:db8::7/48']])).toMatchObject({ ipv6Address: '2001:db8::7', ipv6Prefix: 48 });
  });

  it('refuse the same key twice with different values, and unknown keys', () => {
    expect(() => parseNetworkEdits([['http', '8080'], ['http', '8081']])).toThrow(/http is given twice/);
    expect(() => parseNetworkEdits([['mtu', '1500']])).toThrow(/unknown key "mtu"; keys: dhcp, address/);
  });

  it('apply onto the current settings and check the touched blocks as a whole', () => {
    const next = applyNetworkEdits(current(), parseNetworkEdits([['address', '192.168.0.77'], ['http', '8080']]));
    expect(next.ipv4.address).toBe('192.168.0.77');
    expect(next.ports.http).toBe(8080);
    expect(() => applyNetworkEdits(current(), parseNetworkEdits([['subnet', '/30']]))).toThrow(/address 192\.168\.0\.100 is the network address of 192\.168\.0\.100\/30.*nothing was changed/);
    expect(() => applyNetworkEdits(current(), parseNetworkEdits([['subnet', '/29']]))).toThrow(/gateway 192\.168\.0\.1 is outside the camera's subnet 192\.168\.0\.96\/29/);
    expect(() => applyNetworkEdits(current(), parseNetworkEdits([['https', '80']]))).toThrow(/https port 80 is not allowed/);
  });

  it('do not judge blocks the edits leave alone', () => {
    const odd = current();
    odd.ipv4.gateway = '10.0.0.1'; // already outside the subnet on the camera
    expect(applyNetworkEdits(odd, parseNetworkEdits([['http', '8080']])).ports.http).toBe(8080);
    expect(() => applyNetworkEdits(odd, parseNetworkEdits([['dns1', '192.168.0.2']]))).toThrow(/gateway 10\.0\.0\.1 is outside/);
  });

  it('refuse IPv6 keys for a camera without IPv6 settings', () => {
    const { ipv6: _none, ...v4only } = current();
    expect(() => applyNetworkEdits(v4only, parseNetworkEdits([['ipv6', 'on']]))).toThrow(/reports no IPv6 settings/);
  });

  it('describe each change and where the camera will answer', () => {
    const lines = describeNetworkEdits(parseNetworkEdits([['address', '10.9.8.7/24'], ['gateway', '10.9.8.1'], ['http', '8080']]), new URL('http://192.168.0.100'));
    expect(lines).toEqual(['address: 10.9.8.7', 'netmask: 255.255.255.0', 'gateway: 10.9.8.1', 'http port: 8080', 'afterwards the camera answers at http://10.9.8.7:8080/', 'wrong settings can make the camera unreachable over the network']);
    expect(describeNetworkEdits(parseNetworkEdits([['dhcp', 'on']]), new URL('https://cam:8443'))).toContain('afterwards the camera takes its address from DHCP: look it up on your DHCP server');
  });
});
