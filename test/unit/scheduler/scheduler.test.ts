/**
 * Table-driven unit tests of the scheduler's parts that goldens do not pin down: rule
 * evaluation, the [order] reduction, the explanation (scores and reasons), recheckAt, and
 * configurations built in TypeScript (no XML).
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  emptyConfig,
  emptyStatus,
  parseCibXml,
  type AttributeExpression,
  type ClusterConfig,
  type ClusterStatus,
  type NodeState,
  type Primitive,
} from '../../../coordinator/cib/index.ts';
import {
  expressionMatches,
  formatSummary,
  orderLines,
  schedule,
  type Action,
  type Transition,
} from '../../../coordinator/scheduler/index.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');

function golden(name: string): { config: ClusterConfig; status: ClusterStatus } {
  const xml = readFileSync(
    fileURLToPath(new URL(`../../golden/scheduler/${name}/cib.xml`, import.meta.url)),
    'utf8',
  );
  const r = parseCibXml(xml);
  if (!r.ok) throw new Error(`golden ${name} does not import: ${r.error}`);
  return r.value;
}

const attrs: Record<string, string> = { pingd: '0', site: 'a', version: '2.10.1', weight: '1.5' };
const lookup = (name: string): string | undefined => attrs[name];

const expressionCases: { expr: Omit<AttributeExpression, 'kind'>; want: boolean }[] = [
  { expr: { attribute: 'pingd', operation: 'lt', value: '1' }, want: true },
  { expr: { attribute: 'pingd', operation: 'gte', value: '1' }, want: false },
  { expr: { attribute: 'missing', operation: 'lt', value: '1' }, want: false },
  { expr: { attribute: 'missing', operation: 'not_defined' }, want: true },
  { expr: { attribute: 'pingd', operation: 'defined' }, want: true },
  { expr: { attribute: 'site', operation: 'eq', value: 'A' }, want: true },
  { expr: { attribute: 'site', operation: 'ne', value: 'b' }, want: true },
  { expr: { attribute: 'weight', operation: 'gt', value: '1.25' }, want: true },
  { expr: { attribute: 'version', operation: 'gt', value: '2.9', type: 'version' }, want: true },
  { expr: { attribute: 'version', operation: 'gt', value: '2.9', type: 'number' }, want: false },
];

for (const { expr, want } of expressionCases) {
  test(`expression ${expr.attribute} ${expr.operation} ${expr.value ?? ''} ${expr.type ?? ''} → ${String(want)}`, (t) => {
    t.is(expressionMatches({ kind: 'expression', ...expr }, lookup), want);
  });
}

function act(id: string, pseudo = false): Action {
  const [kind, rsc, node] = id.split(' ');
  return {
    id,
    kind: kind === 'start' || kind === 'stop' ? kind : 'start',
    rsc: rsc ?? '',
    node: node ?? '',
    pseudo,
  };
}

test('[order] is the transitive reduction through pseudo actions, restricted to real ones', (t) => {
  const transition: Transition = {
    nodes: [],
    resources: [],
    actions: [
      act('stop a n1'),
      act('stopped g', true),
      act('start a n2'),
      act('start b n2'),
      act('start c n2'),
    ],
    edges: [
      { before: 'stop a n1', after: 'stopped g' },
      { before: 'stopped g', after: 'start a n2' },
      { before: 'stop a n1', after: 'start b n2' },
      { before: 'start a n2', after: 'start b n2' },
      { before: 'start b n2', after: 'start c n2' },
      { before: 'stop a n1', after: 'start c n2' },
    ],
    explanation: { scores: [], reasons: [] },
  };
  t.deepEqual(orderLines(transition), [
    'start a n2 -> start b n2',
    'start b n2 -> start c n2',
    'stop a n1 -> start a n2',
  ]);
});

test('explanation names the location rule that rules a node out', (t) => {
  const { config, status } = golden('gateway-lost-pingd-rule');
  const tr = schedule({ config, status, now: NOW });
  const reasons = tr.explanation.reasons.filter((r) => r.node === 'rsha1').map((r) => r.reason);
  t.true(
    reasons.includes('-INFINITY from location constraint loc-ping (pingd lt 1 or not_defined pingd)'),
    reasons.join('\n'),
  );
  const score = tr.explanation.scores.find((s) => s.rsc === 'vm_repository' && s.node === 'rsha1');
  t.is(score?.score, -1_000_000);
});

test('explanation names a migration-threshold ban', (t) => {
  const { config, status } = golden('monitor-failure-threshold-1');
  const tr = schedule({ config, status, now: NOW });
  t.true(
    tr.explanation.reasons.some(
      (r) =>
        r.rsc === 'tomcat-service' &&
        r.node === 'rsha1' &&
        r.reason === 'banned: fail count 1 reached migration-threshold 1',
    ),
  );
});

test('group stickiness is the sum of its members (300 beats a 200 preference)', (t) => {
  const { config, status } = golden('prefers-rsha2-200');
  const tr = schedule({ config, status, now: NOW });
  const s = (node: string): number | undefined =>
    tr.explanation.scores.find((x) => x.rsc === 'vm_repository' && x.node === node)?.score;
  t.is(s('rsha1'), 300);
  t.is(s('rsha2'), 200);
});

const recheckCases: { name: string; want: number | undefined }[] = [
  { name: 'failure-timeout-pending', want: (1735689590 + 60) * 1000 },
  { name: 'failure-timeout-expired', want: undefined },
  { name: 'group-running', want: undefined },
];
for (const { name, want } of recheckCases) {
  test(`recheckAt for ${name}`, (t) => {
    const { config, status } = golden(name);
    t.is(schedule({ config, status, now: NOW }).recheckAt, want);
  });
}

function dummy(id: string, meta: Record<string, string> = {}): Primitive {
  return {
    kind: 'primitive',
    id,
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' },
    instanceAttributes: {},
    metaAttributes: meta,
    operations: [{ name: 'monitor', intervalMs: 10_000 }],
  };
}

function onlineNode(name: string, history: NodeState['history'] = []): NodeState {
  return {
    name,
    inCcm: true,
    crmd: 'online',
    join: 'member',
    expected: 'member',
    transientAttributes: {},
    history,
  };
}

function probed(id: string, rc: number): NodeState['history'][number] {
  return {
    id,
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' },
    ops: [
      {
        id: `${id}_last_0`,
        operation: rc === 7 ? 'monitor' : 'start',
        intervalMs: 0,
        callId: 1,
        rc,
        opStatus: 0,
        ...(rc === 7 ? { targetRc: 7 } : {}),
      },
    ],
  };
}

const builtCases: {
  name: string;
  build: (c: ClusterConfig) => void;
  history?: Record<string, NodeState['history']>;
  want: string[];
}[] = [
  {
    name: 'fresh resources spread by count, lowest name first',
    build: (c) => c.resources.push(dummy('a'), dummy('b'), dummy('c')),
    want: ['a n1', 'b n2', 'c n3'],
  },
  {
    name: 'asymmetric cluster: only where a location allows',
    build: (c) => {
      c.properties['symmetric-cluster'] = 'false';
      c.resources.push(dummy('a'));
      c.constraints.location.push({ id: 'l', rsc: 'a', node: 'n3', score: 0 });
    },
    want: ['a n3'],
  },
  {
    name: 'target-role Stopped is not placed',
    build: (c) => c.resources.push(dummy('a', { 'target-role': 'Stopped' })),
    want: ['a Stopped'],
  },
  {
    name: 'stickiness 0 and no preference: a running resource stays (current node tie-break)',
    build: (c) => c.resources.push(dummy('a')),
    history: { n2: [probed('a', 0)], n1: [probed('a', 7)], n3: [probed('a', 7)] },
    want: ['a n2'],
  },
  {
    name: 'mandatory colocation follows the primary',
    build: (c) => {
      c.resources.push(dummy('a'), dummy('b'));
      c.constraints.location.push({ id: 'l', rsc: 'a', node: 'n3', score: 50 });
      c.constraints.colocation.push({ id: 'c', rsc: 'b', withRsc: 'a', score: 1_000_000 });
    },
    want: ['a n3', 'b n3'],
  },
];

for (const { name, build, history, want } of builtCases) {
  test(`built: ${name}`, (t) => {
    const config = emptyConfig('t', ['n1', 'n2', 'n3']);
    config.properties['stonith-enabled'] = 'false';
    build(config);
    const status = emptyStatus();
    status.crmFeatureSet = '3.16.1';
    status.nodes = ['n1', 'n2', 'n3'].map((n) => onlineNode(n, history?.[n] ?? []));
    const tr = schedule({ config, status, now: NOW });
    t.deepEqual(
      tr.resources.map((r) => `${r.rsc} ${r.next ?? 'Stopped'}`),
      want,
      formatSummary(tr),
    );
  });
}
