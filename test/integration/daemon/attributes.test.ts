/**
 * The DC knows every member's node attributes, also those set before the node joined: node2's
 * tandemd is SIGKILLed and started again (its ping state survives, as the test keeps its agent
 * state dir): the start-up probe finds ping running and sets pingd before node2 has a DC to tell,
 * and the value never changes afterwards. node2 sends all its attributes when it joins (attrd's
 * sync), so the DC's status has pingd for node2 again.
 */
import test from 'ava';
import { PING_CLONE, setUpDaemons, snapshot, startDaemon, until } from './daemon-fixture.ts';

test('a rejoining node tells the DC its attributes (pingd set by the start-up probe)', async (t) => {
  t.timeout(90_000);
  const { nodes } = await setUpDaemons(t, {
    resources: [PING_CLONE],
  });
  const [n1, n2] = nodes;
  if (n1 === undefined || n2?.child?.pid === undefined) throw new Error('two nodes');
  const pingdOf = async (node: string): Promise<string | undefined> => {
    const snap = await snapshot(n1);
    if (snap === undefined || snap.source !== 'dc') return undefined;
    return snap.status.nodes.find((n) => n.name === node)?.transientAttributes['pingd'];
  };
  await until('pingd of both nodes at the DC', 45_000, async () =>
    (await pingdOf('node1')) === '1' && (await pingdOf('node2')) === '1' ? true : undefined,
  );
  process.kill(n2.child.pid, 'SIGKILL');
  await n2.exited;
  await until('node2 lost at the DC (its attributes purged)', 20_000, async () => {
    const snap = await snapshot(n1);
    const state = snap?.membership.find((m) => m.name === 'node2')?.state;
    return state !== undefined && state !== 'member' && (await pingdOf('node2')) === undefined
      ? true
      : undefined;
  });
  startDaemon(t, n2);
  const value = await until('pingd of node2 at the DC after it rejoined', 30_000, () => pingdOf('node2'));
  t.is(value, '1');
});
