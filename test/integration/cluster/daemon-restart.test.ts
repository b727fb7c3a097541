/**
 * tandemd restarted on the active node (SIGTERM, start again): the resources are not bounced —
 * abiquo-tomcat keeps its PID and the floating IP stays, during the restart and after the new
 * daemon has probed what runs.
 */
import test from 'ava';

import { diagnostics, offNode, observe, startCluster } from './cluster-fixture.ts';

test('a restarted daemon does not bounce its resources', async (t) => {
  const { cluster, active } = await startCluster(t);
  const pid = cluster.standinPid(active);
  if (pid === undefined) return t.fail('abiquo-tomcat is not running');
  const stopped = await cluster.stopDaemon(active);
  if (!stopped.ok) return t.fail(stopped.error);
  t.is(stopped.value, 0, 'tandemd exits 0 on SIGTERM');
  t.is(cluster.standinPid(active), pid, 'abiquo-tomcat survives the daemon stop');
  t.true(await cluster.hasFloatingIp(active), 'the floating IP survives the daemon stop');
  const restarted = await cluster.startDaemon(active);
  if (!restarted.ok) return t.fail(restarted.error);
  t.true(await cluster.waitForMembership(20_000), `${active} did not rejoin\n${await diagnostics(cluster)}`);
  const samples = await observe(cluster, 4000);
  t.deepEqual(
    offNode(samples, active),
    [],
    `the group moved or stopped after the restart\n${await diagnostics(cluster)}`,
  );
  t.is(cluster.standinPid(active), pid, `abiquo-tomcat was restarted\n${await diagnostics(cluster)}`);
});
