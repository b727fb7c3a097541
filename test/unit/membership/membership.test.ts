import test from 'ava';
import { FakeClock } from '../../../agent/executor/clock.ts';
import {
  type Heartbeat,
  Membership,
  MembershipConfigError,
  type MembershipEvent,
  type MembershipMessage,
  type PeerLink,
} from '../../../coordinator/membership/index.ts';

/** A link that records what is sent and lets the test inject messages. */
function recordingLink(): { link: PeerLink; sent: { to: string; msg: MembershipMessage }[] } {
  const sent: { to: string; msg: MembershipMessage }[] = [];
  return {
    sent,
    link: {
      send: (to, msg) => sent.push({ to, msg }),
      onMessage: () => ({ dispose: () => undefined }),
    },
  };
}

function hb(over: Partial<Heartbeat> & { node: string; seq: number }): Heartbeat {
  return {
    kind: 'heartbeat',
    cluster: 'c1',
    incarnation: `${over.node}-1`,
    configVersion: 0,
    dc: '',
    dcEpoch: 0,
    view: [],
    acks: [],
    active: false,
    witness: false,
    leaving: false,
    ...over,
  };
}

function setup(stonithEnabled = false): {
  clock: FakeClock;
  m: Membership;
  sent: { to: string; msg: MembershipMessage }[];
  events: MembershipEvent[];
} {
  const clock = new FakeClock({ monoMs: 0 });
  const { link, sent } = recordingLink();
  const m = new Membership({
    config: { cluster: 'c1', self: 'a', nodes: ['a', 'b', 'c'], incarnation: 'a-1', stonithEnabled },
    clock,
    link,
  });
  const events: MembershipEvent[] = [];
  m.onChange((e) => events.push(e));
  m.start();
  return { clock, m, sent, events };
}

test('configuration errors name the field and the fix', (t) => {
  const { link } = recordingLink();
  const clock = new FakeClock();
  const cases = [
    {
      config: { cluster: 'c', self: 'x', nodes: ['a', 'b'], incarnation: '1' },
      re: /self 'x' is not in nodes/,
    },
    { config: { cluster: 'c', self: 'a', nodes: ['a', 'a'], incarnation: '1' }, re: /duplicates/ },
    {
      config: { cluster: 'c', self: 'a', nodes: ['a', 'b'], incarnation: '1', peerTimeoutMs: 50 },
      re: /peerTimeoutMs \(50\) must exceed heartbeatIntervalMs/,
    },
  ];
  for (const c of cases) {
    const err = t.throws(() => new Membership({ config: c.config, clock, link }), {
      instanceOf: MembershipConfigError,
    });
    t.regex(err?.message ?? '', c.re);
  }
});

test('heartbeats go to every peer each interval with increasing seq', (t) => {
  const { clock, m, sent } = setup();
  t.teardown(() => m.dispose());
  clock.advance(250);
  const toB = sent.filter((s) => s.to === 'b').map((s) => s.msg.seq);
  t.deepEqual(toB, [0, 1, 2]);
  t.deepEqual(sent.filter((s) => s.to === 'c').length, 3);
  t.is(sent[0]?.msg.node, 'a');
  t.deepEqual(sent[0]?.msg.view, ['a']);
});

test('ignored heartbeats: wrong cluster, sender mismatch, unknown node, old seq, retired incarnation', (t) => {
  const { clock, m } = setup();
  t.teardown(() => m.dispose());
  const cases: { from: string; msg: Heartbeat; member: boolean; desc: string }[] = [
    { desc: 'wrong cluster', from: 'b', msg: hb({ node: 'b', seq: 1, cluster: 'other' }), member: false },
    {
      desc: 'node is not the authenticated sender',
      from: 'c',
      msg: hb({ node: 'b', seq: 1 }),
      member: false,
    },
    { desc: 'unknown node', from: 'z', msg: hb({ node: 'z', seq: 1 }), member: false },
    { desc: 'valid', from: 'b', msg: hb({ node: 'b', seq: 5 }), member: true },
  ];
  for (const c of cases) {
    m.onHeartbeat(c.from, c.msg);
    t.is(m.view().members.includes('b'), c.member, c.desc);
  }
  clock.advance(399);
  m.onHeartbeat('b', hb({ node: 'b', seq: 5 })); // a duplicate does not refresh
  clock.advance(2);
  t.false(m.view().members.includes('b'), 'duplicate seq ignored: b timed out');
  m.onHeartbeat('b', hb({ node: 'b', seq: 0, incarnation: 'b-2' })); // restarted
  t.true(m.view().members.includes('b'));
  m.onHeartbeat('b', hb({ node: 'b', seq: 99, incarnation: 'b-1' })); // a late packet from the old boot
  t.is(m.view().nodes.find((n) => n.name === 'b')?.incarnation, 'b-2');
});

test('node states: lost, unclean (stonith + active), fenced, left; lostAt is last heard + peerTimeout', (t) => {
  const cases = [
    {
      desc: 'lost without stonith',
      stonith: false,
      active: true,
      leaving: false,
      fence: false,
      want: 'lost',
    },
    {
      desc: 'unclean: stonith and it ran resources',
      stonith: true,
      active: true,
      leaving: false,
      fence: false,
      want: 'unclean',
    },
    {
      desc: 'lost: stonith but it ran nothing',
      stonith: true,
      active: false,
      leaving: false,
      fence: false,
      want: 'lost',
    },
    {
      desc: 'fenced after markFenced',
      stonith: true,
      active: true,
      leaving: false,
      fence: true,
      want: 'fenced',
    },
    { desc: 'left: said goodbye', stonith: true, active: false, leaving: true, fence: false, want: 'left' },
  ] as const;
  for (const c of cases) {
    const { clock, m, events } = setup(c.stonith);
    m.onHeartbeat('b', hb({ node: 'b', seq: 1, active: c.active }));
    clock.advance(100);
    if (c.leaving) m.onHeartbeat('b', hb({ node: 'b', seq: 2, leaving: true }));
    clock.advance(400);
    if (c.fence) m.markFenced('b');
    const b = m.view().nodes.find((n) => n.name === 'b');
    t.is(b?.state, c.want, c.desc);
    if (!c.leaving) t.true(b?.lostAtMono === 400, `${c.desc}: lostAt ${String(b?.lostAtMono)}`);
    t.true(
      events.some((e) => e.kind === 'node-lost' && e.node === 'b'),
      c.desc,
    );
    m.dispose();
  }
});

test("a peer's vote is timed from the SEND time of the heartbeat it acknowledged", (t) => {
  const { clock, m, sent } = setup();
  t.teardown(() => m.dispose());
  clock.advance(100); // a sent seq 0 at 0 and seq 1 at 100
  clock.advance(150); // now 250; seq 2 at 200
  // b acks seq 1 (sent at 100) only now, and sees a: its vote lasts until 100 + 400.
  m.onHeartbeat(
    'b',
    hb({ node: 'b', seq: 1, view: ['a', 'b'], acks: [{ node: 'a', incarnation: 'a-1', seq: 1 }] }),
  );
  m.onHeartbeat(
    'c',
    hb({ node: 'c', seq: 1, view: ['a', 'c'], acks: [{ node: 'a', incarnation: 'a-1', seq: 2 }] }),
  );
  const q = m.view().quorum;
  t.true(q.quorate);
  t.is(q.votes, 3);
  t.is(q.validUntil, 600, 'needed = 2: the larger peer validity (seq 2 sent at 200) + 400');
  // an ack of another incarnation of a, or from a peer that does not see a, gives no vote
  m.onHeartbeat('c', hb({ node: 'c', seq: 2, view: ['c'], acks: [] }));
  t.is(m.view().quorum.validUntil, 500);
  m.onHeartbeat(
    'b',
    hb({ node: 'b', seq: 2, view: ['a', 'b'], acks: [{ node: 'a', incarnation: 'a-0', seq: 2 }] }),
  );
  t.is(m.view().quorum.validUntil, 500, 'b keeps the vote it had; the foreign ack adds nothing');
  clock.advance(250); // 500: b's vote ends
  t.false(m.view().quorate);
  t.true(sent.length > 0);
});

test('the view is agreed when every member reports it; the lowest name becomes DC', (t) => {
  const { clock, m } = setup();
  t.teardown(() => m.dispose());
  t.deepEqual([m.view().dc, m.view().isDc, m.view().dcEpoch], ['a', true, 1], 'alone: DC of itself');
  m.onHeartbeat('b', hb({ node: 'b', seq: 1, view: ['b'] }));
  t.false(m.view().agreed);
  m.onHeartbeat('b', hb({ node: 'b', seq: 2, view: ['a', 'b'], dc: 'b', dcEpoch: 1 }));
  t.true(m.view().agreed);
  t.is(m.view().dc, 'a');
  t.is(m.view().dcEpoch, 2, 'b had epoch 1 as DC of itself: a takes 2');
  clock.advance(10);
  t.is(m.view().maxConfigVersion, 0);
});

test('onQuorum fires on every change of quorum.validUntil; view events do not', (t) => {
  const { clock, m, events } = setup();
  t.teardown(() => m.dispose());
  const ends: number[] = [];
  m.onQuorum((v) => ends.push(v.quorum.validUntil));
  const ack = (seq: number): Heartbeat =>
    hb({ node: 'b', seq, view: ['a', 'b'], acks: [{ node: 'a', incarnation: 'a-1', seq }] });
  m.onHeartbeat('b', ack(0));
  const viewEvents = events.filter((e) => e.kind === 'view').length;
  clock.advance(100);
  m.onHeartbeat('b', ack(1));
  clock.advance(100);
  m.onHeartbeat('b', ack(2));
  t.deepEqual(ends, [400, 500, 600]);
  t.is(events.filter((e) => e.kind === 'view').length, viewEvents, 'a renewal alone is not a view change');
});
