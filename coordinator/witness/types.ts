import type { MonoMs } from '../../agent/executor/clock.ts';

/** A granted or renewed lease, as the holder must believe it. */
export interface WitnessGrant {
  owner: string;
  /**
   * Holder-side end of validity on the holder's monotonic clock: the moment the request was SENT
   * + leaseMs − driftMarginMs. The witness server's expiry is strictly later, so the holder always
   * believes its lease over before anyone else can get it.
   */
  validUntil: MonoMs;
  /** Monotonically increasing per acquisition (a fencing token); 0 when the witness has none. */
  token: number;
}

export type WitnessError =
  | { kind: 'held-by-other'; holder: string; message: string }
  | { kind: 'not-held'; message: string }
  | { kind: 'unavailable'; message: string };

export type WitnessResult<T> = { ok: true; value: T } | { ok: false; error: WitnessError };

/**
 * The third vote: a lease held by at most one owner at a time. All methods resolve (never reject);
 * a lost connection is `unavailable`.
 */
export interface Witness {
  readonly kind: 'none' | 'redis' | 'memory';
  /** Lease length granted by the server (ms). */
  readonly leaseMs: number;
  /** Takes the lease if nobody holds it (or `owner` already does). */
  acquire(owner: string): Promise<WitnessResult<WitnessGrant>>;
  /** Extends the lease only if `owner` still holds it (compare-and-extend, atomic). */
  renew(owner: string): Promise<WitnessResult<WitnessGrant>>;
  /** Gives it up only if `owner` holds it. */
  release(owner: string): Promise<WitnessResult<void>>;
  /** The current holder ('' = none), as the server sees it. */
  holder(): Promise<WitnessResult<string>>;
  dispose(): Promise<void>;
}
