/**
 * Fencing: fence agents run by the fence-agents conventions (options on stdin, exit 0 = success),
 * fence devices from the configuration's `stonith:` primitives, and an ActionSink that runs the
 * controller's `fence` actions with them.
 */
export {
  type FenceDevice,
  DEFAULT_STONITH_TIMEOUT_MS,
  fenceAgentInput,
  fenceDevices,
  parseHostMap,
  parseListOutput,
} from './fence-devices.ts';
export {
  type FenceProcessOutcome,
  type FenceProcessRequest,
  type FenceProcessResult,
  type FenceProcessRunner,
  spawnFenceProcessRunner,
} from './fence-process.ts';
export {
  type FenceAction,
  type FenceAttempt,
  type FenceResult,
  type FenceRunnerOptions,
  DEFAULT_FENCE_AGENT_DIR,
  FenceRunner,
} from './fence-runner.ts';
export { type FencingSinkOptions, FencingActionSink } from './fencing-sink.ts';
