/**
 * Membership (heartbeats), quorum (votequorum semantics + optional witness vote) and the link
 * contract the transport implements. The DC is computed by `coordinator/election` and reported in
 * the same `MembershipView`.
 */
export type {
  Heartbeat,
  HeartbeatAck,
  MembershipConfig,
  MembershipEvent,
  MembershipMessage,
  MembershipView,
  NodeName,
  NodeView,
  QuorumOptions,
  QuorumState,
} from './types.ts';
export { DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_PEER_TIMEOUT_MS, NodeMembershipState } from './types.ts';
export type { PeerLink, Subscription } from './peer-link.ts';
export type { QuorumInput } from './quorum.ts';
export { computeQuorum, resolveQuorumOptions } from './quorum.ts';
export type { MembershipOptions } from './membership.ts';
export { Membership, MembershipConfigError } from './membership.ts';
export type { SafetyInput, SafetyProfile } from './safety.ts';
export { safetyProfile } from './safety.ts';
