/**
 * Operation history per resource, recorded as the CIB's `<lrm_rsc_op>` entries (OpRecord) so the
 * coordinator reads the same facts from tandem as from a Pacemaker CIB: recurring operations under
 * their op key (`RSC_monitor_10000`), the last one-shot operation under `RSC_last_0`, the last
 * failure under `RSC_last_failure_0`. Times are wall seconds, as Pacemaker writes them.
 *
 * A timeout is recorded with rc 1 and op-status 2, as Pacemaker writes it; the OperationResult
 * itself carries no rc for it.
 */
import { createHash } from 'node:crypto';
import type { AgentRef, Attributes } from '../../coordinator/cib/model.ts';
import type { OpRecord, ResourceHistory } from '../../coordinator/cib/status.ts';
import { toOpStatus } from './exec-status.ts';
import { CRM_FEATURE_SET } from './ocf-environment.ts';
import { OcfRc } from './ocf-rc.ts';
import type { OperationResult } from './operation.ts';
import { isSuccess } from './operation.ts';

/** A digest of the parameters an operation ran with (sorted name=value lines, md5 like Pacemaker's). */
/**
 * Digests by parameters object: a recurring monitor passes the same object on every run, so its
 * digest (an md5) is computed once, not at every run (steady-state CPU of many monitors).
 * Parameter objects are not mutated once handed to the executor.
 */
const digests = new WeakMap<Attributes, string>();

export function paramsDigest(params: Attributes): string {
  const known = digests.get(params);
  if (known !== undefined) return known;
  const digest = computeDigest(params);
  digests.set(params, digest);
  return digest;
}

function computeDigest(params: Attributes): string {
  const text = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k] ?? ''}`)
    .join('\n');
  return createHash('md5').update(text).digest('hex');
}

interface Entry {
  agent: AgentRef;
  ops: Map<string, OpRecord>;
}

export class OpHistory {
  readonly #byResource = new Map<string, Entry>();

  record(result: OperationResult, agent: AgentRef, params: Attributes, nodeName: string | undefined): void {
    if (result.status === 'cancelled' || result.status === 'pending') return;
    let entry = this.#byResource.get(result.resource);
    if (entry === undefined) {
      entry = { agent, ops: new Map() };
      this.#byResource.set(result.resource, entry);
    }
    entry.agent = agent;
    const nowS = Math.floor(result.startedAt / 1000);
    const opStatus = toOpStatus(result.status);
    const rc = result.rc ?? OcfRc.errGeneric;
    const base = {
      operation: result.action,
      intervalMs: result.intervalMs,
      callId: result.callId,
      rc,
      opStatus,
      targetRc: result.expectedRc,
      lastRun: nowS,
      execTimeMs: Math.round(result.durationMs),
      queueTimeMs: Math.round(result.queueTimeMs),
      opDigest: paramsDigest(params),
      crmFeatureSet: CRM_FEATURE_SET,
      ...(nodeName !== undefined ? { onNode: nodeName } : {}),
      ...(result.exitReason !== undefined ? { exitReason: result.exitReason } : {}),
    };
    const put = (id: string): void => {
      const prev = entry.ops.get(id);
      const changed = prev === undefined || prev.rc !== rc || prev.opStatus !== opStatus;
      entry.ops.set(id, { id, ...base, lastRcChange: changed ? nowS : (prev.lastRcChange ?? nowS) });
    };
    put(result.intervalMs > 0 ? result.opKey : `${result.resource}_last_0`);
    if (!isSuccess(result)) put(`${result.resource}_last_failure_0`);
  }

  /** Drops a recurring operation's record (Pacemaker deletes it when the monitor is cancelled). */
  forgetRecurring(resource: string, opKeyText: string): void {
    this.#byResource.get(resource)?.ops.delete(opKeyText);
  }

  /** Drops everything known about a resource (`resource cleanup`). */
  clear(resource: string): void {
    this.#byResource.delete(resource);
  }

  get(resource: string): ResourceHistory | undefined {
    const entry = this.#byResource.get(resource);
    if (entry === undefined) return undefined;
    return {
      id: resource,
      agent: entry.agent,
      ops: [...entry.ops.values()].sort((a, b) => a.callId - b.callId),
    };
  }

  all(): ResourceHistory[] {
    return [...this.#byResource.keys()]
      .sort()
      .map((r) => this.get(r))
      .filter((h): h is ResourceHistory => h !== undefined);
  }
}
