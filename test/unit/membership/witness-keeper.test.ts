import test from 'ava';
import { FakeClock } from '../../../agent/executor/clock.ts';
import {
  MemoryWitness,
  MemoryWitnessServer,
  WitnessKeeper,
  type WitnessError,
} from '../../../coordinator/witness/index.ts';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Advances the fake clock 1 ms at a time so witness answers (promises) settle in order. */
async function run(clock: FakeClock, ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    clock.advance(1);
    await settle();
  }
}

function setup(): {
  clock: FakeClock;
  server: MemoryWitnessServer;
  reach: { a: boolean; b: boolean };
  keeper: (owner: 'a' | 'b') => { k: WitnessKeeper; changes: number[]; errors: WitnessError[] };
} {
  const clock = new FakeClock({ monoMs: 0 });
  const server = new MemoryWitnessServer(clock);
  const reach = { a: true, b: true };
  return {
    clock,
    server,
    reach,
    keeper: (owner) => {
      const changes: number[] = [];
      const errors: WitnessError[] = [];
      const witness = new MemoryWitness({
        server,
        clock,
        leaseMs: 1000,
        driftMarginMs: 50,
        latencyMs: () => 2,
        reachable: () => reach[owner],
      });
      const k = new WitnessKeeper({
        witness,
        clock,
        owner,
        renewIntervalMs: 200,
        onChange: (v) => changes.push(v),
        onError: (e) => errors.push(e),
      });
      return { k, changes, errors };
    },
  };
}

test('acquires when wanted, renews every interval; validity = send time + lease − margin', async (t) => {
  const { clock, server, keeper } = setup();
  const a = keeper('a');
  t.teardown(() => a.k.dispose());
  a.k.setWanted(true);
  await run(clock, 10);
  t.true(a.k.holds());
  t.is(a.changes[0], 950, 'sent at 0: 0 + 1000 − 50');
  t.is(server.holder(), 'a');
  await run(clock, 700);
  t.deepEqual(
    a.changes.slice(0, 4),
    [950, 1154, 1358, 1562],
    'renewed every 200 ms after each answer (4 ms round trip)',
  );
});

test('a second owner is refused while the first renews, and gets it after the first releases', async (t) => {
  const { clock, server, keeper } = setup();
  const a = keeper('a');
  const b = keeper('b');
  t.teardown(() => {
    a.k.dispose();
    b.k.dispose();
  });
  a.k.setWanted(true);
  await run(clock, 10);
  b.k.setWanted(true);
  await run(clock, 500);
  t.false(b.k.holds());
  t.is(b.errors[0]?.kind, 'held-by-other');
  a.k.setWanted(false);
  t.false(a.k.holds(), 'a release counts as lost at once');
  await run(clock, 300);
  t.is(server.holder(), 'b');
  t.true(b.k.holds());
});

test('unreachable witness: validity runs out on the holder clock; the peer gets it only after the server expiry', async (t) => {
  const { clock, server, reach, keeper } = setup();
  const a = keeper('a');
  const b = keeper('b');
  t.teardown(() => {
    a.k.dispose();
    b.k.dispose();
  });
  a.k.setWanted(true);
  await run(clock, 10);
  reach.a = false;
  const lastValid = a.k.validUntil();
  b.k.setWanted(true);
  let bAt = -1;
  let aLostAt = -1;
  for (let ms = 0; ms < 3000 && bAt < 0; ms++) {
    await run(clock, 1);
    if (aLostAt < 0 && !a.k.holds()) aLostAt = clock.monoNow();
    if (b.k.holds()) bAt = clock.monoNow();
  }
  t.is(aLostAt, lastValid, 'a counts itself expired exactly at its own validity end');
  t.true(bAt > aLostAt, `b holds from ${bAt}, after a lost it at ${aLostAt}`);
  t.is(server.holder(), 'b');
  t.true(a.errors.some((e) => e.kind === 'unavailable'));
});
