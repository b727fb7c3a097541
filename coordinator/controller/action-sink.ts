/**
 * The seam between the transition runner and the world (STYLE.md "One graph executor, side effects
 * passed in"): the runner hands every non-pseudo action of a transition to an `ActionSink`. Live,
 * the sink sends it to the node's agent over gRPC (the transport's implementation); in tests and
 * dry runs it is `SimulatedActionSink`; `RecordingActionSink` wraps either and keeps what ran.
 *
 * What the agent **reported** (`rc`, OCF 0–9, 190, 191) is kept apart from whether the action
 * **ran** (`status`), as the executor does: a timeout is `{ status: 'timeout' }`, never `rc: 1`.
 */
import type { ClusterConfig } from '../cib/model.ts';
import type { OpRecord } from '../cib/status.ts';
import type { Action } from '../scheduler/types.ts';

/**
 * Whether the action ran: the executor's ExecStatus values (agent/executor/exec-status.ts, same
 * strings) plus `not-connected` (the node could not be reached) and `no-fence-device`.
 */
export const ActionStatus = {
  done: 'done',
  cancelled: 'cancelled',
  timeout: 'timeout',
  notSupported: 'not-supported',
  error: 'error',
  errorHard: 'error-hard',
  errorFatal: 'error-fatal',
  notInstalled: 'not-installed',
  invalid: 'invalid',
  notConnected: 'not-connected',
  noFenceDevice: 'no-fence-device',
} as const;
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

/** The result of one action as the sink saw it. */
export interface ActionOutcome {
  status: ActionStatus;
  /** OCF return code the agent reported; absent when the action did not run to completion. */
  rc?: number;
  /** The agent's exit reason (`ocf_exit_reason`), or the sink's own explanation of a failure. */
  exitReason?: string;
  execTimeMs?: number;
  queueTimeMs?: number;
  /**
   * The history record the node's executor wrote, when it has one. The StatusRecorder keeps its
   * timings and digests but assigns the slot (`RSC_last_0`, …) and the call id itself.
   */
  record?: OpRecord;
}

export interface ActionContext {
  /** Aborted when the controller is disposed (or a sink must stop waiting); not on a transition abort. */
  signal: AbortSignal;
  /** The DC's election epoch: an agent refuses actions from an older DC. */
  dcEpoch: number;
  /** Sequence number of the transition the action belongs to. */
  transitionId: number;
  /** The configuration the transition was computed from (agent, parameters, timeouts). */
  config: ClusterConfig;
}

export interface ActionSink {
  /**
   * Runs one non-pseudo action and resolves with its outcome. Never rejects for an expected
   * failure (unreachable node, timeout, agent error): those are outcomes. A rejection is a bug and
   * is recorded as `{ status: 'error' }` by the runner.
   */
  execute(action: Action, ctx: ActionContext): Promise<ActionOutcome>;
}

/**
 * The OCF rc the transition expects from an action: 7 (not running) for probes, 0 otherwise.
 * (Probes finding a resource running are not failures, but they change the plan: see
 * `judgeOutcome`.)
 */
export function expectedRc(action: Action): number {
  return action.kind === 'probe' ? 7 : 0;
}

export type OutcomeJudgement =
  /** As the transition expected. */
  | 'expected'
  /** Not a failure, but the state differs from what the transition assumed (a probe found it running). */
  | 'unexpected'
  /** A failure: recorded as such (fail count, last_failure). */
  | 'failed';

/**
 * How the runner and the recorder read an outcome. Only a `done` status with the expected rc is
 * expected; probes returning 0 or 8 (running, promoted) are `unexpected` (not a failure, but the
 * transition must be recomputed before anything starts elsewhere: a start planned after that probe
 * would make the resource active twice); every other rc or status is `failed`.
 */
export function judgeOutcome(action: Action, outcome: ActionOutcome): OutcomeJudgement {
  if (outcome.status !== 'done') return 'failed';
  const rc = outcome.rc ?? 0;
  if (rc === expectedRc(action)) return 'expected';
  if (action.kind === 'probe' && (rc === 0 || rc === 8)) return 'unexpected';
  return 'failed';
}
