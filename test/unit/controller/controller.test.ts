import test from 'ava';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../agent/executor/index.ts';
import type { ClusterConfig } from '../../../coordinator/cib/index.ts';
import {
  Controller,
  type ControllerOptions,
  banResource,
  FilePeInputStore,
  type MembershipView,
  RecordingActionSink,
  SimulatedActionSink,
  type TransitionEvent,
  readPeInputFile,
} from '../../../coordinator/controller/index.ts';
import { schedule } from '../../../coordinator/scheduler/index.ts';
import { placement, rsPair, rsPairWithGroupMeta } from './support.ts';

const GROUP = ['vm_repository', 'ClusterIP', 'tomcat-service'];

function view(states: Record<string, MembershipView['nodes'][number]['state']>): MembershipView {
  return { haveQuorum: true, nodes: Object.entries(states).map(([name, state]) => ({ name, state })) };
}

interface Harness {
  controller: Controller;
  clock: FakeClock;
  sink: RecordingActionSink;
  inner: SimulatedActionSink;
  events: TransitionEvent[];
}

function harness(
  t: { teardown(fn: () => Promise<void>): void },
  options: Partial<ControllerOptions> & { config: ClusterConfig; nodeName: string },
): Harness {
  const clock = new FakeClock();
  const inner = new SimulatedActionSink();
  const sink = new RecordingActionSink(inner);
  const events: TransitionEvent[] = [];
  const controller = new Controller({
    dcEpoch: 1,
    clock,
    sink,
    onTransition: (e) => events.push(e),
    ...options,
  });
  t.teardown(() => controller.dispose());
  return { controller, clock, sink, inner, events };
}

function groupOn(h: Harness): string[] {
  const p = placement(h.controller.snapshot().transition?.resources ?? []);
  return GROUP.map((r) => p[r] ?? '?');
}

/** The last transition asked for nothing: the controller reached the fixed point. */
function settled(h: Harness): boolean {
  const last = h.events[h.events.length - 1];
  return (
    last !== undefined && last.transition.actions.every((a) => a.pseudo) && !h.controller.snapshot().running
  );
}

test('controller: fresh start probes everywhere, then starts the group on rsha1 in member order', async (t) => {
  const h = harness(t, { config: rsPair().config, nodeName: 'rsha1' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha1', 'rsha1', 'rsha1']);
  t.true(settled(h));
  const ids = h.sink.ids;
  const pos = (id: string): number => ids.indexOf(id);
  for (const r of GROUP)
    for (const n of ['rsha1', 'rsha2']) t.true(pos(`probe ${r} ${n}`) >= 0, `probe ${r} ${n}`);
  t.true(pos('start vm_repository rsha1') < pos('start ClusterIP rsha1'));
  t.true(pos('start ClusterIP rsha1') < pos('start tomcat-service rsha1'));
  t.true(pos('start tomcat-service rsha1') < pos('monitor tomcat-service rsha1 30000'));
  t.true(Math.max(...GROUP.map((r) => pos(`probe ${r} rsha2`))) < pos('start vm_repository rsha1'));
  t.is(h.controller.snapshot().status.dc, 'rsha1');
});

test('controller: nothing is scheduled before the first membership view', async (t) => {
  const h = harness(t, { config: rsPair().config, nodeName: 'rsha1' });
  h.controller.nodeAttributesChanged('rsha1', { pingd: '1000' });
  await h.controller.idle();
  t.is(h.events.length, 0);
  t.is(h.sink.records.length, 0);
});

test('controller: rsha1 lost → the group starts on rsha2 with no stop on rsha1 (stonith disabled)', async (t) => {
  const h = harness(t, { config: rsPair().config, nodeName: 'rsha2' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha1', 'rsha1', 'rsha1']);
  h.sink.clear();
  h.controller.membershipChanged(view({ rsha1: 'lost', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2']);
  t.true(settled(h));
  t.deepEqual(
    h.sink.ids.filter((id) => id.startsWith('start ') || id.startsWith('stop ')),
    ['start vm_repository rsha2', 'start ClusterIP rsha2', 'start tomcat-service rsha2'],
  );

  // rsha1 returns: its history is empty, so it is probed; the group does not fail back.
  h.sink.clear();
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2']);
  t.true(h.sink.ids.includes('probe vm_repository rsha1'));
  t.false(h.sink.ids.some((id) => id.startsWith('stop ') || id.startsWith('start vm_repository')));
});

test('controller: a monitor failure with migration-threshold=1 moves the group; failure-timeout brings a recheck', async (t) => {
  const config = rsPairWithGroupMeta({ 'migration-threshold': '1', 'failure-timeout': '60s' });
  const h = harness(t, { config, nodeName: 'rsha1' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha1', 'rsha1', 'rsha1']);
  h.sink.clear();

  const failedAt = h.clock.wallNow();
  h.controller.operationResult({
    node: 'rsha1',
    rsc: 'ClusterIP',
    operation: 'monitor',
    intervalMs: 30_000,
    outcome: { status: 'done', rc: 7, exitReason: 'address gone' },
  });
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2']);
  const rsha1 = h.controller.snapshot().status.nodes.find((n) => n.name === 'rsha1');
  t.is(rsha1?.transientAttributes['fail-count-ClusterIP#monitor_30000'], '1');
  t.is(
    rsha1?.transientAttributes['last-failure-ClusterIP#monitor_30000'],
    String(Math.floor(failedAt / 1000)),
  );
  const ids = h.sink.ids;
  t.true(ids.indexOf('stop tomcat-service rsha1') < ids.indexOf('stop ClusterIP rsha1'));
  t.true(ids.indexOf('stop ClusterIP rsha1') < ids.indexOf('stop vm_repository rsha1'));
  t.true(ids.indexOf('stop vm_repository rsha1') < ids.indexOf('start vm_repository rsha2'));

  // The recheck timer is armed for the failure's expiry: 60 s after it.
  const expiry = Math.floor(failedAt / 1000) * 1000 + 60_000;
  t.is(h.controller.snapshot().recheckAt, expiry);
  h.sink.clear();
  h.clock.advance(59_000);
  await h.controller.idle();
  t.deepEqual(h.sink.ids, [], 'nothing before the expiry');
  h.clock.advance(1_000);
  await h.controller.idle();
  t.deepEqual(h.sink.ids, []);
  const after = h.controller.snapshot().status.nodes.find((n) => n.name === 'rsha1');
  t.is(after?.transientAttributes['fail-count-ClusterIP#monitor_30000'], undefined, 'fail count cleared');
  t.true(
    h.events.some((e) => e.transition.actions.some((a) => a.id === 'clear_failcount ClusterIP rsha1')),
    'a clear_failcount ran',
  );
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2'], 'stickiness keeps the group on rsha2');
});

test('controller: a failed start on rsha1 bans it there (INFINITY) and the group starts on rsha2', async (t) => {
  const h = harness(t, { config: rsPair().config, nodeName: 'rsha1' });
  h.inner.script('start vm_repository rsha1', { status: 'done', rc: 1, exitReason: 'mount failed' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2']);
  const rsha1 = h.controller.snapshot().status.nodes.find((n) => n.name === 'rsha1');
  t.is(rsha1?.transientAttributes['fail-count-vm_repository#start_0'], 'INFINITY');
  t.true(h.sink.ids.includes('stop vm_repository rsha1'), 'the failed start is stopped before moving');
  t.true(h.events.some((e) => e.report.aborted));

  // cleanup forgets the failure; with stickiness the group stays where it runs.
  const cleaned = h.controller.cleanup('abiquo_rs');
  t.true(cleaned.ok);
  if (cleaned.ok) t.deepEqual(cleaned.value.cleaned, [{ rsc: 'vm_repository', node: 'rsha1' }]);
  await h.controller.idle();
  const again = h.controller.snapshot().status.nodes.find((n) => n.name === 'rsha1');
  t.is(again?.transientAttributes['fail-count-vm_repository#start_0'], undefined);
  t.true(
    h.sink.ids.filter((id) => id === 'probe vm_repository rsha1').length === 2,
    're-probed after cleanup',
  );
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2']);
});

test('controller: an event during a transition aborts it; running actions finish, then it recomputes', async (t) => {
  let release: (() => void) | undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let gated = false;
  const inner = new SimulatedActionSink({
    delay: (a) => {
      if (a.id !== 'start vm_repository rsha1') return undefined;
      gated = true;
      return gate;
    },
  });
  const clock = new FakeClock();
  const events: TransitionEvent[] = [];
  const controller = new Controller({
    config: rsPair().config,
    nodeName: 'rsha1',
    dcEpoch: 1,
    clock,
    sink: new RecordingActionSink(inner),
    onTransition: (e) => events.push(e),
  });
  t.teardown(() => controller.dispose());
  controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  const deadline = Date.now() + 5_000;
  while (!gated && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  t.true(controller.snapshot().running);
  controller.nodeAttributesChanged('rsha2', { pingd: '1000' });
  t.true(controller.snapshot().running, 'the running transition is not cut short');
  release?.();
  await controller.idle();
  const first = events[0];
  t.true(first?.report.aborted);
  t.is(first?.report.abortReason, 'attribute changed on rsha2');
  t.true(first?.report.completed.includes('start vm_repository rsha1'), 'the running start finished');
  t.true(first?.report.skipped.includes('start ClusterIP rsha1'), 'nothing new started after the abort');
  t.deepEqual(groupOn({ controller } as Harness), ['rsha1', 'rsha1', 'rsha1']);
});

test('controller: scheduler inputs are saved (bounded) and replay to the same transition', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), `tandem-pe-${process.pid}-`));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = rsPairWithGroupMeta({ 'migration-threshold': '1' });
  const h = harness(t, { config, nodeName: 'rsha1', peInputs: new FilePeInputStore(dir, { maxFiles: 3 }) });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  h.clock.advance(5_000);
  h.controller.operationResult({
    node: 'rsha1',
    rsc: 'tomcat-service',
    operation: 'monitor',
    intervalMs: 30_000,
    outcome: { status: 'done', rc: 7 },
  });
  await h.controller.idle();
  t.true(h.events.length >= 4);
  const files = (await readdir(dir)).sort();
  t.is(files.length, 3, 'only the newest 3 are kept');
  for (const e of h.events.slice(-3)) {
    if (e.peInput === undefined) return t.fail(`transition ${e.id} has no saved input`);
    t.true(files.includes(e.peInput));
    const input = await readPeInputFile(join(dir, e.peInput));
    if (!input.ok) return t.fail(input.error);
    const replay = schedule(input.value);
    t.deepEqual(
      replay.actions.map((a) => a.id),
      e.transition.actions.map((a) => a.id),
      `${e.peInput} replays`,
    );
    t.deepEqual(replay.edges, e.transition.edges);
    t.deepEqual(placement(replay.resources), placement(e.transition.resources));
  }
  // The move after the monitor failure is among the saved decisions.
  t.true(h.events.some((e) => e.transition.actions.some((a) => a.id === 'start vm_repository rsha2')));
});

function fencingConfig(): ClusterConfig {
  const config = structuredClone(rsPair().config);
  config.properties['stonith-enabled'] = 'true';
  config.resources.push({
    kind: 'primitive',
    id: 'fence-test',
    agent: { standard: 'stonith', type: 'fence_test' },
    instanceAttributes: { pcmk_host_list: 'rsha1 rsha2' },
    metaAttributes: {},
    operations: [],
  });
  return config;
}

test('controller: with stonith a lost node is fenced before recovery; a fence failure blocks it and retries', async (t) => {
  const h = harness(t, {
    config: fencingConfig(),
    nodeName: 'rsha2',
    fenceRetryDelayMs: 1_000,
    maxFenceAttempts: 2,
  });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(groupOn(h), ['rsha1', 'rsha1', 'rsha1']);
  h.sink.clear();
  h.inner.script('fence rsha1', { status: 'error', rc: 1, exitReason: 'fence_test: exit 1' });

  h.controller.membershipChanged(view({ rsha1: 'lost', rsha2: 'member' }));
  await h.controller.idle();
  t.deepEqual(h.sink.ids, ['fence rsha1'], 'nothing starts on rsha2 while rsha1 is unfenced');
  const failures = h.controller.snapshot().fenceFailures;
  t.deepEqual(
    failures.map((f) => [f.node, f.attempts, f.reason]),
    [['rsha1', 1, 'fence_test: exit 1']],
  );
  t.is(h.controller.snapshot().transition?.nodes.find((n) => n.name === 'rsha1')?.online, false);

  // The retry comes after fenceRetryDelayMs; this time fencing works and the group is recovered.
  h.clock.advance(1_000);
  await h.controller.idle();
  t.is(h.sink.ids[1], 'fence rsha1');
  t.deepEqual(groupOn(h), ['rsha2', 'rsha2', 'rsha2']);
  t.deepEqual(h.controller.snapshot().fenceFailures, []);
  const rsha1 = h.controller.snapshot().status.nodes.find((n) => n.name === 'rsha1');
  t.like(rsha1, { expected: 'down', history: [] });
});

test('controller: fencing gives up after maxFenceAttempts until the next event', async (t) => {
  const h = harness(t, {
    config: fencingConfig(),
    nodeName: 'rsha2',
    fenceRetryDelayMs: 1_000,
    maxFenceAttempts: 2,
  });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  h.sink.clear();
  h.inner.script('fence rsha1', { status: 'error', rc: 1, exitReason: 'no route' }, Number.POSITIVE_INFINITY);
  h.controller.membershipChanged(view({ rsha1: 'lost', rsha2: 'member' }));
  await h.controller.idle();
  for (let i = 0; i < 5; i++) {
    h.clock.advance(1_000);
    await h.controller.idle();
  }
  t.is(h.sink.ids.filter((id) => id === 'fence rsha1').length, 2, 'two attempts, then it waits');
  t.is(h.controller.snapshot().fenceFailures[0]?.attempts, 2);
  t.deepEqual(groupOn(h), ['rsha1', 'rsha1', 'rsha1'], 'shown where it was, not recovered');

  // A new event (here: a cleanup of nothing does not count; a membership view does) tries again.
  h.controller.membershipChanged(view({ rsha1: 'lost', rsha2: 'member' }));
  await h.controller.idle();
  t.is(h.sink.ids.filter((id) => id === 'fence rsha1').length, 3);
});

test('controller: dispose cancels its timer and further events do nothing', async (t) => {
  const h = harness(t, { config: rsPair().config, nodeName: 'rsha1' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  t.true(h.clock.pendingTimers > 0, 'the fallback recheck is armed');
  await h.controller.dispose();
  t.is(h.clock.pendingTimers, 0);
  const before = h.events.length;
  h.controller.membershipChanged(view({ rsha1: 'lost', rsha2: 'member' }));
  await h.controller.idle();
  t.is(h.events.length, before);
});

test('controller: a repeated or late monitor failure is not counted again', async (t) => {
  const h = harness(t, { config: rsPairWithGroupMeta({ 'migration-threshold': '3' }), nodeName: 'rsha1' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  const failure = {
    node: 'rsha1',
    rsc: 'ClusterIP',
    operation: 'monitor',
    intervalMs: 30_000,
    outcome: { status: 'done' as const, rc: 7 },
  };
  const count = (node = 'rsha1'): string | undefined =>
    h.controller.snapshot().status.nodes.find((n) => n.name === node)?.transientAttributes[
      'fail-count-ClusterIP#monitor_30000'
    ];
  // The monitor reports every failed run; until something else happens it is one failure.
  h.controller.operationResult(failure);
  h.controller.operationResult(failure);
  await h.controller.idle();
  t.is(count(), '1', 'one failure episode counts once');
  t.deepEqual(groupOn(h), ['rsha1', 'rsha1', 'rsha1'], 'restarted in place below the threshold');
  // After the restart, a new failure of the new monitor is a second episode.
  h.controller.operationResult(failure);
  await h.controller.idle();
  t.is(count(), '2');
  // A late result from a node where the resource was stopped (no monitor recorded) is ignored.
  h.controller.operationResult({ ...failure, node: 'rsha2' });
  await h.controller.idle();
  t.is(count('rsha2'), undefined);
});

test('controller: a failed stop without fencing blocks the group in place and stops asking', async (t) => {
  const h = harness(t, { config: rsPair().config, nodeName: 'rsha1' });
  h.controller.membershipChanged(view({ rsha1: 'member', rsha2: 'member' }));
  await h.controller.idle();
  h.inner.script('stop tomcat-service rsha1', { status: 'timeout', exitReason: 'stop timed out' });
  const banned = banResource(rsPair().config, 'abiquo_rs', 'rsha1');
  if (!banned.ok) return t.fail(banned.error);
  const before = h.events.length;
  h.controller.configChanged(banned.value);
  await h.controller.idle();
  const rsha1 = h.controller.snapshot().status.nodes.find((n) => n.name === 'rsha1');
  t.is(rsha1?.transientAttributes['fail-count-tomcat-service#stop_0'], 'INFINITY');
  const tomcat = h.controller.snapshot().transition?.resources.find((r) => r.rsc === 'tomcat-service');
  t.deepEqual(tomcat?.flags.includes('blocked'), true);
  t.deepEqual(tomcat?.current, ['rsha1']);
  t.true(settled(h), 'no further actions: the group waits for a cleanup');
  t.true(h.events.length - before <= 3, `${h.events.length - before} transitions`);
  t.false(h.sink.ids.includes('start vm_repository rsha2'));
});
