import type { Clock, MonoMs, Timer } from '../executor/clock.ts';

export const DEFAULT_LEASE_MARGIN_MS = 150;
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 50;

export type DemoteReason = 'lease-expiring' | 'isolated' | 'lease-revoked';

export interface LeaseKeeperOptions {
  clock: Clock;
  /**
   * Time before the lease end at which the node demotes: must cover stopping its resources and
   * the scheduling jitter of this process. Default 150 ms.
   */
  marginMs?: number;
  /** Called once per holding period when the node must stop its resources. */
  onDemote?: (reason: DemoteReason) => void;
}

/**
 * Lease-based self-demotion (agent side). The lease end comes from the membership's
 * `quorum.validUntil` (monotonic, Infinity under two_node) and is replaced on every change.
 * Contract:
 * - `mayRun()` is true while monoNow < leaseEnd − margin and the node was not demoted for
 *   isolation since the last renewal that allows running.
 * - One timer is armed at leaseEnd − margin; when it fires (or on `renew` with an end already that
 *   close, or `demote`) `onDemote` is called once, and `mayRun()` stays false until a renewal
 *   pushes the end beyond now + margin again.
 */
export class LeaseKeeper {
  readonly #clock: Clock;
  readonly #marginMs: number;
  readonly #listeners: ((reason: DemoteReason) => void)[] = [];
  #leaseEnd = -Infinity;
  #timer: Timer | undefined;
  #holding = false;
  #disposed = false;

  constructor(options: LeaseKeeperOptions) {
    this.#clock = options.clock;
    this.#marginMs = options.marginMs ?? DEFAULT_LEASE_MARGIN_MS;
    if (options.onDemote !== undefined) this.#listeners.push(options.onDemote);
  }

  get marginMs(): number {
    return this.#marginMs;
  }

  /** The current lease end (monotonic; Infinity = no expiry, -Infinity = none). */
  leaseEnd(): number {
    return this.#leaseEnd;
  }

  /** The moment the node demotes if not renewed (leaseEnd − margin). */
  demoteAt(): number {
    return this.#leaseEnd - this.#marginMs;
  }

  mayRun(): boolean {
    return this.#holding && this.#clock.monoNow() < this.demoteAt();
  }

  onDemote(cb: (reason: DemoteReason) => void): { dispose(): void } {
    this.#listeners.push(cb);
    return {
      dispose: () => {
        const i = this.#listeners.indexOf(cb);
        if (i >= 0) this.#listeners.splice(i, 1);
      },
    };
  }

  /**
   * Sets the lease end (it may move backwards: a lost witness shortens it). A node that holds no
   * lease starts holding one when the end is beyond now + margin.
   */
  renew(leaseEnd: number): void {
    if (this.#disposed) return;
    const now = this.#clock.monoNow();
    this.#leaseEnd = leaseEnd;
    if (now < this.demoteAt()) {
      this.#holding = true;
      this.#arm(now);
    } else if (this.#holding) {
      this.#fire(leaseEnd === -Infinity ? 'lease-revoked' : 'lease-expiring');
    }
  }

  /** Demotes now (the isolation rule, or an operator's request); a later renewal may restore it. */
  demote(reason: DemoteReason): void {
    if (this.#holding) this.#fire(reason);
    this.#leaseEnd = Math.min(this.#leaseEnd, this.#clock.monoNow());
  }

  /** Re-checks the lease against the clock (the timer does this too; cheap and idempotent). */
  tick(): void {
    if (this.#holding && this.#clock.monoNow() >= this.demoteAt()) this.#fire('lease-expiring');
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#listeners.length = 0;
  }

  #arm(now: MonoMs): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    const at = this.demoteAt();
    if (!Number.isFinite(at)) return;
    this.#timer = this.#clock.setTimer(at - now, () => {
      this.#timer = undefined;
      this.tick();
    });
  }

  #fire(reason: DemoteReason): void {
    this.#holding = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    for (const cb of [...this.#listeners]) cb(reason);
  }
}
