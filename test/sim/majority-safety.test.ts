import { fc, testProp } from '@fast-check/ava';
import { SimCluster } from './index.ts';

/**
 * Three nodes, no witness: at most one node runs the group at any simulated ms under partitions
 * (including one-way-looking ones made of single cut links, i.e. non-transitive), crashes,
 * restarts, short pauses, message loss and 1 % clock drift.
 */
const NODES = ['a', 'b', 'c'] as const;
const PAIRS = [
  ['a', 'b'],
  ['a', 'c'],
  ['b', 'c'],
] as const;

const fault = fc.record({
  atMs: fc.integer({ min: 300, max: 3000 }),
  kind: fc.constantFrom('isolate', 'isolate', 'cut-one', 'heal', 'crash', 'restart', 'pause'),
  target: fc.constantFrom('active', 'active', 'a', 'b', 'c'),
  pair: fc.integer({ min: 0, max: 2 }),
  pauseMs: fc.integer({ min: 1, max: 100 }),
});

testProp(
  'three nodes: never two active nodes, at every simulated ms',
  [
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    fc.array(fault, { minLength: 1, maxLength: 6 }),
    fc.constantFrom(0, 0.02),
  ],
  async (t, seed, faults, dropRate) => {
    const c = new SimCluster({ seed, nodes: [...NODES], maxDriftRate: 0.01, network: { dropRate } });
    try {
      const plan = [...faults].sort((x, y) => x.atMs - y.atMs);
      const thawAt = new Map<string, number>();
      let i = 0;
      let violation = '';
      for (let ms = 0; ms < 4500 && violation === ''; ms++) {
        for (const [name, at] of thawAt) {
          if (ms >= at) {
            c.node(name).clock.thaw();
            thawAt.delete(name);
          }
        }
        while (i < plan.length && (plan[i]?.atMs ?? Infinity) <= ms) {
          const f = plan[i++];
          if (f === undefined) break;
          const name = f.target === 'active' ? (c.running()[0] ?? 'a') : f.target;
          const n = c.node(name);
          switch (f.kind) {
            case 'isolate':
              for (const other of NODES) if (other !== name) c.net.cut(name, other);
              break;
            case 'cut-one': {
              const [x, y] = PAIRS[f.pair] ?? PAIRS[0];
              c.net.cut(x, y);
              break;
            }
            case 'heal':
              c.net.heal();
              break;
            case 'crash':
              if (!n.crashed) n.crash();
              break;
            case 'restart':
              if (n.crashed) n.restart();
              break;
            case 'pause':
              if (!n.crashed && !n.clock.frozen) {
                n.clock.freeze();
                thawAt.set(name, ms + f.pauseMs);
              }
              break;
          }
        }
        await c.step();
        const r = c.running();
        if (r.length > 1) violation = `at ${c.now} ms ${r.join(', ')} run (seed ${seed})`;
      }
      t.is(violation, '');
    } finally {
      c.dispose();
    }
  },
  { numRuns: 40, seed: 20261124 },
);
