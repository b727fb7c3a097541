import test from 'ava';
import { SimCluster } from './index.ts';

test('a frozen DC comes back: its stale requests are refused by epoch, then it rejoins with a higher epoch', async (t) => {
  const c = new SimCluster({ seed: 21, nodes: ['a', 'b', 'c'], node: { resources: false } });
  t.teardown(() => c.dispose());
  await c.runUntil(() => [...c.nodes.values()].every((n) => n.view().agreed && n.view().dc === 'a'), 2000);
  await c.run(300);
  const a = c.node('a');
  const oldEpoch = a.view().dcEpoch;
  t.true(c.node('b').requests.some((r) => r.from === 'a' && r.accepted && r.dcEpoch === oldEpoch));

  a.clock.freeze();
  await c.runUntil(() => c.node('b').view().dc === 'b' && c.node('c').view().dc === 'b', 1500);
  const newEpoch = c.node('b').view().dcEpoch;
  t.true(newEpoch > oldEpoch, `b's epoch ${newEpoch} > a's ${oldEpoch}`);
  await c.run(1500); // a stays frozen 2 s in all; b's requests raise everyone's guard
  t.true(c.node('c').requests.some((r) => r.from === 'b' && r.accepted && r.dcEpoch === newEpoch));

  const thawedAt = c.now;
  a.clock.thaw(); // its overdue timers run first: it still believes it is DC with the old epoch
  await c.run(5);
  const stale = ['b', 'c'].flatMap((n) =>
    c.node(n).requests.filter((r) => r.from === 'a' && r.at >= thawedAt),
  );
  t.true(stale.length > 0, 'the thawed DC did send requests from its stale state');
  t.true(
    stale.every((r) => !r.accepted && r.dcEpoch === oldEpoch),
    'every one of them was refused',
  );

  // Once it has heard the others it is re-elected (lowest name) with an epoch above b's.
  await c.runUntil(() => [...c.nodes.values()].every((n) => n.view().agreed && n.view().dc === 'a'), 2000);
  const rejoined = a.view().dcEpoch;
  t.true(rejoined > newEpoch);
  await c.run(200);
  t.true(c.node('b').requests.some((r) => r.from === 'a' && r.accepted && r.dcEpoch === rejoined));
  // No request carrying an epoch lower than one already admitted was ever accepted.
  for (const n of c.nodes.values()) {
    let high = 0;
    for (const r of n.requests) {
      if (r.accepted) {
        t.true(r.dcEpoch >= high);
        high = r.dcEpoch;
      }
    }
  }
});
