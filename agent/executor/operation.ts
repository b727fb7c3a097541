/** What the executor is asked to run and what it answers. */
import type { AgentRef, Attributes } from '../../coordinator/cib/model.ts';
import type { WallMs } from './clock.ts';
import type { ExecStatus } from './exec-status.ts';
import type { OcfRc } from './ocf-rc.ts';

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface OperationRequest {
  /** Resource instance (OCF_RESOURCE_INSTANCE), e.g. `ClusterIP` or `ping:0`. */
  resource: string;
  agent: AgentRef;
  /** start, stop, monitor, meta-data, validate-all, … (monitor of an LSB script runs `status`). */
  action: string;
  /** 0 for one-shot actions and probes. */
  intervalMs?: number;
  /** Default 20 s (Pacemaker's default op timeout). */
  timeoutMs?: number;
  /** Instance attributes (OCF_RESKEY_NAME). */
  params?: Attributes;
  /** Meta attributes (OCF_RESKEY_CRM_meta_NAME, `-` → `_`); timeout, interval and name are set from the op. */
  meta?: Attributes;
  /** The rc that counts as success: 0, or 7 for a probe that expects the resource stopped. */
  expectedRc?: number;
  /** OCF_CHECK_LEVEL (monitor depth), passed without the OCF_RESKEY_ prefix. */
  checkLevel?: string;
  /** Cancels this operation (queued or running). */
  signal?: AbortSignal;
}

export interface OperationResult {
  /** Increasing per executor, like Pacemaker's call-id. */
  callId: number;
  resource: string;
  action: string;
  intervalMs: number;
  /** `RSC_ACTION_INTERVAL`, e.g. `ClusterIP_monitor_10000`. */
  opKey: string;
  /** Whether the action ran. */
  status: ExecStatus;
  /** What the agent reported; absent when it did not report (timeout, cancelled, crashed, …). */
  rc?: OcfRc;
  /** The raw exit code of a forked agent (LSB codes before mapping; codes OCF does not define). */
  exitCode?: number;
  exitReason?: string;
  /** stdout, bounded. */
  output: string;
  /** stderr, bounded. */
  stderr: string;
  /** Wall time the action started. */
  startedAt: WallMs;
  /** Monotonic run time. */
  durationMs: number;
  /** Monotonic time spent waiting in the resource's queue and for a concurrency slot. */
  queueTimeMs: number;
  expectedRc: number;
  /** Unknown parameters and the like: the action ran anyway. */
  warnings: string[];
}

/** Pacemaker's op key: `ClusterIP_monitor_10000`. */
export function opKey(resource: string, action: string, intervalMs: number): string {
  return `${resource}_${action}_${intervalMs}`;
}

/** Succeeded: it ran and reported what was expected (degraded counts as running, as in Pacemaker). */
export function isSuccess(result: Pick<OperationResult, 'status' | 'rc' | 'expectedRc'>): boolean {
  if (result.status !== 'done' || result.rc === undefined) return false;
  if (result.rc === result.expectedRc) return true;
  return result.expectedRc === 0 && result.rc === 190;
}
