import { createHash } from 'node:crypto';
import test from 'ava';
import fc from 'fast-check';
import { computeOpDigest, md5Hex, type Primitive } from '../../../coordinator/cib/index.ts';

test('md5Hex equals node:crypto md5 on any text (property)', (t) => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      (s) => md5Hex(s) === createHash('md5').update(s).digest('hex'),
    ),
    { numRuns: 300 },
  );
  t.is(md5Hex(''), 'd41d8cd98f00b204e9800998ecf8427e');
});

const fs: Primitive = {
  kind: 'primitive',
  id: 'vm_repository',
  agent: { standard: 'ocf', provider: 'heartbeat', type: 'Filesystem' },
  instanceAttributes: {
    device: '192.0.2.10:/opt/vm_repository',
    directory: '/opt/vm_repository',
    fstype: 'nfs',
  },
  metaAttributes: {},
  operations: [{ name: 'monitor', intervalMs: 20_000, timeoutMs: 40_000 }],
};
const lsb: Primitive = {
  kind: 'primitive',
  id: 'tomcat-service',
  agent: { standard: 'lsb', type: 'abiquo-tomcat' },
  instanceAttributes: {},
  metaAttributes: {},
  operations: [{ name: 'monitor', intervalMs: 30_000 }],
};

// Digests crm_simulate (Pacemaker 2.1.5) wrote for these definitions.
const digests: [string, Primitive, string, number, Record<string, string>, string][] = [
  ['one-shot op: parameters only', fs, 'stop', 0, {}, 'd6e34868f7ab9107715a44c44dc86d9f'],
  [
    'recurring op: parameters + CRM_meta_timeout',
    fs,
    'monitor',
    20_000,
    {},
    'a200ebf90a3ab892b9a356b908ed31ff',
  ],
  ['no parameters', lsb, 'stop', 0, {}, 'f2317cad3d54cec5d7d7aa7d0bf35cf8'],
  ['default timeout 20s', lsb, 'monitor', 30_000, {}, '4811cef7f7f94e3a35a70be7916cb2fd'],
  ['op_defaults timeout', lsb, 'monitor', 30_000, { timeout: '30s' }, '02a5bcf940fc8d3239701acb11438d6a'],
];
for (const [name, prim, op, interval, opDefaults, want] of digests) {
  test(`computeOpDigest matches Pacemaker: ${name}`, (t) => {
    t.is(computeOpDigest(prim, op, interval, opDefaults), want);
  });
}

test('computeOpDigest: op_defaults timeout changes recurring digests only', (t) => {
  t.not(computeOpDigest(lsb, 'monitor', 30_000, { timeout: '30s' }), '4811cef7f7f94e3a35a70be7916cb2fd');
  t.is(computeOpDigest(lsb, 'stop', 0, { timeout: '30s' }), 'f2317cad3d54cec5d7d7aa7d0bf35cf8');
});
