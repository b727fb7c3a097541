/**
 * The DC's controller: runs the scheduler on every change, executes its transitions through an
 * `ActionSink`, records results as Pacemaker's controller does, saves every scheduler input.
 * Other folders import from here, not from deep paths.
 */
export {
  ActionStatus,
  type ActionContext,
  type ActionOutcome,
  type ActionSink,
  type OutcomeJudgement,
  expectedRc,
  judgeOutcome,
} from './action-sink.ts';
export {
  type ActionResult,
  type RunOptions,
  type RunReport,
  TransitionRun,
  runTransition,
} from './transition-runner.ts';
export {
  type PeInputStore,
  FilePeInputStore,
  MemoryPeInputStore,
  peInputXml,
  parsePeInputXml,
  readPeInputFile,
} from './pe-input-store.ts';
export type {
  ControllerApi,
  ControllerLogger,
  ControllerOptions,
  ControllerSnapshot,
  FenceFailure,
  MembershipNodeState,
  MembershipView,
  OperationReport,
  TransitionEvent,
} from './controller-types.ts';
export { Controller } from './controller.ts';
export {
  type RecordedAction,
  RecordingActionSink,
  type ScriptedOutcome,
  SimulatedActionSink,
  type SimulatedSinkOptions,
} from './simulated-sink.ts';
export {
  CONTROLLER_FEATURE_SET,
  type OperationResult,
  type RecordContext,
  clearFailCounts,
  failCountName,
  lastFailureName,
  markFenced,
  opStatusOf,
  recordActionOutcome,
  recordOperation,
} from './status-recorder.ts';
export { applyTransitionSimulated, topologicalOrder } from './simulate-transition.ts';
export { applyMembership } from './membership-facts.ts';
export {
  type CleanupOptions,
  type CleanupResult,
  type LifetimeOptions,
  banConstraintId,
  banResource,
  cleanupStatus,
  clearResource,
  cliConstraints,
  moveResource,
  preferConstraintId,
  primitiveIdsOf,
  setStandby,
} from './admin.ts';
