/**
 * The contract between the executor (agent/executor) and tandem's built-in resource agents.
 *
 * A built-in agent runs in the executor's process (no fork). The same agent is also exposed as a
 * standalone OCF executable (provider `tandem`) that any OCF consumer can run; that wrapper maps
 * the OCF environment onto an AgentContext and the AgentResult onto the exit code and
 * `ocf-exit-reason:` lines.
 */
import type { Attributes } from '../coordinator/cib/model.ts';

/** OCF return codes (OCF RA API 1.1; 190/191 are Pacemaker's degraded codes). */
export const OcfRc = {
  ok: 0,
  errGeneric: 1,
  errArgs: 2,
  errUnimplemented: 3,
  errPerm: 4,
  errInstalled: 5,
  errConfigured: 6,
  notRunning: 7,
  runningPromoted: 8,
  failedPromoted: 9,
  degraded: 190,
  degradedPromoted: 191,
} as const;
export type OcfRc = (typeof OcfRc)[keyof typeof OcfRc];

/** Sets (or with value null, deletes) a transient node attribute, e.g. pingd, with dampening. */
export type SetNodeAttribute = (name: string, value: string | null, options?: { dampenMs?: number }) => void;

/** Something a built-in agent keeps running between its actions (ping's prober). */
export interface Resident {
  /** Stops it (its processes ended, timers cancelled); resolves when that is done. */
  dispose(): Promise<void>;
}

/**
 * Where a built-in agent keeps what outlives one action, by a key of its choosing (ping:INSTANCE).
 * Owned by whoever runs the agent (the executor), which disposes of everything left in it when it
 * is itself disposed. Absent in standalone mode (one process per action): agents then do each
 * action's work within the action.
 */
export interface Residents {
  get(key: string): Resident | undefined;
  /** Keeps `value` under `key`, disposing of what was there (not awaited; see `release`). */
  set(key: string, value: Resident): void;
  /** Removes and disposes of what is under `key` (nothing there: resolves at once). */
  release(key: string): Promise<void>;
}

export interface AgentContext {
  /** Resource instance name (OCF_RESOURCE_INSTANCE), e.g. `ClusterIP` or `ping:0`. */
  instance: string;
  /** Instance attributes with defaults from meta-data already applied (OCF_RESKEY_*). */
  params: Attributes;
  /** Meta attributes as Pacemaker passes them (OCF_RESKEY_CRM_meta_*), incl. timeout and interval in ms. */
  meta: Attributes;
  timeoutMs: number;
  intervalMs: number;
  /** Aborted when the operation times out or is cancelled; the agent must stop promptly. */
  signal: AbortSignal;
  /** Node attribute updates (the ping agent's pingd); absent where nothing consumes them. */
  setNodeAttribute?: SetNodeAttribute;
  /** Where the agent may keep state files (Dummy's state, …): HA_RSCTMP in OCF terms. */
  stateDir: string;
  /** Long-lived helpers kept between actions; absent in standalone mode. */
  residents?: Residents;
}

export interface AgentResult {
  rc: OcfRc;
  /** One line for humans, like OCF's `ocf-exit-reason:`. */
  exitReason?: string;
  /** Output (stdout for meta-data), bounded by the agent. */
  output?: string;
}

export interface BuiltinAgent {
  readonly provider: 'tandem';
  readonly type: string;
  /** OCF 1.1 meta-data XML. */
  metaData(): string;
  /** start, stop, monitor, validate-all, meta-data, … Unknown actions → errUnimplemented. */
  run(action: string, ctx: AgentContext): Promise<AgentResult>;
}
