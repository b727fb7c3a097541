/**
 * The link between the nodes cut (each still reaches the gateway and the Redis witness): at no
 * sample are the floating IP, abiquo-tomcat or the repository mount active on two nodes, the group keeps running on
 * one of them, and after the link heals it is still on exactly one.
 */
import test from 'ava';

import { diagnostics, onBothNodes, observe, startCluster } from './cluster-fixture.ts';

test('cut link between the nodes with the Redis witness: never both active', async (t) => {
  const { cluster } = await startCluster(t, { witness: true });
  const cut = await cluster.topology.cutPeerLink();
  if (!cut.ok) return t.fail(cut.error);
  const during = await observe(cluster, 8000);
  const healed = await cluster.topology.heal();
  if (!healed.ok) return t.fail(healed.error);
  const after = await observe(cluster, 3000);
  const both = onBothNodes([...during, ...after]);
  t.deepEqual(both, [], `both nodes active at some sample\n${await diagnostics(cluster)}`);
  t.log(`samples: ${during.length} during the cut, ${after.length} after healing`);
  const last = during.at(-1);
  t.is(
    last?.ip.length,
    1,
    `the group is not running on either node at the end of the cut\n${await diagnostics(cluster)}`,
  );
  t.is(after.at(-1)?.standin.length, 1, 'the group runs on exactly one node after healing');
});
