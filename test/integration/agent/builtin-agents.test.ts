import test from 'ava';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeAttributes } from '../../../agent/attributes/index.ts';
import type { AttributeChange } from '../../../agent/attributes/index.ts';
import { Executor, FakeClock, systemClock } from '../../../agent/executor/index.ts';
import type { MonitorEvent } from '../../../agent/monitors/index.ts';
import { MonitorScheduler } from '../../../agent/monitors/index.ts';
import { builtinAgents } from '../../../resource-agents/index.ts';
import { tempDir, waitFor } from './helpers.ts';

test('built-in ping through the executor moves pingd through the node attributes, with dampening', async (t) => {
  const stateDir = await tempDir('builtin-ping');
  const clock = new FakeClock();
  const attrs = NodeAttributes.inMemory(clock);
  const changes: AttributeChange[] = [];
  attrs.subscribe((c) => changes.push(c));
  const executor = new Executor({
    stateDir,
    builtinAgents: builtinAgents.values(),
    setNodeAttribute: (name, value, options) => attrs.set(name, value, options ?? {}),
  });
  t.teardown(async () => {
    await executor.dispose();
    await attrs.dispose();
    await rm(stateDir, { recursive: true, force: true });
  });
  const agent = { standard: 'ocf' as const, provider: 'tandem', type: 'ping' };
  const params = { host_list: '127.0.0.1', multiplier: '1000', dampen: '5s', timeout: '1s', attempts: '1' };
  const start = await executor.execute({ resource: 'ping:0', agent, action: 'start', params });
  t.like(start, { status: 'done', rc: 0 });
  const mon = await executor.execute({
    resource: 'ping:0',
    agent,
    action: 'monitor',
    intervalMs: 10000,
    params,
  });
  t.like(mon, { status: 'done', rc: 0 });
  t.is(attrs.get('pingd'), undefined, 'not before the dampening window');
  t.is(attrs.pendingValue('pingd'), '1000');
  clock.advance(5000);
  t.is(attrs.get('pingd'), '1000');
  t.like(await executor.execute({ resource: 'ping:0', agent, action: 'stop', params }), {
    status: 'done',
    rc: 0,
  });
  clock.advance(5000);
  t.deepEqual(
    changes.map((c) => c.value),
    ['1000', null],
    'stop deletes the attribute',
  );
});

test('built-in Dummy in-process: start, monitor, failure reported when its state file goes', async (t) => {
  const stateDir = await tempDir('builtin-dummy');
  const executor = new Executor({ stateDir, builtinAgents: builtinAgents.values() });
  const failures: MonitorEvent[] = [];
  const monitors = new MonitorScheduler({ executor, clock: systemClock, onFailure: (e) => failures.push(e) });
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
    await rm(stateDir, { recursive: true, force: true });
  });
  const agent = { standard: 'ocf' as const, provider: 'tandem', type: 'Dummy' };
  t.like(await executor.execute({ resource: 'bd', agent, action: 'monitor', expectedRc: 7 }), { rc: 7 });
  const start = await executor.execute({ resource: 'bd', agent, action: 'start' });
  t.like(start, { status: 'done', rc: 0 });
  t.true(start.durationMs < 1000);
  monitors.start({ resource: 'bd', agent, intervalMs: 50 });
  await rm(join(stateDir, 'Dummy-bd.state'));
  await waitFor(() => failures.length > 0);
  t.like(failures[0]?.result, { status: 'done', rc: 7 });
  const md = await executor.metaData(agent);
  t.true(md.ok && md.value.meta.parameters.some((p) => p.name === 'state'));
});
