import test from 'ava';
import { SimCluster } from './index.ts';

/**
 * docs/safety.md §1 assumes process pauses shorter than the lease margin. This test documents the
 * limit: the active node frozen (SIGSTOP, VM freeze) while cut off from peer and witness keeps its
 * resources running during the pause; once the pause outlasts its lease, the peer takes over and
 * both run until the frozen node thaws, when its overdue demote is the first thing it does.
 * Only stonith (or resource-level fencing tokens) closes this window.
 */
const cases = [
  { desc: 'pause shorter than the margin: no overlap', pauseMs: 100, overlap: false },
  { desc: 'pause of 3 s: overlap until the thaw', pauseMs: 3000, overlap: true },
];

for (const c of cases) {
  test(`2 nodes + witness, active node isolated and frozen: ${c.desc}`, async (t) => {
    const sim = new SimCluster({ seed: 31, nodes: ['a', 'b'], witness: true });
    t.teardown(() => sim.dispose());
    await sim.runUntil(() => sim.running().length === 1, 3000);
    const active = sim.running()[0] ?? 'a';
    const other = active === 'a' ? 'b' : 'a';
    const n = sim.node(active);
    sim.net.cut('a', 'b');
    sim.witnessCut.add(active);
    n.clock.freeze();
    let overlapMs = 0;
    const thawAt = sim.now + c.pauseMs;
    for (let ms = 0; ms < Math.max(c.pauseMs, 2000) + 500; ms++) {
      if (sim.now >= thawAt && n.clock.frozen) n.clock.thaw();
      await sim.step();
      if (sim.running().length > 1) overlapMs++;
    }
    t.is(overlapMs > 0, c.overlap, `overlap ${overlapMs} ms`);
    t.true(sim.node(other).running, 'the peer runs the group in the end');
    t.false(n.running, 'the thawed node demoted');
    if (c.overlap) {
      const stop = n.events.find((e) => e.what.startsWith('stop:'));
      t.is(stop?.at, thawAt, 'the demote is the first thing the node does after the pause');
      t.log(`pause ${c.pauseMs} ms: both ran for ${overlapMs} ms`);
    }
  });
}
