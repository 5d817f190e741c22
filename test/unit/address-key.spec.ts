/**
 * The key per-address limits count under (src/lib/address-key.ts): IPv4 as is, IPv6 by its /64
 * (RFC 6177: the smallest block one subscriber is given), IPv4-mapped IPv6 as the IPv4 address.
 */
import { addressKey } from '../../src/lib/address-key';

it('keys IPv4 by the address and IPv6 by its /64, however it is written', () => {
  expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
  expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(addressKey('::ffff:cb00:7107')).toBe('203.0.113.7');
  const keys = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2:a:b:c:d', 'fe80::1%eth0'].map(addressKey);
  expect(keys).toEqual(['2001:db8:1:2::/64', '2001:db8:1:2::/64', '2001:db8:1:2::/64', 'fe80:0:0:0::/64']);
  expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
  expect(addressKey('::1')).toBe('0:0:0:0::/64');
});

it('keeps what is not an address, and a key, as it is', () => {
  for (const s of ['unknown', '', 'not:an:address', '2001:db8:1:2::/64']) expect(addressKey(s)).toBe(s);
});

it('keys a connection with no address (reset by its client before it was read) as unknown', () => {
  expect(addressKey(undefined)).toBe('unknown');
});
