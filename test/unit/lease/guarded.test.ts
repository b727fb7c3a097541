import test from 'ava';
import { leaseGuards } from '../../../agent/lease/index.ts';
import { emptyConfig, type ClusterConfig } from '../../../coordinator/cib/index.ts';
import { findPrimitive } from '../../../coordinator/transport/index.ts';

const cases: { name: string; meta: Record<string, string>; guarded: boolean }[] = [
  { name: 'a primitive', meta: {}, guarded: true },
  {
    name: 'an anonymous clone instance',
    meta: { 'clone-max': '2', 'globally-unique': 'false' },
    guarded: false,
  },
  {
    name: 'a globally-unique clone instance',
    meta: { 'clone-max': '2', 'globally-unique': 'true' },
    guarded: true,
  },
  { name: 'requires=nothing', meta: { requires: 'nothing' }, guarded: false },
  { name: 'requires=quorum', meta: { requires: 'quorum' }, guarded: true },
  { name: 'clone-max=0 (not a clone)', meta: { 'clone-max': '0' }, guarded: true },
];
for (const c of cases) {
  test(`leaseGuards: ${c.name}`, (t) => {
    t.is(leaseGuards(c.meta), c.guarded);
  });
}

test('findPrimitive gives clone instances the clone meta Pacemaker passes (so ping is not guarded)', (t) => {
  const config: ClusterConfig = {
    ...emptyConfig('c', ['a', 'b']),
    resources: [
      {
        kind: 'clone',
        id: 'ping-clone',
        metaAttributes: {},
        child: {
          kind: 'primitive',
          id: 'ping',
          agent: { standard: 'ocf', provider: 'tandem', type: 'ping' },
          instanceAttributes: {},
          metaAttributes: {},
          operations: [],
        },
      },
      {
        kind: 'primitive',
        id: 'ip',
        agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
        instanceAttributes: {},
        metaAttributes: {},
        operations: [],
      },
    ],
  };
  const ping = findPrimitive(config, 'ping');
  t.like(ping?.meta, { 'clone-max': '2', 'clone-node-max': '1', 'globally-unique': 'false' });
  t.false(leaseGuards(ping?.meta ?? {}));
  t.true(leaseGuards(findPrimitive(config, 'ip')?.meta ?? {}));
});
