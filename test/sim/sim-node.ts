/**
 * One virtual node: membership + quorum + election + witness keeper + lease keeper, composed the
 * way tandemd composes them, plus a toy resource ("the group") and a DC that sends epoch-stamped
 * requests. Everything runs on the node's `SimClock`; nothing reads real time.
 *
 * The control loop (`control`, on every membership event and every `controlIntervalMs`):
 *   1. renew the lease from quorum.validUntil;
 *   2. want the witness when `wantsWitness` says so;
 *   3. the isolation rule (no peer and pingd ≤ 0) demotes;
 *   4. the DC of an agreed, quorate partition starts the group on itself when no member runs it,
 *      every lost node that ran it is past `takeoverAllowedAt`, and no node is unclean;
 *   5. the DC sends its current "transition" requests (stamped with dcEpoch) to its targets.
 */
import type { FakeClock } from '../../agent/executor/clock.ts';
import { LeaseKeeper, isolationVerdict, takeoverAllowedAt } from '../../agent/lease/index.ts';
import { EpochGuard } from '../../coordinator/election/index.ts';
import { Membership } from '../../coordinator/membership/index.ts';
import type {
  MembershipConfig,
  MembershipMessage,
  MembershipView,
  PeerLink,
} from '../../coordinator/membership/index.ts';
import {
  MemoryWitness,
  type MemoryWitnessServer,
  WitnessKeeper,
  wantsWitness,
} from '../../coordinator/witness/index.ts';
import { SimClock } from './sim-clock.ts';
import type { SimNetwork } from './sim-network.ts';

export interface DcRequest {
  kind: 'dc-request';
  dc: string;
  dcEpoch: number;
}

export type SimMessage = MembershipMessage | DcRequest;

export interface SimNodeOptions {
  name: string;
  base: FakeClock;
  net: SimNetwork<SimMessage>;
  membership: Omit<MembershipConfig, 'self' | 'incarnation'>;
  /** Drift rate of this node's monotonic clock (e.g. 0.001). */
  driftRate?: number;
  witnessServer?: MemoryWitnessServer;
  witnessLeaseMs?: number;
  witnessDriftMarginMs?: number;
  /** Whether this node reaches the witness now. */
  witnessReachable?: () => boolean;
  leaseMarginMs?: number;
  maxClockDriftMs?: number;
  /** The node's pingd attribute (undefined = no ping resource). */
  pingd?: () => number | undefined;
  /** Run the toy resource. Default true. */
  resources?: boolean;
  controlIntervalMs?: number;
}

export interface RequestLog {
  from: string;
  dcEpoch: number;
  accepted: boolean;
  at: number;
}

export class SimNode {
  readonly name: string;
  readonly clock: SimClock;
  readonly guard = new EpochGuard();
  readonly requests: RequestLog[] = [];
  /** [base time, 'start' | 'stop' | reason]. */
  readonly events: { at: number; what: string }[] = [];
  running = false;
  crashed = false;
  #parts: { membership: Membership; lease: LeaseKeeper; keeper: WitnessKeeper | undefined };
  #o: SimNodeOptions;
  #boots = 0;
  #targets: string[] = [];
  #transitionEpoch = 0;
  #loop: { cancel(): void } | undefined;

  constructor(options: SimNodeOptions) {
    this.#o = options;
    this.name = options.name;
    this.clock = new SimClock(
      options.base,
      options.driftRate ?? 0,
      1000 * (options.membership.nodes.indexOf(options.name) + 1),
    );
    options.net.attach(this.name, this.clock);
    this.#parts = this.#create();
  }

  get membership(): Membership {
    return this.#parts.membership;
  }

  get lease(): LeaseKeeper {
    return this.#parts.lease;
  }

  get keeper(): WitnessKeeper | undefined {
    return this.#parts.keeper;
  }

  get baseNow(): number {
    return this.#o.base.monoNow();
  }

  boot(): void {
    this.#parts = this.#create();
  }

  #create(): { membership: Membership; lease: LeaseKeeper; keeper: WitnessKeeper | undefined } {
    const o = this.#o;
    this.#boots++;
    this.crashed = false;
    o.net.setUp(this.name, true);
    const link = o.net.link(this.name);
    const membershipLink: PeerLink = {
      send: (to, msg) => link.send(to, msg),
      onMessage: (cb) =>
        link.onMessage((from, msg) => (msg.kind === 'heartbeat' ? cb(from, msg) : undefined)),
    };
    link.onMessage((from, msg) => {
      if (msg.kind === 'dc-request') this.#onRequest(from, msg);
    });
    const membership = new Membership({
      config: { ...o.membership, self: this.name, incarnation: `${this.name}-boot${this.#boots}` },
      clock: this.clock,
      link: membershipLink,
    });
    const lease = new LeaseKeeper({
      clock: this.clock,
      marginMs: o.leaseMarginMs ?? 150,
      onDemote: (reason) => this.#stop(reason),
    });
    let keeper: WitnessKeeper | undefined;
    if (o.witnessServer !== undefined) {
      const witness = new MemoryWitness({
        server: o.witnessServer,
        clock: this.clock,
        leaseMs: o.witnessLeaseMs ?? 1000,
        driftMarginMs: o.witnessDriftMarginMs ?? 50,
        ...(o.witnessReachable === undefined ? {} : { reachable: o.witnessReachable }),
      });
      keeper = new WitnessKeeper({
        witness,
        clock: this.clock,
        owner: `${this.name}-boot${this.#boots}`,
        onChange: (v) => membership.setWitnessValidUntil(v),
      });
    }
    this.#parts = { membership, lease, keeper };
    // The lease follows every quorum renewal (not only view changes), as tandemd must wire it.
    membership.onQuorum((v) => lease.renew(v.quorum.validUntil));
    membership.onChange(() => this.control());
    membership.start();
    this.#arm();
    return this.#parts;
  }

  /** Power off: resources die with the node; every timer and subscription is gone. */
  crash(): void {
    this.crashed = true;
    if (this.running) this.#record('crash-stop');
    this.running = false;
    this.#loop?.cancel();
    this.membership.dispose();
    this.lease.dispose();
    this.keeper?.dispose();
    this.clock.reset();
    this.#o.net.setUp(this.name, false);
  }

  restart(): void {
    if (!this.crashed) this.crash();
    this.boot();
  }

  view(): MembershipView {
    return this.membership.view();
  }

  control(): void {
    if (this.crashed) return;
    const o = this.#o;
    const v = this.membership.view();
    const now = this.clock.monoNow();
    this.lease.renew(v.quorum.validUntil);
    // The agent side learns the current DC's epoch from its own view too, not only from requests.
    if (v.dc !== undefined) this.guard.observe(v.dcEpoch, v.dc);
    this.keeper?.setWanted(wantsWitness(v, this.running));
    const iso = isolationVerdict({ peersVisible: v.members.length - 1, pingd: o.pingd?.() });
    if (iso.demote && this.running) this.lease.demote('isolated');
    if ((o.resources ?? true) && !this.running && !iso.demote && this.#mayStart(v, now)) this.#start();
    if (v.isDc && v.dcEpoch !== this.#transitionEpoch) {
      // A new DC term starts a new "transition" aimed at the members it sees now.
      this.#transitionEpoch = v.dcEpoch;
      this.#targets = v.members.filter((m) => m !== this.name);
    }
    if (this.#transitionEpoch > 0 && this.#transitionEpoch === v.dcEpoch && v.isDc) {
      for (const t of this.#targets)
        o.net.send(this.name, t, { kind: 'dc-request', dc: this.name, dcEpoch: this.#transitionEpoch });
    } else if (!v.isDc) {
      this.#transitionEpoch = 0;
    }
  }

  #mayStart(v: MembershipView, now: number): boolean {
    if (!v.isDc || !v.agreed || !v.quorate || !this.lease.mayRun()) return false;
    const maxDrift = this.#o.maxClockDriftMs ?? 50;
    for (const n of v.nodes) {
      if (n.name === this.name) continue;
      if (n.state === 'member' && n.active) return false;
      if (n.state === 'unclean') return false;
      if ((n.state === 'lost' || n.state === 'left') && n.active) {
        if (n.lostAtMono === undefined || now < takeoverAllowedAt(n.lostAtMono, maxDrift)) return false;
      }
    }
    return true;
  }

  #start(): void {
    this.running = true;
    this.membership.setActive(true);
    this.#record('start');
    this.keeper?.setWanted(true);
  }

  #stop(reason: string): void {
    if (!this.running) return;
    this.running = false;
    this.membership.setActive(false);
    this.#record(`stop:${reason}`);
  }

  #record(what: string): void {
    this.events.push({ at: this.#o.base.monoNow(), what });
  }

  #onRequest(from: string, msg: DcRequest): void {
    const r = this.guard.admit(msg.dcEpoch, msg.dc);
    this.requests.push({ from, dcEpoch: msg.dcEpoch, accepted: r.ok, at: this.#o.base.monoNow() });
  }

  #arm(): void {
    const interval = this.#o.controlIntervalMs ?? 20;
    const tick = (): void => {
      this.control();
      this.#loop = this.clock.setTimer(interval, tick);
    };
    this.#loop = this.clock.setTimer(interval, tick);
  }
}
