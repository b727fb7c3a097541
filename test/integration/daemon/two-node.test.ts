/**
 * Two real tandemd processes on loopback (own ports, temp state dirs, the built-in Dummy agent):
 * they form a cluster and elect a DC; `tandem status` shows both online and the resource started
 * once; a configuration command typed on the non-DC node is applied by the DC and replicated;
 * killing the active tandemd (SIGKILL, by PID) moves the resource to the other node (the time is
 * measured and printed). Every process is killed and every file removed in teardown.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import type { ClusterConfig } from '../../../coordinator/cib/index.ts';
import { startRedisServer } from '../../../lab/redis-server.ts';
import {
  PING_CLONE,
  placement,
  untilRunsOnlyOn,
  root,
  setUpDaemons,
  startDaemon,
  status,
  until,
  type DaemonNode as Node,
} from './daemon-fixture.ts';

const run = promisify(execFile);

async function setUpCluster(
  t: ExecutionContext,
  witness?: string,
  extra: ClusterConfig['resources'] = [],
): Promise<Node[]> {
  const d1: ClusterConfig['resources'][number] = {
    kind: 'primitive',
    id: 'd1',
    agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
    instanceAttributes: {},
    metaAttributes: {},
    operations: [{ name: 'monitor', intervalMs: 1000, timeoutMs: 5000 }],
  };
  const { nodes } = await setUpDaemons(t, {
    resources: [d1, ...extra],
    ...(witness !== undefined ? { witness } : {}),
  });
  return nodes;
}

test('two tandemd: cluster forms, resource runs once, live edit replicates, crash of the active node fails over', async (t) => {
  t.timeout(90_000);
  const nodes = await setUpCluster(t);
  const names = nodes.map((n) => n.name);
  const [n1, n2] = nodes;
  if (n1 === undefined || n2 === undefined) throw new Error('two nodes');

  // Both online, a DC, d1 started exactly once.
  const formed = await until('both nodes online and d1 started', 45_000, async () => {
    const doc = await status(n2);
    if (doc === undefined || doc.cluster.dc === null) return undefined;
    if (!doc.nodes.every((n) => n.online)) return undefined;
    return placement(doc, 'd1').length === 1 ? doc : undefined;
  });
  t.deepEqual(
    formed.nodes.map((n) => n.name),
    names,
  );
  t.true(formed.cluster.quorum.quorate);
  const active = placement(formed, 'd1')[0] ?? '';
  t.true(names.includes(active));

  // The real CLI, crm_mon layout.
  const env = { ...process.env, TANDEM_SOCKET: n1.socket };
  const text = await run(join(root, 'bin', 'tandem'), ['status'], { env });
  t.regex(text.stdout, /^Cluster Summary:$/m);
  t.regex(text.stdout, /Current DC: node\d \(version [^)]+\) - partition with quorum/);
  t.regex(text.stdout, /^ {2}\* Online: \[ node1 node2 \]$/m);
  t.regex(text.stdout, new RegExp(`d1\\t\\(ocf:tandem:Dummy\\):\\t Started ${active}`));

  // A live edit on the non-DC node goes to the DC and reaches both stores.
  const nonDc = formed.cluster.dc === 'node1' ? n2 : n1;
  await run(join(root, 'bin', 'tandem'), ['property', 'set', 'cluster-recheck-interval=5min'], {
    env: { ...process.env, TANDEM_SOCKET: nonDc.socket },
  });
  for (const n of nodes) {
    await until(`the edit replicated to ${n.name}`, 10_000, async () => {
      const stored = JSON.parse(await readFile(join(n.dir, 'cib.json'), 'utf8')) as ClusterConfig;
      return stored.properties['cluster-recheck-interval'] === '5min' ? true : undefined;
    });
  }

  // Crash of the active node's daemon.
  const victim = nodes.find((n) => n.name === active);
  const survivor = nodes.find((n) => n.name !== active);
  if (victim?.child?.pid === undefined || survivor === undefined) throw new Error('victim');
  const killedAt = performance.now();
  process.kill(victim.child.pid, 'SIGKILL');
  await victim.exited;
  const after = await untilRunsOnlyOn(survivor, 'd1', 15_000);
  const failoverMs = Math.round(performance.now() - killedAt);
  t.log(`failover after SIGKILL of the active tandemd: ${failoverMs} ms`);
  console.log(
    `[two-node] failover after SIGKILL of the active tandemd (${active} -> ${survivor.name}): ${failoverMs} ms`,
  );
  t.is(after.cluster.dc, survivor.name);
  t.false(after.nodes.find((n) => n.name === active)?.online ?? true);
  t.true(failoverMs < 5000, `failover took ${failoverMs} ms`);
  // The survivor's Dummy state file exists (started for real there).
  t.true((await readdir(join(survivor.dir, 'rsc')).catch(() => [] as string[])).length > 0);
});

async function startCount(nodes: Node[]): Promise<{ starts: number; stops: number }> {
  let starts = 0;
  let stops = 0;
  for (const n of nodes) {
    const log = await readFile(join(n.dir, 'tandemd.log'), 'utf8').catch(() => '');
    for (const line of log.split('\n')) {
      if (!line.includes('"rsc":"d1"') || !line.includes('operation finished')) continue;
      if (line.includes('"op":"start"')) starts++;
      if (line.includes('"op":"stop"')) stops++;
    }
  }
  return { starts, stops };
}

/**
 * The d1 starts/stops the logs show once the log lines are written (the status can show d1 started
 * before the node's logger has flushed its line): waits up to 5 s for at least `expected` starts.
 */
async function loggedCount(
  nodes: Node[],
  expectedStarts: number,
): Promise<{ starts: number; stops: number }> {
  const end = Date.now() + 5000;
  let c = await startCount(nodes);
  while (c.starts < expectedStarts && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    c = await startCount(nodes);
  }
  return c;
}

test('a SIGTERM restart of the active tandemd does not bounce the resource', async (t) => {
  t.timeout(90_000);
  const nodes = await setUpCluster(t);
  const [n1, n2] = nodes;
  if (n1 === undefined || n2 === undefined) throw new Error('two nodes');
  const formed = await until('both nodes online and d1 started', 45_000, async () => {
    const doc = await status(n2);
    if (doc === undefined || doc.cluster.dc === null || !doc.nodes.every((n) => n.online)) return undefined;
    return placement(doc, 'd1').length === 1 ? doc : undefined;
  });
  const active = placement(formed, 'd1')[0] ?? '';
  const victim = nodes.find((n) => n.name === active);
  const other = nodes.find((n) => n.name !== active);
  if (victim?.child?.pid === undefined || other === undefined) throw new Error('victim');
  t.deepEqual(await loggedCount(nodes, 1), { starts: 1, stops: 0 });
  process.kill(victim.child.pid, 'SIGTERM');
  await victim.exited;
  t.is(victim.child.exitCode, 0);
  startDaemon(t, victim);
  await until('the restarted node is back and d1 still runs on it', 45_000, async () => {
    const doc = await status(other);
    if (doc === undefined || !doc.nodes.every((n) => n.online) || doc.cluster.dc === null) return undefined;
    return placement(doc, 'd1').join() === active && !doc.cluster.transitionRunning ? true : undefined;
  });
  // Watch a window of 1.5 s: a wrongly scheduled recovery would show up as d1 elsewhere (or twice).
  const watchEnd = Date.now() + 1500;
  const seen = new Set<string>();
  while (Date.now() < watchEnd) {
    const doc = await status(other);
    if (doc !== undefined) seen.add(placement(doc, 'd1').join(' '));
    await new Promise((r) => setTimeout(r, 50));
  }
  t.deepEqual([...seen], [active]);
  t.deepEqual(await loggedCount(nodes, 1), { starts: 1, stops: 0 });
});

test('with a Redis witness: the holder keeps running in steady state, a crash fails over once the lease is over', async (t) => {
  t.timeout(90_000);
  const redis = await startRedisServer();
  if (!redis.ok) throw new Error(redis.error);
  t.teardown(() => redis.value.stop());
  // The ping clone runs on both nodes, witness holder or not (the lease guards only d1).
  const nodes = await setUpCluster(t, redis.value.url, [PING_CLONE]);
  const [, n2] = nodes;
  if (n2 === undefined) throw new Error('two nodes');
  const formed = await until('both online, witness held, d1 started, ping on both', 45_000, async () => {
    const doc = await status(n2);
    if (doc === undefined || doc.cluster.dc === null || !doc.nodes.every((n) => n.online)) return undefined;
    if (placement(doc, 'ping').sort().join() !== 'node1,node2') return undefined;
    return placement(doc, 'd1').length === 1 && doc.cluster.witness.holder !== null ? doc : undefined;
  });
  t.is(formed.cluster.quorum.expectedVotes, 3);
  t.deepEqual(formed.warnings, []);
  t.deepEqual(formed.failures, [], 'no refused start became a failure');
  t.deepEqual(formed.notRunning, []);
  const active = placement(formed, 'd1')[0] ?? '';
  // Steady state over several lease lengths (1 s): the lease keeps being renewed, nothing moves.
  const watchEnd = Date.now() + 2500;
  const seen = new Set<string>();
  while (Date.now() < watchEnd) {
    const doc = await status(n2);
    if (doc !== undefined) seen.add(placement(doc, 'd1').join(' '));
    await new Promise((r) => setTimeout(r, 100));
  }
  t.deepEqual([...seen], [active]);
  t.deepEqual(await loggedCount(nodes, 1), { starts: 1, stops: 0 });
  const victim = nodes.find((n) => n.name === active);
  const survivor = nodes.find((n) => n.name !== active);
  if (victim?.child?.pid === undefined || survivor === undefined) throw new Error('victim');
  const killedAt = performance.now();
  process.kill(victim.child.pid, 'SIGKILL');
  await victim.exited;
  const after = await untilRunsOnlyOn(survivor, 'd1', 15_000);
  const failoverMs = Math.round(performance.now() - killedAt);
  console.log(`[two-node, witness] failover after SIGKILL of the active tandemd: ${failoverMs} ms`);
  t.log(`failover with the witness: ${failoverMs} ms`);
  t.is(after.cluster.witness.holder, survivor.name);
  t.true(after.cluster.quorum.quorate);
  const settled = await untilRunsOnlyOn(survivor, 'ping', 10_000);
  t.deepEqual(settled.failures, [], 'actions lost with the crashed node are not failures');
});
