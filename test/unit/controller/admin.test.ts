import test from 'ava';
import {
  type ClusterStatus,
  INFINITY,
  parseConfigJson,
  serializeConfig,
} from '../../../coordinator/cib/index.ts';
import {
  applyMembership,
  applyTransitionSimulated,
  banResource,
  cleanupStatus,
  clearResource,
  cliConstraints,
  moveResource,
  setStandby,
} from '../../../coordinator/controller/index.ts';
import { schedule } from '../../../coordinator/scheduler/index.ts';
import { parseIsoTimeMs } from '../../../coordinator/cib/iso-time.ts';
import { placement, rsPair } from './support.ts';

const NOW = Date.UTC(2026, 10, 23, 20, 0, 0);
const { config, status } = rsPair();

test('move: cli-prefer-RSC at INFINITY, replacing an earlier move; lifetime sets expires', (t) => {
  const once = moveResource(config, 'abiquo_rs', 'rsha1');
  if (!once.ok) return t.fail(once.error);
  const twice = moveResource(once.value, 'abiquo_rs', 'rsha2', { lifetimeMs: 3_600_000, nowMs: NOW });
  if (!twice.ok) return t.fail(twice.error);
  t.deepEqual(
    twice.value.constraints.location.filter((l) => l.id.startsWith('cli-')),
    [
      {
        id: 'cli-prefer-abiquo_rs',
        rsc: 'abiquo_rs',
        node: 'rsha2',
        score: INFINITY,
        expires: '2026-11-23T21:00:00Z',
      },
    ],
  );
  t.is(config.constraints.location.length, 0, 'input not mutated');
});

test('ban: cli-ban-RSC-on-NODE at -INFINITY; clear removes moves and bans (optionally per node)', (t) => {
  let c = config;
  for (const node of ['rsha1', 'rsha2']) {
    const r = banResource(c, 'ClusterIP', node);
    if (!r.ok) return t.fail(r.error);
    c = r.value;
  }
  const moved = moveResource(c, 'ClusterIP', 'rsha2');
  if (!moved.ok) return t.fail(moved.error);
  t.deepEqual(
    moved.value.constraints.location.map((l) => [l.id, l.node, l.score]),
    [
      ['cli-ban-ClusterIP-on-rsha1', 'rsha1', -INFINITY],
      ['cli-ban-ClusterIP-on-rsha2', 'rsha2', -INFINITY],
      ['cli-prefer-ClusterIP', 'rsha2', INFINITY],
    ],
  );
  const one = clearResource(moved.value, 'ClusterIP', 'rsha1');
  t.deepEqual(one.removed, ['cli-ban-ClusterIP-on-rsha1']);
  const all = clearResource(moved.value, 'ClusterIP');
  t.deepEqual(all.removed, [
    'cli-ban-ClusterIP-on-rsha1',
    'cli-ban-ClusterIP-on-rsha2',
    'cli-prefer-ClusterIP',
  ]);
  t.deepEqual(all.config.constraints.location, []);
  t.is(clearResource(config, 'ClusterIP').config, config, 'nothing to clear: same config');
});

const refusals: { name: string; run: () => { ok: boolean; error?: string }; message: RegExp }[] = [
  {
    name: 'move of an unknown resource',
    run: () => moveResource(config, 'nope', 'rsha1'),
    message: /no resource 'nope' \(resources: abiquo_rs, ping-clone\)/,
  },
  {
    name: 'ban on an unknown node',
    run: () => banResource(config, 'abiquo_rs', 'rsha9'),
    message: /no node 'rsha9' \(nodes: rsha1, rsha2\)/,
  },
  {
    name: 'a zero lifetime',
    run: () => moveResource(config, 'abiquo_rs', 'rsha1', { lifetimeMs: 0, nowMs: NOW }),
    message: /lifetime must be a positive duration/,
  },
  {
    name: 'standby of an unknown node',
    run: () => setStandby(config, 'rsha3', true),
    message: /node standby: no node 'rsha3'/,
  },
  {
    name: 'cleanup of an unknown resource',
    run: () => cleanupStatus(config, status, { rsc: 'ghost' }),
    message: /no resource 'ghost'/,
  },
];
for (const r of refusals) {
  test(`admin refuses ${r.name}`, (t) => {
    const out = r.run();
    t.false(out.ok);
    t.regex(out.error ?? '', r.message);
  });
}

test('standby sets standby=on, unstandby removes it', (t) => {
  const on = setStandby(config, 'rsha1', true);
  if (!on.ok) return t.fail(on.error);
  t.is(on.value.nodes[0]?.attributes['standby'], 'on');
  const off = setStandby(on.value, 'rsha1', false);
  if (!off.ok) return t.fail(off.error);
  t.deepEqual(off.value.nodes[0]?.attributes, {});
});

test('a move with a lifetime applies until it expires; the scheduler rechecks at the expiry', (t) => {
  const banned = banResource(config, 'abiquo_rs', 'rsha1', { lifetimeMs: 600_000, nowMs: NOW });
  if (!banned.ok) return t.fail(banned.error);
  const freshStatus: ClusterStatus = applyMembership(
    { haveQuorum: true, nodes: [] },
    {
      haveQuorum: true,
      nodes: [
        { name: 'rsha1', state: 'member' },
        { name: 'rsha2', state: 'member' },
      ],
    },
    { stonithEnabled: false },
  );
  const during = schedule({ config: banned.value, status: freshStatus, now: NOW });
  t.is(placement(during.resources)['vm_repository'], '');
  t.true(during.actions.some((a) => a.id === 'start vm_repository rsha2'));
  t.is(during.recheckAt, NOW + 600_000);
  const after = schedule({ config: banned.value, status: freshStatus, now: NOW + 600_000 });
  t.true(
    after.actions.some((a) => a.id === 'start vm_repository rsha1'),
    'expired: rsha1 wins by name again',
  );
  t.is(after.recheckAt, undefined);
  t.deepEqual(
    cliConstraints(banned.value, NOW + 600_000).map((c) => [c.constraint.id, c.expired]),
    [['cli-ban-abiquo_rs-on-rsha1', true]],
  );
  // The native file keeps `expires`.
  const back = parseConfigJson(serializeConfig(banned.value));
  t.true(back.ok);
  if (back.ok) t.is(back.value.constraints.location[0]?.expires, '2026-11-23T20:10:00Z');
});

test('cleanup forgets failed resources only (refresh: all), then the scheduler re-probes', (t) => {
  // A failed start of vm_repository on rsha1, recorded as the controller does.
  const first = schedule({ config, status, now: NOW });
  const ran = applyTransitionSimulated(config, status, first, NOW);
  const failed: ClusterStatus = {
    ...ran,
    nodes: ran.nodes.map((n) =>
      n.name === 'rsha1'
        ? {
            ...n,
            transientAttributes: {
              ...n.transientAttributes,
              'fail-count-vm_repository#start_0': 'INFINITY',
              'last-failure-vm_repository#start_0': '1750000000',
            },
          }
        : n,
    ),
  };
  const r = cleanupStatus(config, failed, {});
  if (!r.ok) return t.fail(r.error);
  t.deepEqual(r.value.cleaned, [{ rsc: 'vm_repository', node: 'rsha1' }]);
  const rsha1 = r.value.status.nodes.find((n) => n.name === 'rsha1');
  t.deepEqual(rsha1?.transientAttributes, { pingd: '1000' });
  t.false(rsha1?.history.some((h) => h.id === 'vm_repository'));
  t.true(
    rsha1?.history.some((h) => h.id === 'ClusterIP'),
    'resources without failures keep their history',
  );
  const next = schedule({ config, status: r.value.status, now: NOW });
  t.true(next.actions.some((a) => a.id === 'probe vm_repository rsha1'));

  const all = cleanupStatus(config, failed, { rsc: 'abiquo_rs', node: 'rsha2', refresh: true });
  if (!all.ok) return t.fail(all.error);
  t.deepEqual(
    all.value.cleaned.map((c) => c.rsc),
    ['ClusterIP', 'tomcat-service', 'vm_repository'],
  );
  t.true(all.value.cleaned.every((c) => c.node === 'rsha2'));
});

const isoCases: [string, number | undefined][] = [
  ['2026-11-23T20:05:00Z', Date.UTC(2026, 10, 23, 20, 5, 0)],
  ['2026-11-23 20:05:00+01:00', Date.UTC(2026, 10, 23, 19, 5, 0)],
  ['2000-02-29T00:00:00.5Z', Date.UTC(2000, 1, 29) + 500],
  ['1970-01-01T00:00', 0],
  ['2026-13-01T00:00Z', undefined],
  ['tomorrow', undefined],
];
for (const [text, ms] of isoCases) {
  test(`expires times parse without Date: ${text}`, (t) => {
    t.is(parseIsoTimeMs(text), ms);
  });
}
