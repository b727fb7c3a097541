/**
 * Gateway loss on the active node (its route to 192.0.2.1 blackholed; the peer and the witness
 * stay reachable): pingd drops to 0 there, the pingd location rule bans the node and the group
 * moves to the other node.
 */
import test from 'ava';
import { measureFailover } from '../../../cli/demo/index.ts';
import { waitFor } from '../resource-agents/support.ts';

import { diagnostics, sample, startCluster } from './cluster-fixture.ts';

test('gateway loss on the active node moves the group to the other node', async (t) => {
  const { cluster, active, other } = await startCluster(t);
  const measured = await measureFailover({
    inject: () => cluster.topology.loseGateway(active),
    probe: async () => (await cluster.serviceAnswers()) && (await cluster.activeNode()) === other,
    timeoutMs: 15_000,
  });
  if (!measured.ok) return t.fail(`${measured.error}\n${await diagnostics(cluster)}`);
  t.log(`gateway-loss failover: ${Math.round(measured.value.failoverMs)} ms (${active} → ${other})`);
  t.true(measured.value.failoverMs < 5000, `failover took ${Math.round(measured.value.failoverMs)} ms`);
  const s = await sample(cluster, 0);
  t.deepEqual(
    [s.ip, s.standin],
    [[other], [other]],
    'nothing of the group is left on the node without gateway',
  );
  t.true(
    await waitFor(async () => (await sample(cluster, 0)).mount.join() === other, 5000),
    'the repository is mounted on the new node only',
  );
});
