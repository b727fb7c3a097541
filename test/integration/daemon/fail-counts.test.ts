/**
 * Fail counts survive a change of DC: the DC hands each node its fail counts (as Pacemaker's
 * attrd keeps them as the node's transient attributes), and a new DC collects them with the
 * node's state. d1 (migration-threshold=1, prefers node2) fails its monitor on node2 and moves to
 * node1, the DC; node1's tandemd is then SIGKILLed: node2 becomes DC, still counts the failure,
 * and so keeps d1 banned from itself instead of starting it there.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { placement, setUpDaemons, snapshot, status, until } from './daemon-fixture.ts';

const FAIL_COUNT = 'fail-count-d1#monitor_1000';

test('fail counts survive a change of DC (a node banned by migration-threshold stays banned)', async (t) => {
  t.timeout(90_000);
  const { nodes } = await setUpDaemons(t, {
    resources: [
      {
        kind: 'primitive',
        id: 'd1',
        agent: { standard: 'ocf', provider: 'tandem', type: 'Dummy' },
        instanceAttributes: {},
        metaAttributes: { 'migration-threshold': '1' },
        operations: [{ name: 'monitor', intervalMs: 1000, timeoutMs: 5000 }],
      },
    ],
    constraints: { location: [{ id: 'd1-prefers-node2', rsc: 'd1', node: 'node2', score: 100 }] },
  });
  const [n1, n2] = nodes;
  if (n1?.child?.pid === undefined || n2 === undefined) throw new Error('two nodes');
  await until('d1 on node2, node1 the DC', 45_000, async () => {
    const doc = await status(n2);
    if (doc === undefined || doc.cluster.dc !== 'node1' || !doc.nodes.every((n) => n.online))
      return undefined;
    return placement(doc, 'd1').join() === 'node2' ? true : undefined;
  });
  // The resource dies on node2 behind the cluster's back: its monitor fails.
  await rm(join(n2.dir, 'rsc', 'Dummy-d1.state'));
  await until('d1 moved to node1, the failure counted on node2', 20_000, async () => {
    const snap = await snapshot(n2);
    if (snap === undefined) return undefined;
    const count = snap.status.nodes.find((n) => n.name === 'node2')?.transientAttributes[FAIL_COUNT];
    const doc = await status(n2);
    return count === '1' && doc !== undefined && placement(doc, 'd1').join() === 'node1' ? true : undefined;
  });

  process.kill(n1.child.pid, 'SIGKILL');
  const after = await until('node2 the DC', 20_000, async () => {
    const snap = await snapshot(n2);
    return snap !== undefined && snap.source === 'dc' && snap.answeredBy === 'node2' ? snap : undefined;
  });
  t.is(after.status.nodes.find((n) => n.name === 'node2')?.transientAttributes[FAIL_COUNT], '1');
  // Banned: d1 does not start on node2 (watched for 2 s after the new DC took over).
  const watchEnd = Date.now() + 2000;
  while (Date.now() < watchEnd) {
    const doc = await status(n2);
    if (doc !== undefined)
      t.deepEqual(placement(doc, 'd1'), [], 'd1 started on the node its fail count bans');
    await new Promise((r) => setTimeout(r, 100));
  }
  const doc = await status(n2);
  t.truthy(doc?.notRunning.find((n) => n.rsc === 'd1'));
});
