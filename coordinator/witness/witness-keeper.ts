import type { Clock, Timer } from '../../agent/executor/clock.ts';
import type { MembershipView } from '../membership/types.ts';
import type { Witness, WitnessError } from './types.ts';

export interface WitnessKeeperOptions {
  witness: Witness;
  clock: Clock;
  /** This node's owner id (node name + incarnation is a good choice). */
  owner: string;
  /** Default leaseMs / 5. */
  renewIntervalMs?: number;
  /** The holder-side validity changed (-Infinity = not held). Feed it to `Membership.setWitnessValidUntil`. */
  onChange?: (validUntil: number) => void;
  /** Every failed request (for logs and status). */
  onError?: (error: WitnessError) => void;
}

/**
 * Drives one node's witness lease: acquires while wanted, renews every `renewIntervalMs`, releases
 * when no longer wanted. One request in flight at a time. The validity it reports only ever comes
 * from a successful answer (measured from the send time by the `Witness`); an unanswered renewal
 * leaves it to run out on the clock.
 */
export class WitnessKeeper {
  readonly #o: WitnessKeeperOptions;
  readonly #renewMs: number;
  #wanted = false;
  #validUntil = -Infinity;
  #held = false;
  #inFlight = false;
  #timer: Timer | undefined;
  #disposed = false;
  #lastError: WitnessError | undefined;

  constructor(options: WitnessKeeperOptions) {
    this.#o = options;
    this.#renewMs = options.renewIntervalMs ?? Math.max(1, Math.floor(options.witness.leaseMs / 5));
  }

  /** Holder-side validity (-Infinity = not held). */
  validUntil(): number {
    return this.#validUntil;
  }

  holds(): boolean {
    return this.#validUntil > this.#o.clock.monoNow();
  }

  lastError(): WitnessError | undefined {
    return this.#lastError;
  }

  setWanted(wanted: boolean): void {
    if (this.#disposed || this.#o.witness.kind === 'none' || wanted === this.#wanted) return;
    this.#wanted = wanted;
    this.#step();
  }

  dispose(): void {
    this.#disposed = true;
    this.#timer?.cancel();
  }

  #set(validUntil: number): void {
    if (validUntil === this.#validUntil) return;
    this.#validUntil = validUntil;
    this.#o.onChange?.(validUntil);
  }

  #arm(): void {
    this.#timer?.cancel();
    if (this.#disposed) return;
    this.#timer = this.#o.clock.setTimer(this.#renewMs, () => this.#step());
  }

  #step(): void {
    if (this.#disposed || this.#inFlight) return;
    const w = this.#o.witness;
    const owner = this.#o.owner;
    if (!this.#wanted) {
      if (!this.#held) return;
      this.#inFlight = true;
      this.#held = false;
      this.#set(-Infinity);
      void w.release(owner).then(() => {
        this.#inFlight = false;
        if (this.#wanted) this.#step();
      });
      return;
    }
    this.#inFlight = true;
    const req = this.#held && this.holds() ? w.renew(owner) : w.acquire(owner);
    void req.then((r) => {
      this.#inFlight = false;
      if (this.#disposed) return;
      if (r.ok) {
        this.#lastError = undefined;
        this.#held = true;
        // A release may have been asked while the request was in flight.
        this.#set(this.#wanted ? r.value.validUntil : -Infinity);
        if (!this.#wanted) this.#step();
      } else {
        this.#lastError = r.error;
        this.#o.onError?.(r.error);
        if (r.error.kind !== 'unavailable') {
          this.#held = false;
          this.#set(-Infinity);
        }
      }
      this.#arm();
    });
  }
}

/**
 * Who should hold the witness: the node that runs resources; when none in this partition does,
 * the lowest-named member (the DC-to-be). A node alone always tries. Pure.
 */
export function wantsWitness(view: MembershipView, selfActive: boolean): boolean {
  if (view.quorum.witness === 'none' && !witnessConfigured(view)) return false;
  if (selfActive) return true;
  const othersActive = view.nodes.some((n) => n.name !== view.self && n.state === 'member' && n.active);
  if (othersActive) return false;
  return view.members[0] === view.self;
}

function witnessConfigured(view: MembershipView): boolean {
  return view.quorum.expectedVotes > view.nodes.length;
}
