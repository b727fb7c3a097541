/**
 * A failing monitor (abiquo-tomcat's process killed behind the cluster's back) is noticed and
 * the service recovered; `node standby` moves the group off the node and `node unstandby` does
 * not bring it back (stickiness).
 */
import test from 'ava';
import { waitFor } from '../resource-agents/support.ts';

import { diagnostics, offNode, observe, startCluster, waitForGroupOn } from './cluster-fixture.ts';

test('a failing monitor: the killed abiquo-tomcat is recovered', async (t) => {
  const { cluster, active } = await startCluster(t);
  const before = cluster.standinPid(active);
  if (before === undefined) return t.fail('abiquo-tomcat is not running on the active node');
  process.kill(before, 'SIGKILL');
  const recovered = await waitFor(
    async () => {
      const node = await cluster.activeNode();
      const pid = node === undefined ? undefined : cluster.standinPid(node);
      return pid !== undefined && pid !== before && (await cluster.serviceAnswers());
    },
    15_000,
    50,
  );
  t.true(recovered, `abiquo-tomcat was not recovered\n${await diagnostics(cluster)}`);
});

test('standby moves the group; unstandby does not bring it back', async (t) => {
  const { cluster, active, other } = await startCluster(t);
  const standby = await cluster.tandem(other, ['node', 'standby', active]);
  t.is(standby.code, 0, standby.stderr);
  const took = await waitForGroupOn(cluster, other, 15_000);
  if (took === undefined) return t.fail(`the group did not move to ${other}\n${await diagnostics(cluster)}`);
  t.log(`standby: group on ${other} after ${Math.round(took)} ms`);
  const pid = cluster.standinPid(other);

  const unstandby = await cluster.tandem(other, ['node', 'unstandby', active]);
  t.is(unstandby.code, 0, unstandby.stderr);
  const samples = await observe(cluster, 3000);
  t.deepEqual(
    offNode(samples, other),
    [],
    `the group failed back to ${active}\n${await diagnostics(cluster)}`,
  );
  t.is(cluster.standinPid(other), pid, 'abiquo-tomcat was not restarted');
});
