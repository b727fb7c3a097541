/**
 * The crm_mon / crm_simulate text renderer on hand-made transitions. Expected layouts are copied
 * from crm_simulate 2.1.5 output on equivalent CIBs (tabs included).
 */
import test from 'ava';
import {
  emptyConfig,
  type ClusterConfig,
  type ClusterStatus,
  type NodeState,
  type Primitive,
} from '../../../coordinator/cib/index.ts';
import type { Action, ResourceView, Transition } from '../../../coordinator/scheduler/index.ts';
import {
  currentDisplay,
  executionOrder,
  formatSummaryItems,
  renderClusterStatus,
  renderInstanceCounts,
  renderNodeList,
  revisedDisplay,
  sortNodeNames,
  summarizeChanges,
  type ClusterDisplay,
} from '../../../cli/render/index.ts';
import { renderSimulation } from '../../../cli/simulate/render-simulation.ts';

function dummy(id: string, meta: Record<string, string> = {}): Primitive {
  return {
    kind: 'primitive',
    id,
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' },
    instanceAttributes: {},
    metaAttributes: meta,
    operations: [],
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

function view(
  rsc: string,
  current: string[],
  next: string | null,
  extra: Partial<ResourceView> = {},
): ResourceView {
  return { rsc, instance: rsc, current, next, flags: [], agent: 'ocf:heartbeat:Dummy', ...extra };
}

function action(kind: Action['kind'], rsc: string, node: string, extra: Partial<Action> = {}): Action {
  return { id: `${kind} ${rsc} ${node}`, kind, rsc, node, pseudo: false, ...extra };
}

/** The RS pair: group abiquo_rs (2 members) moving rsha1 → rsha2, ping clone, a stopped and a disabled primitive. */
function rsPair(): { config: ClusterConfig; status: ClusterStatus; transition: Transition } {
  const config = emptyConfig('rs', ['rsha1', 'rsha2', 'rsha3']);
  config.resources = [
    {
      kind: 'group',
      id: 'abiquo_rs',
      metaAttributes: {},
      members: [dummy('vm_repository'), dummy('ClusterIP')],
    },
    { kind: 'clone', id: 'ping-clone', metaAttributes: {}, child: dummy('ping') },
    dummy('solo'),
    dummy('off', { 'target-role': 'Stopped' }),
  ];
  const status: ClusterStatus = { haveQuorum: true, nodes: [onlineNode('rsha1'), onlineNode('rsha2')] };
  const transition: Transition = {
    nodes: [
      { name: 'rsha1', online: true, flags: [] },
      { name: 'rsha2', online: true, flags: [] },
      { name: 'rsha3', online: false, flags: [] },
    ],
    resources: [
      view('vm_repository', ['rsha1'], 'rsha2', { group: 'abiquo_rs' }),
      view('ClusterIP', [], 'rsha2', { group: 'abiquo_rs' }),
      view('ping', [], 'rsha1', { instance: 'ping:0', clone: 'ping-clone' }),
      view('ping', [], 'rsha2', { instance: 'ping:1', clone: 'ping-clone' }),
      view('ping', [], null, { instance: 'ping:2', clone: 'ping-clone' }),
      view('solo', ['rsha1'], 'rsha2'),
      view('off', [], null),
    ],
    actions: [
      action('stop', 'vm_repository', 'rsha1'),
      action('start', 'vm_repository', 'rsha2'),
      action('start', 'ClusterIP', 'rsha2'),
      action('start', 'ping', 'rsha1', { instance: 'ping:0', id: 'start ping:0 rsha1' }),
      action('start', 'ping', 'rsha2', { instance: 'ping:1', id: 'start ping:1 rsha2' }),
      action('stop', 'solo', 'rsha1'),
      action('start', 'solo', 'rsha2'),
      { id: 'start abiquo_rs', kind: 'start', rsc: 'abiquo_rs', pseudo: true },
    ],
    edges: [
      { before: 'stop vm_repository rsha1', after: 'start abiquo_rs' },
      { before: 'start abiquo_rs', after: 'start vm_repository rsha2' },
      { before: 'start vm_repository rsha2', after: 'start ClusterIP rsha2' },
      { before: 'stop solo rsha1', after: 'start solo rsha2' },
    ],
    explanation: {
      scores: [{ rsc: 'solo', node: 'rsha1', score: -1_000_000 }],
      reasons: [{ rsc: 'solo', node: 'rsha1', reason: 'banned' }],
    },
  };
  return { config, status, transition };
}

test('current and revised status of the RS pair, laid out as crm_simulate prints them', (t) => {
  const { config, status, transition } = rsPair();
  const current = renderClusterStatus(config, currentDisplay(config, status, transition), 1);
  t.deepEqual(current, [
    '  * Node List:',
    '    * Online: [ rsha1 rsha2 ]',
    '    * OFFLINE: [ rsha3 ]',
    '',
    '  * Full List of Resources:',
    '    * Resource Group: abiquo_rs:',
    '      * vm_repository\t(ocf:heartbeat:Dummy):\t Started rsha1',
    '      * ClusterIP\t(ocf:heartbeat:Dummy):\t Stopped',
    '    * Clone Set: ping-clone [ping]:',
    '      * Stopped: [ rsha1 rsha2 rsha3 ]',
    '    * solo\t(ocf:heartbeat:Dummy):\t Started rsha1',
    '    * off\t(ocf:heartbeat:Dummy):\t Stopped (disabled)',
  ]);
  const revised = renderClusterStatus(config, revisedDisplay(transition), 1);
  t.deepEqual(revised.slice(5), [
    '    * Resource Group: abiquo_rs:',
    '      * vm_repository\t(ocf:heartbeat:Dummy):\t Started rsha2',
    '      * ClusterIP\t(ocf:heartbeat:Dummy):\t Started rsha2',
    '    * Clone Set: ping-clone [ping]:',
    '      * Started: [ rsha1 rsha2 ]',
    '      * Stopped: [ rsha3 ]',
    '    * solo\t(ocf:heartbeat:Dummy):\t Started rsha2',
    '    * off\t(ocf:heartbeat:Dummy):\t Stopped (disabled)',
  ]);
  t.deepEqual(renderInstanceCounts(config, currentDisplay(config, status, transition)), [
    '1 of 7 resource instances DISABLED and 0 BLOCKED from further action due to failure',
    '',
  ]);
});

test('transition summary lines and widths match crm_simulate 2.1.5', (t) => {
  const { config, status, transition } = rsPair();
  const items = summarizeChanges(config, transition, currentDisplay(config, status, transition));
  t.deepEqual(formatSummaryItems(items), [
    '  * Move       vm_repository     ( rsha1 -> rsha2 )',
    '  * Start      ClusterIP         (          rsha2 )',
    '  * Start      ping:0            (          rsha1 )',
    '  * Start      ping:1            (          rsha2 )',
    '  * Move       solo              ( rsha1 -> rsha2 )',
  ]);
});

test('summary widths grow as Pacemaker grows them (len + 2 for names, len for details)', (t) => {
  // Verbatim from crm_simulate 2.1.5 on a CIB with a failed clone instance and a long name.
  t.deepEqual(
    formatSummaryItems([
      { change: 'Recover', instance: 'cf:0', details: 'node1' },
      { change: 'Start', instance: 'cf:1', details: 'node10' },
      { change: 'Stop', instance: 'x', details: 'node1', reason: 'node availability' },
      { change: 'Move', instance: 'longer_resource_name_here', details: 'node1 -> node10' },
    ]),
    [
      '  * Recover    cf:0                          (           node1 )',
      '  * Start      cf:1                          (          node10 )',
      '  * Stop       x                             (           node1 )  due to node availability',
      '  * Move       longer_resource_name_here     ( node1 -> node10 )',
    ],
  );
});

test('summary changes: restart, recover in place, stop, unmanaged left alone', (t) => {
  const config = emptyConfig('c', ['n1', 'n2']);
  config.resources = [dummy('a'), dummy('b'), dummy('c'), dummy('d')];
  const failedMonitor = {
    id: 'b_monitor_10000',
    operation: 'monitor',
    intervalMs: 10000,
    callId: 3,
    rc: 7,
    opStatus: 0 as const,
    targetRc: 0,
  };
  const status: ClusterStatus = {
    haveQuorum: true,
    nodes: [
      onlineNode('n1', [
        { id: 'b', agent: { standard: 'ocf', provider: 'heartbeat', type: 'Dummy' }, ops: [failedMonitor] },
      ]),
      onlineNode('n2'),
    ],
  };
  const transition: Transition = {
    nodes: [
      { name: 'n1', online: true, flags: [] },
      { name: 'n2', online: true, flags: [] },
    ],
    resources: [
      view('a', ['n1'], 'n1'),
      view('b', ['n1'], 'n1'),
      view('c', ['n2'], null),
      view('d', ['n2'], 'n2', { flags: ['unmanaged'] }),
    ],
    actions: [
      action('stop', 'a', 'n1'),
      action('start', 'a', 'n1'),
      action('stop', 'b', 'n1'),
      action('start', 'b', 'n1'),
      action('stop', 'c', 'n2'),
    ],
    edges: [],
    explanation: { scores: [], reasons: [] },
  };
  const items = summarizeChanges(config, transition, currentDisplay(config, status, transition));
  t.deepEqual(
    items.map((i) => [i.change, i.instance, i.details]),
    [
      ['Restart', 'a', 'n1'],
      ['Recover', 'b', 'n1'],
      ['Stop', 'c', 'n2'],
    ],
  );
});

const nodeCases: { title: string; nodes: ClusterDisplay['nodes']; running?: string; expected: string[] }[] = [
  {
    title: 'plain online and offline nodes are listed together, in numeric name order',
    nodes: [
      { name: 'node10', online: true, flags: [] },
      { name: 'node2', online: true, flags: [] },
      { name: 'node3', online: false, flags: [] },
    ],
    expected: ['Node List:', '  * Online: [ node2 node10 ]', '  * OFFLINE: [ node3 ]'],
  },
  {
    title: 'standby, maintenance and unclean nodes are shown one by one, first',
    nodes: [
      { name: 'a', online: true, flags: [] },
      { name: 'b', online: true, flags: ['standby'] },
      { name: 'c', online: true, flags: ['maintenance'] },
      { name: 'd', online: false, flags: ['unclean'] },
      { name: 'e', online: false, flags: ['standby'] },
    ],
    expected: [
      'Node List:',
      '  * Node b: standby',
      '  * Node c: maintenance',
      '  * Node d: UNCLEAN (offline)',
      '  * Node e: OFFLINE (standby)',
      '  * Online: [ a ]',
    ],
  },
  {
    title: 'a standby node still running something says so',
    nodes: [{ name: 'b', online: true, flags: ['standby'] }],
    running: 'b',
    expected: ['Node List:', '  * Node b: standby (with active resources)'],
  },
];

for (const c of nodeCases) {
  test(`node list: ${c.title}`, (t) => {
    const instances =
      c.running !== undefined ? [{ rsc: 'x', instance: 'x', nodes: [c.running], flags: [] }] : [];
    t.deepEqual(renderNodeList({ nodes: c.nodes, instances }, 0), c.expected);
  });
}

test('failed, unmanaged and multiply-active instances print as full lines', (t) => {
  const config = emptyConfig('c', ['n1', 'n2']);
  config.resources = [
    { kind: 'clone', id: 'p-clone', metaAttributes: {}, child: dummy('p') },
    dummy('u', { 'is-managed': 'false' }),
    dummy('m'),
  ];
  const display: ClusterDisplay = {
    nodes: [
      { name: 'n1', online: true, flags: [] },
      { name: 'n2', online: true, flags: [] },
    ],
    instances: [
      { rsc: 'p', instance: 'p:0', nodes: ['n1'], flags: ['failed'] },
      { rsc: 'p', instance: 'p:1', nodes: ['n2'], flags: [] },
      { rsc: 'u', instance: 'u', nodes: ['n1'], flags: ['unmanaged'] },
      { rsc: 'm', instance: 'm', nodes: ['n2', 'n1'], flags: [] },
    ],
  };
  t.deepEqual(renderClusterStatus(config, display, 0).slice(3), [
    'Full List of Resources:',
    '  * Clone Set: p-clone [p]:',
    '    * p\t(ocf:heartbeat:Dummy):\t FAILED n1',
    '    * Started: [ n2 ]',
    '  * u\t(ocf:heartbeat:Dummy):\t Started n1 (unmanaged)',
    '  * m\t(ocf:heartbeat:Dummy):\t Started [ n1 n2 ]',
  ]);
});

test('execution order respects every edge and otherwise keeps the transition order', (t) => {
  const { transition } = rsPair();
  const order = executionOrder(transition).map((a) => a.id);
  t.is(order.length, transition.actions.length);
  for (const e of transition.edges)
    t.true(order.indexOf(e.before) < order.indexOf(e.after), `${e.before} before ${e.after}`);
  t.is(order[0], 'stop vm_repository rsha1');
});

test('the whole simulation: sections in crm_simulate order, scores and tandem reasons only with --show-scores', (t) => {
  const { config, status, transition } = rsPair();
  const input = { config, status, now: 0 };
  const full = renderSimulation(input, transition, 'full');
  const headings = full.split('\n').filter((l) => /^[A-Z].*:$/.test(l));
  t.deepEqual(headings, [
    'Current cluster status:',
    'Transition Summary:',
    'Executing Cluster Transition:',
    'Revised Cluster Status:',
  ]);
  t.true(full.includes('  * Resource action: solo            stop on rsha1\n'));
  t.true(full.includes('  * Pseudo action:   abiquo_rs_start_0\n'));
  t.false(full.includes('allocation score'));
  const scores = renderSimulation(input, transition, 'scores');
  t.true(
    scores.includes(
      'Allocation scores:\npcmk__primitive_assign: solo allocation score on rsha1: -INFINITY\n',
    ),
  );
  t.true(
    scores.includes("tandem's explanation (not part of crm_simulate's output):\n  * solo on rsha1: banned\n"),
  );
  t.true(scores.indexOf('Allocation scores:') < scores.indexOf('Transition Summary:'));
});

test('node names sort as Pacemaker sorts them (digits numerically, case-insensitive)', (t) => {
  t.deepEqual(sortNodeNames(['node10', 'Node2', 'node1', 'alpha', 'node1a']), [
    'alpha',
    'node1',
    'node1a',
    'Node2',
    'node10',
  ]);
});
