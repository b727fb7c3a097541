/**
 * Cluster state: what the scheduler reads besides the configuration. Mirrors the `<status>` section
 * of a Pacemaker CIB (node_state, transient attributes, lrm operation history) so that CIB XML
 * imports without loss of meaning and tandem's own controller records the same facts.
 *
 * Times are wall-clock seconds since the epoch (Pacemaker writes seconds: last-rc-change, last-run).
 */
import type { AgentRef, Attributes } from './model.ts';

/** The executor's operation status (`op-status` in the CIB; Pacemaker's PCMK_EXEC_*). */
export const OpStatus = {
  pending: -1,
  done: 0,
  cancelled: 1,
  timeout: 2,
  notSupported: 3,
  error: 4,
  errorHard: 5,
  errorFatal: 6,
  notInstalled: 7,
  notConnected: 8,
  invalid: 9,
  noFenceDevice: 10,
  noSecrets: 11,
} as const;
export type OpStatus = (typeof OpStatus)[keyof typeof OpStatus];

/** One `<lrm_rsc_op>`: the last result of an operation of a resource on a node. */
export interface OpRecord {
  /** Pacemaker's op key (`ClusterIP_monitor_10000`, `ClusterIP_last_0`, `ClusterIP_last_failure_0`). */
  id: string;
  /** The action: start, stop, monitor, promote, … */
  operation: string;
  intervalMs: number;
  callId: number;
  /** OCF return code the agent reported. */
  rc: number;
  /** Whether the action ran (done, timeout, error, …). */
  opStatus: OpStatus;
  /** Expected rc (from transition-key), 0 or 7 for probes; absent means 0. */
  targetRc?: number;
  lastRcChange?: number;
  lastRun?: number;
  execTimeMs?: number;
  queueTimeMs?: number;
  /** Digest of the parameters the operation ran with; absent reads as a changed definition. */
  opDigest?: string;
  transitionKey?: string;
  transitionMagic?: string;
  crmFeatureSet?: string;
  onNode?: string;
  exitReason?: string;
  /** `operation_key` (`ClusterIP_start_0`): action + interval; `id` is the history slot (`ClusterIP_last_0`). */
  operationKey?: string;
  /** Other lrm_rsc_op attributes kept verbatim (op-restart-digest, op-force-restart, op-secure-params, …). */
  attributes?: Attributes;
}

/** One `<lrm_resource>`: the operation history of one resource (or clone instance) on one node. */
export interface ResourceHistory {
  /** Resource id as recorded: `ClusterIP`, or for old anonymous clone histories `ping:1`. */
  id: string;
  agent: AgentRef;
  ops: OpRecord[];
}

export interface NodeState {
  /** Node name (uname). */
  name: string;
  id?: string;
  /** Member of the membership layer (corosync / tandem membership). */
  inCcm: boolean;
  /** The node's controller is up. */
  crmd: 'online' | 'offline';
  join: 'member' | 'down' | 'pending' | 'banned';
  expected: 'member' | 'down';
  /** Transient attributes: pingd, fail-count-RSC#op_INTERVAL, last-failure-…, shutdown, … */
  transientAttributes: Attributes;
  history: ResourceHistory[];
}

export interface ClusterStatus {
  /** The DC (designated controller), when one is known. */
  dc?: string;
  haveQuorum: boolean;
  /** Feature set the state was written with; fail counts per operation need ≥ 3.0.13. */
  crmFeatureSet?: string;
  nodes: NodeState[];
}

export function emptyStatus(): ClusterStatus {
  return { haveQuorum: true, nodes: [] };
}
