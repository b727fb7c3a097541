import test from 'ava';
import { FakeClock } from '../../../agent/executor/clock.ts';
import { LeaseKeeper, isolationVerdict, takeoverAllowedAt } from '../../../agent/lease/index.ts';

function keeper(marginMs = 150): {
  clock: FakeClock;
  k: LeaseKeeper;
  demotes: { at: number; reason: string }[];
} {
  const clock = new FakeClock({ monoMs: 0 });
  const demotes: { at: number; reason: string }[] = [];
  const k = new LeaseKeeper({
    clock,
    marginMs,
    onDemote: (reason) => demotes.push({ at: clock.monoNow(), reason }),
  });
  return { clock, k, demotes };
}

test('mayRun until leaseEnd − margin; demote fires exactly then, once', (t) => {
  const { clock, k, demotes } = keeper();
  t.teardown(() => k.dispose());
  t.false(k.mayRun(), 'no lease yet');
  k.renew(1000);
  t.true(k.mayRun());
  t.is(k.demoteAt(), 850);
  clock.advance(849);
  t.true(k.mayRun());
  t.deepEqual(demotes, []);
  clock.advance(1);
  t.false(k.mayRun());
  t.deepEqual(demotes, [{ at: 850, reason: 'lease-expiring' }]);
  clock.advance(1000);
  t.is(demotes.length, 1, 'once per holding period');
});

test('renewals move the demote timer; a shortened or revoked lease demotes at once', (t) => {
  const cases = [
    {
      desc: 'renewed in time: never demotes',
      renews: [
        [0, 1000],
        [500, 1500],
        [1000, 2000],
      ],
      until: 1800,
      want: [],
    },
    {
      desc: 'renewal stops: demotes at the last end − margin',
      renews: [
        [0, 1000],
        [500, 1500],
      ],
      until: 3000,
      want: [[1350, 'lease-expiring']],
    },
    {
      desc: 'lease shortened into the margin: at once',
      renews: [
        [0, 1000],
        [300, 400],
      ],
      until: 3000,
      want: [[300, 'lease-expiring']],
    },
    {
      desc: 'quorum lost (-Infinity): at once, revoked',
      renews: [
        [0, 1000],
        [200, -Infinity],
      ],
      until: 3000,
      want: [[200, 'lease-revoked']],
    },
    { desc: 'Infinity (two_node): never', renews: [[0, Infinity]], until: 100000, want: [] },
  ] as const;
  for (const c of cases) {
    const { clock, k, demotes } = keeper();
    for (const [at, end] of c.renews) {
      clock.advance(at - clock.monoNow());
      k.renew(end);
    }
    clock.advance(c.until - clock.monoNow());
    t.deepEqual(
      demotes.map((d) => [d.at, d.reason]),
      c.want.map((w) => [...w]),
      c.desc,
    );
    k.dispose();
  }
});

test('demote() for isolation: stops now; a later renewal may hold again', (t) => {
  const { clock, k, demotes } = keeper();
  t.teardown(() => k.dispose());
  k.renew(Infinity);
  clock.advance(10);
  k.demote('isolated');
  t.false(k.mayRun());
  t.deepEqual(demotes, [{ at: 10, reason: 'isolated' }]);
  k.renew(Infinity);
  t.true(k.mayRun());
});

test('a paused process: the overdue demote fires on the first tick after the pause', (t) => {
  const { clock, k, demotes } = keeper();
  t.teardown(() => k.dispose());
  k.renew(1000);
  clock.stepWall(10_000); // a wall-clock jump changes nothing
  clock.advance(100);
  t.true(k.mayRun());
  t.deepEqual(demotes, []);
  clock.advance(2000);
  t.deepEqual(demotes, [{ at: 850, reason: 'lease-expiring' }]);
});

test('takeoverAllowedAt: lostAt + max clock drift', (t) => {
  t.is(takeoverAllowedAt(1000, 50), 1050);
  t.is(takeoverAllowedAt(1000), 1050);
  t.is(takeoverAllowedAt(0, 0), 0);
});

test('isolationVerdict: demotes only with no peer AND a gateway measured unreachable', (t) => {
  const cases = [
    { peersVisible: 1, pingd: 0, demote: false },
    { peersVisible: 0, pingd: undefined, demote: false },
    { peersVisible: 0, pingd: 100, demote: false },
    { peersVisible: 0, pingd: 0, demote: true },
    { peersVisible: 0, pingd: -1, demote: true },
    { peersVisible: 2, pingd: undefined, demote: false },
  ];
  for (const c of cases) {
    const v = isolationVerdict({ peersVisible: c.peersVisible, pingd: c.pingd });
    t.is(v.demote, c.demote, JSON.stringify(c));
    t.true(v.reason.length > 0);
  }
  t.regex(
    isolationVerdict({ peersVisible: 0, pingd: 0 }).reason,
    /isolated: no peer and no gateway \(pingd=0\)/,
  );
});
