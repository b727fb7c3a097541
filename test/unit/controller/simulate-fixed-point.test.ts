import test from 'ava';
import type { ClusterConfig, ClusterStatus } from '../../../coordinator/cib/index.ts';
import {
  applyMembership,
  applyTransitionSimulated,
  banResource,
  moveResource,
  setStandby,
  topologicalOrder,
} from '../../../coordinator/controller/index.ts';
import { type Transition, schedule } from '../../../coordinator/scheduler/index.ts';
import { applyConfigCommand } from '../../../cli/config/apply.ts';
import { placement, rsPair, rsPairWithGroupMeta } from './support.ts';

const NOW = 1_750_000_000_000;

function fresh(config: ClusterConfig, nodes: Record<string, 'member' | 'lost'>): ClusterStatus {
  return applyMembership(
    { haveQuorum: true, nodes: [] },
    { haveQuorum: true, nodes: Object.entries(nodes).map(([name, state]) => ({ name, state })) },
    { stonithEnabled: false, dc: 'rsha1' },
  );
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function withPingdRule(config: ClusterConfig): ClusterConfig {
  const words = 'constraint location abiquo_rs rule score=-INFINITY pingd lt 1 or not_defined pingd'.split(
    ' ',
  );
  const r = applyConfigCommand(config, words);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.config;
}

const startsOrStops = (t: Transition): string[] =>
  t.actions.filter((a) => !a.pseudo && (a.kind === 'start' || a.kind === 'stop')).map((a) => a.id);

interface Case {
  name: string;
  config: ClusterConfig;
  status: ClusterStatus;
  /** Where the group runs after the simulated transition. */
  group: string;
}

const { config: base, status: running } = rsPair();
const cases: Case[] = [
  {
    name: 'fresh two-node cluster',
    config: base,
    status: fresh(base, { rsha1: 'member', rsha2: 'member' }),
    group: 'rsha1',
  },
  {
    name: 'fresh, rsha1 down',
    config: base,
    status: fresh(base, { rsha1: 'lost', rsha2: 'member' }),
    group: 'rsha2',
  },
  { name: 'the fixture state (running on rsha1)', config: base, status: running, group: 'rsha1' },
  {
    name: 'rsha1 lost from the fixture state',
    config: base,
    status: applyMembership(
      running,
      { haveQuorum: true, nodes: [{ name: 'rsha1', state: 'lost' }] },
      { stonithEnabled: false },
    ),
    group: 'rsha2',
  },
  {
    name: 'rsha1 in standby',
    config: must(setStandby(base, 'rsha1', true)),
    status: running,
    group: 'rsha2',
  },
  {
    name: 'moved to rsha2',
    config: must(moveResource(base, 'abiquo_rs', 'rsha2')),
    status: running,
    group: 'rsha2',
  },
  {
    name: 'banned from rsha1',
    config: must(banResource(base, 'abiquo_rs', 'rsha1')),
    status: running,
    group: 'rsha2',
  },
  {
    name: 'pingd rule, rsha1 lost its gateway',
    config: withPingdRule(base),
    status: {
      ...running,
      nodes: running.nodes.map((n) =>
        n.name === 'rsha1' ? { ...n, transientAttributes: { pingd: '0' } } : n,
      ),
    },
    group: 'rsha2',
  },
  {
    name: 'migration-threshold=1 with a monitor failure count on rsha1',
    config: rsPairWithGroupMeta({ 'migration-threshold': '1' }),
    status: {
      ...running,
      nodes: running.nodes.map((n) =>
        n.name === 'rsha1'
          ? {
              ...n,
              transientAttributes: { ...n.transientAttributes, 'fail-count-ClusterIP#monitor_30000': '1' },
            }
          : n,
      ),
    },
    group: 'rsha2',
  },
];

for (const c of cases) {
  test(`simulated transition reaches the fixed point: ${c.name}`, (t) => {
    const first = schedule({ config: c.config, status: c.status, now: NOW });
    const after = applyTransitionSimulated(c.config, c.status, first, NOW + 1_000);
    const second = schedule({ config: c.config, status: after, now: NOW + 2_000 });
    t.deepEqual(startsOrStops(second), [], 'no start or stop is left to do');
    t.deepEqual(
      second.actions.filter((a) => !a.pseudo).map((a) => a.id),
      [],
      'no probe or monitor either',
    );
    const p = placement(second.resources);
    t.deepEqual([p['vm_repository'], p['ClusterIP'], p['tomcat-service']], [c.group, c.group, c.group]);
  });
}

test('topologicalOrder respects every edge of a real transition', (t) => {
  const tr = schedule({ config: base, status: fresh(base, { rsha1: 'member', rsha2: 'member' }), now: NOW });
  const order = topologicalOrder(tr).map((a) => a.id);
  t.is(order.length, tr.actions.length);
  for (const e of tr.edges)
    t.true(order.indexOf(e.before) < order.indexOf(e.after), `${e.before} → ${e.after}`);
});
