/**
 * A small seeded pseudo-random generator (mulberry32) for test data: the same seed gives the same
 * sequence on every machine and Node version. Never use Math.random in generators.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (0, 1, 2, …) over the state space so neighbouring seeds differ at once.
    this.state = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('Prng.pick needs a non-empty array');
    return item;
  }

  /** A random subset of `count` distinct elements, in the input's order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const indices = items.map((_, i) => i);
    for (let i = indices.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = indices[i];
      const b = indices[j];
      if (a === undefined || b === undefined) continue;
      indices[i] = b;
      indices[j] = a;
    }
    const chosen = indices.slice(0, Math.max(0, Math.min(count, items.length))).sort((x, y) => x - y);
    return chosen.flatMap((i) => {
      const item = items[i];
      return item === undefined ? [] : [item];
    });
  }
}
