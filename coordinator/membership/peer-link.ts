import type { MembershipMessage, NodeName } from './types.ts';

export interface Subscription {
  /** Idempotent. */
  dispose(): void;
}

/**
 * The link between nodes, as the membership sees it. Implemented by the in-memory simulation
 * network (test/sim) and by the gRPC transport. Contract:
 * - `send` never throws and never blocks; a message may be lost, delayed or reordered.
 * - `onMessage` delivers `from` as the authenticated sender; the transport drops messages from
 *   unauthenticated peers before they get here.
 */
export interface PeerLink<M = MembershipMessage> {
  send(to: NodeName, msg: M): void;
  onMessage(cb: (from: NodeName, msg: M) => void): Subscription;
}
