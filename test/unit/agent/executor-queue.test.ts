import test from 'ava';
import { Executor, FakeClock } from '../../../agent/executor/index.ts';
import type { OperationResult } from '../../../agent/executor/index.ts';
import { GateAgent, until } from './gate-agent.ts';

const agentRef = { standard: 'ocf' as const, provider: 'tandem', type: 'Gate' };

function setup(maxConcurrent = 8): { gate: GateAgent; executor: Executor; clock: FakeClock } {
  const gate = new GateAgent();
  const clock = new FakeClock();
  const executor = new Executor({
    builtinAgents: [gate],
    maxConcurrent,
    clock,
    stateDir: '/nonexistent',
    nodeName: 'n1',
  });
  return { gate, executor, clock };
}

test('one operation at a time per resource, in submission order', async (t) => {
  const { gate, executor } = setup();
  t.teardown(() => executor.dispose());
  const first = executor.execute({ resource: 'r1', agent: agentRef, action: 'monitor' });
  const second = executor.execute({ resource: 'r1', agent: agentRef, action: 'stop' });
  const other = executor.execute({ resource: 'r2', agent: agentRef, action: 'monitor' });
  await until(() => gate.calls.length === 2);
  t.deepEqual(
    gate.calls.map((c) => [c.ctx.instance, c.action]),
    [
      ['r1', 'monitor'],
      ['r2', 'monitor'],
    ],
  );
  gate.calls[0]?.finish({ rc: 0 });
  await until(() => gate.calls.length === 3);
  t.deepEqual([gate.calls[2]?.ctx.instance, gate.calls[2]?.action], ['r1', 'stop']);
  gate.calls[1]?.finish({ rc: 7 });
  gate.calls[2]?.finish({ rc: 0 });
  const results = await Promise.all([first, second, other]);
  t.deepEqual(
    results.map((r) => [r.resource, r.action, r.status, r.rc]),
    [
      ['r1', 'monitor', 'done', 0],
      ['r1', 'stop', 'done', 0],
      ['r2', 'monitor', 'done', 7],
    ],
  );
  t.true((results[0]?.callId ?? 0) < (results[1]?.callId ?? 0));
  t.is(gate.maxRunning, 2);
});

test('the node-wide bound holds operations back', async (t) => {
  const { gate, executor } = setup(3);
  t.teardown(() => executor.dispose());
  const all = Array.from({ length: 7 }, (_, i) =>
    executor.execute({ resource: `r${i}`, agent: agentRef, action: 'monitor' }),
  );
  await until(() => gate.calls.length === 3);
  t.is(executor.runningCount, 3);
  t.is(executor.pendingCount, 7);
  let finished = 0;
  while (finished < 7) {
    await until(() => gate.calls.length > finished);
    gate.calls[finished]?.finish({ rc: 0 });
    finished += 1;
  }
  const results = await Promise.all(all);
  t.true(results.every((r) => r.status === 'done'));
  t.is(gate.maxRunning, 3);
});

test('cancel aborts the running operation and the queued ones of a resource', async (t) => {
  const { gate, executor } = setup();
  t.teardown(() => executor.dispose());
  const running = executor.execute({ resource: 'r1', agent: agentRef, action: 'monitor', intervalMs: 10000 });
  const queued = executor.execute({ resource: 'r1', agent: agentRef, action: 'stop' });
  const unrelated = executor.execute({ resource: 'r2', agent: agentRef, action: 'monitor' });
  await until(() => gate.calls.length === 2);
  t.is(executor.cancel('r1'), 2);
  const [a, b] = await Promise.all([running, queued]);
  t.is(a.status, 'cancelled');
  t.is(b.status, 'cancelled');
  t.is(a.rc, undefined);
  t.is(gate.calls.filter((c) => c.ctx.instance === 'r1').length, 1, 'the queued stop never ran');
  gate.calls[1]?.finish({ rc: 0 });
  t.is((await unrelated).status, 'done');
});

test('a caller AbortSignal cancels; a built-in ignoring it still ends at its timeout', async (t) => {
  const { gate, executor } = setup();
  t.teardown(() => executor.dispose());
  const ac = new AbortController();
  const p = executor.execute({ resource: 'r1', agent: agentRef, action: 'monitor', signal: ac.signal });
  await until(() => gate.calls.length === 1);
  ac.abort();
  t.is((await p).status, 'cancelled');

  gate.ignoreAbort = true;
  const slow = await executor.execute({ resource: 'r2', agent: agentRef, action: 'monitor', timeoutMs: 50 });
  t.is(slow.status, 'timeout');
  t.is(slow.rc, undefined);
  t.is(slow.exitReason, 'Resource agent did not complete within 50ms');
  t.true(gate.calls[1]?.ctx.signal.aborted, 'the agent was told to stop');
});

test('start is refused before the agent runs when a required parameter is missing; defaults applied', async (t) => {
  const { gate, executor } = setup();
  t.teardown(() => executor.dispose());
  const refused = await executor.execute({
    resource: 'r1',
    agent: agentRef,
    action: 'start',
    params: { odd: '1' },
  });
  t.is(refused.status, 'invalid');
  t.is(refused.rc, 6);
  t.regex(refused.exitReason ?? '', /ocf:tandem:Gate requires parameter "need"/);
  t.is(gate.calls.length, 0);

  const started = executor.execute({
    resource: 'r1',
    agent: agentRef,
    action: 'start',
    params: { need: 'x', odd: '1' },
  });
  await until(() => gate.calls.length === 1);
  t.deepEqual(gate.calls[0]?.ctx.params, { need: 'x', odd: '1', level: '3' });
  t.like(gate.calls[0]?.ctx.meta, { timeout: '20000', interval: '0', name: 'start' });
  t.is(gate.calls[0]?.ctx.stateDir, '/nonexistent');
  gate.calls[0]?.finish({ rc: 0 });
  const r = await started;
  t.deepEqual(r.warnings, ['ocf:tandem:Gate has no parameter "odd"; the agent will ignore it']);
});

test('history is recorded as OpRecords: recurring op keys, last_0, last_failure_0, rc changes', async (t) => {
  const { gate, executor, clock } = setup();
  t.teardown(() => executor.dispose());
  const run = async (action: string, rc: 0 | 7, intervalMs = 0, expectedRc = 0): Promise<OperationResult> => {
    gate.immediate.set(action, { rc });
    return executor.execute({
      resource: 'ip',
      agent: agentRef,
      action,
      intervalMs,
      expectedRc,
      params: { need: 'y' },
    });
  };
  await run('monitor', 7, 0, 7); // probe
  await run('start', 0);
  clock.advance(10_000);
  await run('monitor', 0, 10000);
  clock.advance(10_000);
  await run('monitor', 0, 10000);
  clock.advance(10_000);
  const failed = await run('monitor', 7, 10000);
  const h = executor.history('ip');
  if (h === undefined) return t.fail('no history');
  t.deepEqual(h.agent, agentRef);
  t.deepEqual(
    h.ops.map((o) => [o.id, o.operation, o.intervalMs, o.rc, o.opStatus, o.targetRc]),
    [
      ['ip_last_0', 'start', 0, 0, 0, 0],
      ['ip_monitor_10000', 'monitor', 10000, 7, 0, 0],
      ['ip_last_failure_0', 'monitor', 10000, 7, 0, 0],
    ],
  );
  const mon = h.ops[1];
  t.is(mon?.callId, failed.callId);
  t.is(mon?.lastRun, Math.floor(clock.wallNow() / 1000));
  t.is(mon?.lastRcChange, Math.floor(clock.wallNow() / 1000));
  t.is(mon?.onNode, 'n1');
  t.is(typeof mon?.opDigest, 'string');
  executor.forgetRecurring('ip', 'monitor', 10000);
  t.deepEqual(
    executor.history('ip')?.ops.map((o) => o.id),
    ['ip_last_0', 'ip_last_failure_0'],
  );
});

test('unknown built-in type and unsupported standards are results, not exceptions', async (t) => {
  const { executor } = setup();
  t.teardown(() => executor.dispose());
  const missing = await executor.execute({
    resource: 'x',
    agent: { standard: 'ocf', provider: 'tandem', type: 'Nope' },
    action: 'monitor',
  });
  t.is(missing.status, 'not-installed');
  t.is(missing.rc, 5);
  const systemd = await executor.execute({
    resource: 'y',
    agent: { standard: 'systemd', type: 'sshd' },
    action: 'start',
  });
  t.is(systemd.status, 'not-supported');
  t.regex(systemd.exitReason ?? '', /systemd.*not supported/);
});

test('dispose cancels everything queued and running', async (t) => {
  const { gate, executor } = setup(1);
  const a = executor.execute({ resource: 'a', agent: agentRef, action: 'monitor' });
  const b = executor.execute({ resource: 'b', agent: agentRef, action: 'monitor' });
  await until(() => gate.calls.length === 1);
  await executor.dispose();
  t.deepEqual(
    (await Promise.all([a, b])).map((r) => r.status),
    ['cancelled', 'cancelled'],
  );
  t.is(executor.pendingCount, 0);
  const after = await executor.execute({ resource: 'c', agent: agentRef, action: 'monitor' });
  t.is(after.status, 'cancelled');
});

test('result listeners see every result; a throwing listener does not break the operation', async (t) => {
  const { gate, executor } = setup();
  t.teardown(() => executor.dispose());
  const seen: string[] = [];
  executor.onResult(() => {
    throw new Error('listener bug');
  });
  const off = executor.onResult((r) => seen.push(`${r.opKey}:${String(r.rc)}`));
  gate.immediate.set('monitor', { rc: 7 });
  const r = await executor.execute({ resource: 'r1', agent: agentRef, action: 'monitor', expectedRc: 7 });
  t.is(r.rc, 7);
  off();
  await executor.execute({ resource: 'r1', agent: agentRef, action: 'monitor', expectedRc: 7 });
  t.deepEqual(seen, ['r1_monitor_0:7']);
});
