/**
 * Crash of the active node (SIGKILL of its tandemd and everything on it, its addresses gone):
 * the group runs on the other node within ~1 s (asserted < 3 s); when the old node comes back
 * and rejoins, the group stays where it is (stickiness: no failback, no bounce).
 */
import test from 'ava';
import { measureFailover } from '../../../cli/demo/index.ts';

import { diagnostics, offNode, observe, startCluster } from './cluster-fixture.ts';

test('crash of the active node: failover under 3 s, the returning node does not take the group back', async (t) => {
  const { cluster, active, other } = await startCluster(t);
  const measured = await measureFailover({
    inject: () => cluster.crash(active),
    probe: async () => (await cluster.serviceAnswers()) && (await cluster.activeNode()) === other,
    timeoutMs: 15_000,
  });
  if (!measured.ok) return t.fail(`${measured.error}\n${await diagnostics(cluster)}`);
  t.log(`crash failover: ${Math.round(measured.value.failoverMs)} ms (${active} → ${other})`);
  t.true(measured.value.failoverMs < 3000, `failover took ${Math.round(measured.value.failoverMs)} ms`);
  const standinPid = cluster.standinPid(other);
  t.not(standinPid, undefined);

  // The old node powers back on and its tandemd rejoins.
  const revived = await cluster.topology.reviveNode(active);
  if (!revived.ok) return t.fail(revived.error);
  const restarted = await cluster.startDaemon(active);
  if (!restarted.ok) return t.fail(restarted.error);
  t.true(await cluster.waitForMembership(20_000), `${active} did not rejoin\n${await diagnostics(cluster)}`);
  const samples = await observe(cluster, 4000);
  const moved = offNode(samples, other);
  t.deepEqual(moved, [], `the group left ${other} after ${active} returned\n${await diagnostics(cluster)}`);
  t.is(cluster.standinPid(other), standinPid, 'abiquo-tomcat was not restarted on the survivor');
});
