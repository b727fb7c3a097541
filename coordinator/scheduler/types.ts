/**
 * The scheduler's input and output: `schedule({ config, status, now }) → Transition`.
 *
 * Pure data. The Transition is what the controller executes (actions + "must happen before"
 * edges), what `tandem simulate` prints, and what `status --explain` reads (explanation).
 */
import type { ClusterConfig, Score } from '../cib/model.ts';
import type { ClusterStatus } from '../cib/status.ts';

export interface ScheduleInput {
  config: ClusterConfig;
  status: ClusterStatus;
  /** Wall-clock time, milliseconds since the epoch (the scheduler reads no clock). */
  now: number;
}

export type ActionKind =
  | 'start'
  | 'stop'
  | 'promote'
  | 'demote'
  | 'monitor' // recurring monitor (intervalMs > 0)
  | 'probe' // one-shot monitor, interval 0
  | 'cancel' // cancel a recurring monitor (intervalMs says which)
  | 'fence'
  | 'shutdown'
  | 'clear_failcount'
  | 'delete';

export interface Action {
  /** Unique within a transition, e.g. `start ClusterIP rsha2`, `monitor ClusterIP rsha2 30000`. */
  id: string;
  kind: ActionKind;
  /** Primitive id (anonymous clone instances use the primitive id; `instance` tells them apart). */
  rsc?: string;
  /** Instance label when the primitive is a clone instance, e.g. `ping:1`. */
  instance?: string;
  node?: string;
  intervalMs?: number;
  timeoutMs?: number;
  /** For fence: reboot or off. */
  fenceAction?: 'reboot' | 'off';
  /**
   * Pseudo actions (group/clone start/stop markers, stops implied by fencing) carry ordering
   * but are not executed and are not printed in `--summary`.
   */
  pseudo: boolean;
  /** Why this action exists, for humans ("ClusterIP moves: rsha1 lost the pingd rule"). */
  reason?: string;
}

/** A must complete before B may begin (action ids). */
export interface OrderingEdge {
  before: string;
  after: string;
}

export type NodeFlag = 'standby' | 'standby_onfail' | 'maintenance' | 'pending' | 'unclean' | 'shutdown';

export interface NodeView {
  name: string;
  online: boolean;
  flags: NodeFlag[];
}

export type ResourceFlag =
  | 'promoted'
  | 'unpromoted'
  | 'failed'
  | 'blocked'
  | 'unmanaged'
  | 'orphaned'
  | 'failure-ignored'
  | 'multiple';

/** One primitive instance: where it runs now and where it runs after the transition. */
export interface ResourceView {
  /** Primitive id (clone instances share it). */
  rsc: string;
  /** Instance label: `ping:0` for clone instances, else the primitive id. */
  instance: string;
  /** Enclosing group / clone ids, when any. */
  group?: string;
  clone?: string;
  /** Nodes it is active on now (more than one = multiple-active). */
  current: string[];
  /** Node after the transition, or null = stopped. */
  next: string | null;
  /** Flags in the state after the transition. */
  flags: ResourceFlag[];
  agent: string;
}

export interface NodeScore {
  rsc: string;
  node: string;
  score: Score;
}

export interface Explanation {
  /** Allocation scores as `crm_simulate -s` prints them (per resource instance and node). */
  scores: NodeScore[];
  /** Why a resource is not placed somewhere, or not at all (human readable). */
  reasons: { rsc: string; node?: string; reason: string }[];
}

export interface Transition {
  /** Nodes in their state after the transition. */
  nodes: NodeView[];
  resources: ResourceView[];
  actions: Action[];
  edges: OrderingEdge[];
  /** When to run the scheduler again even if nothing changes (failure-timeout expiry), ms epoch. */
  recheckAt?: number;
  explanation: Explanation;
}
