import test from 'ava';
import { EmbeddedElection, EpochGuard } from '../../../coordinator/election/index.ts';

test('embedded election: lowest agreed member is DC; epochs strictly increase across DC changes', (t) => {
  const e = new EmbeddedElection();
  // alone and agreed: DC with epoch 1
  let s = e.decide({ self: 'b', members: ['b'], agreed: true, peers: [] });
  t.deepEqual(s, { dc: 'b', dcEpoch: 1, isDc: true, maxEpochSeen: 1 });
  // a joins: not agreed yet: b stays DC
  s = e.decide({
    self: 'b',
    members: ['a', 'b'],
    agreed: false,
    peers: [{ name: 'a', dc: 'a', dcEpoch: 1 }],
  });
  t.is(s.dc, '', 'same epoch under another DC: b steps down until agreement');
  // agreed, a claims DC with a fresh epoch
  s = e.decide({ self: 'b', members: ['a', 'b'], agreed: true, peers: [{ name: 'a', dc: 'a', dcEpoch: 2 }] });
  t.deepEqual(s, { dc: 'a', dcEpoch: 2, isDc: false, maxEpochSeen: 2 });
  // a lost: b becomes DC with an epoch above everything it saw
  s = e.decide({ self: 'b', members: ['b'], agreed: true, peers: [] });
  t.deepEqual(s, { dc: 'b', dcEpoch: 3, isDc: true, maxEpochSeen: 3 });
});

test('embedded election: no DC until the lowest member announces itself; a DC keeps its epoch while unchallenged', (t) => {
  const e = new EmbeddedElection();
  const cases = [
    {
      input: { self: 'b', members: ['a', 'b'], agreed: true, peers: [{ name: 'a', dc: '', dcEpoch: 0 }] },
      dc: '',
      isDc: false,
    },
    {
      input: { self: 'b', members: ['a', 'b'], agreed: true, peers: [{ name: 'a', dc: 'a', dcEpoch: 4 }] },
      dc: 'a',
      isDc: false,
    },
    {
      input: {
        self: 'b',
        members: ['a', 'b', 'c'],
        agreed: false,
        peers: [{ name: 'a', dc: 'a', dcEpoch: 4 }],
      },
      dc: 'a',
      isDc: false,
    },
    {
      input: { self: 'b', members: ['b', 'c'], agreed: false, peers: [{ name: 'c', dc: 'a', dcEpoch: 4 }] },
      dc: '',
      isDc: false,
    },
    {
      input: { self: 'b', members: ['b', 'c'], agreed: true, peers: [{ name: 'c', dc: 'a', dcEpoch: 4 }] },
      dc: 'b',
      isDc: true,
    },
    {
      input: { self: 'b', members: ['b', 'c'], agreed: true, peers: [{ name: 'c', dc: 'b', dcEpoch: 5 }] },
      dc: 'b',
      isDc: true,
    },
  ];
  for (const [i, c] of cases.entries()) {
    const s = e.decide(c.input);
    t.is(s.dc, c.dc, `step ${i}`);
    t.is(s.isDc, c.isDc, `step ${i}`);
  }
  t.is(e.current().dcEpoch, 5, 'b took 5 once and kept it');
});

test('EpochGuard: refuses lower epochs and the same epoch from another DC', (t) => {
  const g = new EpochGuard();
  const steps = [
    { epoch: 1, dc: 'a', ok: true },
    { epoch: 1, dc: 'a', ok: true },
    { epoch: 1, dc: 'b', ok: false },
    { epoch: 3, dc: 'b', ok: true },
    { epoch: 2, dc: 'a', ok: false },
    { epoch: 3, dc: 'b', ok: true },
  ];
  for (const s of steps) {
    const r = g.admit(s.epoch, s.dc);
    t.is(r.ok, s.ok, JSON.stringify(s));
    if (!r.ok) t.regex(r.error.message, /dcEpoch \d+ refused: DC b? ?\w* holds dcEpoch/);
  }
  g.observe(7, 'c');
  t.false(g.admit(6, 'c').ok);
  t.is(g.epoch, 7);
});
