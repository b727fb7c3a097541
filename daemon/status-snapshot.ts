/**
 * What a daemon answers to `Status` (StatusReply.status_json): the raw facts the CLI renders
 * (`tandem status` builds its text, JSON and XML from this). Produced by the DC; a node without a
 * DC answers with what it knows alone (`source: 'local'`).
 */
import type { ClusterConfig, ClusterStatus } from '../coordinator/cib/index.ts';
import type { FenceFailure } from '../coordinator/controller/index.ts';
import type { QuorumState } from '../coordinator/membership/index.ts';

export interface StatusSnapshot {
  /** Format of this document; bumped on incompatible change. */
  snapshotVersion: 1;
  /** 'dc': the DC's view; 'local': no DC reachable, this node's own knowledge. */
  source: 'dc' | 'local';
  /** The node that answered (the DC, or the local node). */
  answeredBy: string;
  /** The node the CLI ran on. */
  localNode: string;
  config: ClusterConfig;
  status: ClusterStatus;
  /** Wall ms at which the snapshot was taken. */
  now: number;
  /** Wall ms of the last configuration change this daemon stored. */
  lastChange?: number;
  dcEpoch: number;
  quorum: QuorumState;
  /** Membership state per configured node. */
  membership: { name: string; state: string }[];
  /** The witness as this node sees it: kind, holder ('' none) and whether this node holds it. */
  witness: { kind: 'none' | 'redis' | 'memory'; address?: string; holder: string; error?: string };
  /** Lease of the answering node: may it run resources, until when (ms from now; null = no expiry). */
  lease: { node: string; mayRun: boolean; remainingMs: number | null };
  fenceFailures: FenceFailure[];
  /** Transition running on the DC. */
  transitionRunning: boolean;
}
