/** One standard's way of running an action (OCF fork, LSB fork, built-in in-process). */
import type { AgentRef, Attributes } from '../../coordinator/cib/model.ts';
import type { ParseResult } from '../../coordinator/cib/score.ts';
import type { ExecStatus } from './exec-status.ts';
import type { AgentMetaData } from './meta-data.ts';
import type { OcfRc } from './ocf-rc.ts';

/** A request with every default resolved, as a runner receives it. */
export interface RunInput {
  resource: string;
  agent: AgentRef;
  action: string;
  intervalMs: number;
  timeoutMs: number;
  params: Attributes;
  meta: Attributes;
  checkLevel?: string;
  /** Aborted when the operation is cancelled. */
  signal: AbortSignal;
}

export interface RunOutcome {
  status: ExecStatus;
  rc?: OcfRc;
  exitCode?: number;
  exitReason?: string;
  output: string;
  stderr: string;
}

export interface MetaDataAnswer {
  xml: string;
  meta: AgentMetaData;
}

export interface AgentRunner {
  run(input: RunInput): Promise<RunOutcome>;
  /** The agent's meta-data (cached where that is safe). */
  metaData(agent: AgentRef): Promise<ParseResult<MetaDataAnswer>>;
}

/** Timeout text as Pacemaker words it. */
export function timeoutReason(timeoutMs: number): string {
  const s = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000}s` : `${timeoutMs}ms`;
  return `Resource agent did not complete within ${s}`;
}
