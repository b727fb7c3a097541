import test from 'ava';
import { computeQuorum, resolveQuorumOptions } from '../../../coordinator/membership/index.ts';

const NOW = 1000;
const I = Infinity;
const N = -Infinity;

const cases = [
  {
    desc: '2 nodes, both voting: quorate',
    nodes: 2,
    opts: {},
    votes: [I, 1400],
    w: N,
    seenAll: true,
    quorate: true,
    needed: 1,
    expected: 2,
  },
  {
    desc: '2 nodes two_node, alone after seeing all: quorate',
    nodes: 2,
    opts: {},
    votes: [I, N],
    w: N,
    seenAll: true,
    quorate: true,
    needed: 1,
    expected: 2,
  },
  {
    desc: '2 nodes two_node, cold start alone: wait_for_all holds it back',
    nodes: 2,
    opts: {},
    votes: [I, N],
    w: N,
    seenAll: false,
    quorate: false,
    needed: 1,
    expected: 2,
  },
  {
    desc: '2 nodes two_node with wait_for_all disabled: quorate alone at once',
    nodes: 2,
    opts: { waitForAll: false },
    votes: [I, N],
    w: N,
    seenAll: false,
    quorate: true,
    needed: 1,
    expected: 2,
  },
  {
    desc: '2 nodes, two_node off: alone is not quorate',
    nodes: 2,
    opts: { twoNode: false },
    votes: [I, N],
    w: N,
    seenAll: true,
    quorate: false,
    needed: 2,
    expected: 2,
  },
  {
    desc: '2 nodes + witness, alone holding it: quorate',
    nodes: 2,
    opts: { witness: true },
    votes: [I, N],
    w: 1900,
    seenAll: false,
    quorate: true,
    needed: 2,
    expected: 3,
  },
  {
    desc: '2 nodes + witness, alone without it: not quorate',
    nodes: 2,
    opts: { witness: true },
    votes: [I, N],
    w: N,
    seenAll: true,
    quorate: false,
    needed: 2,
    expected: 3,
  },
  {
    desc: '2 nodes + witness, witness expired by now: not quorate',
    nodes: 2,
    opts: { witness: true },
    votes: [I, N],
    w: 1000,
    seenAll: true,
    quorate: false,
    needed: 2,
    expected: 3,
  },
  {
    desc: '2 nodes + witness, both nodes without witness: quorate',
    nodes: 2,
    opts: { witness: true },
    votes: [I, 1300],
    w: N,
    seenAll: true,
    quorate: true,
    needed: 2,
    expected: 3,
  },
  {
    desc: '3 nodes, 2 voting: quorate',
    nodes: 3,
    opts: {},
    votes: [I, 1300, N],
    w: N,
    seenAll: false,
    quorate: true,
    needed: 2,
    expected: 3,
  },
  {
    desc: '3 nodes, alone: not quorate',
    nodes: 3,
    opts: {},
    votes: [I, N, N],
    w: N,
    seenAll: true,
    quorate: false,
    needed: 2,
    expected: 3,
  },
  {
    desc: '4 nodes, 2 voting: not quorate (votes must exceed half)',
    nodes: 4,
    opts: {},
    votes: [I, 1300, N, N],
    w: N,
    seenAll: true,
    quorate: false,
    needed: 3,
    expected: 4,
  },
  {
    desc: '4 nodes + witness, 2 voting + witness: quorate',
    nodes: 4,
    opts: { witness: true },
    votes: [I, 1300, N, N],
    w: 1800,
    seenAll: true,
    quorate: true,
    needed: 3,
    expected: 5,
  },
] as const;

for (const c of cases) {
  test(`computeQuorum: ${c.desc}`, (t) => {
    const q = computeQuorum({
      nodeCount: c.nodes,
      options: c.opts,
      now: NOW,
      nodeVoteUntil: c.votes,
      witnessUntil: c.w,
      seenAllOnce: c.seenAll,
    });
    t.is(q.quorate, c.quorate);
    t.is(q.needed, c.needed);
    t.is(q.expectedVotes, c.expected);
    if (!q.quorate) t.is(q.validUntil, -Infinity);
  });
}

test('computeQuorum: validUntil is the needed-th largest vote validity', (t) => {
  const cases2 = [
    { votes: [I, 1300, 1500], w: N, nodes: 3, opts: {}, want: 1500 },
    { votes: [I, 1300, N], w: N, nodes: 3, opts: {}, want: 1300 },
    { votes: [I, 1300], w: 1800, nodes: 2, opts: { witness: true }, want: 1800 },
    { votes: [I, N], w: N, nodes: 2, opts: {}, want: Infinity },
    { votes: [I, 1200, 1300, 1400, 900], w: N, nodes: 5, opts: {}, want: 1300 },
  ];
  for (const c of cases2) {
    const q = computeQuorum({
      nodeCount: c.nodes,
      options: c.opts,
      now: NOW,
      nodeVoteUntil: c.votes,
      witnessUntil: c.w,
      seenAllOnce: true,
    });
    t.is(q.validUntil, c.want, JSON.stringify(c));
  }
});

test('resolveQuorumOptions: two_node implies wait_for_all; a witness or a third node turns two_node off', (t) => {
  t.deepEqual(resolveQuorumOptions(2, {}), { twoNode: true, waitForAll: true, witness: false });
  t.deepEqual(resolveQuorumOptions(2, { waitForAll: false }), {
    twoNode: true,
    waitForAll: false,
    witness: false,
  });
  t.deepEqual(resolveQuorumOptions(2, { witness: true }), {
    twoNode: false,
    waitForAll: false,
    witness: true,
  });
  t.deepEqual(resolveQuorumOptions(3, { twoNode: true }), {
    twoNode: false,
    waitForAll: false,
    witness: false,
  });
  t.deepEqual(resolveQuorumOptions(3, { waitForAll: true }), {
    twoNode: false,
    waitForAll: true,
    witness: false,
  });
});
