/**
 * The Controller's inputs and outputs (the DC's event loop): what tandemd feeds it and what it
 * reports. Kept apart from the implementation so the daemon and the transport can code against it.
 */
import type { Clock } from '../../agent/executor/clock.ts';
import type { ClusterConfig } from '../cib/model.ts';
import type { ClusterStatus } from '../cib/status.ts';
import type { Transition } from '../scheduler/types.ts';
import type { ActionOutcome, ActionSink } from './action-sink.ts';
import type { PeInputStore } from './pe-input-store.ts';
import type { RunReport } from './transition-runner.ts';
import type { Result } from '../cib/result.ts';
import type { CleanupResult } from './admin.ts';

/**
 * A node as the membership layer sees it.
 * - `member`: in the membership, its daemon is up.
 * - `lost`: gone without saying goodbye: unclean when stonith is enabled, else simply down.
 * - `unclean`: the membership knows it must be fenced before its resources are recovered.
 * - `fenced`: fencing confirmed it is off: down, its resources stopped.
 * - `left`: a clean shutdown (it stopped its resources first).
 */
export type MembershipNodeState = 'member' | 'lost' | 'unclean' | 'fenced' | 'left';

export interface MembershipView {
  nodes: { name: string; state: MembershipNodeState; id?: string }[];
  haveQuorum: boolean;
}

/** An operation result the DC did not ask for in a transition: a recurring monitor's change. */
export interface OperationReport {
  node: string;
  /** Primitive id (for clone instances too). */
  rsc: string;
  operation: string;
  intervalMs: number;
  outcome: ActionOutcome;
}

/** The subset of a pino logger the controller uses (object first, constant message). */
export interface ControllerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ControllerOptions {
  /** This node's name: the DC (written to status.dc). */
  nodeName: string;
  /** The DC's election epoch, passed to every action so agents refuse an older DC. */
  dcEpoch: number;
  config: ClusterConfig;
  /** Initial status (default: empty: every node's history unknown, so probes come first). */
  status?: ClusterStatus;
  clock: Clock;
  /** Runs the actions (gRPC to agents live; `SimulatedActionSink` in tests). Fence actions too. */
  sink: ActionSink;
  /** Where every scheduler input is saved (default: nowhere). */
  peInputs?: PeInputStore;
  /** Actions running at once within a transition (default 8). */
  maxConcurrentActions?: number;
  /** Fallback recheck when the scheduler names no recheck time (cluster-recheck-interval, default 15 min; 0 = none). */
  recheckIntervalMs?: number;
  /** Wait before rescheduling after a failed fence (default 2 s). */
  fenceRetryDelayMs?: number;
  /**
   * Wait before rescheduling after actions that did not run (refused as `cancelled`, e.g. a start
   * refused by a node whose quorum lease lapsed for a moment; or `not-connected`), default 500 ms.
   */
  retryDelayMs?: number;
  /** Fence attempts per node before giving up until the next event (stonith-max-attempts, default 10). */
  maxFenceAttempts?: number;
  log?: ControllerLogger;
  /** Called after every transition (completed or aborted), for status and logs. */
  onTransition?: (event: TransitionEvent) => void;
  /**
   * Called each time the scheduler has run, before any of its actions: the status it planned from
   * (fail counts included) is final for that transition, so the daemon hands each node its fail
   * counts here, before the DC acts on them.
   */
  onScheduled?: () => void;
}

export interface TransitionEvent {
  id: number;
  transition: Transition;
  report: RunReport;
  /** The saved scheduler input, when a store is configured. */
  peInput?: string;
}

/** A fence action that failed: recovery of that node's resources is blocked until it succeeds. */
export interface FenceFailure {
  node: string;
  attempts: number;
  /** Wall ms of the last failure. */
  at: number;
  reason: string;
}

export interface ControllerSnapshot {
  config: ClusterConfig;
  status: ClusterStatus;
  /** The last transition computed (running or finished). */
  transition?: Transition;
  transitionId: number;
  running: boolean;
  fenceFailures: FenceFailure[];
  /** Wall ms of the next scheduled recheck, if armed. */
  recheckAt?: number;
}

/**
 * The controller's event methods (implemented by `Controller`; `new Controller(options)`). Every
 * event marks the state dirty and, while a transition runs, aborts it (running actions finish,
 * nothing new starts, then the scheduler runs again): Pacemaker aborts on every CIB change the
 * transition did not itself cause. At most one transition runs at a time.
 */
export interface ControllerApi {
  /** The membership view changed (also the first view: nothing is scheduled before it). */
  membershipChanged(view: MembershipView): void;
  /** Transient node attributes changed (`pingd`, …); `null` deletes one. */
  nodeAttributesChanged(node: string, changes: Record<string, string | null>): void;
  /** A result the DC did not ask for: a recurring monitor failed (or recovered). */
  operationResult(report: OperationReport): void;
  /** The configuration changed (a committed edit or a newer replicated version). */
  configChanged(config: ClusterConfig): void;
  /** `tandem resource cleanup [rsc] [node]`: forget history and fail counts, which re-probes. */
  cleanup(rsc?: string, node?: string, options?: { refresh?: boolean }): Result<CleanupResult>;
  /** Run the scheduler now even if nothing changed. */
  requestRecheck(): void;
  snapshot(): ControllerSnapshot;
  /** Resolves when no transition runs and nothing is pending (tests, shutdown). */
  idle(): Promise<void>;
  /** Cancels timers, stops starting actions, waits for running ones; idempotent. */
  dispose(): Promise<void>;
}
