import type { NodeName } from '../membership/types.ts';

/** What the membership knows when it asks who the DC is. */
export interface ElectionInput {
  self: NodeName;
  /** This partition's members, sorted, self included. */
  members: readonly NodeName[];
  /** Every member reports exactly `members` as its view. */
  agreed: boolean;
  /** Each peer member's last claim: the DC it names ('' = none) and its epoch. */
  peers: readonly { name: NodeName; dc: NodeName; dcEpoch: number }[];
}

export interface ElectionState {
  /** The DC ('' = none settled yet). */
  dc: NodeName;
  /** The DC's epoch; 0 = none yet. Strictly increases each time this node becomes DC. */
  dcEpoch: number;
  isDc: boolean;
  /** The highest epoch this node has seen (own or a peer's). */
  maxEpochSeen: number;
}

/**
 * DC election, pluggable: the embedded one (lowest agreed member name) is the default; a ZooKeeper
 * leader latch can implement the same surface. `decide` is called on every membership change and
 * must be deterministic in its input and its own previous state.
 */
export interface Election {
  readonly kind: string;
  decide(input: ElectionInput): ElectionState;
  current(): ElectionState;
}
