import test from 'ava';
import {
  broadcastOf,
  connectedRouteFor,
  formatIpv4,
  parseIpv4,
  parsePrefixLength,
  type Route,
} from '../../../resource-agents/internal/ipv4.ts';

const addresses: [string, number | undefined][] = [
  ['192.0.2.58', 0xc000023a],
  ['0.0.0.0', 0],
  ['255.255.255.255', 0xffffffff],
  ['192.0.2.256', undefined],
  ['192.0.2', undefined],
  ['192.0.02.1', undefined],
  ['2001:db8::1', undefined],
  [' 192.0.2.1 ', 0xc0000201],
];
for (const [text, want] of addresses) {
  test(`parseIpv4(${JSON.stringify(text)})`, (t) => t.is(parseIpv4(text), want));
}

test('formatIpv4 inverts parseIpv4', (t) => {
  for (const a of ['192.0.2.58', '0.0.0.0', '255.255.255.255', '198.51.100.7'])
    t.is(formatIpv4(parseIpv4(a) ?? -1), a);
});

const prefixes: [string, number | undefined][] = [
  ['24', 24],
  ['0', 0],
  ['32', 32],
  ['33', undefined],
  ['255.255.255.0', 24],
  ['255.255.255.255', 32],
  ['255.0.255.0', undefined],
  ['x', undefined],
];
for (const [text, want] of prefixes) {
  test(`parsePrefixLength(${text})`, (t) => t.is(parsePrefixLength(text), want));
}

test('broadcastOf', (t) => {
  t.is(formatIpv4(broadcastOf(parseIpv4('192.0.2.58') ?? 0, 24)), '192.0.2.255');
  t.is(formatIpv4(broadcastOf(parseIpv4('198.51.100.9') ?? 0, 29)), '198.51.100.15');
});

const routes: Route[] = [
  { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
  { dst: '192.0.2.0/24', dev: 'eth0', scope: 'link' },
  { dst: '192.0.2.128/25', dev: 'eth1', scope: 'link' },
  { dst: '203.0.113.0/24', gateway: '192.0.2.1', dev: 'eth0' },
  { dst: '198.51.100.7', dev: 'tun0', scope: 'link' },
];
const lookups: [string, { dev: string; prefix: number } | undefined][] = [
  ['192.0.2.58', { dev: 'eth0', prefix: 24 }],
  ['192.0.2.200', { dev: 'eth1', prefix: 25 }],
  ['203.0.113.5', undefined],
  ['198.51.100.7', { dev: 'tun0', prefix: 32 }],
  ['198.51.100.8', undefined],
];
for (const [ip, want] of lookups) {
  test(`connectedRouteFor(${ip}): longest connected prefix, never via a gateway`, (t) => {
    t.deepEqual(connectedRouteFor(routes, parseIpv4(ip) ?? 0), want);
  });
}
