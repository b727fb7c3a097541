import type { QuorumOptions, QuorumState } from './types.ts';

export interface QuorumInput {
  /** Configured node count. */
  nodeCount: number;
  options: QuorumOptions;
  /** Current monotonic time. */
  now: number;
  /**
   * Until when each node's vote counts, one entry per configured node (self = Infinity, a peer =
   * send time of the heartbeat it acked + peerTimeout, -Infinity = no vote).
   */
  nodeVoteUntil: readonly number[];
  /** Until when this partition holds the witness vote (-Infinity = not held). Ignored without a witness. */
  witnessUntil: number;
  /** Every configured node has been a member at the same time at least once (wait_for_all). */
  seenAllOnce: boolean;
}

/** two_node / wait_for_all as corosync votequorum resolves them from the options and node count. */
export function resolveQuorumOptions(
  nodeCount: number,
  options: QuorumOptions,
): { twoNode: boolean; waitForAll: boolean; witness: boolean } {
  const witness = options.witness ?? false;
  // votequorum auto-disables two_node with more than two nodes; a witness makes it pointless.
  const twoNode = !witness && nodeCount === 2 && (options.twoNode ?? true);
  const waitForAll = options.waitForAll ?? twoNode;
  return { twoNode, waitForAll, witness };
}

/**
 * corosync votequorum, as a pure function: one vote per node plus one for the witness;
 * expected = nodes (+1); quorate = votes ≥ floor(expected/2)+1 (i.e. votes > expected/2), or ≥ 1
 * under two_node; wait_for_all holds quorum back until every node was seen at once.
 * `validUntil` is the `needed`-th largest vote validity: quorum is certain until then even if no
 * further message arrives.
 */
export function computeQuorum(input: QuorumInput): QuorumState {
  const { twoNode, waitForAll, witness } = resolveQuorumOptions(input.nodeCount, input.options);
  const expectedVotes = input.nodeCount + (witness ? 1 : 0);
  const needed = twoNode ? 1 : Math.floor(expectedVotes / 2) + 1;
  const validities = [...input.nodeVoteUntil];
  if (witness) validities.push(input.witnessUntil);
  const live = validities.filter((v) => v > input.now).sort((a, b) => b - a);
  const votes = live.length;
  const waitingForAll = waitForAll && !input.seenAllOnce;
  const quorate = votes >= needed && !waitingForAll;
  const validUntil = quorate ? (live[needed - 1] ?? -Infinity) : -Infinity;
  const witnessState = !witness ? 'none' : input.witnessUntil > input.now ? 'held' : 'not-held';
  return {
    votes,
    expectedVotes,
    needed,
    twoNode,
    waitForAll,
    waitingForAll,
    witness: witnessState,
    quorate,
    validUntil,
  };
}
