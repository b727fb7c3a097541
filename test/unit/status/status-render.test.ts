/**
 * `tandem status` from a snapshot: crm_mon's layout, the JSON API, why-not-running and the
 * two-node warning (present without witness and fencing, absent with a witness).
 */
import test from 'ava';
import {
  emptyConfig,
  type ClusterConfig,
  type ClusterStatus,
  type NodeState,
} from '../../../coordinator/cib/index.ts';
import type { StatusSnapshot } from '../../../daemon/status-snapshot.ts';
import {
  buildStatus,
  renderStatusText,
  renderStatusXml,
  STATUS_API_VERSION,
  TWO_NODE_WARNING,
} from '../../../cli/status/index.ts';

const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);

function member(name: string, history: NodeState['history'] = []): NodeState {
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

function config(extra: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    ...emptyConfig('rs', ['rsha1', 'rsha2']),
    properties: { 'stonith-enabled': 'false' },
    resources: [
      {
        kind: 'group',
        id: 'g',
        metaAttributes: {},
        members: [
          {
            kind: 'primitive',
            id: 'a',
            agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
            instanceAttributes: {},
            metaAttributes: {},
            operations: [],
          },
          {
            kind: 'primitive',
            id: 'b',
            agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
            instanceAttributes: {},
            metaAttributes: {},
            operations: [],
          },
        ],
      },
    ],
    ...extra,
  };
}

const running = (rsc: string, node: string): NodeState['history'][number] => ({
  id: rsc,
  agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
  ops: [
    { id: `${rsc}_last_0`, operation: 'start', intervalMs: 0, callId: 1, rc: 0, opStatus: 0, onNode: node },
  ],
});

function snapshot(
  cfg: ClusterConfig,
  status: ClusterStatus,
  witness: StatusSnapshot['witness'] = { kind: 'none', holder: '' },
): StatusSnapshot {
  return {
    snapshotVersion: 1,
    source: 'dc',
    answeredBy: 'rsha1',
    localNode: 'rsha2',
    config: cfg,
    status,
    now: NOW,
    dcEpoch: 3,
    quorum: {
      votes: 2,
      expectedVotes: 2,
      needed: 1,
      twoNode: true,
      waitForAll: true,
      waitingForAll: false,
      witness: 'none',
      quorate: true,
      validUntil: Infinity,
    },
    membership: [
      { name: 'rsha1', state: 'member' },
      { name: 'rsha2', state: 'member' },
    ],
    witness,
    lease: { node: 'rsha1', mayRun: true, remainingMs: null },
    fenceFailures: [],
    transitionRunning: false,
  };
}

test('crm_mon layout: summary, node list, group with members, two-node warning', (t) => {
  const cfg = config();
  const snap = snapshot(cfg, {
    dc: 'rsha1',
    haveQuorum: true,
    nodes: [member('rsha1', [running('a', 'rsha1'), running('b', 'rsha1')]), member('rsha2')],
  });
  const built = buildStatus(snap);
  const text = renderStatusText(built.document, cfg, built.display, { inactive: false });
  t.is(text[0], 'Cluster Summary:');
  t.true(text.includes('  * Current DC: rsha1 (version tandem-0.1.0) - partition with quorum'));
  t.true(text.includes('  * 2 nodes configured'));
  t.true(text.includes('  * 2 resource instances configured'));
  t.true(text.includes('  * Online: [ rsha1 rsha2 ]'));
  const i = text.indexOf('Active Resources:');
  t.true(i > 0);
  t.deepEqual(text.slice(i + 1, i + 4), [
    '  * Resource Group: g:',
    '    * a\t(ocf:tandem:Dummy):\t Started rsha1',
    '    * b\t(ocf:tandem:Dummy):\t Started rsha1',
  ]);
  t.true(text.includes(`  * ${TWO_NODE_WARNING}`));
  t.is(built.document.apiVersion, STATUS_API_VERSION);
  t.deepEqual(
    built.document.resources.map((r) => [r.id, r.group, r.nodes]),
    [
      ['a', 'g', ['rsha1']],
      ['b', 'g', ['rsha1']],
    ],
  );
  t.regex(renderStatusXml(built.document), /<group id="g" number_resources="2"/);
});

test('with a witness there is no two-node warning; witness and lease are shown', (t) => {
  const cfg = config();
  const built = buildStatus(
    snapshot(
      cfg,
      { dc: 'rsha1', haveQuorum: true, nodes: [member('rsha1'), member('rsha2')] },
      { kind: 'redis', address: 'redis://192.0.2.9:6379', holder: 'rsha1' },
    ),
  );
  t.deepEqual(built.document.warnings, []);
  t.is(built.document.cluster.witness.holder, 'rsha1');
  const text = renderStatusText(built.document, cfg, built.display, { inactive: true });
  t.true(text.includes('  * Witness: redis redis://192.0.2.9:6379 - lease held by rsha1'));
});

test('why not running: a ban and a failed start with the cleanup hint; failures in crm_mon words', (t) => {
  const cfg = config({
    constraints: {
      location: [{ id: 'cli-ban-g-on-rsha2', rsc: 'g', node: 'rsha2', score: -1_000_000 }],
      colocation: [],
      order: [],
    },
  });
  const failedStart: NodeState['history'][number] = {
    id: 'a',
    agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
    ops: [
      {
        id: 'a_last_0',
        operation: 'start',
        intervalMs: 0,
        callId: 2,
        rc: 1,
        opStatus: 0,
        lastRcChange: NOW / 1000 - 60,
        execTimeMs: 33,
      },
      {
        id: 'a_last_failure_0',
        operation: 'start',
        intervalMs: 0,
        callId: 2,
        rc: 1,
        opStatus: 0,
        lastRcChange: NOW / 1000 - 60,
        execTimeMs: 33,
        exitReason: 'boom',
      },
    ],
  };
  const status: ClusterStatus = {
    dc: 'rsha1',
    haveQuorum: true,
    crmFeatureSet: '3.16.1',
    nodes: [
      { ...member('rsha1', [failedStart]), transientAttributes: { 'fail-count-a#start_0': 'INFINITY' } },
      member('rsha2'),
    ],
  };
  const built = buildStatus(snapshot(cfg, status));
  const why = built.document.notRunning.find((n) => n.rsc === 'a');
  t.truthy(why, JSON.stringify(built.document.notRunning));
  t.regex(why?.reasons.join('; ') ?? '', /start failed on rsha1/);
  t.regex(why?.hint ?? '', /tandem resource cleanup g/);
  t.deepEqual(
    built.document.failures.map((f) => [f.rsc, f.node, f.operation, f.rcText]),
    [['a', 'rsha1', 'start', 'error']],
  );
  const text = renderStatusText(built.document, cfg, built.display, { inactive: true });
  t.true(
    text.some((l) => /^ {2}\* a start on rsha1 returned 'error' \(boom\) at .* after 33ms$/.test(l)),
    text.join('\n'),
  );
  t.true(text.includes('  * cli-ban-g-on-rsha2: g banned from rsha2'));
});

const PING_CLONE: ClusterConfig['resources'][number] = {
  kind: 'clone',
  id: 'ping-clone',
  metaAttributes: {},
  child: {
    kind: 'primitive',
    id: 'ping',
    agent: { standard: 'ocf', provider: 'tandem', type: 'ping' },
    instanceAttributes: { host_list: '192.0.2.1' },
    metaAttributes: {},
    operations: [],
  },
};

const runningPing = (node: string): NodeState['history'][number] => ({
  ...running('ping', node),
  agent: { standard: 'ocf', provider: 'tandem', type: 'ping' },
});

test('why not running: an anonymous clone running on every online node has nothing to explain', (t) => {
  const cfg = config({ resources: [PING_CLONE] });
  const both = buildStatus(
    snapshot(cfg, {
      dc: 'rsha1',
      haveQuorum: true,
      nodes: [member('rsha1', [runningPing('rsha1')]), member('rsha2', [runningPing('rsha2')])],
    }),
  );
  t.deepEqual(both.document.notRunning, []);
  t.deepEqual(both.document.resources.flatMap((r) => r.nodes).sort(), ['rsha1', 'rsha2']);
  // One node offline: the instance that has no node left is not a problem either.
  const offline: NodeState = {
    ...member('rsha2'),
    inCcm: false,
    crmd: 'offline',
    join: 'down',
    expected: 'down',
  };
  const alone = buildStatus(
    snapshot(cfg, {
      dc: 'rsha1',
      haveQuorum: true,
      nodes: [member('rsha1', [runningPing('rsha1')]), offline],
    }),
  );
  t.deepEqual(alone.document.notRunning, []);
  // An online node without an instance (banned there) is explained, for that node.
  const banned = buildStatus(
    snapshot(
      {
        ...cfg,
        constraints: {
          ...cfg.constraints,
          location: [{ id: 'ban-ping', rsc: 'ping-clone', node: 'rsha2', score: -1_000_000 }],
        },
      },
      { dc: 'rsha1', haveQuorum: true, nodes: [member('rsha1', [runningPing('rsha1')]), member('rsha2')] },
    ),
  );
  t.is(banned.document.notRunning.length, 1);
  t.regex(banned.document.notRunning[0]?.reasons.join('; ') ?? '', /rsha2/);
});
