/**
 * Membership and quorum types: the pure message the transport carries, the configuration, and the
 * view the controller, `tandem status` and the lease keeper read. These names are a published
 * contract (the transport and controller code against them): extend, do not rename.
 */
import type { MonoMs } from '../../agent/executor/clock.ts';

export type NodeName = string;

/**
 * A node as the membership layer sees it (the controller's `MembershipNodeState`).
 * - `member`: heard from within `peerTimeoutMs` (this node is always a member of its own view).
 * - `lost`: not heard from within `peerTimeoutMs` (or never seen since this process started);
 *   with stonith disabled it is simply down.
 * - `unclean`: lost while it ran resources, with `stonith-enabled=true`: must be fenced before its
 *   resources are recovered.
 * - `fenced`: fencing confirmed it is off (`markFenced`); stays so until it is heard from again.
 * - `left`: said goodbye (a clean shutdown after stopping its resources).
 */
export const NodeMembershipState = {
  member: 'member',
  lost: 'lost',
  unclean: 'unclean',
  fenced: 'fenced',
  left: 'left',
} as const;
export type NodeMembershipState = (typeof NodeMembershipState)[keyof typeof NodeMembershipState];

/** The last heartbeat seq this node received from a peer: echoed so the peer can time its vote. */
export interface HeartbeatAck {
  node: NodeName;
  /** The peer's incarnation the seq belongs to. */
  incarnation: string;
  seq: number;
}

/**
 * One heartbeat, sent every `heartbeatIntervalMs` to every configured peer. Pure data: the
 * transport maps it 1:1 to protobuf (`dc: ''` ⇔ absent).
 */
export interface Heartbeat {
  kind: 'heartbeat';
  cluster: string;
  /** The sender; the transport drops a message whose `node` is not the authenticated peer. */
  node: NodeName;
  /** Boot id: new per process start. A new incarnation resets `seq`. */
  incarnation: string;
  /** Increases by one per heartbeat within an incarnation. */
  seq: number;
  /** The sender's configuration version (the newer version wins after a partition heals). */
  configVersion: number;
  /** The DC as the sender sees it ('' = none known). */
  dc: NodeName;
  /** The sender's DC epoch: the highest it has seen or issued. */
  dcEpoch: number;
  /** The sender's members, sorted (its own name included). */
  view: NodeName[];
  /** For each peer in `view`: the last seq received from it (the receiver times its vote from it). */
  acks: HeartbeatAck[];
  /** The sender runs (or may be running) resources. A lost active node is unclean with stonith. */
  active: boolean;
  /**
   * The sender holds the witness lease with at least `peerTimeoutMs` of validity left, so its
   * partition may count the witness vote for as long as the sender stays a member.
   */
  witness: boolean;
  /** A clean shutdown: the sender stopped its resources and leaves (state `left`). */
  leaving: boolean;
}

export type MembershipMessage = Heartbeat;

export interface QuorumOptions {
  /**
   * corosync `two_node`: with exactly two configured nodes and no witness, one node alone is
   * quorate. Default: on for two nodes without a witness, off otherwise (a witness turns it off).
   */
  twoNode?: boolean;
  /**
   * corosync `wait_for_all`: quorate for the first time only after every configured node was seen
   * at once. Default: on when `twoNode` is on, else off.
   */
  waitForAll?: boolean;
  /** A witness (third vote) is configured: expected votes = nodes + 1. */
  witness?: boolean;
}

export interface MembershipConfig {
  cluster: string;
  /** This node's name; must be in `nodes`. */
  self: NodeName;
  /** Every configured node (this one included). */
  nodes: readonly NodeName[];
  /** This process's boot id (e.g. a random UUID at start). */
  incarnation: string;
  /** Default 100 ms. */
  heartbeatIntervalMs?: number;
  /** A peer not heard from for this long is lost. Default 400 ms (a dead peer noticed within ~0.5 s). */
  peerTimeoutMs?: number;
  quorum?: QuorumOptions;
  /** `stonith-enabled`: a lost active node becomes `unclean` instead of `lost`. Default false. */
  stonithEnabled?: boolean;
  /** Initial configuration version announced in heartbeats. Default 0. */
  configVersion?: number;
}

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 100;
export const DEFAULT_PEER_TIMEOUT_MS = 400;

/** Votequorum state of this node's partition, computed by `computeQuorum`. */
export interface QuorumState {
  /** Votes counted now: members with a live vote, plus the witness when this partition holds it. */
  votes: number;
  /** Configured nodes, plus one with a witness. */
  expectedVotes: number;
  /** Votes needed: floor(expected / 2) + 1, or 1 under two_node. */
  needed: number;
  twoNode: boolean;
  waitForAll: boolean;
  /** wait_for_all holds quorum back: not every node has been seen at once yet. */
  waitingForAll: boolean;
  witness: 'none' | 'held' | 'not-held';
  quorate: boolean;
  /**
   * Monotonic time until which this node's quorum is certain without further messages: the
   * `needed`-th largest vote validity (self = Infinity, peer = send time of the heartbeat it acked +
   * peerTimeout, witness = the holder's own lease end). `-Infinity` when not quorate. The lease
   * keeper renews from this.
   */
  validUntil: number;
}

export interface NodeView {
  name: NodeName;
  state: NodeMembershipState;
  /** Last incarnation heard from ('' = never). */
  incarnation: string;
  /** Monotonic time of the last heartbeat received (absent: never). */
  lastHeardMono?: MonoMs;
  /** Monotonic time it became lost/unclean (absent while member or never seen). */
  lostAtMono?: MonoMs;
  /** Its last heartbeat said it runs resources (for self: `setActive`). */
  active: boolean;
  configVersion: number;
  /** The DC it names ('' = none). */
  dc: NodeName;
  dcEpoch: number;
  /** It announced holding the witness lease. */
  witness: boolean;
}

/** What the controller, status and the lease keeper read. Names are stable. */
export interface MembershipView {
  cluster: string;
  self: NodeName;
  /** When this view was computed (monotonic). */
  atMono: MonoMs;
  /** Members of this node's partition, sorted; always includes self. */
  members: NodeName[];
  /** Every configured node, sorted by name. */
  nodes: NodeView[];
  /** Every member reports exactly `members` as its view: the election has settled. */
  agreed: boolean;
  quorum: QuorumState;
  /** = quorum.quorate. */
  quorate: boolean;
  /** Alias of `quorate` for the controller's `MembershipView`. */
  haveQuorum: boolean;
  /** The DC of this partition (absent while the election has not settled). */
  dc?: NodeName;
  /** The DC's epoch (fencing token every DC request carries). 0 = none yet. */
  dcEpoch: number;
  /** This node is the DC. */
  isDc: boolean;
  /** Highest configuration version announced by any member. */
  maxConfigVersion: number;
}

export type MembershipEvent =
  | { kind: 'view'; view: MembershipView; previous: MembershipView }
  | { kind: 'node-lost'; node: NodeName; wasActive: boolean; view: MembershipView }
  | { kind: 'node-joined'; node: NodeName; view: MembershipView };
