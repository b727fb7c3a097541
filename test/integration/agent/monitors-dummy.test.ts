import test from 'ava';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Executor, systemClock } from '../../../agent/executor/index.ts';
import type { MonitorEvent } from '../../../agent/monitors/index.ts';
import { MonitorScheduler } from '../../../agent/monitors/index.ts';
import { tempDir, waitFor } from './helpers.ts';

test('a recurring monitor of stock Dummy reports the failure when its state file is removed', async (t) => {
  const stateDir = await tempDir('monitor');
  const executor = new Executor({ stateDir });
  const failures: MonitorEvent[] = [];
  const results: MonitorEvent[] = [];
  const monitors = new MonitorScheduler({
    executor,
    clock: systemClock,
    onFailure: (e) => failures.push(e),
    onResult: (e) => results.push(e),
  });
  t.teardown(async () => {
    monitors.dispose();
    await executor.dispose();
    await rm(stateDir, { recursive: true, force: true });
  });
  const agent = { standard: 'ocf' as const, provider: 'heartbeat', type: 'Dummy' };
  t.like(await executor.execute({ resource: 'd1', agent, action: 'start' }), { rc: 0 });
  monitors.start({ resource: 'd1', agent, intervalMs: 100, timeoutMs: 5000 });
  await waitFor(() => results.length >= 2);
  t.is(failures.length, 0);
  await rm(join(stateDir, 'Dummy-d1.state'));
  await waitFor(() => failures.length >= 1);
  t.like(failures[0]?.result, {
    status: 'done',
    rc: 7,
    exitReason: 'No process state file found',
    opKey: 'd1_monitor_100',
  });
  t.true(failures[0]?.changed);
  t.like(
    executor.history('d1')?.ops.find((o) => o.id === 'd1_monitor_100'),
    { rc: 7, opStatus: 0, intervalMs: 100 },
  );
  t.is(monitors.stop('d1'), 1);
  t.is(
    executor.history('d1')?.ops.find((o) => o.id === 'd1_monitor_100'),
    undefined,
  );
});
