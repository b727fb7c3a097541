import test from 'ava';
import { SimCluster } from './index.ts';

const PEER_TIMEOUT_MS = 400;
const HEARTBEAT_MS = 100;

function atMostOneRunning(c: SimCluster): () => void {
  return () => {
    const r = c.running();
    if (r.length > 1) throw new Error(`at ${c.now} ms both ${r.join(' and ')} run the group`);
  };
}

const crashCases = [
  { desc: '3 nodes, DC crashes', nodes: ['a', 'b', 'c'], crash: 'a', witness: false, seed: 1 },
  { desc: '3 nodes, non-DC crashes', nodes: ['a', 'b', 'c'], crash: 'c', witness: false, seed: 2 },
  {
    desc: '2 nodes + witness, the active node crashes',
    nodes: ['a', 'b'],
    crash: 'a',
    witness: true,
    seed: 3,
  },
  {
    desc: '2 nodes + witness, the passive node crashes',
    nodes: ['a', 'b'],
    crash: 'b',
    witness: true,
    seed: 4,
  },
  { desc: '2 nodes two_node, active crashes', nodes: ['a', 'b'], crash: 'a', witness: false, seed: 5 },
  {
    desc: '3 nodes, 5 % loss, DC crashes',
    nodes: ['a', 'b', 'c'],
    crash: 'a',
    witness: false,
    seed: 6,
    dropRate: 0.05,
  },
];

for (const tc of crashCases) {
  test(`crash detected within peerTimeout + one heartbeat: ${tc.desc}`, async (t) => {
    const c = new SimCluster({
      seed: tc.seed,
      nodes: tc.nodes,
      witness: tc.witness,
      network: { dropRate: tc.dropRate ?? 0, maxDelayMs: 5 },
    });
    t.teardown(() => c.dispose());
    await c.runUntil(
      () => c.running().length === 1 && [...c.nodes.values()].every((n) => n.view().agreed),
      3000,
    );
    await c.run(500, atMostOneRunning(c));
    const before = c.node(tc.crash === 'a' ? 'b' : 'a').view();
    t.is(before.dc, 'a', 'the lowest name is DC');
    const oldEpoch = before.dcEpoch;
    const survivors = tc.nodes.filter((n) => n !== tc.crash).map((n) => c.node(n));
    const wasRunning = c.node(tc.crash).running;
    c.node(tc.crash).crash();
    const crashedAt = c.now;
    const detectMs = await c.runUntil(
      () => survivors.every((s) => !s.view().members.includes(tc.crash)),
      PEER_TIMEOUT_MS + HEARTBEAT_MS + 50,
      atMostOneRunning(c),
    );
    t.true(detectMs <= PEER_TIMEOUT_MS + HEARTBEAT_MS, `detected after ${detectMs} ms`);
    t.true(detectMs > PEER_TIMEOUT_MS - HEARTBEAT_MS - 10, `not before the timeout (${detectMs} ms)`);
    // The partition settles on a DC again: the lowest surviving name, with a higher epoch if the DC changed.
    await c.runUntil(
      () => survivors.every((s) => s.view().agreed && s.view().dc === survivors[0]?.name),
      1000,
    );
    const after = survivors[0]?.view();
    t.is(after?.dc, tc.nodes.filter((n) => n !== tc.crash)[0]);
    if (tc.crash === 'a') t.true((after?.dcEpoch ?? 0) > oldEpoch, 'a new DC takes a higher epoch');
    else t.is(after?.dcEpoch, oldEpoch, 'the DC and its epoch stay');
    // The group runs again on a survivor within ~1 s (witness lease 1 s), never twice.
    await c.runUntil(() => c.running().length === 1, 1500, atMostOneRunning(c));
    t.true(survivors.some((s) => s.running));
    if (wasRunning) {
      t.log(
        `${tc.desc}: lost after ${detectMs} ms, group running again ${c.now - crashedAt} ms after the crash`,
      );
    } else {
      t.false(
        survivors.some((s) => s.events.some((e) => e.what.startsWith('stop:'))),
        'the active survivor never stopped',
      );
    }
  });
}

test('two_node without witness, cut link: BOTH sides keep or start the group (the two_node hazard status must state)', async (t) => {
  const c = new SimCluster({ seed: 7, nodes: ['a', 'b'] });
  t.teardown(() => c.dispose());
  // wait_for_all: neither is quorate before both were seen.
  t.false(c.node('a').view().quorate);
  await c.runUntil(() => c.running().length === 1, 2000);
  t.true(c.node('a').view().quorum.twoNode);
  t.true(c.node('a').view().quorum.waitForAll);
  c.net.cut('a', 'b');
  await c.runUntil(() => c.running().length === 2, 2000);
  t.deepEqual(c.running().sort(), ['a', 'b']);
});

test('two_node without witness: a node that sees neither peer nor gateway demotes itself (pingd rule)', async (t) => {
  let pingd = 100;
  const cc = new SimCluster({ seed: 8, nodes: ['a', 'b'], node: { pingd: () => pingd } });
  t.teardown(() => cc.dispose());
  await cc.runUntil(() => cc.running().length === 1, 2000);
  t.deepEqual(cc.running(), ['a']);
  cc.net.cut('a', 'b');
  pingd = 0; // both lose the gateway; a also lost its peer: isolated, and b too
  await cc.runUntil(() => !cc.node('a').running, 500);
  t.true(cc.node('a').events.some((e) => e.what === 'stop:isolated'));
  await cc.run(1000);
  t.deepEqual(cc.running(), [], 'an isolated node does not start the group either');
  pingd = 100;
  await cc.runUntil(() => cc.running().length === 2, 2000);
  t.pass('with the gateway back, both sides run again: the two_node hazard, unchanged');
});

test('lease expiry ordering: the old holder demotes before the peer starts (witness, cut link + holder cut from witness)', async (t) => {
  for (const seed of [11, 12, 13, 14, 15]) {
    const c = new SimCluster({ seed, nodes: ['a', 'b'], witness: true, maxDriftRate: 0.01 });
    await c.runUntil(() => c.running().length === 1, 3000);
    const holder = c.running()[0] ?? 'a';
    const other = holder === 'a' ? 'b' : 'a';
    c.net.cut('a', 'b');
    c.witnessCut.add(holder);
    await c.runUntil(() => c.node(other).running, 4000, atMostOneRunning(c));
    const stop = c.node(holder).events.find((e) => e.what.startsWith('stop:'));
    const start = c.node(other).events.find((e) => e.what === 'start');
    t.truthy(stop, `seed ${seed}: the holder demoted`);
    t.truthy(start);
    if (stop !== undefined && start !== undefined) {
      t.true(stop.at < start.at, `seed ${seed}: stop at ${stop.at} before start at ${start.at}`);
      t.log(
        `seed ${seed}: demoted at ${stop.at}, peer started at ${start.at} (${start.at - stop.at} ms later)`,
      );
    }
    c.dispose();
  }
});
