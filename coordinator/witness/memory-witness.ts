import type { Clock } from '../../agent/executor/clock.ts';
import type { Witness, WitnessGrant, WitnessResult } from './types.ts';

/**
 * The witness server for simulations and unit tests: one lease, expiring on the SERVER's clock
 * (as Redis expires a key on its own clock). Synchronous; `MemoryWitness` puts the network around it.
 */
export class MemoryWitnessServer {
  readonly #clock: Clock;
  #holder = '';
  #expiresAt = -Infinity;
  #token = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  holder(): string {
    if (this.#clock.monoNow() >= this.#expiresAt) this.#holder = '';
    return this.#holder;
  }

  /** SET NX PX, or PEXPIRE when `owner` already holds it. */
  acquire(owner: string, leaseMs: number): { ok: true; token: number } | { ok: false; holder: string } {
    const h = this.holder();
    if (h !== '' && h !== owner) return { ok: false, holder: h };
    if (h === '') this.#token++;
    this.#holder = owner;
    this.#expiresAt = this.#clock.monoNow() + leaseMs;
    return { ok: true, token: this.#token };
  }

  renew(owner: string, leaseMs: number): { ok: true; token: number } | { ok: false; holder: string } {
    const h = this.holder();
    if (h !== owner) return { ok: false, holder: h };
    this.#expiresAt = this.#clock.monoNow() + leaseMs;
    return { ok: true, token: this.#token };
  }

  release(owner: string): boolean {
    if (this.holder() !== owner) return false;
    this.#holder = '';
    this.#expiresAt = -Infinity;
    return true;
  }
}

export interface MemoryWitnessOptions {
  server: MemoryWitnessServer;
  /** The CLIENT node's clock: validity is measured on it, delays are armed on it. */
  clock: Clock;
  leaseMs: number;
  /** Subtracted from the holder-side validity (drift between the holder's and the server's clocks). */
  driftMarginMs: number;
  /** One-way latency to the server (ms); default 1. */
  latencyMs?: () => number;
  /** Whether this client can reach the server now (a partition cuts it); default always. */
  reachable?: () => boolean;
  /** How long an unanswered request waits before `unavailable` (ioredis commandTimeout); default leaseMs/4. */
  timeoutMs?: number;
}

/** A client of `MemoryWitnessServer` across a simulated network: latency, partitions, timeouts. */
export class MemoryWitness implements Witness {
  readonly kind = 'memory';
  readonly leaseMs: number;
  readonly #o: MemoryWitnessOptions;

  constructor(options: MemoryWitnessOptions) {
    this.#o = options;
    this.leaseMs = options.leaseMs;
  }

  acquire(owner: string): Promise<WitnessResult<WitnessGrant>> {
    return this.#grant(owner, (s) => s.acquire(owner, this.leaseMs));
  }

  renew(owner: string): Promise<WitnessResult<WitnessGrant>> {
    return this.#grant(owner, (s) => s.renew(owner, this.leaseMs));
  }

  release(owner: string): Promise<WitnessResult<void>> {
    return this.#call((s) => s.release(owner)).then((r) =>
      !r.ok
        ? r
        : r.value
          ? { ok: true, value: undefined }
          : { ok: false, error: { kind: 'not-held', message: `witness: ${owner} does not hold the lease` } },
    );
  }

  holder(): Promise<WitnessResult<string>> {
    return this.#call((s) => s.holder());
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }

  #grant(
    owner: string,
    op: (s: MemoryWitnessServer) => { ok: true; token: number } | { ok: false; holder: string },
  ): Promise<WitnessResult<WitnessGrant>> {
    const sentAt = this.#o.clock.monoNow();
    return this.#call(op).then((r): WitnessResult<WitnessGrant> => {
      if (!r.ok) return r;
      if (!r.value.ok) {
        const holder = r.value.holder;
        return holder === ''
          ? {
              ok: false,
              error: { kind: 'not-held', message: `witness: ${owner} does not hold the lease (expired)` },
            }
          : {
              ok: false,
              error: { kind: 'held-by-other', holder, message: `witness lease held by ${holder}` },
            };
      }
      const validUntil = (sentAt + this.leaseMs - this.#o.driftMarginMs) as WitnessGrant['validUntil'];
      return { ok: true, value: { owner, validUntil, token: r.value.token } };
    });
  }

  #call<T>(op: (s: MemoryWitnessServer) => T): Promise<WitnessResult<T>> {
    const o = this.#o;
    const latency = (): number => o.latencyMs?.() ?? 1;
    const reachable = (): boolean => o.reachable?.() ?? true;
    const timeoutMs = o.timeoutMs ?? Math.max(1, Math.floor(this.leaseMs / 4));
    return new Promise((resolve) => {
      let done = false;
      const finish = (r: WitnessResult<T>): void => {
        if (done) return;
        done = true;
        timeout.cancel();
        resolve(r);
      };
      const timeout = o.clock.setTimer(timeoutMs, () =>
        finish({
          ok: false,
          error: { kind: 'unavailable', message: `witness: no answer within ${timeoutMs} ms` },
        }),
      );
      if (!reachable()) return; // lost on the way: only the timeout answers
      o.clock.setTimer(latency(), () => {
        const value = op(o.server);
        o.clock.setTimer(latency(), () => {
          if (reachable()) finish({ ok: true, value });
        });
      });
    });
  }
}
