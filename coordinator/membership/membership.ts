import type { Clock, MonoMs, Timer } from '../../agent/executor/clock.ts';
import { EmbeddedElection } from '../election/embedded-election.ts';
import type { Election } from '../election/types.ts';
import type { PeerLink, Subscription } from './peer-link.ts';
import { computeQuorum } from './quorum.ts';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_PEER_TIMEOUT_MS,
  type Heartbeat,
  type MembershipConfig,
  type MembershipEvent,
  type MembershipMessage,
  type MembershipView,
  type NodeMembershipState,
  type NodeName,
  type NodeView,
} from './types.ts';

export interface MembershipOptions {
  config: MembershipConfig;
  clock: Clock;
  link: PeerLink;
  /** Default: `EmbeddedElection`. */
  election?: Election;
}

interface PeerRecord {
  name: NodeName;
  incarnation: string;
  retired: Set<string>;
  lastSeq: number;
  lastHeard: number | undefined;
  lostAt: number | undefined;
  last: Heartbeat | undefined;
  /** Until when its vote counts: send time of our heartbeat it echoed + peerTimeout. */
  voteUntil: number;
  fenced: boolean;
}

export class MembershipConfigError extends Error {
  override name = 'MembershipConfigError';
}

/**
 * Heartbeat membership, quorum and the DC of this node's partition. No I/O of its own: messages go
 * through `PeerLink`, time and timers through `Clock` (monotonic only). Lifecycle: `start()` arms
 * the heartbeat timer (sending at once), `dispose()` cancels every timer and subscription.
 *
 * Heartbeats echo, per peer in the sender's view, the last seq received from that peer. A peer's
 * vote is timed from the SEND time of the echoed heartbeat (+ peerTimeout), so it always ends in
 * real time before that peer declares this node lost (see docs/safety.md).
 */
export class Membership {
  readonly #config: MembershipConfig;
  readonly #clock: Clock;
  readonly #link: PeerLink;
  readonly #election: Election;
  readonly #heartbeatMs: number;
  readonly #peerTimeoutMs: number;
  #stonith: boolean;
  readonly #peers = new Map<NodeName, PeerRecord>();
  readonly #sentAt = new Map<number, number>();
  readonly #listeners: ((e: MembershipEvent) => void)[] = [];
  readonly #quorumListeners: ((view: MembershipView) => void)[] = [];
  #seq = 0;
  #configVersion: number;
  #active = false;
  #leaving = false;
  #witnessUntil = -Infinity;
  #seenAllOnce = false;
  #view: MembershipView;
  #heartbeatTimer: Timer | undefined;
  #expiryTimer: Timer | undefined;
  #sub: Subscription | undefined;
  #started = false;
  #disposed = false;

  constructor(options: MembershipOptions) {
    const c = options.config;
    if (!c.nodes.includes(c.self)) {
      throw new MembershipConfigError(
        `membership: self '${c.self}' is not in nodes [${c.nodes.join(', ')}]; add it`,
      );
    }
    if (new Set(c.nodes).size !== c.nodes.length) {
      throw new MembershipConfigError(
        `membership: nodes [${c.nodes.join(', ')}] has duplicates; list each node once`,
      );
    }
    this.#config = c;
    this.#clock = options.clock;
    this.#link = options.link;
    this.#election = options.election ?? new EmbeddedElection();
    this.#heartbeatMs = c.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.#peerTimeoutMs = c.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
    if (!(this.#heartbeatMs > 0 && this.#peerTimeoutMs > this.#heartbeatMs)) {
      throw new MembershipConfigError(
        `membership: peerTimeoutMs (${this.#peerTimeoutMs}) must exceed heartbeatIntervalMs (${this.#heartbeatMs}) > 0; use e.g. 400 and 100`,
      );
    }
    this.#stonith = c.stonithEnabled ?? false;
    this.#configVersion = c.configVersion ?? 0;
    for (const name of c.nodes) {
      if (name === c.self) continue;
      this.#peers.set(name, {
        name,
        incarnation: '',
        retired: new Set(),
        lastSeq: -1,
        lastHeard: undefined,
        lostAt: undefined,
        last: undefined,
        voteUntil: -Infinity,
        fenced: false,
      });
    }
    this.#view = this.#compute();
  }

  get heartbeatIntervalMs(): number {
    return this.#heartbeatMs;
  }

  get peerTimeoutMs(): number {
    return this.#peerTimeoutMs;
  }

  /** Subscribes to the link and starts heartbeating (first heartbeat now). Idempotent. */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.#sub = this.#link.onMessage((from, msg) => this.onMessage(from, msg));
    this.tick();
  }

  view(): MembershipView {
    return this.#view;
  }

  onChange(cb: (e: MembershipEvent) => void): Subscription {
    this.#listeners.push(cb);
    return {
      dispose: () => {
        const i = this.#listeners.indexOf(cb);
        if (i >= 0) this.#listeners.splice(i, 1);
      },
    };
  }

  /**
   * Called whenever `quorum.validUntil` or `quorate` changes, i.e. on nearly every heartbeat:
   * feed `LeaseKeeper.renew(view.quorum.validUntil)` from here. (`onChange` 'view' events fire only
   * when membership, agreement, quorum state or the DC change, so a lease renewed only from them
   * runs out in steady state.) Runs before the `onChange` listeners of the same update.
   */
  onQuorum(cb: (view: MembershipView) => void): Subscription {
    this.#quorumListeners.push(cb);
    return {
      dispose: () => {
        const i = this.#quorumListeners.indexOf(cb);
        if (i >= 0) this.#quorumListeners.splice(i, 1);
      },
    };
  }

  /** Entry for the transport: routes a message by kind. */
  onMessage(from: NodeName, msg: MembershipMessage): void {
    if (msg.kind === 'heartbeat') this.onHeartbeat(from, msg);
  }

  /**
   * One heartbeat from `from` (the authenticated sender). Ignored when: wrong cluster, `node` ≠
   * `from`, unknown node, a retired incarnation, or a seq not newer than the last one.
   */
  onHeartbeat(from: NodeName, msg: Heartbeat): void {
    if (this.#disposed) return;
    if (msg.cluster !== this.#config.cluster || msg.node !== from) return;
    const rec = this.#peers.get(from);
    if (rec === undefined) return;
    if (msg.incarnation !== rec.incarnation) {
      if (rec.retired.has(msg.incarnation)) return;
      if (rec.incarnation !== '') rec.retired.add(rec.incarnation);
      rec.incarnation = msg.incarnation;
      rec.lastSeq = -1;
      rec.voteUntil = -Infinity;
    }
    if (msg.seq <= rec.lastSeq) return;
    const now = this.#clock.monoNow();
    rec.lastSeq = msg.seq;
    rec.lastHeard = now;
    rec.last = msg;
    rec.fenced = false;
    if (msg.leaving) {
      rec.voteUntil = -Infinity;
    } else if (msg.view.includes(this.#config.self)) {
      const ack = msg.acks.find(
        (a) => a.node === this.#config.self && a.incarnation === this.#config.incarnation,
      );
      const sent = ack === undefined ? undefined : this.#sentAt.get(ack.seq);
      if (sent !== undefined) rec.voteUntil = Math.max(rec.voteUntil, sent + this.#peerTimeoutMs);
    } else {
      // It does not see us: whatever it acked before no longer holds.
      rec.voteUntil = -Infinity;
    }
    this.#update();
  }

  /** Re-evaluates timeouts and sends one heartbeat to every peer; re-arms the heartbeat timer. */
  tick(): void {
    if (this.#disposed) return;
    this.#heartbeatTimer?.cancel();
    this.#update();
    this.#sendHeartbeats();
    if (this.#started) this.#heartbeatTimer = this.#clock.setTimer(this.#heartbeatMs, () => this.tick());
  }

  /** This node runs (or may run) resources; announced in heartbeats. */
  setActive(active: boolean): void {
    this.#active = active;
  }

  /** `stonith-enabled` changed: a lost node that ran resources is `unclean` only with it. */
  setStonithEnabled(enabled: boolean): void {
    if (this.#stonith === enabled) return;
    this.#stonith = enabled;
    this.#update();
  }

  /** The holder-side end of this node's witness lease (-Infinity = not held). */
  setWitnessValidUntil(validUntil: number): void {
    if (this.#witnessUntil === validUntil) return;
    this.#witnessUntil = validUntil;
    this.#update();
  }

  setConfigVersion(version: number): void {
    this.#configVersion = version;
  }

  /** Fencing confirmed `node` is off: `unclean` → `fenced` until it is heard from again. */
  markFenced(node: NodeName): void {
    const rec = this.#peers.get(node);
    if (rec === undefined) return;
    rec.fenced = true;
    rec.voteUntil = -Infinity;
    this.#update();
  }

  /** A clean shutdown: announces `leaving` to every peer once (after stopping resources). */
  leave(): void {
    this.#leaving = true;
    this.#active = false;
    this.#sendHeartbeats();
  }

  dispose(): void {
    this.#disposed = true;
    this.#heartbeatTimer?.cancel();
    this.#expiryTimer?.cancel();
    this.#sub?.dispose();
    this.#listeners.length = 0;
    this.#quorumListeners.length = 0;
  }

  #sendHeartbeats(): void {
    const now = this.#clock.monoNow();
    const seq = this.#seq++;
    this.#sentAt.set(seq, now);
    // Keep only seqs that can still yield a live vote.
    const horizon = Math.ceil(this.#peerTimeoutMs / this.#heartbeatMs) * 4 + 8;
    this.#sentAt.delete(seq - horizon);
    const v = this.#view;
    const acks = v.members
      .filter((m) => m !== this.#config.self)
      .flatMap((m) => {
        const rec = this.#peers.get(m);
        return rec === undefined ? [] : [{ node: m, incarnation: rec.incarnation, seq: rec.lastSeq }];
      });
    const msg: Heartbeat = {
      kind: 'heartbeat',
      cluster: this.#config.cluster,
      node: this.#config.self,
      incarnation: this.#config.incarnation,
      seq,
      configVersion: this.#configVersion,
      dc: v.dc ?? '',
      dcEpoch: v.dcEpoch,
      view: [...v.members],
      acks,
      active: this.#active,
      witness: this.#witnessUntil >= now + this.#peerTimeoutMs,
      leaving: this.#leaving,
    };
    for (const name of this.#peers.keys()) this.#link.send(name, msg);
  }

  #update(): void {
    const prev = this.#view;
    const next = this.#compute();
    this.#view = next;
    this.#armExpiry(next);
    if (prev.quorum.validUntil !== next.quorum.validUntil || prev.quorate !== next.quorate) {
      for (const cb of [...this.#quorumListeners]) cb(next);
    }
    if (!sameView(prev, next)) this.#emit({ kind: 'view', view: next, previous: prev });
    const before = new Map(prev.nodes.map((n) => [n.name, n.state]));
    for (const n of next.nodes) {
      if (n.name === this.#config.self) continue;
      const was = before.get(n.name);
      if (was === 'member' && n.state !== 'member')
        this.#emit({ kind: 'node-lost', node: n.name, wasActive: n.active, view: next });
      if (was !== 'member' && n.state === 'member')
        this.#emit({ kind: 'node-joined', node: n.name, view: next });
    }
  }

  #emit(e: MembershipEvent): void {
    for (const cb of [...this.#listeners]) cb(e);
  }

  /** One timer at the earliest moment a member or a vote expires, so loss is seen on time. */
  #armExpiry(v: MembershipView): void {
    this.#expiryTimer?.cancel();
    this.#expiryTimer = undefined;
    if (!this.#started || this.#disposed) return;
    const now = this.#clock.monoNow();
    let at = Infinity;
    for (const rec of this.#peers.values()) {
      if (rec.lastHeard !== undefined && rec.lastHeard + this.#peerTimeoutMs > now)
        at = Math.min(at, rec.lastHeard + this.#peerTimeoutMs);
      if (rec.voteUntil > now) at = Math.min(at, rec.voteUntil);
    }
    if (this.#witnessUntil > now) at = Math.min(at, this.#witnessUntil);
    if (v.quorum.validUntil > now) at = Math.min(at, v.quorum.validUntil);
    if (!Number.isFinite(at)) return;
    this.#expiryTimer = this.#clock.setTimer(at - now, () => {
      this.#expiryTimer = undefined;
      this.#update();
    });
  }

  #compute(): MembershipView {
    const now = this.#clock.monoNow();
    const self = this.#config.self;
    const nodes: NodeView[] = [];
    const members: NodeName[] = [self];
    for (const rec of this.#peers.values()) {
      const heardRecently = rec.lastHeard !== undefined && now < rec.lastHeard + this.#peerTimeoutMs;
      const leaving = rec.last?.leaving ?? false;
      const isMember = heardRecently && !leaving && !rec.fenced;
      let state: NodeMembershipState;
      if (isMember) {
        state = 'member';
        rec.lostAt = undefined;
      } else {
        if (rec.lastHeard !== undefined && rec.lostAt === undefined) {
          rec.lostAt = leaving ? rec.lastHeard : Math.min(now, rec.lastHeard + this.#peerTimeoutMs);
        }
        if (leaving) state = 'left';
        else if (rec.fenced) state = 'fenced';
        else if (this.#stonith && (rec.last?.active ?? false)) state = 'unclean';
        else state = 'lost';
      }
      if (isMember) members.push(rec.name);
      const last = rec.last;
      const view: NodeView = {
        name: rec.name,
        state,
        incarnation: rec.incarnation,
        active: last?.active ?? false,
        configVersion: last?.configVersion ?? 0,
        dc: last?.dc ?? '',
        dcEpoch: last?.dcEpoch ?? 0,
        witness: isMember && (last?.witness ?? false),
      };
      if (rec.lastHeard !== undefined) view.lastHeardMono = rec.lastHeard as MonoMs;
      if (rec.lostAt !== undefined) view.lostAtMono = rec.lostAt as MonoMs;
      nodes.push(view);
    }
    nodes.push({
      name: self,
      state: 'member',
      incarnation: this.#config.incarnation,
      active: this.#active,
      configVersion: this.#configVersion,
      dc: '',
      dcEpoch: 0,
      witness: this.#witnessUntil > now,
    });
    members.sort();
    nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (members.length === this.#config.nodes.length) this.#seenAllOnce = true;

    const memberPeers = [...this.#peers.values()].filter((r) => members.includes(r.name));
    const agreed = memberPeers.every((r) => r.last !== undefined && sameList(r.last.view, members));
    // The witness vote: our own lease, or a member's claim (made only while its lease outlives
    // the claim's use: see Heartbeat.witness), for as long as that member's vote lasts.
    let witnessUntil = this.#witnessUntil;
    for (const r of memberPeers)
      if (r.last?.witness === true) witnessUntil = Math.max(witnessUntil, r.voteUntil);
    const quorum = computeQuorum({
      nodeCount: this.#config.nodes.length,
      options: this.#config.quorum ?? {},
      now,
      nodeVoteUntil: this.#config.nodes.map((n) =>
        n === self ? Infinity : (this.#peers.get(n)?.voteUntil ?? -Infinity),
      ),
      witnessUntil,
      seenAllOnce: this.#seenAllOnce,
    });
    const election = this.#election.decide({
      self,
      members,
      agreed,
      peers: memberPeers.map((r) => ({ name: r.name, dc: r.last?.dc ?? '', dcEpoch: r.last?.dcEpoch ?? 0 })),
    });
    for (const n of nodes) {
      if (n.name === self) {
        n.dc = election.dc;
        n.dcEpoch = election.dcEpoch;
      }
    }
    let maxConfigVersion = this.#configVersion;
    for (const r of memberPeers) maxConfigVersion = Math.max(maxConfigVersion, r.last?.configVersion ?? 0);
    const view: MembershipView = {
      cluster: this.#config.cluster,
      self,
      atMono: now,
      members,
      nodes,
      agreed,
      quorum,
      quorate: quorum.quorate,
      haveQuorum: quorum.quorate,
      dcEpoch: election.dcEpoch,
      isDc: election.isDc,
      maxConfigVersion,
    };
    if (election.dc !== '') view.dc = election.dc;
    return view;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Changes worth an event: membership, node states, agreement, quorum, DC. Not `atMono`/validUntil. */
function sameView(a: MembershipView, b: MembershipView): boolean {
  return (
    sameList(a.members, b.members) &&
    a.agreed === b.agreed &&
    a.quorate === b.quorate &&
    a.quorum.votes === b.quorum.votes &&
    a.quorum.witness === b.quorum.witness &&
    a.dc === b.dc &&
    a.dcEpoch === b.dcEpoch &&
    a.maxConfigVersion === b.maxConfigVersion &&
    a.nodes.length === b.nodes.length &&
    a.nodes.every((n, i) => n.state === b.nodes[i]?.state && n.active === b.nodes[i]?.active)
  );
}
