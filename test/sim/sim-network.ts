/**
 * The in-memory network (hashicorp/raft's InmemTransport + cluster.Partition): messages are
 * delivered after a seeded random delay, can be dropped at a rate, and never cross a cut link.
 * Delivery goes through the receiver's `SimClock`, so a frozen node gets them when it thaws.
 */
import type { FakeClock } from '../../agent/executor/clock.ts';
import type { PeerLink, Subscription } from '../../coordinator/membership/index.ts';
import type { Prng } from '../support/prng.ts';
import type { SimClock } from './sim-clock.ts';

export interface SimNetworkOptions {
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Probability that a message is lost. */
  dropRate?: number;
}

interface Endpoint<M> {
  clock: SimClock;
  handlers: ((from: string, msg: M) => void)[];
  up: boolean;
}

export class SimNetwork<M> {
  readonly #base: FakeClock;
  readonly #prng: Prng;
  readonly #o: Required<SimNetworkOptions>;
  readonly #endpoints = new Map<string, Endpoint<M>>();
  readonly #cut = new Set<string>();
  delivered = 0;
  dropped = 0;

  constructor(base: FakeClock, prng: Prng, options: SimNetworkOptions = {}) {
    this.#base = base;
    this.#prng = prng;
    this.#o = {
      minDelayMs: options.minDelayMs ?? 1,
      maxDelayMs: options.maxDelayMs ?? 5,
      dropRate: options.dropRate ?? 0,
    };
  }

  attach(node: string, clock: SimClock): void {
    this.#endpoints.set(node, { clock, handlers: [], up: true });
  }

  /** A crashed node receives nothing; a restarted one must re-subscribe (`link`). */
  setUp(node: string, up: boolean): void {
    const e = this.#endpoints.get(node);
    if (e === undefined) return;
    e.up = up;
    if (!up) e.handlers = [];
  }

  link(node: string): PeerLink<M> {
    return {
      send: (to, msg) => this.send(node, to, msg),
      onMessage: (cb): Subscription => {
        const e = this.#endpoints.get(node);
        e?.handlers.push(cb);
        return {
          dispose: () => {
            if (e === undefined) return;
            const i = e.handlers.indexOf(cb);
            if (i >= 0) e.handlers.splice(i, 1);
          },
        };
      },
    };
  }

  static key(a: string, b: string): string {
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  }

  cut(a: string, b: string): void {
    this.#cut.add(SimNetwork.key(a, b));
  }

  /** Splits the nodes into groups: links across groups are cut. */
  partition(groups: readonly (readonly string[])[]): void {
    for (const g of groups)
      for (const h of groups) {
        if (g === h) continue;
        for (const a of g) for (const b of h) this.cut(a, b);
      }
  }

  heal(): void {
    this.#cut.clear();
  }

  connected(a: string, b: string): boolean {
    return !this.#cut.has(SimNetwork.key(a, b));
  }

  send(from: string, to: string, msg: M): void {
    const src = this.#endpoints.get(from);
    if (src === undefined || !src.up) return;
    if (!this.connected(from, to) || (this.#o.dropRate > 0 && this.#prng.chance(this.#o.dropRate))) {
      this.dropped++;
      return;
    }
    const delay = this.#prng.int(this.#o.minDelayMs, this.#o.maxDelayMs);
    this.#base.setTimer(delay, () => {
      const dst = this.#endpoints.get(to);
      // A cut made while the message was in flight loses it too.
      if (dst === undefined || !dst.up || !this.connected(from, to)) {
        this.dropped++;
        return;
      }
      this.delivered++;
      const gen = dst.clock.generation;
      dst.clock.run(gen, () => {
        for (const h of [...dst.handlers]) h(from, msg);
      });
    });
  }
}
