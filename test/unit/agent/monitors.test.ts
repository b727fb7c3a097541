import test from 'ava';
import { Executor, FakeClock } from '../../../agent/executor/index.ts';
import type { MonitorEvent } from '../../../agent/monitors/index.ts';
import { MonitorScheduler } from '../../../agent/monitors/index.ts';
import { GateAgent, until } from './gate-agent.ts';

const agentRef = { standard: 'ocf' as const, provider: 'tandem', type: 'Gate' };

function setup(timerSlack = 0): {
  gate: GateAgent;
  clock: FakeClock;
  executor: Executor;
  monitors: MonitorScheduler;
  failures: MonitorEvent[];
  results: MonitorEvent[];
} {
  const gate = new GateAgent();
  const clock = new FakeClock();
  const executor = new Executor({ builtinAgents: [gate], clock });
  const failures: MonitorEvent[] = [];
  const results: MonitorEvent[] = [];
  const monitors = new MonitorScheduler({
    executor,
    clock,
    onFailure: (e) => failures.push(e),
    onResult: (e) => results.push(e),
    timerSlack,
  });
  return { gate, clock, executor, monitors, failures, results };
}

test('a monitor runs at once, then its interval after each completion', async (t) => {
  const { gate, clock, executor, monitors, results } = setup();
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
  });
  t.is(monitors.start({ resource: 'd1', agent: agentRef, intervalMs: 10_000 }), 'd1_monitor_10000');
  clock.advance(0);
  await until(() => gate.calls.length === 1);
  t.is(gate.calls[0]?.ctx.intervalMs, 10_000);
  clock.advance(5_000); // the run is still in progress: nothing new is armed
  t.is(gate.calls.length, 1);
  gate.calls[0]?.finish({ rc: 0 });
  await until(() => results.length === 1);
  clock.advance(9_999);
  t.is(gate.calls.length, 1, 'not before the interval has passed since completion');
  clock.advance(1);
  await until(() => gate.calls.length === 2);
  gate.calls[1]?.finish({ rc: 0 });
  await until(() => results.length === 2);
  t.deepEqual(
    results.map((r) => [r.failed, r.changed, r.consecutiveFailures]),
    [
      [false, true, 0],
      [false, false, 0],
    ],
  );
});

test('timer slack: re-arms come due at multiples of 5% of the interval, so monitors fire together', async (t) => {
  const { gate, clock, executor, monitors, results } = setup(0.05);
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
  });
  clock.advance(1_234); // not on the 500 ms grid
  monitors.start({ resource: 'a', agent: agentRef, intervalMs: 10_000 });
  monitors.start({ resource: 'b', agent: agentRef, intervalMs: 10_000, startDelayMs: 200 });
  clock.advance(0);
  await until(() => gate.calls.length === 1);
  gate.calls[0]?.finish({ rc: 0 }); // a finishes at 1234: due at 11234, rounded up to 11500
  await until(() => results.length === 1);
  clock.advance(200);
  await until(() => gate.calls.length === 2);
  gate.calls[1]?.finish({ rc: 0 }); // b finishes at 1434: due at 11434, rounded up to 11500
  await until(() => results.length === 2);
  clock.advance(11_499 - 1_434);
  t.is(gate.calls.length, 2, 'neither before the interval has passed since completion');
  clock.advance(1);
  await until(() => gate.calls.length === 4);
  t.deepEqual(
    gate.calls.slice(2).map((c) => c.ctx.instance),
    ['a', 'b'],
    'both at 11500: one wakeup',
  );
});

test('every failure is reported at once: rc 7, timeout, error', async (t) => {
  const { gate, clock, executor, monitors, failures, results } = setup();
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
  });
  monitors.start({ resource: 'd1', agent: agentRef, intervalMs: 1000 });
  const outcomes: Array<{ rc: 0 | 1 | 7 } | 'throw'> = [{ rc: 0 }, { rc: 7 }, { rc: 7 }, 'throw', { rc: 0 }];
  for (const [i, outcome] of outcomes.entries()) {
    clock.advance(i === 0 ? 0 : 1000);
    await until(() => gate.calls.length === i + 1);
    const call = gate.calls[i];
    if (outcome === 'throw') call?.finish(Promise.reject(new Error('boom')) as never);
    else call?.finish(outcome);
    await until(() => results.length === i + 1);
  }
  t.deepEqual(
    failures.map((f) => [f.result.status, f.result.rc, f.consecutiveFailures, f.changed]),
    [
      ['done', 7, 1, true],
      ['done', 7, 2, false],
      ['error', 1, 3, true],
    ],
  );
  t.false(results[4]?.failed);
  t.is(monitors.list()[0]?.consecutiveFailures, 0);
  t.deepEqual(
    executor.history('d1')?.ops.map((o) => [o.id, o.rc]),
    [
      ['d1_last_failure_0', 1],
      ['d1_monitor_1000', 0],
    ],
  );
});

test('a monitor that times out is a failure with status timeout', async (t) => {
  const gate = new GateAgent();
  gate.ignoreAbort = true;
  const clock = new FakeClock();
  const executor = new Executor({ builtinAgents: [gate], clock });
  const failures: MonitorEvent[] = [];
  const monitors = new MonitorScheduler({
    executor,
    clock,
    onFailure: (e) => failures.push(e),
    timerSlack: 0,
  });
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
  });
  monitors.start({ resource: 'slow', agent: agentRef, intervalMs: 1000, timeoutMs: 30 });
  clock.advance(0);
  await until(() => failures.length === 1);
  t.is(failures[0]?.result.status, 'timeout');
  t.is(failures[0]?.result.rc, undefined);
});

test('stop cancels the running monitor, reports nothing and forgets its record; dispose stops all', async (t) => {
  const { gate, clock, executor, monitors, failures, results } = setup();
  t.teardown(() => executor.dispose());
  monitors.start({ resource: 'a', agent: agentRef, intervalMs: 1000 });
  monitors.start({ resource: 'b', agent: agentRef, intervalMs: 1000, startDelayMs: 500 });
  clock.advance(0);
  await until(() => gate.calls.length === 1);
  t.is(monitors.stop('a'), 1);
  t.true(gate.calls[0]?.ctx.signal.aborted);
  clock.advance(500);
  await until(() => gate.calls.length === 2);
  gate.calls[1]?.finish({ rc: 0 });
  await until(() => results.length === 1);
  t.is(results[0]?.key, 'b_monitor_1000');
  t.is(monitors.size, 1);
  monitors.dispose();
  t.is(monitors.size, 0);
  t.is(clock.pendingTimers, 0);
  clock.advance(10_000);
  t.is(gate.calls.length, 2);
  t.is(failures.length, 0);
  t.is(executor.history('a'), undefined);
});

test('restarting a monitor with the same key replaces it', async (t) => {
  const { gate, clock, executor, monitors } = setup();
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
  });
  monitors.start({ resource: 'a', agent: agentRef, intervalMs: 1000, startDelayMs: 100 });
  monitors.start({ resource: 'a', agent: agentRef, intervalMs: 1000, startDelayMs: 100, params: { v: '2' } });
  t.is(monitors.size, 1);
  clock.advance(100);
  await until(() => gate.calls.length === 1);
  t.is(gate.calls[0]?.ctx.params['v'], '2');
  t.throws(() => monitors.start({ resource: 'z', agent: agentRef, intervalMs: 0 }), {
    message: /intervalMs must be > 0/,
  });
});
