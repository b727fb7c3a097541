import test from 'ava';
import {
  type ClusterConfig,
  type ClusterStatus,
  type OpRecord,
  computeOpDigest,
  emptyConfig,
} from '../../../coordinator/cib/index.ts';
import {
  type ActionOutcome,
  CONTROLLER_FEATURE_SET,
  recordActionOutcome,
} from '../../../coordinator/controller/index.ts';
import type { Action } from '../../../coordinator/scheduler/index.ts';
import { action, onlineNode } from './support.ts';

const NOW_MS = 1_750_000_000_500;
const NOW_S = 1_750_000_000;

function config(props: Record<string, string> = {}, onFail?: 'ignore'): ClusterConfig {
  const c = emptyConfig('t', ['n1', 'n2']);
  c.properties = { 'stonith-enabled': 'false', ...props };
  c.resources.push({
    kind: 'primitive',
    id: 'ip',
    agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' },
    instanceAttributes: { ip: '192.0.2.7' },
    metaAttributes: {},
    operations: [
      { name: 'monitor', intervalMs: 10_000, timeoutMs: 20_000, ...(onFail ? { onFail } : {}) },
      { name: 'start', intervalMs: 0, timeoutMs: 20_000 },
    ],
  });
  return c;
}

function digestOf(name: string, intervalMs: number): string {
  const prim = config().resources[0];
  if (prim?.kind !== 'primitive') throw new Error('test config: ip is a primitive');
  return computeOpDigest(prim, name, intervalMs);
}

function op(id: string, fields: Partial<OpRecord>): OpRecord {
  return { id, operation: 'start', intervalMs: 0, callId: 1, rc: 0, opStatus: 0, ...fields };
}

function statusWith(ops: OpRecord[] = [], attrs: Record<string, string> = {}): ClusterStatus {
  return {
    haveQuorum: true,
    nodes: [
      onlineNode('n1', {
        transientAttributes: attrs,
        history:
          ops.length > 0
            ? [{ id: 'ip', agent: { standard: 'ocf', provider: 'heartbeat', type: 'IPaddr2' }, ops }]
            : [],
      }),
      onlineNode('n2'),
    ],
  };
}

interface Case {
  name: string;
  config?: ClusterConfig;
  status?: ClusterStatus;
  action: Action;
  outcome: ActionOutcome;
  /** Expected history of ip on n1: op id → fields (undefined = absent). */
  records?: Record<string, Partial<OpRecord> | undefined>;
  /** Expected transient attributes of n1 (undefined = absent). */
  attrs?: Record<string, string | undefined>;
  featureSet?: string | undefined;
}

const ok: ActionOutcome = { status: 'done', rc: 0 };

const cases: Case[] = [
  {
    name: 'a successful start is the last op, with call id 1 and the current digest',
    action: action('start ip n1'),
    outcome: { status: 'done', rc: 0, execTimeMs: 12 },
    records: {
      ip_last_0: {
        operation: 'start',
        operationKey: 'ip_start_0',
        intervalMs: 0,
        callId: 1,
        rc: 0,
        opStatus: 0,
        targetRc: 0,
        lastRcChange: NOW_S,
        lastRun: NOW_S,
        execTimeMs: 12,
        onNode: 'n1',
        opDigest: digestOf('start', 0),
      },
      ip_last_failure_0: undefined,
    },
    attrs: { 'fail-count-ip#start_0': undefined },
    featureSet: undefined,
  },
  {
    name: 'a failed start (start-failure-is-fatal default) sets the start fail count to INFINITY',
    action: action('start ip n1'),
    outcome: { status: 'done', rc: 1, exitReason: 'no such device' },
    records: {
      ip_last_0: { operation: 'start', rc: 1, exitReason: 'no such device' },
      ip_last_failure_0: { operation: 'start', rc: 1, operationKey: 'ip_start_0' },
    },
    attrs: { 'fail-count-ip#start_0': 'INFINITY', 'last-failure-ip#start_0': String(NOW_S) },
    featureSet: CONTROLLER_FEATURE_SET,
  },
  {
    name: 'a failed start with start-failure-is-fatal=false adds 1',
    config: config({ 'start-failure-is-fatal': 'false' }),
    status: statusWith([], { 'fail-count-ip#start_0': '2' }),
    action: action('start ip n1'),
    outcome: { status: 'done', rc: 1 },
    attrs: { 'fail-count-ip#start_0': '3', 'last-failure-ip#start_0': String(NOW_S) },
  },
  {
    name: 'a failed stop sets the stop fail count to INFINITY and records the failure',
    status: statusWith([op('ip_last_0', { callId: 4 })]),
    action: action('stop ip n1'),
    outcome: { status: 'timeout' },
    records: {
      ip_last_0: { operation: 'stop', opStatus: 2, rc: 1, callId: 5 },
      ip_last_failure_0: { operation: 'stop', opStatus: 2 },
    },
    attrs: { 'fail-count-ip#stop_0': 'INFINITY' },
  },
  {
    name: 'a recurring monitor failing writes last_failure and counts 1 per failure',
    status: statusWith(
      [
        op('ip_last_0', { callId: 2 }),
        op('ip_monitor_10000', { operation: 'monitor', intervalMs: 10_000, callId: 3 }),
      ],
      { 'fail-count-ip#monitor_10000': '1' },
    ),
    action: action('monitor ip n1 10000'),
    outcome: { status: 'done', rc: 7 },
    records: {
      ip_last_failure_0: {
        operation: 'monitor',
        intervalMs: 10_000,
        operationKey: 'ip_monitor_10000',
        rc: 7,
        callId: 4,
      },
      ip_last_0: { operation: 'start', callId: 2 },
      ip_monitor_10000: { rc: 0, callId: 3 },
    },
    attrs: { 'fail-count-ip#monitor_10000': '2', 'last-failure-ip#monitor_10000': String(NOW_S) },
  },
  {
    name: 'a monitor that times out is a failure with op-status timeout, never rc 1 alone',
    status: statusWith([op('ip_last_0', { callId: 2 })]),
    action: action('monitor ip n1 10000'),
    outcome: { status: 'timeout' },
    records: { ip_last_failure_0: { opStatus: 2, operation: 'monitor' } },
    attrs: { 'fail-count-ip#monitor_10000': '1' },
  },
  {
    name: 'on-fail=ignore records the failure but no fail count',
    config: config({}, 'ignore'),
    status: statusWith([op('ip_last_0', { callId: 2 })]),
    action: action('monitor ip n1 10000'),
    outcome: { status: 'done', rc: 7 },
    records: { ip_last_failure_0: { rc: 7 } },
    attrs: { 'fail-count-ip#monitor_10000': undefined },
  },
  {
    name: 'a probe finding the resource stopped is the last op with target 7, not a failure',
    action: action('probe ip n1'),
    outcome: { status: 'done', rc: 7 },
    records: {
      ip_last_0: { operation: 'monitor', intervalMs: 0, rc: 7, targetRc: 7, operationKey: 'ip_monitor_0' },
      ip_last_failure_0: undefined,
    },
    attrs: { 'fail-count-ip#monitor_0': undefined },
  },
  {
    name: 'a probe finding the resource running is not a failure',
    action: action('probe ip n1'),
    outcome: { status: 'done', rc: 0 },
    records: { ip_last_0: { operation: 'monitor', rc: 0, targetRc: 7 }, ip_last_failure_0: undefined },
    attrs: { 'fail-count-ip#monitor_0': undefined },
  },
  {
    name: 'a probe returning an error is a failure counted on monitor_0',
    action: action('probe ip n1'),
    outcome: { status: 'done', rc: 5 },
    records: { ip_last_failure_0: { operation: 'monitor', intervalMs: 0, rc: 5 } },
    attrs: { 'fail-count-ip#monitor_0': '1' },
  },
  {
    name: 'a successful stop forgets the recurring monitor, keeps the last failure',
    status: statusWith([
      op('ip_last_0', { callId: 2 }),
      op('ip_monitor_10000', { operation: 'monitor', intervalMs: 10_000, callId: 3 }),
      op('ip_last_failure_0', { operation: 'monitor', intervalMs: 10_000, callId: 4, rc: 7 }),
    ]),
    action: action('stop ip n1'),
    outcome: ok,
    records: {
      ip_last_0: { operation: 'stop', callId: 5 },
      ip_monitor_10000: undefined,
      ip_last_failure_0: { callId: 4 },
    },
  },
  {
    name: 'a repeated monitor result keeps last-rc-change',
    status: statusWith([
      op('ip_monitor_10000', { operation: 'monitor', intervalMs: 10_000, callId: 3, lastRcChange: 100 }),
    ]),
    action: action('monitor ip n1 10000'),
    outcome: ok,
    records: { ip_monitor_10000: { lastRcChange: 100, callId: 4 } },
  },
  {
    name: 'cancel removes the recurring monitor record',
    status: statusWith([
      op('ip_last_0', { callId: 2 }),
      op('ip_monitor_10000', { operation: 'monitor', intervalMs: 10_000, callId: 3 }),
    ]),
    action: action('cancel ip n1 10000'),
    outcome: ok,
    records: { ip_monitor_10000: undefined, ip_last_0: { callId: 2 } },
  },
  {
    name: 'clear_failcount removes fail counts and the last failure',
    status: statusWith(
      [
        op('ip_last_0', { callId: 2, operation: 'stop' }),
        op('ip_last_failure_0', { operation: 'monitor', intervalMs: 10_000, callId: 1, rc: 7 }),
      ],
      {
        'fail-count-ip#monitor_10000': '1',
        'last-failure-ip#monitor_10000': '5',
        'fail-count-other#start_0': 'INFINITY',
        pingd: '1000',
      },
    ),
    action: action('clear_failcount ip n1'),
    outcome: ok,
    records: { ip_last_failure_0: undefined, ip_last_0: { operation: 'stop' } },
    attrs: {
      'fail-count-ip#monitor_10000': undefined,
      'last-failure-ip#monitor_10000': undefined,
      'fail-count-other#start_0': 'INFINITY',
      pingd: '1000',
    },
  },
];

for (const c of cases) {
  test(`records: ${c.name}`, (t) => {
    const before = c.status ?? statusWith();
    const frozen = structuredClone(before);
    const after = recordActionOutcome(before, c.action, c.outcome, {
      config: c.config ?? config(),
      nowMs: NOW_MS,
    });
    t.deepEqual(before, frozen, 'the input status is not mutated');
    const n1 = after.nodes.find((n) => n.name === 'n1');
    if (n1 === undefined) return t.fail('n1 missing');
    const ops = n1.history.find((h) => h.id === 'ip')?.ops ?? [];
    for (const [id, fields] of Object.entries(c.records ?? {})) {
      const rec = ops.find((o) => o.id === id);
      if (fields === undefined) {
        t.is(rec, undefined, `${id} absent`);
        continue;
      }
      if (rec === undefined) {
        t.fail(`${id} missing`);
        continue;
      }
      for (const [k, v] of Object.entries(fields)) t.deepEqual(rec[k as keyof OpRecord], v, `${id}.${k}`);
    }
    for (const [k, v] of Object.entries(c.attrs ?? {})) t.is(n1.transientAttributes[k], v, k);
    if ('featureSet' in c) t.is(after.crmFeatureSet, c.featureSet);
  });
}

test('records: a successful fence marks the node down and erases its history; a failed one changes nothing', (t) => {
  const before = statusWith([op('ip_last_0', { callId: 2 })], { pingd: '1000' });
  const fence: Action = { id: 'fence n1', kind: 'fence', node: 'n1', fenceAction: 'reboot', pseudo: false };
  const fenced = recordActionOutcome(before, fence, ok, { config: config(), nowMs: NOW_MS });
  const n1 = fenced.nodes.find((n) => n.name === 'n1');
  t.like(n1, {
    inCcm: false,
    crmd: 'offline',
    join: 'down',
    expected: 'down',
    history: [],
    transientAttributes: {},
  });
  const failed = recordActionOutcome(
    before,
    fence,
    { status: 'error', rc: 1 },
    { config: config(), nowMs: NOW_MS },
  );
  t.is(failed, before);
});

test('records: call ids keep increasing per node across resources', (t) => {
  let s = statusWith([op('ip_last_0', { callId: 9 })]);
  s = recordActionOutcome(s, action('monitor ip n1 10000'), ok, { config: config(), nowMs: NOW_MS });
  s = recordActionOutcome(
    s,
    action('probe ip n2'),
    { status: 'done', rc: 7 },
    { config: config(), nowMs: NOW_MS },
  );
  const n1 = s.nodes.find((n) => n.name === 'n1')?.history[0]?.ops.find((o) => o.id === 'ip_monitor_10000');
  const n2 = s.nodes.find((n) => n.name === 'n2')?.history[0]?.ops.find((o) => o.id === 'ip_last_0');
  t.is(n1?.callId, 10);
  t.is(n2?.callId, 1);
});
