/**
 * Table: a pcs-style command applied to a configuration → the part of the model it changes.
 * Each case names a selector over the resulting model and the value expected there.
 */
import test from 'ava';
import { INFINITY, type ClusterConfig } from '../../../coordinator/cib/index.ts';
import { findResource } from '../../../cli/config/resource-tree.ts';
import { apply, applyAll, base, RUNBOOK, runbookConfig } from './support.ts';

interface Case {
  title: string;
  /** Commands applied first; 'runbook' = the RS runbook on rsha1/rsha2. */
  setup?: 'runbook' | readonly string[];
  line: string;
  select: (c: ClusterConfig) => unknown;
  expected: unknown;
  /** A warning matching this must be returned (and none when absent). */
  warning?: RegExp;
}

const rsc = (c: ClusterConfig, id: string): unknown => findResource(c, id)?.resource;
const ids = (c: ClusterConfig): string[] => c.resources.map((r) => r.id);
const members = (c: ClusterConfig, id: string): string[] | undefined => {
  const r = findResource(c, id)?.resource;
  return r?.kind === 'group' ? r.members.map((m) => m.id) : undefined;
};

const cases: Case[] = [
  // property
  {
    title: 'property set',
    line: 'property set stonith-enabled=false no-quorum-policy=ignore',
    select: (c) => c.properties,
    expected: { 'stonith-enabled': 'false', 'no-quorum-policy': 'ignore' },
  },
  {
    title: 'property set NAME= removes',
    setup: ['property set stonith-enabled=false'],
    line: 'property set stonith-enabled=',
    select: (c) => c.properties,
    expected: {},
  },
  {
    title: 'property unset',
    setup: ['property set symmetric-cluster=false'],
    line: 'property unset symmetric-cluster',
    select: (c) => c.properties,
    expected: {},
  },
  {
    title: 'property set --force unknown',
    line: 'property set my-own=1 --force',
    select: (c) => c.properties,
    expected: { 'my-own': '1' },
    warning: /not a Pacemaker cluster property/,
  },
  {
    title: 'property set cluster-name renames the cluster',
    line: 'property set cluster-name=rs',
    select: (c) => [c.clusterName, c.properties],
    expected: ['rs', {}],
  },
  // defaults
  {
    title: 'resource defaults (pcs 0.9 form)',
    line: 'resource defaults resource-stickiness=100',
    select: (c) => c.rscDefaults,
    expected: { 'resource-stickiness': '100' },
  },
  {
    title: 'resource defaults update',
    line: 'resource defaults update resource-stickiness=200 migration-threshold=3',
    select: (c) => c.rscDefaults,
    expected: { 'resource-stickiness': '200', 'migration-threshold': '3' },
  },
  {
    title: 'resource op defaults',
    line: 'resource op defaults timeout=30s',
    select: (c) => c.opDefaults,
    expected: { timeout: '30s' },
  },
  {
    title: 'resource op defaults update',
    setup: ['resource op defaults timeout=30s'],
    line: 'resource op defaults update timeout=45s record-pending=true',
    select: (c) => c.opDefaults,
    expected: { timeout: '45s', 'record-pending': 'true' },
  },
  {
    title: 'resource rsc defaults (pcs 0.9)',
    line: 'resource rsc defaults resource-stickiness=50',
    select: (c) => c.rscDefaults,
    expected: { 'resource-stickiness': '50' },
  },
  // resource create
  {
    title: 'create with full agent name, default monitor 60s',
    line: 'resource create ClusterIP ocf:heartbeat:IPaddr2 ip=192.0.2.58 cidr_netmask=24',
    select: (c) => rsc(c, 'ClusterIP'),
    expected: {
      kind: 'primitive',
      id: 'ClusterIP',
      agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
      instanceAttributes: { ip: '192.0.2.58', cidr_netmask: '24' },
      metaAttributes: {},
      operations: [{ id: 'ClusterIP-monitor-interval-60s', name: 'monitor', intervalMs: 60_000 }],
    },
  },
  {
    title: 'short agent name resolves',
    line: 'resource create vip IPaddr2 ip=192.0.2.9',
    select: (c) => (rsc(c, 'vip') as { agent: unknown }).agent,
    expected: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    warning: /assumed agent name 'ocf:heartbeat:IPaddr2'/,
  },
  {
    title: 'short name ping → ocf:pacemaker',
    line: 'resource create p ping host_list=192.0.2.1',
    select: (c) => (rsc(c, 'p') as { agent: unknown }).agent,
    expected: { standard: 'ocf', provider: 'pacemaker', type: 'ping' },
    warning: /assumed/,
  },
  {
    title: 'lsb agent',
    line: 'resource create tomcat-service lsb:abiquo-tomcat',
    select: (c) => (rsc(c, 'tomcat-service') as { agent: unknown }).agent,
    expected: { standard: 'lsb', type: 'abiquo-tomcat' },
  },
  {
    title: 'op with interval and timeout, no default monitor added',
    line: 'resource create d ocf:heartbeat:Dummy op monitor interval=30s timeout=20s on-fail=restart start timeout=60s',
    select: (c) => (rsc(c, 'd') as { operations: unknown }).operations,
    expected: [
      {
        id: 'd-monitor-interval-30s',
        name: 'monitor',
        intervalMs: 30_000,
        timeoutMs: 20_000,
        onFail: 'restart',
      },
      { id: 'd-start-interval-0s', name: 'start', intervalMs: 0, timeoutMs: 60_000 },
    ],
  },
  {
    title: 'monitor op without interval gets 60s',
    line: 'resource create d Dummy op monitor timeout=10s',
    select: (c) =>
      (rsc(c, 'd') as { operations: { intervalMs: number }[] }).operations.map((o) => o.intervalMs),
    expected: [60_000],
    warning: /assumed/,
  },
  {
    title: '--no-default-ops',
    line: 'resource create d ocf:heartbeat:Dummy --no-default-ops',
    select: (c) => (rsc(c, 'd') as { operations: unknown[] }).operations,
    expected: [],
  },
  {
    title: 'meta and --disabled',
    line: 'resource create d ocf:heartbeat:Dummy meta resource-stickiness=5 --disabled',
    select: (c) => (rsc(c, 'd') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'resource-stickiness': '5', 'target-role': 'Stopped' },
  },
  {
    title: 'create --group creates the group',
    line: 'resource create a ocf:heartbeat:Dummy --group g',
    select: (c) => [ids(c), members(c, 'g')],
    expected: [['g'], ['a']],
  },
  {
    title: 'create --group --before',
    setup: [
      'resource create a ocf:heartbeat:Dummy --group g',
      'resource create b ocf:heartbeat:Dummy --group g',
    ],
    line: 'resource create c ocf:heartbeat:Dummy --group g --before b',
    select: (c) => members(c, 'g'),
    expected: ['a', 'c', 'b'],
  },
  {
    title: 'create --group --after',
    setup: [
      'resource create a ocf:heartbeat:Dummy --group g',
      'resource create b ocf:heartbeat:Dummy --group g',
    ],
    line: 'resource create c ocf:heartbeat:Dummy --group=g --after=a',
    select: (c) => members(c, 'g'),
    expected: ['a', 'c', 'b'],
  },
  {
    title: 'create ... clone',
    line: 'resource create ping ocf:pacemaker:ping host_list=192.0.2.1 clone',
    select: (c) => [ids(c), findResource(c, 'ping')?.clone?.id],
    expected: [['ping-clone'], 'ping-clone'],
  },
  {
    title: 'create ... clone ID k=v (pcs 0.10)',
    line: 'resource create ping ocf:pacemaker:ping host_list=192.0.2.1 clone pings clone-max=2',
    select: (c) => [ids(c), (rsc(c, 'pings') as { metaAttributes: unknown }).metaAttributes],
    expected: [['pings'], { 'clone-max': '2' }],
  },
  {
    title: 'create ... clone ID meta k=v (pcs 0.11)',
    line: 'resource create ping ocf:pacemaker:ping host_list=192.0.2.1 clone pings meta interleave=true',
    select: (c) => [ids(c), (rsc(c, 'pings') as { metaAttributes: unknown }).metaAttributes],
    expected: [['pings'], { interleave: 'true' }],
  },
  {
    title: 'create --clone (pcs 0.9)',
    line: 'resource create ping ocf:pacemaker:ping host_list=192.0.2.1 --clone',
    select: ids,
    expected: ['ping-clone'],
  },
  // groups
  {
    title: 'runbook group in order',
    setup: 'runbook',
    line: 'property set stonith-enabled=false',
    select: (c) => members(c, 'abiquo_rs'),
    expected: ['vm_repository', 'ClusterIP', 'tomcat-service'],
  },
  {
    title: 'group add moves a member from another group; empty group removed',
    setup: ['resource create a Dummy --group g1', 'resource create b Dummy --group g2'],
    line: 'resource group add g2 a --before b',
    select: (c) => [ids(c), members(c, 'g2')],
    expected: [['g2'], ['a', 'b']],
    warning: /group 'g1' is now empty and was removed/,
  },
  {
    title: 'group add reorders with --after',
    setup: [
      'resource create a Dummy --group g',
      'resource create b Dummy --group g',
      'resource create c Dummy --group g',
    ],
    line: 'resource group add g a --after c',
    select: (c) => members(c, 'g'),
    expected: ['b', 'c', 'a'],
  },
  {
    title: 'group remove one member goes after the group',
    setup: [
      'resource create a Dummy --group g',
      'resource create b Dummy --group g',
      'resource create z Dummy',
    ],
    line: 'resource group remove g a',
    select: (c) => [ids(c), members(c, 'g')],
    expected: [['g', 'a', 'z'], ['b']],
  },
  {
    title: 'ungroup all members; group constraints removed',
    setup: [
      'resource create a Dummy --group g',
      'resource create b Dummy --group g',
      'constraint location g prefers rsha1',
    ],
    line: 'resource ungroup g',
    select: (c) => [ids(c), c.constraints.location.length],
    expected: [['a', 'b'], 0],
    warning: /removed constraint 'location-g-rsha1-INFINITY'/,
  },
  // clone
  {
    title: 'runbook clone: stray word ignored, ping-clone, warning',
    setup: RUNBOOK.slice(0, 8),
    line: 'resource clone ping connection',
    select: (c) => [ids(c), findResource(c, 'connection')],
    expected: [['abiquo_rs', 'ping-clone'], undefined],
    warning:
      /ignored the word 'connection' and named the clone 'ping-clone'.*tandem resource clone ping connection meta/,
  },
  {
    title: 'clone ID CLONE_ID meta names the clone',
    setup: ['resource create ping ocf:pacemaker:ping host_list=192.0.2.1'],
    line: 'resource clone ping connection meta',
    select: ids,
    expected: ['connection'],
  },
  {
    title: 'clone ID CLONE_ID k=v names the clone',
    setup: ['resource create ping ocf:pacemaker:ping host_list=192.0.2.1'],
    line: 'resource clone ping connection clone-max=2 clone-node-max=1',
    select: (c) => (rsc(c, 'connection') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'clone-max': '2', 'clone-node-max': '1' },
  },
  {
    title: 'clone ID k=v keeps the default id',
    setup: ['resource create ping ocf:pacemaker:ping host_list=192.0.2.1'],
    line: 'resource clone ping interleave=true',
    select: ids,
    expected: ['ping-clone'],
  },
  {
    title: 'clone a group',
    setup: ['resource create a Dummy --group g'],
    line: 'resource clone g',
    select: (c) => [ids(c), findResource(c, 'a')?.clone?.id],
    expected: [['g-clone'], 'g-clone'],
  },
  {
    title: 'unclone',
    setup: ['resource create ping ocf:pacemaker:ping host_list=192.0.2.1 clone'],
    line: 'resource unclone ping-clone',
    select: ids,
    expected: ['ping'],
  },
  // update / meta / enable / disable / delete
  {
    title: 'update parameters (empty removes)',
    setup: ['resource create vip IPaddr2 ip=192.0.2.9 cidr_netmask=24'],
    line: 'resource update vip ip=192.0.2.10 cidr_netmask=',
    select: (c) => (rsc(c, 'vip') as { instanceAttributes: unknown }).instanceAttributes,
    expected: { ip: '192.0.2.10' },
  },
  {
    title: 'update op replaces the op with that action',
    setup: ['resource create vip IPaddr2 ip=192.0.2.9'],
    line: 'resource update vip op monitor interval=10s timeout=20s',
    select: (c) => (rsc(c, 'vip') as { operations: unknown }).operations,
    expected: [{ id: 'vip-monitor-interval-10s', name: 'monitor', intervalMs: 10_000, timeoutMs: 20_000 }],
  },
  {
    title: 'update meta',
    setup: ['resource create vip IPaddr2 ip=192.0.2.9'],
    line: 'resource update vip meta migration-threshold=3',
    select: (c) => (rsc(c, 'vip') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'migration-threshold': '3' },
  },
  {
    title: 'update clone sets clone meta',
    setup: ['resource create p ping host_list=192.0.2.1 clone'],
    line: 'resource update p-clone clone-max=2',
    select: (c) => (rsc(c, 'p-clone') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'clone-max': '2' },
  },
  {
    title: 'meta on a group',
    setup: 'runbook',
    line: 'resource meta abiquo_rs resource-stickiness=300',
    select: (c) => (rsc(c, 'abiquo_rs') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'resource-stickiness': '300' },
  },
  {
    title: 'disable',
    setup: 'runbook',
    line: 'resource disable ClusterIP',
    select: (c) => (rsc(c, 'ClusterIP') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'target-role': 'Stopped' },
  },
  {
    title: 'enable clears the member and its group',
    setup: [...RUNBOOK, 'resource disable abiquo_rs', 'resource disable ClusterIP'],
    line: 'resource enable ClusterIP',
    select: (c) => [
      (rsc(c, 'ClusterIP') as { metaAttributes: unknown }).metaAttributes,
      (rsc(c, 'abiquo_rs') as { metaAttributes: unknown }).metaAttributes,
    ],
    expected: [{}, {}],
  },
  {
    title: 'delete a group member',
    setup: 'runbook',
    line: 'resource delete ClusterIP',
    select: (c) => members(c, 'abiquo_rs'),
    expected: ['vm_repository', 'tomcat-service'],
  },
  {
    title: 'delete a clone removes its constraints',
    setup: 'runbook',
    line: 'resource delete ping-clone',
    select: (c) => [ids(c), c.constraints.colocation],
    expected: [['abiquo_rs'], []],
    warning: /removed constraint 'colocation-abiquo_rs-ping-clone-INFINITY'/,
  },
  {
    title: 'delete the last member removes the group',
    setup: ['resource create a Dummy --group g'],
    line: 'resource delete a',
    select: ids,
    expected: [],
    warning: /removed group 'g' too/,
  },
  {
    title: 'unmanage',
    setup: 'runbook',
    line: 'resource unmanage ClusterIP',
    select: (c) => (rsc(c, 'ClusterIP') as { metaAttributes: unknown }).metaAttributes,
    expected: { 'is-managed': 'false' },
  },
  {
    title: 'manage clears the member and its group',
    setup: [...RUNBOOK, 'resource unmanage abiquo_rs', 'resource unmanage ClusterIP'],
    line: 'resource manage ClusterIP',
    select: (c) => [
      (rsc(c, 'ClusterIP') as { metaAttributes: unknown }).metaAttributes,
      (rsc(c, 'abiquo_rs') as { metaAttributes: unknown }).metaAttributes,
    ],
    expected: [{}, {}],
  },
  // location
  {
    title: 'location prefers (default INFINITY)',
    setup: 'runbook',
    line: 'constraint location abiquo_rs prefers rsha1',
    select: (c) => c.constraints.location,
    expected: [{ id: 'location-abiquo_rs-rsha1-INFINITY', rsc: 'abiquo_rs', node: 'rsha1', score: INFINITY }],
  },
  {
    title: 'location prefers NODE=SCORE NODE',
    setup: 'runbook',
    line: 'constraint location abiquo_rs prefers rsha1=50 rsha2',
    select: (c) => c.constraints.location.map((l) => [l.id, l.score]),
    expected: [
      ['location-abiquo_rs-rsha1-50', 50],
      ['location-abiquo_rs-rsha2-INFINITY', INFINITY],
    ],
  },
  {
    title: 'location avoids negates',
    setup: 'runbook',
    line: 'constraint location abiquo_rs avoids rsha2',
    select: (c) => c.constraints.location.map((l) => [l.id, l.score]),
    expected: [['location-abiquo_rs-rsha2--INFINITY', -INFINITY]],
  },
  {
    title: 'location prefers replaces the same resource+node',
    setup: [...RUNBOOK, 'constraint location abiquo_rs prefers rsha1=10'],
    line: 'constraint location abiquo_rs prefers rsha1=20',
    select: (c) => c.constraints.location.map((l) => l.id),
    expected: ['location-abiquo_rs-rsha1-20'],
    warning: /replaced constraint 'location-abiquo_rs-rsha1-10'/,
  },
  {
    title: 'location rule (the recommended pingd rule)',
    setup: 'runbook',
    line: 'constraint location abiquo_rs rule score=-INFINITY pingd lt 1 or not_defined pingd',
    select: (c) => c.constraints.location,
    expected: [
      {
        id: 'location-abiquo_rs',
        rsc: 'abiquo_rs',
        rules: [
          {
            kind: 'rule',
            id: 'location-abiquo_rs-rule',
            score: -INFINITY,
            booleanOp: 'or',
            expressions: [
              {
                kind: 'expression',
                id: 'location-abiquo_rs-rule-expr',
                attribute: 'pingd',
                operation: 'lt',
                value: '1',
              },
              {
                kind: 'expression',
                id: 'location-abiquo_rs-rule-expr-1',
                attribute: 'pingd',
                operation: 'not_defined',
              },
            ],
          },
        ],
      },
    ],
  },
  {
    title: 'location rule with score-attribute, ids, types and parentheses',
    setup: 'runbook',
    line: 'constraint location abiquo_rs rule id=conn constraint-id=loc1 score-attribute=pingd defined pingd and (site eq string dc1 or rack gt integer 3)',
    select: (c) => c.constraints.location,
    expected: [
      {
        id: 'loc1',
        rsc: 'abiquo_rs',
        rules: [
          {
            kind: 'rule',
            id: 'conn',
            scoreAttribute: 'pingd',
            booleanOp: 'and',
            expressions: [
              { kind: 'expression', id: 'conn-expr', attribute: 'pingd', operation: 'defined' },
              {
                kind: 'rule',
                id: 'conn-rule',
                booleanOp: 'or',
                expressions: [
                  {
                    kind: 'expression',
                    id: 'conn-rule-expr',
                    attribute: 'site',
                    operation: 'eq',
                    value: 'dc1',
                    type: 'string',
                  },
                  {
                    kind: 'expression',
                    id: 'conn-rule-expr-1',
                    attribute: 'rack',
                    operation: 'gt',
                    value: '3',
                    type: 'integer',
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    title: 'location rule default score INFINITY, single expression',
    setup: 'runbook',
    line: 'constraint location abiquo_rs rule #uname eq rsha1',
    select: (c) => c.constraints.location[0]?.rules?.[0]?.score,
    expected: INFINITY,
  },
  {
    title: 'location add ID RSC NODE SCORE',
    setup: 'runbook',
    line: 'constraint location add l1 abiquo_rs rsha2 -100',
    select: (c) => c.constraints.location,
    expected: [{ id: 'l1', rsc: 'abiquo_rs', node: 'rsha2', score: -100 }],
  },
  // colocation
  {
    title: 'runbook colocation',
    setup: 'runbook',
    line: 'property set stonith-enabled=false',
    select: (c) => c.constraints.colocation,
    expected: [
      {
        id: 'colocation-abiquo_rs-ping-clone-INFINITY',
        rsc: 'abiquo_rs',
        withRsc: 'ping-clone',
        score: INFINITY,
      },
    ],
  },
  {
    title: 'colocation default score',
    setup: RUNBOOK.slice(0, 9),
    line: 'constraint colocation add abiquo_rs with ping-clone',
    select: (c) => c.constraints.colocation.map((x) => [x.id, x.score]),
    expected: [['colocation-abiquo_rs-ping-clone-INFINITY', INFINITY]],
  },
  {
    title: 'colocation score word -INFINITY and id=',
    setup: ['resource create a Dummy', 'resource create b Dummy'],
    line: 'constraint colocation add a with b -INFINITY id=apart',
    select: (c) => c.constraints.colocation,
    expected: [{ id: 'apart', rsc: 'a', withRsc: 'b', score: -INFINITY }],
  },
  {
    title: 'colocation roles',
    setup: ['resource create a Dummy', 'resource create b Dummy'],
    line: 'constraint colocation add Started a with Started b 500',
    select: (c) => c.constraints.colocation,
    expected: [
      {
        id: 'colocation-a-b-500',
        rsc: 'a',
        withRsc: 'b',
        score: 500,
        rscRole: 'Started',
        withRscRole: 'Started',
      },
    ],
  },
  {
    title: 'colocation --force duplicate gets a unique id',
    setup: [...RUNBOOK],
    line: 'constraint colocation add abiquo_rs with ping-clone --force',
    select: (c) => c.constraints.colocation.map((x) => x.id),
    expected: ['colocation-abiquo_rs-ping-clone-INFINITY', 'colocation-abiquo_rs-ping-clone-INFINITY-1'],
  },
  {
    title: 'colocation remove',
    setup: 'runbook',
    line: 'constraint colocation remove abiquo_rs ping-clone',
    select: (c) => c.constraints.colocation,
    expected: [],
    warning: /removed constraint 'colocation-abiquo_rs-ping-clone-INFINITY'/,
  },
  // order
  {
    title: 'order default',
    setup: ['resource create a Dummy', 'resource create b Dummy'],
    line: 'constraint order a then b',
    select: (c) => c.constraints.order,
    expected: [
      {
        id: 'order-a-b-mandatory',
        first: 'a',
        then: 'b',
        firstAction: 'start',
        thenAction: 'start',
        kind: 'Mandatory',
        symmetrical: true,
      },
    ],
  },
  {
    title: 'order actions and options',
    setup: ['resource create a Dummy', 'resource create b Dummy'],
    line: 'constraint order stop a then start b kind=Optional symmetrical=false',
    select: (c) => c.constraints.order,
    expected: [
      {
        id: 'order-a-b-optional',
        first: 'a',
        then: 'b',
        firstAction: 'stop',
        thenAction: 'start',
        kind: 'Optional',
        symmetrical: false,
      },
    ],
  },
  {
    title: 'order Serialize is not symmetrical',
    setup: ['resource create a Dummy', 'resource create b Dummy'],
    line: 'constraint order a then b kind=Serialize',
    select: (c) => c.constraints.order[0]?.symmetrical,
    expected: false,
  },
  {
    title: 'constraint delete',
    setup: 'runbook',
    line: 'constraint delete colocation-abiquo_rs-ping-clone-INFINITY',
    select: (c) => c.constraints.colocation,
    expected: [],
  },
  {
    title: 'constraint remove (alias)',
    setup: [...RUNBOOK, 'constraint location abiquo_rs prefers rsha1'],
    line: 'constraint remove location-abiquo_rs-rsha1-INFINITY',
    select: (c) => c.constraints.location,
    expected: [],
  },
  // nodes
  {
    title: 'node standby',
    line: 'node standby rsha1',
    select: (c) => c.nodes.map((n) => n.attributes),
    expected: [{ standby: 'on' }, {}],
  },
  {
    title: 'node unstandby',
    setup: ['node standby --all'],
    line: 'node unstandby rsha2',
    select: (c) => c.nodes.map((n) => n.attributes),
    expected: [{ standby: 'on' }, {}],
  },
  {
    title: 'node maintenance',
    line: 'node maintenance rsha2',
    select: (c) => c.nodes.map((n) => n.attributes),
    expected: [{}, { maintenance: 'on' }],
  },
  {
    title: 'node unmaintenance',
    setup: ['node maintenance rsha2'],
    line: 'node unmaintenance rsha2',
    select: (c) => c.nodes.map((n) => n.attributes),
    expected: [{}, {}],
  },
  {
    title: 'node attribute',
    line: 'node attribute rsha1 site=dc1 rack=2',
    select: (c) => c.nodes[0]?.attributes,
    expected: { site: 'dc1', rack: '2' },
  },
  {
    title: 'cluster standby (pcs 0.9)',
    line: 'cluster standby rsha2',
    select: (c) => c.nodes[1]?.attributes,
    expected: { standby: 'on' },
  },
  {
    title: 'cluster node add',
    line: 'cluster node add rsha3',
    select: (c) => c.nodes.map((n) => [n.id, n.name]),
    expected: [
      ['1', 'rsha1'],
      ['2', 'rsha2'],
      ['3', 'rsha3'],
    ],
  },
];

for (const c of cases) {
  test(`apply: ${c.title}`, (t) => {
    const start = c.setup === 'runbook' ? runbookConfig() : applyAll(base(), c.setup ?? []);
    const before = structuredClone(start);
    const r = apply(start, c.line);
    if (!r.ok) {
      t.fail(`${c.line}: ${r.error.message}`);
      return;
    }
    t.deepEqual(c.select(r.value.config), c.expected);
    t.deepEqual(start, before, 'the input configuration is not mutated');
    if (c.warning)
      t.true(
        r.value.warnings.some((w) => c.warning?.test(w)),
        r.value.warnings.join('\n'),
      );
    else t.deepEqual(r.value.warnings, []);
  });
}
