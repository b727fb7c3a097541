import test from 'ava';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Executor } from '../../../agent/executor/index.ts';
import { killPids, processAlive, readPids, tempDir, waitFor, writeScript } from './helpers.ts';

/** An OCF root with agents that misbehave: `Stubborn` ignores TERM (so does its child), `Polite` exits on TERM. */
async function setup(
  t: {
    teardown: (fn: () => Promise<void> | void) => void;
  },
  killGraceMs = 300,
): Promise<{ root: string; executor: Executor; pidFile: (rsc: string) => string }> {
  const root = await tempDir('timeouts');
  const pidFile = (rsc: string): string => join(root, `${rsc}.pids`);
  await writeScript(
    join(root, 'resource.d', 'test', 'Stubborn'),
    `#!/bin/sh
[ "$1" = meta-data ] && { echo '<resource-agent name="Stubborn"><parameters/><actions/></resource-agent>'; exit 0; }
trap '' TERM
sleep 1000 &
echo "$$ $!" > "${root}/$OCF_RESOURCE_INSTANCE.pids"
while :; do wait; done
`,
  );
  await writeScript(
    join(root, 'resource.d', 'test', 'Polite'),
    `#!/bin/sh
[ "$1" = meta-data ] && { echo '<resource-agent name="Polite"><parameters/><actions/></resource-agent>'; exit 0; }
trap 'exit 0' TERM
sleep 1000 &
echo "$$ $!" > "${root}/$OCF_RESOURCE_INSTANCE.pids"
wait
`,
  );
  await writeScript(
    join(root, 'resource.d', 'test', 'Span'),
    `#!/bin/sh
[ "$1" = meta-data ] && { echo '<resource-agent name="Span"><parameters/><actions/></resource-agent>'; exit 0; }
echo "start $(date +%s%N)" >> "${root}/span.log"
sleep 0.2
echo "end $(date +%s%N)" >> "${root}/span.log"
exit 0
`,
  );
  const executor = new Executor({
    ocfRoot: root,
    stateDir: join(root, 'state'),
    killGraceMs,
    maxConcurrent: 2,
  });
  t.teardown(async () => {
    await executor.dispose();
    for (const rsc of ['s1', 's2', 'p1', 'c1']) killPids(await readPids(pidFile(rsc)));
    await rm(root, { recursive: true, force: true });
  });
  return { root, executor, pidFile };
}

const agent = (type: string) => ({ standard: 'ocf' as const, provider: 'test', type });

test('a runaway agent ignoring TERM is killed with its child at the timeout: status timeout, no rc', async (t) => {
  const { executor, pidFile } = await setup(t);
  const started = performance.now();
  const r = await executor.execute({
    resource: 's1',
    agent: agent('Stubborn'),
    action: 'start',
    timeoutMs: 400,
  });
  const elapsed = performance.now() - started;
  t.is(r.status, 'timeout');
  t.is(r.rc, undefined);
  t.is(r.exitReason, 'Resource agent did not complete within 400ms');
  t.true(elapsed >= 400 + 300 - 20, `TERM, then KILL after the grace (${elapsed.toFixed(0)} ms)`);
  t.true(elapsed < 6000, `bounded (${elapsed.toFixed(0)} ms)`);
  const pids = await readPids(pidFile('s1'));
  t.is(pids.length, 2);
  await waitFor(async () => !(await processAlive(pids[0] ?? 0)) && !(await processAlive(pids[1] ?? 0)), 3000);
  t.pass();
  t.deepEqual(
    executor.history('s1')?.ops.map((o) => [o.id, o.rc, o.opStatus]),
    [
      ['s1_last_0', 1, 2],
      ['s1_last_failure_0', 1, 2],
    ],
    'recorded as Pacemaker writes a timeout: rc-code 1, op-status 2',
  );
});

test('an agent that honours TERM ends within the grace, its child too', async (t) => {
  const { executor, pidFile } = await setup(t, 10_000);
  const started = performance.now();
  const r = await executor.execute({
    resource: 'p1',
    agent: agent('Polite'),
    action: 'start',
    timeoutMs: 300,
  });
  const elapsed = performance.now() - started;
  t.is(r.status, 'timeout');
  t.true(elapsed < 5000, `no wait for the KILL, 10 s away (${elapsed.toFixed(0)} ms)`);
  const pids = await readPids(pidFile('p1'));
  await waitFor(async () => !(await processAlive(pids[0] ?? 0)) && !(await processAlive(pids[1] ?? 0)), 3000);
  t.is(pids.length, 2);
});

test('cancellation kills the running agent and its group: status cancelled', async (t) => {
  const { executor, pidFile } = await setup(t);
  const ac = new AbortController();
  const p = executor.execute({
    resource: 'c1',
    agent: agent('Stubborn'),
    action: 'start',
    timeoutMs: 20000,
    signal: ac.signal,
  });
  await waitFor(async () => (await readPids(pidFile('c1'))).length === 2);
  ac.abort();
  const r = await p;
  t.is(r.status, 'cancelled');
  t.is(r.rc, undefined);
  const pids = await readPids(pidFile('c1'));
  await waitFor(async () => !(await processAlive(pids[0] ?? 0)) && !(await processAlive(pids[1] ?? 0)), 3000);
  t.pass();
});

test('real processes: one at a time per resource, at most maxConcurrent per node', async (t) => {
  const { root, executor } = await setup(t);
  const runs = ['a', 'a', 'b', 'c', 'd'].map((rsc) =>
    executor.execute({ resource: rsc, agent: agent('Span'), action: 'start' }),
  );
  const results = await Promise.all(runs);
  t.true(results.every((r) => r.rc === 0));
  const { readFile } = await import('node:fs/promises');
  const events = (await readFile(join(root, 'span.log'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([kind, ns]) => ({ kind, at: BigInt(ns ?? '0') }))
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
  let running = 0;
  let max = 0;
  for (const e of events) {
    running += e.kind === 'start' ? 1 : -1;
    max = Math.max(max, running);
  }
  t.is(events.length, 10);
  t.is(max, 2);
  t.true((results[1]?.queueTimeMs ?? 0) >= 150, 'the second op on resource a waited for the first');
});
