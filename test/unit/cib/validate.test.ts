import test from 'ava';
import {
  formatIssues,
  INFINITY,
  validateConfig,
  type ClusterConfig,
  type Group,
  type Primitive,
  type Resource,
} from '../../../coordinator/cib/index.ts';
import { abiquoRsConfig } from './abiquo-rs-model.ts';

function group(c: ClusterConfig): Group {
  const g = c.resources[0];
  if (g?.kind !== 'group') throw new Error('fixture: first resource is the group');
  return g;
}
function member(c: ClusterConfig, id: string): Primitive {
  const m = group(c).members.find((x) => x.id === id);
  if (m === undefined) throw new Error(`fixture: no member ${id}`);
  return m;
}
const pingRule = (c: ClusterConfig): void => {
  c.constraints.location.push({
    id: 'loc-ping',
    rsc: 'abiquo_rs',
    rules: [
      {
        kind: 'rule',
        score: -INFINITY,
        booleanOp: 'or',
        expressions: [
          { kind: 'expression', attribute: 'pingd', operation: 'lt', value: '1' },
          { kind: 'expression', attribute: 'pingd', operation: 'not_defined' },
        ],
      },
    ],
  });
};

interface Case {
  name: string;
  mutate: (c: ClusterConfig) => void;
  level: 'errors' | 'warnings';
  path: string;
  /** Substring the fix must contain (what to do). */
  fix: string;
  /** Substring the message must contain, when it matters. */
  message?: string;
  /** The issue must NOT be reported. */
  absent?: true;
}

const COL = 'constraints.colocation[colocation-abiquo_rs-ping-clone-INFINITY]';
const IP = 'resources[abiquo_rs].members[ClusterIP]';

const cases: Case[] = [
  {
    name: 'duplicate id across a constraint and a resource',
    mutate: (c) =>
      c.constraints.order.push({
        id: 'ClusterIP',
        first: 'vm_repository',
        then: 'tomcat-service',
        firstAction: 'start',
        thenAction: 'start',
        kind: 'Mandatory',
        symmetrical: true,
      }),
    level: 'errors',
    path: 'constraints.order[ClusterIP].id',
    fix: 'rename one of them',
  },
  {
    name: 'duplicate operation id',
    mutate: (c) => {
      member(c, 'ClusterIP').operations = [
        { id: 'op-x', name: 'monitor', intervalMs: 30_000 },
        { id: 'op-x', name: 'start', intervalMs: 0 },
      ];
    },
    level: 'errors',
    path: `${IP}.operations[1].id`,
    fix: 'rename one of them',
  },
  {
    name: 'a group member that is also cloned elsewhere',
    mutate: (c) =>
      c.resources.push({
        kind: 'clone',
        id: 'ip-clone',
        metaAttributes: {},
        child: structuredClone(member(c, 'ClusterIP')),
      }),
    level: 'errors',
    path: 'resources[ip-clone].child.id',
    fix: 'keep ClusterIP in one place',
    message: 'defined in two places',
  },
  {
    name: 'a rule id that repeats an operation id',
    mutate: (c) => {
      const op = member(c, 'ClusterIP').operations[0];
      if (op) op.id = 'r-1';
      c.constraints.location.push({
        id: 'loc-ping',
        rsc: 'abiquo_rs',
        rules: [
          {
            kind: 'rule',
            id: 'r-1',
            score: -INFINITY,
            booleanOp: 'and',
            expressions: [{ kind: 'expression', attribute: 'pingd', operation: 'not_defined' }],
          },
        ],
      });
    },
    level: 'errors',
    path: 'constraints.location[loc-ping].rules[0].id',
    fix: 'unique in the whole configuration',
  },
  {
    name: 'a clone id that repeats a group id',
    mutate: (c) => {
      const clone = c.resources[1];
      if (clone) clone.id = 'abiquo_rs';
    },
    level: 'errors',
    path: 'resources[abiquo_rs].id',
    fix: 'rename one of them',
    message: 'already used by resources[abiquo_rs]',
  },
  {
    name: 'unknown resource in a colocation, with a suggestion',
    mutate: (c) => {
      const col = c.constraints.colocation[0];
      if (col) col.withRsc = 'ping-clon';
    },
    level: 'errors',
    path: `${COL}.withRsc`,
    fix: 'did you mean ping-clone?',
  },
  {
    name: 'unknown resource in an order',
    mutate: (c) =>
      c.constraints.order.push({
        id: 'o1',
        first: 'nfs',
        then: 'abiquo_rs',
        firstAction: 'start',
        thenAction: 'start',
        kind: 'Mandatory',
        symmetrical: true,
      }),
    level: 'errors',
    path: 'constraints.order[o1].first',
    fix: 'create resource nfs first',
  },
  {
    name: 'fractional score',
    mutate: (c) => {
      const col = c.constraints.colocation[0];
      if (col) col.score = 1.5;
    },
    level: 'errors',
    path: `${COL}.score`,
    fix: 'INFINITY',
  },
  {
    name: 'score beyond INFINITY',
    mutate: (c) =>
      c.constraints.location.push({ id: 'loc-1', rsc: 'abiquo_rs', node: 'rsha1', score: 2_000_000 }),
    level: 'errors',
    path: 'constraints.location[loc-1].score',
    fix: 'between -INFINITY and INFINITY',
  },
  {
    name: 'bad stickiness in rsc defaults',
    mutate: (c) => (c.rscDefaults['resource-stickiness'] = 'lots'),
    level: 'errors',
    path: 'rscDefaults.resource-stickiness',
    fix: 'integer or INFINITY',
  },
  {
    name: 'empty group',
    mutate: (c) => (group(c).members = []),
    level: 'errors',
    path: 'resources[abiquo_rs].members',
    fix: 'tandem resource group add abiquo_rs',
  },
  {
    name: 'clone of a clone',
    mutate: (c) => {
      const inner = c.resources[1];
      c.resources[1] = {
        kind: 'clone',
        id: 'outer',
        metaAttributes: {},
        child: inner as unknown as Primitive,
      };
    },
    level: 'errors',
    path: 'resources[outer].child',
    fix: 'remove one clone level',
  },
  {
    name: 'unknown node in a location',
    mutate: (c) => c.constraints.location.push({ id: 'loc-1', rsc: 'abiquo_rs', node: 'rsha3', score: 100 }),
    level: 'errors',
    path: 'constraints.location[loc-1].node',
    fix: 'rsha1',
  },
  {
    name: 'location on a node without a score',
    mutate: (c) => c.constraints.location.push({ id: 'loc-1', rsc: 'abiquo_rs', node: 'rsha1' }),
    level: 'errors',
    path: 'constraints.location[loc-1].score',
    fix: 'score=INFINITY',
  },
  {
    name: 'ocf agent without provider',
    mutate: (c) => delete member(c, 'ClusterIP').agent.provider,
    level: 'errors',
    path: `${IP}.agent.provider`,
    fix: 'ocf:heartbeat:IPaddr2',
  },
  {
    name: 'lsb agent with a provider',
    mutate: (c) => (member(c, 'tomcat-service').agent.provider = 'heartbeat'),
    level: 'errors',
    path: 'resources[abiquo_rs].members[tomcat-service].agent.provider',
    fix: 'lsb:abiquo-tomcat',
  },
  {
    name: 'no-quorum-policy outside Pacemaker values',
    mutate: (c) => (c.properties['no-quorum-policy'] = 'continue'),
    level: 'errors',
    path: 'properties.no-quorum-policy',
    fix: 'stop, freeze, ignore, demote, suicide',
  },
  {
    name: 'stonith-enabled not a boolean',
    mutate: (c) => (c.properties['stonith-enabled'] = 'maybe'),
    level: 'errors',
    path: 'properties.stonith-enabled',
    fix: 'stonith-enabled=true',
  },
  {
    name: 'symmetric-cluster not a boolean',
    mutate: (c) => (c.properties['symmetric-cluster'] = 'sometimes'),
    level: 'errors',
    path: 'properties.symmetric-cluster',
    fix: 'symmetric-cluster=true',
  },
  {
    name: 'maintenance-mode not a boolean',
    mutate: (c) => (c.properties['maintenance-mode'] = '2'),
    level: 'errors',
    path: 'properties.maintenance-mode',
    fix: 'maintenance-mode=true',
  },
  {
    name: 'bad target-role',
    mutate: (c) => (member(c, 'ClusterIP').metaAttributes['target-role'] = 'Running'),
    level: 'errors',
    path: `${IP}.metaAttributes.target-role`,
    fix: 'Started or Stopped',
  },
  {
    name: 'bad on-fail',
    mutate: (c) => {
      const op = member(c, 'ClusterIP').operations[0];
      if (op) (op as { onFail?: string }).onFail = 'explode';
    },
    level: 'errors',
    path: `${IP}.operations[0].onFail`,
    fix: 'restart',
  },
  {
    name: 'negative interval',
    mutate: (c) => {
      const op = member(c, 'ClusterIP').operations[0];
      if (op) op.intervalMs = -10_000;
    },
    level: 'errors',
    path: `${IP}.operations[0].intervalMs`,
    fix: 'interval=10s',
  },
  {
    name: 'the same operation twice',
    mutate: (c) =>
      member(c, 'ClusterIP').operations.push({ name: 'monitor', intervalMs: 30_000, timeoutMs: 5_000 }),
    level: 'errors',
    path: `${IP}.operations[1]`,
    fix: 'different intervals',
  },
  {
    name: 'rule with no expressions',
    mutate: (c) =>
      c.constraints.location.push({
        id: 'loc-ping',
        rsc: 'abiquo_rs',
        rules: [{ kind: 'rule', score: -INFINITY, booleanOp: 'and', expressions: [] }],
      }),
    level: 'errors',
    path: 'constraints.location[loc-ping].rules[0].expressions',
    fix: 'add an expression',
  },
  {
    name: 'comparison without a value',
    mutate: (c) =>
      c.constraints.location.push({
        id: 'loc-ping',
        rsc: 'abiquo_rs',
        rules: [
          {
            kind: 'rule',
            score: -INFINITY,
            booleanOp: 'and',
            expressions: [{ kind: 'expression', attribute: 'pingd', operation: 'lt' }],
          },
        ],
      }),
    level: 'errors',
    path: 'constraints.location[loc-ping].rules[0].expressions[0].value',
    fix: '"pingd lt 1"',
  },
  {
    name: 'order with the same first and then',
    mutate: (c) =>
      c.constraints.order.push({
        id: 'o1',
        first: 'abiquo_rs',
        then: 'abiquo_rs',
        firstAction: 'start',
        thenAction: 'start',
        kind: 'Mandatory',
        symmetrical: true,
      }),
    level: 'errors',
    path: 'constraints.order[o1].then',
    fix: 'another resource',
  },
  {
    name: 'Serialize order marked symmetrical',
    mutate: (c) =>
      c.constraints.order.push({
        id: 'o1',
        first: 'abiquo_rs',
        then: 'ping-clone',
        firstAction: 'start',
        thenAction: 'start',
        kind: 'Serialize',
        symmetrical: true,
      }),
    level: 'errors',
    path: 'constraints.order[o1].symmetrical',
    fix: 'symmetrical=false',
  },
  {
    name: 'colocation with itself',
    mutate: (c) =>
      c.constraints.colocation.push({ id: 'col-1', rsc: 'ClusterIP', withRsc: 'ClusterIP', score: INFINITY }),
    level: 'errors',
    path: 'constraints.colocation[col-1].withRsc',
    fix: 'another resource',
  },
  {
    name: 'invalid id',
    mutate: (c) => (member(c, 'ClusterIP').id = '1 ip'),
    level: 'errors',
    path: 'resources[abiquo_rs].members[1 ip].id',
    fix: '_1_ip',
  },
  {
    name: 'node listed twice',
    mutate: (c) => c.nodes.push({ id: '3', name: 'rsha1', attributes: {} }),
    level: 'errors',
    path: 'nodes[rsha1].name',
    fix: 'remove the duplicate',
  },
  {
    name: 'node standby not on/off',
    mutate: (c) => {
      const n = c.nodes[0];
      if (n) n.attributes['standby'] = 'later';
    },
    level: 'errors',
    path: 'nodes[rsha1].attributes.standby',
    fix: 'tandem node standby rsha1',
  },
  {
    name: 'clone-max not a number',
    mutate: (c) => {
      const clone = c.resources[1];
      if (clone) clone.metaAttributes['clone-max'] = 'two';
    },
    level: 'errors',
    path: 'resources[ping-clone].metaAttributes.clone-max',
    fix: 'clone-max=2',
  },
  {
    name: 'stonith left at its default with no fence device',
    mutate: (c) => delete c.properties['stonith-enabled'],
    level: 'warnings',
    path: 'properties.stonith-enabled',
    fix: 'stonith-enabled=false',
    message: 'Resource start-up disabled since no STONITH resources have been defined',
  },
  {
    name: 'stonith-enabled=true with no fence device',
    mutate: (c) => (c.properties['stonith-enabled'] = 'true'),
    level: 'warnings',
    path: 'properties.stonith-enabled',
    fix: 'create a fence device',
    message: 'Resource start-up disabled',
  },
  {
    name: 'ping clone colocated with but no pingd rule (the runbook as written)',
    mutate: () => undefined,
    level: 'warnings',
    path: COL,
    fix: 'tandem constraint location abiquo_rs rule score=-INFINITY pingd lt 1 or not_defined pingd',
  },
  {
    name: 'no ping warning once the pingd rule exists',
    mutate: pingRule,
    level: 'warnings',
    path: COL,
    fix: '',
    absent: true,
  },
  {
    name: 'ping clone with a custom attribute name',
    mutate: (c) => {
      const clone = c.resources[1];
      if (clone?.kind === 'clone' && clone.child.kind === 'primitive')
        clone.child.instanceAttributes['name'] = 'connected';
      pingRule(c);
    },
    level: 'warnings',
    path: COL,
    fix: 'rule score=-INFINITY connected lt 1 or not_defined connected',
  },
  {
    name: 'two nodes, quorum ignored, no fencing',
    mutate: () => undefined,
    level: 'warnings',
    path: 'properties.no-quorum-policy',
    fix: 'witness',
    message: 'split brain',
  },
];

for (const k of cases) {
  test(`validate: ${k.name}`, (t) => {
    const config = abiquoRsConfig();
    k.mutate(config);
    const report = validateConfig(config);
    const found = report[k.level].filter((i) => i.path === k.path);
    if (k.absent) {
      t.deepEqual(found, [], formatIssues(found).join('\n'));
      return;
    }
    t.true(
      found.length > 0,
      `no ${k.level} at ${k.path}; got:\n${formatIssues([...report.errors, ...report.warnings]).join('\n')}`,
    );
    t.true(
      found.some((i) => i.fix.includes(k.fix)),
      `fix should mention "${k.fix}": ${formatIssues(found).join('\n')}`,
    );
    if (k.message !== undefined) {
      const m = k.message;
      t.true(
        found.some((i) => i.message.includes(m)),
        formatIssues(found).join('\n'),
      );
    }
  });
}

test('validate: the abiquo-rs runbook configuration has no errors', (t) => {
  const report = validateConfig(abiquoRsConfig());
  t.deepEqual(formatIssues(report.errors), []);
});

test('validate: with fencing configured, no stonith warning', (t) => {
  const config = abiquoRsConfig();
  config.properties['stonith-enabled'] = 'true';
  const fence: Resource = {
    kind: 'primitive',
    id: 'fence-rsha1',
    agent: { standard: 'stonith', type: 'fence_ipmilan' },
    instanceAttributes: { ip: '192.0.2.201' },
    metaAttributes: {},
    operations: [],
  };
  config.resources.push(fence);
  const report = validateConfig(config);
  t.deepEqual(
    report.warnings.filter((w) => w.path === 'properties.stonith-enabled'),
    [],
  );
  t.deepEqual(report.errors, []);
});

test('formatIssues: one line per issue with path and fix', (t) => {
  t.deepEqual(formatIssues([{ path: 'a.b', message: 'bad', fix: 'do x' }]), ['a.b: bad (fix: do x)']);
});
